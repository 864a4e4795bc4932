//! `POST /cgi-bin/component/api_component_token` and `…/api_authorizer_token`, and the
//! quotas every token fetch counts against.
//!
//! Codes: body not a JSON object 47001; `component_appid` missing 41002, unknown 40013;
//! `component_appsecret` missing 41004, wrong 40125; `component_verify_ticket` unknown or
//! missing 61006, replaced and past its lifetime (12 h) 61005; `component_access_token` as
//! in [`super::state::WechatWorld::check`]; authorizer unknown, unauthorized, or not
//! authorized to that component 61003; `authorizer_refresh_token` neither the latest nor a
//! replaced one within its overlap 61023; more token fetches this minute per component than
//! `wechat_token_fetch_per_minute` 45011; more fetches today per (kind, appid) than
//! `wechat_token_daily_quota` 45009.

use super::envelope::{gateway, payload};
use super::state::{Refusal, TokenKind, WechatWorld};
use crate::endpoint::query_value;
use crate::ids;
use crate::seed::Settings;
use crate::state::{Shared, lock};
use axum::body::Body;
use axum::extract::State;
use axum::http::{Response, Uri};
use bytes::Bytes;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// The body as a JSON object; `None` answers 47001.
pub(crate) fn body_object(raw: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(raw) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// A non-empty string field.
pub(crate) fn field<'a>(m: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    m.get(name).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The component a `component_access_token` (query `component_access_token`, or
/// `access_token` as the newer pages spell it) belongs to.
pub(crate) fn component_of(shared: &Shared, uri: &Uri, now: u64) -> Result<String, Refusal> {
    let query = uri.query().unwrap_or_default();
    let token = query_value(query, "component_access_token").or_else(|| query_value(query, "access_token"));
    lock(&shared.wechat).check(token.as_deref(), TokenKind::Component, now)
}

/// Counts one token fetch of `kind` for `appid` (owned by `component`): the per-minute
/// limit per component (45011), then the daily quota per (kind, appid) (45009).
pub(crate) fn count_fetch(
    shared: &Shared,
    world: &mut WechatWorld,
    kind: TokenKind,
    appid: &str,
    component: &str,
    now: u64,
    settings: &Settings,
) -> Result<(), Refusal> {
    if let Some(limit) = settings.wechat_token_fetch_per_minute {
        let verdict = lock(&shared.wechat_fetch_limiter).check(component.to_owned(), limit, None);
        if !verdict.allowed {
            return Err((45011, "api minute-quota reach limit, must slower, retry next minute"));
        }
    }
    if !world.count_fetch(kind, appid, now, settings.wechat_token_daily_quota) {
        return Err((45009, "reach max api daily quota limit"));
    }
    Ok(())
}

/// Issues a token after its fetch was counted, and counts it in the statistics.
pub(crate) fn issue(
    shared: &Shared,
    world: &mut WechatWorld,
    kind: TokenKind,
    appid: &str,
    now: u64,
    settings: &Settings,
) -> String {
    let token = world.issue(kind, appid, now, settings, shared.next_serial());
    shared.stats.token_fetch(kind.stat_name(), appid);
    token
}

/// A new refresh token.
pub(crate) fn new_refresh_token(shared: &Shared) -> String {
    format!("refreshtoken@@@{}", ids::hex(shared.next_serial() ^ 0x2ef2, 40))
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
    if let Err((code, msg)) = component.check_ticket(ticket, now) {
        return gateway(code, msg);
    }
    if let Err((code, msg)) = count_fetch(&shared, &mut world, TokenKind::Component, appid, appid, now, &settings) {
        return gateway(code, msg);
    }
    let token = issue(&shared, &mut world, TokenKind::Component, appid, now, &settings);
    payload(json!({"component_access_token": token, "expires_in": settings.wechat_token_lifetime.as_secs()}))
}

/// `api_authorizer_token`: a new authorizer access token; the refresh token stays, or
/// rotates when `wechat_rotate_refresh_token` is on.
pub(crate) async fn authorizer_token(State(shared): State<Arc<Shared>>, uri: Uri, raw: Bytes) -> Response<Body> {
    let now = shared.clock.unix_now();
    let settings = shared.settings();
    let component = match component_of(&shared, &uri, now) {
        Ok(c) => c,
        Err((code, msg)) => return gateway(code, msg),
    };
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
    if !authorizer.authorized || authorizer.component.as_deref() != Some(appid) {
        return gateway(61003, "component is not authorized by this account");
    }
    if !refresh.is_some_and(|r| authorizer.refresh_valid(r, now)) {
        return gateway(61023, "refresh_token is invalid");
    }
    if let Err((code, msg)) =
        count_fetch(&shared, &mut world, TokenKind::Authorizer, authorizer_appid, appid, now, &settings)
    {
        return gateway(code, msg);
    }
    let token = issue(&shared, &mut world, TokenKind::Authorizer, authorizer_appid, now, &settings);
    let Some(authorizer) = world.authorizers.get_mut(authorizer_appid) else {
        return gateway(61003, "component is not authorized by this account");
    };
    if settings.wechat_rotate_refresh_token {
        authorizer.rotate_refresh(new_refresh_token(&shared), now, &settings);
    }
    payload(json!({
        "authorizer_access_token": token,
        "expires_in": settings.wechat_token_lifetime.as_secs(),
        "authorizer_refresh_token": authorizer.refresh_token,
    }))
}
