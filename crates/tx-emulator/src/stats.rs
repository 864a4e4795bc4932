//! Counters per endpoint: what the server saw and what it answered.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Counters of one endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EndpointStats {
    /// Requests received (faulted ones included).
    pub requests: u64,
    /// Requests answered with the platform's success code (0).
    pub ok: u64,
    /// Requests answered with a platform error code, by code (TIM `ErrorCode`, WeChat
    /// `errcode` or `ret`, Ads `code`), injected codes included.
    pub errors: BTreeMap<i64, u64>,
    /// Failed items inside successful batch answers (TIM `ResultCode`), by code.
    pub item_errors: BTreeMap<i64, u64>,
    /// Answers with a non-2xx HTTP status, by status.
    pub http_errors: BTreeMap<u16, u64>,
    /// Faults injected, by [`crate::Fault::label`].
    pub faults: BTreeMap<String, u64>,
}

/// A snapshot of every endpoint's counters, keyed by endpoint identifier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Counters per endpoint identifier (e.g. `v4/sns/black_list_check`).
    pub endpoints: BTreeMap<String, EndpointStats>,
}

impl Stats {
    /// The counters of `endpoint`, zero if it saw no request.
    pub fn endpoint(&self, endpoint: &str) -> EndpointStats {
        self.endpoints.get(endpoint.trim_start_matches('/')).cloned().unwrap_or_default()
    }

    /// Requests received by all endpoints.
    pub fn total_requests(&self) -> u64 {
        self.endpoints.values().map(|e| e.requests).sum()
    }
}

/// What a handler answered, attached to its response for the counters.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    /// The platform code of the whole answer (0 = success).
    pub code: i64,
    /// Codes of failed items.
    pub item_codes: Vec<i64>,
}

#[derive(Debug, Default)]
pub(crate) struct StatsRecorder {
    inner: Mutex<Stats>,
}

impl StatsRecorder {
    fn with<R>(&self, endpoint: &str, f: impl FnOnce(&mut EndpointStats) -> R) -> R {
        let mut stats = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let entry = match stats.endpoints.get_mut(endpoint) {
            Some(e) => e,
            None => stats.endpoints.entry(endpoint.to_owned()).or_default(),
        };
        f(entry)
    }

    pub fn request(&self, endpoint: &str) {
        self.with(endpoint, |e| e.requests += 1);
    }

    pub fn fault(&self, endpoint: &str, label: String) {
        self.with(endpoint, |e| *e.faults.entry(label).or_default() += 1);
    }

    pub fn answered(&self, endpoint: &str, status: u16, outcome: Option<&Outcome>) {
        self.with(endpoint, |e| {
            if !(200..300).contains(&status) {
                *e.http_errors.entry(status).or_default() += 1;
            }
            if let Some(o) = outcome {
                if o.code == 0 {
                    e.ok += 1;
                } else {
                    *e.errors.entry(o.code).or_default() += 1;
                }
                for c in &o.item_codes {
                    *e.item_errors.entry(*c).or_default() += 1;
                }
            }
        });
    }

    pub fn snapshot(&self) -> Stats {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn clear(&self) {
        *self.inner.lock().unwrap_or_else(|e| e.into_inner()) = Stats::default();
    }
}
