//! Keeping credentials out of URLs, messages and body snippets that may be logged.
//!
//! Tencent's APIs carry credentials in query strings (`usersig`, `access_token`,
//! `client_secret`, …) and sometimes echo them in bodies. Everything tx logs, traces or
//! puts in an error passes through here first. Values are masked by the name they come
//! under and, wherever they appear, by value: every [`crate::Secret`] this process made
//! is known ([`known`]).

pub(crate) mod known;

use url::Url;

/// Query parameter and JSON field names whose values are credentials.
pub const SENSITIVE_KEYS: &[&str] = &[
    "usersig",
    "access_token",
    "refresh_token",
    "client_secret",
    "authorizer_access_token",
    "authorizer_refresh_token",
    "component_access_token",
    "component_appsecret",
    "component_verify_ticket",
    "user_token",
    "authorization_code",
    "secret_key",
    "tls.sig",
];

/// The mask that replaces a secret value.
pub const MASK: &str = "***";

/// Longest body snippet kept in an error.
pub const SNIPPET_LIMIT: usize = 256;

/// Whether `key` names a credential (case-insensitive).
pub fn is_sensitive(key: &str) -> bool {
    SENSITIVE_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// A URL with the values of sensitive query parameters masked.
///
/// ```
/// let url = url::Url::parse("https://h/v4/sns/black_list_add?sdkappid=1&usersig=eJx&random=7").unwrap();
/// assert_eq!(tx_core::redact::url(&url), "https://h/v4/sns/black_list_add?sdkappid=1&usersig=***&random=7");
/// ```
pub fn url(url: &Url) -> String {
    if !url.query_pairs().any(|(k, _)| is_sensitive(&k)) {
        return url.to_string();
    }
    let mut masked = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if is_sensitive(&k) { MASK.to_owned() } else { v.into_owned() };
            (k.into_owned(), v)
        })
        .collect();
    masked.query_pairs_mut().clear().extend_pairs(pairs);
    masked.to_string()
}

/// Masks credential values in free text: every secret value this process knows, wherever
/// it appears, and `key=value` (query strings), `"key": "value"` (JSON) and `key: value`
/// forms for every name in [`SENSITIVE_KEYS`].
///
/// ```
/// let sig = tx_core::Secret::new("eJyrVgoKdvEM8HUstTJQMjQwMDAyMzE2NTI0MDQ1NDI3NjEwUqoFAIkqBj4");
/// let echoed = format!("70001 the UserSig {} has expired", sig.expose());
/// assert_eq!(tx_core::redact::text(&echoed), "70001 the UserSig *** has expired");
/// ```
pub fn text(input: &str) -> String {
    let mut out = match known::scrub(input, MASK) {
        Some(scrubbed) => by_name(&scrubbed),
        None => by_name(input),
    };
    // A mask put in by name can complete a remembered value that holds the mask (UserSigs
    // hold `*`); mask until nothing is left, so masking twice masks nothing more.
    for _ in 0..8 {
        match known::scrub(&out, MASK) {
            Some(again) => out = by_name(&again),
            None => break,
        }
    }
    out
}

fn by_name(input: &str) -> String {
    let lower = input.to_ascii_lowercase();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for key in SENSITIVE_KEYS {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(key) {
            let start = from + pos;
            from = start + key.len();
            if start > 0 && is_word_byte(lower.as_bytes()[start - 1]) {
                continue;
            }
            if let Some(value) = value_span(input.as_bytes(), start + key.len()) {
                spans.push(value);
            }
        }
    }
    if spans.is_empty() {
        return input.to_owned();
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(input.len());
    let mut cursor = 0;
    for (start, end) in spans {
        if start < cursor {
            continue;
        }
        out.push_str(&input[cursor..start]);
        out.push_str(MASK);
        cursor = end;
    }
    out.push_str(&input[cursor..]);
    out
}

/// A short, redacted, printable excerpt of a response body.
pub fn snippet(body: &[u8]) -> String {
    let lossy = String::from_utf8_lossy(body);
    let redacted = text(&lossy);
    let mut cut = redacted.len().min(SNIPPET_LIMIT);
    while !redacted.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut s: String = redacted[..cut].chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if cut < redacted.len() {
        s.push('…');
    }
    s
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}

/// After a key ending at `i`, finds the byte span of its value, if the key is followed by
/// a separator (`=` or `:`, optionally quoted and spaced).
fn value_span(s: &[u8], mut i: usize) -> Option<(usize, usize)> {
    if i < s.len() && is_word_byte(s[i]) {
        return None;
    }
    if i < s.len() && s[i] == b'"' {
        i += 1;
    }
    while i < s.len() && s[i] == b' ' {
        i += 1;
    }
    if i >= s.len() || !(s[i] == b'=' || s[i] == b':') {
        return None;
    }
    i += 1;
    while i < s.len() && s[i] == b' ' {
        i += 1;
    }
    let quoted = i < s.len() && s[i] == b'"';
    if quoted {
        i += 1;
    }
    let start = i;
    while i < s.len() {
        let b = s[i];
        let end = if quoted { b == b'"' } else { matches!(b, b'&' | b'"' | b' ' | b',' | b'}' | b')' | b';' | b'\n') };
        if end {
            break;
        }
        if quoted && b == b'\\' {
            i += 1;
        }
        i += 1;
    }
    let end = i.min(s.len());
    (end > start).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_sensitive_query_parameter() {
        for key in SENSITIVE_KEYS.iter().filter(|k| !k.contains('.')) {
            let u = Url::parse(&format!("https://api.e.qq.com/v3.0/x?a=1&{key}=SECRETVALUE&b=2")).unwrap();
            let r = url(&u);
            assert!(!r.contains("SECRETVALUE"), "{key}: {r}");
            assert!(r.contains("a=1") && r.contains("b=2"), "{r}");
        }
        let upper = Url::parse("https://h/p?Access_Token=SECRETVALUE").unwrap();
        assert!(!url(&upper).contains("SECRETVALUE"));
    }

    #[test]
    fn leaves_urls_without_secrets_alone() {
        let u = Url::parse("https://h/p?sdkappid=1&random=2").unwrap();
        assert_eq!(url(&u), "https://h/p?sdkappid=1&random=2");
    }

    #[test]
    fn masks_values_in_text() {
        let cases = [
            ("GET /oauth/token?client_id=1&client_secret=S3CR3T&grant_type=x", "S3CR3T"),
            (r#"{"access_token":"TOK","expires_in":7200}"#, "TOK"),
            (r#"{"access_token": "TOK", "x": 1}"#, "TOK"),
            (r#"{"authorizer_refresh_token":"R\"EF"}"#, "R\\\"EF"),
            ("url (https://h/p?usersig=eJyrVgo*-_&x=1)", "eJyrVgo*-_"),
            ("refresh_token: abc123, next", "abc123"),
            ("GET /oauth/token?grant_type=authorization_code&authorization_code=C0DE&x=1", "C0DE"),
        ];
        for (input, secret) in cases {
            let out = text(input);
            assert!(!out.contains(secret), "{input} -> {out}");
            assert!(out.contains(MASK), "{out}");
        }
    }

    #[test]
    fn does_not_mask_look_alike_words() {
        assert_eq!(text("the access_tokens list"), "the access_tokens list");
        assert_eq!(text("no secrets here: 42"), "no secrets here: 42");
        assert_eq!(text("my_usersig=1"), "my_usersig=1");
    }

    #[test]
    fn snippets_are_short_and_printable() {
        let body = "x".repeat(1000);
        let s = snippet(body.as_bytes());
        assert!(s.len() <= SNIPPET_LIMIT + '…'.len_utf8());
        assert!(s.ends_with('…'));
        assert_eq!(snippet(b"a\nb\x00c"), "a b c");
        let chinese = "错".repeat(200);
        assert!(snippet(chinese.as_bytes()).is_char_boundary(0));
    }
}
