//! `POST /wxa/operationams?action=…&access_token=…` and the provider-level
//! `/wxa/setdefaultamsinfo`, `/wxa/getdefaultamsinfo`.
//!
//! Emulated actions: `agency_get_mp_amscategory_blacklist`,
//! `agency_set_mp_amscategory_blacklist`, `agency_get_black_list`, `agency_set_black_list`.
//! The other 22 documented actions check their token, then answer
//! `{"ret": 1700, "err_msg": "… not emulated …"}` (a documented parameter error) until a
//! later version emulates them. An undocumented action also answers ret 1700.
//!
//! Order of checks: method POST (43002); token of the action's kind (41001, 40001, 42001,
//! 48001); body a JSON object (47001); the mini program has opened 流量主 (ret 1807);
//! the action's rules.

use super::envelope::{ams_error, gateway};
use super::state::TokenKind;
use super::{blacklist, category};
use crate::endpoint::query_value;
use crate::state::{Shared, lock};
use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, Response, Uri};
use bytes::Bytes;
use serde_json::{Map, Value};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    Op,
    Provider,
}

/// The 26 documented actions: name, path, token kind.
const ACTIONS: [(&str, Path, TokenKind); 26] = {
    use Path::{Op, Provider};
    use TokenKind::{Authorizer as A, Component as C};
    [
        ("set_share_ratio", Provider, C),
        ("get_share_ratio", Provider, C),
        ("agency_set_custom_share_ratio", Provider, C),
        ("agency_get_custom_share_ratio", Provider, C),
        ("agency_check_can_open_publisher", Op, A),
        ("agency_create_publisher", Op, A),
        ("agency_create_adunit", Op, A),
        ("agency_update_adunit", Op, A),
        ("agency_get_tmpl_type", Op, A),
        ("get_agency_ad_unit_list", Op, A),
        ("agency_set_cover_adpos_status", Op, A),
        ("agency_set_cover_adpos_scene", Op, A),
        ("agency_get_cover_adpos_status", Op, A),
        ("agency_get_cover_adpos_scene", Op, A),
        ("agency_get_adunit_list", Op, A),
        ("agency_get_adunit_code", Op, A),
        ("agency_get_black_list", Op, A),
        ("agency_set_black_list", Op, A),
        ("agency_get_mp_amscategory_blacklist", Op, A),
        ("agency_set_mp_amscategory_blacklist", Op, A),
        ("agency_get_adpos_genenral", Op, A),
        ("agency_get_adunit_general", Op, A),
        ("get_agency_ads_stat", Provider, C),
        ("get_agency_ads_detail", Provider, C),
        ("agency_get_settlement", Op, A),
        ("get_agency_settled_revenue", Op, C),
    ]
};

/// `/wxa/operationams`.
pub(crate) async fn handle_op(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    raw: Bytes,
) -> Response<Body> {
    handle(&shared, Path::Op, &method, &uri, &raw)
}

/// `/wxa/setdefaultamsinfo` and `/wxa/getdefaultamsinfo`.
pub(crate) async fn handle_provider(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    raw: Bytes,
) -> Response<Body> {
    handle(&shared, Path::Provider, &method, &uri, &raw)
}

fn handle(shared: &Shared, path: Path, method: &Method, uri: &Uri, raw: &[u8]) -> Response<Body> {
    if method != Method::POST {
        return gateway(43002, "require POST method");
    }
    let query = uri.query().unwrap_or_default();
    let action = query_value(query, "action").unwrap_or_default();
    let token = query_value(query, "access_token");
    let known = ACTIONS.iter().find(|(name, _, _)| *name == action);
    // An unknown action still needs a valid token of the path's usual kind.
    let kind = known.map_or(if path == Path::Op { TokenKind::Authorizer } else { TokenKind::Component }, |a| a.2);
    let now = shared.clock.unix_now();
    let mut world = lock(&shared.wechat);
    let appid = match world.check(token.as_deref(), kind, now) {
        Ok(a) => a,
        Err((code, msg)) => return gateway(code, msg),
    };
    let body: Map<String, Value> = match serde_json::from_slice::<Value>(raw) {
        Ok(Value::Object(m)) => m,
        _ => return gateway(47001, "data format error"),
    };
    let Some(&(name, action_path, _)) = known else {
        return ams_error(1700, &format!("unknown action {action:?}"));
    };
    if action_path != path {
        return ams_error(1700, &format!("action {name} is not served on this path"));
    }
    let emulated = matches!(
        name,
        "agency_get_mp_amscategory_blacklist"
            | "agency_set_mp_amscategory_blacklist"
            | "agency_get_black_list"
            | "agency_set_black_list"
    );
    if !emulated {
        return ams_error(1700, &format!("action {name} is not emulated by this version of tx-emulator"));
    }
    let Some(authorizer) = world.authorizers.get_mut(&appid) else {
        return gateway(61003, "component is not authorized by this account");
    };
    if !authorizer.publisher {
        return ams_error(1807, "invalid publisher: 流量主 is not opened");
    }
    match name {
        "agency_get_mp_amscategory_blacklist" => category::get(authorizer),
        "agency_set_mp_amscategory_blacklist" => category::set(authorizer, &body),
        "agency_get_black_list" => blacklist::get(authorizer),
        _ => blacklist::set(authorizer, &body),
    }
}
