//! `v4/im_open_login_svc/{account_import, multiaccount_import, account_check,
//! account_delete}`: how accounts are seeded, checked and removed over the wire. Bad
//! parameters answer 70402 (the account-import pages' code).

use super::body::Body;
use super::envelope::{TimError, ok, ok_empty};
use super::state::AppState;
use axum::body::Body as HttpBody;
use axum::http::Response;
use serde::Serialize;

/// Longest UserID in bytes.
const MAX_USERID: usize = 32;
/// Most accounts per `multiaccount_import`.
const MAX_MULTI: usize = 100;

fn valid_userid(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_USERID
}

/// `account_import`: `UserID` (≤ 32 bytes), optional `Nick`, `FaceUrl`. Importing an
/// existing account succeeds.
pub(crate) fn import(app: &mut AppState, body: &Body<'_>) -> Result<Response<HttpBody>, TimError> {
    let id = body.string("UserID")?;
    body.opt_string("Nick")?;
    body.opt_string("FaceUrl")?;
    if !valid_userid(id) {
        return Err(body.err(format!("UserID must be 1..={MAX_USERID} bytes")));
    }
    app.users.entry(id.to_owned()).or_default();
    Ok(ok_empty())
}

#[derive(Serialize)]
struct MultiReply {
    #[serde(rename = "FailAccounts", skip_serializing_if = "Vec::is_empty")]
    fail: Vec<String>,
}

/// `multiaccount_import`: `Accounts` (≤ 100); invalid ids are listed in `FailAccounts`.
pub(crate) fn import_many(app: &mut AppState, body: &Body<'_>) -> Result<Response<HttpBody>, TimError> {
    let ids = body.strings("Accounts", MAX_MULTI)?;
    let mut fail = Vec::new();
    for id in ids {
        if valid_userid(id) {
            app.users.entry(id.to_owned()).or_default();
        } else {
            fail.push(id.to_owned());
        }
    }
    let codes = vec![70402; fail.len()];
    Ok(ok(&MultiReply { fail }, codes))
}

/// Most items per `account_check` and `account_delete`.
const MAX_ITEMS: usize = 100;

/// The `UserID`s of `name`'s items (`[{UserID}]`, 1..=100).
fn user_ids<'a>(body: &Body<'a>, name: &str) -> Result<Vec<&'a str>, TimError> {
    body.objects(name, MAX_ITEMS)?.iter().map(|item| item.string("UserID")).collect()
}

#[derive(Serialize)]
struct CheckItem<'a> {
    #[serde(rename = "UserID")]
    user_id: &'a str,
    #[serde(rename = "ResultCode")]
    result_code: i64,
    #[serde(rename = "ResultInfo")]
    result_info: &'static str,
    #[serde(rename = "AccountStatus")]
    account_status: &'static str,
}

#[derive(Serialize)]
struct Items<T> {
    #[serde(rename = "ResultItem")]
    items: Vec<T>,
}

/// `account_check`: `CheckItem: [{UserID}]` (≤ 100) → `ResultItem: [{UserID, ResultCode,
/// ResultInfo, AccountStatus: "Imported" | "NotImported"}]`.
pub(crate) fn check(app: &AppState, body: &Body<'_>) -> Result<Response<HttpBody>, TimError> {
    let ids = user_ids(body, "CheckItem")?;
    let items = ids
        .into_iter()
        .map(|id| CheckItem {
            user_id: id,
            result_code: 0,
            result_info: "",
            account_status: if app.exists(id) { "Imported" } else { "NotImported" },
        })
        .collect();
    Ok(ok(&Items { items }, Vec::new()))
}

#[derive(Serialize)]
struct DeleteItem<'a> {
    #[serde(rename = "ResultCode")]
    result_code: i64,
    #[serde(rename = "ResultInfo")]
    result_info: &'static str,
    #[serde(rename = "UserID")]
    user_id: &'a str,
}

/// `account_delete`: `DeleteItem: [{UserID}]` (≤ 100) → `ResultItem: [{ResultCode,
/// ResultInfo, UserID}]`; an account that does not exist fails with 70107
/// (`Err_TLS_PT_Open_Login_Account_Not_Exist`, as in the official sample). A deleted
/// account's own lists go with it; other users' lists keep naming it.
pub(crate) fn delete(app: &mut AppState, body: &Body<'_>) -> Result<Response<HttpBody>, TimError> {
    let ids = user_ids(body, "DeleteItem")?;
    let mut codes = Vec::new();
    let items = ids
        .into_iter()
        .map(|id| {
            if app.users.remove(id).is_some() {
                DeleteItem { result_code: 0, result_info: "", user_id: id }
            } else {
                codes.push(70107);
                DeleteItem { result_code: 70107, result_info: "Err_TLS_PT_Open_Login_Account_Not_Exist", user_id: id }
            }
        })
        .collect();
    Ok(ok(&Items { items }, codes))
}
