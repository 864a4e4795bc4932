//! The `timestamp` and `nonce` every request carries, fresh on every attempt.
//!
//! The server refuses a nonce it has seen (12100) and a timestamp more than 300 s away from
//! its clock (12101), so each attempt, retries included, takes a new [`AttemptStamp`].
//!
//! ```
//! use tencent_ads::nonce::AttemptStamp;
//! use tx_core::clock::ManualClock;
//!
//! let clock = ManualClock::new(1_494_840_119);
//! let first = AttemptStamp::new(&clock);
//! let retry = AttemptStamp::new(&clock);
//! assert_eq!(first.timestamp, 1_494_840_119);
//! assert_eq!(first.nonce.len(), 32);
//! assert_ne!(first.nonce, retry.nonce);
//! ```

use crate::query::{QueryArg, QueryPairs};
use std::time::Duration;
use tx_core::clock::Clock;
use uuid::Uuid;

/// The largest clock difference the server accepts: 300 s either way.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(300);

/// A fresh nonce: a random (version 4) UUID in simple form, 32 lowercase hex digits, the
/// longest nonce the API accepts.
pub fn new_nonce() -> String {
    Uuid::new_v4().simple().to_string()
}

/// The `timestamp` parameter: Unix seconds of `clock`.
pub fn timestamp(clock: &dyn Clock) -> u64 {
    clock.unix_now()
}

/// The `timestamp` and `nonce` of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttemptStamp {
    /// Unix seconds.
    pub timestamp: u64,
    /// 32 hex digits, never used before.
    pub nonce: String,
}

impl AttemptStamp {
    /// The stamp of an attempt made now.
    pub fn new(clock: &dyn Clock) -> AttemptStamp {
        AttemptStamp { timestamp: timestamp(clock), nonce: new_nonce() }
    }

    /// The `timestamp` and `nonce` query parameters.
    pub fn query_pairs(&self) -> QueryPairs<'_> {
        vec![("timestamp", QueryArg::from(self.timestamp.to_string())), ("nonce", QueryArg::from(self.nonce.as_str()))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::check_nonce;
    use std::collections::HashSet;
    use tx_core::clock::ManualClock;

    #[test]
    fn nonces_are_32_hex_digits_and_do_not_repeat() {
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let n = new_nonce();
            assert_eq!(n.len(), 32, "{n}");
            assert!(n.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{n}");
            check_nonce(&n).unwrap();
            assert!(seen.insert(n));
        }
    }

    #[test]
    fn stamps_follow_the_clock_and_renew_the_nonce() {
        let clock = ManualClock::new(1_700_000_000);
        let a = AttemptStamp::new(&clock);
        clock.advance(2);
        let b = AttemptStamp::new(&clock);
        assert_eq!((a.timestamp, b.timestamp), (1_700_000_000, 1_700_000_002));
        assert_ne!(a.nonce, b.nonce);
        let pairs = b.query_pairs();
        let text: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.expose())).collect();
        assert_eq!(text, [("timestamp", "1700000002"), ("nonce", b.nonce.as_str())]);
    }
}
