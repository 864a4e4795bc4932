//! Ads result codes as an open enum, and what each one means for retrying.
//!
//! The v3 documentation lists only part of its error table and the server adds codes, so
//! every code converts into [`ErrorCode`]: a [`KnownCode`] when this crate knows it,
//! [`ErrorCode::Other`] otherwise. Unlisted codes are permanent.
//!
//! | codes | verdict | kind |
//! |---|---|---|
//! | 11000 (token expired) | refresh the token, retry once | `Auth` |
//! | 11002, 11004, 11005, 11007, 11014 (bad token, scope) | permanent, [`ErrorCode::is_ban_risk`] | `Auth` |
//! | 11009–11013 (code or refresh token unusable) | permanent, [`ErrorCode::needs_reauthorization`] | `Auth` |
//! | 11030, 11101–11104 (token retirement, `user_token`) | permanent | `Auth` |
//! | 11008, 11016, 11017, 11019 (the app's frequency limits: a breach) | throttled, the endpoint held for [`ENDPOINT_LOCKOUT`] | `Throttled` |
//! | 30104, 64016, 66029 (module limits per minute) | throttled, after [`MINUTE_LIMIT_WAIT`] | `Throttled` |
//! | 11022, 50018, 60005, 68002, 72005 | throttled, backoff | `Throttled` |
//! | 11018, 66030 (daily quotas) | permanent for today, [`ErrorCode::is_daily_quota`] | `Throttled` |
//! | 10000, 12700, 51001, 60000, 62000, 66045, 72000–76000 (busy) | retry with backoff | `Api` |
//! | 12100, 12101 (nonce reused, timestamp expired) | sent once more at once with a fresh nonce and timestamp, [`ErrorCode::is_replay`] | `Auth` |
//! | parameter codes and everything else | permanent | `Api` |

use std::time::Duration;
use tx_core::{ErrorKind, Verdict};

/// How long an endpoint stays refused after the app breached its quota on it: the service
/// "recovers automatically after 5 minutes".
pub const ENDPOINT_LOCKOUT: Duration = Duration::from_secs(300);

/// The wait before retrying a module limit counted per minute ("retry after one minute").
pub const MINUTE_LIMIT_WAIT: Duration = Duration::from_secs(60);

tx_core::open_code_enum! {
    /// An Ads code this crate knows. Unknown codes are [`ErrorCode::Other`].
    ///
    /// ```
    /// use tencent_ads::KnownCode;
    /// assert_eq!(KnownCode::from_code(11000), Some(KnownCode::AccessTokenExpired));
    /// assert_eq!(KnownCode::NonceUsed.code(), 12100);
    /// assert_eq!(KnownCode::PerDayLimit.description(), "application reached its request limit per day");
    /// ```
    pub enum KnownCode;
    /// An Ads `code`: known, or any other number.
    ///
    /// ```
    /// use tencent_ads::{ErrorCode, KnownCode};
    /// use tx_core::Verdict;
    /// assert_eq!(ErrorCode::from(11000), ErrorCode::Known(KnownCode::AccessTokenExpired));
    /// assert_eq!(ErrorCode::from(11000).verdict(), Verdict::RefreshAuth);
    /// assert!(ErrorCode::from(11002).is_ban_risk());
    /// assert!(ErrorCode::from(12100).is_replay());
    /// assert_eq!(ErrorCode::from(12101).verdict(), Verdict::ResendOnce);
    /// assert!(ErrorCode::from(60000).is_retryable());
    /// assert_eq!(ErrorCode::from(99999), ErrorCode::Other(99999));
    /// assert_eq!(ErrorCode::from(99999).verdict(), Verdict::Permanent);
    /// ```
    pub enum ErrorCode;
    classify = |code| verdict(code);
    {
    /// 0: success.
    Success = 0, "success";
    /// 10000: legacy "unable to process, please retry"; retried.
    SystemBusyLegacy = 10000, "system busy, please retry (legacy)";
    /// 11000: the access token expired; it is refreshed and the call retried once.
    AccessTokenExpired = 11000, "access token expired";
    /// 11002: the access token is invalid. Never retried: repeated bad-token calls can get
    /// the IP banned.
    AccessTokenInvalid = 11002, "access token invalid";
    /// 11004: the access token is malformed. Never retried (IP ban risk).
    AccessTokenMalformed = 11004, "access token malformed";
    /// 11005: the access token is empty. Never retried (IP ban risk).
    AccessTokenEmpty = 11005, "access token empty";
    /// 11007: the client_id is invalid. Never retried (IP ban risk).
    ClientIdInvalid = 11007, "client_id invalid";
    /// 11008: the application's request limit was exceeded.
    AppRequestLimit = 11008, "application request limit exceeded";
    /// 11009: the authorization code expired; run the authorization again.
    AuthorizationCodeExpired = 11009, "authorization code expired";
    /// 11010: the refresh token is malformed; run the authorization again.
    RefreshTokenMalformed = 11010, "refresh token malformed";
    /// 11011: the authorization code is malformed; run the authorization again.
    AuthorizationCodeMalformed = 11011, "authorization code malformed";
    /// 11012: the refresh token expired (30 days); run the authorization again.
    RefreshTokenExpired = 11012, "refresh token expired";
    /// 11013: the authorization code was already used; run the authorization again.
    AuthorizationCodeUsed = 11013, "authorization code already used";
    /// 11014: the API is outside the authorized scope. Never retried (IP ban risk).
    OutOfScope = 11014, "API outside the authorized scope";
    /// 11016: the application reached its request limit per second.
    PerSecondLimit = 11016, "application reached its request limit per second";
    /// 11017: the application reached its request limit per minute on the endpoint.
    PerMinuteLimit = 11017, "application reached its request limit per minute";
    /// 11018: the application reached its request limit per day.
    PerDayLimit = 11018, "application reached its request limit per day";
    /// 11019: requests too frequent, or the entity/developer limit was reached.
    EntityLimit = 11019, "requests too frequent or entity/developer limit reached";
    /// 11022: the user_token was used too often.
    UserTokenLimit = 11022, "user_token request limit reached";
    /// 11030: permanently valid tokens are being retired.
    PermanentTokenRetired = 11030, "permanently valid tokens are being retired";
    /// 11101: the user_token is missing.
    UserTokenMissing = 11101, "user_token missing";
    /// 11102: the user_token is invalid or expired.
    UserTokenInvalid = 11102, "user_token invalid or expired";
    /// 11103: the user has not completed real-name verification.
    UserNotVerified = 11103, "user not verified";
    /// 11104: the organization has not completed verification.
    OrganizationNotVerified = 11104, "organization not verified";
    /// 12000: a global parameter (access_token, timestamp, nonce) is missing.
    GlobalParameterMissing = 12000, "global parameter missing";
    /// 12003: the request body is not valid JSON.
    BadJson = 12003, "request JSON malformed";
    /// 12007: unknown API, URL or method.
    UnknownApi = 12007, "unknown API, URL or method";
    /// 12008: `fields` has a wrong shape.
    FieldsMalformed = 12008, "fields malformed";
    /// 12009: `fields` names an unknown field.
    FieldUnknown = 12009, "fields names an unknown field";
    /// 12010: the API does not support idempotence.
    IdempotenceUnsupported = 12010, "API does not support idempotence";
    /// 12011: too many sub-requests.
    TooManySubRequests = 12011, "too many sub-requests";
    /// 12100: the nonce was already used; sent again once with a fresh nonce.
    NonceUsed = 12100, "nonce already used";
    /// 12101: the timestamp is outside the accepted ±300 s; check the clock.
    TimestampExpired = 12101, "timestamp expired";
    /// 12201: the account_id is invalid.
    InvalidAccountId = 12201, "account_id invalid";
    /// 12203: no permission on the account.
    NoAccountPermission = 12203, "no permission on the account";
    /// 12204: the organization_id is invalid.
    InvalidOrganizationId = 12204, "organization_id invalid";
    /// 12700: the resource is being modified concurrently; retried.
    ConcurrentModification = 12700, "resource being modified concurrently";
    /// 18015: super clients may not call v3.0.
    SuperClientForbidden = 18015, "super clients may not call v3.0";
    /// 30104: a module frequency limit; retried after a minute.
    ModuleLimit30104 = 30104, "module frequency limit, retry after one minute";
    /// 32211: the advertiser is inactive.
    AdvertiserInactive = 32211, "advertiser inactive";
    /// 50018: a module frequency limit.
    ModuleLimit50018 = 50018, "module frequency limit";
    /// 51001: the report service is busy; retried.
    ReportBusy51001 = 51001, "report service busy, please retry";
    /// 60000: the module cannot process the request now; retried.
    ModuleBusy60000 = 60000, "unable to process, please retry";
    /// 60005: a module frequency limit.
    ModuleLimit60005 = 60005, "module frequency limit";
    /// 62000: the report service is busy; retried.
    ReportBusy62000 = 62000, "report service busy, please retry";
    /// 64015: the advertiser is inactive (material service).
    MaterialAdvertiserInactive = 64015, "advertiser inactive";
    /// 64016: the material service's frequency limit; retried after a minute.
    MaterialLimit = 64016, "material frequency limit, retry after one minute";
    /// 64017: the material service failed.
    MaterialServiceError = 64017, "material service error";
    /// 64018: the material is missing or deleted.
    MaterialMissing = 64018, "material missing or deleted";
    /// 66029: a module frequency limit per minute; retried after a minute.
    ModuleMinuteLimit = 66029, "module frequency limit per minute";
    /// 66030: a module frequency limit per day.
    ModuleDayLimit = 66030, "module frequency limit per day";
    /// 66045: the system is busy; retried.
    SystemBusy = 66045, "system busy";
    /// 68002: a module frequency limit.
    ModuleLimit68002 = 68002, "module frequency limit";
    /// 72000: the module cannot process the request now; retried.
    ModuleBusy72000 = 72000, "unable to process, please retry";
    /// 72005: a module frequency limit.
    ModuleLimit72005 = 72005, "module frequency limit";
    /// 73000: the module cannot process the request now; retried.
    ModuleBusy73000 = 73000, "unable to process, please retry";
    /// 74000: the module cannot process the request now; retried.
    ModuleBusy74000 = 74000, "unable to process, please retry";
    /// 75000: the module cannot process the request now; retried.
    ModuleBusy75000 = 75000, "unable to process, please retry";
    /// 76000: the module cannot process the request now; retried.
    ModuleBusy76000 = 76000, "unable to process, please retry";
    }
}

/// Bad token, client id or scope: another call with the same credentials is refused too, and
/// repeated refusals can get the caller's IP banned.
const BAN_RISK: &[i64] = &[11002, 11004, 11005, 11007, 11014];

/// The authorization code or refresh token is unusable: only a new authorization helps.
const REAUTHORIZE: &[i64] = &[11009, 11010, 11011, 11012, 11013];

/// Other credential codes: token retirement and the real-name `user_token`.
const OTHER_AUTH: &[i64] = &[11030, 11101, 11102, 11103, 11104];

/// The app's frequency limits (per app, per second, per minute, per entity or developer):
/// a breach, after which the endpoint recovers in 5 minutes.
const BREACH: &[i64] = &[11008, 11016, 11017, 11019];

/// Limits counted per minute ("retry after one minute").
const MINUTE: &[i64] = &[30104, 64016, 66029];

/// Limits of unknown or short windows: backoff decides the wait.
const BACKOFF: &[i64] = &[11022, 50018, 60005, 68002, 72005];

/// Daily quotas: nothing helps before the next day.
const DAILY: &[i64] = &[11018, 66030];

/// "Unable to process, please retry" and other transient answers.
const BUSY: &[i64] = &[10000, 12700, 51001, 60000, 62000, 66045, 72000, 73000, 74000, 75000, 76000];

/// The request was refused as a replay: its nonce was used or its timestamp is too old.
const REPLAY: &[i64] = &[12100, 12101];

/// Parameter and request codes: the request itself is wrong.
const PARAMETER: &[i64] =
    &[12000, 12003, 12007, 12008, 12009, 12010, 12011, 12201, 12203, 12204, 32211, 64015, 64017, 64018];

impl ErrorCode {
    /// Whether the token, client id or scope was refused (11002, 11004, 11005, 11007, 11014).
    /// Such calls are never retried: repeated bad-token calls can get the IP banned.
    pub fn is_ban_risk(self) -> bool {
        BAN_RISK.contains(&self.code())
    }

    /// Whether only a new authorization helps: the authorization code expired, was malformed
    /// or already used, or the refresh token is malformed or expired (11009–11013).
    pub fn needs_reauthorization(self) -> bool {
        REAUTHORIZE.contains(&self.code())
    }

    /// Whether the request was refused as a replay (12100 nonce used, 12101 timestamp
    /// expired). The server refused it before processing it, so the client sends it once
    /// more at once with a fresh nonce and timestamp, even a call that is not idempotent; a
    /// 12101 that reaches the caller therefore came back for a fresh timestamp too: the
    /// local clock is off by more than 300 s ([`ErrorCode::is_clock_skew`]).
    pub fn is_replay(self) -> bool {
        REPLAY.contains(&self.code())
    }

    /// Whether the code is 12101, the timestamp refusal. The client resends a refused
    /// timestamp once with a fresh one, so when 12101 reaches the caller the local clock
    /// is more than 300 s away from the server's; the error's message says so.
    pub fn is_clock_skew(self) -> bool {
        self.code() == 12101
    }

    /// Whether the app breached a frequency limit (11008 app, 11016 per second, 11017 per
    /// minute, 11019 entity or developer): stop calling that endpoint for
    /// [`ENDPOINT_LOCKOUT`]. The client does so by itself: the endpoint is held and calls
    /// to it fail at once, without a request, until the lockout ends.
    pub fn is_rate_limit_breach(self) -> bool {
        BREACH.contains(&self.code())
    }

    /// Whether the code is a daily quota (11018, 66030): the quota recovers the next day.
    pub fn is_daily_quota(self) -> bool {
        DAILY.contains(&self.code())
    }

    /// Whether the code is any frequency limit, global or module, minute or day.
    pub fn is_rate_limited(self) -> bool {
        let c = self.code();
        BREACH.contains(&c) || MINUTE.contains(&c) || BACKOFF.contains(&c) || DAILY.contains(&c)
    }

    /// Whether the request itself is wrong (missing or malformed parameters, unknown API,
    /// bad account or organization, the 18001–18015 validation codes, inactive advertiser,
    /// missing material).
    pub fn is_parameter_error(self) -> bool {
        let c = self.code();
        PARAMETER.contains(&c) || (18001..=18015).contains(&c)
    }

    /// The [`ErrorKind`] of a whole-call failure with this code.
    pub fn kind(self) -> ErrorKind {
        kind(self.code())
    }

    /// The verdict, also reading the message: an unlisted code whose message asks to try
    /// again later ("请稍后重试", "retry later", "system busy", …) is retried like a busy
    /// answer. Known codes keep their table verdict.
    ///
    /// ```
    /// use tencent_ads::ErrorCode;
    /// use tx_core::Verdict;
    /// let busy = ErrorCode::from(39999).verdict_with_message("系统繁忙，请稍后重试");
    /// assert_eq!(busy, Verdict::Retry { after: None });
    /// let wrong = ErrorCode::from(39999).verdict_with_message("参数错误，请检查后重试");
    /// assert_eq!(wrong, Verdict::Permanent);
    /// ```
    pub fn verdict_with_message(self, message: &str) -> Verdict {
        match self {
            ErrorCode::Other(_) if asks_to_retry_later(message) => Verdict::Retry { after: None },
            _ => self.verdict(),
        }
    }
}

/// Phrases of "try again later" in messages (not "check and retry", which parameter
/// errors say).
const RETRY_LATER: &[&str] =
    &["稍后重试", "稍后再试", "系统繁忙", "retry later", "try again later", "retry your request", "system busy"];

fn asks_to_retry_later(message: &str) -> bool {
    let lower = message.to_lowercase();
    RETRY_LATER.iter().any(|p| lower.contains(p))
}

/// What an Ads code means for the pipeline: the classification table of this crate.
pub(crate) fn verdict(code: i64) -> Verdict {
    if code == 11000 {
        Verdict::RefreshAuth
    } else if BUSY.contains(&code) {
        Verdict::Retry { after: None }
    } else if REPLAY.contains(&code) {
        Verdict::ResendOnce
    } else if BREACH.contains(&code) {
        Verdict::Throttled { after: Some(ENDPOINT_LOCKOUT) }
    } else if MINUTE.contains(&code) {
        Verdict::Throttled { after: Some(MINUTE_LIMIT_WAIT) }
    } else if BACKOFF.contains(&code) {
        Verdict::Throttled { after: None }
    } else {
        // Daily quotas, credentials, parameters and unlisted codes.
        Verdict::Permanent
    }
}

/// The [`ErrorKind`] of a whole-call failure with `code`.
pub(crate) fn kind(code: i64) -> ErrorKind {
    if code == 11000
        || BAN_RISK.contains(&code)
        || REAUTHORIZE.contains(&code)
        || OTHER_AUTH.contains(&code)
        || REPLAY.contains(&code)
    {
        ErrorKind::Auth
    } else if ErrorCode::from(code).is_rate_limited() {
        ErrorKind::Throttled
    } else {
        ErrorKind::Api
    }
}

/// The message of an error with `code`: the server's, plus what to do where the code is
/// one a caller must act on. `now` is this machine's clock (unix seconds), shown with a
/// refused timestamp.
pub(crate) fn message(code: ErrorCode, server: &str, now: u64) -> String {
    let server = if server.is_empty() { "(no message)" } else { server };
    if code.is_clock_skew() {
        format!(
            "{server} (clock skew: the server refused the request's timestamp as more than 300 s away \
             from its own clock, and refused the fresh timestamp of the resend too; this machine's \
             clock reads {now} unix seconds: synchronize it, e.g. with NTP)"
        )
    } else if code.code() == 12100 {
        format!("{server} (the nonce was refused twice although each attempt sends a new random one)")
    } else if code.is_ban_risk() {
        format!(
            "{server} (not retried: repeated calls with a refused token, client id or scope can get \
             the caller's IP banned; fix the credentials first)"
        )
    } else if code.needs_reauthorization() {
        format!("{server} (the account must authorize the app again)")
    } else if code.is_rate_limit_breach() {
        format!(
            "{server} (the app's frequency limit was breached: calls to this endpoint stop for {} s, \
             after which it recovers)",
            ENDPOINT_LOCKOUT.as_secs()
        )
    } else {
        server.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RETRY: Verdict = Verdict::Retry { after: None };
    const BACKOFF_THROTTLE: Verdict = Verdict::Throttled { after: None };

    fn code(c: i64) -> ErrorCode {
        ErrorCode::from(c)
    }

    #[test]
    fn codes_round_trip_and_are_sorted() {
        for k in KnownCode::ALL {
            assert_eq!(KnownCode::from_code(k.code()), Some(*k));
            assert_eq!(ErrorCode::from(k.code()), ErrorCode::Known(*k));
            assert!(!k.description().is_empty());
        }
        assert!(KnownCode::ALL.windows(2).all(|w| w[0].code() < w[1].code()));
        assert_eq!(KnownCode::ALL.len(), 59);
        assert_eq!(code(64016).to_string(), "64016 (material frequency limit, retry after one minute)");
    }

    #[test]
    fn every_known_code_is_in_exactly_one_class() {
        let classes: [&[i64]; 10] =
            [&[11000], BAN_RISK, REAUTHORIZE, OTHER_AUTH, BREACH, MINUTE, BACKOFF, DAILY, BUSY, REPLAY];
        for k in KnownCode::ALL {
            let c = k.code();
            let n =
                classes.iter().filter(|class| class.contains(&c)).count() + usize::from(code(c).is_parameter_error());
            let expected = usize::from(c != 0);
            assert_eq!(n, expected, "{k}");
        }
    }

    #[test]
    fn token_codes() {
        assert_eq!(verdict(11000), Verdict::RefreshAuth);
        assert_eq!(kind(11000), ErrorKind::Auth);
        assert!(!code(11000).is_ban_risk() && !code(11000).needs_reauthorization());
        for c in [11002, 11004, 11005, 11007, 11014] {
            assert_eq!(verdict(c), Verdict::Permanent, "{c}");
            assert_eq!(kind(c), ErrorKind::Auth, "{c}");
            assert!(code(c).is_ban_risk(), "{c}");
            assert!(!code(c).needs_reauthorization() && !code(c).is_retryable(), "{c}");
        }
        for c in [11009, 11010, 11011, 11012, 11013] {
            assert_eq!(verdict(c), Verdict::Permanent, "{c}");
            assert_eq!(kind(c), ErrorKind::Auth, "{c}");
            assert!(code(c).needs_reauthorization(), "{c}");
            assert!(!code(c).is_ban_risk(), "{c}");
        }
        for c in [11030, 11101, 11102, 11103, 11104] {
            assert_eq!(verdict(c), Verdict::Permanent, "{c}");
            assert_eq!(kind(c), ErrorKind::Auth, "{c}");
            assert!(!code(c).is_ban_risk() && !code(c).needs_reauthorization(), "{c}");
        }
    }

    #[test]
    fn rate_limit_codes() {
        for c in [11008, 11016, 11017, 11019] {
            assert_eq!(verdict(c), Verdict::Throttled { after: Some(ENDPOINT_LOCKOUT) }, "{c}");
            assert!(code(c).is_rate_limit_breach(), "{c}");
        }
        for c in [30104, 64016, 66029] {
            assert_eq!(verdict(c), Verdict::Throttled { after: Some(MINUTE_LIMIT_WAIT) }, "{c}");
            assert!(!code(c).is_rate_limit_breach(), "{c}");
        }
        for c in [11022, 50018, 60005, 68002, 72005] {
            assert_eq!(verdict(c), BACKOFF_THROTTLE, "{c}");
            assert!(!code(c).is_rate_limit_breach(), "{c}");
        }
        for c in [11018, 66030] {
            assert_eq!(verdict(c), Verdict::Permanent, "{c}");
            assert!(code(c).is_daily_quota(), "{c}");
        }
        for c in [11008, 11016, 11017, 11018, 11019, 11022, 30104, 50018, 60005, 64016, 66029, 66030, 68002, 72005] {
            assert_eq!(kind(c), ErrorKind::Throttled, "{c}");
            assert!(code(c).is_rate_limited(), "{c}");
        }
        for c in [11000, 60000, 12100, 99999] {
            assert!(!code(c).is_rate_limited() && !code(c).is_daily_quota() && !code(c).is_rate_limit_breach());
        }
    }

    #[test]
    fn busy_codes_are_retried() {
        for c in [60000, 72000, 73000, 74000, 75000, 76000, 51001, 62000, 66045, 12700, 10000] {
            assert_eq!(verdict(c), RETRY, "{c}");
            assert_eq!(kind(c), ErrorKind::Api, "{c}");
            assert!(code(c).is_retryable(), "{c}");
        }
    }

    #[test]
    fn replays_are_their_own_class() {
        for c in [12100, 12101] {
            assert!(code(c).is_replay(), "{c}");
            assert_eq!(verdict(c), Verdict::ResendOnce, "{c}");
            assert_eq!(kind(c), ErrorKind::Auth, "{c}");
        }
        assert!(!code(11000).is_replay() && !code(12000).is_replay());
    }

    #[test]
    fn parameter_and_unlisted_codes_are_permanent() {
        let parameter = [
            12000, 12003, 12007, 12008, 12009, 12010, 12011, 12201, 12203, 12204, 18001, 18007, 18014, 18015, 32211,
            64015, 64017, 64018,
        ];
        for c in parameter {
            assert_eq!(verdict(c), Verdict::Permanent, "{c}");
            assert_eq!(kind(c), ErrorKind::Api, "{c}");
            assert!(code(c).is_parameter_error(), "{c}");
        }
        for c in [1, 11001, 11015, 11020, 12001, 18000, 18016, 31033, 99999, -1] {
            assert_eq!(verdict(c), Verdict::Permanent, "{c}");
            assert_eq!(kind(c), ErrorKind::Api, "{c}");
            assert!(!code(c).is_parameter_error(), "{c}");
        }
    }

    #[test]
    fn messages_say_what_to_do() {
        assert!(message(code(12101), "Timestamp is expired.", 42).contains("clock reads 42"));
        assert!(message(code(11004), "bad", 0).contains("IP banned"));
        assert!(message(code(11013), "used", 0).contains("authorize the app again"));
        assert!(message(code(11017), "limit", 0).contains("300 s"));
        assert_eq!(message(code(18001), "bad param", 0), "bad param");
        assert_eq!(message(code(18001), "", 0), "(no message)");
    }

    #[test]
    fn messages_upgrade_only_unlisted_codes() {
        let later = [
            "系统繁忙，请稍后重试",
            "请稍后再试",
            "Please RETRY LATER",
            "We are unable to process your request at this time. Please retry your request.",
        ];
        for m in later {
            assert_eq!(code(39999).verdict_with_message(m), RETRY, "{m}");
        }
        for m in ["参数错误，请检查后重试", "please check the parameter and retry", ""] {
            assert_eq!(code(39999).verdict_with_message(m), Verdict::Permanent, "{m}");
        }
        // Listed codes keep their class whatever the message says.
        assert_eq!(code(12003).verdict_with_message("请稍后重试"), Verdict::Permanent);
        assert_eq!(code(11002).verdict_with_message("please retry later"), Verdict::Permanent);
        assert_eq!(code(11000).verdict_with_message("x"), Verdict::RefreshAuth);
    }
}
