//! The Redis token store and its refresh lock, as several processes see them: each cache
//! here has a connection of its own, as a process would.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tx_core::clock::SystemClock;
use tx_core::shared::{RedisTokenStore, SharedState};
use tx_core::token::{Durable, Fetched, RefreshLock, Token, TokenCache, TokenSource, TokenStore};
use tx_core::{Error, Secret, Tenant, async_trait};
use tx_tests::redis_server::RedisServer;

const KEY: &str = "test:token:app-1:tenant-a";

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// A token source counting its fetches, each slow enough for others to pile up.
#[derive(Debug, Default)]
struct Counting {
    fetches: Arc<AtomicU64>,
}

#[async_trait]
impl TokenSource for Counting {
    async fn fetch(&self, tenant: &Tenant, refresh: Option<&Durable>) -> Result<Fetched, Error> {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
        let token = Token::new(format!("token-{n}-of-{tenant}"), now(), Duration::from_secs(7200));
        let refresh = refresh.map(|r| Durable::new(format!("{}-rotated-{n}", r.value.expose()), None));
        Ok(Fetched { token, refresh })
    }
}

async fn store(redis: &RedisServer, lease: Duration) -> RedisTokenStore {
    let shared = SharedState::builder(redis.url()).lease_time(lease).connect().await.unwrap();
    shared.token_store(Arc::new(SystemClock))
}

/// A cache of tokens under `test:token:app-1`, as one process would have.
async fn cache(redis: &RedisServer, fetches: &Arc<AtomicU64>) -> TokenCache {
    let source = Counting { fetches: Arc::clone(fetches) };
    let store: Arc<dyn TokenStore> = Arc::new(store(redis, Duration::from_secs(10)).await);
    TokenCache::builder("test:token:app-1", source).store(store).build()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caches_of_four_processes_make_one_refresh_and_rotate_the_refresh_token_once() {
    let redis = RedisServer::start();
    let fetches = Arc::new(AtomicU64::new(0));
    let mut caches = Vec::new();
    for _ in 0..4 {
        caches.push(cache(&redis, &fetches).await);
    }
    let tenant = Tenant::new("tenant-a");
    caches[0].put_refresh(&tenant, &Durable::new("refresh-0", None)).await.unwrap();
    let calls = caches.iter().flat_map(|c| (0..50).map(move |_| c.clone())).map(|cache| {
        let tenant = tenant.clone();
        tokio::spawn(async move { cache.token(&tenant).await.unwrap().value })
    });
    let tokens: Vec<Secret> = futures_util::future::join_all(calls).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(fetches.load(Ordering::SeqCst), 1, "one fetch for 200 callers in four processes");
    assert!(tokens.iter().all(|t| t.expose() == "token-1-of-tenant-a"), "all got the one token");
    let refresh = caches[3].refresh_token(&tenant).await.unwrap().unwrap();
    assert_eq!(refresh.value.expose(), "refresh-0-rotated-1", "the rotated refresh token, stored for all");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashed_holder_blocks_the_others_no_longer_than_its_lease() {
    let redis = RedisServer::start();
    let crashed = store(&redis, Duration::from_millis(600)).await;
    let abandoned = crashed.try_acquire(KEY).await.unwrap().expect("the lock was free");
    // The holder dies here: it never renews nor releases.
    let fetches = Arc::new(AtomicU64::new(0));
    let other = cache(&redis, &fetches).await;
    let token = other.token(&Tenant::new("tenant-a")).await.unwrap();
    assert_eq!((token.value.expose(), fetches.load(Ordering::SeqCst)), ("token-1-of-tenant-a", 1));
    assert!(!crashed.renew(KEY, &abandoned).await.unwrap(), "the abandoned lease is gone");
}

#[tokio::test]
async fn a_holder_whose_lease_ran_out_cannot_store_over_the_next_holder() {
    let redis = RedisServer::start();
    let (late, next) = (store(&redis, Duration::from_millis(100)).await, store(&redis, Duration::from_secs(10)).await);
    let first = late.try_acquire(KEY).await.unwrap().unwrap();
    assert_eq!(next.try_acquire(KEY).await.unwrap(), None, "held");
    tokio::time::sleep(Duration::from_millis(250)).await;
    let second = next.try_acquire(KEY).await.unwrap().expect("the first lease ran out");
    assert_ne!(first, second, "each taking has its own fencing value");

    let fetched = |value: &str| Fetched::from(Token::new(value, now(), Duration::from_secs(7200)));
    assert!(!late.put_if_held(KEY, &first, &fetched("late")).await.unwrap());
    assert!(next.put_if_held(KEY, &second, &fetched("next")).await.unwrap());
    late.release(KEY, &first).await.unwrap();
    assert!(next.is_held(KEY).await.unwrap(), "the late holder cannot release the next one's lock");
    assert_eq!(next.access(KEY).await.unwrap().unwrap().value.expose(), "next");
    next.release(KEY, &second).await.unwrap();
    assert!(!next.is_held(KEY).await.unwrap());
}

#[tokio::test]
async fn a_rejected_token_is_removed_only_if_it_is_still_the_stored_one() {
    let redis = RedisServer::start();
    let (a, b) = (store(&redis, Duration::from_secs(10)).await, store(&redis, Duration::from_secs(10)).await);
    a.put_access(KEY, &Token::new("first", now(), Duration::from_secs(7200))).await.unwrap();
    b.put_access(KEY, &Token::new("second", now(), Duration::from_secs(7200))).await.unwrap();
    assert!(!a.remove_access_if(KEY, &Secret::new("first")).await.unwrap(), "another process replaced it");
    assert_eq!(a.access(KEY).await.unwrap().unwrap().value.expose(), "second");
    assert!(a.remove_access_if(KEY, &Secret::new("second")).await.unwrap());
    assert_eq!(b.access(KEY).await.unwrap(), None);
}

#[tokio::test]
async fn access_tokens_expire_with_their_ttl_and_durable_values_never() {
    let redis = RedisServer::start();
    let store = store(&redis, Duration::from_secs(10)).await;
    store.put_access(KEY, &Token::new("access", now(), Duration::from_secs(7200))).await.unwrap();
    store.put_durable(KEY, &Durable::new("refresh", Some(now() + 30 * 86_400))).await.unwrap();
    let ttl = |name: String| -> i64 { redis::cmd("PTTL").arg(name).query(&mut redis.connection()).unwrap() };
    let access_ttl = ttl(format!("tx:access:{KEY}"));
    assert!((7_100_000..=7_200_000).contains(&access_ttl), "{access_ttl}");
    assert_eq!(ttl(format!("tx:durable:{KEY}")), -1, "no TTL");
    // A token already expired is not kept at all.
    store.put_access(KEY, &Token { value: Secret::new("old"), expires_at: now() - 1 }).await.unwrap();
    assert_eq!(store.access(KEY).await.unwrap(), None);
    let durable = store.durable(KEY).await.unwrap().unwrap();
    assert_eq!((durable.value.expose(), durable.expires_at), ("refresh", Some(now() + 30 * 86_400)));
    let shown = format!("{store:?} {durable:?}");
    assert!(!shown.contains("refresh\"") && !shown.contains("access\""), "{shown}");
}
