//! Tencent Ads Marketing API v3.0: watermarks, material async tasks and OAuth.

pub(crate) mod auth;
pub(crate) mod envelope;
pub(crate) mod oauth;
mod params;
pub(crate) mod quota;
pub(crate) mod state;
pub(crate) mod tasks;
pub(crate) mod watermarks;

use crate::state::Shared;
use axum::body::Body;
use axum::extract::State;
use axum::http::Response;
use std::sync::Arc;

/// Any other `/v3.0/…` path: 12007 (unknown API).
pub(crate) async fn unknown_api(State(shared): State<Arc<Shared>>) -> Response<Body> {
    envelope::error(&shared, 12007, "The API, URL or method is unknown.", "接口、URL 或请求方法不存在")
}
