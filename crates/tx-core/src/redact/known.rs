//! Secret values this process has seen, so that text can be scrubbed of them by value:
//! a server that echoes a UserSig or a token inside its error message would otherwise
//! slip past the masking by field name.
//!
//! Every [`crate::Secret`] of at least [`MIN_LEN`] bytes (and no whitespace or control
//! character) is remembered when it is made
//! (keys, UserSigs, access and refresh tokens, client secrets, AES keys). The most recent
//! [`CAPACITY`] are kept; older ones are forgotten, which bounds memory and the cost of a
//! scrub in a process that rotates tokens for months.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, LazyLock, RwLock};

/// Shorter values are not remembered: masking every "key" or "1234" in a message would
/// garble it, and values that short are no secret worth the name.
pub const MIN_LEN: usize = 8;

/// How many values are remembered.
pub const CAPACITY: usize = 4096;

/// The remembered values, oldest first, and indexed by their first [`MIN_LEN`] bytes so a
/// scrub costs one lookup per position of the text, however many values are known.
#[derive(Default)]
struct Known {
    order: VecDeque<Arc<str>>,
    by_prefix: HashMap<[u8; MIN_LEN], Vec<Arc<str>>>,
}

fn prefix(value: &[u8]) -> [u8; MIN_LEN] {
    let mut p = [0; MIN_LEN];
    p.copy_from_slice(&value[..MIN_LEN]);
    p
}

impl Known {
    fn contains(&self, value: &str) -> bool {
        self.by_prefix.get(&prefix(value.as_bytes())).is_some_and(|vs| vs.iter().any(|v| **v == *value))
    }

    fn insert(&mut self, value: &Arc<str>) {
        self.order.push_back(Arc::clone(value));
        self.by_prefix.entry(prefix(value.as_bytes())).or_default().push(Arc::clone(value));
        if self.order.len() > CAPACITY
            && let Some(oldest) = self.order.pop_front()
        {
            let key = prefix(oldest.as_bytes());
            if let Some(values) = self.by_prefix.get_mut(&key) {
                values.retain(|v| !Arc::ptr_eq(v, &oldest));
                if values.is_empty() {
                    self.by_prefix.remove(&key);
                }
            }
        }
    }

    /// The known values that occur in `text`.
    fn occurring_in<'a>(&'a self, text: &str) -> Vec<&'a str> {
        let bytes = text.as_bytes();
        let mut found: Vec<&str> = Vec::new();
        for i in 0..=bytes.len().saturating_sub(MIN_LEN) {
            let Some(values) = self.by_prefix.get(&prefix(&bytes[i..])) else { continue };
            for v in values {
                if bytes[i..].starts_with(v.as_bytes()) && !found.contains(&&**v) {
                    found.push(v);
                }
            }
        }
        found
    }
}

static KNOWN: LazyLock<RwLock<Known>> = LazyLock::new(RwLock::default);

/// Remembers `value` as a secret, unless it is shorter than [`MIN_LEN`] or holds
/// whitespace or a control character, which no key or token has (masking every run of
/// spaces would garble the text).
pub(crate) fn remember(value: &Arc<str>) {
    if value.len() < MIN_LEN || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return;
    }
    if KNOWN.read().unwrap_or_else(|e| e.into_inner()).contains(value) {
        return;
    }
    let mut known = KNOWN.write().unwrap_or_else(|e| e.into_inner());
    if !known.contains(value) {
        known.insert(value);
    }
}

/// `input` with every remembered secret value replaced by `mask`; `None` if it holds none.
///
/// Longest first, so a secret that contains another is masked whole; then again until
/// nothing is left, because a value holding the mask (UserSigs hold `*`) can appear where
/// another was masked. Each pass shortens the text (every value is longer than the mask),
/// so this ends.
pub(crate) fn scrub(input: &str, mask: &str) -> Option<String> {
    let known = KNOWN.read().unwrap_or_else(|e| e.into_inner());
    let mut scrubbed: Option<String> = None;
    loop {
        let text = scrubbed.as_deref().unwrap_or(input);
        if text.len() < MIN_LEN {
            return scrubbed;
        }
        let mut found = known.occurring_in(text);
        if found.is_empty() {
            return scrubbed;
        }
        found.sort_unstable_by_key(|v| std::cmp::Reverse(v.len()));
        let mut out = text.to_owned();
        for value in found {
            out = out.replace(value, mask);
        }
        scrubbed = Some(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_values_are_scrubbed_and_short_ones_ignored() {
        remember(&Arc::from("eJyrVgoQ-known-sig-1"));
        remember(&Arc::from("short"));
        let out = scrub("70001: usersig eJyrVgoQ-known-sig-1 expired; short", "***").unwrap();
        assert_eq!(out, "70001: usersig *** expired; short");
        assert_eq!(scrub("nothing secret in here", "***"), None);
    }

    #[test]
    fn masking_twice_masks_nothing_more_and_blank_values_are_not_remembered() {
        // Found by the envelope_wechat fuzz target: a remembered value holding the mask
        // (UserSigs hold `*`) appeared once another value was masked.
        remember(&Arc::from("zz-secret-1"));
        remember(&Arc::from("t-***LIVING"));
        remember(&Arc::from("        "));
        remember(&Arc::from("with\ttab-1"));
        remember(&Arc::from("with\0nul-1"));
        let once = scrub("t-zz-secret-1LIVING and         spaces", "***").unwrap();
        assert_eq!(once, "*** and         spaces");
        assert_eq!(scrub(&once, "***"), None);
        assert_eq!(scrub("with\ttab-1 with\0nul-1", "***"), None);
        remember(&Arc::from("eJw1jEsLgkAUhf*L3Ro"));
        assert_eq!(scrub("sig eJw1jEsLgkAUhf*L3Ro!", "***").as_deref(), Some("sig ***!"));
    }

    #[test]
    fn the_longest_value_is_masked_whole() {
        remember(&Arc::from("token-abcdefgh"));
        remember(&Arc::from("token-abcdefgh-and-more"));
        assert_eq!(scrub("x token-abcdefgh-and-more y", "***").unwrap(), "x *** y");
    }

    #[test]
    fn memory_is_bounded() {
        for i in 0..CAPACITY + 10 {
            remember(&Arc::from(format!("bounded-secret-{i:06}")));
        }
        let known = KNOWN.read().unwrap();
        let indexed: usize = known.by_prefix.values().map(Vec::len).sum();
        assert!(known.order.len() <= CAPACITY && indexed == known.order.len());
    }
}
