//! One quota for every process: the rate limiter on Redis.

use super::SharedState;
use super::keys;
use super::scripts::{RATE_HELD, RATE_HOLD, RATE_TAKE};
use crate::rate_limit::{NoPermit, Quota, RateKey, RateLimiter};
use async_trait::async_trait;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// The longest wait handed to Redis (a year): `Duration::MAX` means "wait as long as it
/// takes", and the script counts in microseconds.
const LONGEST_WAIT: Duration = Duration::from_secs(365 * 86_400);

/// A [`RateLimiter`] whose quotas are kept in Redis, so that every process of an app
/// shares one quota: four workers together send what one would alone.
///
/// It takes the place of the limiter a client would use on its own (the *local* one) and
/// paces each key to that limiter's quota ([`RateLimiter::quota`], the platform's
/// documented quota with the client's headroom): one Lua script reserves the next slot of
/// the key's schedule on Redis's clock (a GCRA with reservations, as
/// [`FifoRateLimiter`](crate::rate_limit::FifoRateLimiter) does in one process), and the
/// caller sleeps until its slot. Permits go first come, first served across processes, a
/// wait longer than the caller may wait is refused at once without reserving anything,
/// and a hold placed while a caller sleeps wins over its slot.
///
/// The local limiter still applies, after the shared permit: its holds (a platform may
/// hold a key of its own accord), and its pacing, which the shared schedule already keeps
/// to (a process sharing the quota gets at most the whole of it). A refusal by the shared
/// schedule leaves the local limiter untouched.
///
/// Holds (a throttling answer from the server) are placed in Redis too, so every process
/// stops. When Redis is out of reach, a permit waits for it within the caller's wait and
/// then fails with [`NoPermit::Unavailable`]: nothing is sent that the shared quota did
/// not allow.
pub struct SharedRateLimiter {
    shared: SharedState,
    local: Arc<dyn RateLimiter>,
}

impl fmt::Debug for SharedRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedRateLimiter").field("redis", &self.shared.url()).field("local", &self.local).finish()
    }
}

impl SharedRateLimiter {
    pub(crate) fn new(shared: SharedState, local: Arc<dyn RateLimiter>) -> SharedRateLimiter {
        SharedRateLimiter { shared, local }
    }

    /// Reserves a slot of `key`'s shared schedule and sleeps until it.
    async fn shared_permit(&self, key: &RateKey, max_wait: Duration) -> Result<(), NoPermit> {
        let redis_key = keys::rate(key);
        let (interval, tolerance) = pacing(self.local.quota(key));
        let (interval, tolerance) = (micros(interval).to_string(), micros(tolerance).to_string());
        let start = Instant::now();
        loop {
            let left = max_wait.min(LONGEST_WAIT).saturating_sub(start.elapsed());
            let args = [interval.as_str(), &tolerance, &micros(left).to_string()];
            let redis = self.shared.redis();
            let (granted, wait): (i64, i64) = redis
                .script("take a permit", left, &RATE_TAKE, &[&redis_key], &args)
                .await
                .map_err(NoPermit::Unavailable)?;
            let wait = Duration::from_micros(wait.max(0).unsigned_abs());
            if granted == 0 {
                return Err(NoPermit::Wait(wait));
            }
            if wait.is_zero() {
                return Ok(());
            }
            tokio::time::sleep(wait).await;
            let left = max_wait.min(LONGEST_WAIT).saturating_sub(start.elapsed());
            let held: i64 = redis
                .script("read a hold", left, &RATE_HELD, &[&redis_key], &[])
                .await
                .map_err(NoPermit::Unavailable)?;
            if held <= 0 {
                return Ok(());
            }
        }
    }
}

#[async_trait]
impl RateLimiter for SharedRateLimiter {
    /// As [`RateLimiter::permit`]; Redis out of reach for `max_wait` reads as a wait of
    /// `max_wait` (nothing may be sent), which only `permit` tells apart.
    async fn acquire(&self, key: &RateKey, max_wait: Duration) -> Result<(), Duration> {
        match self.permit(key, max_wait).await {
            Ok(()) => Ok(()),
            Err(NoPermit::Wait(wait)) => Err(wait),
            Err(NoPermit::Unavailable(e)) => {
                tracing::warn!(%key, error = %e, "no permit: Redis is out of reach");
                Err(max_wait)
            }
        }
    }

    async fn permit(&self, key: &RateKey, max_wait: Duration) -> Result<(), NoPermit> {
        let start = Instant::now();
        self.shared_permit(key, max_wait).await?;
        self.local.permit(key, max_wait.saturating_sub(start.elapsed())).await
    }

    async fn hold(&self, key: &RateKey, duration: Duration) {
        self.local.hold(key, duration).await;
        let redis_key = keys::rate(key);
        let args = [micros(duration.min(LONGEST_WAIT)).to_string()];
        let redis = self.shared.redis();
        let wait = self.shared.options().redis_wait;
        if let Err(e) = redis.script::<i64>("hold a quota", wait, &RATE_HOLD, &[&redis_key], &[&args[0]]).await {
            tracing::warn!(%key, error = %e, "the hold is kept by this process only: Redis is out of reach");
        }
    }

    fn quota(&self, key: &RateKey) -> Option<Quota> {
        self.local.quota(key)
    }
}

/// The interval between permits and the tolerance of a burst; zero for no pacing.
fn pacing(quota: Option<Quota>) -> (Duration, Duration) {
    match quota {
        Some(q) => {
            let interval = (q.period() / q.count()).max(Duration::from_micros(1));
            (interval, interval * (q.burst() - 1))
        }
        None => (Duration::ZERO, Duration::ZERO),
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rate_limit::{DEFAULT_HEADROOM, paced};

    #[test]
    fn the_shared_schedule_paces_like_the_local_quota() {
        // TIM's 200/s with the default headroom: 194/s with a burst of 2, 195 at most in a second.
        let (interval, tolerance) = pacing(Some(paced(200, Duration::from_secs(1), DEFAULT_HEADROOM)));
        assert_eq!((micros(interval), micros(tolerance)), (5154, 5154));
        let (interval, tolerance) = pacing(Some(Quota::per_minute(60)));
        assert_eq!((interval, tolerance), (Duration::from_secs(1), Duration::ZERO));
        assert_eq!(pacing(None), (Duration::ZERO, Duration::ZERO));
        assert_eq!(micros(Duration::MAX), u64::MAX);
    }
}
