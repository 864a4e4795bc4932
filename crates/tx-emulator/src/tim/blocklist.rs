//! `v4/sns/black_list_{add,delete,get,check}`.

use super::body::Body;
use super::ctx::{Ctx, ItemOutcome, ItemsReply, OK, ResultItem, Results};
use super::envelope::{TimError, ok};
use super::relation::{CheckItem, RelationNames, check_relations};
use super::state::AppState;
use axum::body::Body as HttpBody;
use axum::http::Response;
use serde::Serialize;

/// Most `To_Account` entries per request, and most entries per page.
const MAX_ACCOUNTS: usize = 1000;

/// The owner named by `From_Account`, which must exist (30003 otherwise).
pub(crate) fn owner<'a>(app: &AppState, body: &Body<'a>) -> Result<&'a str, TimError> {
    let from = body.string("From_Account")?;
    if !app.exists(from) {
        return Err(TimError::new(30003, format!("From_Account {from} does not exist")));
    }
    Ok(from)
}

fn batch(
    app: &mut AppState,
    body: &Body<'_>,
    ctx: &Ctx,
    mut each: impl FnMut(&mut AppState, &str, &str) -> ItemOutcome,
) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    let to = body.strings("To_Account", MAX_ACCOUNTS)?;
    let mut results = Results::with_capacity(to.len());
    for (i, b) in to.iter().enumerate() {
        let (code, info) = match ctx.fault_for(i, to.len()) {
            Some(code) => (code, ctx.injected_info(code)),
            None => match each(app, from, b) {
                (0, _) => (0, String::new()),
                (code, reason) => (code, ctx.info(reason)),
            },
        };
        results.push(b, code, ResultItem { to_account: (*b).to_owned(), result_code: code, result_info: info });
    }
    let fail = results.fail_account();
    Ok(ok(&ItemsReply { items: results.items, fail }, results.codes))
}

/// `black_list_add`: blocking also ends a friendship both ways.
pub(crate) fn add(app: &mut AppState, body: &Body<'_>, ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    batch(app, body, ctx, |app, a, b| {
        if a == b {
            return (30001, "Cannot_Block_Self");
        }
        if !app.exists(b) {
            return (30003, "Account_Not_Exist");
        }
        if app.blocks(a, b) {
            return (30001, "Already_Exist");
        }
        if app.users.get(a).map_or(0, |u| u.blocklist.len()) >= app.blocklist_limit {
            return (30013, "BlackList_Full");
        }
        app.block(a, b, ctx.now);
        OK
    })
}

/// `black_list_delete`.
pub(crate) fn delete(app: &mut AppState, body: &Body<'_>, ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    batch(app, body, ctx, |app, a, b| {
        if !app.exists(b) {
            return (30003, "Account_Not_Exist");
        }
        let Some(u) = app.users.get_mut(a) else { return (30003, "Account_Not_Exist") };
        if u.blocklist.remove(b).is_none() {
            return (30001, "Not_In_BlackList");
        }
        u.block_seq += 1;
        OK
    })
}

#[derive(Serialize)]
struct BlackListItem {
    #[serde(rename = "To_Account")]
    to_account: String,
    #[serde(rename = "AddBlackTimeStamp")]
    added_at: u64,
}

#[derive(Serialize)]
struct GetReply {
    #[serde(rename = "BlackListItem")]
    items: Vec<BlackListItem>,
    #[serde(rename = "StartIndex")]
    start_index: u64,
    #[serde(rename = "CurrentSequence", skip_serializing_if = "Option::is_none")]
    current: Option<u64>,
    #[serde(rename = "CurruentSequence", skip_serializing_if = "Option::is_none")]
    legacy: Option<u64>,
}

/// `black_list_get`: pages in blocking order; the reply's `StartIndex` is where the next
/// page starts, 0 when there is none.
pub(crate) fn get(app: &mut AppState, body: &Body<'_>, ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    let start = body.int("StartIndex")?;
    let max = body.int("MaxLimited")?;
    body.int("LastSequence")?;
    if start < 0 {
        return Err(body.err("StartIndex must not be negative"));
    }
    if !(1..=MAX_ACCOUNTS as i64).contains(&max) {
        return Err(body.err(format!("MaxLimited must be 1..={MAX_ACCOUNTS}")));
    }
    let user = &app.users[from];
    let mut entries: Vec<_> = user.blocklist.iter().collect();
    entries.sort_by_key(|(_, b)| b.order);
    let start = start as usize;
    let end = start.saturating_add(max as usize).min(entries.len());
    let items = entries
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .map(|(id, b)| BlackListItem { to_account: (*id).clone(), added_at: b.added_at })
        .collect();
    let next = if end < entries.len() { end as u64 } else { 0 };
    let seq = user.block_seq;
    let (current, legacy) = if ctx.legacy_sequence { (None, Some(seq)) } else { (Some(seq), None) };
    Ok(ok(&GetReply { items, start_index: next, current, legacy }, Vec::new()))
}

#[derive(Serialize)]
struct CheckReply {
    #[serde(rename = "BlackListCheckItem")]
    items: Vec<CheckItem>,
    #[serde(rename = "Fail_Account", skip_serializing_if = "Option::is_none")]
    fail: Option<Vec<String>>,
}

const BLOCK_RELATIONS: RelationNames = RelationNames {
    both: "BlackCheckResult_Type_Both",
    single: "BlackCheckResult_Type_Single",
    both_way: "BlackCheckResult_Type_BothWay",
    a_with_b: "BlackCheckResult_Type_AWithB",
    b_with_a: "BlackCheckResult_Type_BWithA",
    none: "BlackCheckResult_Type_NO",
};

/// `black_list_check`: `Single` looks at A's list only; `Both` at both lists.
pub(crate) fn check(app: &mut AppState, body: &Body<'_>, ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    let to = body.strings("To_Account", MAX_ACCOUNTS)?;
    let owner = &app.users[from];
    let mut results = check_relations(body, ctx, &to, &BLOCK_RELATIONS, |b| {
        let other = app.users.get(b)?;
        Some((owner.blocklist.contains_key(b), other.blocklist.contains_key(from)))
    })?;
    let fail = results.fail_account();
    Ok(ok(&CheckReply { items: results.items, fail }, results.codes))
}
