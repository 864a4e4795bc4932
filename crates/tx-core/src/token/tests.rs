use super::*;
use crate::clock::{Clock, ManualClock};
use crate::error::ErrorKind;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

const T0: u64 = 1_700_000_000;

fn tenant(id: &str) -> Tenant {
    Tenant::new(id)
}

/// Issues `tok-N` (or `{tenant}-tok-N` with several tenants) valid for two hours, after a
/// short (virtual) delay, rotating the refresh token to `ref-N` when asked to.
#[derive(Debug)]
struct Counting {
    clock: ManualClock,
    fetches: Arc<AtomicU32>,
    fail: bool,
    rotate: bool,
    per_tenant: bool,
    /// The refresh tokens each fetch was given.
    seen_refresh: Arc<Mutex<Vec<Option<String>>>>,
}

impl Counting {
    fn new(clock: &ManualClock) -> Counting {
        Counting {
            clock: clock.clone(),
            fetches: Arc::new(AtomicU32::new(0)),
            fail: false,
            rotate: false,
            per_tenant: false,
            seen_refresh: Arc::default(),
        }
    }
}

#[async_trait]
impl TokenSource for Counting {
    async fn fetch(&self, tenant: &Tenant, refresh: Option<&Durable>) -> Result<Fetched, Error> {
        let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
        self.seen_refresh.lock().unwrap().push(refresh.map(|r| r.value.expose().to_owned()));
        tokio::time::sleep(Duration::from_millis(50)).await;
        if self.fail {
            return Err(Error::api(ErrorKind::Api, -1, "system busy"));
        }
        let value = if self.per_tenant { format!("{tenant}-tok-{n}") } else { format!("tok-{n}") };
        let token = Token::new(value, self.clock.unix_now(), Duration::from_secs(7200));
        let refresh = self.rotate.then(|| Durable::new(format!("ref-{n}"), None));
        Ok(Fetched { token, refresh })
    }
}

fn counting_cache() -> (TokenCache, ManualClock, Arc<AtomicU32>) {
    let clock = ManualClock::new(T0);
    let source = Counting::new(&clock);
    let fetches = Arc::clone(&source.fetches);
    let cache = TokenCache::builder("test:key", source).clock(clock.clone()).build();
    (cache, clock, fetches)
}

#[tokio::test(start_paused = true)]
async fn a_hundred_concurrent_callers_cause_exactly_one_fetch() {
    let (cache, _, fetches) = counting_cache();
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            tokio::spawn({
                let c = cache.clone();
                async move { c.token(&tenant("t")).await }
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().value.expose(), "tok-1");
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn tenants_have_their_own_tokens_and_refreshes_under_concurrency() {
    let clock = ManualClock::new(T0);
    let mut source = Counting::new(&clock);
    source.per_tenant = true;
    let fetches = Arc::clone(&source.fetches);
    let cache = TokenCache::builder("ads:app", source).clock(clock.clone()).build();
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let c = cache.clone();
            let who = format!("acct{}", i % 4);
            tokio::spawn(async move { (who.clone(), c.token(&tenant(&who)).await.unwrap()) })
        })
        .collect();
    for task in tasks {
        let (who, token) = task.await.unwrap();
        assert!(token.value.expose().starts_with(&format!("{who}-tok-")), "{who} got {:?}", token.value.expose());
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 4, "one fetch per tenant");
    // Invalidating one tenant's token leaves the others alone.
    let a = cache.token(&tenant("acct0")).await.unwrap();
    let b = cache.token(&tenant("acct1")).await.unwrap();
    assert!(cache.invalidate(&tenant("acct0"), &a.value).await.unwrap());
    assert!(!cache.invalidate(&tenant("acct1"), &a.value).await.unwrap(), "acct0's token is not acct1's");
    assert_ne!(cache.token(&tenant("acct0")).await.unwrap(), a);
    assert_eq!(cache.token(&tenant("acct1")).await.unwrap(), b);
    assert_eq!(fetches.load(Ordering::SeqCst), 5);
}

#[tokio::test(start_paused = true)]
async fn a_token_near_expiry_is_refreshed_in_the_background() {
    let (cache, clock, fetches) = counting_cache();
    let t = tenant("t");
    assert_eq!(cache.token(&t).await.unwrap().value.expose(), "tok-1");
    clock.advance(7200 - 200); // 200 s left: inside the 300 s refresh-ahead window
    // Callers keep getting the still-valid token without waiting...
    assert_eq!(cache.token(&t).await.unwrap().value.expose(), "tok-1");
    assert_eq!(cache.token(&t).await.unwrap().value.expose(), "tok-1");
    // ...while one background refresh replaces it.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(cache.token(&t).await.unwrap().value.expose(), "tok-2");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn an_expired_token_is_refreshed_before_use() {
    let (cache, clock, fetches) = counting_cache();
    let t = tenant("t");
    cache.token(&t).await.unwrap();
    clock.advance(7200 - 10); // inside min_validity: unusable
    assert_eq!(cache.token(&t).await.unwrap().value.expose(), "tok-2");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn invalidation_compares_before_removing() {
    let (cache, _, fetches) = counting_cache();
    let t = tenant("t");
    let first = cache.token(&t).await.unwrap();
    assert!(cache.invalidate(&t, &first.value).await.unwrap());
    let second = cache.token(&t).await.unwrap();
    assert_eq!(second.value.expose(), "tok-2");
    // A late handler reporting the old token must not throw away the new one.
    assert!(!cache.invalidate(&t, &first.value).await.unwrap());
    assert_eq!(cache.token(&t).await.unwrap().value.expose(), "tok-2");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn fetch_failures_are_reported_once_without_a_retry_loop_of_the_cache() {
    let clock = ManualClock::new(T0);
    let mut source = Counting::new(&clock);
    source.fail = true;
    let fetches = Arc::clone(&source.fetches);
    let cache = TokenCache::builder("k", source).clock(clock).build();
    let err = cache.token(&tenant("t")).await.unwrap_err();
    assert_eq!(err.code(), Some(-1));
    assert_eq!(fetches.load(Ordering::SeqCst), 1, "retrying is the source's pipeline's job");
}

#[tokio::test(start_paused = true)]
async fn a_failed_background_refresh_keeps_the_valid_token() {
    let clock = ManualClock::new(T0);
    let store = Arc::new(MemoryTokenStore::new());
    store.put_access("k:t", &Token::new("old", T0, Duration::from_secs(100))).await.unwrap();
    let mut source = Counting::new(&clock);
    source.fail = true;
    let fetches = Arc::clone(&source.fetches);
    let cache = TokenCache::builder("k", source).clock(clock).store(store).build();
    assert_eq!(cache.token(&tenant("t")).await.unwrap().value.expose(), "old");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(cache.token(&tenant("t")).await.unwrap().value.expose(), "old");
    assert!(fetches.load(Ordering::SeqCst) >= 1);
}

#[tokio::test(start_paused = true)]
async fn a_shared_store_serves_tokens_fetched_elsewhere() {
    let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
    let clock = ManualClock::new(T0);
    let source_a = Counting::new(&clock);
    let fetches_a = Arc::clone(&source_a.fetches);
    let a = TokenCache::builder("test:key", source_a).clock(clock.clone()).store(Arc::clone(&store)).build();
    let b = TokenCache::builder("test:key", Counting::new(&clock)).clock(clock).store(store).build();
    let from_a = a.token(&tenant("t")).await.unwrap();
    assert_eq!(b.token(&tenant("t")).await.unwrap(), from_a);
    assert_eq!(fetches_a.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn a_rotated_refresh_token_is_stored_before_the_token_is_returned_and_used_next_time() {
    let clock = ManualClock::new(T0);
    let store = Arc::new(MemoryTokenStore::new());
    store.put_durable("wechat:authorizer:c:wxa", &Durable::new("ref-0", None)).await.unwrap();
    let mut source = Counting::new(&clock);
    source.rotate = true;
    let seen = Arc::clone(&source.seen_refresh);
    let cache = TokenCache::builder("wechat:authorizer:c", source).clock(clock.clone()).store(store.clone()).build();
    let wxa = tenant("wxa");
    let first = cache.token(&wxa).await.unwrap();
    // By the time the caller holds the token, the rotated refresh token is durable.
    assert_eq!(store.durable("wechat:authorizer:c:wxa").await.unwrap().unwrap().value.expose(), "ref-1");
    assert!(cache.invalidate(&wxa, &first.value).await.unwrap());
    cache.token(&wxa).await.unwrap();
    assert_eq!(*seen.lock().unwrap(), [Some("ref-0".to_owned()), Some("ref-1".to_owned())]);
    // A second cache over the same store (a restarted client) refreshes with the rotated one.
    let restarted = TokenCache::builder("wechat:authorizer:c", Counting::new(&clock)).clock(clock).store(store).build();
    assert_eq!(restarted.refresh_token(&wxa).await.unwrap().unwrap().value.expose(), "ref-2");
}

#[tokio::test(start_paused = true)]
async fn tokens_obtained_elsewhere_are_put_and_purged() {
    let (cache, _, fetches) = counting_cache();
    let t = tenant("t");
    let fetched = Fetched {
        token: Token::new("from-code", T0, Duration::from_secs(7200)),
        refresh: Some(Durable::new("ref-x", Some(T0 + 30 * 86_400))),
    };
    cache.put(&t, &fetched).await.unwrap();
    assert_eq!(cache.token(&t).await.unwrap().value.expose(), "from-code");
    assert_eq!(cache.refresh_token(&t).await.unwrap(), fetched.refresh);
    cache.purge(&t).await.unwrap();
    assert_eq!(cache.refresh_token(&t).await.unwrap(), None);
    assert_eq!(cache.cached(&t).await.unwrap(), None);
    assert_eq!(cache.token(&t).await.unwrap().value.expose(), "tok-1");
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn a_recovered_refresh_token_is_stored_and_used_by_the_next_fetch() {
    let clock = ManualClock::new(T0);
    let source = Counting::new(&clock);
    let seen = Arc::clone(&source.seen_refresh);
    let cache = TokenCache::builder("k", source).clock(clock.clone()).build();
    let t = tenant("t");
    let first = cache.token(&t).await.unwrap();
    cache.put_refresh(&t, &Durable::new("recovered", None)).await.unwrap();
    assert_eq!(cache.refresh_token(&t).await.unwrap(), Some(Durable::new("recovered", None)));
    assert_eq!(cache.token(&t).await.unwrap(), first, "the access token is left as it was");
    assert!(cache.invalidate(&t, &first.value).await.unwrap());
    cache.token(&t).await.unwrap();
    assert_eq!(*seen.lock().unwrap(), [None, Some("recovered".to_owned())]);
}

#[test]
fn debug_output_hides_token_values() {
    let t = Token::new("very-secret-token", T0, Duration::from_secs(1));
    let d = Durable::new("very-secret-refresh", None);
    let shown = format!("{t:?} {d:?} {:?}", Fetched { token: t.clone(), refresh: Some(d.clone()) });
    assert!(!shown.contains("very-secret"), "{shown}");
}

/// A memory store that counts reads of access tokens and can be slow to compare-and-remove
/// (a round trip to Redis, say).
#[derive(Debug, Default)]
struct InstrumentedStore {
    inner: MemoryTokenStore,
    reads: AtomicU32,
    removal_delay: Duration,
}

#[async_trait]
impl TokenStore for InstrumentedStore {
    async fn access(&self, key: &str) -> Result<Option<Token>, Error> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.inner.access(key).await
    }
    async fn put_access(&self, key: &str, token: &Token) -> Result<(), Error> {
        self.inner.put_access(key, token).await
    }
    async fn remove_access_if(&self, key: &str, value: &Secret) -> Result<bool, Error> {
        tokio::time::sleep(self.removal_delay).await;
        self.inner.remove_access_if(key, value).await
    }
    async fn durable(&self, key: &str) -> Result<Option<Durable>, Error> {
        self.inner.durable(key).await
    }
    async fn put_durable(&self, key: &str, value: &Durable) -> Result<(), Error> {
        self.inner.put_durable(key, value).await
    }
    async fn remove(&self, key: &str) -> Result<(), Error> {
        self.inner.remove(key).await
    }
}

#[tokio::test(start_paused = true)]
async fn a_fresh_token_is_served_without_reading_the_store() {
    let clock = ManualClock::new(T0);
    let store = Arc::new(InstrumentedStore::default());
    let cache = TokenCache::builder("k", Counting::new(&clock)).clock(clock.clone()).store(store.clone()).build();
    let t = tenant("t");
    let first = cache.token(&t).await.unwrap();
    let reads_after_first = store.reads.load(Ordering::SeqCst);
    for _ in 0..100 {
        assert_eq!(cache.token(&t).await.unwrap(), first);
    }
    assert_eq!(store.reads.load(Ordering::SeqCst), reads_after_first, "served from the cache's copy");
    // Close to expiry, the store is consulted again (another process may have refreshed).
    clock.advance(7200 - 200);
    cache.token(&t).await.unwrap();
    assert!(store.reads.load(Ordering::SeqCst) > reads_after_first);
}

#[tokio::test(start_paused = true)]
async fn a_rejected_copy_is_replaced_by_the_token_another_process_stored() {
    let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
    let clock = ManualClock::new(T0);
    let (source_a, source_b) = (Counting::new(&clock), Counting::new(&clock));
    let (fetches_a, fetches_b) = (Arc::clone(&source_a.fetches), Arc::clone(&source_b.fetches));
    let a = TokenCache::builder("shared", source_a).clock(clock.clone()).store(Arc::clone(&store)).build();
    let b = TokenCache::builder("shared", source_b).clock(clock).store(store).build();
    let t = tenant("t");
    let old = a.token(&t).await.unwrap();
    assert_eq!(b.token(&t).await.unwrap(), old);
    // A's call is rejected: A replaces the token. B still holds the old one until B's own
    // call is rejected; then B takes A's new token from the store instead of fetching.
    assert!(a.invalidate(&t, &old.value).await.unwrap());
    let new = a.token(&t).await.unwrap();
    assert_ne!(new, old);
    assert_eq!(b.token(&t).await.unwrap(), old, "B's copy is used until it fails");
    assert!(!b.invalidate(&t, &old.value).await.unwrap(), "already gone from the store");
    assert_eq!(b.token(&t).await.unwrap(), new);
    assert_eq!((fetches_a.load(Ordering::SeqCst), fetches_b.load(Ordering::SeqCst)), (2, 0));
}

mod through_the_pipeline {
    //! A token source that calls an API sends that call through a pipeline of its own:
    //! its attempts are the policy's, and the call that needed the token adds none.

    use super::*;
    use crate::pipeline::{AttemptRequest, Call, Pipeline, Protocol, RawResponse};
    use crate::rate_limit::RateKey;
    use crate::retry::{Jitter, RetryPolicy, Verdict};
    use axum::extract::State;
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    use serde::de::DeserializeOwned;

    #[derive(Default)]
    struct Server {
        token_failures_left: Mutex<u32>,
        token_hits: AtomicU32,
        thing_hits: AtomicU32,
    }

    async fn token(State(s): State<Arc<Server>>) -> axum::response::Response {
        s.token_hits.fetch_add(1, Ordering::SeqCst);
        let mut left = s.token_failures_left.lock().unwrap();
        if *left > 0 {
            *left -= 1;
            return (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response();
        }
        axum::Json(serde_json::json!({"token": "fresh", "expires_in": 7200})).into_response()
    }

    async fn thing(State(s): State<Arc<Server>>) -> axum::Json<serde_json::Value> {
        s.thing_hits.fetch_add(1, Ordering::SeqCst);
        axum::Json(serde_json::json!({"n": 7}))
    }

    /// Plain JSON, credentials from a cache (or none).
    #[derive(Debug)]
    struct Plain {
        tokens: Option<TokenCache>,
    }

    #[async_trait]
    impl Protocol for Plain {
        type Credential = ();
        fn platform(&self) -> &'static str {
            "plain"
        }
        fn rate_key(&self, call: &Call) -> RateKey {
            RateKey::new("plain", "app", call.endpoint())
        }
        async fn authorize(&self, call: &Call, request: &mut AttemptRequest) -> Result<(), Error> {
            if let Some(tokens) = &self.tokens {
                request.secret_query("token", &tokens.token(call.tenant()).await?.value);
            }
            Ok(())
        }
        async fn invalidate(&self, _call: &Call, _credential: ()) {}
        fn decode<T: DeserializeOwned>(&self, _call: &Call, response: &RawResponse) -> Result<T, Error> {
            serde_json::from_slice(&response.body).map_err(|e| Error::decode(e, &response.body))
        }
        fn classify(&self, _call: &Call, _error: &Error) -> Verdict {
            Verdict::Permanent
        }
    }

    /// Fetches tokens from `oauth/token` through its own pipeline.
    #[derive(Debug)]
    struct TokenEndpoint {
        pipeline: Pipeline<Plain>,
    }

    #[async_trait]
    impl TokenSource for TokenEndpoint {
        async fn fetch(&self, _tenant: &Tenant, _refresh: Option<&Durable>) -> Result<Fetched, Error> {
            let answer: serde_json::Value = self.pipeline.send(&Call::get("oauth/token")).await?.data;
            let value = answer["token"].as_str().unwrap_or_default().to_owned();
            Ok(Token::new(value, T0, Duration::from_secs(7200)).into())
        }
    }

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
            .with_max_attempts(3)
            .with_jitter(Jitter::None)
            .with_backoff(Duration::from_millis(1), Duration::from_millis(2))
    }

    fn setup(token_failures: u32) -> (Pipeline<Plain>, Arc<Server>) {
        let server = Arc::new(Server { token_failures_left: Mutex::new(token_failures), ..Server::default() });
        let app = axum::Router::new()
            .route("/api/oauth/token", axum::routing::get(token))
            .route("/api/thing", axum::routing::get(thing))
            .with_state(Arc::clone(&server));
        let url = crate::testing::serve(app);
        let build = |tokens| Pipeline::builder(Plain { tokens }).base_url(url.clone()).retry(policy()).build().unwrap();
        let source = TokenEndpoint { pipeline: build(None) };
        let cache = TokenCache::builder("plain", source).clock(ManualClock::new(T0)).build();
        (build(Some(cache)), server)
    }

    #[tokio::test]
    async fn a_failing_token_endpoint_gets_the_policy_s_attempts_and_not_more() {
        let (pipeline, server) = setup(u32::MAX);
        let e = pipeline.send::<serde_json::Value>(&Call::get("thing")).await.unwrap_err();
        assert_eq!(e.http_status(), Some(503), "{e}");
        assert_eq!(server.token_hits.load(Ordering::SeqCst), 3, "3 attempts, not 3 x 3");
        assert_eq!(server.thing_hits.load(Ordering::SeqCst), 0, "nothing was sent without a token");
    }

    #[tokio::test]
    async fn transient_token_failures_are_retried_within_the_policy() {
        let (pipeline, server) = setup(2);
        let answer = pipeline.send::<serde_json::Value>(&Call::get("thing")).await.unwrap();
        assert_eq!(answer.data["n"], 7);
        assert_eq!(server.token_hits.load(Ordering::SeqCst), 3);
        assert_eq!(server.thing_hits.load(Ordering::SeqCst), 1);
    }
}

#[tokio::test(start_paused = true)]
async fn a_read_during_an_invalidation_does_not_bring_the_rejected_token_back() {
    // Found by four processes sharing Redis: a call that read the store while another
    // call's invalidation was on its way kept the rejected token as this process's copy,
    // and the rejected call's one resend went out with it again.
    let clock = ManualClock::new(T0);
    let cache = TokenCache::builder("k", Counting::new(&clock))
        .clock(clock.clone())
        .store(Arc::new(InstrumentedStore { removal_delay: Duration::from_millis(100), ..Default::default() }))
        .build();
    let t = tenant("t");
    let rejected = cache.token(&t).await.unwrap();
    let invalidation = {
        let (cache, t, value) = (cache.clone(), t.clone(), rejected.value.clone());
        tokio::spawn(async move { cache.invalidate(&t, &value).await })
    };
    tokio::time::sleep(Duration::from_millis(10)).await;
    let _during = cache.token(&t).await.unwrap();
    assert!(invalidation.await.unwrap().unwrap(), "the rejected token was the stored one");
    let after = cache.token(&t).await.unwrap();
    assert_ne!(after.value, rejected.value, "the resend gets another token");
}
