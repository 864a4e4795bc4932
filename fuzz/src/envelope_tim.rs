//! `envelope_tim`: a response body through tx-core's TIM envelope and one tim-sns answer
//! type (chosen by the first byte; the body is the rest), as the client decodes it.
//!
//! Checks: the envelope, the status fields and the endpoint agree on whether the body is
//! a failure and on its code; an import answer yields exactly the ids that were sent, in
//! order; errors render, and decode errors carry a short printable snippet.

use crate::errors;
use tx_core::envelope::tim::{TimStatus, decode};

/// The ids the batch answers are matched against.
const CHUNK: [&str; 3] = ["id1", "id2", "id3"];

/// Runs one input.
pub fn run(data: &[u8]) {
    let (selector, data) = data.split_first().map_or((0, data), |(s, rest)| (usize::from(*s), rest));
    let status = serde_json::from_slice::<TimStatus>(data).ok().map(|s| s.failure());
    let failure = errors::envelope_failure(decode(data), status).map(|f| f.code);
    let chunk: Vec<String> = CHUNK.iter().map(|s| (*s).to_owned()).collect();
    let decoded = tim_sns::__fuzz::decode_reply(selector, data, &chunk);
    errors::check_answer(decoded.endpoint, &decoded.result, failure);
    if let (Ok(items), None) = (&decoded.result, failure)
        && decoded.endpoint.ends_with("multiaccount_import")
    {
        let ids: Vec<&str> = items.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, CHUNK, "an import answer yields the ids sent");
    }
    errors::check_redaction(data);
}
