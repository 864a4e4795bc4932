//! The client: configuration, the handlers, and calls of any other endpoint.

use crate::api::Api;
use crate::meta::Response;
use crate::oauth::OAuth;
use crate::protocol::AdsProtocol;
use crate::protocol::hosts::Hosts;
use crate::protocol::oauth::{OAuthApi, OAuthProtocol};
use crate::protocol::tokens::{self, AccountTokens, OAuthSource};
use crate::tasks::MaterialTasks;
use crate::validate;
use crate::watermarks::Watermarks;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tx_core::client::{CoreBuilder, PlatformDefaults, parse_url};
use tx_core::config::Config;
use tx_core::pipeline::Pipeline;
use tx_core::rate_limit::{FifoRateLimiter, RateLimiter, paced};
use tx_core::token::{Credentials, TokenCache};
use tx_core::{Error, Idempotency, Secret, Tenant};
use url::Url;

/// The period the quotas count over: the Marketing API limits calls per app, per
/// endpoint, per minute.
pub const RATE_PERIOD: Duration = Duration::from_secs(60);

/// The share of a quota left unused by default (2.5 %); see
/// [`tx_core::rate_limit::paced`].
pub const DEFAULT_RATE_LIMIT_HEADROOM: f64 = tx_core::rate_limit::DEFAULT_HEADROOM;

/// The default number of requests of one batch call (or of one wait's polls) in flight
/// at once.
pub const DEFAULT_BATCH_CONCURRENCY: usize = tx_core::client::DEFAULT_BATCH_CONCURRENCY;

/// A Tencent Ads Marketing API v3.0 client for any number of accounts. Cheap to clone:
/// clones share the connection pool, the tokens and the rate limiter.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let emu = tx_emulator::Emulator::builder().seed(tx_emulator::defaults::demo_seed()).start().await.unwrap();
/// let ads = tencent_ads::Client::builder()
///     .client_id(1110000000)
///     .client_secret("tx-emulator-demo-client-secret")
///     .private_token("tx-emulator-demo-ads-token") // or OAuth: ads.oauth().exchange_code(…)
///     .endpoint(emu.base_url())                    // in production: nothing (api.e.qq.com)
///     .rate_limit(Some(600))                       // the app's quota per endpoint per minute
///     .build()?;
/// let report = ads.watermarks().add(20000001, ["123"], [tencent_ads::WarningText::LOAN_RISK]).await?;
/// assert_eq!(report.len(), 1);
/// # Ok::<(), tx_core::Error>(()) }).unwrap();
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    api: Api,
    client_id: u64,
    sandbox: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("client_id", &self.inner.client_id)
            .field("sandbox", &self.inner.sandbox)
            .field("api", &self.inner.api)
            .finish()
    }
}

impl Client {
    /// A builder. Required: [`ClientBuilder::client_id`] and
    /// [`ClientBuilder::client_secret`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment; see [`ClientBuilder::from_env`].
    ///
    /// ```no_run
    /// let ads = tencent_ads::Client::from_env()?;
    /// # Ok::<(), tx_core::Error>(())
    /// ```
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The app's `client_id`.
    pub fn client_id(&self) -> u64 {
        self.inner.client_id
    }

    /// Whether the client calls the sandbox host.
    pub fn is_sandbox(&self) -> bool {
        self.inner.sandbox
    }

    /// The host of the Marketing API (and of `oauth/token`) in use.
    pub fn base_url(&self) -> &Url {
        self.inner.api.pipeline.base_url()
    }

    /// The host serving `endpoint` (e.g. `async_task_files/get` → `https://dl.e.qq.com/`).
    pub fn host(&self, endpoint: &str) -> &Url {
        self.inner.api.hosts.host(endpoint.trim_matches('/'))
    }

    /// Warning texts on images: `watermarks/add`, `watermarks/get`, add-and-wait.
    ///
    /// ```no_run
    /// # async fn demo(ads: tencent_ads::Client) -> Result<(), tx_core::Error> {
    /// use tencent_ads::WarningText;
    /// let report = ads.watermarks().add(20000001, ["123", "456"], [WarningText::LOAN_RISK]).await?;
    /// # Ok(()) }
    /// ```
    pub fn watermarks(&self) -> Watermarks<'_> {
        Watermarks::new(&self.inner.api)
    }

    /// Warning-text jobs for images and videos: `material_async_tasks/add` and `/get`.
    ///
    /// ```no_run
    /// # async fn demo(ads: tencent_ads::Client) -> Result<(), tx_core::Error> {
    /// use tencent_ads::{MaterialType, WarningText};
    /// let job = ads.material_tasks().add(20000001, MaterialType::Video, ["789"], [WarningText::LOAN_RISK]).await?;
    /// # Ok(()) }
    /// ```
    pub fn material_tasks(&self) -> MaterialTasks<'_> {
        MaterialTasks::new(&self.inner.api)
    }

    /// OAuth 2.0: the authorize URL, code exchange, refresh, tokens kept per account.
    ///
    /// ```no_run
    /// # async fn demo(ads: tencent_ads::Client) -> Result<(), tx_core::Error> {
    /// let url = ads.oauth().authorize_url("https://example.com/callback").state("s1").build()?;
    /// # Ok(()) }
    /// ```
    pub fn oauth(&self) -> OAuth<'_> {
        OAuth::new(&self.inner.api)
    }

    /// `GET` of any Marketing API `endpoint` (e.g. `advertiser/get`) for `account`, with
    /// the client's tokens, nonces, retries, rate limit and host of the endpoint. `params`
    /// is a struct or map: scalars are sent as text, arrays and objects as JSON;
    /// `account_id` is added unless present. Every string value is checked for the
    /// forbidden characters before anything is sent. Reads are retried like any
    /// idempotent call.
    ///
    /// ```no_run
    /// # async fn demo(ads: tencent_ads::Client) -> Result<(), tx_core::Error> {
    /// let page: tencent_ads::Response<serde_json::Value> =
    ///     ads.get(20000001, "watermarks/get", &serde_json::json!({"page": 1, "page_size": 10})).await?;
    /// println!("{} (trace id {:?})", page.data, page.meta.trace_id);
    /// # Ok(()) }
    /// ```
    pub async fn get<T: DeserializeOwned>(
        &self,
        account: i64,
        endpoint: &str,
        params: &impl Serialize,
    ) -> Result<Response<T>, Error> {
        let params = with_account(account, params, "params")?;
        let api = &self.inner.api;
        let mut call = api.call(reqwest::Method::GET, endpoint_name(endpoint)?, account);
        for (key, value) in params.as_object().into_iter().flatten() {
            let text = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            call = call.with_query(key.clone(), text);
        }
        api.send(&call).await
    }

    /// `POST` of `body` as JSON to any Marketing API `endpoint` for `account`, as
    /// [`Client::get`] does (`account_id` added unless present, strings checked). Say
    /// whether repeating the call is safe: a [`Idempotency::NotIdempotent`] call is not
    /// sent again after a failure that leaves unknown whether it was applied.
    pub async fn post<T: DeserializeOwned>(
        &self,
        account: i64,
        endpoint: &str,
        body: &impl Serialize,
        idempotency: Idempotency,
    ) -> Result<Response<T>, Error> {
        let body = with_account(account, body, "body")?;
        let api = &self.inner.api;
        api.send(&api.post_call(endpoint_name(endpoint)?, account, &body, idempotency)?).await
    }
}

/// An endpoint name as the API spells it: `resource/action`, without the version.
fn endpoint_name(endpoint: &str) -> Result<&str, Error> {
    let name = endpoint.trim_matches('/');
    let valid = !name.is_empty()
        && name.split('/').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    if !valid || name.starts_with("v3.0") {
        return Err(Error::invalid_input(
            "endpoint",
            format_args!("must be `resource/action` (e.g. `watermarks/get`), got {endpoint:?}"),
        ));
    }
    Ok(name)
}

/// `value` as a JSON object with `account_id`, every string checked.
fn with_account(account: i64, value: &impl Serialize, field: &'static str) -> Result<serde_json::Value, Error> {
    validate::check_account_id(account)?;
    let mut json = serde_json::to_value(value)
        .map_err(|e| Error::invalid_input(field, format_args!("cannot be serialized: {e}")))?;
    let Some(object) = json.as_object_mut() else {
        return Err(Error::invalid_input(field, "must be a JSON object (a struct or a map)"));
    };
    object.entry("account_id").or_insert(serde_json::Value::from(account));
    validate::check_json(field, &json)?;
    Ok(json)
}

/// The settings [`ClientBuilder::from_config`] reads: each from its environment variable or
/// from the `ads` section of a profile (see [`tx_core::config`]). The variables are those
/// of [`env`].
///
/// | setting | variable | meaning |
/// |---|---|---|
/// | `client_id` | `ADS_CLIENT_ID` | the app's `client_id` (required) |
/// | `client_secret` | `ADS_CLIENT_SECRET` | the app's `client_secret` (required) |
/// | `access_token` | `ADS_ACCESS_TOKEN` | a private app's static token, for every account |
/// | `user_token` | `ADS_USER_TOKEN` | the real-name verification `user_token` |
/// | `endpoint` | `ADS_ENDPOINT` | base URL replacing every host (emulator, proxy) |
/// | `sandbox` | `ADS_SANDBOX` | `true`: the sandbox host |
/// | `rate_limit` | `ADS_RATE_LIMIT` | calls per minute per endpoint; `off` or `0`: none (the default) |
/// | `request_timeout` | `ADS_REQUEST_TIMEOUT` | time allowed per request (default `30s`) |
/// | `max_attempts` | `ADS_MAX_ATTEMPTS` | attempts per call, 1 to 100 (default 4) |
pub mod settings {
    use super::env;
    use tx_core::client::CoreKeys;
    use tx_core::config::Key;

    /// The app's `client_id` (required).
    pub const CLIENT_ID: Key = Key::new("ads", "client_id", env::CLIENT_ID);
    /// The app's `client_secret` (required).
    pub const CLIENT_SECRET: Key = Key::new("ads", "client_secret", env::CLIENT_SECRET);
    /// A private app's static token, for every account.
    pub const ACCESS_TOKEN: Key = Key::new("ads", "access_token", env::ACCESS_TOKEN);
    /// The real-name verification `user_token`.
    pub const USER_TOKEN: Key = Key::new("ads", "user_token", env::USER_TOKEN);
    /// A base URL replacing every host.
    pub const ENDPOINT: Key = Key::new("ads", "endpoint", env::ENDPOINT);
    /// Whether to call the sandbox host.
    pub const SANDBOX: Key = Key::new("ads", "sandbox", env::SANDBOX);
    /// Calls per minute per endpoint; `off` or `0` for no limit.
    pub const RATE_LIMIT: Key = Key::new("ads", "rate_limit", env::RATE_LIMIT);
    /// Every setting of the `ads` section.
    pub const ALL: &[Key] = &[
        CLIENT_ID,
        CLIENT_SECRET,
        ACCESS_TOKEN,
        USER_TOKEN,
        ENDPOINT,
        SANDBOX,
        RATE_LIMIT,
        REQUEST_TIMEOUT,
        MAX_ATTEMPTS,
    ];
    /// Time allowed per request (default `30s`), e.g. `5s` or `500ms`.
    pub const REQUEST_TIMEOUT: Key = Key::new("ads", "request_timeout", "ADS_REQUEST_TIMEOUT");
    /// Attempts per call, 1 to 100 (default 4).
    pub const MAX_ATTEMPTS: Key = Key::new("ads", "max_attempts", "ADS_MAX_ATTEMPTS");
    /// The settings every platform has.
    pub(crate) const CORE: CoreKeys = CoreKeys {
        endpoint: ENDPOINT,
        rate_limit: RATE_LIMIT,
        request_timeout: REQUEST_TIMEOUT,
        max_attempts: MAX_ATTEMPTS,
    };
}

/// Configures a [`Client`].
///
/// ```
/// use std::time::Duration;
/// let ads = tencent_ads::Client::builder()
///     .client_id(1110000000)
///     .client_secret("app-secret")
///     .rate_limit(Some(1000))                            // per endpoint per minute
///     .endpoint_rate_limit("watermarks/get", Some(300))   // one endpoint's own quota
///     .request_timeout(Duration::from_secs(10))
///     .build()?;
/// assert_eq!(ads.base_url().as_str(), "https://api.e.qq.com/");
/// assert_eq!(ads.host("async_task_files/get").as_str(), "https://dl.e.qq.com/");
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    client_id: Option<u64>,
    client_secret: Option<Secret>,
    user_token: Option<Secret>,
    sandbox: bool,
    hosts: BTreeMap<String, String>,
    access_tokens: HashMap<i64, Secret>,
    private_token: Option<Secret>,
    credentials: Option<Arc<dyn Credentials>>,
    endpoint_rate_limits: BTreeMap<String, Option<u32>>,
    pause_at: Option<u8>,
    core: CoreBuilder,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            client_id: None,
            client_secret: None,
            user_token: None,
            sandbox: false,
            hosts: BTreeMap::new(),
            access_tokens: HashMap::new(),
            private_token: None,
            credentials: None,
            endpoint_rate_limits: BTreeMap::new(),
            pause_at: Some(0),
            core: CoreBuilder::default(),
        }
    }
}

/// The environment variables [`ClientBuilder::from_env`] reads.
pub mod env {
    /// The app's `client_id` (required).
    pub const CLIENT_ID: &str = "ADS_CLIENT_ID";
    /// The app's `client_secret` (required).
    pub const CLIENT_SECRET: &str = "ADS_CLIENT_SECRET";
    /// A private app's static access token, used for every account.
    pub const ACCESS_TOKEN: &str = "ADS_ACCESS_TOKEN";
    /// The real-name verification `user_token`, sent with every call when set.
    pub const USER_TOKEN: &str = "ADS_USER_TOKEN";
    /// A base URL replacing every host (an emulator, a proxy).
    pub const ENDPOINT: &str = "ADS_ENDPOINT";
    /// `1`/`true`/`yes`: call the sandbox host (unverified for v3.0).
    pub const SANDBOX: &str = "ADS_SANDBOX";
    /// Calls per minute per endpoint (the app's quota); `off` or `0` for no limit.
    pub const RATE_LIMIT: &str = "ADS_RATE_LIMIT";
}

impl ClientBuilder {
    /// A builder from the process environment:
    ///
    /// | variable | meaning |
    /// |---|---|
    /// | `ADS_CLIENT_ID` | the app's `client_id` (required) |
    /// | `ADS_CLIENT_SECRET` | the app's `client_secret` (required) |
    /// | `ADS_ACCESS_TOKEN` | a private app's static token, for every account |
    /// | `ADS_USER_TOKEN` | the real-name verification `user_token` |
    /// | `ADS_ENDPOINT` | base URL replacing every host (emulator, proxy) |
    /// | `ADS_SANDBOX` | `1`, `true` or `yes`: the sandbox host |
    /// | `ADS_RATE_LIMIT` | calls per minute per endpoint; `off` or `0`: none (the default) |
    ///
    /// Empty variables count as unset. Further settings can be chained before `build`.
    pub fn from_env() -> Result<ClientBuilder, Error> {
        ClientBuilder::from_env_with(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::from_env`], reading variables through `lookup`.
    ///
    /// ```
    /// let vars = std::collections::HashMap::from([
    ///     ("ADS_CLIENT_ID", "1110000000"),
    ///     ("ADS_CLIENT_SECRET", "app-secret"),
    ///     ("ADS_RATE_LIMIT", "600"),
    ///     ("ADS_SANDBOX", "true"),
    /// ]);
    /// let ads = tencent_ads::ClientBuilder::from_env_with(|k| vars.get(k).map(|v| v.to_string()))?.build()?;
    /// assert_eq!(ads.client_id(), 1110000000);
    /// assert!(ads.is_sandbox());
    /// # Ok::<(), tx_core::Error>(())
    /// ```
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let mut b = ClientBuilder::default();
        let id = get(env::CLIENT_ID).ok_or_else(|| Error::invalid_input(env::CLIENT_ID, "must be set"))?;
        b.client_id = Some(
            id.parse().map_err(|_| Error::invalid_input(env::CLIENT_ID, format_args!("{id:?} is not a client id")))?,
        );
        b.client_secret = Some(Secret::new(
            get(env::CLIENT_SECRET).ok_or_else(|| Error::invalid_input(env::CLIENT_SECRET, "must be set"))?,
        ));
        b.private_token = get(env::ACCESS_TOKEN).map(Secret::new);
        b.user_token = get(env::USER_TOKEN).map(Secret::new);
        b.core.endpoint = get(env::ENDPOINT);
        if let Some(sandbox) = get(env::SANDBOX) {
            b.sandbox = match sandbox.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" => false,
                _ => return Err(Error::invalid_input(env::SANDBOX, format_args!("{sandbox:?} is not true or false"))),
            };
        }
        if let Some(limit) = get(env::RATE_LIMIT) {
            b.core.rate_limit = Some(if limit.eq_ignore_ascii_case("off") {
                None
            } else {
                match limit.parse::<u32>() {
                    Ok(0) => None,
                    Ok(n) => Some(n),
                    Err(_) => {
                        return Err(Error::invalid_input(
                            env::RATE_LIMIT,
                            format_args!("{limit:?} is not a number of calls per minute or `off`"),
                        ));
                    }
                }
            });
        }
        Ok(b)
    }

    /// A builder from flags, environment and a profile, resolved by `config`; see
    /// [`settings`]. Errors name where a bad value came from (the flag, the variable, or
    /// the file with line and column).
    ///
    /// ```
    /// use tx_core::config::Config;
    /// let vars = std::collections::HashMap::from([
    ///     ("ADS_CLIENT_ID", "1110000000"),
    ///     ("ADS_CLIENT_SECRET", "app-secret"),
    ///     ("ADS_ENDPOINT", "http://127.0.0.1:8080"),
    /// ]);
    /// let config = Config::from_lookup(move |k| vars.get(k).map(|v| v.to_string()));
    /// let ads = tencent_ads::ClientBuilder::from_config(&config)?.build()?;
    /// assert_eq!((ads.client_id(), ads.base_url().as_str()), (1110000000, "http://127.0.0.1:8080/"));
    /// # Ok::<(), tx_core::Error>(())
    /// ```
    pub fn from_config(config: &Config) -> Result<ClientBuilder, Error> {
        config.check_section("ads", settings::ALL)?;
        let id = config.required(&settings::CLIENT_ID)?;
        let client_id = config.parse::<u64>(&settings::CLIENT_ID)?.unwrap_or_default();
        if client_id == 0 {
            return Err(Error::invalid_input(id.origin.to_string(), "must not be 0"));
        }
        // Secrets are taken verbatim: they are sent as they are.
        config.required(&settings::CLIENT_SECRET)?;
        let mut b = ClientBuilder {
            client_id: Some(client_id),
            client_secret: config.secret(&settings::CLIENT_SECRET),
            private_token: config.secret(&settings::ACCESS_TOKEN),
            user_token: config.secret(&settings::USER_TOKEN),
            ..ClientBuilder::default()
        };
        let sandbox = config.parse_with(&settings::SANDBOX, |v| match v.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" => Ok(true),
            "0" | "false" | "no" => Ok(false),
            _ => Err("expected true or false".to_owned()),
        })?;
        b.sandbox = sandbox.unwrap_or(false);
        b.core.configure(config, &settings::CORE)?;
        Ok(b)
    }

    /// The app's `client_id` (required).
    pub fn client_id(mut self, client_id: u64) -> Self {
        self.client_id = Some(client_id);
        self
    }

    /// The app's `client_secret`, 1 to 256 bytes (required). It travels in the query of
    /// `oauth/token`, and never appears in a log, an error or `Debug` output.
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// The real-name verification `user_token`, sent with every call.
    pub fn user_token(mut self, token: impl Into<Secret>) -> Self {
        self.user_token = Some(token.into());
        self
    }

    /// Calls `sandbox-api.e.qq.com` instead of `api.e.qq.com`. The sandbox serves the
    /// legacy API versions; a working v3.0 sandbox is not verified, hence opt-in.
    /// Ignored when [`ClientBuilder::endpoint`] is set.
    pub fn sandbox(mut self, sandbox: bool) -> Self {
        self.sandbox = sandbox;
        self
    }

    /// Serves `endpoint` (e.g. `async_task_files/get`) from the base URL `url` instead of
    /// its default host. By default `async_task_files/get` and `async_report_files/get`
    /// go to `dl.e.qq.com` and `authorization/wechat_bind` to `developers.e.qq.com`;
    /// [`ClientBuilder::endpoint`] replaces every host, and this overrides both.
    pub fn host(mut self, endpoint: impl Into<String>, url: impl Into<String>) -> Self {
        self.hosts.insert(endpoint.into().trim_matches('/').to_owned(), url.into());
        self
    }

    /// A static access token for `account` (a token managed elsewhere, or a private
    /// app's token for one account). It is used as is and never refreshed.
    pub fn access_token(mut self, account: i64, token: impl Into<Secret>) -> Self {
        self.access_tokens.insert(account, token.into());
        self
    }

    /// A private app's static token (generated in the developer console; it works 10
    /// minutes after generation, and a reset invalidates it at once), for every account
    /// without a token of its own.
    pub fn private_token(mut self, token: impl Into<Secret>) -> Self {
        self.private_token = Some(token.into());
        self
    }

    /// Tokens managed by another service (externally managed mode): asked for each
    /// account's token, and told when the service refused one. Replaces the client's own
    /// OAuth token cache.
    pub fn credentials(mut self, credentials: Arc<dyn Credentials>) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The quota of one endpoint (calls per minute for the app, across all accounts),
    /// overriding [`ClientBuilder::rate_limit`] for it; `None` for no limit.
    pub fn endpoint_rate_limit(mut self, endpoint: impl Into<String>, calls_per_minute: Option<u32>) -> Self {
        self.endpoint_rate_limits.insert(endpoint.into().trim_matches('/').to_owned(), calls_per_minute);
        self
    }

    /// When an answer's `X-RateLimit-Remaining` shows at most this percentage of the
    /// endpoint's minute quota left, calls to the endpoint pause for a minute, so that
    /// the next one lands in a new window rather than breaching the quota (a breach bars
    /// the endpoint for 5 minutes). Default `Some(0)`: only a spent minute pauses, which a
    /// client paced at its configured quota never sees; raise it when other processes
    /// share the app's quota. `None` turns it off.
    pub fn pause_at_minute_quota(mut self, percent_left: Option<u8>) -> Self {
        self.pause_at = percent_left;
        self
    }

    tx_core::client_builder_methods!();

    /// Checks the settings and builds the client. No request is sent.
    pub fn build(mut self) -> Result<Client, Error> {
        let client_id = self.client_id.ok_or_else(|| Error::invalid_input("client_id", "must be set"))?;
        if client_id == 0 || i64::try_from(client_id).is_err() {
            return Err(Error::invalid_input("client_id", "must be a positive 64-bit integer"));
        }
        let secret = self.client_secret.take().ok_or_else(|| Error::invalid_input("client_secret", "must be set"))?;
        validate::check_client_secret(&secret)?;
        for (account, token) in &self.access_tokens {
            validate::check_account_id(*account)?;
            check_token("access_token", token)?;
        }
        if let Some(token) = &self.private_token {
            check_token("private_token", token)?;
        }
        if let Some(token) = &self.user_token {
            check_token("user_token", token)?;
        }
        if self.pause_at.is_some_and(|p| p > 100) {
            return Err(Error::invalid_input("pause_at_minute_quota", "must be a percentage, 0 to 100"));
        }
        let mut overrides = BTreeMap::new();
        for (endpoint, url) in &self.hosts {
            endpoint_name(endpoint).map_err(|e| Error::invalid_input("host", e.message().to_owned()))?;
            overrides.insert(endpoint.clone(), parse_url("host", url)?);
        }
        self.core.rate_limiter = Some(self.limiter()?);
        let limiter = self.core.rate_limiter.clone().unwrap_or_else(|| Arc::new(FifoRateLimiter::new(None)));
        let core = self.core.build(PlatformDefaults { rate_limit: None, rate_period: RATE_PERIOD })?;
        let (replaced, backup) = match core.endpoint() {
            Some((base, backup)) => (Some(base), backup.clone()),
            None => (None, None),
        };
        let hosts = Arc::new(Hosts::new(replaced, self.sandbox, &overrides));
        let clock = core.clock().clone();

        let oauth_protocol = OAuthProtocol { client_id, client_secret: secret, clock: clock.clone() };
        let mut oauth = Pipeline::builder(oauth_protocol).core(&core).base_url(hosts.api.clone());
        if let Some(backup) = &backup {
            oauth = oauth.backup_base_url(backup.clone());
        }
        let oauth = OAuthApi { pipeline: oauth.build()? };
        let cache = TokenCache::builder(tokens::namespace(client_id), OAuthSource { oauth: oauth.clone() })
            .shared_clock(clock.clone())
            .store(core.token_store().clone())
            .build();
        let external_tokens = self.credentials.is_some();
        let managed = self.credentials.unwrap_or_else(|| Arc::new(cache.clone()));
        let statics = self.access_tokens.into_iter().map(|(a, t)| (Tenant::from(a), t)).collect();
        let tokens = AccountTokens { statics, private: self.private_token, managed };
        let protocol = AdsProtocol { client_id, tokens, user_token: self.user_token, clock };
        let mut pipeline = Pipeline::builder(protocol).core(&core).base_url(hosts.api.clone());
        if let Some(backup) = backup {
            pipeline = pipeline.backup_base_url(backup);
        }
        let api = Api {
            pipeline: pipeline.build()?,
            oauth,
            cache,
            token_store: core.token_store().clone(),
            external_tokens,
            hosts,
            limiter,
            pause_at: self.pause_at,
            batch_concurrency: core.batch_concurrency(),
        };
        Ok(Client { inner: Arc::new(Inner { api, client_id, sandbox: self.sandbox && core.endpoint().is_none() }) })
    }

    /// The limiter: the user's, or an in-process one with the configured quotas (paced
    /// with headroom), first come first served: many concurrent calls (a wait per account,
    /// say) queue for a tight per-minute quota in order, none overtaken past its deadline.
    /// There is always one, even without quotas: it holds an endpoint after a breach (the
    /// 5-minute lockout) and after an answer shows its minute spent.
    fn limiter(&mut self) -> Result<Arc<dyn RateLimiter>, Error> {
        if let Some(custom) = self.core.rate_limiter.take() {
            return Ok(custom);
        }
        let headroom = self.core.rate_limit_headroom;
        let quota = |n: u32| paced(n, RATE_PERIOD, headroom);
        let mut limiter = FifoRateLimiter::new(self.core.rate_limit.flatten().filter(|n| *n > 0).map(quota));
        for (endpoint, limit) in &self.endpoint_rate_limits {
            if *limit == Some(0) {
                return Err(Error::invalid_input("endpoint_rate_limit", "must be at least 1 (or None)"));
            }
            endpoint_name(endpoint).map_err(|e| Error::invalid_input("endpoint_rate_limit", e.message().to_owned()))?;
            limiter = limiter.endpoint_quota(endpoint.clone(), limit.map(quota));
        }
        Ok(Arc::new(limiter))
    }
}

fn check_token(field: &'static str, token: &Secret) -> Result<(), Error> {
    if token.expose().trim().is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> Result<ClientBuilder, Error> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        ClientBuilder::from_env_with(|k| map.get(k).cloned())
    }

    #[test]
    fn env_variables() {
        let base = [("ADS_CLIENT_ID", "1110000000"), ("ADS_CLIENT_SECRET", "s")];
        let ads = env(&base).unwrap().build().unwrap();
        assert_eq!((ads.client_id(), ads.is_sandbox()), (1_110_000_000, false));
        assert_eq!(ads.base_url().as_str(), "https://api.e.qq.com/");

        let mut all = base.to_vec();
        all.extend([
            ("ADS_ACCESS_TOKEN", "tok"),
            ("ADS_USER_TOKEN", "ut"),
            ("ADS_SANDBOX", "yes"),
            ("ADS_RATE_LIMIT", "off"),
        ]);
        let b = env(&all).unwrap();
        assert_eq!(b.core.rate_limit, Some(None));
        assert!(b.private_token.is_some() && b.user_token.is_some());
        let ads = b.build().unwrap();
        assert!(ads.is_sandbox());
        assert_eq!(ads.base_url().as_str(), "https://sandbox-api.e.qq.com/");

        let mut ep = base.to_vec();
        ep.extend([("ADS_ENDPOINT", "http://127.0.0.1:9/"), ("ADS_SANDBOX", "true"), ("ADS_RATE_LIMIT", "600")]);
        let b = env(&ep).unwrap();
        assert_eq!(b.core.rate_limit, Some(Some(600)));
        let ads = b.build().unwrap();
        assert_eq!((ads.base_url().as_str(), ads.is_sandbox()), ("http://127.0.0.1:9/", false));
        assert_eq!(ads.host("async_task_files/get").as_str(), "http://127.0.0.1:9/");

        assert_eq!(env(&[("ADS_CLIENT_SECRET", "s")]).unwrap_err().field(), Some("ADS_CLIENT_ID"));
        assert_eq!(
            env(&[("ADS_CLIENT_ID", "x"), ("ADS_CLIENT_SECRET", "s")]).unwrap_err().field(),
            Some("ADS_CLIENT_ID")
        );
        assert_eq!(env(&[("ADS_CLIENT_ID", "1")]).unwrap_err().field(), Some("ADS_CLIENT_SECRET"));
        for (k, v) in [("ADS_SANDBOX", "maybe"), ("ADS_RATE_LIMIT", "fast")] {
            let mut bad = base.to_vec();
            bad.push((k, v));
            assert_eq!(env(&bad).unwrap_err().field(), Some(k));
        }
    }

    #[test]
    fn settings_from_flags_environment_and_profile() {
        use std::io::Write;
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(
            file,
            "[profiles.default.ads]\nclient_id = 1110000000\nclient_secret = \"from-file\"\nsandbox = true\nrate_limit = 600\n\n[profiles.bad.ads]\nclient_id = \"x\"\nclient_secret = \"s\"\n"
        )
        .unwrap();
        let vars: HashMap<&str, &str> = HashMap::from([("ADS_ACCESS_TOKEN", "private")]);
        let config = Config::from_lookup(move |k| vars.get(k).map(|v| (*v).to_owned()))
            .with_profile(Some(file.path()), "default")
            .unwrap();
        let b = ClientBuilder::from_config(&config).unwrap();
        assert_eq!((b.client_id, b.sandbox, b.core.rate_limit), (Some(1_110_000_000), true, Some(Some(600))));
        assert_eq!(b.client_secret.as_ref().map(Secret::expose), Some("from-file"));
        assert_eq!(b.private_token.as_ref().map(Secret::expose), Some("private"));
        let mut flagged = config.clone();
        flagged.set(&settings::ENDPOINT, "--endpoint", "http://127.0.0.1:9/");
        let ads = ClientBuilder::from_config(&flagged).unwrap().build().unwrap();
        assert_eq!((ads.base_url().as_str(), ads.is_sandbox()), ("http://127.0.0.1:9/", false));

        let e = ClientBuilder::from_config(&Config::from_lookup(|_| None)).unwrap_err();
        assert_eq!(e.field(), Some("ADS_CLIENT_ID"));
        assert!(e.to_string().contains("add client_id to [profiles.default.ads]"), "{e}");
        let bad = Config::from_lookup(|_| None).with_profile(Some(file.path()), "bad").unwrap();
        let e = ClientBuilder::from_config(&bad).unwrap_err().to_string();
        assert!(e.contains("line 8 column 13 (ads.client_id)"), "{e}");
        let zero = Config::from_lookup(|k| (k == "ADS_CLIENT_ID").then(|| "0".to_owned()));
        assert_eq!(ClientBuilder::from_config(&zero).unwrap_err().field(), Some("ADS_CLIENT_ID"));
        let maybe = Config::from_lookup(|k| match k {
            "ADS_CLIENT_ID" => Some("1".to_owned()),
            "ADS_CLIENT_SECRET" => Some("s".to_owned()),
            "ADS_SANDBOX" => Some("maybe".to_owned()),
            _ => None,
        });
        assert_eq!(ClientBuilder::from_config(&maybe).unwrap_err().field(), Some("ADS_SANDBOX"));
    }

    #[test]
    fn build_rules() {
        let ok = || Client::builder().client_id(1).client_secret("s");
        assert!(ok().build().is_ok());
        let field = |b: ClientBuilder| b.build().unwrap_err().field().map(str::to_owned);
        assert_eq!(field(Client::builder().client_secret("s")).as_deref(), Some("client_id"));
        assert_eq!(field(ok().client_id(0)).as_deref(), Some("client_id"));
        assert_eq!(field(ok().client_id(u64::MAX)).as_deref(), Some("client_id"));
        assert_eq!(field(Client::builder().client_id(1)).as_deref(), Some("client_secret"));
        assert_eq!(field(ok().client_secret("")).as_deref(), Some("client_secret"));
        assert_eq!(field(ok().client_secret("x".repeat(257))).as_deref(), Some("client_secret"));
        assert_eq!(field(ok().access_token(0, "t")).as_deref(), Some("account_id"));
        assert_eq!(field(ok().access_token(1, " ")).as_deref(), Some("access_token"));
        assert_eq!(field(ok().private_token("")).as_deref(), Some("private_token"));
        assert_eq!(field(ok().user_token("")).as_deref(), Some("user_token"));
        assert_eq!(field(ok().endpoint("nope")).as_deref(), Some("endpoint"));
        assert_eq!(field(ok().host("watermarks/get", "ftp://x/")).as_deref(), Some("host"));
        assert_eq!(field(ok().host("", "http://x/")).as_deref(), Some("host"));
        assert_eq!(field(ok().rate_limit(Some(0))).as_deref(), Some("rate_limit"));
        assert_eq!(field(ok().endpoint_rate_limit("watermarks/get", Some(0))).as_deref(), Some("endpoint_rate_limit"));
        assert_eq!(field(ok().pause_at_minute_quota(Some(101))).as_deref(), Some("pause_at_minute_quota"));
        assert_eq!(field(ok().rate_limit_headroom(1.0)).as_deref(), Some("rate_limit_headroom"));
    }

    #[test]
    fn hosts_per_endpoint() {
        let ads = Client::builder()
            .client_id(1)
            .client_secret("s")
            .host("/watermarks/get/", "https://proxy.example.com/")
            .build()
            .unwrap();
        assert_eq!(ads.host("watermarks/get").as_str(), "https://proxy.example.com/");
        assert_eq!(ads.host("watermarks/add").as_str(), "https://api.e.qq.com/");
        assert_eq!(ads.host("authorization/wechat_bind").as_str(), "https://developers.e.qq.com/");
        let sandbox = Client::builder().client_id(1).client_secret("s").sandbox(true).build().unwrap();
        assert_eq!(sandbox.host("watermarks/get").as_str(), "https://sandbox-api.e.qq.com/");
    }

    #[test]
    fn generic_calls_check_their_input() {
        assert!(endpoint_name("watermarks/get").is_ok());
        for bad in ["", "/", "v3.0/watermarks/get", "watermarks//get", "a?b=1", "../x"] {
            assert_eq!(endpoint_name(bad).unwrap_err().field(), Some("endpoint"), "{bad}");
        }
        let v = with_account(5, &serde_json::json!({"page": 1}), "params").unwrap();
        assert_eq!(v, serde_json::json!({"page": 1, "account_id": 5}));
        let kept = with_account(5, &serde_json::json!({"account_id": 6}), "params").unwrap();
        assert_eq!(kept["account_id"], 6);
        let e = with_account(5, &serde_json::json!({"filtering": [{"values": ["a<b"]}]}), "params").unwrap_err();
        assert_eq!(e.field(), Some("params.filtering[0].values[0]"));
        assert_eq!(with_account(5, &[1, 2], "body").unwrap_err().field(), Some("body"));
        assert_eq!(with_account(0, &serde_json::json!({}), "body").unwrap_err().field(), Some("account_id"));
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let b = Client::builder()
            .client_id(1)
            .client_secret("SUPER-SECRET-CLIENT")
            .private_token("PRIVATE-TOKEN-VALUE")
            .access_token(7, "STATIC-TOKEN-VALUE")
            .user_token("USER-TOKEN-VALUE");
        let shown = format!("{b:?}");
        let ads = b.build().unwrap();
        let shown = format!("{shown} {ads:?} {ads:#?}");
        for secret in ["SUPER-SECRET-CLIENT", "PRIVATE-TOKEN-VALUE", "STATIC-TOKEN-VALUE", "USER-TOKEN-VALUE"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("client_id"));
    }
}
