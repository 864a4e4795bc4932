//! The per-request pipeline in front of the router: counters, fixed latency, faults.

use crate::endpoint::{Endpoint, Platform, query_value};
use crate::faults::Fault;
use crate::state::{Shared, lock};
use crate::stats::{AdsCall, Outcome};
use crate::{ads, tim, wechat};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use std::convert::Infallible;
use std::sync::Arc;
use tower_service::Service;

/// Injected into a TIM request's extensions: its last item fails with this code.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ItemFault(pub i64);

/// The service's error that makes hyper close the connection without answering.
#[derive(Debug, thiserror::Error)]
#[error("tx-emulator dropped the connection (injected fault)")]
pub(crate) struct DropConnection;

/// Handles one request: control-API requests go straight to the router; platform
/// requests are counted, faulted or routed, and answered after the fixed latency.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    router: Router,
    mut req: Request<Body>,
) -> Result<Response<Body>, DropConnection> {
    let Some(endpoint) = Endpoint::classify(req.uri().path(), req.uri().query()) else {
        return Ok(route(router, req).await);
    };
    shared.stats.request(&endpoint.id);
    if endpoint.platform == Platform::Ads {
        let query = req.uri().query().unwrap_or_default();
        let call = AdsCall { nonce: query_value(query, "nonce"), timestamp: query_value(query, "timestamp") };
        shared.stats.ads_call(&endpoint.id, call);
    }
    // The request is handled on arrival (rate limits count arrivals, as a server does);
    // the fixed latency delays the answer, so it stands for the whole round trip.
    let latency = shared.settings().latency;
    let fault = lock(&shared.faults).decide(&endpoint);
    if let Some(f) = &fault {
        shared.stats.fault(&endpoint.id, f.label());
    }
    let response = match fault {
        None => route(router, req).await,
        Some(Fault::Drop) => {
            delay(latency).await;
            return Err(DropConnection);
        }
        Some(Fault::Http(status)) => http_error(status),
        Some(Fault::Slow(delay)) => {
            tokio::time::sleep(delay).await;
            route(router, req).await
        }
        Some(Fault::Busy) => platform_error(&shared, endpoint.platform, busy_code(endpoint.platform)),
        Some(Fault::Code(code)) => platform_error(&shared, endpoint.platform, code),
        Some(Fault::ItemCode(code)) if endpoint.platform == Platform::Tim => {
            req.extensions_mut().insert(ItemFault(code));
            route(router, req).await
        }
        Some(Fault::ItemCode(code)) => platform_error(&shared, endpoint.platform, code),
        Some(Fault::AppliedDrop) => {
            let applied = route(router, req).await;
            drop(applied);
            delay(latency).await;
            return Err(DropConnection);
        }
        Some(Fault::AppliedHttp(status)) => {
            drop(route(router, req).await);
            http_error(status)
        }
    };
    let mut response = response;
    if endpoint.platform == Platform::Ads {
        ads::envelope::add_headers(&shared, &mut response);
    }
    shared.stats.answered(&endpoint.id, response.status().as_u16(), response.extensions().get::<Outcome>());
    delay(latency).await;
    Ok(response)
}

async fn delay(latency: std::time::Duration) {
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
}

async fn route(mut router: Router, req: Request<Body>) -> Response<Body> {
    let result: Result<Response<Body>, Infallible> = router.call(req).await;
    match result {
        Ok(r) => r,
        Err(never) => match never {},
    }
}

fn busy_code(platform: Platform) -> i64 {
    match platform {
        Platform::Tim => 30006,
        Platform::Wechat => -1,
        Platform::Ads => 66045,
    }
}

fn platform_error(shared: &Shared, platform: Platform, code: i64) -> Response<Body> {
    match platform {
        Platform::Tim => tim::envelope::fail(&tim::envelope::TimError::new(code, tim::envelope::injected_info(code))),
        Platform::Wechat => wechat::envelope::injected(code),
        Platform::Ads => ads::envelope::error(shared, code, "injected by tx-emulator", "tx-emulator 注入的错误"),
    }
}

/// A gateway error page, as a reverse proxy in front of the real services sends.
fn http_error(status: u16) -> Response<Body> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let reason = status.canonical_reason().unwrap_or("Error");
    let page = format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n",
        code = status.as_u16()
    );
    let mut resp = Response::new(Body::from(page));
    *resp.status_mut() = status;
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    resp
}
