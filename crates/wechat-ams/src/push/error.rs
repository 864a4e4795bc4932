//! Why a push was refused.

use tx_core::{Error, ErrorKind};

/// Why a push (or a key) was refused. Messages name no secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PushError {
    /// The EncodingAESKey is not 43 base64 characters decoding to 32 bytes.
    #[error("the EncodingAESKey must be 43 base64 characters that decode to 32 bytes")]
    BadKey,
    /// `msg_signature` does not match the token, timestamp, nonce and `Encrypt`: the push
    /// is not from WeChat (or not for this token). Nothing was decrypted.
    #[error("the msg_signature does not match: the push is not signed with this token")]
    BadSignature,
    /// `Encrypt` is not base64.
    #[error("the Encrypt field is not base64")]
    BadBase64,
    /// The ciphertext is empty or not a whole number of AES blocks.
    #[error("the ciphertext is not a whole number of 16-byte AES blocks")]
    BadCiphertext,
    /// The decrypted text does not end in PKCS#7 padding of 1 to 32 bytes.
    #[error("the decrypted text has no valid PKCS#7 padding (1 to 32 bytes)")]
    BadPadding,
    /// The decrypted text is too short, or its message length overruns it.
    #[error("the decrypted message length overruns the decrypted text")]
    BadLength,
    /// The decrypted message is addressed to another AppID than this component's.
    #[error("the message is addressed to {found:?}, not to this component")]
    WrongAppId {
        /// The AppID the message names (lossily decoded if not UTF-8).
        found: String,
    },
    /// The XML (the body, or the decrypted message) cannot be read.
    #[error("the XML cannot be read: {0}")]
    BadXml(String),
    /// A required element or query parameter is missing or empty.
    #[error("the push lacks {0}")]
    MissingField(&'static str),
    /// No random bytes could be had for encrypting.
    #[error("no random bytes for encrypting: {0}")]
    Random(String),
}

impl From<PushError> for Error {
    /// A configuration mistake (the key) is `InvalidInput`; an unauthentic push
    /// (signature, AppID) is `Auth`; an unreadable one is `Decode`.
    fn from(e: PushError) -> Self {
        let kind = match e {
            PushError::BadKey => ErrorKind::InvalidInput,
            PushError::BadSignature | PushError::WrongAppId { .. } => ErrorKind::Auth,
            PushError::Random(_) => ErrorKind::Transport,
            _ => ErrorKind::Decode,
        };
        Error::other(kind, format!("WeChat push: {e}"), e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_into_the_error_of_every_call() {
        let cases = [
            (PushError::BadKey, ErrorKind::InvalidInput),
            (PushError::BadSignature, ErrorKind::Auth),
            (PushError::WrongAppId { found: "wx0".into() }, ErrorKind::Auth),
            (PushError::BadBase64, ErrorKind::Decode),
            (PushError::BadCiphertext, ErrorKind::Decode),
            (PushError::BadPadding, ErrorKind::Decode),
            (PushError::BadLength, ErrorKind::Decode),
            (PushError::BadXml("x".into()), ErrorKind::Decode),
            (PushError::MissingField("Encrypt"), ErrorKind::Decode),
            (PushError::Random("x".into()), ErrorKind::Transport),
        ];
        for (push, kind) in cases {
            let text = push.to_string();
            let e = Error::from(push);
            assert_eq!(e.kind(), kind, "{text}");
            assert_eq!(e.message(), format!("WeChat push: {text}"));
            assert!(std::error::Error::source(&e).is_some());
        }
    }
}
