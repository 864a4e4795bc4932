//! The router: the three platforms' real paths plus the control API.

use crate::state::Shared;
use crate::{ads, control, tim, wechat};
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{any, get, post};
use std::sync::Arc;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/v4/{service}/{command}", any(tim::handle))
        .route("/wxa/operationams", any(wechat::ams::handle_op))
        .route("/wxa/setdefaultamsinfo", any(wechat::ams::handle_provider))
        .route("/wxa/getdefaultamsinfo", any(wechat::ams::handle_provider))
        .route("/cgi-bin/component/api_component_token", any(wechat::tokens::component_token))
        .route("/cgi-bin/component/api_authorizer_token", any(wechat::tokens::authorizer_token))
        .route("/cgi-bin/component/api_create_preauthcode", any(wechat::auth::preauthcode))
        .route("/cgi-bin/component/api_query_auth", any(wechat::auth::query_auth))
        .route("/cgi-bin/component/api_get_authorizer_list", any(wechat::auth::authorizer_list))
        .route("/cgi-bin/component/api_start_push_ticket", any(wechat::auth::start_push_ticket))
        .route("/v3.0/watermarks/add", post(ads::watermarks::add))
        .route("/v3.0/watermarks/get", get(ads::watermarks::get))
        .route("/v3.0/material_async_tasks/add", post(ads::tasks::add))
        .route("/v3.0/material_async_tasks/get", get(ads::tasks::get))
        .route("/v3.0/{*rest}", any(ads::unknown_api))
        .route("/oauth/token", get(ads::oauth::token))
        .route("/oauth/authorize", get(ads::oauth::authorize))
        .merge(control::routes())
        .fallback(|| async { (StatusCode::NOT_FOUND, "tx-emulator: no such path\n") })
        .with_state(shared)
}
