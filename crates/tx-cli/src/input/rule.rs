//! What an id may be: checked in full before anything is sent, and what is checked is what
//! is sent (the trimmed text).

/// Characters that are invisible or change how text reads, refused in ids: a UserID
/// holding one is almost always a copy-and-paste accident.
const INVISIBLE: &[(char, &str)] = &[
    ('\u{00AD}', "a soft hyphen"),
    ('\u{180E}', "a Mongolian vowel separator"),
    ('\u{200B}', "a zero-width space"),
    ('\u{200C}', "a zero-width non-joiner"),
    ('\u{200D}', "a zero-width joiner"),
    ('\u{200E}', "a left-to-right mark"),
    ('\u{200F}', "a right-to-left mark"),
    ('\u{2060}', "a word joiner"),
    ('\u{FEFF}', "a byte-order mark"),
];

/// The id `text` holds, trimmed of surrounding spaces and tabs, or why it is not one.
pub fn check_id(text: &str, max_bytes: usize) -> Result<String, String> {
    let id = text.trim_matches([' ', '\t']);
    if id.is_empty() {
        return Err("is blank".to_owned());
    }
    for c in id.chars() {
        if c.is_control() {
            return Err(format!("holds a control character (U+{:04X})", u32::from(c)));
        }
        if let Some((_, name)) = INVISIBLE.iter().find(|(bad, _)| *bad == c) {
            return Err(format!("holds {name} (U+{:04X})", u32::from(c)));
        }
        if matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            return Err(format!("holds a bidirectional control (U+{:04X})", u32::from(c)));
        }
    }
    if id.len() > max_bytes {
        return Err(format!("is {} bytes long; the limit is {max_bytes}", id.len()));
    }
    Ok(id.to_owned())
}

/// The longest WeChat AppID or Ads material id accepted (AppIDs are 18 bytes; material ids
/// have no documented limit, and are short numbers in practice).
pub const MAX_PLATFORM_ID_BYTES: usize = 256;

/// A WeChat AppID: an id by [`check_id`], shaped as an AppID (`wx` and 16 letters or digits).
pub fn check_appid(text: &str, max_bytes: usize) -> Result<String, String> {
    let id = check_id(text, max_bytes)?;
    tx_sdk::wechat::validate::appid("appid", &id)
        .map_err(|_| format!("is {id:?}; an AppID is \"wx\" followed by 16 letters or digits"))?;
    Ok(id)
}

/// An Ads material id: an id by [`check_id`] without a character the Marketing API refuses.
pub fn check_material_id(text: &str, max_bytes: usize) -> Result<String, String> {
    let id = check_id(text, max_bytes)?;
    if let Some(c) = tx_sdk::ads::validate::forbidden_char(&id) {
        return Err(format!("holds {c:?}, which the Marketing API refuses"));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appids_and_material_ids_have_their_platform_rules() {
        assert_eq!(check_appid(" wxa000000000000001 ", 256).unwrap(), "wxa000000000000001");
        assert!(check_appid("gh_123", 256).unwrap_err().contains("an AppID is"));
        assert!(check_appid("wxa00000000000000\u{200B}1", 256).unwrap_err().contains("zero-width"));
        assert_eq!(check_material_id("123", 256).unwrap(), "123");
        assert!(check_material_id("a&b", 256).unwrap_err().contains("'&'"));
    }

    #[test]
    fn ids_are_trimmed_and_invisible_characters_refused() {
        assert_eq!(check_id(" o1 \t", 32).unwrap(), "o1");
        assert_eq!(check_id("用户一", 32).unwrap(), "用户一");
        assert_eq!(check_id("", 32).unwrap_err(), "is blank");
        assert_eq!(check_id("   ", 32).unwrap_err(), "is blank");
        assert!(check_id("a\u{0}b", 32).unwrap_err().contains("control character (U+0000)"));
        assert!(check_id("a\u{7}", 32).unwrap_err().contains("U+0007"));
        assert!(check_id("al\u{200B}ice", 32).unwrap_err().contains("zero-width space"));
        assert!(check_id("\u{FEFF}alice", 32).unwrap_err().contains("byte-order mark"));
        assert!(check_id("a\u{202E}b", 32).unwrap_err().contains("bidirectional"));
        assert!(check_id(&"x".repeat(33), 32).unwrap_err().contains("33 bytes"));
        assert!(check_id(&"用".repeat(11), 32).is_err(), "bytes, not characters");
    }
}
