//! Pacing below a platform's quota, with headroom.

use super::Quota;
use std::time::Duration;

/// The share of a quota left unused by default: 2.5 %.
///
/// A server counts calls in fixed windows as they *arrive*; calls paced evenly at the full
/// quota can still land one too many in a window when some are delayed more than others on
/// the way (scheduling on a busy host, network jitter). At 200 calls/s, five spare calls
/// absorb about 25 ms of such spread.
pub const DEFAULT_HEADROOM: f64 = 0.025;

/// The [`Quota`] that paces `count` calls per `period` with `headroom` (a share, 0 to
/// below 1) left unused.
///
/// The budget is the quota less the headroom: the most calls the client lets into any one
/// window if every call arrived exactly when sent. When a second's budget is 40 calls or
/// more the limiter allows a burst of 2: timers fire on 1 ms ticks, so a caller waiting for
/// its slot wakes up to a millisecond late, and with a burst of 1 that lateness is lost on
/// every call (at 5 ms slots, 15 % of the quota). The burst lets the next slot absorb it
/// and costs one call of rate, so that `rate + burst - 1`, the most calls one window can
/// see, stays within the budget.
///
/// ```
/// use std::time::Duration;
/// use tx_core::rate_limit::{DEFAULT_HEADROOM, paced};
/// let q = paced(200, Duration::from_secs(1), DEFAULT_HEADROOM);
/// assert_eq!((q.count(), q.burst()), (194, 2)); // 195 at most in any second
/// let q = paced(60, Duration::from_secs(60), DEFAULT_HEADROOM);
/// assert_eq!((q.count(), q.burst()), (58, 1));
/// ```
pub fn paced(count: u32, period: Duration, headroom: f64) -> Quota {
    let headroom = headroom.clamp(0.0, 0.99);
    let budget = ((f64::from(count) * (1.0 - headroom)).floor() as u32).max(1);
    let per_second = f64::from(budget) / period.as_secs_f64().max(f64::MIN_POSITIVE);
    let burst = if per_second >= 40.0 { 2 } else { 1 };
    Quota::per(budget - (burst - 1), period).with_burst(burst)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_second(count: u32, headroom: f64) -> (u32, u32) {
        let q = paced(count, Duration::from_secs(1), headroom);
        (q.count(), q.burst())
    }

    #[test]
    fn pacing_leaves_headroom() {
        assert_eq!(per_second(200, DEFAULT_HEADROOM), (194, 2));
        assert_eq!(per_second(200, 0.0), (199, 2));
        assert_eq!(per_second(1000, 0.025), (974, 2));
        assert_eq!(per_second(10, 0.0), (10, 1));
        assert_eq!(per_second(10, 0.025), (9, 1));
        assert_eq!(per_second(1, 0.5), (1, 1));
    }

    #[test]
    fn minute_quotas_pace_by_their_rate_per_second() {
        let q = paced(60, Duration::from_secs(60), 0.0);
        assert_eq!((q.count(), q.burst(), q.period()), (60, 1, Duration::from_secs(60)));
        // 6000 a minute is 100 a second: timer granularity matters as for per-second quotas.
        let q = paced(6000, Duration::from_secs(60), 0.025);
        assert_eq!((q.count(), q.burst()), (5849, 2));
    }
}
