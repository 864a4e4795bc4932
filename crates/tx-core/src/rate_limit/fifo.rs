//! A limiter that gives permits in the order they were asked for.

use super::{Quota, RateKey, RateLimiter};
use async_trait::async_trait;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// One key's schedule: the GCRA's theoretical arrival time and the hold.
#[derive(Debug, Default)]
struct Schedule {
    /// When the next call may go, before the burst's tolerance (time since the origin).
    tat: Duration,
    held_until: Duration,
}

#[derive(Debug)]
struct Entry {
    /// The interval between calls and the tolerance a burst allows, if paced.
    pacing: Option<(Duration, Duration)>,
    schedule: Mutex<Schedule>,
}

/// An in-process limiter with one quota per (scope, endpoint) that hands out permits
/// first come, first served.
///
/// [`super::LocalRateLimiter`] lets every waiter wake for the next free slot and only one
/// of them take it, so under a tight quota with many concurrent callers a caller can lose
/// that race again and again and run past its deadline while later callers go ahead.
/// Here `acquire` reserves the next free slot at once (a GCRA with reservations) and
/// sleeps until it: the wait is known when asked, refused then if it is longer than the
/// caller may wait (nothing reserved), and no caller is overtaken. A caller cancelled while
/// it waits gives up its slot unused, which only errs on the safe side of the quota.
///
/// ```
/// use std::time::Duration;
/// use tx_core::rate_limit::{FifoRateLimiter, Quota, RateKey, RateLimiter};
/// # tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build().unwrap().block_on(async {
/// let limiter = FifoRateLimiter::new(Some(Quota::per_minute(60))).endpoint_quota("watermarks/get", None);
/// let key = RateKey::new("ads", "1110000000", "watermarks/add");
/// limiter.acquire(&key, Duration::ZERO).await.unwrap();
/// assert_eq!(limiter.acquire(&key, Duration::from_millis(500)).await, Err(Duration::from_secs(1)));
/// # });
/// ```
pub struct FifoRateLimiter {
    default: Option<Quota>,
    per_endpoint: HashMap<String, Option<Quota>>,
    entries: Mutex<HashMap<(String, String), Arc<Entry>>>,
    origin: Instant,
}

impl fmt::Debug for FifoRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FifoRateLimiter")
            .field("default", &self.default)
            .field("per_endpoint", &self.per_endpoint)
            .finish_non_exhaustive()
    }
}

impl FifoRateLimiter {
    /// A limiter applying `default` to every (scope, endpoint); `None` means unlimited
    /// (holds still apply).
    pub fn new(default: Option<Quota>) -> Self {
        FifoRateLimiter {
            default,
            per_endpoint: HashMap::new(),
            entries: Mutex::new(HashMap::new()),
            origin: Instant::now(),
        }
    }

    /// Overrides the quota of one endpoint (for every scope); `None` means unlimited.
    pub fn endpoint_quota(mut self, endpoint: impl Into<String>, quota: Option<Quota>) -> Self {
        self.per_endpoint.insert(endpoint.into(), quota);
        self
    }

    /// The quota that applies to `endpoint`.
    pub fn quota_for(&self, endpoint: &str) -> Option<Quota> {
        self.per_endpoint.get(endpoint).copied().unwrap_or(self.default)
    }

    fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    fn entry(&self, key: &RateKey) -> Arc<Entry> {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map.entry((key.scope.clone(), key.endpoint.clone())).or_insert_with(|| {
            let pacing = self.quota_for(&key.endpoint).map(|q| {
                let interval = (q.period() / q.count()).max(Duration::from_nanos(1));
                (interval, interval * (q.burst() - 1))
            });
            Arc::new(Entry { pacing, schedule: Mutex::new(Schedule::default()) })
        });
        Arc::clone(entry)
    }
}

impl Entry {
    /// Reserves the first slot at or after `now`, unless it is more than `max_wait` away.
    fn reserve(&self, now: Duration, max_wait: Duration) -> Result<Duration, Duration> {
        let mut s = self.schedule.lock().unwrap_or_else(|p| p.into_inner());
        let mut at = now.max(s.held_until);
        if let Some((_, tolerance)) = self.pacing {
            at = at.max(s.tat.saturating_sub(tolerance));
        }
        let wait = at - now;
        if wait > max_wait {
            return Err(wait);
        }
        if let Some((interval, _)) = self.pacing {
            s.tat = s.tat.max(at) + interval;
        }
        Ok(at)
    }

    fn held_until(&self) -> Duration {
        self.schedule.lock().unwrap_or_else(|p| p.into_inner()).held_until
    }
}

#[async_trait]
impl RateLimiter for FifoRateLimiter {
    async fn acquire(&self, key: &RateKey, max_wait: Duration) -> Result<(), Duration> {
        let entry = self.entry(key);
        let give_up = self.now().saturating_add(max_wait);
        loop {
            let now = self.now();
            let at = entry.reserve(now, give_up.saturating_sub(now))?;
            if at > now {
                tokio::time::sleep(at - now).await;
            }
            // A hold placed while this caller slept wins over its slot.
            if entry.held_until() <= self.now() {
                return Ok(());
            }
        }
    }

    async fn hold(&self, key: &RateKey, duration: Duration) {
        let entry = self.entry(key);
        let until = self.now() + duration;
        let mut s = entry.schedule.lock().unwrap_or_else(|p| p.into_inner());
        if s.held_until < until {
            s.held_until = until;
        }
    }

    fn quota(&self, key: &RateKey) -> Option<Quota> {
        self.quota_for(&key.endpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOREVER: Duration = Duration::MAX;

    fn key(endpoint: &str) -> RateKey {
        RateKey::new("ads", "1110000000", endpoint)
    }

    #[tokio::test(start_paused = true)]
    async fn permits_go_in_the_order_they_were_asked_for() {
        let limiter = Arc::new(FifoRateLimiter::new(Some(Quota::per_second(10))));
        let start = Instant::now();
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let l = Arc::clone(&limiter);
                tokio::spawn(async move {
                    // Staggered arrival: caller i asks at i ms.
                    tokio::time::sleep(Duration::from_millis(i)).await;
                    l.acquire(&key("watermarks/add"), Duration::from_secs(6)).await.unwrap();
                    start.elapsed()
                })
            })
            .collect();
        let mut granted = Vec::new();
        for t in tasks {
            granted.push(t.await.unwrap());
        }
        // Caller i gets slot i: at i × 100 ms, never later (no one is overtaken).
        for (i, at) in granted.iter().enumerate() {
            assert_eq!(at.as_millis(), i as u128 * 100, "caller {i}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_longer_than_allowed_is_refused_at_once_and_reserves_nothing() {
        let limiter = FifoRateLimiter::new(Some(Quota::per_second(1)));
        let k = key("watermarks/add");
        limiter.acquire(&k, Duration::ZERO).await.unwrap();
        let start = Instant::now();
        assert_eq!(limiter.acquire(&k, Duration::from_millis(500)).await, Err(Duration::from_secs(1)));
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire(&k, FOREVER).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_secs(1), "the refused caller took no slot");
    }

    #[tokio::test(start_paused = true)]
    async fn bursts_endpoint_quotas_and_unlimited_keys() {
        let limiter = FifoRateLimiter::new(Some(Quota::per_second(10).with_burst(3)))
            .endpoint_quota("slow", Some(Quota::per_minute(6)))
            .endpoint_quota("free", None);
        let start = Instant::now();
        for _ in 0..3 {
            limiter.acquire(&key("x"), Duration::ZERO).await.unwrap();
        }
        limiter.acquire(&key("x"), FOREVER).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_millis(100), "a burst of 3, then paced");
        for _ in 0..1000 {
            limiter.acquire(&key("free"), Duration::ZERO).await.unwrap();
        }
        let (slow, start) = (key("slow"), Instant::now());
        for _ in 0..3 {
            limiter.acquire(&slow, FOREVER).await.unwrap();
        }
        assert_eq!(start.elapsed(), Duration::from_secs(20));
        assert_eq!(limiter.quota_for("free"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_hold_stops_one_key_and_wins_over_reserved_slots() {
        let limiter = Arc::new(FifoRateLimiter::new(Some(Quota::per_second(1))));
        let held = key("watermarks/get");
        limiter.acquire(&held, Duration::ZERO).await.unwrap();
        // A caller reserves the slot at 1 s; a hold of 300 s is placed while it sleeps.
        let waiter = {
            let l = Arc::clone(&limiter);
            let k = held.clone();
            tokio::spawn(async move {
                let start = Instant::now();
                l.acquire(&k, FOREVER).await.unwrap();
                start.elapsed()
            })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        limiter.hold(&held, Duration::from_secs(300)).await;
        limiter.hold(&held, Duration::from_secs(5)).await; // a shorter hold does not shorten it
        assert_eq!(waiter.await.unwrap(), Duration::from_millis(300_010));
        assert_eq!(limiter.acquire(&held, Duration::ZERO).await, Err(Duration::from_secs(1)), "paced after the hold");
        limiter.acquire(&key("other"), Duration::ZERO).await.unwrap();
    }
}
