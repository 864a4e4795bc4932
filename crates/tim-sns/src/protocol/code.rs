//! TIM error codes as an open enum, and what each means for retrying.
//!
//! The documentation is inconsistent about codes and the server adds new ones (a live
//! already-exists answer with 31307 has been reported), so every code converts into
//! [`ErrorCode`]: a [`KnownCode`] when this crate knows it, [`ErrorCode::Other`] otherwise.

use std::time::Duration;
use tx_core::{ErrorKind, Verdict};

tx_core::open_code_enum! {
    /// A TIM code this crate knows: relationship-chain codes (30001–30540) and common
    /// codes (60002–70107). Unknown codes are [`ErrorCode::Other`].
    ///
    /// ```
    /// use tim_sns::KnownCode;
    /// assert_eq!(KnownCode::from_code(30013), Some(KnownCode::BlocklistFull));
    /// assert_eq!(KnownCode::UserSigExpired.code(), 70001);
    /// assert_eq!(KnownCode::KeyNotFound.description(), "key does not exist");
    /// ```
    pub enum KnownCode;
    /// A TIM `ErrorCode` or `ResultCode`: known, or any other number.
    ///
    /// ```
    /// use tim_sns::{ErrorCode, KnownCode};
    /// assert_eq!(ErrorCode::from(30013), ErrorCode::Known(KnownCode::BlocklistFull));
    /// assert_eq!(ErrorCode::from(31307), ErrorCode::Other(31307));
    /// assert!(ErrorCode::from(30006).is_retryable());
    /// assert!(!ErrorCode::from(30001).is_retryable());
    /// assert_eq!(ErrorCode::from(30013).to_string(), "30013 (blocklist is full)");
    /// ```
    pub enum ErrorCode;
    classify = |code| verdict(code);
    {
    /// 0: success.
    Success = 0, "success";
    /// 30001: bad request parameter (also "already exists" / "not found" per item).
    InvalidParameter = 30001, "bad request parameter";
    /// 30002: SDKAppID mismatch.
    SdkAppIdMismatch = 30002, "SDKAppID mismatch";
    /// 30003: the requested account does not exist.
    AccountNotFound = 30003, "requested account does not exist";
    /// 30004: the call needs App admin permission.
    AdminRequired = 30004, "needs App admin permission";
    /// 30005: a relationship-chain field contains sensitive words.
    SensitiveWords = 30005, "relationship-chain field contains sensitive words";
    /// 30006: internal server error; retried.
    InternalError = 30006, "internal server error";
    /// 30007: timeout; retried later.
    Timeout = 30007, "timeout";
    /// 30008: write conflict from concurrent writes; retried with jitter.
    WriteConflict = 30008, "write conflict from concurrent writes";
    /// 30009: the account is barred from adding friends.
    AddFriendForbidden = 30009, "account is barred from adding friends";
    /// 30010: the caller's friend list is full.
    FriendListFull = 30010, "own friend list is full";
    /// 30011: too many friend groups.
    TooManyGroups = 30011, "too many friend groups";
    /// 30012: too many pending friend requests.
    TooManyPendingRequests = 30012, "too many pending friend requests";
    /// 30013: the blocklist is full.
    BlocklistFull = 30013, "blocklist is full";
    /// 30014: the target has too many friends.
    PeerFriendListFull = 30014, "target has too many friends";
    /// 30515: the target is on the caller's blocklist.
    InOwnBlocklist = 30515, "target is on the caller's blocklist";
    /// 30516: the target does not accept friend requests.
    PeerRefusesRequests = 30516, "target does not accept friend requests";
    /// 30525: the caller is on the target's blocklist.
    InPeerBlocklist = 30525, "caller is on the target's blocklist";
    /// 30539: the target must confirm; the request is pending (not a failure).
    PendingConfirmation = 30539, "target requires confirmation; request is pending";
    /// 30540: too many requests in a short time (security filter).
    SecurityFilter = 30540, "too many requests in a short time (security filter)";
    /// 60002: HTTP parse error or bad URL.
    HttpParseError = 60002, "HTTP parse error or bad URL";
    /// 60003: request JSON parse error.
    JsonParseError = 60003, "request JSON parse error";
    /// 60004: account error in the URL or JSON.
    AccountError = 60004, "account error in URL/JSON";
    /// 60005: signature error in the URL or JSON.
    SignatureError = 60005, "signature error in URL/JSON";
    /// 60006: invalid SDKAppID.
    InvalidSdkAppId = 60006, "invalid SDKAppID";
    /// 60007: REST call frequency over the limit.
    RestFrequencyLimit = 60007, "REST call frequency over limit";
    /// 60008: service timeout or bad HTTP format.
    ServiceTimeout = 60008, "service timeout or bad HTTP format";
    /// 60009: bad resource or URL.
    BadResource = 60009, "bad resource or URL";
    /// 60010: needs App admin permission.
    AdminPermissionRequired = 60010, "needs App admin permission";
    /// 60011: SDKAppID call frequency over the limit.
    AppFrequencyLimit = 60011, "SDKAppID call frequency over limit";
    /// 60012: the REST call lacks the SDKAppID.
    MissingSdkAppId = 60012, "REST call lacks SDKAppID";
    /// 60013: response JSON parse error.
    ResponseJsonParseError = 60013, "response JSON parse error";
    /// 60014: account swap timeout.
    AccountSwapTimeout = 60014, "account swap timeout";
    /// 60015: wrong account type (must be a string).
    WrongAccountType = 60015, "wrong account type (must be a string)";
    /// 60016: the SDKAppID is disabled.
    SdkAppIdDisabled = 60016, "SDKAppID disabled";
    /// 60017: the request is disabled.
    RequestDisabled = 60017, "request disabled";
    /// 60018: requests too frequent.
    TooFrequent = 60018, "requests too frequent";
    /// 60019: requests too frequent; retry later.
    TooFrequentRetryLater = 60019, "requests too frequent; retry later";
    /// 60020: the Pro package expired.
    ProPackageExpired = 60020, "Pro package expired";
    /// 60021: the caller's IP is not allowed.
    IpNotAllowed = 60021, "caller IP not allowed";
    /// 70001: the UserSig expired; a new one is minted and the call retried once.
    UserSigExpired = 70001, "UserSig expired";
    /// 70003: the UserSig could not be parsed; a new one is minted and the call retried once.
    UserSigParseFailed = 70003, "UserSig parse failed";
    /// 70009: UserSig verification failed (wrong key, SDKAppID, v1 signature or region).
    UserSigVerificationFailed = 70009, "UserSig verification failed";
    /// 70013: the request `identifier` differs from the UserSig's.
    IdentifierMismatch = 70013, "request identifier differs from the UserSig identifier";
    /// 70014: the request SDKAppID differs from the UserSig's.
    SdkAppIdSigMismatch = 70014, "request SDKAppID differs from the UserSig SDKAppID";
    /// 70016: the key does not exist (check the region).
    KeyNotFound = 70016, "key does not exist";
    /// 70020: the SDKAppID does not exist (check the region).
    SdkAppIdNotFound = 70020, "SDKAppID does not exist";
    /// 70050: UserSig verification failed and a frequency limit was hit; retry after 1 min.
    SigFailureFrequencyLimit = 70050, "UserSig verification failed and frequency limit hit";
    /// 70051: the account itself is blocked.
    AccountBlocked = 70051, "account is blocked";
    /// 70107: the user account was not imported.
    AccountNotImported = 70107, "user account not imported";
    }
}

impl ErrorCode {
    /// Whether the code says the configuration is wrong (key, SDKAppID, region, admin,
    /// IP allow-list): no later call with the same configuration can succeed.
    pub fn is_configuration_error(self) -> bool {
        CONFIGURATION.contains(&self.code())
    }

    /// Whether an item answered with this code by a repeat of a relationship write
    /// (blocklist or friend add/delete) is already in the state the write sets: 30001
    /// answers "already there" (add) and "not there" (delete), but also "that is
    /// yourself", which no earlier attempt could have caused.
    pub(crate) fn settles_relation_write(self, from: &str, to: &str) -> bool {
        self == ErrorCode::from(KnownCode::InvalidParameter) && from != to
    }
}

/// Codes that no retry, and no other input, can fix.
const CONFIGURATION: &[i64] = &[30002, 30004, 60006, 60010, 60016, 60020, 60021, 70009, 70013, 70014, 70016, 70020];

/// Codes whose message gets a pointer at region and key mismatches.
const REGION_OR_KEY: &[i64] = &[70009, 70013, 70014, 70016, 70020];

/// What a TIM code means for the pipeline: the classification table of this crate.
///
/// | codes | verdict |
/// |---|---|
/// | 30006, 30007, 60008, 60014 | retry with backoff |
/// | 30008 | retry with (fully jittered) backoff |
/// | 60007, 60011, 60018, 60019 | throttled: retry with backoff |
/// | 70001, 70003 | mint a new UserSig and retry once |
/// | 70050 | throttled: retry after 60 s |
/// | everything else | permanent |
pub(crate) fn verdict(code: i64) -> Verdict {
    match code {
        30006 | 30007 | 30008 | 60008 | 60014 => Verdict::Retry { after: None },
        60007 | 60011 | 60018 | 60019 => Verdict::Throttled { after: None },
        70001 | 70003 => Verdict::RefreshAuth,
        70050 => Verdict::Throttled { after: Some(Duration::from_secs(60)) },
        _ => Verdict::Permanent,
    }
}

/// The [`ErrorKind`] of a whole-call failure with `code`.
pub(crate) fn kind(code: i64) -> ErrorKind {
    match code {
        60007 | 60011 | 60018 | 60019 | 70050 => ErrorKind::Throttled,
        60004 | 60005 | 70001..=70020 => ErrorKind::Auth,
        _ => ErrorKind::Api,
    }
}

/// The message of an error with `code`: the server's, plus a hint where the code is
/// usually a configuration mistake.
pub(crate) fn message(code: i64, info: &str) -> String {
    let info = if info.is_empty() { "(no message)" } else { info };
    if REGION_OR_KEY.contains(&code) {
        format!(
            "{info} (check that the client's region matches the SDKAppID's, that the secret key \
             is this SDKAppID's current key, and that the admin identifier is right: a wrong \
             region answers 70016/70020 and sometimes 70009)"
        )
    } else {
        info.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_sorted() {
        for k in KnownCode::ALL {
            assert_eq!(KnownCode::from_code(k.code()), Some(*k));
            assert_eq!(ErrorCode::from(k.code()).code(), k.code());
        }
        assert!(KnownCode::ALL.windows(2).all(|w| w[0].code() < w[1].code()));
        assert_eq!(KnownCode::ALL.len(), 50);
    }

    #[test]
    fn classification_table() {
        let retry = Verdict::Retry { after: None };
        let throttled = Verdict::Throttled { after: None };
        for c in [30006, 30007, 30008, 60008, 60014] {
            assert_eq!(verdict(c), retry, "{c}");
        }
        for c in [60007, 60011, 60018, 60019] {
            assert_eq!(verdict(c), throttled, "{c}");
            assert_eq!(kind(c), ErrorKind::Throttled);
        }
        assert_eq!(verdict(70001), Verdict::RefreshAuth);
        assert_eq!(verdict(70003), Verdict::RefreshAuth);
        assert_eq!(verdict(70050), Verdict::Throttled { after: Some(Duration::from_secs(60)) });
        for c in [30001, 30003, 30013, 30539, 30540, 60003, 60013, 70009, 70016, 70020, 31307, 70052, 90009] {
            assert_eq!(verdict(c), Verdict::Permanent, "{c}");
        }
        for c in [70001, 70003, 70009, 70013, 70014, 70016, 70020] {
            assert_eq!(kind(c), ErrorKind::Auth, "{c}");
        }
        assert_eq!(kind(30001), ErrorKind::Api);
        assert_eq!(kind(70107), ErrorKind::Api);
    }

    #[test]
    fn configuration_codes_get_a_region_hint() {
        for c in REGION_OR_KEY {
            assert!(message(*c, "x").contains("region"), "{c}");
            assert!(ErrorCode::from(*c).is_configuration_error());
        }
        assert_eq!(message(30001, "Err_SNS_BlackListAdd_Already_Exist"), "Err_SNS_BlackListAdd_Already_Exist");
        assert_eq!(message(30001, ""), "(no message)");
    }
}
