//! The control API under `/_emulator/` (never faulted, never delayed, not counted):
//!
//! | route | does |
//! |---|---|
//! | `GET /_emulator/health` | `{"ok":true}` |
//! | `GET /_emulator/stats` | the [`crate::Stats`] snapshot as JSON |
//! | `DELETE /_emulator/stats` | zeroes the counters |
//! | `POST /_emulator/reset` | back to the starting seed: state, settings, faults, rate limits, counters |
//! | `POST /_emulator/seed` | adds a [`crate::Seed`] (JSON, the seed file's shape) to the current state |
//! | `GET /_emulator/faults` | the current [`crate::FaultPlan`] |
//! | `POST /_emulator/faults` | replaces the fault plan (JSON); per-endpoint counts restart |
//! | `GET /_emulator/tim/usersig?sdkappid=…&identifier=…[&expire=secs]` | `{"usersig":"…","expires_at":…}` signed with the app's key on the emulator's clock (default 1 day, at most [`MAX_USERSIG_LIFETIME`]) |
//!
//! | `POST /_emulator/wechat/event` | `{info_type, component_appid?, authorizer_appid?}` → applies the event and answers what would be pushed (see below), without sending it |
//! | `POST /_emulator/wechat/push` | `{url, info_type, component_appid?, authorizer_appid?}` → applies the event, POSTs it to `url` (loopback only) and adds `status` and `reply` (the receiver's answer) |
//! | `GET /_emulator/wechat/ticket?component_appid=…` | `{"component_verify_ticket":"…"}`, the latest ticket |
//!
//! `info_type` is `component_verify_ticket`, `authorized`, `updateauthorized` or
//! `unauthorized` (the last three need `authorizer_appid`); `component_appid` may be left
//! out when one component is seeded. An event answers `{component_appid, info_type, xml
//! (the decrypted message), body (the POST body), query (the query string to add to the
//! URL), timestamp, nonce, msg_signature}` plus, by type, `ticket`, `authorizer_appid`,
//! `authorization_code`, `authorization_code_expired_time`, `pre_auth_code`.
//!
//! Errors answer HTTP 400 with `{"error":"…"}`.

use crate::endpoint::query_value;
use crate::faults::{FaultPlan, FaultState};
use crate::seed::Seed;
use crate::state::{Shared, lock};
use crate::wechat::push::{self, InfoType};
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tx_core::usersig::UserSigSigner;

/// The longest lifetime of a UserSig the emulator issues (10 years of 365 days).
pub const MAX_USERSIG_LIFETIME: Duration = Duration::from_secs(10 * 365 * 86_400);

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_emulator/health", get(|| async { Json(json!({"ok": true})) }))
        .route("/_emulator/stats", get(stats).delete(clear_stats))
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/seed", post(seed))
        .route("/_emulator/faults", get(faults).post(set_faults))
        .route("/_emulator/tim/usersig", get(usersig))
        .route("/_emulator/wechat/event", post(wechat_event))
        .route("/_emulator/wechat/push", post(wechat_push))
        .route("/_emulator/wechat/ticket", get(wechat_ticket))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EventRequest {
    info_type: String,
    #[serde(default)]
    component_appid: Option<String>,
    #[serde(default)]
    authorizer_appid: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// Parses an event request: the component (the only one when not named) and the type.
fn event_request(shared: &Shared, body: &[u8]) -> Result<(EventRequest, String, InfoType), String> {
    let req: EventRequest = serde_json::from_slice(body).map_err(|e| format!("invalid event: {e}"))?;
    let info = InfoType::parse(&req.info_type)
        .ok_or("info_type must be component_verify_ticket, authorized, updateauthorized or unauthorized")?;
    let component = match &req.component_appid {
        Some(c) => c.clone(),
        None => {
            let world = lock(&shared.wechat);
            let mut ids = world.components.keys();
            match (ids.next(), ids.next()) {
                (Some(only), None) => only.clone(),
                _ => return Err("component_appid is required unless exactly one component is seeded".to_owned()),
            }
        }
    };
    Ok((req, component, info))
}

async fn wechat_event(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let (req, component, info) = match event_request(&shared, &body) {
        Ok(r) => r,
        Err(e) => return bad_request(e),
    };
    if req.url.is_some() {
        return bad_request("an event is not sent; POST /_emulator/wechat/push to send it to a url");
    }
    match push::event(&shared, &component, info, req.authorizer_appid.as_deref()) {
        Ok(ev) => Json(ev).into_response(),
        Err(e) => bad_request(e),
    }
}

async fn wechat_push(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let (req, component, info) = match event_request(&shared, &body) {
        Ok(r) => r,
        Err(e) => return bad_request(e),
    };
    let Some(url) = req.url else { return bad_request("url is required") };
    match push::push(&shared, &url, &component, info, req.authorizer_appid.as_deref()).await {
        Ok((ev, delivery)) => {
            let mut v = serde_json::to_value(ev).unwrap_or_default();
            v["status"] = json!(delivery.status);
            v["reply"] = json!(delivery.reply);
            Json(v).into_response()
        }
        Err(e) => bad_request(e),
    }
}

async fn wechat_ticket(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let appid = query_value(uri.query().unwrap_or_default(), "component_appid").unwrap_or_default();
    match lock(&shared.wechat).components.get(&appid) {
        Some(c) => Json(json!({"component_verify_ticket": c.ticket})).into_response(),
        None => bad_request(format!("no component {appid:?} is seeded")),
    }
}

fn bad_request(msg: impl std::fmt::Display) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": msg.to_string()}))).into_response()
}

fn done() -> Response {
    Json(json!({"ok": true})).into_response()
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.stats.snapshot()).into_response()
}

async fn clear_stats(State(shared): State<Arc<Shared>>) -> Response {
    shared.stats.clear();
    done()
}

async fn reset(State(shared): State<Arc<Shared>>) -> Response {
    shared.reset();
    done()
}

async fn seed(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let seed: Seed = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => return bad_request(format!("invalid seed: {e}")),
    };
    match shared.apply(&seed) {
        Ok(()) => done(),
        Err(e) => bad_request(e),
    }
}

async fn faults(State(shared): State<Arc<Shared>>) -> Response {
    Json(lock(&shared.faults).plan().clone()).into_response()
}

async fn set_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let plan: FaultPlan = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => return bad_request(format!("invalid fault plan: {e}")),
    };
    if let Err(e) = plan.validate() {
        return bad_request(e);
    }
    *lock(&shared.faults) = FaultState::new(plan);
    done()
}

async fn usersig(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let query = uri.query().unwrap_or_default();
    let Some(sdkappid) = query_value(query, "sdkappid").and_then(|s| s.parse::<u32>().ok()) else {
        return bad_request("sdkappid is required");
    };
    let Some(identifier) = query_value(query, "identifier").filter(|s| !s.is_empty()) else {
        return bad_request("identifier is required");
    };
    let expire = match query_value(query, "expire").map(|s| s.parse::<u64>()) {
        None => 86_400,
        Some(Ok(e)) if e <= MAX_USERSIG_LIFETIME.as_secs() => e,
        Some(Ok(e)) => {
            return bad_request(format!("expire {e} is more than {} seconds", MAX_USERSIG_LIFETIME.as_secs()));
        }
        Some(Err(_)) => return bad_request("expire must be a number of seconds"),
    };
    let signer: UserSigSigner = {
        let world = lock(&shared.tim);
        match world.apps.get(&sdkappid) {
            Some(app) => app.signer.clone(),
            None => return bad_request(format!("no TIM app {sdkappid} is seeded")),
        }
    };
    match signer.generate(&identifier, Duration::from_secs(expire)) {
        Ok(sig) => Json(json!({"usersig": sig.expose(), "expires_at": sig.expires_at()})).into_response(),
        Err(e) => bad_request(e),
    }
}
