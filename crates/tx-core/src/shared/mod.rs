//! Shared state on Redis (feature `redis`): many processes, one quota and one set of
//! tokens.
//!
//! Each process of an app otherwise paces and refreshes on its own: four workers send four
//! times the quota, and four refreshers invalidate each other's WeChat tokens. A
//! [`SharedState`] gives every client built with it, in any process:
//! - a [`RedisTokenStore`]: access tokens (with a TTL), refresh tokens and WeChat's ticket
//!   (without one), under keys named by platform, app and tenant;
//! - one refresh at a time per token across processes ([`crate::token::RefreshLock`]):
//!   one process fetches under a lock with an expiry and a fencing value, the others wait
//!   for its token, and a rejected token is removed only if it is still the stored one;
//! - a [`SharedRateLimiter`]: one quota per key for all processes, reserved atomically in
//!   Redis with the same pacing and headroom as the in-process limiter.
//!
//! Every platform client takes it through its builder: `.shared_state(url)` connects when
//! the client is built, or `.shared_state_handle(state)` shares one connection between
//! clients. From the environment and config files, `TX_REDIS_URL` or a profile's
//! `[redis] url` ([`REDIS_URL`](crate::config::REDIS_URL)); the `tx` command takes
//! `--redis URL`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), tx_core::Error> {
//! use tx_core::shared::SharedState;
//! // Connects and checks that Redis answers: a clear error now rather than mid-run.
//! let shared = SharedState::connect("redis://127.0.0.1:6379/").await?;
//! let store = shared.token_store(tx_core::clock::system());
//! # let _ = store; Ok(()) }
//! ```
//!
//! # When Redis is down
//!
//! - At start: building a client (or [`SharedState::open`], [`SharedState::connect`])
//!   fails with an [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) error that
//!   names the setting and the URL (its password hidden). Nothing is sent.
//! - Mid-run: a call waits for Redis to come back, reconnecting, for as long as its
//!   deadline allows (the retry policy's; token store operations also at most
//!   [`SharedStateBuilder::redis_wait`]), then fails with an
//!   [`ErrorKind::Transport`](crate::ErrorKind::Transport) error marked not sent. No
//!   request goes out without a permit of the shared quota, so nothing is double-sent or
//!   sent over the quota; a bulk run reports such items as failed, and none is lost.
//! - A restarted Redis that kept nothing (no persistence) starts the quotas afresh and has
//!   no tokens: the next call refreshes once. Refresh tokens are lost with it, so keep
//!   persistence on (RDB or AOF) where a refresh token cannot be re-issued at will.

mod connection;
mod keys;
mod limiter;
mod scripts;
mod store;

pub use limiter::SharedRateLimiter;
pub use store::RedisTokenStore;

use crate::clock::SharedClock;
use crate::error::Error;
use crate::rate_limit::RateLimiter;
use connection::Connection;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The default [`SharedStateBuilder::lease_time`].
pub const DEFAULT_LEASE_TIME: Duration = Duration::from_secs(10);
/// The default [`SharedStateBuilder::redis_wait`].
pub const DEFAULT_REDIS_WAIT: Duration = Duration::from_secs(30);

/// A connection to the Redis server that holds the state shared by several processes.
/// Cheap to clone; clones share the connection.
///
/// ```no_run
/// # fn demo() -> Result<(), tx_core::Error> {
/// use std::time::Duration;
/// use tx_core::shared::SharedState;
/// let shared = SharedState::builder("redis://127.0.0.1:6379/")
///     .lease_time(Duration::from_secs(5))
///     .open()?; // checks that Redis answers, blocking for at most a second or two
/// println!("{shared:?}"); // never shows a password
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct SharedState {
    inner: Arc<Inner>,
}

struct Inner {
    redis: Connection,
    options: Options,
}

#[derive(Debug, Clone)]
struct Options {
    lease_time: Duration,
    redis_wait: Duration,
}

impl fmt::Debug for SharedState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedState")
            .field("redis", &self.url())
            .field("lease_time", &self.inner.options.lease_time)
            .field("redis_wait", &self.inner.options.redis_wait)
            .finish()
    }
}

impl SharedState {
    /// A builder for the Redis server at `url` (`redis://[[user]:password@]host[:port][/db]`).
    pub fn builder(url: impl Into<String>) -> SharedStateBuilder {
        SharedStateBuilder {
            url: url.into(),
            field: "shared_state".to_owned(),
            lease_time: DEFAULT_LEASE_TIME,
            redis_wait: DEFAULT_REDIS_WAIT,
        }
    }

    /// Opens `url` with the default settings and checks that Redis answers (blocking).
    pub fn open(url: impl Into<String>) -> Result<SharedState, Error> {
        SharedState::builder(url).open()
    }

    /// Opens `url` with the default settings and checks that Redis answers.
    pub async fn connect(url: impl Into<String>) -> Result<SharedState, Error> {
        SharedState::builder(url).connect().await
    }

    /// The server's URL, its password (if any) replaced by `***`.
    pub fn url(&self) -> &str {
        self.inner.redis.shown()
    }

    /// A token store on this server, timing token expiry by `clock`.
    pub fn token_store(&self, clock: SharedClock) -> RedisTokenStore {
        RedisTokenStore::new(self.clone(), clock)
    }

    /// A rate limiter sharing each key's quota with every process, paced to `local`'s
    /// quota for the key; `local` keeps applying after the shared permit (see
    /// [`SharedRateLimiter`]).
    pub fn rate_limiter(&self, local: Arc<dyn RateLimiter>) -> SharedRateLimiter {
        SharedRateLimiter::new(self.clone(), local)
    }

    fn redis(&self) -> &Connection {
        &self.inner.redis
    }

    fn options(&self) -> &Options {
        &self.inner.options
    }
}

/// Settings of a [`SharedState`].
#[derive(Clone)]
#[must_use]
pub struct SharedStateBuilder {
    url: String,
    field: String,
    lease_time: Duration,
    redis_wait: Duration,
}

/// Shows the URL with its password hidden.
impl fmt::Debug for SharedStateBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedStateBuilder")
            .field("url", &connection::shown_url(&self.url))
            .field("field", &self.field)
            .field("lease_time", &self.lease_time)
            .field("redis_wait", &self.redis_wait)
            .finish()
    }
}

impl SharedStateBuilder {
    /// How long a refresh lock lasts unless its holder renews it (default 10 s): the
    /// longest that a process that crashed while refreshing keeps the others waiting. The
    /// holder renews it every third of this while it fetches.
    pub fn lease_time(mut self, lease: Duration) -> Self {
        self.lease_time = lease;
        self
    }

    /// How long a token store operation or a hold waits for Redis to come back before it
    /// fails (default 30 s); a call's own deadline ends the wait sooner. A permit of the
    /// quota waits as long as its call may.
    pub fn redis_wait(mut self, wait: Duration) -> Self {
        self.redis_wait = wait;
        self
    }

    /// The name of the setting the URL came from, for errors (default `shared_state`; the
    /// resolver passes `--redis`, `TX_REDIS_URL` or the profile's file and line).
    pub fn setting(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    fn build(self) -> Result<(SharedState, String), Error> {
        if self.lease_time < Duration::from_millis(30) {
            return Err(Error::invalid_input("lease_time", "must be at least 30 ms"));
        }
        let redis = Connection::open(&self.field, &self.url)?;
        let options = Options { lease_time: self.lease_time, redis_wait: self.redis_wait };
        Ok((SharedState { inner: Arc::new(Inner { redis, options }) }, self.field))
    }

    /// Opens the URL and checks that Redis answers a PING, blocking for at most a second
    /// or two (builders' `build` is not async). An unparsable URL or a server that does
    /// not answer is an [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) error
    /// naming the setting.
    pub fn open(self) -> Result<SharedState, Error> {
        let (state, field) = self.build()?;
        state.redis().check_blocking(&field)?;
        Ok(state)
    }

    /// Like [`SharedStateBuilder::open`], without blocking; the connection is then made.
    pub async fn connect(self) -> Result<SharedState, Error> {
        let (state, field) = self.build()?;
        state.redis().check(&field).await?;
        Ok(state)
    }
}
