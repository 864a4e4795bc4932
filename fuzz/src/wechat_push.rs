//! `wechat_push`: the receiver of WeChat pushes (`PushCrypto::receive`: the XML body, the
//! `msg_signature` check, AES-256-CBC decryption, PKCS#7 to 32 bytes, the length and
//! receiver checks, then XML to [`PushEvent`]), in five modes chosen by the first byte:
//!
//! 0. any query and body;
//! 1. any `Encrypt` text, correctly signed, so decryption is reached;
//! 2. any plaintext bytes, encrypted with the component's key and signed, so padding,
//!    length and receiver checks are reached;
//! 3. any message, sealed as WeChat sends it, so the XML and event readers are reached;
//! 4. any text straight to [`PushEvent::parse`].
//!
//! Checks: nothing that fails the signature is decrypted (a wrong signature is always
//! `BadSignature` or an earlier refusal); a sealed message opens to exactly itself, and
//! receiving it reads the same event as parsing it.

use crate::input::Input;
use aes::Aes256;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockEncryptMut, KeyIvInit};
use wechat_ams::push::{PushCrypto, PushError, PushEvent, PushQuery};

/// The component's message token (WeChat's published test vector).
pub const TOKEN: &str = "spamtest";
/// Its EncodingAESKey.
pub const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
/// Its AppID.
pub const APPID: &str = "wx2c2769f8efd9abc2";

/// The harness receiver.
pub fn crypto() -> PushCrypto {
    PushCrypto::new(TOKEN, AES_KEY, APPID).expect("the published key")
}

/// The query of a push with this timestamp and nonce, signed for `encrypt`.
pub fn signed_query(crypto: &PushCrypto, timestamp: &str, nonce: &str, encrypt: &str) -> PushQuery {
    PushQuery {
        timestamp: timestamp.to_owned(),
        nonce: nonce.to_owned(),
        encrypt_type: Some("aes".to_owned()),
        msg_signature: crypto.signature(timestamp, nonce, encrypt),
        signature: None,
    }
}

/// `text` without `]]>`, which would end a CDATA section (removing one can make another).
fn cdata_safe(text: &str) -> String {
    let mut text = text.to_owned();
    while text.contains("]]>") {
        text = text.replace("]]>", "");
    }
    text
}

/// A push body carrying `encrypt` (as text, CDATA-safe).
pub fn body(encrypt: &str) -> String {
    let encrypt = cdata_safe(encrypt);
    format!("<xml><AppId><![CDATA[{APPID}]]></AppId><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
}

/// Encrypts `plain` with the component's key as-is, after zero-filling it to whole blocks.
fn raw_encrypt(plain: &[u8]) -> String {
    let lenient = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let key: [u8; 32] = lenient.decode(AES_KEY).expect("a 43-character key").try_into().expect("32 bytes");
    let iv: [u8; 16] = key[..16].try_into().expect("16 bytes");
    let mut buf = plain.to_vec();
    buf.resize(plain.len().div_ceil(16).max(1) * 16, 0);
    let len = buf.len();
    let out = cbc::Encryptor::<Aes256>::new(&key.into(), &iv.into())
        .encrypt_padded_mut::<NoPadding>(&mut buf, len)
        .expect("whole blocks");
    STANDARD.encode(out)
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let crypto = crypto();
    let mut input = Input::new(data);
    match input.choose(5) {
        0 => {
            let query = PushQuery {
                timestamp: input.text(),
                nonce: input.text(),
                encrypt_type: None,
                msg_signature: input.text(),
                signature: None,
            };
            let body = input.rest();
            if let Err(e) = crypto.receive(&query, body) {
                let _ = e.to_string();
            }
        }
        1 => {
            let (timestamp, nonce, encrypt) = (input.text(), input.text(), input.text());
            // What an XML reader reads: no CDATA end inside, line ends normalized to `\n`.
            let encrypt = cdata_safe(&encrypt.replace("\r\n", "\n").replace('\r', "\n"));
            let query = signed_query(&crypto, &timestamp, &nonce, encrypt.trim());
            let result = crypto.receive(&query, body(&encrypt).as_bytes());
            assert!(!matches!(result, Err(PushError::BadSignature)), "a signed push refused as unsigned");
            let unsigned = PushQuery { msg_signature: "0".repeat(40), ..query };
            match crypto.receive(&unsigned, body(&encrypt).as_bytes()) {
                Err(PushError::BadSignature | PushError::MissingField(_) | PushError::BadXml(_)) => {}
                other => panic!("a wrongly signed push got {other:?}"),
            }
        }
        2 => {
            let encrypt = raw_encrypt(input.rest());
            let query = signed_query(&crypto, "1409735669", "1320562132", &encrypt);
            let _ = crypto.receive(&query, body(&encrypt).as_bytes());
        }
        3 => {
            let message = String::from_utf8_lossy(input.rest()).into_owned();
            let sealed = crypto.seal(&message, "1409735669", "1320562132").expect("any message seals");
            let opened = crypto.open(&sealed.query, sealed.body.as_bytes());
            assert_eq!(opened.as_deref(), Ok(message.as_str()), "a sealed message opens to itself");
            let received = crypto.receive(&sealed.query, sealed.body.as_bytes());
            assert_eq!(received, PushEvent::parse(&message), "receiving reads what parsing reads");
        }
        _ => {
            if let Ok(event) = PushEvent::parse(&String::from_utf8_lossy(input.rest())) {
                let _ = format!("{event:?}");
            }
        }
    }
}
