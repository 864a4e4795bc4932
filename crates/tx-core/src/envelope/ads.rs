//! Tencent Ads Marketing API v3.0: `code`, `message`, `message_cn`, `data`, `errors`,
//! `code_type`, `trace_id`.

use super::{ApiFailure, EnvelopeError, trailing_id};
use crate::lenient;
use serde::Deserialize;
use serde::de::DeserializeOwned;

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Envelope<T> {
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    code: i64,
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    message: String,
    #[serde(default)]
    message_cn: Option<String>,
    #[serde(default)]
    data: Option<T>,
    #[serde(default)]
    errors: Option<serde_json::Value>,
    #[serde(default)]
    trace_id: Option<String>,
}

/// Decodes an Ads body: its `data` on `code == 0`, otherwise the failure.
///
/// A success without `data` decodes `T` from `{}` (every field defaulted), since some
/// actions return no data.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, EnvelopeError> {
    // Decode the status first, so that a failure body whose `data` has an unexpected
    // shape is still reported as the failure it is.
    #[derive(Deserialize)]
    struct Status {
        #[serde(default, deserialize_with = "lenient::i64_from_any")]
        code: i64,
    }
    let status: Status = serde_json::from_slice(body)?;
    if status.code != 0 {
        let env: Envelope<serde::de::IgnoredAny> = serde_json::from_slice(body)?;
        let mut f = ApiFailure::new(env.code, env.message.clone());
        f.display = env.message_cn.filter(|m| !m.is_empty());
        f.request_id = env.trace_id.filter(|t| !t.is_empty()).or_else(|| trailing_id(&env.message, "trace_id"));
        f.details = env.errors.filter(|e| !e.is_null());
        return Err(EnvelopeError::Failure(f));
    }
    let env: Envelope<T> = serde_json::from_slice(body)?;
    match env.data {
        Some(data) => Ok(data),
        None => Ok(serde_json::from_slice(b"{}")?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, Default)]
    #[serde(default)]
    struct AddData {
        total_count: i64,
        processing_count: i64,
        results: Vec<serde_json::Value>,
    }

    // Literal response example of seed 002 (watermarks/add).
    const SEED_002_RESPONSE: &str = r#"{
        "code": 0, "message": "", "message_cn": "",
        "data": {"total_count": 2, "processing_count": 2, "success_count": 0, "failed_count": 0,
          "results": [
            {"original_material_id": "123", "original_material_md5": "8c471927c56a2095aa9374a287b62d80", "material_name": "图片 1", "record_id": "401", "status": "processing", "result_material_id": "", "result_material_url": "", "reason": "已提交处理,请稍后查询结果"},
            {"original_material_id": "456", "original_material_md5": "8c471927c56a2095aa9374a287b62d80", "material_name": "图片 2", "record_id": "402", "status": "processing", "result_material_id": "", "result_material_url": "", "reason": "已提交处理,请稍后查询结果"}
          ]}}"#;

    #[test]
    fn data_is_unwrapped_on_success() {
        let d: AddData = decode(SEED_002_RESPONSE.as_bytes()).unwrap();
        assert_eq!((d.total_count, d.processing_count, d.results.len()), (2, 2, 2));
    }

    #[test]
    fn failures_carry_trace_id_and_errors() {
        let body = r#"{"code":11000,"message":"access token expired, trace_id: 7c1f00aa","message_cn":"token 过期","code_type":"BusinessException","errors":[{"type":"PRIVILEGE_PARAM_EXCEPTION","description":"x"}],"data":"unexpected"}"#;
        match decode::<AddData>(body.as_bytes()) {
            Err(EnvelopeError::Failure(f)) => {
                assert_eq!(f.code, 11000);
                assert_eq!(f.request_id.as_deref(), Some("7c1f00aa"));
                assert_eq!(f.display.as_deref(), Some("token 过期"));
                assert!(f.details.unwrap().is_array());
            }
            other => panic!("{other:?}"),
        }
        let top = br#"{"code":"12100","message":"nonce used","trace_id":"t-9"}"#;
        assert!(
            matches!(decode::<AddData>(top), Err(EnvelopeError::Failure(f)) if f.code == 12100 && f.request_id.as_deref() == Some("t-9"))
        );
    }

    #[test]
    fn success_without_data_defaults() {
        let d: AddData = decode(br#"{"code":0,"message":""}"#).unwrap();
        assert_eq!(d.total_count, 0);
    }
}
