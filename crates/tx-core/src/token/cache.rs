//! One source, one store, any number of tenants: cached, refreshed ahead of expiry, one
//! refresh in flight per tenant, invalidated only when the cached value is the one that
//! failed.

use super::flight::renewing;
use super::{Credentials, Durable, Fetched, Lease, MemoryTokenStore, RefreshLock, Token, TokenSource, TokenStore};
use crate::clock::{Clock, SharedClock, SystemClock};
use crate::error::Error;
use crate::secret::Secret;
use crate::tenant::Tenant;
use async_trait::async_trait;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::Mutex as AsyncMutex;

/// How often a process waiting for another process's refresh looks for its token.
const SHARED_REFRESH_POLL: Duration = Duration::from_millis(20);

/// When a [`TokenCache`] refreshes.
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

/// Cached credentials of one kind (e.g. WeChat authorizer tokens of one component) for
/// any number of tenants. Cheap to clone; clones share the cache.
///
/// One refresh per tenant is in flight in this process; with a store shared between
/// processes (one with a [`TokenStore::refresh_lock`], such as Redis's), one across all
/// of them: the process holding the lock fetches, the others wait for its token.
///
/// ```
/// # use tx_core::token::*;
/// # use tx_core::{Error, Tenant, async_trait, clock::ManualClock};
/// # use std::time::Duration;
/// #[derive(Debug)]
/// struct Issuer;
/// #[async_trait]
/// impl TokenSource for Issuer {
///     async fn fetch(&self, tenant: &Tenant, _refresh: Option<&Durable>) -> Result<Fetched, Error> {
///         Ok(Token::new(format!("token-of-{tenant}"), 1_700_000_000, Duration::from_secs(7200)).into())
///     }
/// }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let cache = TokenCache::builder("wechat:authorizer:wx-component", Issuer)
///     .clock(ManualClock::new(1_700_000_000))
///     .build();
/// let a = cache.token(&Tenant::new("wx-a")).await?;
/// let b = cache.token(&Tenant::new("wx-b")).await?;
/// assert_eq!((a.value.expose(), b.value.expose()), ("token-of-wx-a", "token-of-wx-b"));
/// # Ok::<(), Error>(()) }).unwrap();
/// ```
#[derive(Clone)]
pub struct TokenCache {
    inner: Arc<Inner>,
}

struct Inner {
    namespace: String,
    source: Box<dyn TokenSource>,
    store: Arc<dyn TokenStore>,
    clock: SharedClock,
    timing: RefreshTiming,
    slots: Mutex<HashMap<Tenant, Arc<Slot>>>,
}

/// One tenant's refresh lock and this process's copy of its token.
#[derive(Default)]
struct Slot {
    refresh: AsyncMutex<()>,
    local: RwLock<Local>,
}

/// Every invalidation starts a new generation, so that a store read that began before it
/// cannot bring the rejected token back.
#[derive(Default)]
struct Local {
    generation: u64,
    token: Option<Token>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("namespace", &self.inner.namespace)
            .field("source", &self.inner.source)
            .field("store", &self.inner.store)
            .field("timing", &self.inner.timing)
            .finish_non_exhaustive()
    }
}

/// Builds a [`TokenCache`].
#[derive(Debug)]
#[must_use]
pub struct TokenCacheBuilder {
    namespace: String,
    source: Box<dyn TokenSource>,
    store: Option<Arc<dyn TokenStore>>,
    clock: Option<SharedClock>,
    timing: RefreshTiming,
}

impl TokenCacheBuilder {
    /// Keeps tokens in `store` instead of this process's memory.
    pub fn store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Reads time from `clock`.
    pub fn clock(self, clock: impl Clock + 'static) -> Self {
        self.shared_clock(Arc::new(clock))
    }

    /// Reads time from a shared clock.
    pub fn shared_clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// When to refresh.
    pub fn timing(mut self, timing: RefreshTiming) -> Self {
        self.timing = timing;
        self
    }

    /// Builds the cache.
    pub fn build(self) -> TokenCache {
        TokenCache {
            inner: Arc::new(Inner {
                namespace: self.namespace,
                source: self.source,
                store: self.store.unwrap_or_else(|| Arc::new(MemoryTokenStore::new())),
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
                timing: self.timing,
                slots: Mutex::new(HashMap::new()),
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
    /// A builder for a cache of tokens from `source`, stored under `namespace` (name the
    /// platform, the app and the kind: `wechat:authorizer:{component_appid}`).
    pub fn builder(namespace: impl Into<String>, source: impl TokenSource + 'static) -> TokenCacheBuilder {
        TokenCacheBuilder {
            namespace: namespace.into(),
            source: Box::new(source),
            store: None,
            clock: None,
            timing: RefreshTiming::default(),
        }
    }

    /// The namespace of the store keys.
    pub fn namespace(&self) -> &str {
        &self.inner.namespace
    }

    /// The store key of `tenant`'s tokens: `{namespace}:{tenant}`.
    pub fn key(&self, tenant: &Tenant) -> String {
        format!("{}:{tenant}", self.inner.namespace)
    }

    /// A usable token for `tenant`: the cached one, or a freshly fetched one if there is
    /// none or it is about to expire. Concurrent callers for a tenant share a single fetch.
    pub async fn token(&self, tenant: &Tenant) -> Result<Token, Error> {
        let slot = self.slot(tenant);
        if let Some(token) = slot.copy()
            && matches!(self.freshness(&token), Freshness::Fresh)
        {
            return Ok(token);
        }
        let key = self.key(tenant);
        if let Some(token) = self.read_store(&slot, &key).await? {
            match self.freshness(&token) {
                Freshness::Fresh => return Ok(token),
                Freshness::Stale => {
                    self.refresh_in_background(tenant.clone());
                    return Ok(token);
                }
                Freshness::Unusable => {}
            }
        }
        let _guard = slot.refresh.lock().await;
        // Whoever held the lock before us may have just refreshed.
        if let Some(token) = self.read_store(&slot, &key).await?
            && self.usable(&token)
        {
            return Ok(token);
        }
        match self.inner.store.refresh_lock() {
            None => self.fetch_and_store(tenant, &slot, &key).await,
            Some(lock) => self.refresh_shared(lock, tenant, &slot, &key).await,
        }
    }

    /// Forgets `tenant`'s cached token if it is still `failed` (the value a call was
    /// rejected with). If another task already replaced it, nothing happens. Returns
    /// whether the token was removed.
    pub async fn invalidate(&self, tenant: &Tenant, failed: &Secret) -> Result<bool, Error> {
        let slot = self.slot(tenant);
        let _guard = slot.refresh.lock().await;
        // The store first: a read of it that starts between the two steps must not find
        // the failed token and keep it as this process's copy in the new generation.
        let removed = self.inner.store.remove_access_if(&self.key(tenant), failed).await?;
        slot.forget_if(Some(failed));
        tracing::debug!(key = %self.key(tenant), removed, "token invalidated after rejection");
        Ok(removed)
    }

    /// Stores tokens obtained outside the cache (an authorization code exchanged, a
    /// private app's token): the refresh token first, so that it is durable before the
    /// access token is used.
    pub async fn put(&self, tenant: &Tenant, fetched: &Fetched) -> Result<(), Error> {
        let slot = self.slot(tenant);
        let _guard = slot.refresh.lock().await;
        self.store_fetched(&slot, &self.key(tenant), fetched).await
    }

    /// Stores a refresh token obtained outside the cache (recovered from a platform's list
    /// of authorizations), durably and at once, leaving the cached access token as it is.
    /// The next fetch for `tenant` uses it.
    pub async fn put_refresh(&self, tenant: &Tenant, refresh: &Durable) -> Result<(), Error> {
        let slot = self.slot(tenant);
        let _guard = slot.refresh.lock().await;
        self.inner.store.put_durable(&self.key(tenant), refresh).await
    }

    /// Removes everything kept for `tenant` (its authorization was revoked).
    pub async fn purge(&self, tenant: &Tenant) -> Result<(), Error> {
        let slot = self.slot(tenant);
        let _guard = slot.refresh.lock().await;
        slot.forget_if(None);
        self.inner.store.remove(&self.key(tenant)).await?;
        tracing::debug!(key = %self.key(tenant), "tokens purged");
        Ok(())
    }

    /// `tenant`'s stored refresh token, if any.
    pub async fn refresh_token(&self, tenant: &Tenant) -> Result<Option<Durable>, Error> {
        self.inner.store.durable(&self.key(tenant)).await
    }

    /// `tenant`'s cached access token as the store holds it, without fetching.
    pub async fn cached(&self, tenant: &Tenant) -> Result<Option<Token>, Error> {
        self.inner.store.access(&self.key(tenant)).await
    }

    fn slot(&self, tenant: &Tenant) -> Arc<Slot> {
        let mut slots = self.inner.slots.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(slots.entry(tenant.clone()).or_default())
    }

    /// Not about to expire: a call may start with it.
    fn usable(&self, token: &Token) -> bool {
        !matches!(self.freshness(token), Freshness::Unusable)
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

    /// The stored token, also kept as this process's copy.
    async fn read_store(&self, slot: &Slot, key: &str) -> Result<Option<Token>, Error> {
        let generation = slot.generation();
        let token = self.inner.store.access(key).await?;
        slot.remember(Some(generation), token.as_ref());
        Ok(token)
    }

    fn refresh_in_background(&self, tenant: Tenant) {
        let Ok(handle) = tokio::runtime::Handle::try_current() else { return };
        let cache = self.clone();
        handle.spawn(async move {
            let slot = cache.slot(&tenant);
            let key = cache.key(&tenant);
            let Ok(_guard) = slot.refresh.try_lock() else { return };
            match cache.read_store(&slot, &key).await {
                Ok(Some(token)) if matches!(cache.freshness(&token), Freshness::Fresh) => return,
                Err(e) => return tracing::warn!(%key, error = %e, "token store unreadable"),
                _ => {}
            }
            let refreshed = match cache.inner.store.refresh_lock() {
                None => cache.fetch_and_store(&tenant, &slot, &key).await.map(drop),
                // Another process refreshing already is as good as refreshing here.
                Some(lock) => match lock.try_acquire(&key).await {
                    Ok(Some(lease)) => {
                        cache.fetch_under_lease(lock, &lease, &tenant, &slot, &key, true).await.map(drop)
                    }
                    Ok(None) => Ok(()),
                    Err(e) => Err(e),
                },
            };
            if let Err(e) = refreshed {
                tracing::warn!(%key, error = %e, "background token refresh failed; the current token is still valid");
            }
        });
    }

    /// One refresh across every process sharing the store: this process takes the lock
    /// and fetches, or waits for the token of the process holding it (or for its lease to
    /// end, when it crashed or failed, and then tries to take the lock itself).
    async fn refresh_shared(
        &self,
        lock: &dyn RefreshLock,
        tenant: &Tenant,
        slot: &Slot,
        key: &str,
    ) -> Result<Token, Error> {
        loop {
            if let Some(lease) = lock.try_acquire(key).await? {
                return self.fetch_under_lease(lock, &lease, tenant, slot, key, false).await;
            }
            tracing::debug!(%key, "another process is refreshing; waiting for its token");
            loop {
                tokio::time::sleep(SHARED_REFRESH_POLL).await;
                if let Some(token) = self.read_store(slot, key).await?
                    && self.usable(&token)
                {
                    return Ok(token);
                }
                if !lock.is_held(key).await? {
                    break;
                }
            }
        }
    }

    /// Fetches and stores under `lease` (fetch, then swap in one step if the lease still
    /// holds the lock), renewing it meanwhile, then releases it. A token another process
    /// stored just before this one took the lock is used instead of fetching, if it is
    /// usable, or fresh when `want_fresh` (a refresh ahead of expiry).
    async fn fetch_under_lease(
        &self,
        lock: &dyn RefreshLock,
        lease: &Lease,
        tenant: &Tenant,
        slot: &Slot,
        key: &str,
        want_fresh: bool,
    ) -> Result<Token, Error> {
        let outcome = async {
            if let Some(token) = self.read_store(slot, key).await? {
                let fresh = matches!(self.freshness(&token), Freshness::Fresh);
                if fresh || (!want_fresh && self.usable(&token)) {
                    return Ok(token);
                }
            }
            let refresh = self.inner.store.durable(key).await?;
            let fetched = renewing(lock, key, lease, self.inner.source.fetch(tenant, refresh.as_ref())).await?;
            if lock.put_if_held(key, lease, &fetched).await? {
                slot.remember(None, Some(&fetched.token));
                tracing::debug!(%key, expires_at = fetched.token.expires_at, rotated = fetched.refresh.is_some(), "token refreshed for every process");
            } else {
                tracing::warn!(%key, "the refresh lease ran out before the token was stored: it serves this call only");
            }
            Ok(fetched.token)
        }
        .await;
        if let Err(e) = lock.release(key, lease).await {
            tracing::warn!(%key, error = %e, "could not release the refresh lock; it expires by itself");
        }
        outcome
    }

    /// Fetches with the stored refresh token, then stores what came back.
    async fn fetch_and_store(&self, tenant: &Tenant, slot: &Slot, key: &str) -> Result<Token, Error> {
        let refresh = self.inner.store.durable(key).await?;
        let fetched = self.inner.source.fetch(tenant, refresh.as_ref()).await?;
        self.store_fetched(slot, key, &fetched).await?;
        tracing::debug!(%key, expires_at = fetched.token.expires_at, rotated = fetched.refresh.is_some(), "token refreshed");
        Ok(fetched.token)
    }

    async fn store_fetched(&self, slot: &Slot, key: &str, fetched: &Fetched) -> Result<(), Error> {
        if let Some(refresh) = &fetched.refresh {
            self.inner.store.put_durable(key, refresh).await?;
        }
        self.inner.store.put_access(key, &fetched.token).await?;
        slot.remember(None, Some(&fetched.token));
        Ok(())
    }
}

impl Slot {
    fn copy(&self) -> Option<Token> {
        self.local.read().unwrap_or_else(|p| p.into_inner()).token.clone()
    }

    fn generation(&self) -> u64 {
        self.local.read().unwrap_or_else(|p| p.into_inner()).generation
    }

    /// Keeps `token` as the copy, unless it was read in an earlier generation.
    fn remember(&self, read_in: Option<u64>, token: Option<&Token>) {
        let mut local = self.local.write().unwrap_or_else(|p| p.into_inner());
        if read_in.is_none_or(|g| g == local.generation) {
            local.token = token.cloned();
        }
    }

    /// Starts a new generation and drops the copy if it is `failed` (or whatever it is).
    fn forget_if(&self, failed: Option<&Secret>) {
        let mut local = self.local.write().unwrap_or_else(|p| p.into_inner());
        local.generation += 1;
        if failed.is_none_or(|f| local.token.as_ref().is_some_and(|t| &t.value == f)) {
            local.token = None;
        }
    }
}

#[async_trait]
impl Credentials for TokenCache {
    async fn token(&self, tenant: &Tenant) -> Result<Token, Error> {
        TokenCache::token(self, tenant).await
    }

    async fn invalidate(&self, tenant: &Tenant, failed: &Secret) {
        if let Err(e) = TokenCache::invalidate(self, tenant, failed).await {
            tracing::warn!(key = %self.key(tenant), error = %e, "could not invalidate a rejected token");
        }
    }
}
