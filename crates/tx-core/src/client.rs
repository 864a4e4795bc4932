//! What every platform client is built from: the shared HTTP client, the retry policy, the
//! rate limiter, the token store, the clock, how many chunks a batch sends at once, and
//! the state shared with other processes (Redis, feature `redis`).
//!
//! A platform's `ClientBuilder` holds a [`CoreBuilder`] in a field named `core` and gets
//! the common settings with [`client_builder_methods!`](crate::client_builder_methods);
//! its `build` turns the core into a [`ClientCore`] with the platform's defaults.

use crate::clock::{SharedClock, SystemClock};
use crate::config::{Config, Key, REDIS_URL};
use crate::error::Error;
use crate::rate_limit::{DEFAULT_HEADROOM, LocalRateLimiter, RateLimiter, paced};
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::token::{MemoryTokenStore, TokenStore};
use crate::transport::HttpConfig;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// The default number of chunks of one batch call in flight at once.
pub const DEFAULT_BATCH_CONCURRENCY: usize = 8;

/// The settings every platform client shares, before they are checked.
#[derive(Debug)]
#[must_use]
pub struct CoreBuilder {
    /// A base URL replacing the platform's hosts (an emulator, a proxy).
    pub endpoint: Option<String>,
    /// A second base URL, used after a connection to the first one fails.
    pub backup_endpoint: Option<String>,
    /// Settings of the HTTP client built for this client.
    pub http_config: HttpConfig,
    /// An HTTP client to use instead of building one (to share its pool).
    pub http_client: Option<reqwest::Client>,
    /// The retry policy of every call.
    pub retry: RetryPolicy,
    /// Calls per quota period; `None` is the platform's default, `Some(None)` no limit.
    pub rate_limit: Option<Option<u32>>,
    /// The share of the quota left unused.
    pub rate_limit_headroom: f64,
    /// A limiter replacing the in-process one (e.g. shared by several processes).
    pub rate_limiter: Option<Arc<dyn RateLimiter>>,
    /// Where tokens are kept (default: this process's memory).
    pub token_store: Option<Arc<dyn TokenStore>>,
    /// The wall clock tokens and signatures are timed by.
    pub clock: Option<SharedClock>,
    /// Chunks of one batch call in flight at once.
    pub batch_concurrency: usize,
    /// A Redis server to share tokens, refreshes and quotas with other processes,
    /// connected when the core is built (feature `redis`).
    pub shared_state_url: Option<SharedStateUrl>,
    /// State shared with other processes, connected already; wins over
    /// [`CoreBuilder::shared_state_url`].
    #[cfg(feature = "redis")]
    pub shared_state: Option<crate::shared::SharedState>,
}

/// A Redis URL for [`CoreBuilder::shared_state_url`], and the setting it came from.
#[derive(Clone)]
pub struct SharedStateUrl {
    url: String,
    setting: String,
}

impl SharedStateUrl {
    /// `url`, set by `setting` (a flag, a variable, a file and line; named in errors). A
    /// password in the URL is masked wherever it would appear (see [`Secret::new`]).
    pub fn new(url: impl Into<String>, setting: impl Into<String>) -> SharedStateUrl {
        let url = url.into();
        mask_password(&url);
        SharedStateUrl { url, setting: setting.into() }
    }

    /// The URL, password included: never show it (the setting's `Debug` does not).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The setting the URL came from.
    pub fn setting(&self) -> &str {
        &self.setting
    }
}

/// Makes the password of `url`, if it has one, a [`Secret`]: masked by value wherever it
/// would appear from now on.
pub(crate) fn mask_password(url: &str) {
    if let Some(password) = Url::parse(url.trim()).ok().and_then(|u| u.password().map(str::to_owned)) {
        drop(Secret::new(password));
    }
}

/// Names the setting only: the URL may hold a password.
impl std::fmt::Debug for SharedStateUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedStateUrl").field("setting", &self.setting).finish_non_exhaustive()
    }
}

impl Default for CoreBuilder {
    fn default() -> Self {
        CoreBuilder {
            endpoint: None,
            backup_endpoint: None,
            http_config: HttpConfig::default(),
            http_client: None,
            retry: RetryPolicy::default(),
            rate_limit: None,
            rate_limit_headroom: DEFAULT_HEADROOM,
            rate_limiter: None,
            token_store: None,
            clock: None,
            batch_concurrency: DEFAULT_BATCH_CONCURRENCY,
            shared_state_url: None,
            #[cfg(feature = "redis")]
            shared_state: None,
        }
    }
}

/// The settings of a platform's [`CoreBuilder`] that come from a [`Config`].
#[derive(Debug, Clone, Copy)]
pub struct CoreKeys {
    /// A base URL replacing the platform's hosts.
    pub endpoint: Key,
    /// Calls per quota period, `off` (or 0) for no client-side limit.
    pub rate_limit: Key,
    /// Time allowed for one request (`30s`, `500ms`).
    pub request_timeout: Key,
    /// Attempts per call, at least 1 (retries are this minus one).
    pub max_attempts: Key,
}

/// A platform's defaults for [`CoreBuilder::build`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlatformDefaults {
    /// The documented (or assumed) quota per period, if the platform has one by default.
    pub rate_limit: Option<u32>,
    /// The period the quota counts over.
    pub rate_period: Duration,
}

impl CoreBuilder {
    /// Takes the endpoint, the rate limit and the shared state's Redis URL from `config`,
    /// where set.
    pub fn configure(&mut self, config: &Config, keys: &CoreKeys) -> Result<(), Error> {
        if let Some(endpoint) = config.string(&keys.endpoint) {
            self.endpoint = Some(endpoint);
        }
        if let Some(limit) = config.parse_with(&keys.rate_limit, parse_rate_limit)? {
            self.rate_limit = Some(limit);
        }
        if let Some(timeout) = config.parse_with(&keys.request_timeout, parse_timeout)? {
            self.http_config = self.http_config.clone().request_timeout(timeout);
        }
        if let Some(attempts) = config.parse_with(&keys.max_attempts, parse_attempts)? {
            self.retry = self.retry.clone().with_max_attempts(attempts);
        }
        self.configure_shared_state(config)
    }

    /// Takes the shared state's Redis URL from `config` ([`REDIS_URL`]: `TX_REDIS_URL`, a
    /// profile's `[redis] url`, or a flag), where set. Checked when the core is built.
    pub fn configure_shared_state(&mut self, config: &Config) -> Result<(), Error> {
        config.check_section("redis", &[REDIS_URL])?;
        if let Some(value) = config.get(&REDIS_URL) {
            self.shared_state_url = Some(SharedStateUrl::new(value.text.trim(), value.origin.to_string()));
        }
        Ok(())
    }

    /// Checks the settings and builds the core with `defaults`. No request is sent; with
    /// shared state set by URL, Redis is asked for a PING (see `tx_core::shared`).
    pub fn build(self, defaults: PlatformDefaults) -> Result<ClientCore, Error> {
        if !(0.0..1.0).contains(&self.rate_limit_headroom) {
            return Err(Error::invalid_input("rate_limit_headroom", "must be at least 0 and below 1"));
        }
        if self.rate_limit == Some(Some(0)) {
            return Err(Error::invalid_input("rate_limit", "must be at least 1 (or off)"));
        }
        let endpoint = match &self.endpoint {
            Some(url) => {
                let backup = self.backup_endpoint.as_deref().map(|u| parse_url("backup_endpoint", u)).transpose()?;
                Some((parse_url("endpoint", url)?, backup))
            }
            None => None,
        };
        let http = match self.http_client {
            Some(client) => client,
            None => self.http_config.build()?,
        };
        let limiter = match (self.rate_limiter, self.rate_limit.unwrap_or(defaults.rate_limit)) {
            (Some(custom), _) => Some(custom),
            (None, Some(count)) => {
                let quota = paced(count, defaults.rate_period, self.rate_limit_headroom);
                Some(Arc::new(LocalRateLimiter::new(Some(quota))) as Arc<dyn RateLimiter>)
            }
            (None, None) => None,
        };
        let explicit_store = self.token_store.is_some();
        let core = ClientCore {
            http,
            retry: self.retry,
            limiter,
            store: self.token_store.unwrap_or_else(|| Arc::new(MemoryTokenStore::new())),
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            batch_concurrency: self.batch_concurrency.max(1),
            endpoint,
        };
        #[cfg(feature = "redis")]
        let shared = match (self.shared_state, self.shared_state_url) {
            (Some(state), _) => Some(state),
            (None, Some(url)) => Some(crate::shared::SharedState::builder(url.url()).setting(url.setting).open()?),
            (None, None) => None,
        };
        #[cfg(feature = "redis")]
        return Ok(match shared {
            Some(shared) => core.shared(&shared, explicit_store),
            None => core,
        });
        #[cfg(not(feature = "redis"))]
        match self.shared_state_url {
            Some(url) => Err(Error::invalid_input(
                url.setting,
                "needs shared state on Redis, which this build lacks: enable the `redis` feature of tx-core (or tx-sdk)",
            )),
            None => {
                let _ = explicit_store;
                Ok(core)
            }
        }
    }
}

/// The checked settings every platform client shares. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ClientCore {
    http: reqwest::Client,
    retry: RetryPolicy,
    limiter: Option<Arc<dyn RateLimiter>>,
    store: Arc<dyn TokenStore>,
    clock: SharedClock,
    batch_concurrency: usize,
    endpoint: Option<(Url, Option<Url>)>,
}

impl ClientCore {
    /// This core with its quotas shared through `shared` (the local limiter, or one that
    /// only holds, still applies after the shared permit) and, unless a store was chosen,
    /// its tokens too.
    #[cfg(feature = "redis")]
    fn shared(mut self, shared: &crate::shared::SharedState, keep_store: bool) -> ClientCore {
        let local = self.limiter.take().unwrap_or_else(|| Arc::new(LocalRateLimiter::new(None)));
        self.limiter = Some(Arc::new(shared.rate_limiter(local)));
        if !keep_store {
            self.store = Arc::new(shared.token_store(self.clock.clone()));
        }
        self
    }

    /// The shared HTTP client.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The retry policy of every call.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The rate limiter, if any.
    pub fn rate_limiter(&self) -> Option<&Arc<dyn RateLimiter>> {
        self.limiter.as_ref()
    }

    /// Where tokens are kept.
    pub fn token_store(&self) -> &Arc<dyn TokenStore> {
        &self.store
    }

    /// The wall clock.
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// Chunks of one batch call in flight at once.
    pub fn batch_concurrency(&self) -> usize {
        self.batch_concurrency
    }

    /// The endpoint (and backup) replacing the platform's hosts, if one was set.
    pub fn endpoint(&self) -> Option<&(Url, Option<Url>)> {
        self.endpoint.as_ref()
    }
}

/// A rate limit as people write it: a number of calls, or `off` (or `0`) for none.
pub fn parse_rate_limit(text: &str) -> Result<Option<u32>, String> {
    if text.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(0) => Ok(None),
        Ok(n) => Ok(Some(n)),
        Err(_) => Err("expected a number of calls, or `off`".to_owned()),
    }
}

/// Parses a request timeout: a duration such as `30s` or `500ms`, more than zero and at
/// most an hour.
pub fn parse_timeout(text: &str) -> Result<Duration, String> {
    let timeout =
        humantime::parse_duration(text).map_err(|e| format!("expected a duration such as 30s or 500ms ({e})"))?;
    if timeout.is_zero() || timeout > Duration::from_secs(3600) {
        return Err("must be more than zero and at most 1h".to_owned());
    }
    Ok(timeout)
}

/// Parses a number of attempts per call: 1 to 100.
pub fn parse_attempts(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        _ => Err("expected a number of attempts from 1 to 100".to_owned()),
    }
}

/// Parses an http(s) URL with a host, naming `field` if it is not one.
pub fn parse_url(field: &'static str, url: &str) -> Result<Url, Error> {
    let parsed = Url::parse(url).map_err(|e| Error::invalid_input(field, format_args!("is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(Error::invalid_input(field, "must be an http(s) URL with a host"));
    }
    Ok(parsed)
}

/// The settings every platform's `ClientBuilder` offers, for an `impl` block of a builder
/// with a field `core: tx_core::client::CoreBuilder`.
#[macro_export]
macro_rules! client_builder_methods {
    () => {
        /// A base URL replacing the platform's hosts: an emulator, a proxy.
        pub fn endpoint(mut self, url: impl Into<String>) -> Self {
            self.core.endpoint = Some(url.into());
            self
        }

        /// A second base URL, used after a connection to the first one fails.
        pub fn backup_endpoint(mut self, url: impl Into<String>) -> Self {
            self.core.backup_endpoint = Some(url.into());
            self
        }

        /// Settings of the HTTP client (timeouts, pool, user agent).
        pub fn http_config(mut self, config: $crate::HttpConfig) -> Self {
            self.core.http_config = config;
            self
        }

        /// Time allowed for one request, from sending to the end of the body (default 30 s).
        pub fn request_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.core.http_config = self.core.http_config.request_timeout(timeout);
            self
        }

        /// Time allowed to establish a connection (default 5 s).
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.core.http_config = self.core.http_config.connect_timeout(timeout);
            self
        }

        /// An HTTP client to use instead of building one, to share its connection pool.
        pub fn http_client(mut self, client: $crate::__private::reqwest::Client) -> Self {
            self.core.http_client = Some(client);
            self
        }

        /// The retry policy of every call (default: 4 attempts, 200 ms to 10 s backoff with
        /// full jitter, a 60 s deadline per call).
        pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
            self.core.retry = policy;
            self
        }

        /// Calls per quota period the client paces itself to (`None`: no limit). The
        /// default and the period are the platform's; see the crate's documentation.
        pub fn rate_limit(mut self, calls: Option<u32>) -> Self {
            self.core.rate_limit = Some(calls);
            self
        }

        /// The share of the quota left unused (default 2.5 %), so that calls delayed on the
        /// way do not push a window of the server over the limit.
        pub fn rate_limit_headroom(mut self, share: f64) -> Self {
            self.core.rate_limit_headroom = share;
            self
        }

        /// A rate limiter of your own, e.g. one shared by several processes; replaces the
        /// in-process one.
        pub fn rate_limiter(mut self, limiter: ::std::sync::Arc<dyn $crate::rate_limit::RateLimiter>) -> Self {
            self.core.rate_limiter = Some(limiter);
            self
        }

        /// Where tokens are kept (default: this process's memory), e.g. a store shared by
        /// several processes, or one that survives restarts.
        pub fn token_store(mut self, store: ::std::sync::Arc<dyn $crate::token::TokenStore>) -> Self {
            self.core.token_store = Some(store);
            self
        }

        /// The wall clock tokens and signatures are timed by (default: the system clock).
        pub fn clock(self, clock: impl $crate::clock::Clock + 'static) -> Self {
            self.shared_clock(::std::sync::Arc::new(clock))
        }

        /// A shared wall clock, e.g. one a test also gives the emulator.
        pub fn shared_clock(mut self, clock: $crate::clock::SharedClock) -> Self {
            self.core.clock = Some(clock);
            self
        }

        /// How many chunks of one batch call may be in flight at once (default 8, at least 1).
        pub fn batch_concurrency(mut self, chunks: usize) -> Self {
            self.core.batch_concurrency = chunks.max(1);
            self
        }

        /// Shares tokens, refreshes and quotas with every process that uses the Redis
        /// server at `url` (`redis://[:password@]host[:port][/db]`): one quota per app for
        /// all of them, one refresh of a token at a time. Redis is asked for a PING when the
        /// client is built: an error then names the URL (its password hidden). Needs the
        /// `redis` feature of tx-core (or tx-sdk); see `tx_core::shared`.
        pub fn shared_state(mut self, url: impl Into<String>) -> Self {
            self.core.shared_state_url = Some($crate::client::SharedStateUrl::new(url, "shared_state"));
            self
        }

        $crate::__shared_state_handle_method!();
    };
}

/// The builder method that takes a connected `SharedState` (only with the `redis` feature).
#[cfg(feature = "redis")]
#[doc(hidden)]
#[macro_export]
macro_rules! __shared_state_handle_method {
    () => {
        /// Shares tokens, refreshes and quotas through `state`, a connection to Redis made
        /// once (`SharedState::connect`) and shared by several clients; wins over
        /// `shared_state(url)`.
        pub fn shared_state_handle(mut self, state: $crate::shared::SharedState) -> Self {
            self.core.shared_state = Some(state);
            self
        }
    };
}

/// Without the `redis` feature there is no `SharedState` to take.
#[cfg(not(feature = "redis"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __shared_state_handle_method {
    () => {};
}

#[cfg(test)]
mod tests {
    use super::*;

    const PER_SECOND: PlatformDefaults =
        PlatformDefaults { rate_limit: Some(200), rate_period: Duration::from_secs(1) };

    #[test]
    fn bad_settings_are_refused_with_their_field() {
        let field = |b: CoreBuilder| b.build(PER_SECOND).unwrap_err().field().map(str::to_owned);
        let b = || CoreBuilder::default();
        assert_eq!(field(CoreBuilder { endpoint: Some("not a url".into()), ..b() }).as_deref(), Some("endpoint"));
        assert_eq!(field(CoreBuilder { endpoint: Some("ftp://h/".into()), ..b() }).as_deref(), Some("endpoint"));
        let backup = CoreBuilder { endpoint: Some("http://h/".into()), backup_endpoint: Some("x".into()), ..b() };
        assert_eq!(field(backup).as_deref(), Some("backup_endpoint"));
        assert_eq!(field(CoreBuilder { rate_limit: Some(Some(0)), ..b() }).as_deref(), Some("rate_limit"));
        assert_eq!(field(CoreBuilder { rate_limit_headroom: 1.0, ..b() }).as_deref(), Some("rate_limit_headroom"));
    }

    #[test]
    fn timeouts_and_attempts_come_from_the_config() {
        const KEYS: CoreKeys = CoreKeys {
            endpoint: Key::new("p", "endpoint", "P_ENDPOINT"),
            rate_limit: Key::new("p", "rate_limit", "P_RATE_LIMIT"),
            request_timeout: Key::new("p", "request_timeout", "P_REQUEST_TIMEOUT"),
            max_attempts: Key::new("p", "max_attempts", "P_MAX_ATTEMPTS"),
        };
        let config = |vars: &'static [(&'static str, &'static str)]| {
            Config::from_lookup(move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
        };
        let mut b = CoreBuilder::default();
        b.configure(&config(&[("P_REQUEST_TIMEOUT", "750ms"), ("P_MAX_ATTEMPTS", "9")]), &KEYS).unwrap();
        assert_eq!(b.http_config, HttpConfig::default().request_timeout(Duration::from_millis(750)));
        assert_eq!(b.retry.max_attempts(), 9);
        for bad in [("P_REQUEST_TIMEOUT", "0s"), ("P_REQUEST_TIMEOUT", "soon"), ("P_MAX_ATTEMPTS", "0")] {
            let vars: &'static [(&str, &str)] = Box::leak(Box::new([bad]));
            let e = CoreBuilder::default().configure(&config(vars), &KEYS).unwrap_err();
            assert!(e.to_string().contains(bad.0), "{e}");
        }
    }

    #[test]
    fn the_redis_url_comes_from_the_resolver_is_checked_at_build_and_never_shows() {
        let config = Config::from_lookup(|k| (k == "TX_REDIS_URL").then(|| " redis://:pw@127.0.0.1:1/ ".to_owned()));
        let mut b = CoreBuilder::default();
        b.configure_shared_state(&config).unwrap();
        assert_eq!(b.shared_state_url.as_ref().map(SharedStateUrl::setting), Some("TX_REDIS_URL"));
        assert!(!format!("{b:?}").contains("pw"), "{b:?}");
        // Nothing listens on port 1: with the `redis` feature Redis does not answer, without
        // it the feature is missing; either way the error names the variable.
        let e = b.build(PER_SECOND).unwrap_err();
        assert_eq!((e.kind(), e.field()), (crate::ErrorKind::InvalidInput, Some("TX_REDIS_URL")));
        assert!(!e.to_string().contains("pw"), "{e}");
    }

    #[test]
    fn the_platform_default_quota_applies_unless_turned_off() {
        let core = CoreBuilder::default().build(PER_SECOND).unwrap();
        assert!(core.rate_limiter().is_some());
        let off = CoreBuilder { rate_limit: Some(None), ..CoreBuilder::default() }.build(PER_SECOND).unwrap();
        assert!(off.rate_limiter().is_none());
        let none = PlatformDefaults { rate_limit: None, ..PER_SECOND };
        assert!(CoreBuilder::default().build(none).unwrap().rate_limiter().is_none());
        assert_eq!(
            CoreBuilder { batch_concurrency: 0, ..CoreBuilder::default() }.build(none).unwrap().batch_concurrency(),
            1
        );
    }
}
