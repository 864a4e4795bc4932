//! Counters per endpoint: what the server saw and what it answered.
//!
//! Memory stays bounded whatever clients send: at most [`MAX_ENDPOINTS`] endpoints are
//! counted one by one, and requests to further endpoints (unknown paths) are counted
//! together under [`OTHER_ENDPOINTS`]; each endpoint keeps the global parameters of its
//! last [`RECENT_CALLS`] Ads calls only.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

/// The most endpoints counted one by one.
pub const MAX_ENDPOINTS: usize = 1024;
/// The key under which requests to endpoints beyond [`MAX_ENDPOINTS`] are counted.
pub const OTHER_ENDPOINTS: &str = "(other)";
/// How many recent Ads calls each endpoint remembers.
pub const RECENT_CALLS: usize = 32;

/// The global parameters an Ads request carried (as sent; absent ones are `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AdsCall {
    /// The `nonce` query parameter.
    pub nonce: Option<String>,
    /// The `timestamp` query parameter.
    pub timestamp: Option<String>,
}

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
    /// Answers that refused a call for a rate limit or quota: TIM 60007; WeChat ret
    /// 1737, errcode 45009 and 45011; Ads 11016, 11017 and 11018.
    #[serde(default)]
    pub throttled: u64,
    /// Ads only: the `nonce` and `timestamp` of the last [`RECENT_CALLS`] requests, oldest
    /// first (faulted ones included), so a test can check that a retry sent fresh ones.
    #[serde(default, skip_serializing_if = "VecDeque::is_empty")]
    pub recent_calls: VecDeque<AdsCall>,
}

/// A snapshot of every endpoint's counters, keyed by endpoint identifier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Counters per endpoint identifier (e.g. `v4/sns/black_list_check`).
    pub endpoints: BTreeMap<String, EndpointStats>,
    /// WeChat token fetches that issued a token, by `"<kind>/<appid>"`, kind being
    /// `component_access_token` or `authorizer_access_token` (`api_authorizer_token` and
    /// `api_query_auth`).
    #[serde(default)]
    pub token_fetches: BTreeMap<String, u64>,
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

    /// How many tokens of `kind` (`component_access_token` or `authorizer_access_token`)
    /// were issued for `appid`.
    pub fn token_fetches(&self, kind: &str, appid: &str) -> u64 {
        self.token_fetches.get(&format!("{kind}/{appid}")).copied().unwrap_or(0)
    }
}

/// Whether `code` refuses a call for a rate limit or quota on some platform.
fn is_throttle(code: i64) -> bool {
    matches!(code, 60007 | 1737 | 45009 | 45011 | 11016 | 11017 | 11018)
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
        let key = if stats.endpoints.len() < MAX_ENDPOINTS || stats.endpoints.contains_key(endpoint) {
            endpoint
        } else {
            OTHER_ENDPOINTS
        };
        let entry = match stats.endpoints.get_mut(key) {
            Some(e) => e,
            None => stats.endpoints.entry(key.to_owned()).or_default(),
        };
        f(entry)
    }

    /// Remembers an Ads call's global parameters.
    pub fn ads_call(&self, endpoint: &str, call: AdsCall) {
        self.with(endpoint, |e| {
            if e.recent_calls.len() == RECENT_CALLS {
                e.recent_calls.pop_front();
            }
            e.recent_calls.push_back(call);
        });
    }

    /// Counts an issued WeChat token.
    pub fn token_fetch(&self, kind: &str, appid: &str) {
        let mut stats = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        // Appids are seeded or pushed, so this map is as bounded as the authorizers.
        *stats.token_fetches.entry(format!("{kind}/{appid}")).or_default() += 1;
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
                if is_throttle(o.code) {
                    e.throttled += 1;
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
