//! How the wait helpers poll: exponential backoff from about 2 s to about 30 s, within an
//! overall timeout, every poll through the client's rate limit.

use std::time::Duration;
use tx_core::Error;

/// The schedule of [`crate::Watermarks::add_and_wait`], [`crate::MaterialTasks::wait`] and
/// their kin: the first poll `first_poll` after submission, then intervals doubling up to
/// `max_interval`, until everything is done or `timeout` (counted from the start of the
/// call) has passed.
///
/// ```
/// use std::time::Duration;
/// use tencent_ads::WaitOptions;
/// let wait = WaitOptions::default().with_timeout(Duration::from_secs(120));
/// assert_eq!(wait.first_poll(), Duration::from_secs(2));
/// let intervals: Vec<u64> = (0..6).map(|n| wait.interval(n).as_secs()).collect();
/// assert_eq!(intervals, [2, 4, 8, 16, 30, 30]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    first_poll: Duration,
    max_interval: Duration,
    timeout: Duration,
}

/// The first poll 2 s after submission (a documented sample finished in 3 s), intervals
/// doubling to 30 s, a 10-minute timeout.
impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            first_poll: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
            timeout: Duration::from_secs(600),
        }
    }
}

impl WaitOptions {
    /// The wait before the first poll (at least 1 ms).
    pub fn with_first_poll(mut self, wait: Duration) -> Self {
        self.first_poll = wait.max(Duration::from_millis(1));
        self.max_interval = self.max_interval.max(self.first_poll);
        self
    }

    /// The longest interval between two polls of the same thing (at least the first wait).
    pub fn with_max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval.max(self.first_poll);
        self
    }

    /// How long the call may wait in all, from its start. Things still unfinished then
    /// are reported as timed out.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The wait before the first poll.
    pub fn first_poll(&self) -> Duration {
        self.first_poll
    }

    /// The longest interval between polls.
    pub fn max_interval(&self) -> Duration {
        self.max_interval
    }

    /// The overall timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The wait after the `unfinished`-th poll that found something still processing (0:
    /// the wait before the first poll): `first_poll × 2ⁿ`, at most `max_interval`.
    pub fn interval(&self, unfinished: u32) -> Duration {
        let factor = 1u32.checked_shl(unfinished).unwrap_or(u32::MAX);
        self.first_poll.saturating_mul(factor).min(self.max_interval)
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if self.timeout.is_zero() {
            return Err(Error::invalid_input("timeout", "must be more than zero"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        let w = WaitOptions::default()
            .with_first_poll(Duration::from_millis(500))
            .with_max_interval(Duration::from_secs(3));
        let ms: Vec<u128> = (0..5).map(|n| w.interval(n).as_millis()).collect();
        assert_eq!(ms, [500, 1000, 2000, 3000, 3000]);
        assert_eq!(w.interval(200), Duration::from_secs(3));
        let w = WaitOptions::default().with_max_interval(Duration::from_secs(1));
        assert_eq!(w.max_interval(), Duration::from_secs(2), "never below the first wait");
        assert_eq!(WaitOptions::default().with_first_poll(Duration::ZERO).first_poll(), Duration::from_millis(1));
        assert_eq!(
            WaitOptions::default().with_timeout(Duration::ZERO).validate().unwrap_err().field(),
            Some("timeout")
        );
    }
}
