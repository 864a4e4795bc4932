//! Checks every target applies to the errors and texts it gets back.

use tx_core::redact::{self, SNIPPET_LIMIT};
use tx_core::{Error, ErrorKind};

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
