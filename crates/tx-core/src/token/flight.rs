//! One refresh at a time across every process that shares a token store.
//!
//! A [`TokenCache`](super::TokenCache) already lets one task per process refresh a tenant's
//! token while the others wait. When the store is shared (Redis, behind the `redis`
//! feature), the store also offers a [`RefreshLock`]: the cache's refreshing task takes it
//! before fetching, so that one process fetches and the others wait for its token. This
//! matters where a refresh has effects: every WeChat refresh shortens the life of the
//! token before it, so four processes refreshing at once invalidate each other.

use super::Fetched;
use crate::error::Error;
use async_trait::async_trait;
use std::fmt;
use std::future::Future;
use std::time::Duration;

/// A lock on the refresh of one store key, across every process sharing the store.
///
/// The lock expires unless renewed, so a holder that crashed blocks the others for at most
/// [`RefreshLock::lease_time`]; a live holder renews it while it fetches. Each taking of
/// the lock has its own fencing value (the [`Lease`]): renewing, storing and releasing
/// succeed only while the lock still holds that value, so a holder whose lease ran out
/// cannot overwrite the token of the process that took over.
#[async_trait]
pub trait RefreshLock: Send + Sync + fmt::Debug {
    /// How long a lease lasts unless renewed.
    fn lease_time(&self) -> Duration;

    /// Takes the lock of `key` if no one holds it; `None` if another holder does.
    async fn try_acquire(&self, key: &str) -> Result<Option<Lease>, Error>;

    /// Extends `lease` by [`RefreshLock::lease_time`]; `false` if it was lost.
    async fn renew(&self, key: &str, lease: &Lease) -> Result<bool, Error>;

    /// Stores what a refresh fetched under `key` (the refresh token, if any, before the
    /// access token, in one step) only if `lease` still holds the lock; returns whether it
    /// did.
    async fn put_if_held(&self, key: &str, lease: &Lease, fetched: &Fetched) -> Result<bool, Error>;

    /// Gives the lock up, if `lease` still holds it.
    async fn release(&self, key: &str, lease: &Lease) -> Result<(), Error>;

    /// Whether someone holds the lock of `key` now.
    async fn is_held(&self, key: &str) -> Result<bool, Error>;
}

/// One taking of a [`RefreshLock`], identified by its fencing value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    fence: String,
}

impl Lease {
    /// A lease with the fencing value `fence` (unique per taking of the lock).
    pub fn new(fence: impl Into<String>) -> Lease {
        Lease { fence: fence.into() }
    }

    /// The fencing value.
    pub fn fence(&self) -> &str {
        &self.fence
    }
}

/// Runs `work` while renewing `lease` every third of the lease time, so that a fetch
/// slower than one lease keeps the lock; a lease found lost is left alone (storing under
/// it will then fail).
pub(crate) async fn renewing<T>(lock: &dyn RefreshLock, key: &str, lease: &Lease, work: impl Future<Output = T>) -> T {
    let renew = async {
        loop {
            tokio::time::sleep(lock.lease_time() / 3).await;
            match lock.renew(key, lease).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!(%key, "the refresh lease ran out while fetching; another process may refresh too");
                    return std::future::pending::<()>().await;
                }
                Err(e) => tracing::warn!(%key, error = %e, "could not renew the refresh lease"),
            }
        }
    };
    tokio::pin!(work);
    tokio::select! {
        out = &mut work => out,
        () = renew => unreachable!("renewing never ends by itself"),
    }
}
