//! Decoding and verifying (§7).

use super::UserSigSigner;
use super::codec::base64_decode;
use super::content::SignedFields;
use super::error::{Malformed, VerifyError};
use crate::lenient;
use crate::secret::Secret;
use serde::Deserialize;

/// The fields of a decoded UserSig document.
///
/// Decoding needs no key and proves nothing; use [`UserSigSigner::verify`] for that.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodedUserSig {
    /// `TLS.ver`, `"2.0"` for TLSSigAPIv2.
    pub version: String,
    /// `TLS.identifier`.
    pub identifier: String,
    /// `TLS.sdkappid`.
    pub sdk_app_id: u64,
    /// `TLS.time`: issue time, unix seconds.
    pub time: u64,
    /// `TLS.expire`: relative lifetime, seconds. Negative values occur (the official Python
    /// library signs whatever it is given) and mean the signature was born expired.
    pub expire: i64,
    /// `TLS.userbuf` decoded, if present.
    pub userbuf: Option<Vec<u8>>,
    /// `TLS.userbuf` exactly as written (the HMAC covers this text, not the bytes).
    pub userbuf_base64: Option<String>,
    /// `TLS.sig`, the base64 HMAC. A credential in its own right, hence a [`Secret`].
    pub signature: Secret,
}

impl DecodedUserSig {
    /// The last valid second: `time + expire`.
    pub fn expires_at(&self) -> u64 {
        self.time.saturating_add_signed(self.expire)
    }

    /// Whether the signature is expired at `now` (valid through `expires_at` inclusive).
    pub fn is_expired_at(&self, now: u64) -> bool {
        now > self.expires_at()
    }
}

#[derive(Deserialize)]
struct Document {
    #[serde(rename = "TLS.ver", default)]
    version: Option<String>,
    #[serde(rename = "TLS.identifier")]
    identifier: Option<String>,
    #[serde(rename = "TLS.sdkappid", default, deserialize_with = "opt_u64")]
    sdk_app_id: Option<u64>,
    #[serde(rename = "TLS.time", default, deserialize_with = "opt_u64")]
    time: Option<u64>,
    #[serde(rename = "TLS.expire", default, deserialize_with = "lenient::opt_i64_from_any")]
    expire: Option<i64>,
    #[serde(rename = "TLS.userbuf")]
    userbuf: Option<String>,
    #[serde(rename = "TLS.sig")]
    sig: Option<String>,
}

fn opt_u64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match lenient::opt_i64_from_any(d)? {
        Some(v) => u64::try_from(v).map(Some).map_err(|_| serde::de::Error::custom("negative")),
        None => Ok(None),
    }
}

/// Decodes a UserSig without checking it: reverses the escaping, base64 and zlib
/// (any level), and parses the JSON (any key order or whitespace).
///
/// ```
/// use tx_core::usersig::{decode, UserSigSigner};
/// use std::time::Duration;
/// let sig = UserSigSigner::new(1400000000, "key").generate("alice", Duration::from_secs(60))?;
/// assert_eq!(decode(sig.expose())?.identifier, "alice");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decode(usersig: &str) -> Result<DecodedUserSig, Malformed> {
    let json = super::wire::decode(usersig)?;
    let doc: Document = serde_json::from_slice(&json).map_err(|_| Malformed::Json)?;
    let userbuf = match &doc.userbuf {
        Some(text) => Some(base64_decode(text).map_err(|_| Malformed::FieldNotBase64("TLS.userbuf"))?),
        None => None,
    };
    Ok(DecodedUserSig {
        version: doc.version.unwrap_or_default(),
        identifier: doc.identifier.ok_or(Malformed::MissingField("TLS.identifier"))?,
        sdk_app_id: doc.sdk_app_id.ok_or(Malformed::MissingField("TLS.sdkappid"))?,
        time: doc.time.ok_or(Malformed::MissingField("TLS.time"))?,
        expire: doc.expire.ok_or(Malformed::MissingField("TLS.expire"))?,
        userbuf,
        userbuf_base64: doc.userbuf,
        signature: Secret::new(doc.sig.ok_or(Malformed::MissingField("TLS.sig"))?),
    })
}

pub(super) fn verify(
    signer: &UserSigSigner,
    usersig: &str,
    identifier: &str,
    expected_userbuf: Option<&[u8]>,
) -> Result<DecodedUserSig, VerifyError> {
    let decoded = decode(usersig)?;
    let expected_app = u64::from(signer.sdk_app_id);
    if decoded.sdk_app_id != expected_app {
        return Err(VerifyError::SdkAppIdMismatch { expected: expected_app, found: decoded.sdk_app_id });
    }
    if decoded.identifier != identifier {
        return Err(VerifyError::IdentifierMismatch { expected: identifier.to_owned(), found: decoded.identifier });
    }
    let now = signer.clock.unix_now();
    if decoded.is_expired_at(now) {
        return Err(VerifyError::Expired { expired_at: decoded.expires_at(), now });
    }
    match (expected_userbuf, &decoded.userbuf) {
        (None, None) => {}
        (Some(expected), Some(found)) if expected == found.as_slice() => {}
        (Some(_), Some(_)) => return Err(VerifyError::UserBufMismatch),
        (expected, _) => {
            return Err(VerifyError::UserBufPresenceMismatch { expected_userbuf: expected.is_some() });
        }
    }
    let signature = base64_decode(decoded.signature.expose()).map_err(|_| Malformed::FieldNotBase64("TLS.sig"))?;
    let fields = SignedFields {
        identifier: &decoded.identifier,
        sdk_app_id: decoded.sdk_app_id,
        time: decoded.time,
        expire: decoded.expire,
        userbuf_base64: decoded.userbuf_base64.as_deref(),
    };
    if !signer.key.verify(&fields, &signature) {
        return Err(VerifyError::SignatureMismatch);
    }
    Ok(decoded)
}
