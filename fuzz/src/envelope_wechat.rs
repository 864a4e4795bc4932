//! `envelope_wechat`: a response body through tx-core's WeChat envelope and one wechat-ams
//! answer type (of the 26 AMS actions and the component APIs, chosen by the first byte;
//! the body is the rest), as the client decodes it.
//!
//! Checks: the envelope, the status fields and the action agree on whether the body is a
//! failure and on its code (gateway `errcode` first, then `ret`, then `base_resp.ret`);
//! errors render, and decode errors carry a short printable snippet.

use crate::errors;
use tx_core::envelope::wechat::{WechatStatus, decode};

/// Runs one input.
pub fn run(data: &[u8]) {
    let (selector, data) = data.split_first().map_or((0, data), |(s, rest)| (usize::from(*s), rest));
    let status = serde_json::from_slice::<WechatStatus>(data).ok().map(|s| s.failure());
    let failure = errors::envelope_failure(decode(data), status).map(|f| f.code);
    assert_ne!(failure, Some(0), "a failure with code 0");
    let decoded = wechat_ams::__fuzz::decode_reply(selector, data);
    errors::check_answer(decoded.action, &decoded.result, failure);
    errors::check_redaction(data);
}
