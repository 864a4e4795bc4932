//! Checks every target applies to the errors and texts it gets back.

use std::fmt::Debug;
use tx_core::envelope::{ApiFailure, EnvelopeError};
use tx_core::redact::{self, SNIPPET_LIMIT};
use tx_core::{Error, ErrorKind};

/// The failure an envelope found, checked against the status fields read alone (`status`:
/// their failure, or `None` where they do not read): both see the same failure, and a body
/// the envelope decodes has readable status fields.
pub fn envelope_failure(
    envelope: Result<serde_json::Value, EnvelopeError>,
    status: Option<Option<ApiFailure>>,
) -> Option<ApiFailure> {
    match (envelope, status) {
        (Err(EnvelopeError::Failure(f)), Some(s)) => {
            assert_eq!(s.as_ref(), Some(&f));
            Some(f)
        }
        (Err(EnvelopeError::Failure(f)), None) => panic!("a failure {f:?} without readable status fields"),
        (Ok(_), Some(s)) => {
            assert_eq!(s, None);
            None
        }
        (Ok(v), None) => panic!("decoded {v:?} without readable status fields"),
        (Err(EnvelopeError::Decode(_)), _) => None,
    }
}

/// An endpoint's decoding of a body agrees with the envelope's `failure` code: an error
/// with that code where there is one; every error passes [`check`].
pub fn check_answer<T: Debug>(endpoint: &str, result: &Result<T, Error>, failure: Option<i64>) {
    match (result, failure) {
        (Err(e), Some(code)) => assert_eq!(e.code(), Some(code), "{endpoint}"),
        (Ok(answer), Some(code)) => panic!("{endpoint} decoded {answer:?} from a failure {code}"),
        _ => {}
    }
    if let Err(e) = result {
        check(e);
    }
}

/// Every rendering of `e` works, and a decode error carries a short printable snippet.
pub fn check(e: &Error) {
    let shown = format!("{e} {e:?}");
    assert!(!shown.is_empty());
    if let Some(snippet) = e.body_snippet() {
        assert_eq!(e.kind(), ErrorKind::Decode, "only decode errors carry a body snippet");
        assert!(snippet.len() <= SNIPPET_LIMIT + '…'.len_utf8(), "snippet of {} bytes", snippet.len());
        assert!(!snippet.chars().any(char::is_control), "snippet {snippet:?} holds a control character");
    }
}

/// The redaction of a body as text and as a snippet: both work, and what they mask is
/// masked in both.
pub fn check_redaction(body: &[u8]) {
    let snippet = redact::snippet(body);
    assert!(snippet.len() <= SNIPPET_LIMIT + '…'.len_utf8());
    let text = String::from_utf8_lossy(body);
    let masked = redact::text(&text);
    if masked == text {
        assert!(!snippet.contains(redact::MASK) || text.contains(redact::MASK), "a snippet masks what text does not");
    }
    // Masking is idempotent: a masked text has nothing left to mask.
    assert_eq!(redact::text(&masked), masked, "masking twice changes {text:?}");
}
