//! The message signature and the AES-256-CBC envelope of WeChat pushes.

use super::xml::{Fields, push_body, reply_body};
use super::{PushError, PushEvent};
use aes::Aes256;
use base64::Engine;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};
use std::fmt;
use subtle::ConstantTimeEq;
use tx_core::Secret;

/// The length of an EncodingAESKey.
pub const ENCODING_AES_KEY_LEN: usize = 43;

/// The PKCS#7 block of this scheme: 32 bytes (not AES's 16).
const PAD_BLOCK: usize = 32;

/// The random prefix of every plaintext.
const RANDOM_LEN: usize = 16;

/// Decodes base64 as Python and WeChat do: padding optional, non-zero trailing bits accepted
/// (the 43rd character of an EncodingAESKey carries two unused bits).
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The query string of a push: `timestamp`, `nonce`, `encrypt_type=aes`, `msg_signature`
/// (and the legacy `signature`, which is not checked). Deserializes from the URL query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushQuery {
    /// Unix seconds, as sent.
    #[serde(default)]
    pub timestamp: String,
    /// A random string.
    #[serde(default)]
    pub nonce: String,
    /// `aes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypt_type: Option<String>,
    /// SHA-1 (hex) of token, timestamp, nonce and `Encrypt`, sorted.
    #[serde(default)]
    pub msg_signature: String,
    /// The legacy signature (of token, timestamp and nonce); not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// A push as WeChat sends it: its query and its XML body. Made by [`PushCrypto::seal`],
/// for tests, emulators and replays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedPush {
    /// The query string's values.
    pub query: PushQuery,
    /// The body: `<xml><AppId>…</AppId><Encrypt>…</Encrypt></xml>`.
    pub body: String,
}

/// The platform's message key, token and AppID: verifies, decrypts and reads pushes (and
/// encrypts, for tests and encrypted replies).
///
/// `Debug` shows the AppID only; the token and the key are never printed.
///
/// ```
/// use wechat_ams::push::{PushCrypto, PushEvent};
///
/// let crypto = PushCrypto::new("spamtest", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx2c2769f8efd9abc2")?;
/// let message = "<xml><AppId>wx2c2769f8efd9abc2</AppId><CreateTime>1413192605</CreateTime>\
///                <InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>t@@@1</ComponentVerifyTicket></xml>";
/// let push = crypto.seal(message, "1409735669", "1320562132")?;
/// let event = crypto.receive(&push.query, push.body.as_bytes())?;
/// assert!(matches!(event, PushEvent::ComponentVerifyTicket { .. }));
/// assert!(!format!("{crypto:?}").contains("spamtest"));
/// # Ok::<(), wechat_ams::push::PushError>(())
/// ```
#[derive(Clone)]
pub struct PushCrypto {
    token: Secret,
    key: AesKey,
    component_appid: String,
}

/// The 32-byte AES key; never printed.
#[derive(Clone)]
struct AesKey([u8; 32]);

impl PushCrypto {
    /// The platform's message token, its 43-character EncodingAESKey, and its AppID (the
    /// receiver every message must name).
    pub fn new(
        token: impl Into<Secret>,
        encoding_aes_key: &str,
        component_appid: impl Into<String>,
    ) -> Result<PushCrypto, PushError> {
        if encoding_aes_key.len() != ENCODING_AES_KEY_LEN {
            return Err(PushError::BadKey);
        }
        let bytes = LENIENT_BASE64.decode(encoding_aes_key).map_err(|_| PushError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| PushError::BadKey)?;
        Ok(PushCrypto { token: token.into(), key: AesKey(key), component_appid: component_appid.into() })
    }

    /// The AppID messages must be addressed to.
    pub fn component_appid(&self) -> &str {
        &self.component_appid
    }

    /// The `msg_signature` of a push: lowercase hex SHA-1 of the token, `timestamp`, `nonce`
    /// and `encrypt`, sorted lexicographically and concatenated.
    pub fn signature(&self, timestamp: &str, nonce: &str, encrypt: &str) -> String {
        let mut parts = [self.token.expose(), timestamp, nonce, encrypt];
        parts.sort_unstable();
        let mut sha = Sha1::new();
        for part in parts {
            sha.update(part.as_bytes());
        }
        let digest = sha.finalize();
        let mut hex = String::with_capacity(40);
        for byte in digest.iter() {
            hex.push(char::from(HEX[usize::from(byte >> 4)]));
            hex.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
        hex
    }

    /// Checks `msg_signature` (in constant time) against the query's timestamp and nonce
    /// and `encrypt`.
    pub fn verify(&self, query: &PushQuery, encrypt: &str) -> Result<(), PushError> {
        for (name, value) in
            [("timestamp", &query.timestamp), ("nonce", &query.nonce), ("msg_signature", &query.msg_signature)]
        {
            if value.is_empty() {
                return Err(PushError::MissingField(name));
            }
        }
        let expected = self.signature(&query.timestamp, &query.nonce, encrypt);
        let given = query.msg_signature.trim().to_ascii_lowercase();
        if bool::from(expected.as_bytes().ct_eq(given.as_bytes())) { Ok(()) } else { Err(PushError::BadSignature) }
    }

    /// Decrypts an `Encrypt` value into the message it carries, checking the padding, the
    /// length and the receiver AppID. Call it only after [`verify`](Self::verify).
    pub fn decrypt(&self, encrypt: &str) -> Result<String, PushError> {
        let mut buf = LENIENT_BASE64.decode(encrypt.trim()).map_err(|_| PushError::BadBase64)?;
        if buf.is_empty() || !buf.len().is_multiple_of(16) {
            return Err(PushError::BadCiphertext);
        }
        let plain = cbc::Decryptor::<Aes256>::new(&self.key.0.into(), &self.iv().into())
            .decrypt_padded_mut::<NoPadding>(&mut buf)
            .map_err(|_| PushError::BadCiphertext)?;
        let unpadded = unpad(plain)?;
        if unpadded.len() < RANDOM_LEN + 4 {
            return Err(PushError::BadLength);
        }
        let (length, rest) = unpadded[RANDOM_LEN..].split_at(4);
        let length = u32::from_be_bytes([length[0], length[1], length[2], length[3]]) as usize;
        if length > rest.len() {
            return Err(PushError::BadLength);
        }
        let (message, receiver) = rest.split_at(length);
        if receiver != self.component_appid.as_bytes() {
            return Err(PushError::WrongAppId { found: String::from_utf8_lossy(receiver).into_owned() });
        }
        String::from_utf8(message.to_vec()).map_err(|_| PushError::BadXml("the message is not UTF-8".into()))
    }

    /// Encrypts `message` for this component, after 16 fresh random bytes: the `Encrypt`
    /// value of a push or of an encrypted reply.
    pub fn encrypt(&self, message: &str) -> Result<String, PushError> {
        let mut random = [0u8; RANDOM_LEN];
        getrandom::fill(&mut random).map_err(|e| PushError::Random(e.to_string()))?;
        self.encrypt_with(random, message)
    }

    /// Encrypts with a given random prefix (deterministic, for tests).
    pub(crate) fn encrypt_with(&self, random: [u8; RANDOM_LEN], message: &str) -> Result<String, PushError> {
        let length = u32::try_from(message.len()).map_err(|_| PushError::BadLength)?;
        let mut buf = Vec::with_capacity(RANDOM_LEN + 4 + message.len() + self.component_appid.len() + PAD_BLOCK);
        buf.extend_from_slice(&random);
        buf.extend_from_slice(&length.to_be_bytes());
        buf.extend_from_slice(message.as_bytes());
        buf.extend_from_slice(self.component_appid.as_bytes());
        let pad = PAD_BLOCK - buf.len() % PAD_BLOCK;
        buf.resize(buf.len() + pad, pad as u8);
        let len = buf.len();
        let cipher = cbc::Encryptor::<Aes256>::new(&self.key.0.into(), &self.iv().into())
            .encrypt_padded_mut::<NoPadding>(&mut buf, len)
            .map_err(|_| PushError::BadCiphertext)?;
        Ok(STANDARD.encode(cipher))
    }

    /// Verifies and decrypts a push: reads `Encrypt` from the body, refuses a wrong
    /// signature before decrypting, and returns the decrypted message (XML).
    pub fn open(&self, query: &PushQuery, body: &[u8]) -> Result<String, PushError> {
        let body = std::str::from_utf8(body).map_err(|_| PushError::BadXml("the body is not UTF-8".into()))?;
        let fields = Fields::read(body)?;
        let encrypt = fields.require("Encrypt")?;
        self.verify(query, encrypt)?;
        self.decrypt(encrypt)
    }

    /// Verifies, decrypts and reads a push to the authorization-event URL. Reply `success`
    /// ([`SUCCESS_REPLY`](super::SUCCESS_REPLY)) within 5 s once it is handled.
    pub fn receive(&self, query: &PushQuery, body: &[u8]) -> Result<PushEvent, PushError> {
        PushEvent::parse(&self.open(query, body)?)
    }

    /// Encrypts and signs `message` as WeChat would push it to this component.
    pub fn seal(&self, message: &str, timestamp: &str, nonce: &str) -> Result<SealedPush, PushError> {
        let encrypt = self.encrypt(message)?;
        let query = PushQuery {
            timestamp: timestamp.to_owned(),
            nonce: nonce.to_owned(),
            encrypt_type: Some("aes".to_owned()),
            msg_signature: self.signature(timestamp, nonce, &encrypt),
            signature: None,
        };
        Ok(SealedPush { query, body: push_body(&self.component_appid, &encrypt) })
    }

    /// An encrypted reply carrying `message`:
    /// `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>`.
    pub fn reply(&self, message: &str, timestamp: &str, nonce: &str) -> Result<String, PushError> {
        let encrypt = self.encrypt(message)?;
        let signature = self.signature(timestamp, nonce, &encrypt);
        Ok(reply_body(&encrypt, &signature, timestamp, nonce))
    }

    fn iv(&self) -> [u8; 16] {
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&self.key.0[..16]);
        iv
    }
}

/// Shows the AppID; the token and the key are `***`.
impl fmt::Debug for PushCrypto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PushCrypto")
            .field("token", &self.token)
            .field("key", &"***")
            .field("component_appid", &self.component_appid)
            .finish()
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Strips PKCS#7 padding of 1 to 32 bytes, all of the pad value.
fn unpad(plain: &[u8]) -> Result<&[u8], PushError> {
    let pad = usize::from(*plain.last().ok_or(PushError::BadPadding)?);
    if pad == 0 || pad > PAD_BLOCK || pad > plain.len() {
        return Err(PushError::BadPadding);
    }
    let (text, padding) = plain.split_at(plain.len() - pad);
    if padding.iter().any(|&b| usize::from(b) != pad) {
        return Err(PushError::BadPadding);
    }
    Ok(text)
}

#[cfg(test)]
#[path = "crypto_tests.rs"]
mod tests;
