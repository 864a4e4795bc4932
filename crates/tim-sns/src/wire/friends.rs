//! `friend_*` requests and answers.

use super::TagValue;
use crate::friends::FriendRelation;
use serde::{Deserialize, Serialize};
use tx_core::lenient;

/// `friend_add` request.
#[derive(Debug, Serialize)]
pub(crate) struct AddRequest<'a> {
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    #[serde(rename = "AddFriendItem")]
    pub items: Vec<AddItem<'a>>,
    #[serde(rename = "AddType", skip_serializing_if = "Option::is_none")]
    pub add_type: Option<&'a str>,
    #[serde(rename = "ForceAddFlags", skip_serializing_if = "Option::is_none")]
    pub force_add_flags: Option<u8>,
}

/// One `friend_add` `AddFriendItem`.
#[derive(Debug, Serialize)]
pub(crate) struct AddItem<'a> {
    #[serde(rename = "To_Account")]
    pub to: &'a str,
    #[serde(rename = "AddSource")]
    pub add_source: &'a str,
    #[serde(rename = "Remark", skip_serializing_if = "Option::is_none")]
    pub remark: Option<&'a str>,
    #[serde(rename = "GroupName", skip_serializing_if = "Option::is_none")]
    pub group: Option<&'a str>,
    #[serde(rename = "AddWording", skip_serializing_if = "Option::is_none")]
    pub wording: Option<&'a str>,
}

/// `friend_import` request.
#[derive(Debug, Serialize)]
pub(crate) struct ImportRequest<'a> {
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    #[serde(rename = "AddFriendItem")]
    pub items: Vec<ImportItem<'a>>,
}

/// One `friend_import` `AddFriendItem`.
#[derive(Debug, Serialize)]
pub(crate) struct ImportItem<'a> {
    #[serde(rename = "To_Account")]
    pub to: &'a str,
    #[serde(rename = "AddSource")]
    pub add_source: &'a str,
    #[serde(rename = "Remark", skip_serializing_if = "Option::is_none")]
    pub remark: Option<&'a str>,
    #[serde(rename = "RemarkTime", skip_serializing_if = "Option::is_none")]
    pub remark_time: Option<u64>,
    #[serde(rename = "GroupName", skip_serializing_if = "<[String]>::is_empty")]
    pub groups: &'a [String],
    #[serde(rename = "AddWording", skip_serializing_if = "Option::is_none")]
    pub wording: Option<&'a str>,
    #[serde(rename = "AddTime", skip_serializing_if = "Option::is_none")]
    pub added_at: Option<u64>,
    #[serde(rename = "CustomItem", skip_serializing_if = "Vec::is_empty")]
    pub custom: Vec<TagValueRef<'a>>,
}

/// A `{Tag, Value}` pair in a request.
#[derive(Debug, Serialize)]
pub(crate) struct TagValueRef<'a> {
    #[serde(rename = "Tag")]
    pub tag: &'a str,
    #[serde(rename = "Value")]
    pub value: &'a serde_json::Value,
}

/// `friend_update` request.
#[derive(Debug, Serialize)]
pub(crate) struct UpdateRequest<'a> {
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    #[serde(rename = "UpdateItem")]
    pub items: Vec<UpdateItem<'a>>,
}

/// One `friend_update` `UpdateItem`.
#[derive(Debug, Serialize)]
pub(crate) struct UpdateItem<'a> {
    #[serde(rename = "To_Account")]
    pub to: &'a str,
    #[serde(rename = "SnsItem")]
    pub sns: Vec<TagValueRef<'a>>,
}

/// `friend_delete` request.
#[derive(Debug, Serialize)]
pub(crate) struct DeleteRequest<'a> {
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    #[serde(rename = "To_Account")]
    pub to: Vec<&'a str>,
    #[serde(rename = "DeleteType")]
    pub delete_type: &'a str,
}

/// `friend_delete_all` request.
#[derive(Debug, Serialize)]
pub(crate) struct DeleteAllRequest<'a> {
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    #[serde(rename = "DeleteType")]
    pub delete_type: &'a str,
}

/// One `friend_check` `InfoItem`.
pub(crate) type CheckItem = super::CheckItem<FriendRelation>;

/// `friend_check` answer (`InfoItem`, not `ResultItem`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct CheckReply {
    #[serde(rename = "InfoItem", default, deserialize_with = "lenient::vec_or_null")]
    pub items: Vec<CheckItem>,
    #[serde(rename = "Fail_Account", default, deserialize_with = "lenient::vec_or_null")]
    pub fail_account: Vec<String>,
}

/// `friend_get` request.
#[derive(Debug, Serialize)]
pub(crate) struct GetRequest<'a> {
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    #[serde(rename = "StartIndex")]
    pub start_index: u64,
    #[serde(rename = "StandardSequence", skip_serializing_if = "Option::is_none")]
    pub standard_sequence: Option<u64>,
    #[serde(rename = "CustomSequence", skip_serializing_if = "Option::is_none")]
    pub custom_sequence: Option<u64>,
}

/// One `friend_get` `UserDataItem`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct UserDataItem {
    #[serde(rename = "To_Account", default)]
    pub to_account: String,
    #[serde(rename = "ValueItem", default, deserialize_with = "lenient::vec_or_null")]
    pub values: Vec<TagValue>,
}

/// `friend_get` answer.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct GetReply {
    #[serde(rename = "UserDataItem", default, deserialize_with = "lenient::vec_or_null")]
    pub items: Vec<UserDataItem>,
    #[serde(rename = "StandardSequence", default, deserialize_with = "lenient::u64_from_any")]
    pub standard_sequence: u64,
    #[serde(rename = "CustomSequence", default, deserialize_with = "lenient::u64_from_any")]
    pub custom_sequence: u64,
    #[serde(rename = "FriendNum", default, deserialize_with = "lenient::u64_from_any")]
    pub friend_num: u64,
    #[serde(rename = "CompleteFlag", default, deserialize_with = "lenient::i64_from_any")]
    pub complete_flag: i64,
    #[serde(rename = "NextStartIndex", default, deserialize_with = "lenient::u64_from_any")]
    pub next_start_index: u64,
}

/// `friend_get_list` request.
#[derive(Debug, Serialize)]
pub(crate) struct GetListRequest<'a> {
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    #[serde(rename = "To_Account")]
    pub to: Vec<&'a str>,
    #[serde(rename = "TagList")]
    pub tags: &'a [String],
}

/// One `friend_get_list` `InfoItem`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct GetListItem {
    #[serde(rename = "To_Account", default)]
    pub to_account: String,
    #[serde(rename = "SnsProfileItem", default, deserialize_with = "lenient::vec_or_null")]
    pub values: Vec<TagValue>,
    #[serde(rename = "ResultCode", default, deserialize_with = "lenient::i64_from_any")]
    pub result_code: i64,
    #[serde(rename = "ResultInfo", default, deserialize_with = "lenient::string_from_any")]
    pub result_info: String,
}

/// `friend_get_list` answer.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct GetListReply {
    #[serde(rename = "InfoItem", default, deserialize_with = "lenient::vec_or_null")]
    pub items: Vec<GetListItem>,
    #[serde(rename = "Fail_Account", default, deserialize_with = "lenient::vec_or_null")]
    pub fail_account: Vec<String>,
}
