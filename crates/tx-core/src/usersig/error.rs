//! What can go wrong when making, decoding or verifying a UserSig.

/// Why a string could not be decoded as a UserSig at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Malformed {
    /// The string is empty.
    #[error("the UserSig is empty")]
    Empty,
    /// Not base64 in the UserSig alphabet (`A-Za-z0-9*-_`).
    #[error("the UserSig is not base64 in the UserSig alphabet (A-Za-z0-9*-_)")]
    Base64,
    /// The decoded bytes are not a zlib stream (raw deflate and gzip are rejected too).
    #[error("the UserSig does not hold a complete zlib stream")]
    Zlib,
    /// The inflated document exceeds 64 KiB.
    #[error("the UserSig inflates to more than 64 KiB")]
    TooLarge,
    /// The inflated document is not a JSON object of the expected field types.
    #[error("the UserSig document is not valid JSON of the TLSSigAPIv2 shape")]
    Json,
    /// A required field is missing from the document.
    #[error("the UserSig document lacks the field {0}")]
    MissingField(&'static str),
    /// `TLS.sig` or `TLS.userbuf` is not standard base64.
    #[error("the field {0} of the UserSig document is not base64")]
    FieldNotBase64(&'static str),
}

/// Why a UserSig failed verification. Each check of TLSSigAPIv2 has its own variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The string could not be decoded.
    #[error("malformed UserSig: {0}")]
    Malformed(#[from] Malformed),
    /// `TLS.sdkappid` is not the expected SDKAppID.
    #[error("the UserSig was issued for SDKAppID {found}, not {expected}")]
    SdkAppIdMismatch {
        /// The SDKAppID the verifier expected.
        expected: u64,
        /// The SDKAppID in the signature.
        found: u64,
    },
    /// `TLS.identifier` is not the expected identifier.
    #[error("the UserSig was issued to identifier {found:?}, not {expected:?}")]
    IdentifierMismatch {
        /// The identifier the verifier expected.
        expected: String,
        /// The identifier in the signature.
        found: String,
    },
    /// `now > TLS.time + TLS.expire`.
    #[error("the UserSig expired at {expired_at} (unix seconds); it is now {now}")]
    Expired {
        /// `TLS.time + TLS.expire`.
        expired_at: u64,
        /// The verifier's time.
        now: u64,
    },
    /// The signature carries a userbuf when none was expected, or the other way round.
    #[error("{}", if *.expected_userbuf { "the UserSig carries no userbuf, but one was expected" } else { "the UserSig carries a userbuf, but none was expected" })]
    UserBufPresenceMismatch {
        /// Whether the verifier expected a userbuf.
        expected_userbuf: bool,
    },
    /// The userbuf differs from the expected bytes.
    #[error("the UserSig's userbuf differs from the expected one")]
    UserBufMismatch,
    /// The HMAC does not match: wrong key, tampered content, or a v1 (ECDSA) signature.
    #[error("the UserSig's HMAC does not match (wrong secret key, altered fields, or a v1 signature)")]
    SignatureMismatch,
}

/// Why a UserSig could not be generated from the given inputs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// The identifier is empty.
    #[error("identifier must not be empty")]
    EmptyIdentifier,
    /// A PrivateMapKey field holds non-ASCII text; the official libraries disagree on
    /// how to encode it, so it is refused rather than silently mis-signed.
    #[error("{field} must be ASCII for a PrivateMapKey (the official libraries disagree on other text)")]
    NotAscii {
        /// `identifier` or `room`.
        field: &'static str,
    },
    /// A PrivateMapKey field is longer than its u16 length prefix allows.
    #[error("{field} is longer than {max} bytes")]
    TooLong {
        /// `identifier` or `room`.
        field: &'static str,
        /// The limit.
        max: usize,
    },
    /// A string room id was given but is empty.
    #[error("room must not be empty")]
    EmptyRoom,
    /// The lifetime does not fit `TLS.expire`, a signed 64-bit number to every verifier.
    #[error("a lifetime of {0} s does not fit TLS.expire (at most {max} s)", max = i64::MAX)]
    LifetimeTooLong(u64),
    /// `time + expire` does not fit the userbuf's u32 expiry field.
    #[error("time + expire = {0} does not fit in the userbuf's 32-bit expiry")]
    ExpiryOverflow(u64),
}
