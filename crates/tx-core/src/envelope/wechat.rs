//! WeChat: the gateway's `errcode`/`errmsg` and the AMS layer's `ret`/`err_msg`,
//! possibly nested in `base_resp`.
//!
//! Success needs all of `errcode`, `ret` and `base_resp.ret` to be 0 (absent counts as 0):
//! checking `errcode` alone misses every AMS failure. The gateway code is reported first.

use super::{ApiFailure, EnvelopeError, trailing_id};
use crate::lenient;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The nested `base_resp` variant.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct BaseResp {
    /// AMS result code.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub ret: i64,
    /// AMS message.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub err_msg: String,
}

/// The status fields of a WeChat response.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct WechatStatus {
    /// Gateway code (token, permission, quota).
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub errcode: i64,
    /// Gateway message, often ending in `rid: …`.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub errmsg: String,
    /// AMS result code.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub ret: i64,
    /// AMS message; `""`, `"ok"`, absent, or (once documented) a boolean.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub err_msg: String,
    /// The nested variant seen in peer SDKs' fixtures.
    #[serde(default)]
    pub base_resp: Option<BaseResp>,
}

impl WechatStatus {
    /// The failure this status reports, if any: gateway first, then AMS, then `base_resp`.
    pub fn failure(&self) -> Option<ApiFailure> {
        let (code, message) = if self.errcode != 0 {
            (self.errcode, &self.errmsg)
        } else if self.ret != 0 {
            (self.ret, &self.err_msg)
        } else {
            match &self.base_resp {
                Some(b) if b.ret != 0 => (b.ret, &b.err_msg),
                _ => return None,
            }
        };
        let mut f = ApiFailure::new(code, message.clone());
        f.request_id = trailing_id(message, "rid");
        Some(f)
    }
}

/// Decodes a WeChat body into `T` (which ignores the status fields), or the failure it reports.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, EnvelopeError> {
    let status: WechatStatus = serde_json::from_slice(body)?;
    if let Some(failure) = status.failure() {
        return Err(EnvelopeError::Failure(failure));
    }
    Ok(serde_json::from_slice(body)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, Default)]
    #[serde(default)]
    struct Category {
        ams_category: String,
    }

    fn failure(body: &str) -> ApiFailure {
        match decode::<Category>(body.as_bytes()) {
            Err(EnvelopeError::Failure(f)) => f,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn success_may_omit_ret_and_err_msg() {
        assert!(decode::<Category>(b"{}").is_ok());
        assert!(decode::<Category>(br#"{"ret":0,"err_msg":""}"#).is_ok());
        assert!(decode::<Category>(br#"{"ret":0,"err_msg":"ok"}"#).is_ok());
        assert!(decode::<Category>(br#"{"ret":0,"err_msg":true}"#).is_ok());
        let c: Category = decode(br#"{"ret":0,"ams_category":"CHESS|LOAN "}"#).unwrap();
        assert_eq!(c.ams_category, "CHESS|LOAN ");
    }

    #[test]
    fn ams_ret_is_a_failure_even_when_errcode_is_zero() {
        let f = failure(r#"{"errcode":0,"errmsg":"ok","ret":1807,"err_msg":"invalid publisher"}"#);
        assert_eq!((f.code, f.message.as_str()), (1807, "invalid publisher"));
    }

    #[test]
    fn gateway_errors_come_first_and_carry_the_rid() {
        let f = failure(
            r#"{"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest rid: 6541a2b3-05c1d2e3-7f6a5b4c"}"#,
        );
        assert_eq!(f.code, 40001);
        assert_eq!(f.request_id.as_deref(), Some("6541a2b3-05c1d2e3-7f6a5b4c"));
    }

    #[test]
    fn nested_base_resp_is_merged() {
        let f = failure(r#"{"base_resp":{"ret":2035,"err_msg":"over limit"}}"#);
        assert_eq!(f.code, 2035);
        assert!(decode::<Category>(br#"{"base_resp":{"ret":0}}"#).is_ok());
    }

    #[test]
    fn codes_may_arrive_as_strings() {
        assert_eq!(failure(r#"{"ret":"-202","err_msg":"inner error"}"#).code, -202);
    }
}
