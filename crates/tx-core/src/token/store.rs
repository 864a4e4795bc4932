//! Where tokens are kept: access tokens with their expiry, durable values without one.

use super::{Durable, RefreshLock, Token};
use crate::error::Error;
use crate::secret::Secret;
use async_trait::async_trait;
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

/// Where cached tokens live. In memory by default ([`MemoryTokenStore`]); in Redis with
/// the `redis` feature, to share tokens between processes.
///
/// Keys are namespaced by the cache (platform, app, tenant). Access tokens may be dropped
/// once expired; durable values (refresh tokens, tickets) must be kept until replaced or
/// removed.
#[async_trait]
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The access token under `key`, if any.
    async fn access(&self, key: &str) -> Result<Option<Token>, Error>;
    /// Stores an access token under `key`, replacing what was there.
    async fn put_access(&self, key: &str, token: &Token) -> Result<(), Error>;
    /// Removes the access token under `key` only if its value is `value`; returns whether
    /// it did.
    async fn remove_access_if(&self, key: &str, value: &Secret) -> Result<bool, Error>;
    /// The durable value under `key`, if any.
    async fn durable(&self, key: &str) -> Result<Option<Durable>, Error>;
    /// Stores a durable value under `key`, replacing what was there.
    async fn put_durable(&self, key: &str, value: &Durable) -> Result<(), Error>;
    /// Removes the access token and the durable value under `key`.
    async fn remove(&self, key: &str) -> Result<(), Error>;

    /// The lock that keeps refreshes one at a time across every process sharing this
    /// store. `None` (the default) for a store that only this process uses: the cache's
    /// in-process single flight is enough then.
    fn refresh_lock(&self) -> Option<&dyn RefreshLock> {
        None
    }
}

/// The default [`TokenStore`]: maps in this process.
#[derive(Default)]
pub struct MemoryTokenStore {
    access: Mutex<HashMap<String, Token>>,
    durable: Mutex<HashMap<String, Durable>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

/// Counts entries; never shows keys' values.
impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTokenStore")
            .field("access", &lock(&self.access).len())
            .field("durable", &lock(&self.durable).len())
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[async_trait]
impl TokenStore for MemoryTokenStore {
    async fn access(&self, key: &str) -> Result<Option<Token>, Error> {
        Ok(lock(&self.access).get(key).cloned())
    }

    async fn put_access(&self, key: &str, token: &Token) -> Result<(), Error> {
        lock(&self.access).insert(key.to_owned(), token.clone());
        Ok(())
    }

    async fn remove_access_if(&self, key: &str, value: &Secret) -> Result<bool, Error> {
        let mut map = lock(&self.access);
        if map.get(key).is_some_and(|t| &t.value == value) {
            map.remove(key);
            Ok(true)
        } else {
            Ok(false)
        }
    }

    async fn durable(&self, key: &str) -> Result<Option<Durable>, Error> {
        Ok(lock(&self.durable).get(key).cloned())
    }

    async fn put_durable(&self, key: &str, value: &Durable) -> Result<(), Error> {
        lock(&self.durable).insert(key.to_owned(), value.clone());
        Ok(())
    }

    async fn remove(&self, key: &str) -> Result<(), Error> {
        lock(&self.access).remove(key);
        lock(&self.durable).remove(key);
        Ok(())
    }
}
