//! `v4/im_open_login_svc/{multiaccount_import, account_check, account_delete}`.

use serde::{Deserialize, Serialize};
use tx_core::lenient;

/// `multiaccount_import` request.
#[derive(Debug, Serialize)]
pub(crate) struct ImportRequest<'a> {
    #[serde(rename = "Accounts")]
    pub accounts: Vec<&'a str>,
}

/// `multiaccount_import` answer: the accounts that could not be imported.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct ImportReply {
    #[serde(rename = "FailAccounts", default, deserialize_with = "lenient::vec_or_null")]
    pub fail_accounts: Vec<String>,
}

/// One `{UserID}` of `CheckItem` or `DeleteItem`.
#[derive(Debug, Serialize)]
pub(crate) struct UserItem<'a> {
    #[serde(rename = "UserID")]
    pub user_id: &'a str,
}

/// `account_check` request.
#[derive(Debug, Serialize)]
pub(crate) struct CheckRequest<'a> {
    #[serde(rename = "CheckItem")]
    pub items: Vec<UserItem<'a>>,
}

/// `account_delete` request.
#[derive(Debug, Serialize)]
pub(crate) struct DeleteRequest<'a> {
    #[serde(rename = "DeleteItem")]
    pub items: Vec<UserItem<'a>>,
}

/// One `ResultItem` of `account_check` (with `AccountStatus`) or `account_delete`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct ResultItem {
    #[serde(rename = "UserID", default, deserialize_with = "lenient::string_from_any")]
    pub user_id: String,
    #[serde(rename = "ResultCode", default, deserialize_with = "lenient::i64_from_any")]
    pub result_code: i64,
    #[serde(rename = "ResultInfo", default, deserialize_with = "lenient::string_from_any")]
    pub result_info: String,
    #[serde(rename = "AccountStatus", default, deserialize_with = "lenient::string_from_any")]
    pub account_status: String,
}

/// `account_check` and `account_delete` answer.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct ResultReply {
    #[serde(rename = "ResultItem", default, deserialize_with = "lenient::vec_or_null")]
    pub result_item: Vec<ResultItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_shapes() {
        let body = serde_json::to_string(&CheckRequest { items: vec![UserItem { user_id: "alice" }] }).unwrap();
        assert_eq!(body, r#"{"CheckItem":[{"UserID":"alice"}]}"#);
        let reply: ResultReply = serde_json::from_str(
            r#"{"ResultItem":[{"UserID":"alice","ResultCode":0,"ResultInfo":"","AccountStatus":"Imported"}],"ActionStatus":"OK","ErrorCode":0}"#,
        )
        .unwrap();
        assert_eq!(reply.result_item[0].account_status, "Imported");
        let import: ImportReply = serde_json::from_str(r#"{"FailAccounts":["x"],"ActionStatus":"OK"}"#).unwrap();
        assert_eq!(import.fail_accounts, ["x"]);
        let none: ImportReply = serde_json::from_str(r#"{"ActionStatus":"OK"}"#).unwrap();
        assert!(none.fail_accounts.is_empty());
    }
}
