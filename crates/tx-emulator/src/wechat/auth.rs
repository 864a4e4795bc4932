//! The authorization flow of a third-party platform: `api_create_preauthcode`,
//! `api_query_auth`, `api_get_authorizer_list` and `api_start_push_ticket`.
//!
//! Codes: `component_access_token` as in [`super::state::WechatWorld::check`]; body not a
//! JSON object 47001; `component_appid` missing 41002, not the token's component 61003;
//! `authorization_code` missing, unknown, another component's or used 61009, expired
//! 61010; `count` outside 1..=500 or a negative `offset` 40097; `api_start_push_ticket`
//! `component_secret` missing 41004, wrong 40125, `component_appid` unknown 40013.
//!
//! `api_query_auth` spends the code, issues a new authorizer access token and a new
//! refresh token (re-authorization replaces it; the replaced one works for the refresh
//! overlap) and counts as a token fetch of the authorizer.

use super::envelope::{gateway, payload};
use super::push;
use super::state::{Refusal, TokenKind};
use super::tokens::{body_object, component_of, count_fetch, field, issue, new_refresh_token};
use crate::state::{Shared, lock};
use axum::body::Body;
use axum::extract::State;
use axum::http::{Response, Uri};
use bytes::Bytes;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// The component of the query's token, checked against the body's `component_appid`.
fn caller(shared: &Shared, uri: &Uri, raw: &[u8], now: u64) -> Result<(String, Map<String, Value>), Refusal> {
    let component = component_of(shared, uri, now)?;
    let body = body_object(raw).ok_or((47001, "data format error"))?;
    match field(&body, "component_appid") {
        None => Err((41002, "appid missing")),
        Some(a) if a != component => Err((61003, "component is not the owner of this component_access_token")),
        Some(_) => Ok((component, body)),
    }
}

/// `api_create_preauthcode`: `{pre_auth_code, expires_in: 1800}`.
pub(crate) async fn preauthcode(State(shared): State<Arc<Shared>>, uri: Uri, raw: Bytes) -> Response<Body> {
    let now = shared.clock.unix_now();
    let (component, _) = match caller(&shared, &uri, &raw, now) {
        Ok(c) => c,
        Err((code, msg)) => return gateway(code, msg),
    };
    let code = lock(&shared.wechat).preauth(&component, now, shared.next_serial());
    payload(json!({"pre_auth_code": code, "expires_in": 1800}))
}

/// The permission sets the emulator grants every authorization.
fn func_info() -> Value {
    let ids = [17, 18, 19, 25, 30, 31, 36, 37, 40];
    Value::Array(ids.iter().map(|id| json!({"funcscope_category": {"id": id}})).collect())
}

/// `api_query_auth`: `{authorization_info: {authorizer_appid, authorizer_access_token,
/// expires_in, authorizer_refresh_token, func_info}}`.
pub(crate) async fn query_auth(State(shared): State<Arc<Shared>>, uri: Uri, raw: Bytes) -> Response<Body> {
    let now = shared.clock.unix_now();
    let settings = shared.settings();
    let (component, body) = match caller(&shared, &uri, &raw, now) {
        Ok(c) => c,
        Err((code, msg)) => return gateway(code, msg),
    };
    let Some(code) = field(&body, "authorization_code") else { return gateway(61009, "code is invalid") };
    let mut world = lock(&shared.wechat);
    let authorizer = match world.auth_codes.get(code) {
        Some(c) if c.component != component => return gateway(61009, "code is invalid"),
        Some(c) if now >= c.expires_at => return gateway(61010, "code is expired"),
        Some(c) => c.authorizer.clone(),
        None => return gateway(61009, "code is invalid"),
    };
    if let Err((code, msg)) =
        count_fetch(&shared, &mut world, TokenKind::Authorizer, &authorizer, &component, now, &settings)
    {
        return gateway(code, msg);
    }
    world.auth_codes.remove(code);
    let token = issue(&shared, &mut world, TokenKind::Authorizer, &authorizer, now, &settings);
    let Some(a) = world.authorizers.get_mut(&authorizer) else { return gateway(61003, "authorizer is gone") };
    a.rotate_refresh(new_refresh_token(&shared), now, &settings);
    payload(json!({"authorization_info": {
        "authorizer_appid": authorizer,
        "authorizer_access_token": token,
        "expires_in": settings.wechat_token_lifetime.as_secs(),
        "authorizer_refresh_token": a.refresh_token,
        "func_info": func_info(),
    }}))
}

/// `api_get_authorizer_list`: `{total_count, list: [{authorizer_appid, refresh_token,
/// auth_time}]}`, the component's current authorizations by `auth_time` then appid.
pub(crate) async fn authorizer_list(State(shared): State<Arc<Shared>>, uri: Uri, raw: Bytes) -> Response<Body> {
    let now = shared.clock.unix_now();
    let (component, body) = match caller(&shared, &uri, &raw, now) {
        Ok(c) => c,
        Err((code, msg)) => return gateway(code, msg),
    };
    let offset = body.get("offset").and_then(Value::as_i64).unwrap_or(-1);
    let count = body.get("count").and_then(Value::as_i64).unwrap_or(0);
    if offset < 0 || !(1..=500).contains(&count) {
        return gateway(40097, "invalid args: offset must be 0 or more and count 1..=500");
    }
    let world = lock(&shared.wechat);
    let mut mine: Vec<(&String, u64, &str)> = world
        .authorizers
        .iter()
        .filter(|(_, a)| a.authorized && a.component.as_deref() == Some(component.as_str()))
        .map(|(id, a)| (id, a.auth_time, a.refresh_token.as_str()))
        .collect();
    mine.sort_by(|x, y| (x.1, x.0).cmp(&(y.1, y.0)));
    let list: Vec<Value> = mine
        .iter()
        .skip(offset as usize)
        .take(count as usize)
        .map(|(id, at, refresh)| json!({"authorizer_appid": id, "refresh_token": refresh, "auth_time": at}))
        .collect();
    payload(json!({"total_count": mine.len(), "list": list}))
}

/// `api_start_push_ticket`: `{component_appid, component_secret}` → when the component has
/// message keys, rotates the ticket and, when it also has a `push_url`, pushes it there in
/// the background (`GET /_emulator/wechat/ticket` shows the latest either way). Answers
/// `{errcode: 0, errmsg: "ok"}`.
pub(crate) async fn start_push_ticket(State(shared): State<Arc<Shared>>, raw: Bytes) -> Response<Body> {
    let Some(body) = body_object(&raw) else { return gateway(47001, "data format error") };
    let Some(appid) = field(&body, "component_appid") else { return gateway(41002, "appid missing") };
    let Some(secret) = field(&body, "component_secret") else { return gateway(41004, "appsecret missing") };
    let url = {
        let world = lock(&shared.wechat);
        let Some(component) = world.components.get(appid) else { return gateway(40013, "invalid appid") };
        if component.secret != secret {
            return gateway(40125, "invalid appsecret");
        }
        component.push_url.clone()
    };
    match url {
        Some(url) => {
            let shared = shared.clone();
            let appid = appid.to_owned();
            tokio::spawn(async move {
                let _ = push::push(&shared, &url, &appid, push::InfoType::Ticket, None).await;
            });
        }
        None => {
            let _ = push::event(&shared, appid, push::InfoType::Ticket, None);
        }
    }
    payload(json!({"errcode": 0, "errmsg": "ok"}))
}
