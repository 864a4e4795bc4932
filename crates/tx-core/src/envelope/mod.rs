//! The response envelopes of the three platforms, decoded leniently.
//!
//! Each platform wraps results differently; each module here turns a body into either its
//! data or an [`ApiFailure`]. Missing fields take defaults, unknown fields are ignored, and
//! numbers that arrive as strings are accepted where the documentation is inconsistent.

pub mod ads;
pub mod tim;
pub mod wechat;

use crate::error::{Error, ErrorKind};

/// A platform's "this call failed" answer: code, message and whatever ids it gave.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiFailure {
    /// The platform code (TIM `ErrorCode`, WeChat `errcode` or `ret`, Ads `code`).
    pub code: i64,
    /// The platform message (TIM `ErrorInfo`, WeChat `errmsg`/`err_msg`, Ads `message`).
    pub message: String,
    /// A message meant for end users, when given (TIM `ErrorDisplay`, Ads `message_cn`).
    pub display: Option<String>,
    /// The request id (WeChat `rid`, Ads `trace_id`).
    pub request_id: Option<String>,
    /// Structured details (Ads `errors[]`).
    pub details: Option<serde_json::Value>,
}

impl ApiFailure {
    /// A failure with a code and a message.
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        ApiFailure { code, message: message.into(), display: None, request_id: None, details: None }
    }

    /// Turns the failure into an [`Error`] of `kind`, keeping code, request id and details.
    pub fn into_error(self, kind: ErrorKind) -> Error {
        let message = if self.message.is_empty() { "(no message)" } else { &self.message };
        let mut e = Error::api(kind, self.code, message);
        if let Some(id) = self.request_id {
            e = e.with_request_id(id);
        }
        if let Some(details) = self.details {
            e = e.with_details(details);
        }
        e
    }
}

/// Why a body did not yield data.
#[derive(Debug)]
pub enum EnvelopeError {
    /// The platform reported a failure.
    Failure(ApiFailure),
    /// The body is not the platform's JSON envelope.
    Decode(serde_json::Error),
}

impl From<serde_json::Error> for EnvelopeError {
    fn from(e: serde_json::Error) -> Self {
        EnvelopeError::Decode(e)
    }
}

/// Extracts a trailing id such as `rid: 64e1…` or `trace_id: 7c1…` from a message.
pub(crate) fn trailing_id(message: &str, marker: &str) -> Option<String> {
    let at = message.rfind(marker)?;
    let rest = message[at + marker.len()..].trim_start_matches([':', ' ', '=']);
    let id: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_ids_are_found() {
        assert_eq!(trailing_id("invalid credential rid: 64e1a2b3-1c2d", "rid").as_deref(), Some("64e1a2b3-1c2d"));
        assert_eq!(trailing_id("bad param, trace_id: abc123", "trace_id").as_deref(), Some("abc123"));
        assert_eq!(trailing_id("no id here", "rid"), None);
    }
}
