//! Client-side quotas, so a busy client stays under the platform's limits instead of
//! collecting throttling errors.
//!
//! The [`RateLimiter`] trait is small so that a limiter shared between processes (e.g. in
//! Redis) can replace the in-process [`LocalRateLimiter`].

use async_trait::async_trait;
use governor::clock::Clock as _;
use std::collections::HashMap;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a permit is counted against: an app (or account) and an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateKey<'a> {
    /// The app, account or credential scope the quota belongs to (e.g. the SDKAppID).
    pub scope: &'a str,
    /// The endpoint (e.g. `v4/sns/black_list_add`).
    pub endpoint: &'a str,
}

/// Waits for permission to send one request.
#[async_trait]
pub trait RateLimiter: Send + Sync + fmt::Debug {
    /// Returns once one request for `key` may be sent.
    async fn acquire(&self, key: RateKey<'_>);
}

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

type Direct = governor::RateLimiter<
    governor::state::NotKeyed,
    governor::state::InMemoryState,
    TokioClock,
    governor::middleware::NoOpMiddleware<Duration>,
>;

/// An in-process limiter with one quota per (scope, endpoint), built on `governor`'s GCRA.
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
    limiters: Mutex<HashMap<(String, String), Arc<Direct>>>,
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

    fn limiter(&self, key: RateKey<'_>) -> Option<Arc<Direct>> {
        let quota = self.quota_for(key.endpoint)?;
        let mut map = self.limiters.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map.entry((key.scope.to_owned(), key.endpoint.to_owned())).or_insert_with(|| {
            Arc::new(governor::RateLimiter::direct_with_clock(quota.to_governor(), self.clock.clone()))
        });
        Some(Arc::clone(entry))
    }
}

#[async_trait]
impl RateLimiter for LocalRateLimiter {
    async fn acquire(&self, key: RateKey<'_>) {
        let Some(limiter) = self.limiter(key) else { return };
        loop {
            match limiter.check() {
                Ok(()) => return,
                Err(not_until) => tokio::time::sleep(not_until.wait_time_from(self.clock.now())).await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::Instant;

    const KEY: RateKey<'static> = RateKey { scope: "1400000000", endpoint: "v4/sns/black_list_add" };

    async fn permits_within(limiter: &LocalRateLimiter, key: RateKey<'_>, window: Duration) -> u32 {
        let start = Instant::now();
        let mut n = 0;
        loop {
            limiter.acquire(key).await;
            if start.elapsed() >= window {
                return n;
            }
            n += 1;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn paces_to_the_quota() {
        let limiter = LocalRateLimiter::new(Some(Quota::per_second(200)));
        let n = permits_within(&limiter, KEY, Duration::from_secs(5)).await;
        assert_eq!(n, 1000);
    }

    #[tokio::test(start_paused = true)]
    async fn scopes_and_endpoints_have_separate_quotas() {
        let limiter = LocalRateLimiter::new(Some(Quota::per_second(10)));
        let other_app = RateKey { scope: "1400000001", ..KEY };
        let other_endpoint = RateKey { endpoint: "v4/sns/black_list_check", ..KEY };
        let (a, b, c) = tokio::join!(
            permits_within(&limiter, KEY, Duration::from_secs(1)),
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
                        l.acquire(KEY).await;
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
            limiter.acquire(KEY).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "no default quota: unlimited");
        let slow = RateKey { scope: "s", endpoint: "slow" };
        for _ in 0..3 {
            limiter.acquire(slow).await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(20));
    }

    #[tokio::test(start_paused = true)]
    async fn bursts_are_opt_in() {
        let limiter = LocalRateLimiter::new(Some(Quota::per_second(10).with_burst(5)));
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire(KEY).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire(KEY).await;
        assert_eq!(start.elapsed(), Duration::from_millis(100));
    }
}
