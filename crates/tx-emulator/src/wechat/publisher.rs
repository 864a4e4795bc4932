//! `agency_check_can_open_publisher` and `agency_create_publisher`: opening 流量主.
//!
//! `check` answers `status` 1 when the mini program meets the threshold (seed
//! `can_open_publisher`, default true), 0 otherwise, whether or not it is open already.
//! `create` answers ret 2021 when already open, 2013 when the threshold is not met, and
//! opens it otherwise. With `wechat_publisher_settle` set, the mini program's other AMS
//! actions answer ret 2068 ("opened recently") for that long after opening.

use super::envelope::{AmsError, AmsResult, fields};
use super::state::Authorizer;
use serde_json::json;

/// `agency_check_can_open_publisher`: `{status}`.
pub(crate) fn check(a: &Authorizer) -> AmsResult {
    Ok(fields([("status", json!(u8::from(a.can_open_publisher)))]))
}

/// `agency_create_publisher`.
pub(crate) fn create(a: &mut Authorizer, now: u64) -> AmsResult {
    if a.publisher {
        return Err(AmsError::new(2021, "publisher already opened"));
    }
    if !a.can_open_publisher {
        return Err(AmsError::new(2013, "the opening threshold is not met (1000 unique visitors)"));
    }
    a.publisher = true;
    a.publisher_opened_at = Some(now);
    Ok(Default::default())
}
