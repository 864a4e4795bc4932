//! Server-side rate limits on a monotonic clock.
//!
//! Algorithm: fixed windows. Time since the limiter was created (on
//! `tokio::time::Instant`, so paused test time drives it) is cut into windows of
//! `window` length; each key counts its calls in the current window, and a call that
//! would make the count exceed `limit` is refused. A refused call does not count. With a
//! `penalty`, a refusal also bars the key until `penalty` after that refusal (Tencent Ads:
//! "stop calling that endpoint; it recovers automatically after 5 minutes").

use std::collections::HashMap;
use std::hash::Hash;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug)]
struct Slot {
    window: u64,
    count: u32,
    barred_until: Option<Instant>,
}

/// The verdict on one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub allowed: bool,
    /// Calls left in this window after this one, as a percentage of the limit.
    pub remaining_percent: u32,
}

#[derive(Debug)]
pub(crate) struct FixedWindow<K> {
    origin: Instant,
    window: Duration,
    slots: HashMap<K, Slot>,
}

impl<K: Hash + Eq> FixedWindow<K> {
    pub fn new(window: Duration) -> Self {
        FixedWindow { origin: Instant::now(), window, slots: HashMap::new() }
    }

    /// Counts a call for `key` against `limit` calls per window; a refusal bars the key
    /// for `penalty` when given.
    pub fn check(&mut self, key: K, limit: u32, penalty: Option<Duration>) -> Verdict {
        let now = Instant::now();
        let window = (now.duration_since(self.origin).as_nanos() / self.window.as_nanos().max(1)) as u64;
        let slot = self.slots.entry(key).or_insert(Slot { window, count: 0, barred_until: None });
        if slot.window != window {
            slot.window = window;
            slot.count = 0;
        }
        if let Some(until) = slot.barred_until {
            if now < until {
                return Verdict { allowed: false, remaining_percent: 0 };
            }
            slot.barred_until = None;
        }
        if slot.count >= limit {
            if let Some(p) = penalty {
                slot.barred_until = Some(now + p);
            }
            return Verdict { allowed: false, remaining_percent: 0 };
        }
        slot.count += 1;
        let left = u64::from(limit - slot.count) * 100 / u64::from(limit.max(1));
        Verdict { allowed: true, remaining_percent: left as u32 }
    }

    /// Changes the window length; counts start over when it differs.
    pub fn set_window(&mut self, window: Duration) {
        if window != self.window {
            self.window = window;
            self.clear();
        }
    }

    pub fn clear(&mut self) {
        self.slots.clear();
        self.origin = Instant::now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn counts_per_window_and_key() {
        let mut rl = FixedWindow::new(Duration::from_secs(1));
        for _ in 0..3 {
            assert!(rl.check("a", 3, None).allowed);
        }
        assert!(!rl.check("a", 3, None).allowed);
        assert!(rl.check("b", 3, None).allowed, "keys are independent");
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(rl.check("a", 3, None).allowed, "a new window starts afresh");
    }

    #[tokio::test(start_paused = true)]
    async fn a_penalty_bars_the_key_after_a_refusal() {
        let mut rl = FixedWindow::new(Duration::from_secs(60));
        let p = Some(Duration::from_secs(300));
        assert_eq!(rl.check(1, 2, p).remaining_percent, 50);
        assert!(rl.check(1, 2, p).allowed);
        assert!(!rl.check(1, 2, p).allowed);
        tokio::time::advance(Duration::from_secs(61)).await;
        assert!(!rl.check(1, 2, p).allowed, "still barred in the next window");
        tokio::time::advance(Duration::from_secs(240)).await;
        assert!(rl.check(1, 2, p).allowed, "recovers after the penalty");
    }
}
