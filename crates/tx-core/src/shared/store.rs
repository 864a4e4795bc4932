//! The token store on Redis, with its refresh lock.

use super::SharedState;
use super::keys;
use super::scripts::{LOCK_ACQUIRE, LOCK_RELEASE, LOCK_RENEW, PUT_ACCESS, PUT_DURABLE, PUT_IF_HELD, REMOVE_ACCESS_IF};
use crate::clock::SharedClock;
use crate::error::Error;
use crate::secret::Secret;
use crate::token::{Durable, Fetched, Lease, RefreshLock, Token, TokenStore};
use async_trait::async_trait;
use std::fmt;
use std::time::Duration;

/// The longest TTL of an access token's key: a token said to live longer is fetched anew
/// after a year.
const LONGEST_TTL_SECS: u64 = 365 * 86_400;

/// A [`TokenStore`] on Redis, shared by every process that uses the same server: access
/// tokens with a TTL (they vanish when they expire), refresh tokens and WeChat's ticket
/// without one. It is also the [`RefreshLock`] that lets one process refresh a token
/// while the others wait for it.
///
/// Keys are `tx:access:{key}`, `tx:durable:{key}` and `tx:lock:{key}`, where `{key}` is
/// the token cache's (platform, kind, app and tenant). Values never appear in logs,
/// errors or `Debug` output. Redis is expected to keep durable values across restarts in
/// production (RDB or AOF persistence): a lost WeChat refresh token takes a new
/// authorization to replace.
///
/// Clients get one through their builder's `shared_state`; to build one yourself:
///
/// ```no_run
/// # async fn demo() -> Result<(), tx_core::Error> {
/// use tx_core::shared::SharedState;
/// let shared = SharedState::connect("redis://127.0.0.1:6379/").await?;
/// let store = shared.token_store(tx_core::clock::system());
/// # Ok(()) }
/// ```
pub struct RedisTokenStore {
    shared: SharedState,
    clock: SharedClock,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore").field("redis", &self.shared.url()).finish_non_exhaustive()
    }
}

impl RedisTokenStore {
    pub(crate) fn new(shared: SharedState, clock: SharedClock) -> RedisTokenStore {
        RedisTokenStore { shared, clock }
    }

    fn wait(&self) -> Duration {
        self.shared.options().redis_wait
    }

    fn lease_ms(&self) -> String {
        self.shared.options().lease_time.as_millis().to_string()
    }

    /// Milliseconds `token` has left on the store's clock, at most a year: the TTL of its
    /// key.
    fn ttl_ms(&self, token: &Token) -> String {
        (token.remaining(self.clock.unix_now()).min(LONGEST_TTL_SECS) * 1000).to_string()
    }
}

/// A hash's `v` and `e` fields.
type Fields = (Option<String>, Option<u64>);

#[async_trait]
impl TokenStore for RedisTokenStore {
    async fn access(&self, key: &str) -> Result<Option<Token>, Error> {
        let read = redis::cmd("HMGET").arg(keys::access(key)).arg("v").arg("e").clone();
        let (value, expires_at): Fields = self.shared.redis().command("read a token", self.wait(), &read).await?;
        Ok(value.zip(expires_at).map(|(value, expires_at)| Token { value: Secret::new(value), expires_at }))
    }

    async fn put_access(&self, key: &str, token: &Token) -> Result<(), Error> {
        let key = keys::access(key);
        let args = [token.value.expose(), &token.expires_at.to_string(), &self.ttl_ms(token)];
        self.shared.redis().script::<i64>("store a token", self.wait(), &PUT_ACCESS, &[&key], &args).await.map(drop)
    }

    async fn remove_access_if(&self, key: &str, value: &Secret) -> Result<bool, Error> {
        let key = keys::access(key);
        let redis = self.shared.redis();
        let removed: i64 =
            redis.script("invalidate a token", self.wait(), &REMOVE_ACCESS_IF, &[&key], &[value.expose()]).await?;
        Ok(removed == 1)
    }

    async fn durable(&self, key: &str) -> Result<Option<Durable>, Error> {
        let read = redis::cmd("HMGET").arg(keys::durable(key)).arg("v").arg("e").clone();
        let (value, expires_at): Fields =
            self.shared.redis().command("read a refresh token", self.wait(), &read).await?;
        Ok(value.map(|value| Durable { value: Secret::new(value), expires_at }))
    }

    async fn put_durable(&self, key: &str, value: &Durable) -> Result<(), Error> {
        let key = keys::durable(key);
        let expires_at = value.expires_at.map(|e| e.to_string()).unwrap_or_default();
        let args = [value.value.expose(), expires_at.as_str()];
        let redis = self.shared.redis();
        redis.script::<i64>("store a refresh token", self.wait(), &PUT_DURABLE, &[&key], &args).await.map(drop)
    }

    async fn remove(&self, key: &str) -> Result<(), Error> {
        let delete = redis::cmd("DEL").arg(keys::access(key)).arg(keys::durable(key)).clone();
        self.shared.redis().command::<i64>("remove tokens", self.wait(), &delete).await.map(drop)
    }

    fn refresh_lock(&self) -> Option<&dyn RefreshLock> {
        Some(self)
    }
}

#[async_trait]
impl RefreshLock for RedisTokenStore {
    fn lease_time(&self) -> Duration {
        self.shared.options().lease_time
    }

    async fn try_acquire(&self, key: &str) -> Result<Option<Lease>, Error> {
        let lease = Lease::new(format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..)));
        let lock = keys::lock(key);
        let args = [lease.fence(), &self.lease_ms()];
        let taken: i64 =
            self.shared.redis().script("take the refresh lock", self.wait(), &LOCK_ACQUIRE, &[&lock], &args).await?;
        Ok((taken == 1).then_some(lease))
    }

    async fn renew(&self, key: &str, lease: &Lease) -> Result<bool, Error> {
        let lock = keys::lock(key);
        let args = [lease.fence(), &self.lease_ms()];
        let renewed: i64 =
            self.shared.redis().script("renew the refresh lock", self.wait(), &LOCK_RENEW, &[&lock], &args).await?;
        Ok(renewed == 1)
    }

    async fn put_if_held(&self, key: &str, lease: &Lease, fetched: &Fetched) -> Result<bool, Error> {
        let (lock, access, durable) = (keys::lock(key), keys::access(key), keys::durable(key));
        let token = &fetched.token;
        let (expires_at, ttl) = (token.expires_at.to_string(), self.ttl_ms(token));
        let (has_refresh, refresh, refresh_expires) = match &fetched.refresh {
            Some(r) => ("1", r.value.expose(), r.expires_at.map(|e| e.to_string()).unwrap_or_default()),
            None => ("0", "", String::new()),
        };
        let args = [lease.fence(), token.value.expose(), &expires_at, &ttl, has_refresh, refresh, &refresh_expires];
        let redis = self.shared.redis();
        let stored: i64 = redis
            .script("store a refreshed token", self.wait(), &PUT_IF_HELD, &[&lock, &access, &durable], &args)
            .await?;
        Ok(stored == 1)
    }

    async fn release(&self, key: &str, lease: &Lease) -> Result<(), Error> {
        let lock = keys::lock(key);
        let redis = self.shared.redis();
        redis
            .script::<i64>("release the refresh lock", self.wait(), &LOCK_RELEASE, &[&lock], &[lease.fence()])
            .await
            .map(drop)
    }

    async fn is_held(&self, key: &str) -> Result<bool, Error> {
        let exists = redis::cmd("EXISTS").arg(keys::lock(key)).clone();
        let held: i64 = self.shared.redis().command("read the refresh lock", self.wait(), &exists).await?;
        Ok(held == 1)
    }
}
