//! `v4/sns/group_{add,delete,get}`: friend groups.

use super::blocklist::owner;
use super::body::Body;
use super::ctx::{Ctx, ResultItem, Results};
use super::envelope::{TimError, ok};
use super::state::AppState;
use axum::body::Body as HttpBody;
use axum::http::Response;
use serde::Serialize;

const MAX_ACCOUNTS: usize = 1000;

#[derive(Serialize)]
struct AddReply {
    #[serde(rename = "CurrentSequence")]
    current: u64,
    #[serde(rename = "ResultItem", skip_serializing_if = "Option::is_none")]
    items: Option<Vec<ResultItem>>,
    #[serde(rename = "Fail_Account", skip_serializing_if = "Option::is_none")]
    fail: Option<Vec<String>>,
}

/// The `GroupName` list: at most `max` names (a parameter error past it), none empty.
fn group_names<'a>(body: &Body<'a>, max: usize) -> Result<Vec<&'a str>, TimError> {
    let names = body.strings("GroupName", max)?;
    if let Some(empty) = names.iter().find(|n| n.is_empty()) {
        return Err(body.err(format!("GroupName {empty:?} is empty")));
    }
    Ok(names)
}

/// `group_add`: creates groups (30001 if one exists, 30011 past the group limit) and
/// puts the listed friends in them.
pub(crate) fn add(app: &mut AppState, body: &Body<'_>, ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    // Too many names is the group limit's 30011 below, not a parameter error.
    let names = group_names(body, usize::MAX)?;
    let to = match body.opt_strings("To_Account")? {
        Some(v) if v.len() > MAX_ACCOUNTS => return Err(body.err(format!("To_Account has more than {MAX_ACCOUNTS}"))),
        other => other,
    };
    let limit = app.group_limit;
    let user = app.users.get_mut(from).ok_or_else(|| TimError::new(30003, "From_Account does not exist"))?;
    if let Some(dup) = names.iter().find(|n| user.groups.iter().any(|g| g == *n)) {
        return Err(TimError::new(30001, format!("Err_SNS_GroupAdd_Group_Exist: {dup}")));
    }
    if user.groups.len() + names.len() > limit {
        return Err(TimError::new(30011, "Err_SNS_GroupAdd_Too_Many_Groups"));
    }
    user.groups.extend(names.iter().map(|n| (*n).to_owned()));
    user.group_seq += 1;
    let mut items = None;
    let mut codes = Vec::new();
    let mut fail = None;
    if let Some(to) = to {
        let mut results = Results::with_capacity(to.len());
        for (i, b) in to.iter().enumerate() {
            let (code, info) = match ctx.fault_for(i, to.len()) {
                Some(code) => (code, ctx.injected_info(code)),
                None => match user.friends.get_mut(*b) {
                    Some(f) => {
                        for n in &names {
                            if !f.groups.iter().any(|g| g == n) {
                                f.groups.push((*n).to_owned());
                            }
                        }
                        (0, String::new())
                    }
                    None => (30001, ctx.info("Not_Friend")),
                },
            };
            results.push(b, code, ResultItem { to_account: (*b).to_owned(), result_code: code, result_info: info });
        }
        fail = results.fail_account();
        codes = results.codes;
        items = Some(results.items);
    }
    Ok(ok(&AddReply { current: user.group_seq, items, fail }, codes))
}

#[derive(Serialize)]
struct SeqReply {
    #[serde(rename = "CurrentSequence")]
    current: u64,
}

/// `group_delete`: removes groups (30001 if one does not exist) and takes their friends
/// out of them.
pub(crate) fn delete(app: &mut AppState, body: &Body<'_>, _ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    let names = group_names(body, app.group_limit.max(1))?;
    let user = app.users.get_mut(from).ok_or_else(|| TimError::new(30003, "From_Account does not exist"))?;
    if let Some(missing) = names.iter().find(|n| !user.groups.iter().any(|g| g == *n)) {
        return Err(TimError::new(30001, format!("Err_SNS_GroupDelete_Group_Not_Exist: {missing}")));
    }
    user.groups.retain(|g| !names.contains(&g.as_str()));
    for f in user.friends.values_mut() {
        f.groups.retain(|g| !names.contains(&g.as_str()));
    }
    user.group_seq += 1;
    Ok(ok(&SeqReply { current: user.group_seq }, Vec::new()))
}

#[derive(Serialize)]
struct GroupItem {
    #[serde(rename = "GroupName")]
    name: String,
    #[serde(rename = "FriendNumber")]
    friend_number: usize,
    #[serde(rename = "To_Account", skip_serializing_if = "Option::is_none")]
    to_account: Option<Vec<String>>,
}

#[derive(Serialize)]
struct GetReply {
    #[serde(rename = "ResultItem")]
    items: Vec<GroupItem>,
    #[serde(rename = "CurrentSequence")]
    current: u64,
}

/// `group_get`: all groups, or those named in `GroupName`; members with
/// `Need_Friend_Type_Yes`.
pub(crate) fn get(app: &mut AppState, body: &Body<'_>, _ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    let need_friend = match body.string("NeedFriend")? {
        "Need_Friend_Type_Yes" => true,
        "Need_Friend_Type_No" => false,
        other => return Err(body.err(format!("NeedFriend {other} is not a valid value"))),
    };
    let wanted = body.opt_strings("GroupName")?;
    let user = &app.users[from];
    let friends = user.friends_in_order();
    let items = user
        .groups
        .iter()
        .filter(|g| wanted.as_ref().is_none_or(|w| w.contains(&g.as_str())))
        .map(|g| {
            let members: Vec<String> =
                friends.iter().filter(|(_, f)| f.groups.contains(g)).map(|(id, _)| (*id).clone()).collect();
            GroupItem { name: g.clone(), friend_number: members.len(), to_account: need_friend.then_some(members) }
        })
        .collect();
    Ok(ok(&GetReply { items, current: user.group_seq }, Vec::new()))
}
