//! The in-process limiter: one GCRA (`governor`) per key, and holds.

use super::{RateKey, RateLimiter};
use async_trait::async_trait;
use governor::clock::Clock as _;
use std::collections::HashMap;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A quota: `count` calls per `period`, paced evenly, with an optional burst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    count: NonZeroU32,
    period: Duration,
    burst: NonZeroU32,
}

impl Quota {
    /// `count` calls per second (at least 1), paced one every `1/count` s.
    pub fn per_second(count: u32) -> Quota {
        Quota::per(count, Duration::from_secs(1))
    }

    /// `count` calls per minute (at least 1).
    pub fn per_minute(count: u32) -> Quota {
        Quota::per(count, Duration::from_secs(60))
    }

    /// `count` calls per `period`.
    pub fn per(count: u32, period: Duration) -> Quota {
        Quota { count: NonZeroU32::new(count.max(1)).unwrap_or(NonZeroU32::MIN), period, burst: NonZeroU32::MIN }
    }

    /// Lets up to `burst` calls go at once after a quiet spell. The default, 1, paces calls
    /// evenly, which keeps any window of `period` under the server's count.
    pub fn with_burst(mut self, burst: u32) -> Quota {
        self.burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
        self
    }

    /// Calls allowed per period.
    pub fn count(&self) -> u32 {
        self.count.get()
    }

    /// The period.
    pub fn period(&self) -> Duration {
        self.period
    }

    /// Calls allowed at once after a quiet spell.
    pub fn burst(&self) -> u32 {
        self.burst.get()
    }

    fn to_governor(self) -> governor::Quota {
        let interval = (self.period / self.count.get()).max(Duration::from_nanos(1));
        governor::Quota::with_period(interval).expect("a non-zero interval").allow_burst(self.burst)
    }
}

/// A monotonic clock on tokio's time, so paused-time tests drive the limiter too.
#[derive(Debug, Clone)]
struct TokioClock {
    origin: tokio::time::Instant,
}

impl governor::clock::Clock for TokioClock {
    type Instant = Duration;
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// One key's pacing and hold.
struct Entry {
    pacing: Option<Direct>,
    held_until: Mutex<Option<Duration>>,
}

type Direct = governor::RateLimiter<
    governor::state::NotKeyed,
    governor::state::InMemoryState,
    TokioClock,
    governor::middleware::NoOpMiddleware<Duration>,
>;

/// An in-process limiter with one quota per key (scope and endpoint; the platform is the
/// client's own), built on `governor`'s GCRA.
///
/// ```
/// use tx_core::rate_limit::{LocalRateLimiter, Quota};
/// let limiter = LocalRateLimiter::new(Some(Quota::per_second(200)))
///     .endpoint_quota("v4/sns/friend_import", Some(Quota::per_second(100)))
///     .endpoint_quota("v4/sns/black_list_get", None); // unlimited
/// ```
pub struct LocalRateLimiter {
    default: Option<Quota>,
    per_endpoint: HashMap<String, Option<Quota>>,
    limiters: Mutex<HashMap<(String, String), Arc<Entry>>>,
    clock: TokioClock,
}

impl fmt::Debug for LocalRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalRateLimiter")
            .field("default", &self.default)
            .field("per_endpoint", &self.per_endpoint)
            .finish_non_exhaustive()
    }
}

impl LocalRateLimiter {
    /// A limiter applying `default` to every (scope, endpoint); `None` means unlimited.
    pub fn new(default: Option<Quota>) -> Self {
        LocalRateLimiter {
            default,
            per_endpoint: HashMap::new(),
            limiters: Mutex::new(HashMap::new()),
            clock: TokioClock { origin: tokio::time::Instant::now() },
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

    fn entry(&self, key: &RateKey) -> Arc<Entry> {
        let mut map = self.limiters.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map.entry((key.scope.clone(), key.endpoint.clone())).or_insert_with(|| {
            let pacing = self
                .quota_for(&key.endpoint)
                .map(|q| governor::RateLimiter::direct_with_clock(q.to_governor(), self.clock.clone()));
            Arc::new(Entry { pacing, held_until: Mutex::new(None) })
        });
        Arc::clone(entry)
    }
}

impl Entry {
    /// How long until a permit, consuming it if there is one now.
    fn try_take(&self, now: Duration) -> Option<Duration> {
        let held = *self.held_until.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(until) = held.filter(|until| *until > now) {
            return Some(until - now);
        }
        match &self.pacing {
            None => None,
            Some(pacing) => pacing.check().err().map(|not_until| not_until.wait_time_from(now)),
        }
    }
}

#[async_trait]
impl RateLimiter for LocalRateLimiter {
    async fn acquire(&self, key: &RateKey, max_wait: Duration) -> Result<(), Duration> {
        let entry = self.entry(key);
        loop {
            match entry.try_take(self.clock.now()) {
                None => return Ok(()),
                Some(wait) if wait > max_wait => return Err(wait),
                Some(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    async fn hold(&self, key: &RateKey, duration: Duration) {
        let entry = self.entry(key);
        let until = self.clock.now() + duration;
        let mut held = entry.held_until.lock().unwrap_or_else(|p| p.into_inner());
        if held.is_none_or(|h| h < until) {
            *held = Some(until);
        }
    }

    fn quota(&self, key: &RateKey) -> Option<Quota> {
        self.quota_for(&key.endpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::Instant;

    const FOREVER: Duration = Duration::MAX;

    fn key(scope: &str, endpoint: &str) -> RateKey {
        RateKey::new("tim", scope, endpoint)
    }

    fn add() -> RateKey {
        key("1400000000", "v4/sns/black_list_add")
    }

    async fn permits_within(limiter: &LocalRateLimiter, key: RateKey, window: Duration) -> u32 {
        let start = Instant::now();
        let mut n = 0;
        loop {
            limiter.acquire(&key, FOREVER).await.unwrap();
            if start.elapsed() >= window {
                return n;
            }
            n += 1;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn paces_to_the_quota() {
        let limiter = LocalRateLimiter::new(Some(Quota::per_second(200)));
        let n = permits_within(&limiter, add(), Duration::from_secs(5)).await;
        assert_eq!(n, 1000);
    }

    #[tokio::test(start_paused = true)]
    async fn scopes_and_endpoints_have_separate_quotas() {
        let limiter = LocalRateLimiter::new(Some(Quota::per_second(10)));
        let other_app = key("1400000001", "v4/sns/black_list_add");
        let other_endpoint = key("1400000000", "v4/sns/black_list_check");
        let (a, b, c) = tokio::join!(
            permits_within(&limiter, add(), Duration::from_secs(1)),
            permits_within(&limiter, other_app, Duration::from_secs(1)),
            permits_within(&limiter, other_endpoint, Duration::from_secs(1)),
        );
        assert_eq!((a, b, c), (10, 10, 10));
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_quota() {
        let limiter = Arc::new(LocalRateLimiter::new(Some(Quota::per_second(100))));
        let start = Instant::now();
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let l = Arc::clone(&limiter);
                tokio::spawn(async move {
                    for _ in 0..10 {
                        l.acquire(&add(), FOREVER).await.unwrap();
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        // 200 permits at 100/s, the first immediate: 1.99 s of virtual time.
        assert_eq!(start.elapsed().as_millis(), 1990);
    }

    #[tokio::test(start_paused = true)]
    async fn endpoint_overrides_and_unlimited() {
        let limiter = LocalRateLimiter::new(None).endpoint_quota("slow", Some(Quota::per_minute(6)));
        let start = Instant::now();
        for _ in 0..1000 {
            limiter.acquire(&add(), FOREVER).await.unwrap();
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "no default quota: unlimited");
        let slow = key("s", "slow");
        for _ in 0..3 {
            limiter.acquire(&slow, FOREVER).await.unwrap();
        }
        assert_eq!(start.elapsed(), Duration::from_secs(20));
    }

    #[tokio::test(start_paused = true)]
    async fn bursts_are_opt_in() {
        let limiter = LocalRateLimiter::new(Some(Quota::per_second(10).with_burst(5)));
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire(&add(), FOREVER).await.unwrap();
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire(&add(), FOREVER).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_millis(100));
    }

    #[tokio::test(start_paused = true)]
    async fn a_permit_further_away_than_allowed_is_refused_without_waiting() {
        let limiter = LocalRateLimiter::new(Some(Quota::per_second(1)));
        limiter.acquire(&add(), Duration::ZERO).await.unwrap();
        let start = Instant::now();
        assert_eq!(limiter.acquire(&add(), Duration::from_millis(500)).await, Err(Duration::from_secs(1)));
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire(&add(), Duration::from_secs(1)).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_secs(1), "the refused attempt consumed nothing");
    }

    #[tokio::test(start_paused = true)]
    async fn a_hold_stops_one_key_until_it_ends() {
        let limiter = LocalRateLimiter::new(None);
        let held = add();
        limiter.hold(&held, Duration::from_secs(300)).await;
        limiter.hold(&held, Duration::from_secs(10)).await; // a shorter hold does not shorten it
        assert_eq!(limiter.acquire(&held, Duration::from_secs(60)).await, Err(Duration::from_secs(300)));
        let start = Instant::now();
        limiter.acquire(&key("1400000000", "v4/sns/black_list_check"), Duration::ZERO).await.unwrap();
        limiter.acquire(&held, FOREVER).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_secs(300));
        limiter.acquire(&held, Duration::ZERO).await.unwrap();
    }
}
