//! The client: configuration, the token caches, and the handlers.

use crate::ams::Ams;
use crate::api::{Api, PathOverrides};
use crate::authorization::Authorization;
use crate::fleet::Fleet;
use crate::protocol::WechatProtocol;
use crate::protocol::sources::{AuthorizerTokenSource, ComponentTokenSource};
use crate::protocol::ticket::TicketStore;
use crate::provider::Provider;
use crate::push::{ENCODING_AES_KEY_LEN, PushCrypto, PushEvent, PushQuery};
use crate::tokens::Tokens;
use crate::validate;
use crate::wire::{self, Action};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tx_core::client::{ClientCore, CoreBuilder, PlatformDefaults};
use tx_core::config::Config;
use tx_core::pipeline::Pipeline;
use tx_core::rate_limit::{LocalRateLimiter, RateLimiter};
use tx_core::token::{Credentials, RefreshTiming, TokenCache};
use tx_core::{Error, Secret, Tenant};
use url::Url;

/// The documented host: `https://api.weixin.qq.com/`.
pub const DEFAULT_BASE_URL: &str = "https://api.weixin.qq.com/";

/// The backup host, used after a connection to the first one fails:
/// `https://api2.weixin.qq.com/`.
pub const BACKUP_BASE_URL: &str = "https://api2.weixin.qq.com/";

/// The period of [`ClientBuilder::rate_limit`]: calls per minute per (mini program, action),
/// as WeChat counts the AMS "operating too fast" limit (ret 1737).
pub const RATE_PERIOD: Duration = Duration::from_secs(60);

/// A WeChat third-party platform client for the AMS agency actions, for any number of
/// authorized mini programs. Cheap to clone: clones share the connection pool, the token
/// caches and the rate limiter.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # use tx_emulator::{Emulator, WechatAuthorizer, WechatComponent};
/// # let emu = Emulator::builder()
/// #     .wechat_component(WechatComponent::new("wx0c0c0c0c0c0c0c0c", "app-secret", "ticket@@@1"))
/// #     .wechat_authorizer(WechatAuthorizer::new("wx1a1a1a1a1a1a1a1a").component("wx0c0c0c0c0c0c0c0c").refresh_token("refresh@@@1"))
/// #     .start().await.unwrap();
/// let wechat = wechat_ams::Client::builder()
///     .component_appid("wx0c0c0c0c0c0c0c0c")
///     .component_secret("app-secret")
///     .component_verify_ticket("ticket@@@1") // normally pushed by WeChat: Client::receive_push
///     .endpoint(emu.base_url())               // default: https://api.weixin.qq.com/
///     .build()?;
/// wechat.tokens().put_refresh_token("wx1a1a1a1a1a1a1a1a", "refresh@@@1").await?;
/// let categories = wechat.ams("wx1a1a1a1a1a1a1a1a").category_blacklist().get().await?;
/// assert!(categories.is_empty());
/// # Ok::<(), tx_core::Error>(()) }).unwrap();
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    /// Every call: both token kinds.
    pub api: Api,
    /// Calls without a token (`api_start_push_ticket`).
    pub bare: Api,
    pub component_appid: String,
    pub component_tenant: Tenant,
    pub secret: Option<Secret>,
    pub crypto: Option<PushCrypto>,
    pub tickets: TicketStore,
    pub component: Arc<dyn Credentials>,
    pub authorizers: Arc<dyn Credentials>,
    /// The managed caches (absent for an externally managed kind).
    pub component_cache: Option<TokenCache>,
    pub authorizer_cache: Option<TokenCache>,
    pub core: ClientCore,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("component_appid", &i.component_appid)
            .field("push_receiver", &i.crypto.is_some())
            .field("component_tokens", if i.component_cache.is_some() { &"managed" } else { &"external" })
            .field("authorizer_tokens", if i.authorizer_cache.is_some() { &"managed" } else { &"external" })
            .field("api", &i.api)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder. Required: [`ClientBuilder::component_appid`] and
    /// [`ClientBuilder::component_secret`] (unless the component token is managed
    /// elsewhere: [`ClientBuilder::component_credentials`]).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment; see [`ClientBuilder::from_env`].
    ///
    /// ```no_run
    /// let wechat = wechat_ams::Client::from_env()?;
    /// # Ok::<(), tx_core::Error>(())
    /// ```
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    /// The component's (the third-party platform's) AppID.
    pub fn component_appid(&self) -> &str {
        &self.inner.component_appid
    }

    /// The base URL in use (the backup host's after a fail-over).
    pub fn base_url(&self) -> &Url {
        self.inner.api.pipeline.base_url()
    }

    /// The AMS actions of one authorized mini program, grouped as the reference groups
    /// them: publisher, ad units, cover ad, advertiser black list, category black list,
    /// share ratio, statistics and settlements. Each call carries the token the action
    /// takes (the mini program's, or the component's for its share ratio).
    ///
    /// ```no_run
    /// # async fn demo(wechat: wechat_ams::Client) -> Result<(), tx_core::Error> {
    /// use wechat_ams::{AmsCategory, CategorySet};
    /// let mp = wechat.ams("wx1a1a1a1a1a1a1a1a");
    /// mp.category_blacklist().set(&CategorySet::from_iter([AmsCategory::Loan])).await?;
    /// let units = mp.adunits().list();
    /// # Ok(()) }
    /// ```
    pub fn ams(&self, authorizer_appid: impl Into<Tenant>) -> Ams<'_> {
        Ams::new(&self.inner.api, authorizer_appid.into())
    }

    /// The platform's own AMS figures and settings, with the component token: default
    /// share ratio, statistics across its mini programs, settled revenue.
    pub fn provider(&self) -> Provider<'_> {
        Provider::new(&self.inner.api)
    }

    /// The merchant authorization flow: pre-auth code, authorization URL, code exchange,
    /// the list of authorizers.
    pub fn authorization(&self) -> Authorization<'_> {
        Authorization::new(self)
    }

    /// The tokens: the component token, authorizer tokens, refresh tokens, the ticket.
    pub fn tokens(&self) -> Tokens<'_> {
        Tokens::new(self)
    }

    /// Policy across many mini programs at once: ensure a category black list or an
    /// advertiser black list, streamed, in bounded memory.
    pub fn fleet(&self) -> Fleet<'_> {
        Fleet::new(self)
    }

    /// Sends any request of [`wire`] with the token its action takes ([`Action::INFO`]):
    /// the mini program `authorizer_appid`'s, the component's, or none. The request is
    /// checked before anything is sent.
    ///
    /// ```no_run
    /// # async fn demo(wechat: wechat_ams::Client) -> Result<(), tx_core::Error> {
    /// use wechat_ams::wire::GetAdUnitCodeRequest;
    /// let code = wechat.send(Some("wx1a1a1a1a1a1a1a1a"), &GetAdUnitCodeRequest { ad_unit_id: "adunit-1".into() }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send<A: Action>(&self, authorizer_appid: Option<&str>, request: &A) -> Result<A::Response, Error> {
        match A::INFO.token {
            wire::TokenKind::None => self.inner.bare.send(authorizer_appid, request).await,
            _ => self.inner.api.send(authorizer_appid, request).await,
        }
    }

    /// Receives a push to the authorization-event URL: checks `msg_signature` (refusing
    /// before decrypting), decrypts, checks that it is addressed to this component, and
    /// acts on what only this client can do at once:
    ///
    /// - `component_verify_ticket`: stored durably (the latest `CreateTime` wins), and
    ///   used by the next component token fetch;
    /// - `unauthorized`: the mini program's cached tokens and refresh token are purged
    ///   (managed tokens only);
    /// - `authorized` / `updateauthorized`: **returned, not exchanged**. Exchanging the
    ///   code is a network call with retries that may outlast the 5 s WeChat allows for
    ///   the reply, and the code is single-use, so a failed exchange must be the caller's
    ///   to retry, not a reason to refuse the push. Exchange it with
    ///   [`Authorization::query_auth`] (e.g. in a spawned task), which stores the tokens.
    ///
    /// Returns the typed event; reply [`crate::push::SUCCESS_REPLY`] to WeChat. An `Err`
    /// is a push that is not authentic (kind `Auth`), not readable (`Decode`), or a client
    /// built without [`ClientBuilder::message_token`] and
    /// [`ClientBuilder::encoding_aes_key`] (`InvalidInput`); answer it with a 4xx.
    ///
    /// Mounted in axum (any framework: hand over the query and the body):
    ///
    /// ```no_run
    /// use axum::{Router, body::Bytes, extract::{Query, State}, http::StatusCode, routing::post};
    /// use wechat_ams::Client;
    /// use wechat_ams::push::{PushEvent, PushQuery, SUCCESS_REPLY};
    ///
    /// async fn authorization_events(
    ///     State(wechat): State<Client>,
    ///     Query(query): Query<PushQuery>,
    ///     body: Bytes,
    /// ) -> Result<&'static str, StatusCode> {
    ///     match wechat.receive_push(&query, &body).await {
    ///         Ok(PushEvent::Authorized(a) | PushEvent::UpdateAuthorized(a)) => {
    ///             // Exchange the code after replying: it is single-use, and WeChat waits 5 s at most.
    ///             let wechat = wechat.clone();
    ///             tokio::spawn(async move {
    ///                 if let Err(e) = wechat.authorization().query_auth(a.authorization_code).await {
    ///                     eprintln!("authorization of {} not exchanged: {e}", a.authorizer_appid);
    ///                 }
    ///             });
    ///         }
    ///         Ok(_) => {} // the ticket is stored, a revoked authorizer purged
    ///         Err(_) => return Err(StatusCode::BAD_REQUEST),
    ///     }
    ///     Ok(SUCCESS_REPLY)
    /// }
    ///
    /// #[tokio::main]
    /// async fn main() -> Result<(), Box<dyn std::error::Error>> {
    ///     let wechat = Client::from_env()?; // WECHAT_COMPONENT_TOKEN and WECHAT_COMPONENT_AES_KEY set
    ///     let app = Router::new().route("/wechat/events", post(authorization_events)).with_state(wechat);
    ///     let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    ///     axum::serve(listener, app).await?;
    ///     Ok(())
    /// }
    /// ```
    pub async fn receive_push(&self, query: &PushQuery, body: &[u8]) -> Result<PushEvent, Error> {
        let crypto = self.inner.crypto.as_ref().ok_or_else(|| {
            Error::invalid_input("message_token", "and encoding_aes_key must be set to receive pushes")
        })?;
        let event = crypto.receive(query, body).map_err(Error::from)?;
        match &event {
            PushEvent::ComponentVerifyTicket { ticket, create_time, .. } => {
                self.inner.tickets.put(ticket.clone(), *create_time).await?;
            }
            PushEvent::Unauthorized { authorizer_appid, .. } => {
                if let Some(cache) = &self.inner.authorizer_cache {
                    cache.purge(&Tenant::new(authorizer_appid.as_str())).await?;
                }
                tracing::info!(authorizer = %authorizer_appid, "authorization withdrawn; its tokens are purged");
            }
            PushEvent::Authorized(a) | PushEvent::UpdateAuthorized(a) => {
                tracing::info!(authorizer = %a.authorizer_appid, event = event.info_type(), "authorization pushed");
            }
            _ => {}
        }
        Ok(event)
    }
}

/// The environment variables [`ClientBuilder::from_env`] reads.
pub mod env {
    /// The component's (third-party platform's) AppID (required).
    pub const COMPONENT_APPID: &str = "WECHAT_COMPONENT_APPID";
    /// The component's AppSecret (required).
    pub const COMPONENT_SECRET: &str = "WECHAT_COMPONENT_SECRET";
    /// The message-check token of the authorization-event URL (for [`crate::Client::receive_push`]).
    pub const COMPONENT_TOKEN: &str = "WECHAT_COMPONENT_TOKEN";
    /// The 43-character EncodingAESKey of the authorization-event URL.
    pub const COMPONENT_AES_KEY: &str = "WECHAT_COMPONENT_AES_KEY";
    /// A `component_verify_ticket` to start with, until a push brings a newer one.
    pub const COMPONENT_VERIFY_TICKET: &str = "WECHAT_COMPONENT_VERIFY_TICKET";
    /// A base URL replacing `https://api.weixin.qq.com/` (an emulator, a proxy).
    pub const ENDPOINT: &str = "WECHAT_ENDPOINT";
    /// AMS calls per minute per (mini program, action) the client paces itself to; `off`
    /// or `0` (the default) paces nothing.
    pub const RATE_LIMIT: &str = "WECHAT_RATE_LIMIT";
}

/// The settings [`ClientBuilder::from_config`] reads: each from its environment variable or
/// from the `wechat` section of a profile (see [`tx_core::config`]). The variables are those
/// of [`env`].
///
/// | setting | variable | meaning |
/// |---|---|---|
/// | `component_appid` | `WECHAT_COMPONENT_APPID` | the platform's AppID (required) |
/// | `component_secret` | `WECHAT_COMPONENT_SECRET` | its AppSecret (required) |
/// | `message_token` | `WECHAT_COMPONENT_TOKEN` | message-check token of the authorization-event URL |
/// | `encoding_aes_key` | `WECHAT_COMPONENT_AES_KEY` | its 43-character EncodingAESKey |
/// | `component_verify_ticket` | `WECHAT_COMPONENT_VERIFY_TICKET` | a ticket to start with |
/// | `endpoint` | `WECHAT_ENDPOINT` | base URL replacing `https://api.weixin.qq.com/` (emulator, proxy) |
/// | `rate_limit` | `WECHAT_RATE_LIMIT` | AMS calls per minute per (mini program, action); `off` or `0` (default): no pacing |
/// | `request_timeout` | `WECHAT_REQUEST_TIMEOUT` | time allowed per request (default `30s`) |
/// | `max_attempts` | `WECHAT_MAX_ATTEMPTS` | attempts per call, 1 to 100 (default 4) |
pub mod settings {
    use super::env;
    use tx_core::client::CoreKeys;
    use tx_core::config::Key;

    /// The component's AppID (required).
    pub const COMPONENT_APPID: Key = Key::new("wechat", "component_appid", env::COMPONENT_APPID);
    /// The component's AppSecret (required).
    pub const COMPONENT_SECRET: Key = Key::new("wechat", "component_secret", env::COMPONENT_SECRET);
    /// The message-check token of the authorization-event URL.
    pub const MESSAGE_TOKEN: Key = Key::new("wechat", "message_token", env::COMPONENT_TOKEN);
    /// The 43-character EncodingAESKey of the authorization-event URL.
    pub const ENCODING_AES_KEY: Key = Key::new("wechat", "encoding_aes_key", env::COMPONENT_AES_KEY);
    /// A `component_verify_ticket` to start with, until a push brings a newer one.
    pub const COMPONENT_VERIFY_TICKET: Key =
        Key::new("wechat", "component_verify_ticket", env::COMPONENT_VERIFY_TICKET);
    /// A base URL replacing `https://api.weixin.qq.com/`.
    pub const ENDPOINT: Key = Key::new("wechat", "endpoint", env::ENDPOINT);
    /// AMS calls per minute per (mini program, action); `off` or `0` paces nothing.
    pub const RATE_LIMIT: Key = Key::new("wechat", "rate_limit", env::RATE_LIMIT);
    /// Every setting of the `wechat` section.
    pub const ALL: &[Key] = &[
        COMPONENT_APPID,
        COMPONENT_SECRET,
        MESSAGE_TOKEN,
        ENCODING_AES_KEY,
        COMPONENT_VERIFY_TICKET,
        ENDPOINT,
        RATE_LIMIT,
        REQUEST_TIMEOUT,
        MAX_ATTEMPTS,
    ];
    /// Time allowed per request (default `30s`), e.g. `5s` or `500ms`.
    pub const REQUEST_TIMEOUT: Key = Key::new("wechat", "request_timeout", "WECHAT_REQUEST_TIMEOUT");
    /// Attempts per call, 1 to 100 (default 4).
    pub const MAX_ATTEMPTS: Key = Key::new("wechat", "max_attempts", "WECHAT_MAX_ATTEMPTS");
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
/// let wechat = wechat_ams::Client::builder()
///     .component_appid("wx0c0c0c0c0c0c0c0c")
///     .component_secret("app-secret")
///     .message_token("push-token")
///     .encoding_aes_key("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
///     .request_timeout(Duration::from_secs(10))
///     .build()?;
/// assert_eq!(wechat.base_url().as_str(), "https://api.weixin.qq.com/");
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    component_appid: Option<String>,
    component_secret: Option<Secret>,
    message_token: Option<Secret>,
    encoding_aes_key: Option<Secret>,
    verify_ticket: Option<Secret>,
    component_credentials: Option<Arc<dyn Credentials>>,
    authorizer_credentials: Option<Arc<dyn Credentials>>,
    token_timing: RefreshTiming,
    action_paths: BTreeMap<&'static str, &'static str>,
    core: CoreBuilder,
}

/// Shows which settings are given, never a secret.
impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("component_appid", &self.component_appid)
            .field("component_secret", &self.component_secret)
            .field("message_token", &self.message_token)
            .field("encoding_aes_key", &self.encoding_aes_key)
            .field("component_verify_ticket", &self.verify_ticket)
            .field("component_credentials", &self.component_credentials)
            .field("authorizer_credentials", &self.authorizer_credentials)
            .field("token_timing", &self.token_timing)
            .field("action_paths", &self.action_paths)
            .field("core", &self.core)
            .finish()
    }
}

impl ClientBuilder {
    /// A builder from the process environment:
    ///
    /// | variable | meaning |
    /// |---|---|
    /// | `WECHAT_COMPONENT_APPID` | the platform's AppID (required) |
    /// | `WECHAT_COMPONENT_SECRET` | its AppSecret (required) |
    /// | `WECHAT_COMPONENT_TOKEN` | message-check token of the authorization-event URL |
    /// | `WECHAT_COMPONENT_AES_KEY` | its 43-character EncodingAESKey |
    /// | `WECHAT_COMPONENT_VERIFY_TICKET` | a ticket to start with, until a push brings a newer one |
    /// | `WECHAT_ENDPOINT` | base URL replacing `https://api.weixin.qq.com/` (emulator, proxy) |
    /// | `WECHAT_RATE_LIMIT` | AMS calls per minute per (mini program, action); `off` or `0` (default): no pacing |
    ///
    /// Empty variables count as unset. Further settings can be chained before `build`.
    pub fn from_env() -> Result<ClientBuilder, Error> {
        ClientBuilder::from_env_with(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::from_env`], reading variables through `lookup`.
    ///
    /// ```
    /// let vars = std::collections::HashMap::from([
    ///     ("WECHAT_COMPONENT_APPID", "wx0c0c0c0c0c0c0c0c"),
    ///     ("WECHAT_COMPONENT_SECRET", "app-secret"),
    ///     ("WECHAT_ENDPOINT", "http://127.0.0.1:8080"),
    /// ]);
    /// let wechat = wechat_ams::ClientBuilder::from_env_with(|k| vars.get(k).map(|v| v.to_string()))?.build()?;
    /// assert_eq!(wechat.base_url().as_str(), "http://127.0.0.1:8080/");
    /// # Ok::<(), tx_core::Error>(())
    /// ```
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let appid =
            get(env::COMPONENT_APPID).ok_or_else(|| Error::invalid_input(env::COMPONENT_APPID, "must be set"))?;
        let secret =
            get(env::COMPONENT_SECRET).ok_or_else(|| Error::invalid_input(env::COMPONENT_SECRET, "must be set"))?;
        let mut b = ClientBuilder {
            component_appid: Some(appid),
            component_secret: Some(Secret::new(secret)),
            message_token: get(env::COMPONENT_TOKEN).map(Secret::new),
            encoding_aes_key: get(env::COMPONENT_AES_KEY).map(Secret::new),
            verify_ticket: get(env::COMPONENT_VERIFY_TICKET).map(Secret::new),
            ..ClientBuilder::default()
        };
        b.core.endpoint = get(env::ENDPOINT);
        if let Some(limit) = get(env::RATE_LIMIT) {
            b.core.rate_limit = Some(match limit.as_str() {
                "off" | "0" => None,
                n => Some(n.parse::<u32>().map_err(|_| {
                    Error::invalid_input(env::RATE_LIMIT, format_args!("{n:?} is not a number of calls per minute"))
                })?),
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
    ///     ("WECHAT_COMPONENT_APPID", "wx0c0c0c0c0c0c0c0c"),
    ///     ("WECHAT_COMPONENT_SECRET", "app-secret"),
    ///     ("WECHAT_ENDPOINT", "http://127.0.0.1:8080"),
    /// ]);
    /// let config = Config::from_lookup(move |k| vars.get(k).map(|v| v.to_string()));
    /// let wechat = wechat_ams::ClientBuilder::from_config(&config)?.build()?;
    /// assert_eq!(wechat.base_url().as_str(), "http://127.0.0.1:8080/");
    /// # Ok::<(), tx_core::Error>(())
    /// ```
    pub fn from_config(config: &Config) -> Result<ClientBuilder, Error> {
        config.check_section("wechat", settings::ALL)?;
        let appid = config.required(&settings::COMPONENT_APPID)?;
        validate::appid("component_appid", appid.text.trim()).map_err(|e| {
            Error::invalid_input(appid.origin.to_string(), e.message().trim_start_matches("component_appid "))
        })?;
        let secret = config.required(&settings::COMPONENT_SECRET)?;
        if secret.text.trim().is_empty() {
            return Err(Error::invalid_input(secret.origin.to_string(), "must not be empty"));
        }
        let mut b = ClientBuilder {
            component_appid: Some(appid.text.trim().to_owned()),
            component_secret: config.secret(&settings::COMPONENT_SECRET),
            message_token: config.secret(&settings::MESSAGE_TOKEN),
            encoding_aes_key: config.secret(&settings::ENCODING_AES_KEY),
            verify_ticket: config.secret(&settings::COMPONENT_VERIFY_TICKET),
            ..ClientBuilder::default()
        };
        b.core.configure(config, &settings::CORE)?;
        Ok(b)
    }

    /// The component's (third-party platform's) AppID.
    pub fn component_appid(mut self, appid: impl Into<String>) -> Self {
        self.component_appid = Some(appid.into());
        self
    }

    /// The component's AppSecret, for `api_component_token` and `api_start_push_ticket`.
    pub fn component_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.component_secret = Some(secret.into());
        self
    }

    /// The message-check token of the authorization-event URL, which signs pushes
    /// ([`Client::receive_push`] needs it and the EncodingAESKey).
    pub fn message_token(mut self, token: impl Into<Secret>) -> Self {
        self.message_token = Some(token.into());
        self
    }

    /// The 43-character EncodingAESKey of the authorization-event URL.
    pub fn encoding_aes_key(mut self, key: impl Into<Secret>) -> Self {
        self.encoding_aes_key = Some(key.into());
        self
    }

    /// A `component_verify_ticket` to use while the token store holds none (one received
    /// by another program). Pushes handed to [`Client::receive_push`] replace it.
    pub fn component_verify_ticket(mut self, ticket: impl Into<Secret>) -> Self {
        self.verify_ticket = Some(ticket.into());
        self
    }

    /// Takes the component token from `credentials` (a central token service) instead of
    /// fetching and caching it: the externally managed mode. A rejected token is reported
    /// to [`Credentials::invalidate`] before the single retry. The tenant asked for is
    /// the component's AppID.
    pub fn component_credentials(mut self, credentials: Arc<dyn Credentials>) -> Self {
        self.component_credentials = Some(credentials);
        self
    }

    /// Takes authorizer tokens from `credentials` instead of refreshing and caching them
    /// here: the externally managed mode. The tenant asked for is the mini program's
    /// AppID; refresh tokens are then the provider's business (this client stores none).
    pub fn authorizer_credentials(mut self, credentials: Arc<dyn Credentials>) -> Self {
        self.authorizer_credentials = Some(credentials);
        self
    }

    /// When managed tokens are refreshed: in the background once less than
    /// `refresh_ahead` is left (default 5 min), and never used in their last
    /// `min_validity` (default 30 s).
    pub fn token_refresh(mut self, timing: RefreshTiming) -> Self {
        self.token_timing = timing;
        self
    }

    /// Posts `action` to `path` instead of its documented path, for the actions whose path
    /// the documents disagree on (`get_agency_settled_revenue`: `/wxa/operationams` per
    /// the documentation, `/wxa/getdefaultamsinfo` per a peer SDK). `path` must be one of
    /// the three AMS paths, and `action` one of the 26 actions.
    pub fn action_path(mut self, action: &str, path: &str) -> Self {
        let action = wire::AMS_ACTIONS.iter().find(|a| a.name == action).map_or("", |a| a.name);
        let path = [wire::OPERATION_PATH, wire::SET_DEFAULT_PATH, wire::GET_DEFAULT_PATH]
            .into_iter()
            .find(|p| *p == path)
            .unwrap_or("");
        self.action_paths.insert(action, path);
        self
    }

    tx_core::client_builder_methods!();

    /// Checks the settings and builds the client. No request is sent.
    pub fn build(self) -> Result<Client, Error> {
        let appid = self.component_appid.ok_or_else(|| Error::invalid_input("component_appid", "must be set"))?;
        validate::appid("component_appid", &appid)?;
        let secret = self.component_secret.filter(|s| !s.expose().trim().is_empty());
        if secret.is_none() && self.component_credentials.is_none() {
            return Err(Error::invalid_input(
                "component_secret",
                "must be set (or the component token managed elsewhere: component_credentials)",
            ));
        }
        if self.action_paths.keys().any(|k| k.is_empty()) {
            return Err(Error::invalid_input("action_path", "names an action that is not one of the 26 AMS actions"));
        }
        if self.action_paths.values().any(|p| p.is_empty()) {
            return Err(Error::invalid_input(
                "action_path",
                "must be /wxa/operationams, /wxa/setdefaultamsinfo or /wxa/getdefaultamsinfo",
            ));
        }
        let crypto = match (self.message_token, self.encoding_aes_key) {
            (None, None) => None,
            (Some(token), Some(key)) => Some(PushCrypto::new(token, key.expose(), appid.clone()).map_err(|_| {
                Error::invalid_input(
                    "encoding_aes_key",
                    format_args!("must be {ENCODING_AES_KEY_LEN} base64 characters that decode to 32 bytes"),
                )
            })?),
            (Some(_), None) => return Err(Error::invalid_input("encoding_aes_key", "must be set with message_token")),
            (None, Some(_)) => return Err(Error::invalid_input("message_token", "must be set with encoding_aes_key")),
        };
        if self.token_timing.refresh_ahead < self.token_timing.min_validity {
            return Err(Error::invalid_input("token_refresh", "refresh_ahead must not be shorter than min_validity"));
        }
        let core = self.core.build(PlatformDefaults { rate_limit: None, rate_period: RATE_PERIOD })?;
        let (base, backup) = match core.endpoint() {
            Some((base, backup)) => (base.clone(), backup.clone()),
            None => (parse(DEFAULT_BASE_URL)?, Some(parse(BACKUP_BASE_URL)?)),
        };
        // Token calls are not paced (their quotas are daily), but a 45011 or 1737 answer
        // holds their key; AMS actions get the configured limiter, or one that only holds.
        let holds: Arc<dyn RateLimiter> = Arc::new(LocalRateLimiter::new(None));
        let paths: PathOverrides = Arc::new(self.action_paths);
        let component_tenant = Tenant::new(appid.as_str());
        let pipeline = |component, authorizers, limiter: Arc<dyn RateLimiter>| -> Result<Api, Error> {
            let protocol = WechatProtocol { component_appid: component_tenant.clone(), component, authorizers };
            let mut p = Pipeline::builder(protocol).core(&core).rate_limiter(limiter).base_url(base.clone());
            if let Some(backup) = &backup {
                p = p.backup_base_url(backup.clone());
            }
            Ok(Api::new(p.build()?, &appid, Arc::clone(&paths)))
        };

        let bare = pipeline(None, None, Arc::clone(&holds))?;
        let tickets = TicketStore::new(core.token_store().clone(), &appid, self.verify_ticket, core.clock().clone());
        let (component, component_cache): (Arc<dyn Credentials>, _) = match self.component_credentials {
            Some(external) => (external, None),
            None => {
                let source = ComponentTokenSource {
                    api: bare.clone(),
                    secret: secret.clone().unwrap_or_default(),
                    tickets: tickets.clone(),
                    clock: core.clock().clone(),
                };
                let cache = TokenCache::builder(COMPONENT_NAMESPACE, source)
                    .store(core.token_store().clone())
                    .shared_clock(core.clock().clone())
                    .timing(self.token_timing.clone())
                    .build();
                (Arc::new(cache.clone()), Some(cache))
            }
        };
        let (authorizers, authorizer_cache): (Arc<dyn Credentials>, _) = match self.authorizer_credentials {
            Some(external) => (external, None),
            None => {
                let token_api = pipeline(Some(Arc::clone(&component)), None, Arc::clone(&holds))?;
                let source = AuthorizerTokenSource { api: token_api, clock: core.clock().clone() };
                let cache = TokenCache::builder(authorizer_namespace(&appid), source)
                    .store(core.token_store().clone())
                    .shared_clock(core.clock().clone())
                    .timing(self.token_timing)
                    .build();
                (Arc::new(cache.clone()), Some(cache))
            }
        };
        let limiter = core.rate_limiter().cloned().unwrap_or(holds);
        let api = pipeline(Some(Arc::clone(&component)), Some(Arc::clone(&authorizers)), limiter)?;
        Ok(Client {
            inner: Arc::new(Inner {
                api,
                bare,
                component_tenant: component_tenant.clone(),
                component_appid: appid,
                secret,
                crypto,
                tickets,
                component,
                authorizers,
                component_cache,
                authorizer_cache,
                core,
            }),
        })
    }
}

/// The namespace of component tokens in the token store: keys are
/// `wechat:component:{component_appid}`.
pub const COMPONENT_NAMESPACE: &str = "wechat:component";

/// The namespace of a component's authorizer tokens in the token store: keys are
/// `wechat:authorizer:{component_appid}:{authorizer_appid}`, the access token and the
/// durable refresh token under the same key.
pub fn authorizer_namespace(component_appid: &str) -> String {
    format!("wechat:authorizer:{component_appid}")
}

fn parse(url: &str) -> Result<Url, Error> {
    tx_core::client::parse_url("endpoint", url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const APPID: &str = "wx0c0c0c0c0c0c0c0c";

    fn env(vars: &[(&str, &str)]) -> Result<ClientBuilder, Error> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        ClientBuilder::from_env_with(|k| map.get(k).cloned())
    }

    fn ok() -> ClientBuilder {
        Client::builder().component_appid(APPID).component_secret("s")
    }

    #[test]
    fn env_variables() {
        let base = [("WECHAT_COMPONENT_APPID", APPID), ("WECHAT_COMPONENT_SECRET", "s")];
        let wechat = env(&base).unwrap().build().unwrap();
        assert_eq!((wechat.component_appid(), wechat.base_url().as_str()), (APPID, DEFAULT_BASE_URL));
        let mut all = base.to_vec();
        all.extend([
            ("WECHAT_COMPONENT_TOKEN", "push-token"),
            ("WECHAT_COMPONENT_AES_KEY", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"),
            ("WECHAT_COMPONENT_VERIFY_TICKET", "ticket@@@1"),
            ("WECHAT_ENDPOINT", "http://127.0.0.1:9/"),
            ("WECHAT_RATE_LIMIT", "30"),
        ]);
        let b = env(&all).unwrap();
        assert_eq!(b.core.rate_limit, Some(Some(30)));
        let wechat = b.build().unwrap();
        assert_eq!(wechat.base_url().as_str(), "http://127.0.0.1:9/");
        assert!(wechat.inner().crypto.is_some());
        let mut off = base.to_vec();
        off.push(("WECHAT_RATE_LIMIT", "off"));
        assert_eq!(env(&off).unwrap().core.rate_limit, Some(None));

        assert_eq!(env(&base[1..]).unwrap_err().field(), Some("WECHAT_COMPONENT_APPID"));
        assert_eq!(env(&base[..1]).unwrap_err().field(), Some("WECHAT_COMPONENT_SECRET"));
        let mut bad = base.to_vec();
        bad.push(("WECHAT_RATE_LIMIT", "fast"));
        assert_eq!(env(&bad).unwrap_err().field(), Some("WECHAT_RATE_LIMIT"));
    }

    #[test]
    fn settings_from_flags_environment_and_profile() {
        use std::io::Write;
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(
            file,
            "[profiles.default.wechat]\ncomponent_appid = \"{APPID}\"\ncomponent_secret = \"from-file\"\nrate_limit = 30\n\n[profiles.typo.wechat]\ncomponent_apid = \"x\"\n"
        )
        .unwrap();
        let vars: HashMap<&str, &str> = HashMap::from([("WECHAT_ENDPOINT", "http://127.0.0.1:9/")]);
        let config = Config::from_lookup(move |k| vars.get(k).map(|v| (*v).to_owned()))
            .with_profile(Some(file.path()), "default")
            .unwrap();
        let b = ClientBuilder::from_config(&config).unwrap();
        assert_eq!(b.core.rate_limit, Some(Some(30)));
        assert_eq!(b.component_secret.as_ref().map(Secret::expose), Some("from-file"));
        assert_eq!(b.build().unwrap().base_url().as_str(), "http://127.0.0.1:9/");

        let mut flagged = config.clone();
        flagged.set(&settings::COMPONENT_SECRET, "--component-secret", "from-flag");
        let b = ClientBuilder::from_config(&flagged).unwrap();
        assert_eq!(b.component_secret.as_ref().map(Secret::expose), Some("from-flag"));

        let e = ClientBuilder::from_config(&Config::from_lookup(|_| None)).unwrap_err();
        assert_eq!(e.field(), Some("WECHAT_COMPONENT_APPID"));
        assert!(e.to_string().contains("add component_appid to [profiles.default.wechat]"), "{e}");
        let bad = Config::from_lookup(|k| (k == "WECHAT_COMPONENT_APPID").then(|| "gh_123".to_owned()));
        let e = ClientBuilder::from_config(&bad).unwrap_err();
        assert_eq!(e.field(), Some("WECHAT_COMPONENT_APPID"));
        assert!(e.to_string().contains("an AppID is"), "{e}");
        let typo = Config::from_lookup(|_| None).with_profile(Some(file.path()), "typo").unwrap();
        let e = ClientBuilder::from_config(&typo).unwrap_err().to_string();
        assert!(e.contains("(wechat.component_apid) is not a setting of [wechat]"), "{e}");
    }

    #[test]
    fn build_rules() {
        assert!(ok().build().is_ok());
        let field = |b: ClientBuilder| b.build().unwrap_err().field().map(str::to_owned);
        assert_eq!(field(Client::builder().component_secret("s")).as_deref(), Some("component_appid"));
        assert_eq!(field(Client::builder().component_appid("gh_123")).as_deref(), Some("component_appid"));
        assert_eq!(field(Client::builder().component_appid(APPID)).as_deref(), Some("component_secret"));
        assert_eq!(field(ok().component_secret(" ")).as_deref(), Some("component_secret"));
        assert_eq!(field(ok().message_token("t")).as_deref(), Some("encoding_aes_key"));
        assert_eq!(field(ok().encoding_aes_key("k")).as_deref(), Some("message_token"));
        assert_eq!(field(ok().message_token("t").encoding_aes_key("short")).as_deref(), Some("encoding_aes_key"));
        assert_eq!(field(ok().endpoint("not a url")).as_deref(), Some("endpoint"));
        assert_eq!(field(ok().action_path("no_such_action", wire::GET_DEFAULT_PATH)).as_deref(), Some("action_path"));
        assert_eq!(field(ok().action_path("get_agency_settled_revenue", "/elsewhere")).as_deref(), Some("action_path"));
        assert!(ok().action_path("get_agency_settled_revenue", wire::GET_DEFAULT_PATH).build().is_ok());
        let timing = RefreshTiming { refresh_ahead: Duration::from_secs(10), min_validity: Duration::from_secs(30) };
        assert_eq!(field(ok().token_refresh(timing)).as_deref(), Some("token_refresh"));
        assert_eq!(ok().build().unwrap().base_url().as_str(), DEFAULT_BASE_URL);
        assert_eq!(authorizer_namespace(APPID), "wechat:authorizer:wx0c0c0c0c0c0c0c0c");
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let b = ok()
            .component_secret("SUPER-SECRET-1")
            .message_token("SUPER-SECRET-2")
            .encoding_aes_key("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
            .component_verify_ticket("SUPER-SECRET-3");
        let shown = format!("{b:?}");
        assert!(!shown.contains("SUPER-SECRET") && !shown.contains("abcdefghij"), "{shown}");
        let wechat = b.build().unwrap();
        let shown = format!("{wechat:?} {wechat:#?}");
        assert!(!shown.contains("SUPER-SECRET") && !shown.contains("abcdefghij"), "{shown}");
        assert!(shown.contains(APPID));
    }
}
