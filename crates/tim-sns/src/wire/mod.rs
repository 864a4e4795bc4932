//! The JSON shapes of `v4/sns/*` requests and answers, field names exactly as the API
//! spells them. Decoding is lenient: missing lists are empty, numbers may arrive as
//! strings, unknown fields are ignored.

pub(crate) mod accounts;
pub(crate) mod blocklist;
pub(crate) mod friends;
pub(crate) mod groups;

use crate::protocol::code;
use serde::{Deserialize, Serialize};
use tx_core::WireEnum;
use tx_core::batch::WireResult;
use tx_core::lenient;

/// A missing `Relation` is an unknown, empty one.
fn no_relation<R: WireEnum>() -> R {
    R::from_wire("")
}

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

impl ResultItem {
    /// The item as the batch engine reads it, with `value` if it succeeded.
    pub fn into_wire<V>(self, value: V) -> WireResult<V> {
        let message = code::message(self.result_code, &self.result_info);
        WireResult { id: self.to_account, code: self.result_code, message, value }
    }
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

/// `black_list_check` and `friend_check` request.
#[derive(Debug, Serialize)]
pub(crate) struct CheckRequest<'a> {
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    #[serde(rename = "To_Account")]
    pub to: Vec<&'a str>,
    #[serde(rename = "CheckType")]
    pub check_type: &'a str,
}

/// One checked account of `black_list_check` (`R` = `Relation`) or `friend_check`
/// (`R` = `FriendRelation`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(bound(deserialize = "R: WireEnum + Deserialize<'de>"))]
pub(crate) struct CheckItem<R> {
    #[serde(rename = "To_Account", default)]
    pub to_account: String,
    #[serde(rename = "Relation", default = "no_relation")]
    pub relation: R,
    #[serde(rename = "ResultCode", default, deserialize_with = "lenient::i64_from_any")]
    pub result_code: i64,
    #[serde(rename = "ResultInfo", default, deserialize_with = "lenient::string_from_any")]
    pub result_info: String,
}

impl<R> CheckItem<R> {
    /// The item as the batch engine reads it: the relation is its value.
    pub fn into_wire(self) -> WireResult<R> {
        let message = code::message(self.result_code, &self.result_info);
        WireResult { id: self.to_account, code: self.result_code, message, value: self.relation }
    }
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

#[cfg(test)]
mod tests {
    use super::CheckItem;
    use crate::{FriendRelation, Relation};

    #[test]
    fn a_check_item_without_relation_has_an_empty_unknown_one() {
        let json = r#"{"To_Account":"x","ResultCode":30003,"ResultInfo":"Account_Not_Exist"}"#;
        let block: CheckItem<Relation> = serde_json::from_str(json).unwrap();
        assert_eq!(block.relation, Relation::Unknown(String::new()));
        assert_eq!(block.result_code, 30003);
        let friend: CheckItem<FriendRelation> = serde_json::from_str(json).unwrap();
        assert_eq!(friend.relation, FriendRelation::Unknown(String::new()));
        let known: CheckItem<Relation> =
            serde_json::from_str(r#"{"To_Account":"y","Relation":"BlackCheckResult_Type_BWithA"}"#).unwrap();
        assert_eq!(known.relation, Relation::BWithA);
    }
}
