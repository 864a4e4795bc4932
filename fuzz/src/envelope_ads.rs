//! `envelope_ads`: a response body through tx-core's Ads envelope and one tencent-ads
//! answer type (chosen by the first byte; the body is the rest), as the client decodes it
//! (watermark results read into records), plus the `X-RateLimit-Remaining` header parser
//! on the same bytes.
//!
//! Checks: the envelope and the endpoint agree on whether the body is a failure and on its
//! code; a quota is at most 100 percent; errors render, and decode errors carry a short
//! printable snippet.

use crate::errors;
use tencent_ads::QuotaLeft;
use tx_core::envelope::EnvelopeError;
use tx_core::envelope::ads::decode;

/// Runs one input.
pub fn run(data: &[u8]) {
    let (selector, data) = data.split_first().map_or((0, data), |(s, rest)| (usize::from(*s), rest));
    let failure = match decode::<serde_json::Value>(data) {
        Err(EnvelopeError::Failure(f)) => {
            assert!(f.code != 0, "a failure with code 0");
            Some(f.code)
        }
        _ => None,
    };
    let decoded = tencent_ads::__fuzz::decode_reply(selector, data);
    errors::check_answer(decoded.endpoint, &decoded.result, failure);
    if let Ok(header) = std::str::from_utf8(data)
        && let Ok(q) = header.parse::<QuotaLeft>()
    {
        for p in [q.day_percent, q.minute_percent].into_iter().flatten() {
            assert!(p <= 100, "{header:?} gave {p}%");
        }
    }
    errors::check_redaction(data);
}
