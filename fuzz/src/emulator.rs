//! `emulator`: sequences of up to four HTTP requests (any method, a known or any path, any
//! query and body) handed to the emulator's per-request pipeline and router in-process,
//! starting from the bare emulator each time (`tx_emulator::__fuzz::Harness`).
//!
//! Each request may carry valid credentials, so the fuzzer gets past authentication: a
//! signed admin UserSig (TIM), the demo authorizer token or a token an earlier answer of
//! the same sequence issued (WeChat), the demo Ads token with the clock's timestamp and a
//! fresh nonce (Ads).
//!
//! Checks: no handler panics; no answer is a server error (5xx) unless the sequence set a
//! fault plan; every platform answer with status 200 is JSON.

use crate::input::{Builder, Input};
use std::cell::RefCell;
use std::collections::HashMap;
use tx_emulator::__fuzz::{Harness, NOW};

/// The paths a request picks from by index; one past the end means a path from the input.
pub const PATHS: [&str; 40] = [
    "/v4/sns/black_list_add",
    "/v4/sns/black_list_delete",
    "/v4/sns/black_list_get",
    "/v4/sns/black_list_check",
    "/v4/sns/friend_add",
    "/v4/sns/friend_import",
    "/v4/sns/friend_update",
    "/v4/sns/friend_delete",
    "/v4/sns/friend_delete_all",
    "/v4/sns/friend_check",
    "/v4/sns/friend_get",
    "/v4/sns/friend_get_list",
    "/v4/sns/group_add",
    "/v4/sns/group_delete",
    "/v4/sns/group_get",
    "/v4/im_open_login_svc/multiaccount_import",
    "/v4/im_open_login_svc/account_check",
    "/v4/im_open_login_svc/account_delete",
    "/wxa/operationams",
    "/wxa/setdefaultamsinfo",
    "/wxa/getdefaultamsinfo",
    "/cgi-bin/component/api_component_token",
    "/cgi-bin/component/api_authorizer_token",
    "/cgi-bin/component/api_create_preauthcode",
    "/cgi-bin/component/api_query_auth",
    "/cgi-bin/component/api_get_authorizer_list",
    "/cgi-bin/component/api_start_push_ticket",
    "/v3.0/watermarks/add",
    "/v3.0/watermarks/get",
    "/v3.0/material_async_tasks/add",
    "/v3.0/material_async_tasks/get",
    "/oauth/token",
    "/oauth/authorize",
    "/_emulator/stats",
    "/_emulator/reset",
    "/_emulator/seed",
    "/_emulator/faults",
    "/_emulator/tim/usersig",
    "/_emulator/wechat/event",
    "/_emulator/wechat/ticket",
];

/// The methods a request picks from.
pub const METHODS: [&str; 6] = ["POST", "GET", "DELETE", "PUT", "PATCH", "OPTIONS"];

/// Credential flags of a request.
pub mod auth {
    /// TIM: `sdkappid`, `identifier=administrator`, a signed `usersig`, `random`, `contenttype`.
    pub const TIM: u8 = 1;
    /// WeChat: `access_token`, the last authorizer token issued, else the demo one.
    pub const WECHAT_AUTHORIZER: u8 = 2;
    /// WeChat: `component_access_token` (or `access_token` on `/wxa/`), the last issued.
    pub const WECHAT_COMPONENT: u8 = 4;
    /// Ads: the demo `access_token`, the clock's `timestamp` and a fresh `nonce`.
    pub const ADS: u8 = 8;
    /// A `Content-Type: application/json` header.
    pub const JSON: u8 = 16;
}

thread_local! {
    static HARNESS: RefCell<Option<Harness>> = const { RefCell::new(None) };
}

/// One request of a sequence, as the input encodes it.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// Index into [`METHODS`].
    pub method: u8,
    /// Index into [`PATHS`], or any other value for `path`.
    pub path_index: u8,
    /// Credential flags ([`auth`]).
    pub auth: u8,
    /// The path when `path_index` is past [`PATHS`].
    pub path: &'a str,
    /// The query string (without `?`).
    pub query: &'a str,
    /// The body.
    pub body: &'a [u8],
}

/// Encodes a sequence for a seed corpus.
pub fn encode(requests: &[Request<'_>]) -> Vec<u8> {
    let mut b = Builder::new();
    for r in requests {
        b = b.byte(r.method).byte(r.path_index).byte(r.auth).field(r.path).field(r.query).field(r.body);
    }
    b.finish()
}

/// Tokens issued by earlier answers of the sequence.
#[derive(Default)]
struct Issued(HashMap<&'static str, String>);

impl Issued {
    fn learn(&mut self, body: &[u8]) {
        let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) else { return };
        for key in ["component_access_token", "authorizer_access_token", "usersig"] {
            if let Some(serde_json::Value::String(v)) = map.get(key) {
                self.0.insert(key, v.clone());
            }
        }
    }
}

fn query_for(harness: &Harness, r: &Request<'_>, path: &str, issued: &Issued, nonce: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    if r.auth & auth::TIM != 0 {
        let sig = issued.0.get("usersig").cloned().or_else(|| harness.usersig("administrator")).unwrap_or_default();
        parts.push(format!("sdkappid=1400000000&identifier=administrator&usersig={sig}&random=7&contenttype=json"));
    }
    if r.auth & auth::WECHAT_AUTHORIZER != 0 {
        let token =
            issued.0.get("authorizer_access_token").map_or("tx-emulator-demo-authorizer-token-1", String::as_str);
        parts.push(format!("access_token={token}"));
    }
    if r.auth & auth::WECHAT_COMPONENT != 0 {
        let token = issued.0.get("component_access_token").map_or("", String::as_str);
        let key = if path.starts_with("/wxa/") { "access_token" } else { "component_access_token" };
        parts.push(format!("{key}={token}"));
    }
    if r.auth & auth::ADS != 0 {
        parts.push(format!("access_token=tx-emulator-demo-ads-token&timestamp={NOW}&nonce=fuzz{nonce}"));
    }
    if !r.query.is_empty() {
        parts.push(r.query.to_owned());
    }
    parts.join("&")
}

/// Runs one input.
pub fn run(data: &[u8]) {
    HARNESS.with(|cell| {
        let mut cell = cell.borrow_mut();
        let harness = cell.get_or_insert_with(Harness::new);
        harness.reset();
        run_sequence(harness, data);
    });
}

fn run_sequence(harness: &Harness, data: &[u8]) {
    let mut input = Input::new(data);
    let mut issued = Issued::default();
    let mut faults_set = false;
    for n in 0..4 {
        if input.is_empty() {
            break;
        }
        let (method, path_index, auth) = (input.byte(), input.byte(), input.byte());
        let (path, query, body) = (input.text(), input.text(), input.field());
        let r = Request { method, path_index, auth, path: &path, query: &query, body };
        let path = PATHS.get(usize::from(path_index)).map_or(path.as_str(), |p| *p);
        let method = METHODS[usize::from(method) % METHODS.len()];
        let uri = match query_for(harness, &r, path, &issued, n) {
            q if q.is_empty() => path.to_owned(),
            q => format!("{path}?{q}"),
        };
        let headers = if auth & auth::JSON != 0 {
            vec![("content-type".to_owned(), "application/json".to_owned())]
        } else {
            Vec::new()
        };
        let Some(answer) = harness.call(method, &uri, &headers, body.to_vec()) else { continue };
        // A fault plan comes with `/_emulator/faults` or inside a seed.
        if matches!(path, "/_emulator/faults" | "/_emulator/seed") && method == "POST" && answer.status == 200 {
            faults_set = true;
        }
        if answer.status >= 500 {
            assert!(
                faults_set,
                "{method} {uri} answered {} without a fault plan: {:?}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            );
        }
        let platform = !path.starts_with("/_emulator/");
        if platform && answer.status == 200 && !faults_set {
            assert!(
                serde_json::from_slice::<serde_json::Value>(&answer.body).is_ok(),
                "{method} {uri} answered 200 with {:?}",
                String::from_utf8_lossy(&answer.body)
            );
        }
        issued.learn(&answer.body);
    }
}
