//! The client: configuration and the handlers.

use crate::api::Api;
use crate::blocklist::Blocklist;
use crate::friends::Friends;
use crate::groups::Groups;
use crate::ids;
use crate::protocol::TimProtocol;
use crate::protocol::region::Region;
use crate::protocol::usersig_source::{self, AdminSigSource};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tx_core::client::{CoreBuilder, PlatformDefaults};
use tx_core::config::Config;
use tx_core::pipeline::Pipeline;
use tx_core::token::TokenCache;
use tx_core::usersig::UserSigSigner;
use tx_core::{Error, Secret, Tenant};
use url::Url;

/// The documented default quota: 200 calls per second per command.
pub const DEFAULT_RATE_LIMIT: u32 = 200;

/// The share of the quota left unused by default (2.5 %: at most 195 calls in any second
/// of the 200 allowed, paced at 194/s); see [`tx_core::rate_limit::paced`].
pub const DEFAULT_RATE_LIMIT_HEADROOM: f64 = tx_core::rate_limit::DEFAULT_HEADROOM;

/// The default lifetime of the admin UserSig: 24 h, the documented minimum advice.
pub const DEFAULT_USERSIG_LIFETIME: Duration = Duration::from_secs(86_400);

/// The default number of chunks of one batch call in flight at once.
pub const DEFAULT_BATCH_CONCURRENCY: usize = tx_core::client::DEFAULT_BATCH_CONCURRENCY;

/// A Tencent IM REST client for the relationship chain. Cheap to clone: clones share
/// the connection pool, the admin UserSig and the rate limiter.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let emu = tx_emulator::Emulator::builder()
/// #     .tim_app(tx_emulator::TimApp::new(1400000000, "my-key").accounts(["alice", "bob"]))
/// #     .start().await.unwrap();
/// let tim = tim_sns::Client::builder()
///     .sdk_app_id(1400000000)
///     .secret_key("my-key")
///     .admin("administrator")
///     .endpoint(emu.base_url()) // or .region(tim_sns::Region::Singapore)
///     .build()?;
/// let report = tim.blocklist().add("alice", ["bob"]).await?;
/// assert!(report.all_succeeded());
/// # Ok::<(), tx_core::Error>(()) }).unwrap();
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    api: Api,
    sdk_app_id: u32,
    admin: String,
    region: Option<Region>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("sdk_app_id", &self.inner.sdk_app_id)
            .field("admin", &self.inner.admin)
            .field("region", &self.inner.region)
            .field("api", &self.inner.api)
            .finish()
    }
}

impl Client {
    /// A builder. Required: [`ClientBuilder::sdk_app_id`] and [`ClientBuilder::secret_key`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment; see [`ClientBuilder::from_env`] for the
    /// variables.
    ///
    /// ```no_run
    /// let tim = tim_sns::Client::from_env()?;
    /// # Ok::<(), tx_core::Error>(())
    /// ```
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The SDKAppID.
    pub fn sdk_app_id(&self) -> u32 {
        self.inner.sdk_app_id
    }

    /// The admin identifier calls are made as.
    pub fn admin(&self) -> &str {
        &self.inner.admin
    }

    /// The region, unless an explicit endpoint was set.
    pub fn region(&self) -> Option<Region> {
        self.inner.region
    }

    /// The base URL in use (the backup host's after a fail-over).
    pub fn base_url(&self) -> &Url {
        self.inner.api.pipeline.base_url()
    }

    /// The admin UserSig calls currently carry (minted if none is cached yet).
    pub async fn admin_usersig(&self) -> Result<Secret, Error> {
        let protocol = self.inner.api.pipeline.protocol();
        Ok(protocol.sigs.token(&protocol.admin).await?.value)
    }

    /// Blocklist calls: `black_list_add`, `_delete`, `_check`, `_get`, and bulk helpers.
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// let report = tim.blocklist().add("alice", ["bob", "carol"]).await?;
    /// # Ok(()) }
    /// ```
    pub fn blocklist(&self) -> Blocklist<'_> {
        Blocklist::new(&self.inner.api)
    }

    /// Friend calls: `friend_add`, `_import`, `_update`, `_delete`, `_delete_all`,
    /// `_check`, `_get`, `_get_list`.
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// use tim_sns::CheckType;
    /// let report = tim.friends().check("alice", ["bob"], CheckType::Both).await?;
    /// # Ok(()) }
    /// ```
    pub fn friends(&self) -> Friends<'_> {
        Friends::new(&self.inner.api)
    }

    /// Friend group calls: `group_add`, `group_delete`, `group_get`.
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// let seq = tim.groups().delete("alice", ["old friends"]).await?;
    /// # Ok(()) }
    /// ```
    pub fn groups(&self) -> Groups<'_> {
        Groups::new(&self.inner.api)
    }

    /// Account calls: `multiaccount_import`, `account_check`, `account_delete`.
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// let report = tim.accounts().import(["alice", "bob"]).await?;
    /// # Ok(()) }
    /// ```
    pub fn accounts(&self) -> crate::Accounts<'_> {
        crate::Accounts::new(&self.inner.api)
    }
}

/// Configures a [`Client`].
///
/// ```
/// use std::time::Duration;
/// let tim = tim_sns::Client::builder()
///     .sdk_app_id(1400000000)
///     .secret_key("my-key")
///     .admin("administrator")
///     .region(tim_sns::Region::Frankfurt)
///     .request_timeout(Duration::from_secs(10))
///     .rate_limit(Some(1000)) // a paid quota pack
///     .build()?;
/// assert_eq!(tim.base_url().as_str(), "https://adminapiger.im.qcloud.com/");
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    sdk_app_id: Option<u32>,
    secret_key: Option<Secret>,
    admin: String,
    region: Region,
    usersig_lifetime: Duration,
    core: CoreBuilder,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            sdk_app_id: None,
            secret_key: None,
            admin: "administrator".to_owned(),
            region: Region::China,
            usersig_lifetime: DEFAULT_USERSIG_LIFETIME,
            core: CoreBuilder::default(),
        }
    }
}

/// The settings [`ClientBuilder::from_config`] reads: each from its environment variable or
/// from the `tim` section of a profile (see [`tx_core::config`]).
///
/// | setting | variable | meaning |
/// |---|---|---|
/// | `sdk_app_id` | `TIM_SDK_APP_ID` | SDKAppID (required) |
/// | `secret_key` | `TIM_SECRET_KEY` | secret key (required) |
/// | `admin` | `TIM_ADMIN` | admin identifier (default `administrator`) |
/// | `region` | `TIM_REGION` | `china` (default), `singapore`, `seoul`, `tokyo`, `frankfurt`, `silicon-valley`, `jakarta`, `mumbai` |
/// | `endpoint` | `TIM_ENDPOINT` | base URL overriding the region (emulator, proxy) |
/// | `rate_limit` | `TIM_RATE_LIMIT` | calls/s per command (default 200; `off` or `0` disables) |
/// | `request_timeout` | `TIM_REQUEST_TIMEOUT` | time allowed per request (default `30s`) |
/// | `max_attempts` | `TIM_MAX_ATTEMPTS` | attempts per call, 1 to 100 (default 4) |
pub mod settings {
    use tx_core::client::CoreKeys;
    use tx_core::config::Key;

    /// The SDKAppID (required), e.g. `1400000000`.
    pub const SDK_APP_ID: Key = Key::new("tim", "sdk_app_id", "TIM_SDK_APP_ID");
    /// The app's secret key (required).
    pub const SECRET_KEY: Key = Key::new("tim", "secret_key", "TIM_SECRET_KEY");
    /// The admin identifier (default `administrator`).
    pub const ADMIN: Key = Key::new("tim", "admin", "TIM_ADMIN");
    /// The region (default `china`): a [`crate::Region`] name such as `singapore`.
    pub const REGION: Key = Key::new("tim", "region", "TIM_REGION");
    /// A base URL replacing the region's hosts (an emulator, a proxy).
    pub const ENDPOINT: Key = Key::new("tim", "endpoint", "TIM_ENDPOINT");
    /// Calls per second per command (default 200); `off` or `0` turns the limiter off.
    pub const RATE_LIMIT: Key = Key::new("tim", "rate_limit", "TIM_RATE_LIMIT");
    /// Time allowed per request (default `30s`), e.g. `5s` or `500ms`.
    pub const REQUEST_TIMEOUT: Key = Key::new("tim", "request_timeout", "TIM_REQUEST_TIMEOUT");
    /// Attempts per call, 1 to 100 (default 4).
    pub const MAX_ATTEMPTS: Key = Key::new("tim", "max_attempts", "TIM_MAX_ATTEMPTS");
    /// Every setting of the `tim` section.
    pub const ALL: &[Key] =
        &[SDK_APP_ID, SECRET_KEY, ADMIN, REGION, ENDPOINT, RATE_LIMIT, REQUEST_TIMEOUT, MAX_ATTEMPTS];
    /// The settings every platform has.
    pub(crate) const CORE: CoreKeys = CoreKeys {
        endpoint: ENDPOINT,
        rate_limit: RATE_LIMIT,
        request_timeout: REQUEST_TIMEOUT,
        max_attempts: MAX_ATTEMPTS,
    };
}

impl ClientBuilder {
    /// A builder from the process environment; see [`settings`] for the variables. Empty
    /// variables count as unset. Further settings can be chained before `build`.
    pub fn from_env() -> Result<ClientBuilder, Error> {
        ClientBuilder::from_config(&Config::from_env())
    }

    /// A builder from flags, environment and a profile, resolved by `config`; see
    /// [`settings`]. Errors name where a bad value came from.
    ///
    /// ```
    /// use tx_core::config::Config;
    /// let vars = std::collections::HashMap::from([
    ///     ("TIM_SDK_APP_ID", "1400000000"),
    ///     ("TIM_SECRET_KEY", "my-key"),
    ///     ("TIM_REGION", "singapore"),
    /// ]);
    /// let config = Config::from_lookup(move |k| vars.get(k).map(|v| v.to_string()));
    /// let tim = tim_sns::ClientBuilder::from_config(&config)?.build()?;
    /// assert_eq!(tim.region(), Some(tim_sns::Region::Singapore));
    /// # Ok::<(), tx_core::Error>(())
    /// ```
    pub fn from_config(config: &Config) -> Result<ClientBuilder, Error> {
        config.check_section("tim", settings::ALL)?;
        let mut b = ClientBuilder::default();
        let app = config.required(&settings::SDK_APP_ID)?;
        b.sdk_app_id = Some(config.parse::<u32>(&settings::SDK_APP_ID)?.unwrap_or_default());
        if b.sdk_app_id == Some(0) {
            return Err(Error::invalid_input(app.origin.to_string(), "must not be 0"));
        }
        // The key is taken verbatim (not trimmed): it is used as-is in the HMAC.
        config.required(&settings::SECRET_KEY)?;
        b.secret_key = config.secret(&settings::SECRET_KEY);
        if let Some(admin) = config.string(&settings::ADMIN) {
            b.admin = admin;
        }
        let region =
            config.parse_with(&settings::REGION, |r| r.parse::<Region>().map_err(|e| e.message().to_owned()))?;
        if let Some(region) = region {
            b.region = region;
        }
        b.core.configure(config, &settings::CORE)?;
        Ok(b)
    }

    /// The SDKAppID (required).
    pub fn sdk_app_id(mut self, sdk_app_id: u32) -> Self {
        self.sdk_app_id = Some(sdk_app_id);
        self
    }

    /// The app's secret key from the console (required), used as-is.
    pub fn secret_key(mut self, key: impl Into<Secret>) -> Self {
        self.secret_key = Some(key.into());
        self
    }

    /// The App admin identifier calls are made as (default `administrator`).
    pub fn admin(mut self, admin: impl Into<String>) -> Self {
        self.admin = admin.into();
        self
    }

    /// The region whose hosts to call (default [`Region::China`]). Ignored when
    /// [`ClientBuilder::endpoint`] is set.
    pub fn region(mut self, region: Region) -> Self {
        self.region = region;
        self
    }

    tx_core::client_builder_methods!();

    /// The lifetime of the admin UserSigs the client mints (default 24 h, at least 1 min).
    /// A sig is renewed in the background once a tenth of its lifetime is left.
    pub fn usersig_lifetime(mut self, lifetime: Duration) -> Self {
        self.usersig_lifetime = lifetime;
        self
    }

    /// Checks the settings and builds the client. No request is sent.
    pub fn build(self) -> Result<Client, Error> {
        let sdk_app_id = self.sdk_app_id.ok_or_else(|| Error::invalid_input("sdk_app_id", "must be set"))?;
        if sdk_app_id == 0 {
            return Err(Error::invalid_input("sdk_app_id", "must not be 0"));
        }
        let key = self.secret_key.ok_or_else(|| Error::invalid_input("secret_key", "must be set"))?;
        if key.is_empty() {
            return Err(Error::invalid_input("secret_key", "must not be empty"));
        }
        ids::check_id("admin", &self.admin)?;
        if self.usersig_lifetime < Duration::from_secs(60) {
            return Err(Error::invalid_input("usersig_lifetime", "must be at least 60 s"));
        }
        let core = self
            .core
            .build(PlatformDefaults { rate_limit: Some(DEFAULT_RATE_LIMIT), rate_period: Duration::from_secs(1) })?;
        let (region, base, backup) = match core.endpoint() {
            Some((base, backup)) => (None, base.clone(), backup.clone()),
            None => {
                if self.region.is_legacy() {
                    tracing::warn!(region = %self.region, "this region appears only on older TIM documentation and may be deprecated");
                }
                (Some(self.region), self.region.base_url(), self.region.backup_base_url())
            }
        };
        let signer = UserSigSigner::new(sdk_app_id, key).with_shared_clock(core.clock().clone());
        let sigs = TokenCache::builder(
            usersig_source::namespace(sdk_app_id),
            AdminSigSource { signer, lifetime: self.usersig_lifetime },
        )
        .shared_clock(core.clock().clone())
        .timing(usersig_source::timing(self.usersig_lifetime))
        .store(core.token_store().clone())
        .build();
        let protocol = TimProtocol { sdk_app_id, admin: Tenant::new(self.admin.as_str()), sigs };
        let mut pipeline = Pipeline::builder(protocol).core(&core).base_url(base);
        if let Some(backup) = backup {
            pipeline = pipeline.backup_base_url(backup);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                api: Api { pipeline: pipeline.build()?, batch_concurrency: core.batch_concurrency() },
                sdk_app_id,
                admin: self.admin,
                region,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> Result<ClientBuilder, Error> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        ClientBuilder::from_config(&Config::from_lookup(move |k| map.get(k).cloned()))
    }

    #[test]
    fn env_variables() {
        let base = [("TIM_SDK_APP_ID", "1400000000"), ("TIM_SECRET_KEY", "k")];
        let tim = env(&base).unwrap().build().unwrap();
        assert_eq!(
            (tim.sdk_app_id(), tim.admin(), tim.region()),
            (1_400_000_000, "administrator", Some(Region::China))
        );
        assert_eq!(tim.base_url().as_str(), "https://console.tim.qq.com/");

        let mut all = base.to_vec();
        all.extend([("TIM_ADMIN", "ops"), ("TIM_REGION", "jakarta"), ("TIM_RATE_LIMIT", "off")]);
        let b = env(&all).unwrap();
        assert_eq!(b.core.rate_limit, Some(None));
        let tim = b.build().unwrap();
        assert_eq!((tim.admin(), tim.region()), ("ops", Some(Region::Jakarta)));

        let mut ep = base.to_vec();
        ep.push(("TIM_ENDPOINT", "http://127.0.0.1:9/"));
        let tim = env(&ep).unwrap().build().unwrap();
        assert_eq!((tim.region(), tim.base_url().as_str()), (None, "http://127.0.0.1:9/"));

        assert_eq!(env(&[("TIM_SECRET_KEY", "k")]).unwrap_err().field(), Some("TIM_SDK_APP_ID"));
        assert_eq!(
            env(&[("TIM_SDK_APP_ID", "x"), ("TIM_SECRET_KEY", "k")]).unwrap_err().field(),
            Some("TIM_SDK_APP_ID")
        );
        assert_eq!(
            env(&[("TIM_SDK_APP_ID", "1"), ("TIM_SECRET_KEY", "")]).unwrap_err().field(),
            Some("TIM_SECRET_KEY")
        );
        let mut bad = base.to_vec();
        bad.push(("TIM_REGION", "mars"));
        assert_eq!(env(&bad).unwrap_err().field(), Some("TIM_REGION"));
        let mut bad = base.to_vec();
        bad.push(("TIM_RATE_LIMIT", "fast"));
        assert_eq!(env(&bad).unwrap_err().field(), Some("TIM_RATE_LIMIT"));
    }

    #[test]
    fn build_rules() {
        let ok = || Client::builder().sdk_app_id(1).secret_key("k");
        assert!(ok().build().is_ok());
        assert_eq!(Client::builder().secret_key("k").build().unwrap_err().field(), Some("sdk_app_id"));
        assert_eq!(Client::builder().sdk_app_id(1).build().unwrap_err().field(), Some("secret_key"));
        assert_eq!(ok().secret_key("").build().unwrap_err().field(), Some("secret_key"));
        assert_eq!(ok().admin("").build().unwrap_err().field(), Some("admin"));
        assert_eq!(ok().endpoint("not a url").build().unwrap_err().field(), Some("endpoint"));
        assert_eq!(ok().endpoint("ftp://h/").build().unwrap_err().field(), Some("endpoint"));
        assert_eq!(
            ok().usersig_lifetime(Duration::from_secs(5)).build().unwrap_err().field(),
            Some("usersig_lifetime")
        );
        for r in Region::ALL {
            let tim = ok().region(*r).build().unwrap();
            assert_eq!(tim.base_url().host_str(), Some(r.host()));
        }
    }

    #[test]
    fn debug_never_shows_the_key() {
        let b = Client::builder().sdk_app_id(1).secret_key("SUPER-SECRET-KEY");
        assert!(!format!("{b:?}").contains("SUPER-SECRET-KEY"));
        let tim = b.build().unwrap();
        let debug = format!("{tim:?} {tim:#?}");
        assert!(!debug.contains("SUPER-SECRET-KEY"), "{debug}");
        assert!(debug.contains("sdk_app_id"));
    }
}
