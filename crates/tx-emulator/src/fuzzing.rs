//! Entry points for the fuzz targets (`fuzz/`), compiled only with the `fuzzing` feature:
//! requests handed to the emulator's per-request pipeline and router in-process, with no
//! socket, on a current-thread runtime whose time is paused (latencies, slow faults and
//! watermark delays pass at once) and a fixed wall clock.
//!
//! Nothing leaves the process: a request to the push control route is not handled, and
//! push URLs are removed from the state after every request, so neither
//! `/_emulator/wechat/push` nor `api_start_push_ticket` ever opens a connection.

use crate::defaults;
use crate::dispatch;
use crate::routes::router;
use crate::state::{Shared, lock};
use axum::Router;
use axum::body::Body;
use axum::http::Request;
use std::sync::Arc;
use tx_core::clock::ManualClock;

/// The wall clock of the harness, in unix seconds.
pub const NOW: u64 = 1_700_000_000;

/// The bare emulator ([`defaults::demo_seed`]), ready to take requests.
#[derive(Debug)]
pub struct Harness {
    runtime: tokio::runtime::Runtime,
    shared: Arc<Shared>,
    router: Router,
}

/// An answer: the HTTP status (0 when the connection was dropped) and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status code, or 0 for a dropped connection.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

impl Harness {
    /// A bare emulator on the fixed clock [`NOW`].
    pub fn new() -> Harness {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a current-thread runtime");
        let shared = Arc::new(
            Shared::new(Arc::new(ManualClock::new(NOW)), defaults::demo_seed()).expect("the demo seed is valid"),
        );
        let router = runtime.block_on(async { router(shared.clone()) });
        Harness { runtime, shared, router }
    }

    /// Back to the starting state (as `POST /_emulator/reset`).
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// A UserSig of the demo TIM app for `identifier`, valid for a day on the harness clock.
    pub fn usersig(&self, identifier: &str) -> Option<String> {
        let signer = lock(&self.shared.tim).apps.get(&defaults::TIM_SDKAPPID)?.signer.clone();
        signer.generate(identifier, std::time::Duration::from_secs(86_400)).ok().map(|s| s.expose().to_owned())
    }

    /// Handles one request; `None` when the method, URI or a header is not valid HTTP, or
    /// the path is a push route (never handled here).
    pub fn call(&self, method: &str, uri: &str, headers: &[(String, String)], body: Vec<u8>) -> Option<Answer> {
        let mut builder = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let request = builder.body(Body::from(body)).ok()?;
        if is_push_route(request.uri().path()) {
            return None;
        }
        let (shared, router) = (self.shared.clone(), self.router.clone());
        let answer = self.runtime.block_on(async move {
            match dispatch::handle(shared, router, request).await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await;
                    Answer { status, body: bytes.map(|b| b.to_vec()).unwrap_or_default() }
                }
                Err(dispatch::DropConnection) => Answer { status: 0, body: Vec::new() },
            }
        });
        for component in lock(&self.shared.wechat).components.values_mut() {
            component.push_url = None;
        }
        Some(answer)
    }
}

impl Default for Harness {
    fn default() -> Self {
        Harness::new()
    }
}

/// Whether a path (in any case or escaping) names a push route.
fn is_push_route(path: &str) -> bool {
    let decoded = url::form_urlencoded::parse(path.as_bytes()).map(|(k, v)| format!("{k}{v}")).collect::<String>();
    [path.to_ascii_lowercase(), decoded.to_ascii_lowercase()].iter().any(|p| p.contains("push"))
}
