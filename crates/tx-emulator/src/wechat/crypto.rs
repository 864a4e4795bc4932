//! WeChat's message encryption for pushes to the authorization-event URL (reference §10):
//! AES-256-CBC with the key `base64(EncodingAESKey + "=")` and its first 16 bytes as IV,
//! PKCS#7 padding to 32-byte blocks, plaintext `random(16) ‖ len(msg) as u32 BE ‖ msg ‖
//! appid`, and `msg_signature` = SHA-1 hex of the sorted `[token, timestamp, nonce,
//! Encrypt]`.

use aes::Aes256;
use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use sha1::{Digest, Sha1};

/// The padding block of WeChat's scheme (not AES's 16).
const BLOCK: usize = 32;

/// `EncodingAESKey` is 43 base64 characters whose last one may carry stray low bits.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a key or a message was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// The `EncodingAESKey` is not 43 base64 characters of 32 bytes.
    #[error("EncodingAESKey must be 43 base64 characters decoding to 32 bytes")]
    Key,
    /// `Encrypt` is not base64 of whole AES blocks.
    #[error("Encrypt is not base64 of whole AES blocks")]
    Cipher,
    /// The padding is not PKCS#7 to 32-byte blocks.
    #[error("bad PKCS#7 padding (1..=32 expected)")]
    Padding,
    /// The message length overruns the plaintext.
    #[error("the message length overruns the plaintext")]
    Length,
}

/// The 32-byte AES key of an `EncodingAESKey`.
pub fn aes_key(encoding_aes_key: &str) -> Result<[u8; 32], CryptoError> {
    if encoding_aes_key.len() != 43 {
        return Err(CryptoError::Key);
    }
    let bytes = LENIENT.decode(format!("{encoding_aes_key}=")).map_err(|_| CryptoError::Key)?;
    bytes.try_into().map_err(|_| CryptoError::Key)
}

/// Encrypts `msg` for `appid`, with `random` as the 16 leading bytes; base64.
pub fn encrypt(key: &[u8; 32], random: [u8; 16], msg: &str, appid: &str) -> String {
    let mut plain = Vec::with_capacity(20 + msg.len() + appid.len() + BLOCK);
    plain.extend_from_slice(&random);
    plain.extend_from_slice(&(msg.len() as u32).to_be_bytes());
    plain.extend_from_slice(msg.as_bytes());
    plain.extend_from_slice(appid.as_bytes());
    let pad = BLOCK - plain.len() % BLOCK;
    plain.resize(plain.len() + pad, pad as u8);
    let iv: [u8; 16] = key[..16].try_into().unwrap_or([0; 16]);
    let cipher = cbc::Encryptor::<Aes256>::new(key.into(), &iv.into());
    STANDARD.encode(cipher.encrypt_padded_vec_mut::<NoPadding>(&plain))
}

/// Decrypts a base64 `Encrypt` value: the message and the appid that follows it.
pub fn decrypt(key: &[u8; 32], encrypted: &str) -> Result<(String, String), CryptoError> {
    let data = STANDARD.decode(encrypted.trim()).map_err(|_| CryptoError::Cipher)?;
    let iv: [u8; 16] = key[..16].try_into().unwrap_or([0; 16]);
    let cipher = cbc::Decryptor::<Aes256>::new(key.into(), &iv.into());
    let plain = cipher.decrypt_padded_vec_mut::<NoPadding>(&data).map_err(|_| CryptoError::Cipher)?;
    let pad = usize::from(*plain.last().ok_or(CryptoError::Padding)?);
    if !(1..=BLOCK).contains(&pad)
        || pad > plain.len()
        || plain[plain.len() - pad..].iter().any(|b| usize::from(*b) != pad)
    {
        return Err(CryptoError::Padding);
    }
    let plain = &plain[..plain.len() - pad];
    let len_bytes: [u8; 4] = plain.get(16..20).and_then(|b| b.try_into().ok()).ok_or(CryptoError::Length)?;
    let len = u32::from_be_bytes(len_bytes) as usize;
    let msg = plain.get(20..20usize.saturating_add(len)).ok_or(CryptoError::Length)?;
    let appid = &plain[20 + len..];
    Ok((String::from_utf8_lossy(msg).into_owned(), String::from_utf8_lossy(appid).into_owned()))
}

/// Lowercase hex SHA-1 of the parts sorted and concatenated (`msg_signature` with four
/// parts; the legacy `signature` with token, timestamp and nonce).
pub fn signature(parts: &[&str]) -> String {
    let mut sorted = parts.to_vec();
    sorted.sort_unstable();
    let mut hasher = Sha1::new();
    for p in sorted {
        hasher.update(p.as_bytes());
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WeChat's published sample (reference §10).
    const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const ENCRYPT: &str = "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";

    #[test]
    fn the_published_test_vector_decrypts_and_its_signature_matches() {
        let key = aes_key(KEY).unwrap();
        let (msg, appid) = decrypt(&key, ENCRYPT).unwrap();
        assert_eq!(appid, "wx2c2769f8efd9abc2");
        assert!(msg.contains("gh_10f6c3c3ac5a"), "{msg}");
        assert!(msg.contains("<CreateTime>1409735668</CreateTime>"), "{msg}");
        assert_eq!(
            signature(&["spamtest", "1409735669", "1320562132", ENCRYPT]),
            "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
        );
    }

    #[test]
    fn encryption_round_trips_with_32_byte_padding() {
        let key = aes_key(KEY).unwrap();
        for len in [0, 1, 11, 12, 13, 44, 100] {
            let msg = "x".repeat(len);
            let enc = encrypt(&key, [7; 16], &msg, "wxcomponent");
            let raw = STANDARD.decode(&enc).unwrap();
            assert_eq!(raw.len() % 32, 0, "padded to 32-byte blocks");
            assert_eq!(decrypt(&key, &enc).unwrap(), (msg, "wxcomponent".to_owned()));
        }
    }

    #[test]
    fn bad_keys_and_ciphertexts_are_refused() {
        assert_eq!(aes_key("short"), Err(CryptoError::Key));
        assert_eq!(aes_key(&"!".repeat(43)), Err(CryptoError::Key));
        let key = aes_key(KEY).unwrap();
        assert_eq!(decrypt(&key, "not base64!"), Err(CryptoError::Cipher));
        let other = aes_key("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq").unwrap();
        assert!(decrypt(&other, ENCRYPT).is_err(), "another key yields garbage padding or length");
    }
}
