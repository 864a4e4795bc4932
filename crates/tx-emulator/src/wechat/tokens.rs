//! `POST /cgi-bin/component/api_component_token` and `…/api_authorizer_token`.
//!
//! Codes: body not a JSON object 47001; `component_appid` missing 41002, unknown 40013;
//! `component_appsecret` missing 41004, wrong 40125; `component_verify_ticket` wrong or
//! missing 61006; `component_access_token` as in [`super::state::WechatWorld::check`];
//! authorizer unknown, or not authorized to that component, 61003; wrong
//! `authorizer_refresh_token` 61023.

use super::envelope::{gateway, payload};
use super::state::TokenKind;
use crate::endpoint::query_value;
use crate::state::{Shared, lock};
use axum::body::Body;
use axum::extract::State;
use axum::http::{Response, Uri};
use bytes::Bytes;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// The body as a JSON object; `None` answers 47001.
fn body_object(raw: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(raw) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

fn field<'a>(m: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    m.get(name).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// `api_component_token`.
pub(crate) async fn component_token(State(shared): State<Arc<Shared>>, raw: Bytes) -> Response<Body> {
    let Some(body) = body_object(&raw) else { return gateway(47001, "data format error") };
    let Some(appid) = field(&body, "component_appid") else { return gateway(41002, "appid missing") };
    let Some(secret) = field(&body, "component_appsecret") else { return gateway(41004, "appsecret missing") };
    let ticket = field(&body, "component_verify_ticket");
    let settings = shared.settings();
    let now = shared.clock.unix_now();
    let mut world = lock(&shared.wechat);
    let Some(component) = world.components.get(appid) else { return gateway(40013, "invalid appid") };
    if component.secret != secret {
        return gateway(40125, "invalid appsecret");
    }
    if ticket != Some(component.ticket.as_str()) {
        return gateway(61006, "component ticket is invalid");
    }
    let token = world.issue(TokenKind::Component, appid, now, &settings, shared.next_serial());
    shared.stats.token_fetch("component_access_token", appid);
    payload(json!({"component_access_token": token, "expires_in": settings.wechat_token_lifetime.as_secs()}))
}

/// `api_authorizer_token`: a new authorizer access token; the refresh token stays.
pub(crate) async fn authorizer_token(State(shared): State<Arc<Shared>>, uri: Uri, raw: Bytes) -> Response<Body> {
    let now = shared.clock.unix_now();
    let settings = shared.settings();
    let query_token = uri.query().and_then(|q| query_value(q, "component_access_token"));
    let world = lock(&shared.wechat);
    let component = match world.check(query_token.as_deref(), TokenKind::Component, now) {
        Ok(c) => c,
        Err((code, msg)) => return gateway(code, msg),
    };
    drop(world);
    let Some(body) = body_object(&raw) else { return gateway(47001, "data format error") };
    let Some(appid) = field(&body, "component_appid") else { return gateway(41002, "appid missing") };
    if appid != component {
        return gateway(61003, "component is not the owner of this component_access_token");
    }
    let Some(authorizer_appid) = field(&body, "authorizer_appid") else {
        return gateway(61003, "authorizer_appid missing");
    };
    let refresh = field(&body, "authorizer_refresh_token");
    let mut world = lock(&shared.wechat);
    let Some(authorizer) = world.authorizers.get(authorizer_appid) else {
        return gateway(61003, "component is not authorized by this account");
    };
    if authorizer.component.as_deref() != Some(appid) {
        return gateway(61003, "component is not authorized by this account");
    }
    if refresh != Some(authorizer.refresh_token.as_str()) {
        return gateway(61023, "refresh_token is invalid");
    }
    let refresh_token = authorizer.refresh_token.clone();
    let token = world.issue(TokenKind::Authorizer, authorizer_appid, now, &settings, shared.next_serial());
    shared.stats.token_fetch("authorizer_access_token", authorizer_appid);
    payload(json!({
        "authorizer_access_token": token,
        "expires_in": settings.wechat_token_lifetime.as_secs(),
        "authorizer_refresh_token": refresh_token,
    }))
}
