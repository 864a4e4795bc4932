//! `v4/sns/friend_*`.

use super::blocklist::owner;
use super::body::Body;
use super::ctx::{Ctx, ItemOutcome, ItemsReply, OK, ResultItem, Results};
use super::envelope::{TimError, ok, ok_empty};
use super::relation::{RelationNames, check_relations};
use super::state::{AppState, Friend};
use axum::body::Body as HttpBody;
use axum::http::Response;
use serde::Serialize;
use serde_json::Value;

const MAX_IMPORT: usize = 1000;
const MAX_ACCOUNTS: usize = 1000;
const PAGE: usize = 100;
const CUSTOM_PREFIX: &str = "Tag_SNS_Custom_";

#[derive(Serialize)]
pub(crate) struct TagValue {
    #[serde(rename = "Tag")]
    tag: String,
    #[serde(rename = "Value")]
    value: Value,
}

fn tag(tag: &str, value: impl Into<Value>) -> TagValue {
    TagValue { tag: tag.to_owned(), value: value.into() }
}

/// One parsed friend item of `friend_add` / `friend_import`.
struct NewFriend<'a> {
    to: &'a str,
    friend: Friend,
}

fn parse_new_friend<'a>(item: &Body<'a>, import: bool, now: u64) -> Result<NewFriend<'a>, TimError> {
    let to = item.string("To_Account")?;
    let add_source = item.string("AddSource")?;
    if !add_source.starts_with("AddSource_Type_") || add_source.len() == "AddSource_Type_".len() {
        return Err(item.err(format!("AddSource {add_source} must be AddSource_Type_ followed by a suffix")));
    }
    let groups = if import {
        item.opt_strings("GroupName")?.unwrap_or_default().into_iter().map(str::to_owned).collect()
    } else {
        item.opt_string("GroupName")?.filter(|g| !g.is_empty()).map(|g| vec![g.to_owned()]).unwrap_or_default()
    };
    let mut friend = Friend {
        add_source: add_source.to_owned(),
        remark: item.opt_string("Remark")?.unwrap_or_default().to_owned(),
        groups,
        add_wording: item.opt_string("AddWording")?.unwrap_or_default().to_owned(),
        add_time: now,
        ..Friend::default()
    };
    if import {
        friend.remark_time = item.opt_int("RemarkTime")?.unwrap_or(0).max(0) as u64;
        friend.add_time = item.opt_int("AddTime")?.map_or(now, |t| t.max(0) as u64);
        if let Some(custom) = item.raw("CustomItem") {
            let Value::Array(entries) = custom else { return Err(item.err("CustomItem must be an array")) };
            for e in entries {
                let e = e
                    .as_object()
                    .map(|o| Body::new(o, 30001))
                    .ok_or_else(|| item.err("CustomItem must hold objects"))?;
                let name = e.string("Tag")?;
                if !name.starts_with(CUSTOM_PREFIX) {
                    return Err(item.err(format!("custom tag {name} must start with {CUSTOM_PREFIX}")));
                }
                friend.custom.insert(name.to_owned(), e.raw("Value").cloned().unwrap_or(Value::Null));
            }
        }
    }
    Ok(NewFriend { to, friend })
}

fn groups_fit(app: &AppState, a: &str, groups: &[String]) -> bool {
    let Some(u) = app.users.get(a) else { return false };
    let new = groups.iter().filter(|g| !u.groups.contains(g)).count();
    u.groups.len() + new <= app.group_limit
}

fn full(app: &AppState, a: &str) -> bool {
    app.users.get(a).map_or(0, |u| u.friends.len()) >= app.friend_limit
}

fn run_items<T>(
    ctx: &Ctx,
    items: Vec<T>,
    account: impl Fn(&T) -> &str,
    mut each: impl FnMut(T) -> ItemOutcome,
) -> Results<ResultItem> {
    let len = items.len();
    let mut results = Results::with_capacity(len);
    for (i, item) in items.into_iter().enumerate() {
        let to = account(&item).to_owned();
        let (code, info) = match ctx.fault_for(i, len) {
            Some(code) => (code, ctx.injected_info(code)),
            None => match each(item) {
                (0, _) => (0, String::new()),
                (code, reason) => (code, ctx.info(reason)),
            },
        };
        results.push(&to, code, ResultItem { to_account: to.clone(), result_code: code, result_info: info });
    }
    results
}

fn reply(mut results: Results<ResultItem>) -> Response<HttpBody> {
    let fail = results.fail_account();
    ok(&ItemsReply { items: results.items, fail }, results.codes)
}

/// `friend_add`: `Add_Type_Both` (default) adds each to the other's list, `Add_Type_Single`
/// only B to A's. Blocklists bar it (30515, 30525). The emulator accepts every request
/// at once (no pending confirmations).
pub(crate) fn add(app: &mut AppState, body: &Body<'_>, ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    let both = match body.opt_string("AddType")? {
        None | Some("Add_Type_Both") => true,
        Some("Add_Type_Single") => false,
        Some(other) => return Err(body.err(format!("AddType {other} is not a valid value"))),
    };
    if let Some(f) = body.opt_int("ForceAddFlags")?
        && f != 0
        && f != 1
    {
        return Err(body.err("ForceAddFlags must be 0 or 1"));
    }
    let items = body
        .objects("AddFriendItem", usize::MAX)?
        .iter()
        .map(|i| parse_new_friend(i, false, ctx.now))
        .collect::<Result<Vec<_>, _>>()?;
    let results = run_items(
        ctx,
        items,
        |n| n.to,
        |n| {
            let b = n.to;
            if b == from {
                return (30001, "Cannot_Add_Self");
            }
            if !app.exists(b) {
                return (30003, "Account_Not_Exist");
            }
            if app.blocks(from, b) {
                return (30515, "In_Self_BlackList");
            }
            if app.blocks(b, from) {
                return (30525, "In_Peer_BlackList");
            }
            let a_has = app.has_friend(from, b);
            let b_has = app.has_friend(b, from);
            if a_has && (!both || b_has) {
                return (30001, "Already_Friend");
            }
            if !a_has && full(app, from) {
                return (30010, "Friend_List_Full");
            }
            if both && !b_has && full(app, b) {
                return (30014, "Peer_Friend_List_Full");
            }
            if !a_has && !groups_fit(app, from, &n.friend.groups) {
                return (30011, "Too_Many_Groups");
            }
            if !a_has {
                app.add_friend(from, b, n.friend.clone());
            }
            if both && !b_has {
                let back = Friend { add_source: n.friend.add_source.clone(), add_time: ctx.now, ..Friend::default() };
                app.add_friend(b, from, back);
            }
            OK
        },
    );
    Ok(reply(results))
}

/// `friend_import`: one-way, at most 1000 items, no verification.
pub(crate) fn import(app: &mut AppState, body: &Body<'_>, ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    let items = body
        .objects("AddFriendItem", MAX_IMPORT)?
        .iter()
        .map(|i| parse_new_friend(i, true, ctx.now))
        .collect::<Result<Vec<_>, _>>()?;
    let results = run_items(
        ctx,
        items,
        |n| n.to,
        |n| {
            if n.to == from {
                return (30001, "Cannot_Add_Self");
            }
            if !app.exists(n.to) {
                return (30003, "Account_Not_Exist");
            }
            if app.has_friend(from, n.to) {
                return (30001, "Already_Friend");
            }
            if full(app, from) {
                return (30010, "Friend_List_Full");
            }
            if !groups_fit(app, from, &n.friend.groups) {
                return (30011, "Too_Many_Groups");
            }
            app.add_friend(from, n.to, n.friend);
            OK
        },
    );
    Ok(reply(results))
}

enum Update {
    Remark(String),
    Groups(Vec<String>),
    AddWording(String),
    Custom(String, Value),
}

/// `friend_update`: `Tag_SNS_IM_Remark`, `Tag_SNS_IM_Group`, `Tag_SNS_IM_AddWording` and
/// custom `Tag_SNS_Custom_*` tags.
pub(crate) fn update(app: &mut AppState, body: &Body<'_>, ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    let mut items = Vec::new();
    for item in body.objects("UpdateItem", usize::MAX)? {
        let to = item.string("To_Account")?;
        let mut updates = Vec::new();
        for sns in item.objects("SnsItem", usize::MAX)? {
            let name = sns.string("Tag")?;
            let value = sns.raw("Value").cloned().unwrap_or(Value::Null);
            let update = match name {
                "Tag_SNS_IM_Remark" => {
                    Update::Remark(value.as_str().ok_or_else(|| sns.err("Remark must be a string"))?.to_owned())
                }
                "Tag_SNS_IM_AddWording" => {
                    Update::AddWording(value.as_str().ok_or_else(|| sns.err("AddWording must be a string"))?.to_owned())
                }
                "Tag_SNS_IM_Group" => Update::Groups(
                    value
                        .as_array()
                        .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>())
                        .ok_or_else(|| sns.err("Tag_SNS_IM_Group must be an array of strings"))?,
                ),
                custom if custom.starts_with(CUSTOM_PREFIX) => Update::Custom(custom.to_owned(), value),
                other => return Err(sns.err(format!("tag {other} cannot be updated"))),
            };
            updates.push(update);
        }
        items.push((to, updates));
    }
    let results = run_items(
        ctx,
        items,
        |item| item.0,
        |(to, updates)| {
            if !app.exists(to) {
                return (30003, "Account_Not_Exist");
            }
            if !app.has_friend(from, to) {
                return (30001, "Not_Friend");
            }
            let new_groups: Vec<String> = updates
                .iter()
                .filter_map(|u| if let Update::Groups(g) = u { Some(g.clone()) } else { None })
                .flatten()
                .collect();
            if !groups_fit(app, from, &new_groups) {
                return (30011, "Too_Many_Groups");
            }
            let now = ctx.now;
            let Some(user) = app.users.get_mut(from) else { return (30003, "Account_Not_Exist") };
            for g in &new_groups {
                if !user.groups.contains(g) {
                    user.groups.push(g.clone());
                    user.group_seq += 1;
                }
            }
            let Some(friend) = user.friends.get_mut(to) else { return (30001, "Not_Friend") };
            let mut custom_changed = false;
            for u in updates {
                match u {
                    Update::Remark(r) => {
                        friend.remark = r;
                        friend.remark_time = now;
                    }
                    Update::Groups(g) => friend.groups = g,
                    Update::AddWording(w) => friend.add_wording = w,
                    Update::Custom(k, v) => {
                        friend.custom.insert(k, v);
                        custom_changed = true;
                    }
                }
            }
            user.standard_seq += 1;
            if custom_changed {
                user.custom_seq += 1;
            }
            OK
        },
    );
    Ok(reply(results))
}

fn delete_type(body: &Body<'_>, default_both: bool) -> Result<bool, TimError> {
    match body.opt_string("DeleteType")? {
        None => Ok(default_both),
        Some("Delete_Type_Both") => Ok(true),
        Some("Delete_Type_Single") => Ok(false),
        Some(other) => Err(body.err(format!("DeleteType {other} is not a valid value"))),
    }
}

/// `friend_delete`: `DeleteType` defaults to `Delete_Type_Both`.
pub(crate) fn delete(app: &mut AppState, body: &Body<'_>, ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    let to = body.strings("To_Account", MAX_ACCOUNTS)?;
    let both = delete_type(body, true)?;
    let results = run_items(
        ctx,
        to,
        |b| *b,
        |b| {
            if !app.exists(b) {
                return (30003, "Account_Not_Exist");
            }
            if !app.remove_friend(from, b) {
                return (30001, "Not_Friend");
            }
            if both {
                app.remove_friend(b, from);
            }
            OK
        },
    );
    Ok(reply(results))
}

/// `friend_delete_all`: `DeleteType` defaults to `Delete_Type_Single`.
pub(crate) fn delete_all(app: &mut AppState, body: &Body<'_>, _ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    let both = delete_type(body, false)?;
    let friends: Vec<String> = app.users[from].friends.keys().cloned().collect();
    for b in &friends {
        app.remove_friend(from, b);
        if both {
            app.remove_friend(b, from);
        }
    }
    Ok(ok_empty())
}

#[derive(Serialize)]
struct InfoReply<T> {
    #[serde(rename = "InfoItem")]
    items: Vec<T>,
    #[serde(rename = "Fail_Account", skip_serializing_if = "Option::is_none")]
    fail: Option<Vec<String>>,
}

const FRIEND_RELATIONS: RelationNames = RelationNames {
    both: "CheckResult_Type_Both",
    single: "CheckResult_Type_Single",
    both_way: "CheckResult_Type_BothWay",
    a_with_b: "CheckResult_Type_AWithB",
    b_with_a: "CheckResult_Type_BWithA",
    none: "CheckResult_Type_NoRelation",
};

/// `friend_check`.
pub(crate) fn check(app: &mut AppState, body: &Body<'_>, ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    let to = body.strings("To_Account", MAX_ACCOUNTS)?;
    let mut results = check_relations(body, ctx, &to, &FRIEND_RELATIONS, |b| {
        app.exists(b).then(|| (app.has_friend(from, b), app.has_friend(b, from)))
    })?;
    let fail = results.fail_account();
    Ok(ok(&InfoReply { items: results.items, fail }, results.codes))
}

fn friend_tags(f: &Friend) -> Vec<TagValue> {
    let mut v = vec![tag("Tag_SNS_IM_AddSource", f.add_source.clone())];
    if !f.remark.is_empty() {
        v.push(tag("Tag_SNS_IM_Remark", f.remark.clone()));
        v.push(tag("Tag_SNS_IM_RemarkTime", f.remark_time));
    }
    if !f.groups.is_empty() {
        v.push(tag("Tag_SNS_IM_Group", f.groups.clone()));
    }
    if !f.add_wording.is_empty() {
        v.push(tag("Tag_SNS_IM_AddWording", f.add_wording.clone()));
    }
    v.push(tag("Tag_SNS_IM_AddTime", f.add_time));
    v.extend(f.custom.iter().map(|(k, val)| tag(k, val.clone())));
    v
}

#[derive(Serialize)]
struct UserData {
    #[serde(rename = "To_Account")]
    to_account: String,
    #[serde(rename = "ValueItem")]
    values: Vec<TagValue>,
}

#[derive(Serialize)]
struct GetReply {
    #[serde(rename = "UserDataItem")]
    items: Vec<UserData>,
    #[serde(rename = "StandardSequence")]
    standard_seq: u64,
    #[serde(rename = "CustomSequence")]
    custom_seq: u64,
    #[serde(rename = "FriendNum")]
    friend_num: usize,
    #[serde(rename = "CompleteFlag")]
    complete: u8,
    #[serde(rename = "NextStartIndex")]
    next: usize,
}

/// `friend_get`: pages of 100 in the order friends were added; `CompleteFlag` 1 on the
/// last page, `NextStartIndex` where the next page starts.
pub(crate) fn get(app: &mut AppState, body: &Body<'_>, _ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    let start = body.int("StartIndex")?;
    body.opt_int("StandardSequence")?;
    body.opt_int("CustomSequence")?;
    if start < 0 {
        return Err(body.err("StartIndex must not be negative"));
    }
    let user = &app.users[from];
    let friends = user.friends_in_order();
    let start = (start as usize).min(friends.len());
    let end = (start + PAGE).min(friends.len());
    let items = friends[start..end]
        .iter()
        .map(|(id, f)| UserData { to_account: (*id).clone(), values: friend_tags(f) })
        .collect();
    let complete = end >= friends.len();
    Ok(ok(
        &GetReply {
            items,
            standard_seq: user.standard_seq,
            custom_seq: user.custom_seq,
            friend_num: friends.len(),
            complete: u8::from(complete),
            next: if complete { 0 } else { end },
        },
        Vec::new(),
    ))
}

#[derive(Serialize)]
struct ListItem {
    #[serde(rename = "To_Account")]
    to_account: String,
    #[serde(rename = "SnsProfileItem")]
    profile: Vec<TagValue>,
    #[serde(rename = "ResultCode")]
    result_code: i64,
    #[serde(rename = "ResultInfo")]
    result_info: String,
}

/// `friend_get_list`: the requested relationship tags of each friend.
pub(crate) fn get_list(app: &mut AppState, body: &Body<'_>, ctx: &Ctx) -> Result<Response<HttpBody>, TimError> {
    let from = owner(app, body)?;
    let to = body.strings("To_Account", MAX_ACCOUNTS)?;
    let tags = body.strings("TagList", usize::MAX)?;
    let user = &app.users[from];
    let mut results = Results::with_capacity(to.len());
    for (i, b) in to.iter().enumerate() {
        let (profile, code, info) = if let Some(code) = ctx.fault_for(i, to.len()) {
            (Vec::new(), code, ctx.injected_info(code))
        } else if !app.exists(b) {
            (Vec::new(), 30003, ctx.info("Account_Not_Exist"))
        } else if let Some(f) = user.friends.get(*b) {
            let all = friend_tags(f);
            (all.into_iter().filter(|t| tags.contains(&t.tag.as_str())).collect(), 0, String::new())
        } else {
            (Vec::new(), 30001, ctx.info("Not_Friend"))
        };
        results.push(b, code, ListItem { to_account: (*b).to_owned(), profile, result_code: code, result_info: info });
    }
    let fail = results.fail_account();
    Ok(ok(&InfoReply { items: results.items, fail }, results.codes))
}
