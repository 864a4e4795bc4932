//! The publisher (流量主) of a mini program (actions 5–6): whether it can be opened, and
//! opening it. Opening an opened one answers ret 2021, which an "ensure open" treats as
//! success ([`ErrorCode::is_already_done`](crate::ErrorCode::is_already_done)).

use super::{Ack, OPERATION_PATH, action};
use serde::{Deserialize, Serialize};
use tx_core::lenient;

/// `agency_check_can_open_publisher`: whether the mini program meets the threshold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckCanOpenPublisherRequest {}

/// The answer of `agency_check_can_open_publisher`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CanOpenPublisher {
    /// 1 if the publisher can be opened, 0 if not.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub status: i64,
}

impl CanOpenPublisher {
    /// Whether the publisher can be opened (`status` 1).
    pub fn can_open(&self) -> bool {
        self.status == 1
    }
}

/// `agency_create_publisher`: opens the publisher. Safe to repeat (2021 once opened).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CreatePublisherRequest {}

action!(CheckCanOpenPublisherRequest => CanOpenPublisher, "agency_check_can_open_publisher", OPERATION_PATH, Authorizer, Idempotent, |_r| Ok(()));
action!(CreatePublisherRequest => Ack, "agency_create_publisher", OPERATION_PATH, Authorizer, Idempotent, |_r| Ok(()));

#[cfg(test)]
mod tests {
    use super::*;
    use tx_core::envelope::wechat::decode;

    #[test]
    fn empty_requests_are_empty_objects() {
        assert_eq!(serde_json::to_string(&CheckCanOpenPublisherRequest {}).unwrap(), "{}");
        assert_eq!(serde_json::to_string(&CreatePublisherRequest {}).unwrap(), "{}");
    }

    #[test]
    fn status_reads_as_a_flag() {
        assert!(decode::<CanOpenPublisher>(br#"{"ret":0,"status":1}"#).unwrap().can_open());
        assert!(!decode::<CanOpenPublisher>(br#"{"status":"0"}"#).unwrap().can_open());
        assert!(!decode::<CanOpenPublisher>(b"{}").unwrap().can_open());
    }
}
