//! Tencent IM REST: `ActionStatus`, `ErrorCode`, `ErrorInfo`, `ErrorDisplay`.
//!
//! The call failed if `ActionStatus == "FAIL"` or `ErrorCode != 0`. `ActionStatus: "OK"`
//! with a `Fail_Account` list is a success with per-item failures, which the data type
//! carries: see `tim-sns`'s reports.

use super::{ApiFailure, EnvelopeError};
use crate::lenient;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The TIM status fields that sit beside the data in every response.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimStatus {
    /// `OK` or `FAIL`.
    #[serde(rename = "ActionStatus", default, deserialize_with = "lenient::string_from_any")]
    pub action_status: String,
    /// 0 on success.
    #[serde(rename = "ErrorCode", default, deserialize_with = "lenient::i64_from_any")]
    pub error_code: i64,
    /// Error detail.
    #[serde(rename = "ErrorInfo", default, deserialize_with = "lenient::string_from_any")]
    pub error_info: String,
    /// Detail for display to users; not every endpoint sends it.
    #[serde(rename = "ErrorDisplay", default)]
    pub error_display: Option<String>,
}

impl TimStatus {
    /// The failure this status reports, if any.
    pub fn failure(&self) -> Option<ApiFailure> {
        if self.action_status.eq_ignore_ascii_case("FAIL") || self.error_code != 0 {
            let mut f = ApiFailure::new(self.error_code, self.error_info.clone());
            f.display = self.error_display.clone().filter(|d| !d.is_empty());
            Some(f)
        } else {
            None
        }
    }
}

/// Decodes a TIM body into `T` (which ignores the status fields), or the failure it reports.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, EnvelopeError> {
    let status: TimStatus = serde_json::from_slice(body)?;
    if let Some(failure) = status.failure() {
        return Err(EnvelopeError::Failure(failure));
    }
    Ok(serde_json::from_slice(body)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Items {
        #[serde(rename = "ResultItem", default)]
        result_item: Vec<serde_json::Value>,
        #[serde(rename = "Fail_Account", default)]
        fail_account: Vec<String>,
    }

    // Literal response example of seed 003 (black_list_add).
    const SEED_003_RESPONSE: &str = r#"{"ResultItem":[{"To_Account":"id1","ResultCode":0,"ResultInfo":""},{"To_Account":"id2","ResultCode":30001,"ResultInfo":"Err_SNS_BlackListAdd_Already_Exist"},{"To_Account":"id3","ResultCode":30002,"ResultInfo":"Err_SNS_BlackListAdd_SdkAppId_Illegal"}],"Fail_Account":["id2","id3"],"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":""}"#;

    #[test]
    fn ok_with_fail_account_is_a_success_with_item_failures() {
        let items: Items = decode(SEED_003_RESPONSE.as_bytes()).unwrap();
        assert_eq!(items.result_item.len(), 3);
        assert_eq!(items.fail_account, ["id2", "id3"]);
    }

    #[test]
    fn fail_or_nonzero_code_is_a_failure() {
        let fail = br#"{"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"usersig expired","ErrorDisplay":""}"#;
        match decode::<Items>(fail) {
            Err(EnvelopeError::Failure(f)) => {
                assert_eq!(f.code, 70001);
                assert_eq!(f.message, "usersig expired");
                assert_eq!(f.display, None);
            }
            other => panic!("{other:?}"),
        }
        let code_only = br#"{"ActionStatus":"OK","ErrorCode":"60007","ErrorInfo":"freq"}"#;
        assert!(matches!(decode::<Items>(code_only), Err(EnvelopeError::Failure(f)) if f.code == 60007));
        let status_only = br#"{"ActionStatus":"FAIL"}"#;
        assert!(matches!(decode::<Items>(status_only), Err(EnvelopeError::Failure(_))));
    }

    #[test]
    fn missing_fields_default_and_unknown_fields_are_ignored() {
        let items: Items = decode(br#"{"ActionStatus":"OK","Whatever":{"x":1}}"#).unwrap();
        assert!(items.result_item.is_empty() && items.fail_account.is_empty());
    }

    #[test]
    fn status_fields_anywhere_and_escaped_keys() {
        let items: Items =
            decode(br#"{"ErrorCode":0,"Fail_Account":["x"],"ActionStatus":"OK","ResultItem":[],"ErrorInfo":""}"#)
                .unwrap();
        assert_eq!(items.fail_account, ["x"]);
        let escaped: Items = decode(br#"{"Fail_\u0042ccount":["y"],"ActionStatus":"OK"}"#).unwrap();
        assert!(escaped.fail_account.is_empty(), "an unknown key after unescaping is ignored");
        let escaped: Items = decode(br#"{"Fail_Accoun\u0074":["y"],"ActionStatus":"OK"}"#).unwrap();
        assert_eq!(escaped.fail_account, ["y"]);
    }

    #[test]
    fn a_failure_is_reported_even_if_the_data_type_refuses_the_body() {
        #[derive(Deserialize, Debug)]
        struct Strict {
            #[serde(rename = "Required")]
            _required: String,
        }
        let body = br#"{"ActionStatus":"FAIL","ErrorCode":70009,"ErrorInfo":"sig"}"#;
        assert!(matches!(decode::<Strict>(body), Err(EnvelopeError::Failure(f)) if f.code == 70009));
        assert!(matches!(decode::<Strict>(br#"{"ActionStatus":"OK"}"#), Err(EnvelopeError::Decode(_))));
    }

    #[test]
    fn non_json_is_a_decode_error() {
        assert!(matches!(decode::<Items>(b"<html>502 Bad Gateway</html>"), Err(EnvelopeError::Decode(_))));
    }
}
