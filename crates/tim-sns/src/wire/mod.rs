//! The JSON shapes of `v4/sns/*` requests and answers, field names exactly as the API
//! spells them. Decoding is lenient: missing lists are empty, numbers may arrive as
//! strings, unknown fields are ignored.

pub(crate) mod blocklist;
pub(crate) mod friends;
pub(crate) mod groups;

use serde::{Deserialize, Serialize};
use tx_core::lenient;

/// One entry of a `ResultItem` array: an account and its outcome.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct ResultItem {
    #[serde(rename = "To_Account", default)]
    pub to_account: String,
    #[serde(rename = "ResultCode", default, deserialize_with = "lenient::i64_from_any")]
    pub result_code: i64,
    #[serde(rename = "ResultInfo", default, deserialize_with = "lenient::string_from_any")]
    pub result_info: String,
}

/// The answer of the write endpoints: `ResultItem` and `Fail_Account`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct ItemsReply {
    #[serde(rename = "ResultItem", default, deserialize_with = "lenient::vec_or_null")]
    pub result_item: Vec<ResultItem>,
    #[serde(rename = "Fail_Account", default, deserialize_with = "lenient::vec_or_null")]
    pub fail_account: Vec<String>,
}

/// `From_Account` plus `To_Account`: `black_list_add` and `black_list_delete`.
#[derive(Debug, Serialize)]
pub(crate) struct AccountsRequest<'a> {
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    #[serde(rename = "To_Account")]
    pub to: Vec<&'a str>,
}

/// A `{Tag, Value}` pair of friend data.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub(crate) struct TagValue {
    #[serde(rename = "Tag", default)]
    pub tag: String,
    #[serde(rename = "Value", default)]
    pub value: serde_json::Value,
}

#[cfg(test)]
mod seeds;
