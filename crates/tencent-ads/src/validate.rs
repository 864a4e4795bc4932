//! The rules every request is checked against before anything is sent.
//!
//! Each check returns [`Error::invalid_input`] naming the field path that broke the rule
//! (e.g. `materials[3].material_id`), so a caller can point at the offending input. The
//! request types' `validate` methods combine these checks; the functions are public for
//! callers that check input early (a CLI reading a file, say).

use std::borrow::Cow;
use tx_core::{Error, Secret};
use url::Url;

/// Characters that values must not contain unless an endpoint says otherwise: `<`, `>`,
/// `&`, `'`, `"`, `/`, `\`, TAB, LF and CR.
pub const FORBIDDEN_CHARS: [char; 10] = ['<', '>', '&', '\'', '"', '/', '\\', '\t', '\n', '\r'];

/// Most materials in one `watermarks/add` or `material_async_tasks/add` request; a client
/// splits larger inputs into several requests.
pub const MAX_MATERIALS_PER_REQUEST: usize = 100;

/// Most warning texts in one request (`watermark_configs`, `watermark_spec.text`).
pub const MAX_WARNING_TEXTS: usize = 10;

/// Largest `organization_id`.
pub const MAX_ORGANIZATION_ID: i64 = 9_999_999_999;

/// Largest `page_size` of the GET endpoints.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Largest `page` of `material_async_tasks/get`.
pub const MAX_TASK_PAGE: u32 = 99_999;

/// Most values of one filter in one request: ids are polled in chunks of this size.
pub const MAX_FILTER_VALUES: usize = 100;

/// Most filters of one `material_async_tasks/get` request.
pub const MAX_TASK_FILTERS: usize = 10;

/// Longest nonce, in characters.
pub const MAX_NONCE_CHARS: usize = 32;

/// Longest `client_secret`, in bytes.
pub const MAX_CLIENT_SECRET_BYTES: usize = 256;

/// The first forbidden character in `value`, if any.
///
/// ```
/// use tencent_ads::validate::forbidden_char;
/// assert_eq!(forbidden_char("a<b"), Some('<'));
/// assert_eq!(forbidden_char("图片 1"), None);
/// ```
pub fn forbidden_char(value: &str) -> Option<char> {
    value.chars().find(|c| FORBIDDEN_CHARS.contains(c))
}

/// Checks that `value` holds none of [`FORBIDDEN_CHARS`].
///
/// ```
/// use tencent_ads::validate::check_chars;
/// let e = check_chars("materials[3].material_id", "12/3").unwrap_err();
/// assert_eq!(e.field(), Some("materials[3].material_id"));
/// assert_eq!(e.to_string(), "invalid input: materials[3].material_id must not contain '/'");
/// ```
pub fn check_chars(field: impl Into<Cow<'static, str>>, value: &str) -> Result<(), Error> {
    match forbidden_char(value) {
        Some(c) => Err(Error::invalid_input(field, format_args!("must not contain {c:?}"))),
        None => Ok(()),
    }
}

/// Checks a string value that must not be blank and must hold no forbidden character
/// (ids, filter values, field names). `field` is only built when the check fails.
pub(crate) fn check_value(field: impl FnOnce() -> String, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(field(), "must not be empty"));
    }
    match forbidden_char(value) {
        Some(c) => check_chars(field(), &c.to_string()),
        None => Ok(()),
    }
}

/// Checks every string of a JSON value for the forbidden characters, naming the path of
/// the first offending value (`params.filtering[0].values[1]`). Object keys are checked
/// too.
///
/// ```
/// use tencent_ads::validate::check_json;
/// let e = check_json("body", &serde_json::json!({"materials": [{"material_id": "1"}, {"material_id": "2>"}]})).unwrap_err();
/// assert_eq!(e.field(), Some("body.materials[1].material_id"));
/// ```
pub fn check_json(path: &str, value: &serde_json::Value) -> Result<(), Error> {
    match value {
        serde_json::Value::String(s) => check_chars(path.to_owned(), s),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().try_for_each(|(i, v)| check_json(&format!("{path}[{i}]"), v))
        }
        serde_json::Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            let inner = format!("{path}.{k}");
            check_chars(inner.clone(), k)?;
            check_json(&inner, v)
        }),
        _ => Ok(()),
    }
}

/// Checks a warning text: not blank, and free of the forbidden characters except `/`,
/// which the texts prescribed by `watermarks/add` itself contain (`创业/加盟有风险…`,
/// `贷款额度/放款时间…`).
///
/// ```
/// use tencent_ads::validate::check_warning_text;
/// assert!(check_warning_text("watermark_configs[0].text_content", "贷款额度/放款时间等以实际审批为准").is_ok());
/// assert!(check_warning_text("watermark_configs[0].text_content", "a & b").is_err());
/// assert!(check_warning_text("watermark_configs[0].text_content", " ").is_err());
/// ```
pub fn check_warning_text(field: impl Into<Cow<'static, str>>, text: &str) -> Result<(), Error> {
    if text.trim().is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    match text.chars().find(|c| *c != '/' && FORBIDDEN_CHARS.contains(c)) {
        Some(c) => Err(Error::invalid_input(field, format_args!("must not contain {c:?}"))),
        None => Ok(()),
    }
}

/// Checks that a list has `min..=max` items.
pub(crate) fn check_count(field: &'static str, len: usize, min: usize, max: usize) -> Result<(), Error> {
    if len < min || len > max {
        let rule = if min == max {
            format!("must have exactly {min} item(s), got {len}")
        } else {
            format!("must have {min} to {max} items, got {len}")
        };
        return Err(Error::invalid_input(field, rule));
    }
    Ok(())
}

/// Checks an `account_id`: a positive integer.
pub fn check_account_id(account_id: i64) -> Result<(), Error> {
    if account_id < 1 {
        return Err(Error::invalid_input("account_id", format_args!("must be a positive integer, got {account_id}")));
    }
    Ok(())
}

/// Checks an `organization_id`, when given: `0..=9999999999`.
pub fn check_organization_id(organization_id: Option<i64>) -> Result<(), Error> {
    match organization_id {
        Some(id) if !(0..=MAX_ORGANIZATION_ID).contains(&id) => {
            Err(Error::invalid_input("organization_id", format_args!("must be in 0..={MAX_ORGANIZATION_ID}, got {id}")))
        }
        _ => Ok(()),
    }
}

/// Checks a `page_size`: `1..=100`.
pub fn check_page_size(page_size: u32) -> Result<(), Error> {
    if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
        return Err(Error::invalid_input("page_size", format_args!("must be in 1..={MAX_PAGE_SIZE}, got {page_size}")));
    }
    Ok(())
}

/// Checks a nonce: 1 to 32 characters, none of them forbidden.
///
/// ```
/// use tencent_ads::validate::check_nonce;
/// assert!(check_nonce("0f8fad5bd9cb469fa16570867728950e").is_ok());
/// assert!(check_nonce(&"a".repeat(33)).is_err());
/// ```
pub fn check_nonce(nonce: &str) -> Result<(), Error> {
    let n = nonce.chars().count();
    if n == 0 || n > MAX_NONCE_CHARS {
        return Err(Error::invalid_input(
            "nonce",
            format_args!("must have 1 to {MAX_NONCE_CHARS} characters, got {n}"),
        ));
    }
    check_chars("nonce", nonce)
}

/// Checks a `client_secret`: 1 to 256 bytes. The error never shows the secret.
pub fn check_client_secret(secret: &Secret) -> Result<(), Error> {
    let n = secret.expose().len();
    if n == 0 || n > MAX_CLIENT_SECRET_BYTES {
        return Err(Error::invalid_input(
            "client_secret",
            format_args!("must have 1 to {MAX_CLIENT_SECRET_BYTES} bytes, got {n}"),
        ));
    }
    Ok(())
}

/// Checks a `redirect_uri` of the OAuth flow: an absolute `http` or `https` URL with a host
/// and no port (not even the scheme's default one, which the server refuses as written).
///
/// ```
/// use tencent_ads::validate::check_redirect_uri;
/// assert!(check_redirect_uri("https://example.com/callback?from=ads").is_ok());
/// assert!(check_redirect_uri("https://example.com:8443/callback").is_err());
/// assert!(check_redirect_uri("ftp://example.com/callback").is_err());
/// ```
pub fn check_redirect_uri(uri: &str) -> Result<(), Error> {
    const FIELD: &str = "redirect_uri";
    let url =
        Url::parse(uri).map_err(|e| Error::invalid_input(FIELD, format_args!("must be an absolute URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid_input(FIELD, "must use http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid_input(FIELD, "must name a host"));
    }
    if url.port().is_some() || written_port(uri) {
        return Err(Error::invalid_input(FIELD, "must not carry a port"));
    }
    Ok(())
}

/// Whether the authority of `uri` as written carries a port (`url` drops a default port
/// such as `:443` when parsing, but the server sees the text).
fn written_port(uri: &str) -> bool {
    let rest = uri.split_once("://").map_or(uri, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let after_brackets = host.rsplit_once(']').map_or(host, |(_, tail)| tail);
    after_brackets.contains(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_forbidden_character_is_refused_and_named() {
        for c in FORBIDDEN_CHARS {
            let value = format!("id{c}1");
            let e = check_value(|| "materials[3].material_id".to_owned(), &value).unwrap_err();
            assert_eq!(e.field(), Some("materials[3].material_id"));
            assert_eq!(e.to_string(), format!("invalid input: materials[3].material_id must not contain {c:?}"));
            assert!(e.request_not_sent());
        }
        assert!(check_value(|| unreachable!("built only on failure"), "图片 1 (a),b;c:d%-_").is_ok());
        assert_eq!(check_value(|| "x".into(), "").unwrap_err().to_string(), "invalid input: x must not be empty");
        assert!(check_value(|| "x".into(), " \u{3000}").is_err());
    }

    #[test]
    fn warning_texts_may_hold_a_slash_only() {
        assert!(check_warning_text("t", "创业/加盟有风险,投资需谨慎").is_ok());
        for c in FORBIDDEN_CHARS.into_iter().filter(|c| *c != '/') {
            assert!(check_warning_text("t", &format!("风险{c}")).is_err(), "{c:?}");
        }
        assert!(check_warning_text("t", "").is_err());
    }

    #[test]
    fn counts() {
        assert!(check_count("materials", 1, 1, 100).is_ok());
        assert!(check_count("materials", 100, 1, 100).is_ok());
        let e = check_count("materials", 101, 1, 100).unwrap_err();
        assert_eq!(e.to_string(), "invalid input: materials must have 1 to 100 items, got 101");
        assert!(check_count("materials", 0, 1, 100).is_err());
        assert_eq!(
            check_count("filtering[0].values", 2, 1, 1).unwrap_err().to_string(),
            "invalid input: filtering[0].values must have exactly 1 item(s), got 2"
        );
    }

    #[test]
    fn ids_and_pages() {
        assert!(check_account_id(1).is_ok());
        assert!(check_account_id(0).is_err() && check_account_id(-5).is_err());
        for ok in [None, Some(0), Some(MAX_ORGANIZATION_ID)] {
            assert!(check_organization_id(ok).is_ok(), "{ok:?}");
        }
        for bad in [Some(-1), Some(MAX_ORGANIZATION_ID + 1)] {
            assert_eq!(check_organization_id(bad).unwrap_err().field(), Some("organization_id"));
        }
        assert!(check_page_size(1).is_ok() && check_page_size(100).is_ok());
        assert!(check_page_size(0).is_err() && check_page_size(101).is_err());
    }

    #[test]
    fn nonces() {
        assert!(check_nonce(&"f".repeat(32)).is_ok());
        assert!(check_nonce("").is_err());
        assert!(check_nonce(&"f".repeat(33)).is_err());
        // Characters, not bytes: 32 CJK characters are 96 bytes.
        assert!(check_nonce(&"随".repeat(32)).is_ok());
        assert!(check_nonce("abc&def").is_err());
    }

    #[test]
    fn client_secrets_are_measured_in_bytes_and_never_shown() {
        assert!(check_client_secret(&Secret::new("s")).is_ok());
        assert!(check_client_secret(&Secret::new("s".repeat(256))).is_ok());
        let e = check_client_secret(&Secret::new("s".repeat(257))).unwrap_err();
        assert_eq!(e.to_string(), "invalid input: client_secret must have 1 to 256 bytes, got 257");
        assert!(check_client_secret(&Secret::new("")).is_err());
        // 86 three-byte characters are 258 bytes.
        let e = check_client_secret(&Secret::new("密".repeat(86))).unwrap_err();
        assert!(!e.to_string().contains('密') && !format!("{e:?}").contains('密'));
    }

    #[test]
    fn redirect_uris() {
        for ok in
            ["http://example.com", "https://a.example.com/cb?x=1#f", "https://user@example.com/cb", "http://[::1]/cb"]
        {
            assert!(check_redirect_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "example.com/cb",
            "/cb",
            "ftp://example.com/cb",
            "https://example.com:8080/cb",
            "https://example.com:443/cb",
            "http://example.com:80",
            "http://[::1]:8080/cb",
            "https://user:pw@example.com:444/cb",
            "file:///etc/passwd",
        ] {
            assert_eq!(check_redirect_uri(bad).unwrap_err().field(), Some("redirect_uri"), "{bad}");
        }
    }
}
