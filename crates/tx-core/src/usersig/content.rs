//! The content-to-sign and its HMAC-SHA256 (TLSSigAPIv2 §2–§3).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The fields that are signed, in signing order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SignedFields<'a> {
    pub identifier: &'a str,
    pub sdk_app_id: u64,
    pub time: u64,
    pub expire: i64,
    /// The `TLS.userbuf` string exactly as it appears (or will appear) in the document.
    pub userbuf_base64: Option<&'a str>,
}

/// An HMAC-SHA256 keyed with the secret key once; each signature clones the keyed state
/// instead of re-hashing the key.
#[derive(Clone)]
pub(crate) struct SigningKey {
    keyed: Hmac<Sha256>,
}

impl SigningKey {
    /// The key is the UTF-8 bytes of the secret key string, used as-is (never hex-decoded).
    pub fn new(secret_key: &str) -> Self {
        let keyed = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()).expect("HMAC accepts keys of any length");
        SigningKey { keyed }
    }

    /// The raw 32-byte HMAC of the content of `fields`.
    pub fn sign(&self, fields: &SignedFields<'_>) -> [u8; 32] {
        self.mac_over(fields).finalize().into_bytes().into()
    }

    /// Checks `signature` against the content of `fields` in constant time.
    pub fn verify(&self, fields: &SignedFields<'_>, signature: &[u8]) -> bool {
        self.mac_over(fields).verify_slice(signature).is_ok()
    }

    fn mac_over(&self, fields: &SignedFields<'_>) -> Hmac<Sha256> {
        let mut mac = self.keyed.clone();
        let mut n = itoa::Buffer::new();
        mac.update(b"TLS.identifier:");
        mac.update(fields.identifier.as_bytes());
        mac.update(b"\nTLS.sdkappid:");
        mac.update(n.format(fields.sdk_app_id).as_bytes());
        mac.update(b"\nTLS.time:");
        mac.update(n.format(fields.time).as_bytes());
        mac.update(b"\nTLS.expire:");
        mac.update(n.format(fields.expire).as_bytes());
        mac.update(b"\n");
        if let Some(userbuf) = fields.userbuf_base64 {
            mac.update(b"TLS.userbuf:");
            mac.update(userbuf.as_bytes());
            mac.update(b"\n");
        }
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usersig::codec::base64_encode_into;

    const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    #[test]
    fn golden_vector_of_the_reference() {
        let fields = SignedFields {
            identifier: "xiaojun",
            sdk_app_id: 1_400_000_000,
            time: 1_700_000_000,
            expire: 15_552_000i64,
            userbuf_base64: None,
        };
        let mut b64 = String::new();
        base64_encode_into(&SigningKey::new(KEY).sign(&fields), &mut b64);
        assert_eq!(b64, "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=");
    }

    #[test]
    fn incremental_mac_equals_mac_of_the_literal_content() {
        let content = "TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:15552000\nTLS.userbuf:AAE=\n";
        let mut whole = Hmac::<Sha256>::new_from_slice(KEY.as_bytes()).unwrap();
        whole.update(content.as_bytes());
        let fields = SignedFields {
            identifier: "xiaojun",
            sdk_app_id: 1_400_000_000,
            time: 1_700_000_000,
            expire: 15_552_000i64,
            userbuf_base64: Some("AAE="),
        };
        let key = SigningKey::new(KEY);
        let expected: [u8; 32] = whole.finalize().into_bytes().into();
        assert_eq!(key.sign(&fields), expected);
        assert!(key.verify(&fields, &expected));
        assert!(!key.verify(&fields, &expected[..31]));
    }
}
