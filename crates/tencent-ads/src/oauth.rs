//! OAuth 2.0 for many accounts in one client: the authorize URL, the code exchange, the
//! refresh, and tokens obtained elsewhere. Tokens are kept per account in the client's
//! token store ([`crate::ClientBuilder::token_store`]), refresh tokens durably.

use crate::api::Api;
use crate::validate;
use crate::wire::{AccountType, AuthorizerInfo, TokenResponse};
use std::time::Duration;
use tx_core::token::{Durable, Fetched, Token};
use tx_core::{Error, Secret, Tenant};
use url::Url;

/// What an authorization brought: the account, who authorized, the tokens (kept by the
/// client; here for callers that keep them elsewhere) and their expiry. `Debug` shows no
/// token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Authorization {
    /// The authorized account: the `account` of later calls.
    pub account_id: i64,
    /// Who authorized the app, with the scopes and the account's role.
    pub authorizer_info: AuthorizerInfo,
    /// The access token.
    pub access_token: Secret,
    /// When the access token expires (unix seconds).
    pub access_token_expires_at: u64,
    /// The refresh token.
    pub refresh_token: Option<Secret>,
    /// When the refresh token expires (unix seconds): 30 days unless the answer said.
    pub refresh_token_expires_at: Option<u64>,
}

/// What the client holds for an account, without the tokens themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct TokenStatus {
    /// When the cached access token expires (unix seconds), if one is cached.
    pub access_token_expires_at: Option<u64>,
    /// Whether a refresh token is stored.
    pub has_refresh_token: bool,
    /// When the stored refresh token expires (unix seconds), if known.
    pub refresh_token_expires_at: Option<u64>,
}

/// OAuth calls of a [`crate::Client`]. Get one with [`crate::Client::oauth`].
#[derive(Debug, Clone, Copy)]
pub struct OAuth<'a> {
    api: &'a Api,
}

impl<'a> OAuth<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        OAuth { api }
    }

    /// The page to send the user to (`https://developers.e.qq.com/oauth/authorize`); the
    /// user comes back to `redirect_uri` with `authorization_code` (and `state`).
    ///
    /// ```
    /// let ads = tencent_ads::Client::builder().client_id(1110000000).client_secret("secret").build()?;
    /// let url = ads.oauth().authorize_url("https://example.com/callback").state("xyz").build()?;
    /// assert_eq!(
    ///     url.as_str(),
    ///     "https://developers.e.qq.com/oauth/authorize?client_id=1110000000&redirect_uri=https%3A%2F%2Fexample.com%2Fcallback&state=xyz"
    /// );
    /// # Ok::<(), tx_core::Error>(())
    /// ```
    pub fn authorize_url(self, redirect_uri: &str) -> AuthorizeUrl<'a> {
        AuthorizeUrl {
            api: self.api,
            redirect_uri: redirect_uri.to_owned(),
            state: None,
            scope: None,
            account_type: None,
        }
    }

    /// Exchanges the `authorization_code` of the callback (valid 5 minutes, usable once)
    /// for the account's tokens, and keeps them for the account's calls. `redirect_uri`
    /// must be the authorize URL's, character for character. Never sent twice: a second
    /// use of the code is refused (11013), so a request whose answer was lost fails.
    ///
    /// ```no_run
    /// # async fn demo(ads: tencent_ads::Client, code: String) -> Result<(), tx_core::Error> {
    /// let auth = ads.oauth().exchange_code(code, "https://example.com/callback").await?;
    /// let report = ads.watermarks().add(auth.account_id, ["123"], [tencent_ads::WarningText::LOAN_RISK]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn exchange_code(self, code: impl Into<Secret>, redirect_uri: &str) -> Result<Authorization, Error> {
        let response = self.api.oauth.exchange(code.into(), redirect_uri).await?;
        let info = response.authorizer_info.clone().unwrap_or_default();
        let Some(account_id) = info.account_id else {
            return Err(Error::decode("the token answer names no authorizer_info.account_id", b""));
        };
        let fetched = self.api.oauth.fetched(&response, None);
        self.store(account_id, &fetched).await?;
        Ok(authorization(account_id, info, &response, &fetched))
    }

    /// Gets a new access token for `account` with its stored refresh token now, and keeps
    /// it. The refresh token stays the same; its validity restarts (30 days unless the
    /// answer says otherwise). The client also refreshes by itself, ahead of expiry and
    /// after the service reports an expired token (11000).
    pub async fn refresh(self, account: i64) -> Result<TokenStatus, Error> {
        validate::check_account_id(account)?;
        self.managed()?;
        let tenant = Tenant::from(account);
        let Some(stored) = self.api.cache.refresh_token(&tenant).await? else {
            return Err(
                Error::auth(format!("account {account} has no refresh token: authorize it first")).with_not_sent()
            );
        };
        let response = self.api.oauth.refresh(&stored.value).await?;
        let fetched = self.api.oauth.fetched(&response, Some(&stored.value));
        self.api.cache.put(&tenant, &fetched).await?;
        self.status(account).await
    }

    /// Keeps a refresh token obtained elsewhere (a previous run, another service) for
    /// `account`; an access token is fetched with it when a call needs one.
    /// `expires_at` (unix seconds) is informative.
    pub async fn set_refresh_token(
        self,
        account: i64,
        refresh_token: impl Into<Secret>,
        expires_at: Option<u64>,
    ) -> Result<(), Error> {
        validate::check_account_id(account)?;
        self.managed()?;
        let token = non_empty("refresh_token", refresh_token.into())?;
        let tenant = Tenant::from(account);
        // Drop whatever the account had, then keep the refresh token alone.
        self.api.cache.purge(&tenant).await?;
        let key = self.api.cache.key(&tenant);
        self.api.token_store.put_durable(&key, &Durable::new(token, expires_at)).await
    }

    /// Keeps an access token obtained elsewhere for `account`, valid for `lifetime`
    /// from now. When it expires, the account's stored refresh token (if any) gets a new
    /// one.
    pub async fn set_access_token(
        self,
        account: i64,
        access_token: impl Into<Secret>,
        lifetime: Duration,
    ) -> Result<(), Error> {
        validate::check_account_id(account)?;
        self.managed()?;
        let token = non_empty("access_token", access_token.into())?;
        let now = self.api.pipeline.protocol().clock.unix_now();
        let fetched = Fetched { token: Token::new(token, now, lifetime), refresh: None };
        self.api.cache.put(&Tenant::from(account), &fetched).await
    }

    /// Forgets everything kept for `account` (its authorization was revoked).
    pub async fn forget(self, account: i64) -> Result<(), Error> {
        validate::check_account_id(account)?;
        self.api.cache.purge(&Tenant::from(account)).await
    }

    /// What the client holds for `account`, without the tokens.
    pub async fn status(self, account: i64) -> Result<TokenStatus, Error> {
        validate::check_account_id(account)?;
        let tenant = Tenant::from(account);
        let access = self.api.cache.cached(&tenant).await?;
        let refresh = self.api.cache.refresh_token(&tenant).await?;
        Ok(TokenStatus {
            access_token_expires_at: access.map(|t| t.expires_at),
            has_refresh_token: refresh.is_some(),
            refresh_token_expires_at: refresh.and_then(|r| r.expires_at),
        })
    }

    fn managed(&self) -> Result<(), Error> {
        if self.api.external_tokens {
            return Err(Error::invalid_input(
                "credentials",
                "tokens are managed by the Credentials given to the client builder: keep them there",
            ));
        }
        Ok(())
    }

    async fn store(&self, account: i64, fetched: &Fetched) -> Result<(), Error> {
        if self.api.external_tokens {
            return Ok(());
        }
        self.api.cache.put(&Tenant::from(account), fetched).await
    }
}

fn non_empty(field: &'static str, value: Secret) -> Result<Secret, Error> {
    if value.expose().trim().is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    Ok(value)
}

fn authorization(account_id: i64, info: AuthorizerInfo, response: &TokenResponse, fetched: &Fetched) -> Authorization {
    Authorization {
        account_id,
        authorizer_info: info,
        access_token: response.access_token.clone(),
        access_token_expires_at: fetched.token.expires_at,
        refresh_token: response.refresh_token.clone(),
        refresh_token_expires_at: fetched.refresh.as_ref().and_then(|r| r.expires_at),
    }
}

/// Builds the authorize URL. From [`OAuth::authorize_url`].
#[derive(Debug, Clone)]
#[must_use]
pub struct AuthorizeUrl<'a> {
    api: &'a Api,
    redirect_uri: String,
    state: Option<String>,
    scope: Option<Vec<String>>,
    account_type: Option<AccountType>,
}

impl AuthorizeUrl<'_> {
    /// An opaque value the callback carries back (to tie it to the user's session).
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = Some(state.into());
        self
    }

    /// The permissions asked for (e.g. `ads_management`); all of the app's by default.
    pub fn scope<I, S>(mut self, scope: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scope = Some(scope.into_iter().map(Into::into).collect());
        self
    }

    /// The kind of account that logs in (QQ by default; WeChat is possible).
    pub fn account_type(mut self, account_type: AccountType) -> Self {
        self.account_type = Some(account_type);
        self
    }

    /// The URL. `Err` if `redirect_uri` is not an http(s) URL with a host and no port.
    pub fn build(self) -> Result<Url, Error> {
        validate::check_redirect_uri(&self.redirect_uri)?;
        let mut url = self
            .api
            .hosts
            .developers
            .join("oauth/authorize")
            .map_err(|e| Error::invalid_input("endpoint", format_args!("does not make a URL: {e}")))?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("client_id", &self.api.pipeline.protocol().client_id.to_string());
            q.append_pair("redirect_uri", &self.redirect_uri);
            if let Some(state) = &self.state {
                q.append_pair("state", state);
            }
            if let Some(scope) = &self.scope {
                q.append_pair("scope", &scope.join(","));
            }
            if let Some(account_type) = &self.account_type {
                q.append_pair("account_type", account_type.as_str());
            }
        }
        Ok(url)
    }
}
