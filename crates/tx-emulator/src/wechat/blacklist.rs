//! `agency_{get,set}_black_list`: the advertiser blacklist of a mini program.
//!
//! Types: 1 official account (`blacklist_biz`, at most 20), 2 iOS app (`blacklist_ios`,
//! 10), 3 Android app (`blacklist_android`, 10), 4 mini program or game
//! (`blacklist_weapp`, 20). A set that would exceed a cap changes nothing and answers
//! ret 2035.

use super::envelope::{ams_error, ams_ok};
use super::state::Authorizer;
use crate::seed::BlackListEntry;
use axum::body::Body;
use axum::http::Response;
use serde_json::{Map, Value, json};

/// (type, response field, cap).
const KINDS: [(u8, &str, usize); 4] =
    [(1, "blacklist_biz", 20), (2, "blacklist_ios", 10), (3, "blacklist_android", 10), (4, "blacklist_weapp", 20)];

/// `agency_get_black_list`: the four lists of `{id, name, icon}` items (`icon` as in the
/// official sample; the table calls it `url`). Names and icons are unknown offline: "".
pub(crate) fn get(a: &Authorizer) -> Response<Body> {
    let mut m = Map::new();
    for (kind, field, _) in KINDS {
        let items: Vec<Value> = a
            .blacklist
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| json!({"id": e.id, "name": "", "icon": ""}))
            .collect();
        m.insert(field.to_owned(), Value::Array(items));
    }
    ams_ok(m)
}

/// `agency_set_black_list`: `op` 1 blocks, 2 unblocks; `list` is a JSON array of
/// `{type, id}` serialized into a string. Missing or mistyped fields: ret 1700;
/// a `list` string that is not such an array, or a bad type or id: ret 1701.
pub(crate) fn set(a: &mut Authorizer, body: &Map<String, Value>) -> Response<Body> {
    let block = match body.get("op").and_then(Value::as_i64) {
        Some(1) => true,
        Some(2) => false,
        Some(_) => return ams_error(1701, "op must be 1 (block) or 2 (unblock)"),
        None => return ams_error(1700, "op is required and must be a number"),
    };
    let list = match body.get("list") {
        Some(Value::String(s)) => s,
        Some(_) => return ams_error(1700, "list must be a JSON array serialized into a string"),
        None => return ams_error(1700, "list is required"),
    };
    let entries: Vec<BlackListEntry> = match serde_json::from_str::<Vec<BlackListEntry>>(list) {
        Ok(v) => v,
        Err(e) => return ams_error(1701, &format!("list is not an array of {{type, id}}: {e}")),
    };
    if let Some(bad) = entries.iter().find(|e| !(1..=4).contains(&e.kind) || e.id.trim().is_empty()) {
        return ams_error(1701, &format!("invalid entry type {} id {:?}", bad.kind, bad.id));
    }
    let mut next = a.blacklist.clone();
    for e in entries {
        let e = BlackListEntry { kind: e.kind, id: e.id.trim().to_owned() };
        let present = next.iter().position(|x| *x == e);
        match (block, present) {
            (true, None) => next.push(e),
            (false, Some(i)) => {
                next.remove(i);
            }
            _ => {}
        }
    }
    for (kind, field, cap) in KINDS {
        if next.iter().filter(|e| e.kind == kind).count() > cap {
            return ams_error(2035, &format!("{field} would exceed {cap} entries"));
        }
    }
    a.blacklist = next;
    ams_ok(Map::new())
}
