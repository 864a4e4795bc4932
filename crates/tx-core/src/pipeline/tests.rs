//! The pipeline against a real local HTTP server, with a toy protocol:
//! body `{"code": N, "msg": "...", "data": ...}`, credential `token=tok-N` in the query.

use super::*;
use crate::rate_limit::{LocalRateLimiter, Quota, RateKey};
use crate::retry::{Idempotency, Jitter};
use crate::tenant::Tenant;
use async_trait::async_trait;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response as AxumResponse};
use serde::Deserialize;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::AtomicU32;

#[derive(Clone, Debug)]
enum Reply {
    Code(i64),
    Status(u16, &'static str),
    RetryAfter(u16, u64),
    Garbage,
    Slow(Duration),
    Redirect(String),
}

#[derive(Default)]
struct Script {
    replies: Mutex<VecDeque<Reply>>,
    queries: Mutex<Vec<String>>,
}

/// A server on its own thread and runtime (real time), so client-side tests can pause time.
struct TestServer {
    url: Url,
    script: Arc<Script>,
}

impl TestServer {
    fn start(replies: Vec<Reply>) -> TestServer {
        let script = Arc::new(Script { replies: Mutex::new(replies.into()), ..Script::default() });
        let shared = Arc::clone(&script);
        let app = axum::Router::new().fallback(move |RawQuery(q): RawQuery| {
            let s = Arc::clone(&shared);
            async move { reply(&s, q.unwrap_or_default()).await }
        });
        TestServer { url: crate::testing::serve(app), script }
    }

    fn requests(&self) -> usize {
        self.script.queries.lock().unwrap().len()
    }

    fn queries(&self) -> Vec<String> {
        self.script.queries.lock().unwrap().clone()
    }
}

async fn reply(script: &Script, query: String) -> AxumResponse {
    script.queries.lock().unwrap().push(query);
    let next = script.replies.lock().unwrap().pop_front();
    let ok = || axum::Json(serde_json::json!({"code": 0, "data": {"n": 7}})).into_response();
    match next {
        None => ok(),
        Some(Reply::Code(code)) => {
            axum::Json(serde_json::json!({"code": code, "msg": format!("failure {code}")})).into_response()
        }
        Some(Reply::Status(status, body)) => (StatusCode::from_u16(status).unwrap(), body).into_response(),
        Some(Reply::RetryAfter(status, secs)) => {
            (StatusCode::from_u16(status).unwrap(), [("retry-after", secs.to_string())], "slow down").into_response()
        }
        Some(Reply::Garbage) => (StatusCode::OK, "<html>not json</html>").into_response(),
        Some(Reply::Redirect(to)) => (StatusCode::FOUND, [("location", to)], "").into_response(),
        Some(Reply::Slow(d)) => {
            tokio::time::sleep(d).await;
            ok()
        }
    }
}

#[derive(Debug, Default)]
struct Toy {
    issued: AtomicU32,
    invalidated: Mutex<Vec<String>>,
}

#[derive(Deserialize)]
struct ToyEnvelope {
    code: i64,
    #[serde(default)]
    msg: String,
    data: Option<serde_json::Value>,
}

#[async_trait]
impl Protocol for Arc<Toy> {
    type Credential = String;

    fn platform(&self) -> &'static str {
        "toy"
    }

    fn rate_key(&self, call: &Call) -> RateKey {
        RateKey::new("toy", call.tenant().as_str(), call.endpoint())
    }

    async fn authorize(&self, call: &Call, request: &mut AttemptRequest) -> Result<String, Error> {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let token = match call.tenant().as_str() {
            "" => format!("tok-{n}"),
            tenant => format!("{tenant}-tok-{n}"),
        };
        request.secret_query("token", &crate::Secret::new(token.clone()));
        Ok(token)
    }

    async fn invalidate(&self, _call: &Call, credential: String) {
        self.invalidated.lock().unwrap().push(credential);
    }

    fn decode<T: DeserializeOwned>(&self, _call: &Call, response: &RawResponse) -> Result<T, Error> {
        let env: ToyEnvelope = serde_json::from_slice(&response.body).map_err(|e| Error::decode(e, &response.body))?;
        if env.code != 0 {
            return Err(Error::api(ErrorKind::Api, env.code, &env.msg));
        }
        serde_json::from_value(env.data.unwrap_or_default()).map_err(|e| Error::decode(e, &response.body))
    }

    fn classify(&self, _call: &Call, error: &Error) -> Verdict {
        match error.code() {
            Some(1) => Verdict::Retry { after: None },
            Some(2) => Verdict::Throttled { after: Some(Duration::from_secs(30)) },
            Some(3) => Verdict::RefreshAuth,
            Some(4) => Verdict::ResendOnce,
            Some(5) => Verdict::Throttled { after: Some(Duration::from_secs(300)) },
            _ => Verdict::Permanent,
        }
    }
}

#[derive(Deserialize, Debug)]
struct Data {
    n: i64,
}

fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .with_jitter(Jitter::None)
        .with_backoff(Duration::from_millis(10), Duration::from_millis(80))
        .without_deadline()
}

fn pipeline(server: &TestServer, retry: RetryPolicy) -> (Pipeline<Arc<Toy>>, Arc<Toy>) {
    let toy = Arc::new(Toy::default());
    let p = Pipeline::builder(Arc::clone(&toy))
        .base_url(server.url.clone())
        .http_config(HttpConfig::default().no_request_timeout())
        .retry(retry)
        .build()
        .unwrap();
    (p, toy)
}

fn call() -> Call {
    Call::post_json("thing/do", &serde_json::json!({"x": 1})).unwrap()
}

#[tokio::test]
async fn success_on_the_first_attempt() {
    let server = TestServer::start(vec![]);
    let (p, _) = pipeline(&server, policy());
    let r = p.send::<Data>(&call().with_query("extra", "a b")).await.unwrap();
    assert_eq!((r.data.n, r.meta.attempts, r.meta.status), (7, 1, 200));
    assert_eq!(server.queries(), ["extra=a+b&token=tok-1"]);
}

#[tokio::test]
async fn transient_failures_are_retried_with_fresh_credentials() {
    let server = TestServer::start(vec![Reply::Code(1), Reply::Status(503, "busy"), Reply::Code(1)]);
    let (p, _) = pipeline(&server, policy().with_max_attempts(4));
    let r = p.send::<Data>(&call()).await.unwrap();
    assert_eq!(r.meta.attempts, 4);
    assert_eq!(server.queries(), ["token=tok-1", "token=tok-2", "token=tok-3", "token=tok-4"]);
}

#[tokio::test]
async fn attempts_run_out_with_a_retryable_error() {
    let server = TestServer::start(vec![Reply::Code(1); 5]);
    let (p, _) = pipeline(&server, policy().with_max_attempts(3));
    let e = p.send::<Data>(&call()).await.unwrap_err();
    assert_eq!((e.code(), e.attempts(), e.is_retryable()), (Some(1), 3, true));
    assert_eq!(e.endpoint(), Some("thing/do"));
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn non_idempotent_calls_are_not_repeated_after_ambiguous_failures() {
    let server = TestServer::start(vec![Reply::Code(1), Reply::Status(502, "bad gateway")]);
    let (p, _) = pipeline(&server, policy());
    let e = p.send::<Data>(&call().with_idempotency(Idempotency::NotIdempotent)).await.unwrap_err();
    assert_eq!(e.code(), Some(1));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn an_answer_after_a_failure_of_unknown_outcome_says_so() {
    // A gateway error and a reply that came too late leave the outcome unknown; a
    // platform code and a throttling answer do not.
    for (first, unknown) in [
        (Reply::Status(502, "bad gateway"), true),
        (Reply::Slow(Duration::from_millis(400)), true),
        (Reply::Code(1), false),
        (Reply::RetryAfter(429, 0), false),
    ] {
        let server = TestServer::start(vec![first.clone()]);
        let (p, _) = pipeline(&server, policy());
        let r = p.send::<Data>(&call().with_timeout(Duration::from_millis(100))).await.unwrap();
        assert_eq!((r.meta.attempts, r.meta.after_unknown_outcome), (2, unknown), "{first:?}");
    }
    let server = TestServer::start(vec![]);
    let (p, _) = pipeline(&server, policy());
    assert!(!p.send::<Data>(&call()).await.unwrap().meta.after_unknown_outcome);
}

#[tokio::test]
async fn refused_connections_fail_over_to_the_backup_host_even_when_not_idempotent() {
    let server = TestServer::start(vec![]);
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        Url::parse(&format!("http://{}/api/", l.local_addr().unwrap())).unwrap()
    }; // the listener is dropped: connections are refused
    let toy = Arc::new(Toy::default());
    let p = Pipeline::builder(Arc::clone(&toy))
        .base_url(dead)
        .backup_base_url(server.url.clone())
        .retry(policy())
        .build()
        .unwrap();
    let r = p.send::<Data>(&call().with_idempotency(Idempotency::NotIdempotent)).await.unwrap();
    assert_eq!(r.meta.attempts, 2);
    assert_eq!(p.base_url(), &server.url, "the switch sticks for later calls");
    assert_eq!(p.send::<Data>(&call()).await.unwrap().meta.attempts, 1);
}

#[tokio::test]
async fn rejected_credentials_are_invalidated_and_retried_exactly_once() {
    let server = TestServer::start(vec![Reply::Code(3)]);
    let (p, toy) = pipeline(&server, RetryPolicy::none());
    assert_eq!(p.send::<Data>(&call()).await.unwrap().meta.attempts, 2);
    assert_eq!(*toy.invalidated.lock().unwrap(), ["tok-1"]);

    let server = TestServer::start(vec![Reply::Code(3), Reply::Code(3), Reply::Code(3)]);
    let (p, toy) = pipeline(&server, policy().with_max_attempts(5));
    let e = p.send::<Data>(&call()).await.unwrap_err();
    assert_eq!(e.code(), Some(3));
    assert_eq!(server.requests(), 2, "never loops on a credential the server keeps refusing");
    assert_eq!(toy.invalidated.lock().unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn prescribed_waits_are_honoured_in_virtual_time() {
    let server = TestServer::start(vec![Reply::Code(2), Reply::RetryAfter(429, 7)]);
    let (p, _) = pipeline(&server, policy());
    let start = tokio::time::Instant::now();
    let r = p.send::<Data>(&call()).await.unwrap();
    assert_eq!(r.meta.attempts, 3);
    assert!(start.elapsed() >= Duration::from_secs(37), "{:?}", start.elapsed());
}

#[tokio::test(start_paused = true)]
async fn backoff_grows_exponentially_to_the_cap() {
    let server = TestServer::start(vec![Reply::Code(1); 6]);
    let (p, _) = pipeline(&server, policy().with_max_attempts(7));
    let start = tokio::time::Instant::now();
    p.send::<Data>(&call()).await.unwrap();
    // 10 + 20 + 40 + 80 + 80 + 80 ms of backoff, plus whatever idle I/O advanced.
    assert!(start.elapsed() >= Duration::from_millis(310), "{:?}", start.elapsed());
}

#[tokio::test]
async fn waits_longer_than_allowed_fail_at_once_with_retry_after() {
    let server = TestServer::start(vec![Reply::Code(5)]);
    let (p, _) = pipeline(&server, policy().with_max_server_wait(Duration::from_secs(60)));
    let e = p.send::<Data>(&call()).await.unwrap_err();
    assert_eq!((e.retry_after(), e.is_retryable()), (Some(Duration::from_secs(300)), true));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn http_errors_without_an_envelope() {
    let server = TestServer::start(vec![Reply::Status(404, "no such path")]);
    let (p, _) = pipeline(&server, policy());
    let e = p.send::<Data>(&call()).await.unwrap_err();
    assert_eq!((e.kind(), e.http_status(), e.is_retryable()), (ErrorKind::Transport, Some(404), false));
    assert_eq!(e.body_snippet(), Some("no such path"));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn redirects_are_not_followed_so_credentials_stay_with_the_configured_host() {
    let elsewhere = TestServer::start(vec![]);
    let server = TestServer::start(vec![Reply::Redirect(format!("{}v1/steal", elsewhere.url))]);
    let (p, _) = pipeline(&server, policy());
    let e = p.send::<Data>(&call()).await.unwrap_err();
    assert_eq!((e.kind(), e.http_status(), e.is_retryable()), (ErrorKind::Transport, Some(302), false));
    assert_eq!(server.requests(), 1);
    assert_eq!(elsewhere.requests(), 0);
}

#[tokio::test]
async fn undecodable_bodies_are_decode_errors_and_not_retried() {
    let server = TestServer::start(vec![Reply::Garbage]);
    let (p, _) = pipeline(&server, policy());
    let e = p.send::<Data>(&call()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.body_snippet().unwrap().contains("not json"));
    assert_eq!(server.requests(), 1);
}

fn assert_deadline(e: &Error, attempts: u32) {
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.to_string().contains("deadline"), "{e}");
    assert_eq!(e.attempts(), attempts, "{e}");
}

#[tokio::test]
async fn the_deadline_bounds_a_slow_call() {
    let server = TestServer::start(vec![Reply::Slow(Duration::from_secs(30))]);
    let (p, _) = pipeline(&server, policy().with_deadline(Duration::from_millis(200)));
    let started = std::time::Instant::now();
    let e = p.send::<Data>(&call()).await.unwrap_err();
    assert_deadline(&e, 1);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn the_deadline_bounds_a_slow_call_on_a_client_passed_in() {
    let server = TestServer::start(vec![Reply::Slow(Duration::from_secs(30))]);
    let p = Pipeline::builder(Arc::new(Toy::default()))
        .base_url(server.url.clone())
        .http_client(reqwest::Client::new())
        .retry(policy().with_deadline(Duration::from_millis(200)))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    assert_deadline(&p.send::<Data>(&call()).await.unwrap_err(), 1);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_request_timeout_inside_the_deadline_is_retried() {
    let server = TestServer::start(vec![Reply::Slow(Duration::from_secs(30)), Reply::Slow(Duration::from_secs(30))]);
    let (p, _) = pipeline(&server, policy().with_max_attempts(3).with_deadline(Duration::from_secs(20)));
    let data = p.send::<Data>(&call().with_timeout(Duration::from_millis(150))).await.unwrap();
    assert_eq!(data.data.n, 7);
    assert_eq!(data.meta.attempts, 3, "two request timeouts, then an answer");
}

#[tokio::test]
async fn a_permit_further_away_than_the_deadline_fails_at_once_as_throttled() {
    let server = TestServer::start(vec![]);
    let p = Pipeline::builder(Arc::new(Toy::default()))
        .base_url(server.url.clone())
        .http_config(HttpConfig::default().no_request_timeout())
        .retry(policy().with_deadline(Duration::from_millis(300)))
        .rate_limiter(Arc::new(LocalRateLimiter::new(Some(Quota::per_minute(1)))))
        .build()
        .unwrap();
    p.send::<Data>(&call()).await.unwrap();
    let started = std::time::Instant::now();
    let e = p.send::<Data>(&call()).await.unwrap_err();
    assert_eq!((e.kind(), e.attempts(), e.request_not_sent()), (ErrorKind::Throttled, 0, true));
    assert!(e.retry_after().is_some_and(|w| w > Duration::from_secs(50)), "{e:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(server.requests(), 1, "the second call never got a permit");
}

#[tokio::test]
async fn the_tenant_reaches_the_credentials_and_the_rate_key() {
    let server = TestServer::start(vec![]);
    let toy = Arc::new(Toy::default());
    let p = Pipeline::builder(Arc::clone(&toy))
        .base_url(server.url.clone())
        .retry(policy().with_deadline(Duration::from_secs(5)))
        .rate_limiter(Arc::new(LocalRateLimiter::new(Some(Quota::per_minute(1)))))
        .build()
        .unwrap();
    // One permit a minute per tenant: two tenants each get theirs at once.
    p.send::<Data>(&call().with_tenant(Tenant::new("acct-a"))).await.unwrap();
    p.send::<Data>(&call().with_tenant(Tenant::new("acct-b"))).await.unwrap();
    assert_eq!(server.queries(), ["token=acct-a-tok-1", "token=acct-b-tok-2"]);
    let e = p.send::<Data>(&call().with_tenant(Tenant::new("acct-a"))).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Throttled);
}

#[tokio::test]
async fn a_refused_one_time_value_is_resent_once_even_for_a_create() {
    let server = TestServer::start(vec![Reply::Code(4)]);
    let (p, toy) = pipeline(&server, RetryPolicy::none());
    let r = p.send::<Data>(&call().with_idempotency(Idempotency::NotIdempotent)).await.unwrap();
    assert_eq!(r.meta.attempts, 2);
    assert_eq!(server.queries(), ["token=tok-1", "token=tok-2"], "fresh per-attempt values");
    assert!(toy.invalidated.lock().unwrap().is_empty(), "the credential was fine");

    let server = TestServer::start(vec![Reply::Code(4), Reply::Code(4), Reply::Code(4)]);
    let (p, _) = pipeline(&server, policy().with_max_attempts(5));
    assert_eq!(p.send::<Data>(&call()).await.unwrap_err().code(), Some(4));
    assert_eq!(server.requests(), 2, "never loops");
}

#[tokio::test]
async fn a_prescribed_wait_holds_the_endpoint_for_later_calls() {
    let server = TestServer::start(vec![Reply::Code(5)]);
    let p = Pipeline::builder(Arc::new(Toy::default()))
        .base_url(server.url.clone())
        .retry(policy().with_max_server_wait(Duration::from_secs(60)))
        .rate_limiter(Arc::new(LocalRateLimiter::new(None)))
        .build()
        .unwrap();
    assert_eq!(p.send::<Data>(&call()).await.unwrap_err().code(), Some(5));
    // The server said the quota is spent for 300 s: the next call is not sent at all.
    let e = p.send::<Data>(&call()).await.unwrap_err();
    assert_eq!((e.kind(), e.request_not_sent()), (ErrorKind::Throttled, true));
    assert_eq!(server.requests(), 1);
    // Another endpoint is not held.
    let other = Call::post_json("thing/other", &serde_json::json!({})).unwrap();
    p.send::<Data>(&other).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn every_attempt_takes_a_rate_limit_permit() {
    let server = TestServer::start(vec![Reply::Code(1)]);
    let toy = Arc::new(Toy::default());
    let p = Pipeline::builder(toy)
        .base_url(server.url.clone())
        .http_config(HttpConfig::default().no_request_timeout())
        .retry(policy().with_backoff(Duration::ZERO, Duration::ZERO))
        .rate_limiter(Arc::new(LocalRateLimiter::new(Some(Quota::per_second(10)))))
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    for _ in 0..4 {
        p.send::<Data>(&call()).await.unwrap();
    }
    // 5 requests (one retried) at 10/s: the 5th permit comes 400 ms after the 1st.
    assert_eq!(server.requests(), 5);
    assert!(start.elapsed() >= Duration::from_millis(400), "{:?}", start.elapsed());
}
