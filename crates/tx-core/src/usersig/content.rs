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

/// An HMAC-SHA256 keyed with the secret key.
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
        mac.update(fields.content().as_bytes());
        mac
    }
}

impl SignedFields<'_> {
    /// The content to sign: one `TLS.<field>:<value>` line per field, each ending in `\n`.
    pub fn content(&self) -> String {
        let mut content = format!(
            "TLS.identifier:{}\nTLS.sdkappid:{}\nTLS.time:{}\nTLS.expire:{}\n",
            self.identifier, self.sdk_app_id, self.time, self.expire
        );
        if let Some(userbuf) = self.userbuf_base64 {
            content.push_str("TLS.userbuf:");
            content.push_str(userbuf);
            content.push('\n');
        }
        content
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usersig::codec::base64_encode;

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
        assert_eq!(base64_encode(&SigningKey::new(KEY).sign(&fields)), "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=");
    }

    #[test]
    fn the_content_is_the_documented_text() {
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
        assert_eq!(fields.content(), content);
        let key = SigningKey::new(KEY);
        let expected: [u8; 32] = whole.finalize().into_bytes().into();
        assert_eq!(key.sign(&fields), expected);
        assert!(key.verify(&fields, &expected));
        assert!(!key.verify(&fields, &expected[..31]));
    }
}
