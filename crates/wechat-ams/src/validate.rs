//! Input rules, checked before any I/O. Each refusal is a
//! [`tx_core::Error::invalid_input`] naming the wire field and the rule it broke.
//!
//! Every request type checks itself with [`Action::validate`](crate::wire::Action::validate);
//! the rules are public so that callers (a CLI reading a file, say) can check values early.

use tx_core::Error;

/// The largest `page_size` of `get_agency_ads_detail`; other actions have no documented
/// maximum.
pub const MAX_DETAIL_PAGE_SIZE: u32 = 200;

/// The largest `count` of `api_get_authorizer_list`.
pub const MAX_AUTHORIZER_LIST_COUNT: u32 = 500;

/// The largest share ratio, in percent (the provider's share; the merchant keeps the rest).
pub const MAX_SHARE_RATIO: u32 = 100;

/// The only `video_duration_min` of a reward-video ad unit, in seconds.
pub const REWARD_VIDEO_MIN_DURATION: u32 = 6;

/// The accepted `video_duration_max` values of a reward-video ad unit, in seconds. 86400 is
/// listed by one version of the documentation only, and accepted here.
pub const REWARD_VIDEO_MAX_DURATIONS: &[u32] = &[15, 30, 60, 86400];

/// Checks that a required string is not empty (nor only whitespace).
///
/// ```
/// use wechat_ams::validate;
/// assert!(validate::required("ad_unit_id", "adunit-1").is_ok());
/// assert_eq!(validate::required("ad_unit_id", " ").unwrap_err().field(), Some("ad_unit_id"));
/// ```
pub fn required(field: &'static str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    Ok(())
}

/// Checks an AppID's shape: `wx` followed by 16 ASCII letters or digits.
///
/// Issued AppIDs are `wx` plus 16 lower-case hexadecimal digits; no public document states
/// the rule, so this check is lenient about the 16 characters and refuses only what cannot
/// be an AppID (empty, wrong prefix or length, spaces or punctuation).
///
/// ```
/// use wechat_ams::validate;
/// assert!(validate::appid("appid", "wx2c2769f8efd9abc2").is_ok());
/// assert!(validate::appid("appid", "gh_10f6c3c3ac5a").is_err());
/// assert!(validate::appid("appid", "wx2c2769f8efd9abc").is_err());
/// ```
pub fn appid(field: &'static str, value: &str) -> Result<(), Error> {
    required(field, value)?;
    let ok = value.len() == 18 && value.starts_with("wx") && value.bytes().skip(2).all(|b| b.is_ascii_alphanumeric());
    if !ok {
        return Err(Error::invalid_input(
            field,
            format_args!("is {value:?}; an AppID is \"wx\" followed by 16 letters or digits"),
        ));
    }
    Ok(())
}

/// Checks `page` ≥ 1 and 1 ≤ `page_size` (≤ `max_page_size` when the action has one).
///
/// ```
/// use wechat_ams::validate;
/// assert!(validate::paging(1, 20, None).is_ok());
/// assert_eq!(validate::paging(0, 20, None).unwrap_err().field(), Some("page"));
/// assert_eq!(validate::paging(1, 201, Some(200)).unwrap_err().field(), Some("page_size"));
/// ```
pub fn paging(page: u32, page_size: u32, max_page_size: Option<u32>) -> Result<(), Error> {
    if page == 0 {
        return Err(Error::invalid_input("page", "must be at least 1 (pages count from 1)"));
    }
    if page_size == 0 {
        return Err(Error::invalid_input("page_size", "must be at least 1"));
    }
    if let Some(max) = max_page_size
        && page_size > max
    {
        return Err(Error::invalid_input("page_size", format_args!("is {page_size}; at most {max} are allowed")));
    }
    Ok(())
}

/// Checks a date: `yyyy-mm-dd`, a real calendar day.
///
/// ```
/// use wechat_ams::validate;
/// assert!(validate::date("start_date", "2024-02-29").is_ok());
/// assert!(validate::date("start_date", "2023-02-29").is_err());
/// assert!(validate::date("start_date", "2024-2-1").is_err());
/// ```
pub fn date(field: &'static str, value: &str) -> Result<(), Error> {
    if parse_date(value).is_none() {
        return Err(Error::invalid_input(field, format_args!("is {value:?}; expected a date as yyyy-mm-dd")));
    }
    Ok(())
}

/// Checks `start_date` and `end_date`: both dates, and `start_date` ≤ `end_date`.
///
/// ```
/// use wechat_ams::validate;
/// assert!(validate::date_range("2024-01-01", "2024-01-31").is_ok());
/// assert_eq!(validate::date_range("2024-02-01", "2024-01-31").unwrap_err().field(), Some("end_date"));
/// ```
pub fn date_range(start_date: &str, end_date: &str) -> Result<(), Error> {
    date("start_date", start_date)?;
    date("end_date", end_date)?;
    // Same fixed-width layout: byte order is date order.
    if end_date < start_date {
        return Err(Error::invalid_input("end_date", format_args!("is {end_date}, before start_date {start_date}")));
    }
    Ok(())
}

/// Checks a share ratio: 0 to 100 percent.
pub fn share_ratio(value: u32) -> Result<(), Error> {
    if value > MAX_SHARE_RATIO {
        return Err(Error::invalid_input(
            "share_ratio",
            format_args!("is {value}; a share ratio is a percentage from 0 to {MAX_SHARE_RATIO}"),
        ));
    }
    Ok(())
}

/// Checks the reward-video durations that are given: `video_duration_min` is
/// [`REWARD_VIDEO_MIN_DURATION`], `video_duration_max` one of [`REWARD_VIDEO_MAX_DURATIONS`].
pub fn video_durations(min: Option<u32>, max: Option<u32>) -> Result<(), Error> {
    if let Some(min) = min
        && min != REWARD_VIDEO_MIN_DURATION
    {
        return Err(Error::invalid_input(
            "video_duration_min",
            format_args!("is {min}; the only accepted value is {REWARD_VIDEO_MIN_DURATION}"),
        ));
    }
    if let Some(max) = max
        && !REWARD_VIDEO_MAX_DURATIONS.contains(&max)
    {
        return Err(Error::invalid_input(
            "video_duration_max",
            format_args!("is {max}; accepted values are 15, 30 and 60 (and 86400)"),
        ));
    }
    Ok(())
}

/// The (year, month, day) of a `yyyy-mm-dd` date, if it is one.
pub(crate) fn parse_date(value: &str) -> Option<(u32, u32, u32)> {
    let b = value.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &value[r];
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok()).flatten()
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (y >= 1 && (1..=days).contains(&d)).then_some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tx_core::ErrorKind;

    #[test]
    fn appids() {
        for ok in ["wx2c2769f8efd9abc2", "wxABCDEF0123456789", "wx0000000000000000"] {
            assert!(appid("appid", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "wx",
            "wx2c2769f8efd9abc23",
            "WX2c2769f8efd9abc2",
            "wx2c2769f8efd9ab-2",
            "wx2c2769f8efd9ab 2",
            "tt2c2769f8efd9abc2",
        ] {
            let e = appid("appid", bad).unwrap_err();
            assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("appid")), "{bad}");
        }
        assert!(appid("appid", "wx2c2769f8efd9ab").unwrap_err().to_string().contains("16 letters or digits"));
    }

    #[test]
    fn dates() {
        for ok in ["2024-02-29", "2000-02-29", "2023-12-31", "2023-01-01"] {
            assert!(date("start_date", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "2023-02-29",
            "1900-02-29",
            "2023-13-01",
            "2023-00-10",
            "2023-04-31",
            "2023-01-00",
            "2023/01/01",
            "23-01-01",
            "2023-1-01",
            "2023-01-1 ",
            "+023-01-01",
            "0000-01-01",
        ] {
            assert_eq!(date("start_date", bad).unwrap_err().field(), Some("start_date"), "{bad:?}");
        }
        assert!(date_range("2024-01-01", "2024-01-01").is_ok());
        assert_eq!(date_range("2024-01-32", "2024-01-01").unwrap_err().field(), Some("start_date"));
        assert_eq!(date_range("2024-01-02", "2024-01-01").unwrap_err().field(), Some("end_date"));
        assert_eq!(date_range("2024-01-02", "x").unwrap_err().field(), Some("end_date"));
    }

    #[test]
    fn pages_ratios_and_durations() {
        assert!(paging(1, 1, Some(200)).is_ok() && paging(9, 200, Some(200)).is_ok());
        assert!(paging(1, 100_000, None).is_ok());
        assert_eq!(paging(1, 0, None).unwrap_err().field(), Some("page_size"));
        assert!(share_ratio(0).is_ok() && share_ratio(100).is_ok());
        assert_eq!(share_ratio(101).unwrap_err().field(), Some("share_ratio"));
        assert!(video_durations(None, None).is_ok());
        assert!(video_durations(Some(6), Some(30)).is_ok() && video_durations(None, Some(86400)).is_ok());
        assert_eq!(video_durations(Some(5), None).unwrap_err().field(), Some("video_duration_min"));
        assert_eq!(video_durations(Some(6), Some(20)).unwrap_err().field(), Some("video_duration_max"));
        assert_eq!(required("name", "").unwrap_err().to_string(), "invalid input: name must not be empty");
    }
}
