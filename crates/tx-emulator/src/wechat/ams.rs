//! `POST /wxa/operationams?action=…&access_token=…` and the provider-level
//! `/wxa/setdefaultamsinfo`, `/wxa/getdefaultamsinfo`.
//!
//! All 26 documented actions are emulated, each in its module: [`super::share`],
//! [`super::publisher`], [`super::adunits`], [`super::cover`], [`super::blacklist`],
//! [`super::category`], [`super::report`] and [`super::settlement`]. An undocumented
//! action, or a documented one on another path, answers ret 1700.
//!
//! Order of checks: method POST (43002); token of the action's kind (41001, 40001, 42001,
//! 48001); body a JSON object (47001); the action is known and on its path (ret 1700);
//! the rate limit per (token's appid, action) when `wechat_ams_rate_limit` is set (ret
//! 1737); for mini-program actions other than the two publisher ones, 流量主 is open
//! (ret 1807) and not opened within `wechat_publisher_settle` (ret 2068); the action's rules (ret 1700 for a missing or mistyped field, 1701 for a
//! value it does not accept, and its own codes).

use super::envelope::{AmsError, ams_error, ams_reply, gateway};
use super::params::Params;
use super::state::TokenKind;
use super::{adunits, blacklist, category, cover, dates, publisher, report, settlement, share};
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
    let settings = shared.settings();
    let mut world = lock(&shared.wechat);
    let appid = match world.check(token.as_deref(), kind, now) {
        Ok(a) => a,
        Err((code, msg)) => return gateway(code, msg),
    };
    let body: Map<String, Value> = match serde_json::from_slice::<Value>(raw) {
        Ok(Value::Object(m)) => m,
        _ => return gateway(47001, "data format error"),
    };
    let Some(&(name, action_path, kind)) = known else {
        return ams_error(1700, &format!("unknown action {action:?}"));
    };
    if action_path != path {
        return ams_error(1700, &format!("action {name} is not served on this path"));
    }
    if let Some(limit) = settings.wechat_ams_rate_limit {
        let mut limiter = lock(&shared.wechat_ams_limiter);
        limiter.set_window(settings.wechat_ams_rate_window);
        if !limiter.check((appid.clone(), name), limit, None).allowed {
            return ams_error(1737, "operating too fast, please retry later");
        }
    }
    let p = Params(&body);
    let today = dates::today(now);
    if kind == TokenKind::Component {
        let world = &mut *world;
        let result = match name {
            "set_share_ratio" => share::set_default(world, &appid, &p),
            "get_share_ratio" => share::get(world, &appid, &p),
            "agency_set_custom_share_ratio" => share::set_custom(world, &appid, &p),
            "agency_get_custom_share_ratio" => share::get_custom(world, &appid, &p),
            "get_agency_ads_stat" => report::ads_stat(world, &appid, &p, today),
            "get_agency_ads_detail" => report::ads_detail(world, &appid, &p, today),
            "get_agency_settled_revenue" => {
                settlement::settlement(&appid, &report::all_units(world, &appid), &p, today)
            }
            other => Err(AmsError::missing(format!("unknown action {other:?}"))),
        };
        return ams_reply(result);
    }
    let Some(authorizer) = world.authorizers.get_mut(&appid) else {
        return gateway(61003, "component is not authorized by this account");
    };
    match name {
        "agency_check_can_open_publisher" => return ams_reply(publisher::check(authorizer)),
        "agency_create_publisher" => return ams_reply(publisher::create(authorizer, now)),
        _ => {}
    }
    if !authorizer.publisher {
        return ams_error(1807, "invalid publisher: 流量主 is not opened");
    }
    let settle = settings.wechat_publisher_settle.as_secs();
    if authorizer.publisher_opened_at.is_some_and(|at| now < at.saturating_add(settle)) {
        return ams_error(2068, "the publisher was opened recently, retry in an hour");
    }
    let result = match name {
        "agency_get_mp_amscategory_blacklist" => return category::get(authorizer),
        "agency_set_mp_amscategory_blacklist" => return category::set(authorizer, &body),
        "agency_get_black_list" => return blacklist::get(authorizer),
        "agency_set_black_list" => return blacklist::set(authorizer, &body),
        "agency_create_adunit" => adunits::create(authorizer, &p, shared.next_serial()),
        "agency_update_adunit" => adunits::update(authorizer, &p),
        "agency_get_tmpl_type" => adunits::tmpl_type(authorizer, &p),
        "get_agency_ad_unit_list" => adunits::template_list(&appid, authorizer, &p),
        "agency_get_adunit_list" => adunits::list(&appid, authorizer, &p),
        "agency_get_adunit_code" => adunits::code(authorizer, &p),
        "agency_set_cover_adpos_status" => cover::set_status(authorizer, &p, now, &settings),
        "agency_set_cover_adpos_scene" => cover::set_scene(authorizer, &p),
        "agency_get_cover_adpos_status" => cover::get_status(authorizer, now, &settings),
        "agency_get_cover_adpos_scene" => cover::get_scene(authorizer),
        "agency_get_adpos_genenral" => report::adpos_general(&appid, authorizer, &p, today),
        "agency_get_adunit_general" => report::adunit_general(&appid, authorizer, &p, today),
        "agency_get_settlement" => settlement::settlement(&appid, &report::own_units(authorizer), &p, today),
        other => Err(AmsError::missing(format!("unknown action {other:?}"))),
    };
    ams_reply(result)
}
