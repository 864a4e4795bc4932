//! What the service says about a call besides its data: the `X-TSA-Trace-Id` to quote in
//! a support ticket, and the app's quota left on the endpoint (`X-RateLimit-Remaining`).

use reqwest::header::HeaderMap;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;
use tx_core::pipeline::ResponseMeta;

/// The trace id header.
pub const TRACE_ID_HEADER: &str = "x-tsa-trace-id";

/// The quota header: `<day%>,<minute%>`, e.g. `50%,50%`.
pub const RATE_LIMIT_HEADER: &str = "x-ratelimit-remaining";

/// A decoded answer with its metadata.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The `data` of the answer.
    pub data: T,
    /// The answer's trace id and quota.
    pub meta: Meta,
}

impl<T> Response<T> {
    /// The data, dropping the metadata.
    pub fn into_data(self) -> T {
        self.data
    }
}

/// The metadata of one answer.
///
/// ```
/// use tencent_ads::{Meta, QuotaLeft};
/// let quota: QuotaLeft = "50%,8%".parse().unwrap();
/// assert_eq!((quota.day_percent, quota.minute_percent), (Some(50), Some(8)));
/// assert_eq!(Meta::default().trace_id, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct Meta {
    /// `X-TSA-Trace-Id`: the request's globally unique id, to quote in a support ticket.
    pub trace_id: Option<String>,
    /// `X-RateLimit-Remaining`: the app's quota left on this endpoint.
    pub quota_left: Option<QuotaLeft>,
    /// Attempts made, the successful one included.
    pub attempts: u32,
    /// Whether an earlier attempt failed with its outcome unknown (a lost reply): the
    /// answer may describe what that attempt did.
    pub after_unknown_outcome: bool,
}

impl Meta {
    /// The metadata of a response the pipeline received.
    pub(crate) fn from_response(meta: &ResponseMeta) -> Meta {
        Meta { after_unknown_outcome: meta.after_unknown_outcome, ..Meta::from_headers(&meta.headers, meta.attempts) }
    }

    fn from_headers(headers: &HeaderMap, attempts: u32) -> Meta {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
        Meta {
            trace_id: header(TRACE_ID_HEADER).filter(|t| !t.is_empty()).map(str::to_owned),
            quota_left: header(RATE_LIMIT_HEADER).and_then(|v| v.parse().ok()),
            attempts,
            after_unknown_outcome: false,
        }
    }
}

/// The app's quota left on an endpoint, in percent of the day's and of the minute's
/// (`X-RateLimit-Remaining: <day%>,<minute%>`). There is no reset header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct QuotaLeft {
    /// Percent of the daily quota left, if the header gave it.
    pub day_percent: Option<u8>,
    /// Percent of the minute quota left, if the header gave it.
    pub minute_percent: Option<u8>,
}

/// Why a header value is not a quota.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaLeftError;

impl fmt::Display for QuotaLeftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected `<day%>,<minute%>`")
    }
}

impl std::error::Error for QuotaLeftError {}

/// Parses `50%,50%` (spaces allowed, `%` optional, percentages above 100 refused). A
/// single value is taken as the minute's; an empty part is unknown.
impl FromStr for QuotaLeft {
    type Err = QuotaLeftError;

    fn from_str(s: &str) -> Result<QuotaLeft, QuotaLeftError> {
        let percent = |p: &str| -> Result<Option<u8>, QuotaLeftError> {
            let p = p.trim().trim_end_matches('%').trim_end();
            if p.is_empty() {
                return Ok(None);
            }
            match p.parse::<u8>() {
                Ok(v) if v <= 100 => Ok(Some(v)),
                _ => Err(QuotaLeftError),
            }
        };
        let parts: Vec<&str> = s.split(',').collect();
        match parts.as_slice() {
            [minute] => Ok(QuotaLeft { day_percent: None, minute_percent: percent(minute)? }),
            [day, minute] => Ok(QuotaLeft { day_percent: percent(day)?, minute_percent: percent(minute)? }),
            _ => Err(QuotaLeftError),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn quota_headers_parse_leniently() {
        let q = |s: &str| s.parse::<QuotaLeft>().map(|q| (q.day_percent, q.minute_percent));
        assert_eq!(q("50%,50%"), Ok((Some(50), Some(50))));
        assert_eq!(q(" 100% , 0% "), Ok((Some(100), Some(0))));
        assert_eq!(q("7"), Ok((None, Some(7))));
        assert_eq!(q(",3%"), Ok((None, Some(3))));
        for bad in ["", "x,y", "101%,1%", "1,2,3", "-1%,5%"] {
            assert!(q(bad).is_err() || bad.is_empty(), "{bad}");
        }
        assert_eq!(q(""), Ok((None, None)));
    }

    #[test]
    fn meta_reads_the_two_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("X-TSA-Trace-Id", HeaderValue::from_static(" 7c1f00aa "));
        headers.insert("X-RateLimit-Remaining", HeaderValue::from_static("100%,25%"));
        let m = Meta::from_headers(&headers, 2);
        assert_eq!(m.trace_id.as_deref(), Some("7c1f00aa"));
        assert_eq!(m.quota_left.and_then(|q| q.minute_percent), Some(25));
        assert_eq!(m.attempts, 2);
    }
}
