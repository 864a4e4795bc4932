//! `envelope_wechat`: a response body through tx-core's WeChat envelope and one wechat-ams
//! answer type (of the 26 AMS actions and the component APIs, chosen by the first byte;
//! the body is the rest), as the client decodes it.
//!
//! Checks: the envelope, the status fields and the action agree on whether the body is a
//! failure and on its code (gateway `errcode` first, then `ret`, then `base_resp.ret`);
//! errors render, and decode errors carry a short printable snippet.

use crate::errors;
use tx_core::envelope::EnvelopeError;
use tx_core::envelope::wechat::{WechatStatus, decode};

/// Runs one input.
pub fn run(data: &[u8]) {
    let (selector, data) = data.split_first().map_or((0, data), |(s, rest)| (usize::from(*s), rest));
    let status = serde_json::from_slice::<WechatStatus>(data).ok();
    let failure = match (decode::<serde_json::Value>(data), &status) {
        (Err(EnvelopeError::Failure(f)), Some(s)) => {
            assert_eq!(s.failure().as_ref(), Some(&f));
            assert!(f.code != 0, "a failure with code 0");
            Some(f.code)
        }
        (Err(EnvelopeError::Failure(f)), None) => panic!("a failure {f:?} without readable status fields"),
        (Ok(_), Some(s)) => {
            assert_eq!(s.failure(), None);
            None
        }
        (Ok(v), None) => panic!("decoded {v:?} without readable status fields"),
        (Err(EnvelopeError::Decode(_)), _) => None,
    };
    let decoded = wechat_ams::__fuzz::decode_reply(selector, data);
    match (&decoded.result, failure) {
        (Err(e), Some(code)) => assert_eq!(e.code(), Some(code), "{}", decoded.action),
        (Ok(answer), Some(code)) => panic!("{} decoded {answer} from a failure {code}", decoded.action),
        _ => {}
    }
    if let Err(e) = &decoded.result {
        errors::check(e);
    }
    errors::check_redaction(data);
}
