//! `black_list_add`, `black_list_delete`, `black_list_get`, `black_list_check`.

use crate::blocklist::Relation;
use serde::{Deserialize, Serialize};
use tx_core::lenient;

/// One `BlackListCheckItem`.
pub(crate) type CheckItem = super::CheckItem<Relation>;

/// `black_list_check` answer. The item array is `BlackListCheckItem` today; older SDK
/// models read `ResultItem` and an `Invalid_Account` list, so both names are accepted
/// (two fields rather than an alias, so that an answer carrying both still decodes).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct CheckReply {
    #[serde(rename = "BlackListCheckItem", default, deserialize_with = "lenient::vec_or_null")]
    pub black_list_check_item: Vec<CheckItem>,
    #[serde(rename = "ResultItem", default, deserialize_with = "lenient::vec_or_null")]
    pub result_item: Vec<CheckItem>,
    #[serde(rename = "Fail_Account", default, deserialize_with = "lenient::vec_or_null")]
    pub fail_account: Vec<String>,
    #[serde(rename = "Invalid_Account", default)]
    pub invalid_account: Option<Vec<String>>,
}

impl CheckReply {
    /// The items, whichever name they came under.
    pub fn into_items(self) -> Vec<CheckItem> {
        if self.black_list_check_item.is_empty() { self.result_item } else { self.black_list_check_item }
    }
}

/// `black_list_get` request.
#[derive(Debug, Serialize)]
pub(crate) struct GetRequest<'a> {
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    #[serde(rename = "StartIndex")]
    pub start_index: u64,
    #[serde(rename = "MaxLimited")]
    pub max_limited: u32,
    #[serde(rename = "LastSequence")]
    pub last_sequence: u64,
}

/// One `BlackListItem`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct BlackListItem {
    #[serde(rename = "To_Account", default)]
    pub to_account: String,
    #[serde(rename = "AddBlackTimeStamp", default, deserialize_with = "lenient::u64_from_any")]
    pub added_at: u64,
}

/// `black_list_get` answer. The sequence is `CurrentSequence` in the Chinese docs and
/// `CurruentSequence` in the EN/JP/KO docs; both are read.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct GetReply {
    #[serde(rename = "BlackListItem", default, deserialize_with = "lenient::vec_or_null")]
    pub items: Vec<BlackListItem>,
    #[serde(rename = "StartIndex", default, deserialize_with = "lenient::u64_from_any")]
    pub start_index: u64,
    #[serde(rename = "CurrentSequence", default, deserialize_with = "lenient::opt_i64_from_any")]
    pub current_sequence: Option<i64>,
    #[serde(rename = "CurruentSequence", default, deserialize_with = "lenient::opt_i64_from_any")]
    pub curruent_sequence: Option<i64>,
}

impl GetReply {
    /// The sequence, whichever spelling carried it.
    pub fn sequence(&self) -> Option<u64> {
        self.current_sequence.or(self.curruent_sequence).and_then(|s| u64::try_from(s).ok())
    }
}
