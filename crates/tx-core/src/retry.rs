//! When to try a call again, and how long to wait first.
//!
//! Classification lives in response bodies (TIM `ErrorCode`, WeChat `ret`, Ads `code`), so
//! each platform maps its codes to a [`Verdict`]; this module turns a verdict, the call's
//! [`Idempotency`] and the [`RetryPolicy`] into a decision.

use crate::error::Error;
use std::time::Duration;

/// Whether repeating a call can apply its effect twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Reads, and writes that set state (`set_*`, blocklist add/delete): safe to repeat.
    Idempotent,
    /// Writes that create (e.g. `agency_create_adunit`): retried only when the failure
    /// proves the request was not processed (refused connection, throttled, bad credentials).
    NotIdempotent,
}

/// What a failed attempt means for the next one. Platforms map their codes to this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A transient failure (internal error, timeout, 5xx). Whether the server processed
    /// the request is unknown, so only idempotent calls repeat it.
    Retry {
        /// A wait the platform prescribes, if any.
        after: Option<Duration>,
    },
    /// Refused for frequency before processing: any call may repeat after waiting.
    Throttled {
        /// A wait the platform prescribes (e.g. WeChat 1737: about a minute).
        after: Option<Duration>,
    },
    /// Credentials refused (expired UserSig, stale token): invalidate them, get fresh ones
    /// and try once more. Never loops.
    RefreshAuth,
    /// The server refused this attempt's one-time values before processing it (Ads: the
    /// nonce was used, the timestamp is too far off): send once more at once with fresh
    /// ones, even if the call is not idempotent. Never loops.
    ResendOnce,
    /// Trying again will not help.
    Permanent,
}

/// How jittered the backoff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    /// Uniform in `[0, backoff]` (AWS's "full jitter"): spreads retrying clients apart.
    Full,
    /// Exactly the exponential backoff. For tests and single clients.
    None,
}

/// Limits on retrying: attempts, exponential backoff, a cap, and a deadline for the call.
///
/// ```
/// use std::time::Duration;
/// use tx_core::RetryPolicy;
/// let policy = RetryPolicy::default()
///     .with_max_attempts(5)
///     .with_backoff(Duration::from_millis(100), Duration::from_secs(5))
///     .with_deadline(Duration::from_secs(30));
/// assert_eq!(policy.max_attempts(), 5);
/// assert_eq!(policy.deadline(), Some(Duration::from_secs(30)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    deadline: Option<Duration>,
    max_server_wait: Duration,
    jitter: Jitter,
}

impl Default for RetryPolicy {
    /// 4 attempts, backoff from 200 ms doubling to at most 10 s with full jitter, a 60 s
    /// deadline per call, and server-prescribed waits honoured up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            deadline: Some(Duration::from_secs(60)),
            max_server_wait: Duration::from_secs(60),
            jitter: Jitter::Full,
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    RetryAfter(Duration),
    RefreshAndRetry,
    GiveUp,
}

/// What a call has been through when an attempt fails.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct History {
    /// The attempt that just failed, from 1.
    pub attempt: u32,
    /// Credentials were already refreshed once.
    pub refreshed_auth: bool,
    /// The call was already resent once with fresh one-time values.
    pub resent: bool,
    /// Time since the call began.
    pub elapsed: Duration,
}

impl RetryPolicy {
    /// One attempt, no retries (a credential refresh still gets its single retry).
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// Total attempts per call, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Backoff before retry `n` is `min(max, initial × 2ⁿ⁻¹)`, jittered.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Gives up once a retry's wait would end past this much time after the call began.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// No overall deadline.
    pub fn without_deadline(mut self) -> Self {
        self.deadline = None;
        self
    }

    /// The longest server-prescribed wait honoured; a longer one fails the call at once
    /// with [`Error::retry_after`] set, rather than sleeping for minutes.
    pub fn with_max_server_wait(mut self, wait: Duration) -> Self {
        self.max_server_wait = wait;
        self
    }

    /// Sets the jitter.
    pub fn with_jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// The configured attempt limit.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The configured deadline.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The longest server-prescribed wait honoured.
    pub fn max_server_wait(&self) -> Duration {
        self.max_server_wait
    }

    /// The backoff before retry number `retry` (1 = the first retry), before jitter.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX);
        self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
    }

    /// The wait before retry number `retry`, with the policy's jitter.
    pub fn jittered(&self, retry: u32) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        match self.jitter {
            Jitter::None => ceiling,
            Jitter::Full => ceiling.mul_f64(fastrand::f64()),
        }
    }

    /// Decides after an attempt failed with `error`, classified as `verdict`.
    pub(crate) fn decide(
        &self,
        verdict: Verdict,
        error: &Error,
        idempotency: Idempotency,
        history: History,
    ) -> Decision {
        let after = match verdict {
            Verdict::Permanent => return Decision::GiveUp,
            Verdict::RefreshAuth if history.refreshed_auth => return Decision::GiveUp,
            Verdict::RefreshAuth => return Decision::RefreshAndRetry,
            Verdict::ResendOnce if history.resent => return Decision::GiveUp,
            Verdict::ResendOnce => return Decision::RetryAfter(Duration::ZERO),
            Verdict::Retry { after } => {
                if idempotency == Idempotency::NotIdempotent && !error.request_not_sent() {
                    return Decision::GiveUp;
                }
                after
            }
            Verdict::Throttled { after } => after,
        };
        if history.attempt >= self.max_attempts {
            return Decision::GiveUp;
        }
        let wait = match after {
            Some(prescribed) if prescribed > self.max_server_wait => return Decision::GiveUp,
            Some(prescribed) => prescribed,
            None => self.jittered(history.attempt),
        };
        if self.deadline.is_some_and(|deadline| history.elapsed + wait >= deadline) {
            return Decision::GiveUp;
        }
        Decision::RetryAfter(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn api_error() -> Error {
        Error::api(ErrorKind::Api, 30006, "internal")
    }

    fn exact() -> RetryPolicy {
        RetryPolicy::default()
            .with_jitter(Jitter::None)
            .with_backoff(Duration::from_millis(100), Duration::from_secs(1))
    }

    fn at(attempt: u32) -> History {
        History { attempt, ..History::default() }
    }

    const RETRY: Verdict = Verdict::Retry { after: None };

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = exact();
        let ceilings: Vec<u64> = (1..=6).map(|n| p.backoff_ceiling(n).as_millis() as u64).collect();
        assert_eq!(ceilings, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(p.backoff_ceiling(200), Duration::from_secs(1));
    }

    #[test]
    fn full_jitter_stays_under_the_ceiling() {
        let p = exact().with_jitter(Jitter::Full);
        for n in 1..10 {
            assert!(p.jittered(n) <= p.backoff_ceiling(n));
        }
    }

    #[test]
    fn transient_failures_retry_until_attempts_run_out() {
        let p = exact().with_max_attempts(3);
        let e = api_error();
        let d = |attempt| p.decide(RETRY, &e, Idempotency::Idempotent, at(attempt));
        assert_eq!(d(1), Decision::RetryAfter(Duration::from_millis(100)));
        assert_eq!(d(2), Decision::RetryAfter(Duration::from_millis(200)));
        assert_eq!(d(3), Decision::GiveUp);
    }

    #[test]
    fn non_idempotent_calls_retry_only_when_the_request_was_not_processed() {
        let p = exact();
        let ambiguous = api_error();
        assert_eq!(p.decide(RETRY, &ambiguous, Idempotency::NotIdempotent, at(1)), Decision::GiveUp);
        let refused = Error::invalid_input("x", "y"); // stands for any error marked not-sent
        assert!(refused.request_not_sent());
        assert!(matches!(p.decide(RETRY, &refused, Idempotency::NotIdempotent, at(1)), Decision::RetryAfter(_)));
        let throttled = Verdict::Throttled { after: None };
        assert!(matches!(p.decide(throttled, &ambiguous, Idempotency::NotIdempotent, at(1)), Decision::RetryAfter(_)));
    }

    #[test]
    fn auth_refresh_happens_once_even_without_retries() {
        let p = RetryPolicy::none();
        let e = api_error();
        assert_eq!(p.decide(Verdict::RefreshAuth, &e, Idempotency::NotIdempotent, at(1)), Decision::RefreshAndRetry);
        assert_eq!(
            p.decide(
                Verdict::RefreshAuth,
                &e,
                Idempotency::Idempotent,
                History { attempt: 2, refreshed_auth: true, ..History::default() }
            ),
            Decision::GiveUp
        );
    }

    #[test]
    fn prescribed_waits_are_honoured_up_to_the_limit() {
        let p = exact().with_max_server_wait(Duration::from_secs(60));
        let e = api_error();
        let wait = |secs| Verdict::Throttled { after: Some(Duration::from_secs(secs)) };
        assert_eq!(
            p.decide(wait(30), &e, Idempotency::Idempotent, at(1)),
            Decision::RetryAfter(Duration::from_secs(30))
        );
        assert_eq!(p.decide(wait(300), &e, Idempotency::Idempotent, at(1)), Decision::GiveUp);
    }

    #[test]
    fn the_deadline_bounds_the_whole_call() {
        let p = exact().with_deadline(Duration::from_secs(2));
        let e = api_error();
        assert!(matches!(
            p.decide(
                RETRY,
                &e,
                Idempotency::Idempotent,
                History { attempt: 1, elapsed: Duration::from_millis(1800), ..History::default() }
            ),
            Decision::RetryAfter(_)
        ));
        assert_eq!(
            p.decide(
                RETRY,
                &e,
                Idempotency::Idempotent,
                History { attempt: 1, elapsed: Duration::from_millis(1950), ..History::default() }
            ),
            Decision::GiveUp
        );
    }

    #[test]
    fn a_resend_with_fresh_values_happens_once_even_for_creates() {
        let e = api_error();
        let once = exact().decide(Verdict::ResendOnce, &e, Idempotency::NotIdempotent, at(1));
        assert_eq!(once, Decision::RetryAfter(Duration::ZERO));
        let again = History { attempt: 2, resent: true, ..History::default() };
        assert_eq!(exact().decide(Verdict::ResendOnce, &e, Idempotency::NotIdempotent, again), Decision::GiveUp);
        // A credential refresh after the resend still gets its own retry.
        assert_eq!(exact().decide(Verdict::RefreshAuth, &e, Idempotency::Idempotent, again), Decision::RefreshAndRetry);
    }

    #[test]
    fn permanent_is_permanent() {
        let e = api_error();
        assert_eq!(exact().decide(Verdict::Permanent, &e, Idempotency::Idempotent, at(1)), Decision::GiveUp);
    }
}
