//! The blocked AMS industry categories of a mini program (actions 19–20).

use super::{Ack, OPERATION_PATH, action};
use crate::CategorySet;
use serde::{Deserialize, Serialize};

/// `agency_get_mp_amscategory_blacklist`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GetAmsCategoryBlackListRequest {}

/// The answer of `agency_get_mp_amscategory_blacklist`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AmsCategoryBlackList {
    /// The blocked categories (a pipe string on the wire; unknown values are kept).
    #[serde(default)]
    pub ams_category: CategorySet,
}

/// `agency_set_mp_amscategory_blacklist`: sets the blocked categories, presumably replacing
/// the whole set. Unknown values are refused before sending; the empty set is sent as `""`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SetAmsCategoryBlackListRequest {
    /// The categories to block.
    pub ams_category: CategorySet,
}

action!(GetAmsCategoryBlackListRequest => AmsCategoryBlackList, "agency_get_mp_amscategory_blacklist", OPERATION_PATH, Authorizer, Idempotent, |_r| Ok(()));
action!(SetAmsCategoryBlackListRequest => Ack, "agency_set_mp_amscategory_blacklist", OPERATION_PATH, Authorizer, Idempotent,
    |r| r.ams_category.validate("ams_category"));
