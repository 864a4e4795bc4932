//! `v4/im_open_login_svc/{account_import, multiaccount_import}`: how accounts are seeded
//! over the wire. Bad parameters answer 70402 (the account-import pages' code).

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
