//! Times as the output contract writes them: RFC 3339 in UTC, beside the Unix value.

use std::time::{Duration, UNIX_EPOCH};

/// `unix` seconds as RFC 3339 in UTC (`2023-11-14T22:13:20Z`).
pub fn rfc3339(unix: u64) -> String {
    match UNIX_EPOCH.checked_add(Duration::from_secs(unix)) {
        Some(t) => humantime::format_rfc3339_seconds(t).to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_seconds() {
        assert_eq!(super::rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
