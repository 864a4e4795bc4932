//! Client-side quotas, so a busy client stays under the platform's limits instead of
//! collecting throttling errors.
//!
//! The [`RateLimiter`] trait is small so that a limiter shared between processes (Redis,
//! behind the `redis` feature: `crate::shared::SharedRateLimiter`) can replace the
//! in-process [`LocalRateLimiter`]. Which
//! [`RateKey`] a call counts against is the platform's choice: TIM counts per app and
//! command, WeChat per authorizer and action, Tencent Ads per app and endpoint across
//! all of its accounts.

mod fifo;
mod local;
mod pacing;

pub use fifo::FifoRateLimiter;
pub use local::{LocalRateLimiter, Quota};
pub use pacing::{DEFAULT_HEADROOM, paced};

use crate::error::Error;
use async_trait::async_trait;
use std::fmt;
use std::time::Duration;

/// What a permit is counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RateKey {
    /// The platform (`tim`, `wechat`, `ads`): keys of different platforms never meet in a
    /// limiter shared between clients.
    pub platform: &'static str,
    /// Whose quota: an SDKAppID, an authorizer appid, an Ads app.
    pub scope: String,
    /// The endpoint or action (e.g. `v4/sns/black_list_add`).
    pub endpoint: String,
}

impl RateKey {
    /// A key for `endpoint` within `scope` of `platform`.
    pub fn new(platform: &'static str, scope: impl Into<String>, endpoint: impl Into<String>) -> RateKey {
        RateKey { platform, scope: scope.into(), endpoint: endpoint.into() }
    }
}

impl fmt::Display for RateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.platform, self.scope, self.endpoint)
    }
}

/// Gives permission to send requests.
#[async_trait]
pub trait RateLimiter: Send + Sync + fmt::Debug {
    /// Waits for one permit for `key`. When the next permit is more than `max_wait` away,
    /// returns `Err` with the wait at once, consuming nothing.
    async fn acquire(&self, key: &RateKey, max_wait: Duration) -> Result<(), Duration>;

    /// No permit for `key` for `duration`: the platform said this quota is spent (an Ads
    /// endpoint's 5-minute lockout, WeChat's 1737, TIM's 70050).
    async fn hold(&self, key: &RateKey, duration: Duration);

    /// Waits for one permit for `key`, like [`RateLimiter::acquire`], and says why there is
    /// none: the next one is more than `max_wait` away, or the limiter could not tell (a
    /// limiter shared between processes whose store stayed out of reach for `max_wait`).
    /// The request pipeline asks this; the default asks `acquire`.
    async fn permit(&self, key: &RateKey, max_wait: Duration) -> Result<(), NoPermit> {
        self.acquire(key, max_wait).await.map_err(NoPermit::Wait)
    }

    /// The quota `key` is paced to, if any: what a limiter shared between processes paces
    /// the same key to when it takes this limiter's place.
    fn quota(&self, key: &RateKey) -> Option<Quota> {
        let _ = key;
        None
    }
}

/// Why [`RateLimiter::permit`] gave no permit. Nothing was sent either way.
#[derive(Debug)]
pub enum NoPermit {
    /// The next permit is this far away, more than the caller may wait.
    Wait(Duration),
    /// The limiter could not decide within the caller's wait (its shared store was out of
    /// reach); the error says why.
    Unavailable(Error),
}
