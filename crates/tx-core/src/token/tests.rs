use super::*;
use crate::clock::{Clock, ManualClock};
use crate::error::ErrorKind;
use std::sync::atomic::{AtomicU32, Ordering};

const T0: u64 = 1_700_000_000;

/// Issues `tok-1`, `tok-2`, … valid for two hours, after a short (virtual) delay.
#[derive(Debug)]
struct Counting {
    clock: ManualClock,
    fetches: Arc<AtomicU32>,
    fail_with: Option<(bool, u32)>,
}

#[async_trait]
impl TokenSource for Counting {
    async fn fetch(&self) -> Result<Token, Error> {
        let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
        if let Some((retryable, failures)) = self.fail_with
            && n <= failures
        {
            return Err(Error::api(ErrorKind::Api, -1, "system busy").with_retryable(retryable, None));
        }
        Ok(Token::new(format!("tok-{n}"), self.clock.unix_now(), Duration::from_secs(7200)))
    }
}

fn counting_cache(fail_with: Option<(bool, u32)>) -> (TokenCache, ManualClock, Arc<AtomicU32>) {
    let clock = ManualClock::new(T0);
    let fetches = Arc::new(AtomicU32::new(0));
    let source = Counting { clock: clock.clone(), fetches: Arc::clone(&fetches), fail_with };
    let cache = TokenCache::builder("test:key", source).clock(clock.clone()).build();
    (cache, clock, fetches)
}

#[tokio::test(start_paused = true)]
async fn a_hundred_concurrent_callers_cause_exactly_one_fetch() {
    let (cache, _, fetches) = counting_cache(None);
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            tokio::spawn({
                let c = cache.clone();
                async move { c.get().await }
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().value.expose(), "tok-1");
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn a_token_near_expiry_is_refreshed_in_the_background() {
    let (cache, clock, fetches) = counting_cache(None);
    assert_eq!(cache.get().await.unwrap().value.expose(), "tok-1");
    clock.advance(7200 - 200); // 200 s left: inside the 300 s refresh-ahead window
    // Callers keep getting the still-valid token without waiting...
    assert_eq!(cache.get().await.unwrap().value.expose(), "tok-1");
    assert_eq!(cache.get().await.unwrap().value.expose(), "tok-1");
    // ...while one background refresh replaces it.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(cache.get().await.unwrap().value.expose(), "tok-2");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn an_expired_token_is_refreshed_before_use() {
    let (cache, clock, fetches) = counting_cache(None);
    cache.get().await.unwrap();
    clock.advance(7200 - 10); // inside min_validity: unusable
    assert_eq!(cache.get().await.unwrap().value.expose(), "tok-2");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn invalidation_compares_before_removing() {
    let (cache, _, fetches) = counting_cache(None);
    let first = cache.get().await.unwrap();
    assert!(cache.invalidate(&first.value).await.unwrap());
    let second = cache.get().await.unwrap();
    assert_eq!(second.value.expose(), "tok-2");
    // A late handler reporting the old token must not throw away the new one.
    assert!(!cache.invalidate(&first.value).await.unwrap());
    assert_eq!(cache.get().await.unwrap().value.expose(), "tok-2");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn transient_fetch_failures_are_retried_a_bounded_number_of_times() {
    let (cache, _, fetches) = counting_cache(Some((true, 2)));
    assert_eq!(cache.get().await.unwrap().value.expose(), "tok-3");
    assert_eq!(fetches.load(Ordering::SeqCst), 3);

    let (cache, _, fetches) = counting_cache(Some((true, u32::MAX)));
    let err = cache.get().await.unwrap_err();
    assert_eq!(err.code(), Some(-1));
    assert_eq!(fetches.load(Ordering::SeqCst), 3, "three attempts, then the error");
}

#[tokio::test(start_paused = true)]
async fn permanent_fetch_failures_are_not_retried() {
    let (cache, _, fetches) = counting_cache(Some((false, u32::MAX)));
    assert!(cache.get().await.is_err());
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn a_failed_background_refresh_keeps_the_valid_token() {
    let clock = ManualClock::new(T0);
    let store = Arc::new(MemoryTokenStore::new());
    store.put("k", &Token::new("old", T0, Duration::from_secs(100))).await.unwrap();
    let fetches = Arc::new(AtomicU32::new(0));
    let source = Counting { clock: clock.clone(), fetches: Arc::clone(&fetches), fail_with: Some((false, u32::MAX)) };
    let cache = TokenCache::builder("k", source).clock(clock).store(store).build();
    assert_eq!(cache.get().await.unwrap().value.expose(), "old");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(cache.get().await.unwrap().value.expose(), "old");
    assert!(fetches.load(Ordering::SeqCst) >= 1);
}

#[tokio::test(start_paused = true)]
async fn a_shared_store_serves_tokens_fetched_elsewhere() {
    let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
    let clock = ManualClock::new(T0);
    let fetches_a = Arc::new(AtomicU32::new(0));
    let source_b = Counting { clock: clock.clone(), fetches: Arc::new(AtomicU32::new(0)), fail_with: None };
    let a = TokenCache::builder(
        "test:key",
        Counting { clock: clock.clone(), fetches: Arc::clone(&fetches_a), fail_with: None },
    )
    .clock(clock.clone())
    .store(Arc::clone(&store))
    .build();
    let b = TokenCache::builder("test:key", source_b).clock(clock).store(store).build();
    let from_a = a.get().await.unwrap();
    assert_eq!(b.get().await.unwrap(), from_a);
    assert_eq!(fetches_a.load(Ordering::SeqCst), 1);
}

#[test]
fn debug_output_hides_token_values() {
    let t = Token::new("very-secret-token", T0, Duration::from_secs(1));
    assert!(!format!("{t:?}").contains("very-secret-token"));
}

/// A store that counts reads.
#[derive(Debug, Default)]
struct CountingStore {
    inner: MemoryTokenStore,
    reads: AtomicU32,
}

#[async_trait::async_trait]
impl TokenStore for CountingStore {
    async fn get(&self, key: &str) -> Result<Option<Token>, Error> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.inner.get(key).await
    }
    async fn put(&self, key: &str, token: &Token) -> Result<(), Error> {
        self.inner.put(key, token).await
    }
    async fn remove_if(&self, key: &str, value: &Secret) -> Result<bool, Error> {
        self.inner.remove_if(key, value).await
    }
}

#[tokio::test(start_paused = true)]
async fn a_fresh_token_is_served_without_reading_the_store() {
    let clock = ManualClock::new(T0);
    let store = Arc::new(CountingStore::default());
    let source = Counting { clock: clock.clone(), fetches: Arc::new(AtomicU32::new(0)), fail_with: None };
    let cache = TokenCache::builder("k", source).clock(clock.clone()).store(store.clone()).build();
    let first = cache.get().await.unwrap();
    let reads_after_first = store.reads.load(Ordering::SeqCst);
    for _ in 0..100 {
        assert_eq!(cache.get().await.unwrap(), first);
    }
    assert_eq!(store.reads.load(Ordering::SeqCst), reads_after_first, "served from the cache's copy");
    // Close to expiry, the store is consulted again (another process may have refreshed).
    clock.advance(7200 - 200);
    cache.get().await.unwrap();
    assert!(store.reads.load(Ordering::SeqCst) > reads_after_first);
}

#[tokio::test(start_paused = true)]
async fn a_rejected_copy_is_replaced_by_the_token_another_process_stored() {
    let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
    let clock = ManualClock::new(T0);
    let fetches_a = Arc::new(AtomicU32::new(0));
    let fetches_b = Arc::new(AtomicU32::new(0));
    let a =
        TokenCache::builder("shared", Counting { clock: clock.clone(), fetches: fetches_a.clone(), fail_with: None })
            .clock(clock.clone())
            .store(Arc::clone(&store))
            .build();
    let b =
        TokenCache::builder("shared", Counting { clock: clock.clone(), fetches: fetches_b.clone(), fail_with: None })
            .clock(clock)
            .store(store)
            .build();
    let old = a.get().await.unwrap();
    assert_eq!(b.get().await.unwrap(), old);
    // A's call is rejected: A replaces the token. B still holds the old one until B's own
    // call is rejected; then B takes A's new token from the store instead of fetching.
    assert!(a.invalidate(&old.value).await.unwrap());
    let new = a.get().await.unwrap();
    assert_ne!(new, old);
    assert_eq!(b.get().await.unwrap(), old, "B's copy is used until it fails");
    assert!(!b.invalidate(&old.value).await.unwrap(), "already gone from the store");
    assert_eq!(b.get().await.unwrap(), new);
    assert_eq!((fetches_a.load(Ordering::SeqCst), fetches_b.load(Ordering::SeqCst)), (2, 0));
}
