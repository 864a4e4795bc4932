//! Cached credentials: fetched once, shared, refreshed ahead of expiry, invalidated only
//! when the cached value is the one that failed.
//!
//! The rules come from what goes wrong in peer SDKs: concurrent callers each refreshing
//! (every WeChat refresh shortens the previous token's life), a late error handler expiring
//! a token someone else just refreshed, refresh loops that burn daily quotas.
//! - one refresh in flight per cache; every concurrent caller awaits that one;
//! - a token close to expiry is refreshed in the background while callers keep using it;
//! - [`TokenCache::invalidate`] removes the cached token only if it still is the failed one;
//! - a failing fetch is retried a bounded number of times, then reported;
//! - a fresh token is served from this cache's own copy without asking the store, so a
//!   remote store is read only when the copy is missing, close to expiry or rejected.

use crate::clock::{SharedClock, SystemClock};
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use async_trait::async_trait;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::Mutex as AsyncMutex;

/// A credential with its absolute expiry (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The credential.
    pub value: Secret,
    /// The first second at which it is no longer valid.
    pub expires_at: u64,
}

impl Token {
    /// A token valid for `lifetime` from `now` (unix seconds).
    pub fn new(value: impl Into<Secret>, now: u64, lifetime: Duration) -> Token {
        Token { value: value.into(), expires_at: now.saturating_add(lifetime.as_secs()) }
    }

    fn remaining(&self, now: u64) -> u64 {
        self.expires_at.saturating_sub(now)
    }
}

/// Where fresh tokens come from: a UserSig signer, an OAuth endpoint, a central token server.
#[async_trait]
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// Fetches a new token. Errors marked retryable are retried (bounded) by the cache.
    async fn fetch(&self) -> Result<Token, Error>;
}

/// Where cached tokens live. In memory by default; implement it over Redis or a database
/// to share tokens between processes (then refreshes should also be coordinated there).
#[async_trait]
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The token stored under `key`, if any.
    async fn get(&self, key: &str) -> Result<Option<Token>, Error>;
    /// Stores `token` under `key`, replacing what was there.
    async fn put(&self, key: &str, token: &Token) -> Result<(), Error>;
    /// Removes the token under `key` only if its value equals `value`; returns whether it did.
    async fn remove_if(&self, key: &str, value: &Secret) -> Result<bool, Error>;
}

/// The default [`TokenStore`]: a map in this process.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<HashMap<String, Token>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Token>> {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[async_trait]
impl TokenStore for MemoryTokenStore {
    async fn get(&self, key: &str) -> Result<Option<Token>, Error> {
        Ok(self.map().get(key).cloned())
    }
    async fn put(&self, key: &str, token: &Token) -> Result<(), Error> {
        self.map().insert(key.to_owned(), token.clone());
        Ok(())
    }
    async fn remove_if(&self, key: &str, value: &Secret) -> Result<bool, Error> {
        let mut map = self.map();
        if map.get(key).is_some_and(|t| &t.value == value) {
            map.remove(key);
            Ok(true)
        } else {
            Ok(false)
        }
    }
}

/// Timing of a [`TokenCache`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshTiming {
    /// Refresh in the background once a token has less than this left (default 5 min).
    pub refresh_ahead: Duration,
    /// Treat a token with less than this left as expired (default 30 s): a call that starts
    /// with it may arrive after it died.
    pub min_validity: Duration,
}

impl Default for RefreshTiming {
    fn default() -> Self {
        RefreshTiming { refresh_ahead: Duration::from_secs(300), min_validity: Duration::from_secs(30) }
    }
}

/// A cached credential for one key. Cheap to clone; clones share the cache.
///
/// ```
/// # use tx_core::token::*;
/// # use tx_core::{Error, Secret, clock::{Clock, ManualClock}};
/// # use std::time::Duration;
/// #[derive(Debug)]
/// struct Fixed;
/// #[async_trait::async_trait]
/// impl TokenSource for Fixed {
///     async fn fetch(&self) -> Result<Token, Error> {
///         Ok(Token::new("tok", 1_700_000_000, Duration::from_secs(7200)))
///     }
/// }
/// # tokio_test(async {
/// let cache = TokenCache::builder("wechat:authorizer:wx123", Fixed)
///     .clock(ManualClock::new(1_700_000_000))
///     .build();
/// let token = cache.get().await?;
/// assert_eq!(token.value.expose(), "tok");
/// # Ok::<(), Error>(()) });
/// # fn tokio_test<F: std::future::Future<Output = Result<(), Error>>>(f: F) {
/// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f).unwrap();
/// # }
/// ```
#[derive(Clone)]
pub struct TokenCache {
    inner: Arc<Inner>,
}

struct Inner {
    key: String,
    source: Box<dyn TokenSource>,
    store: Arc<dyn TokenStore>,
    clock: SharedClock,
    timing: RefreshTiming,
    fetch_retry: RetryPolicy,
    refresh: AsyncMutex<()>,
    /// The last token read from or written to the store.
    local: RwLock<Local>,
}

/// This cache's copy of the token. Every invalidation starts a new generation, so that a
/// store read that began before it cannot bring the rejected token back.
#[derive(Default)]
struct Local {
    generation: u64,
    token: Option<Token>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("key", &self.inner.key)
            .field("source", &self.inner.source)
            .field("timing", &self.inner.timing)
            .finish_non_exhaustive()
    }
}

/// Builds a [`TokenCache`].
#[derive(Debug)]
pub struct TokenCacheBuilder {
    key: String,
    source: Box<dyn TokenSource>,
    store: Option<Arc<dyn TokenStore>>,
    clock: Option<SharedClock>,
    timing: RefreshTiming,
    fetch_retry: RetryPolicy,
}

impl TokenCacheBuilder {
    /// Stores tokens in `store` instead of this process's memory.
    pub fn store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Reads time from `clock`.
    pub fn clock(mut self, clock: impl crate::clock::Clock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Reads time from a shared clock.
    pub fn shared_clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Sets when to refresh.
    pub fn timing(mut self, timing: RefreshTiming) -> Self {
        self.timing = timing;
        self
    }

    /// Sets how a failing fetch is retried (default: 3 attempts, 200 ms–2 s backoff).
    pub fn fetch_retry(mut self, policy: RetryPolicy) -> Self {
        self.fetch_retry = policy;
        self
    }

    /// Builds the cache.
    pub fn build(self) -> TokenCache {
        TokenCache {
            inner: Arc::new(Inner {
                key: self.key,
                source: self.source,
                store: self.store.unwrap_or_else(|| Arc::new(MemoryTokenStore::new())),
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
                timing: self.timing,
                fetch_retry: self.fetch_retry,
                refresh: AsyncMutex::new(()),
                local: RwLock::new(Local::default()),
            }),
        }
    }
}

enum Freshness {
    Fresh,
    Stale,
    Unusable,
}

impl TokenCache {
    /// A builder for a cache of the token under `key` (namespace keys per app and kind,
    /// e.g. `wechat:authorizer:{component_appid}:{authorizer_appid}`).
    pub fn builder(key: impl Into<String>, source: impl TokenSource + 'static) -> TokenCacheBuilder {
        TokenCacheBuilder {
            key: key.into(),
            source: Box::new(source),
            store: None,
            clock: None,
            timing: RefreshTiming::default(),
            fetch_retry: RetryPolicy::default()
                .max_attempts(3)
                .backoff(Duration::from_millis(200), Duration::from_secs(2))
                .deadline(Duration::from_secs(30)),
        }
    }

    /// The cache key.
    pub fn key(&self) -> &str {
        &self.inner.key
    }

    fn freshness(&self, token: &Token) -> Freshness {
        let remaining = Duration::from_secs(token.remaining(self.inner.clock.unix_now()));
        if remaining <= self.inner.timing.min_validity {
            Freshness::Unusable
        } else if remaining <= self.inner.timing.refresh_ahead {
            Freshness::Stale
        } else {
            Freshness::Fresh
        }
    }

    /// A usable token: the cached one, or a freshly fetched one if there is none or it is
    /// about to expire. Concurrent callers share a single fetch.
    pub async fn get(&self) -> Result<Token, Error> {
        if let Some(token) = self.local()
            && matches!(self.freshness(&token), Freshness::Fresh)
        {
            return Ok(token);
        }
        if let Some(token) = self.read_store().await? {
            match self.freshness(&token) {
                Freshness::Fresh => return Ok(token),
                Freshness::Stale => {
                    self.refresh_in_background();
                    return Ok(token);
                }
                Freshness::Unusable => {}
            }
        }
        let _guard = self.inner.refresh.lock().await;
        // Whoever held the lock before us may have just refreshed.
        if let Some(token) = self.read_store().await?
            && !matches!(self.freshness(&token), Freshness::Unusable)
        {
            return Ok(token);
        }
        self.fetch_and_store().await
    }

    /// Forgets the cached token if it is still `failed` (the value a call was rejected
    /// with). If another task already replaced it, nothing happens. Returns whether the
    /// token was removed.
    pub async fn invalidate(&self, failed: &Secret) -> Result<bool, Error> {
        let _guard = self.inner.refresh.lock().await;
        {
            let mut local = self.inner.local.write().unwrap_or_else(|p| p.into_inner());
            local.generation += 1;
            if local.token.as_ref().is_some_and(|t| &t.value == failed) {
                local.token = None;
            }
        }
        let removed = self.inner.store.remove_if(&self.inner.key, failed).await?;
        tracing::debug!(key = %self.inner.key, removed, "token invalidated after rejection");
        Ok(removed)
    }

    fn local(&self) -> Option<Token> {
        self.inner.local.read().unwrap_or_else(|p| p.into_inner()).token.clone()
    }

    fn generation(&self) -> u64 {
        self.inner.local.read().unwrap_or_else(|p| p.into_inner()).generation
    }

    /// Keeps `token` as this cache's copy, unless it was read in an earlier generation.
    fn remember(&self, read_in: Option<u64>, token: Option<&Token>) {
        let mut local = self.inner.local.write().unwrap_or_else(|p| p.into_inner());
        if read_in.is_none_or(|g| g == local.generation) {
            local.token = token.cloned();
        }
    }

    /// The stored token, also kept as this cache's copy.
    async fn read_store(&self) -> Result<Option<Token>, Error> {
        let generation = self.generation();
        let token = self.inner.store.get(&self.inner.key).await?;
        self.remember(Some(generation), token.as_ref());
        Ok(token)
    }

    fn refresh_in_background(&self) {
        let Ok(handle) = tokio::runtime::Handle::try_current() else { return };
        let cache = self.clone();
        handle.spawn(async move {
            let Ok(_guard) = cache.inner.refresh.try_lock() else { return };
            match cache.read_store().await {
                Ok(Some(token)) if matches!(cache.freshness(&token), Freshness::Fresh) => return,
                Err(e) => return tracing::warn!(key = %cache.inner.key, error = %e, "token store unreadable"),
                _ => {}
            }
            if let Err(e) = cache.fetch_and_store().await {
                tracing::warn!(key = %cache.inner.key, error = %e, "background token refresh failed; the current token is still valid");
            }
        });
    }

    async fn fetch_and_store(&self) -> Result<Token, Error> {
        let start = tokio::time::Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.inner.source.fetch().await {
                Ok(token) => {
                    self.inner.store.put(&self.inner.key, &token).await?;
                    self.remember(None, Some(&token));
                    tracing::debug!(key = %self.inner.key, expires_at = token.expires_at, "token refreshed");
                    return Ok(token);
                }
                Err(e) => {
                    let verdict = if e.is_retryable() {
                        crate::retry::Verdict::Retry { after: e.retry_after() }
                    } else {
                        crate::retry::Verdict::Permanent
                    };
                    match self.inner.fetch_retry.decide(
                        verdict,
                        &e,
                        crate::retry::Idempotency::Idempotent,
                        attempt,
                        true,
                        start.elapsed(),
                    ) {
                        crate::retry::Decision::RetryAfter(wait) => tokio::time::sleep(wait).await,
                        _ => return Err(e),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
