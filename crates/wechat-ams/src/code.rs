//! WeChat codes as one open enum over both code spaces, and what each means for retrying.
//!
//! A WeChat response reports failure in two places: the gateway's `errcode` (token,
//! permission, quota: the standard WeChat codes) and the AMS layer's `ret`. The two sets
//! of documented codes do not overlap, so one [`ErrorCode`] covers both; the envelope
//! decoder of `tx-core` reports the gateway code first, then `ret`.

use std::time::Duration;
use tx_core::{ErrorKind, Verdict};

tx_core::open_code_enum! {
    /// A WeChat code this crate knows: gateway `errcode`s (reference §8) and AMS `ret`s
    /// (§6). Unknown codes are [`ErrorCode::Other`].
    ///
    /// ```
    /// use wechat_ams::KnownCode;
    /// assert_eq!(KnownCode::from_code(1737), Some(KnownCode::TooFast));
    /// assert_eq!(KnownCode::InvalidCredential.code(), 40001);
    /// assert_eq!(KnownCode::PublisherAlreadyOpen.description(), "publisher already opened");
    /// ```
    pub enum KnownCode;
    /// A WeChat `errcode` or AMS `ret`: known, or any other number.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tx_core::Verdict;
    /// use wechat_ams::{ErrorCode, KnownCode};
    ///
    /// assert_eq!(ErrorCode::from(2035), ErrorCode::Known(KnownCode::BlackListLimitExceeded));
    /// assert_eq!(ErrorCode::from(99999), ErrorCode::Other(99999));
    /// assert_eq!(ErrorCode::from(1737).verdict(), Verdict::Throttled { after: Some(Duration::from_secs(60)) });
    /// assert_eq!(ErrorCode::from(42001).verdict(), Verdict::RefreshAuth);
    /// assert!(ErrorCode::from(2021).is_already_done());
    /// assert_eq!(ErrorCode::from(1807).to_string(), "1807 (invalid publisher: the publisher (流量主) is not opened)");
    /// ```
    pub enum ErrorCode;
    classify = |code| verdict(code);
    {
    /// -202 (AMS): internal error; retried with backoff.
    InternalError = -202, "internal error";
    /// -1 (gateway): system busy; retried with backoff (a same-second retry tends to fail).
    SystemBusy = -1, "system busy";
    /// 0: success.
    Success = 0, "success";
    /// 1700 (AMS): parameter error.
    InvalidParameter = 1700, "parameter error";
    /// 1701 (AMS): parameter error.
    InvalidParameterAlt = 1701, "parameter error";
    /// 1735 (AMS): the merchant has not finished signing the agreement; a human must sign.
    AgreementNotSigned = 1735, "merchant has not finished signing the agreement";
    /// 1736 (AMS): `inner error thirdid is empty` (undocumented); reported cause: a token
    /// minted by a different third-party platform than the authorized one.
    ThirdIdEmpty = 1736, "inner error thirdid is empty";
    /// 1737 (AMS): operating too fast; retried after about 60 s.
    TooFast = 1737, "operating too fast";
    /// 1807 (AMS): invalid publisher: call `agency_create_publisher` first.
    InvalidPublisher = 1807, "invalid publisher: the publisher (流量主) is not opened";
    /// 2008 (AMS): the cover ad was toggled less than an hour after the previous toggle.
    CoverToggledTooRecently = 2008, "cover ad toggled less than 1 h after the previous toggle";
    /// 2009 (AMS): invalid publisher: call `agency_create_publisher` first.
    InvalidPublisherAlt = 2009, "invalid publisher: the publisher (流量主) is not opened";
    /// 2013 (AMS): the opening threshold (1000 unique visitors) is not met.
    ThresholdNotMet = 2013, "opening threshold not met (1000 unique visitors)";
    /// 2021 (AMS): the publisher is already opened; success for an idempotent "ensure open".
    PublisherAlreadyOpen = 2021, "publisher already opened";
    /// 2035 (AMS): the black-list limit for this type is exceeded; remove entries first.
    BlackListLimitExceeded = 2035, "black-list limit for this type exceeded";
    /// 2056 (AMS): the provider has no monetization-zone account.
    NoMonetizationAccount = 2056, "provider has no monetization-zone account";
    /// 2067 (AMS): the cover ad is already opened; success for an idempotent "ensure open".
    CoverAlreadyOpen = 2067, "cover ad already opened";
    /// 2068 (AMS): the publisher was opened recently; retry after an hour.
    PublisherOpenedRecently = 2068, "publisher opened recently";
    /// 40001 (gateway): invalid credential: the token is invalid or not the latest, or the
    /// AppSecret is wrong. The token is refreshed and the call retried once.
    InvalidCredential = 40001, "invalid credential (token invalid or not the latest, or wrong AppSecret)";
    /// 40014 (gateway): invalid access_token; refreshed and retried once.
    InvalidAccessToken = 40014, "invalid access_token";
    /// 40125 (gateway): invalid AppSecret: a configuration error.
    InvalidAppSecret = 40125, "invalid appsecret";
    /// 42001 (gateway): the access_token expired; refreshed and retried once.
    AccessTokenExpired = 42001, "access_token expired";
    /// 45009 (gateway): the daily quota is reached; no retry today.
    DailyQuotaReached = 45009, "daily quota reached";
    /// 45011 (gateway): the minute quota is reached; retried in the next minute.
    MinuteQuotaReached = 45011, "minute quota reached";
    /// 48001 (gateway): API unauthorized: the wrong token kind, or a missing permission.
    ApiUnauthorized = 48001, "API unauthorized (wrong token kind or missing permission)";
    /// 61003 (gateway): the component is not authorized by this account.
    ComponentNotAuthorized = 61003, "component not authorized by this account";
    /// 61004 (gateway): the client IP is not on the component's allow-list.
    IpNotWhitelisted = 61004, "client IP not whitelisted";
    /// 61005 (gateway): the component_verify_ticket expired.
    TicketExpired = 61005, "component_verify_ticket expired";
    /// 61006 (gateway): the component_verify_ticket is invalid.
    TicketInvalid = 61006, "component_verify_ticket invalid";
    /// 61007 (gateway): the API is not in the permission set granted to the component.
    ApiNotGranted = 61007, "API not in the permission set granted to the component";
    /// 61023 (gateway): the authorizer_refresh_token is invalid. Never retried.
    RefreshTokenInvalid = 61023, "authorizer_refresh_token invalid";
    }
}

impl ErrorCode {
    /// Whether the code says the access token (component or authorizer) was refused:
    /// 40001, 40014, 42001. The pipeline invalidates that token and retries once.
    pub fn is_token_error(self) -> bool {
        matches!(self.code(), 40001 | 40014 | 42001)
    }

    /// Whether the code says the `authorizer_refresh_token` is invalid (61023): re-fetch it
    /// with `api_get_authorizer_list`, or have the merchant authorize again.
    pub fn is_refresh_token_invalid(self) -> bool {
        self.code() == 61023
    }

    /// Whether the code says the `component_verify_ticket` expired or is invalid (61005,
    /// 61006): wait for the next push, or ask for one with `api_start_push_ticket`.
    pub fn is_ticket_error(self) -> bool {
        matches!(self.code(), 61005 | 61006)
    }

    /// Whether the code says the configuration is wrong (IP allow-list, AppSecret, token
    /// kind, permission set, a token of another platform): no later call with the same
    /// configuration can succeed. 61004, 40125, 48001, 61003, 61007, 1736.
    pub fn is_configuration_error(self) -> bool {
        CONFIGURATION.contains(&self.code())
    }

    /// Whether the code says the state asked for already holds (2021 publisher already
    /// opened, 2067 cover ad already opened): an idempotent "ensure open" treats it as success.
    pub fn is_already_done(self) -> bool {
        matches!(self.code(), 2021 | 2067)
    }

    /// Whether the code says the publisher (流量主) is not opened (1807, 2009): call
    /// `agency_create_publisher` first.
    pub fn is_publisher_missing(self) -> bool {
        matches!(self.code(), 1807 | 2009)
    }

    /// The [`ErrorKind`] of a whole-call failure with this code: `Auth` for token and
    /// credential codes (including the configuration errors, which are about credentials
    /// and permissions), `Throttled` for rate and quota codes, `Api` otherwise.
    ///
    /// ```
    /// use tx_core::ErrorKind;
    /// use wechat_ams::ErrorCode;
    /// assert_eq!(ErrorCode::from(42001).error_kind(), ErrorKind::Auth);
    /// assert_eq!(ErrorCode::from(45009).error_kind(), ErrorKind::Throttled);
    /// assert_eq!(ErrorCode::from(2035).error_kind(), ErrorKind::Api);
    /// ```
    pub fn error_kind(self) -> ErrorKind {
        match self.code() {
            40001 | 40014 | 42001 | 61023 | 61005 | 61006 => ErrorKind::Auth,
            c if CONFIGURATION.contains(&c) => ErrorKind::Auth,
            1737 | 45009 | 45011 | 2008 | 2068 => ErrorKind::Throttled,
            _ => ErrorKind::Api,
        }
    }

    /// What to do about a confusing code, when this crate knows better than the server's
    /// message.
    pub fn hint(self) -> Option<&'static str> {
        Some(match self.code() {
            40001 => {
                "the token is invalid or not the latest: if several instances refresh the same \
                 token independently, each refresh kills the previous token about 5 minutes \
                 later; share one token cache (or one central token service) between them"
            }
            1736 => {
                "the token was minted by a different third-party platform than the one the \
                 mini program authorized: use the authorizer token of this component"
            }
            61023 => {
                "the authorizer_refresh_token is invalid: re-fetch it via \
                 api_get_authorizer_list, or have the merchant re-authorize; do not retry"
            }
            61005 | 61006 => {
                "the component_verify_ticket is stale: use the latest pushed ticket, or call \
                 api_start_push_ticket and wait for the next push"
            }
            48001 => {
                "the API refused this token kind or permission: check whether the action takes the component or the authorizer token"
            }
            61004 => "add this machine's outgoing IP to the component's IP allow-list",
            1807 | 2009 => "open the publisher (流量主) first with agency_create_publisher",
            45009 => "the daily quota is used up; a quota-clear API exists, use it sparingly",
            _ => return None,
        })
    }

    /// The message of an error with this code: the server's, plus the [hint](Self::hint)
    /// where there is one.
    ///
    /// ```
    /// use wechat_ams::ErrorCode;
    /// let m = ErrorCode::from(61023).message("invalid refresh token");
    /// assert!(m.starts_with("invalid refresh token (") && m.contains("api_get_authorizer_list"));
    /// assert_eq!(ErrorCode::from(2035).message(""), "(no message)");
    /// ```
    pub fn message(self, server_message: &str) -> String {
        let server_message = if server_message.is_empty() { "(no message)" } else { server_message };
        match self.hint() {
            Some(hint) => format!("{server_message} ({hint})"),
            None => server_message.to_owned(),
        }
    }
}

/// Codes that no retry, and no other input, can fix.
const CONFIGURATION: &[i64] = &[61004, 40125, 48001, 61003, 61007, 1736];

/// A minute: the wait after 1737 (about 60 s) and 45011 (until the next minute; a full
/// minute is the shortest wait certain to reach it whatever the clocks' skew).
const MINUTE: Duration = Duration::from_secs(60);

/// An hour: the wait after 2008 and 2068.
const HOUR: Duration = Duration::from_secs(3600);

/// What a WeChat code means for the pipeline: the classification table of this crate.
///
/// | codes | verdict |
/// |---|---|
/// | -1, -202 | retry with backoff |
/// | 1737, 45011 | throttled: retry after 60 s |
/// | 2008, 2068 | throttled: retry after 1 h (longer than any call waits: surfaced with the wait) |
/// | 40001, 40014, 42001 | refresh the token and retry once |
/// | everything else (45009, 61023, configuration errors, …) | permanent |
fn verdict(code: i64) -> Verdict {
    match code {
        -1 | -202 => Verdict::Retry { after: None },
        1737 | 45011 => Verdict::Throttled { after: Some(MINUTE) },
        2008 | 2068 => Verdict::Throttled { after: Some(HOUR) },
        40001 | 40014 | 42001 => Verdict::RefreshAuth,
        _ => Verdict::Permanent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_sorted() {
        for k in KnownCode::ALL {
            assert_eq!(KnownCode::from_code(k.code()), Some(*k));
            assert_eq!(ErrorCode::from(k.code()), ErrorCode::Known(*k));
            assert!(!k.description().is_empty());
        }
        assert!(KnownCode::ALL.windows(2).all(|w| w[0].code() < w[1].code()));
        assert_eq!(KnownCode::ALL.len(), 30);
        assert_eq!(ErrorCode::from(12345), ErrorCode::Other(12345));
        assert_eq!(ErrorCode::from(12345).to_string(), "12345");
    }

    #[test]
    fn the_whole_classification_table() {
        let retry = Verdict::Retry { after: None };
        let throttled = |secs| Verdict::Throttled { after: Some(Duration::from_secs(secs)) };
        let expected: &[(i64, Verdict, ErrorKind)] = &[
            (-1, retry, ErrorKind::Api),
            (-202, retry, ErrorKind::Api),
            (0, Verdict::Permanent, ErrorKind::Api),
            (1700, Verdict::Permanent, ErrorKind::Api),
            (1701, Verdict::Permanent, ErrorKind::Api),
            (1735, Verdict::Permanent, ErrorKind::Api),
            (1736, Verdict::Permanent, ErrorKind::Auth),
            (1737, throttled(60), ErrorKind::Throttled),
            (1807, Verdict::Permanent, ErrorKind::Api),
            (2008, throttled(3600), ErrorKind::Throttled),
            (2009, Verdict::Permanent, ErrorKind::Api),
            (2013, Verdict::Permanent, ErrorKind::Api),
            (2021, Verdict::Permanent, ErrorKind::Api),
            (2035, Verdict::Permanent, ErrorKind::Api),
            (2056, Verdict::Permanent, ErrorKind::Api),
            (2067, Verdict::Permanent, ErrorKind::Api),
            (2068, throttled(3600), ErrorKind::Throttled),
            (40001, Verdict::RefreshAuth, ErrorKind::Auth),
            (40014, Verdict::RefreshAuth, ErrorKind::Auth),
            (40125, Verdict::Permanent, ErrorKind::Auth),
            (42001, Verdict::RefreshAuth, ErrorKind::Auth),
            (45009, Verdict::Permanent, ErrorKind::Throttled),
            (45011, throttled(60), ErrorKind::Throttled),
            (48001, Verdict::Permanent, ErrorKind::Auth),
            (61003, Verdict::Permanent, ErrorKind::Auth),
            (61004, Verdict::Permanent, ErrorKind::Auth),
            (61005, Verdict::Permanent, ErrorKind::Auth),
            (61006, Verdict::Permanent, ErrorKind::Auth),
            (61007, Verdict::Permanent, ErrorKind::Auth),
            (61023, Verdict::Permanent, ErrorKind::Auth),
        ];
        assert_eq!(expected.len(), KnownCode::ALL.len(), "every known code is in the table");
        for &(code, verdict, kind) in expected {
            let c = ErrorCode::from(code);
            assert!(c.known().is_some(), "{code} is known");
            assert_eq!(c.verdict(), verdict, "verdict of {code}");
            assert_eq!(c.error_kind(), kind, "kind of {code}");
        }
        for unknown in [1, 1702, 40002, 61024, 99999, -3] {
            assert_eq!(ErrorCode::from(unknown).verdict(), Verdict::Permanent, "{unknown}");
            assert_eq!(ErrorCode::from(unknown).error_kind(), ErrorKind::Api, "{unknown}");
        }
        assert!(ErrorCode::from(-1).is_retryable() && ErrorCode::from(45011).is_retryable());
        assert!(!ErrorCode::from(45009).is_retryable() && !ErrorCode::from(61023).is_retryable());
    }

    #[test]
    fn predicates() {
        let all = || KnownCode::ALL.iter().map(|k| ErrorCode::from(*k));
        let which = |p: fn(ErrorCode) -> bool| all().filter(|c| p(*c)).map(ErrorCode::code).collect::<Vec<_>>();
        assert_eq!(which(ErrorCode::is_token_error), [40001, 40014, 42001]);
        assert_eq!(which(ErrorCode::is_refresh_token_invalid), [61023]);
        assert_eq!(which(ErrorCode::is_ticket_error), [61005, 61006]);
        assert_eq!(which(ErrorCode::is_configuration_error), [1736, 40125, 48001, 61003, 61004, 61007]);
        assert_eq!(which(ErrorCode::is_already_done), [2021, 2067]);
        assert_eq!(which(ErrorCode::is_publisher_missing), [1807, 2009]);
    }

    #[test]
    fn hints_for_the_confusing_codes() {
        assert!(ErrorCode::from(1736).hint().unwrap().contains("different third-party platform"));
        assert!(ErrorCode::from(61023).hint().unwrap().contains("api_get_authorizer_list"));
        assert!(ErrorCode::from(61023).hint().unwrap().contains("re-authorize"));
        assert!(ErrorCode::from(40001).hint().unwrap().contains("several instances"));
        assert!(ErrorCode::from(1807).hint().unwrap().contains("agency_create_publisher"));
        assert_eq!(ErrorCode::from(2035).hint(), None);
        assert_eq!(ErrorCode::from(2035).message("over limit"), "over limit");
        let m = ErrorCode::from(1736).message("inner error thirdid is empty");
        assert!(m.starts_with("inner error thirdid is empty (the token was minted"), "{m}");
    }
}
