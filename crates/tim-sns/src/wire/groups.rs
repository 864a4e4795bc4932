//! `group_add`, `group_delete`, `group_get`.

use super::ResultItem;
use serde::{Deserialize, Serialize};
use tx_core::lenient;

/// `group_add` request.
#[derive(Debug, Serialize)]
pub(crate) struct AddRequest<'a> {
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    #[serde(rename = "GroupName")]
    pub names: &'a [String],
    #[serde(rename = "To_Account", skip_serializing_if = "Option::is_none")]
    pub to: Option<&'a [String]>,
}

/// `group_add` answer.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct AddReply {
    #[serde(rename = "CurrentSequence", default, deserialize_with = "lenient::u64_from_any")]
    pub sequence: u64,
    #[serde(rename = "ResultItem", default, deserialize_with = "lenient::vec_or_null")]
    pub items: Vec<ResultItem>,
    #[serde(rename = "Fail_Account", default, deserialize_with = "lenient::vec_or_null")]
    pub fail_account: Vec<String>,
}

/// `group_delete` request.
#[derive(Debug, Serialize)]
pub(crate) struct DeleteRequest<'a> {
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    #[serde(rename = "GroupName")]
    pub names: &'a [String],
}

/// An answer that carries only `CurrentSequence`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct SequenceReply {
    #[serde(rename = "CurrentSequence", default, deserialize_with = "lenient::u64_from_any")]
    pub sequence: u64,
}

/// `group_get` request.
#[derive(Debug, Serialize)]
pub(crate) struct GetRequest<'a> {
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    #[serde(rename = "NeedFriend")]
    pub need_friend: &'a str,
    #[serde(rename = "GroupName", skip_serializing_if = "Option::is_none")]
    pub names: Option<&'a [String]>,
}

/// One `group_get` `ResultItem`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct GroupItem {
    #[serde(rename = "GroupName", default, deserialize_with = "lenient::string_from_any")]
    pub name: String,
    #[serde(rename = "FriendNumber", default, deserialize_with = "lenient::u64_from_any")]
    pub friend_number: u64,
    #[serde(rename = "To_Account", default, deserialize_with = "lenient::vec_or_null")]
    pub members: Vec<String>,
}

/// `group_get` answer.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct GetReply {
    #[serde(rename = "ResultItem", default, deserialize_with = "lenient::vec_or_null")]
    pub items: Vec<GroupItem>,
    #[serde(rename = "CurrentSequence", default, deserialize_with = "lenient::u64_from_any")]
    pub sequence: u64,
}
