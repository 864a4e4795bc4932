//! The tokens of a client: the component token, authorizer tokens and refresh tokens, the
//! ticket. Get a handle with [`crate::Client::tokens`].

use crate::client::Client;
use crate::validate;
use crate::wire::StartPushTicketRequest;
use futures_util::TryStreamExt;
use tx_core::token::{Durable, Fetched, Token, TokenCache};
use tx_core::{Error, Secret, Tenant};

/// Token operations of a [`Client`].
///
/// Calls get their tokens by themselves; this is for what happens around them: tokens
/// obtained elsewhere, revoked authorizations, lost refresh tokens, status displays, and
/// asking WeChat for a ticket now.
#[derive(Debug, Clone, Copy)]
pub struct Tokens<'a> {
    client: &'a Client,
}

impl<'a> Tokens<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Tokens { client }
    }

    fn authorizer_cache(&self) -> Result<&'a TokenCache, Error> {
        self.client.inner().authorizer_cache.as_ref().ok_or_else(|| {
            Error::invalid_input(
                "authorizer_credentials",
                "are managed outside this client (externally managed mode): ask their provider",
            )
        })
    }

    /// A usable `component_access_token`: the cached one, or a fresh one (fetched with the
    /// latest ticket; one fetch in flight however many callers).
    pub async fn component(&self) -> Result<Token, Error> {
        let inner = self.client.inner();
        inner.component.token(&inner.component_tenant).await
    }

    /// A usable `authorizer_access_token` of `authorizer_appid`: the cached one, or a fresh
    /// one (refreshed with its stored refresh token; one refresh in flight per authorizer).
    pub async fn authorizer(&self, authorizer_appid: &str) -> Result<Token, Error> {
        validate::appid("authorizer_appid", authorizer_appid)?;
        self.client.inner().authorizers.token(&Tenant::new(authorizer_appid)).await
    }

    /// The cached component token, without fetching one; `None` in the externally managed
    /// mode.
    pub async fn cached_component(&self) -> Result<Option<Token>, Error> {
        let inner = self.client.inner();
        match &inner.component_cache {
            Some(cache) => cache.cached(&inner.component_tenant).await,
            None => Ok(None),
        }
    }

    /// The cached token of `authorizer_appid`, without fetching one; `None` in the
    /// externally managed mode.
    pub async fn cached_authorizer(&self, authorizer_appid: &str) -> Result<Option<Token>, Error> {
        validate::appid("authorizer_appid", authorizer_appid)?;
        match &self.client.inner().authorizer_cache {
            Some(cache) => cache.cached(&Tenant::new(authorizer_appid)).await,
            None => Ok(None),
        }
    }

    /// The stored refresh token of `authorizer_appid`.
    pub async fn refresh_token(&self, authorizer_appid: &str) -> Result<Option<Durable>, Error> {
        validate::appid("authorizer_appid", authorizer_appid)?;
        self.authorizer_cache()?.refresh_token(&Tenant::new(authorizer_appid)).await
    }

    /// Stores the refresh token of `authorizer_appid` (one kept elsewhere until now), so
    /// that its tokens can be refreshed.
    pub async fn put_refresh_token(
        &self,
        authorizer_appid: &str,
        refresh_token: impl Into<Secret>,
    ) -> Result<(), Error> {
        validate::appid("authorizer_appid", authorizer_appid)?;
        let refresh = refresh_token.into();
        if refresh.expose().trim().is_empty() {
            return Err(Error::invalid_input("authorizer_refresh_token", "must not be empty"));
        }
        self.authorizer_cache()?.put_refresh(&Tenant::new(authorizer_appid), &Durable::new(refresh, None)).await
    }

    /// Stores tokens of `authorizer_appid` obtained elsewhere: the refresh token first
    /// (durably), then the access token.
    pub async fn put_authorizer(
        &self,
        authorizer_appid: &str,
        access: Token,
        refresh_token: Option<Secret>,
    ) -> Result<(), Error> {
        validate::appid("authorizer_appid", authorizer_appid)?;
        let refresh = refresh_token.filter(|r| !r.expose().trim().is_empty()).map(|r| Durable::new(r, None));
        self.authorizer_cache()?.put(&Tenant::new(authorizer_appid), &Fetched { token: access, refresh }).await
    }

    /// Forgets everything kept for `authorizer_appid` (its authorization was withdrawn;
    /// [`Client::receive_push`] does this on an `unauthorized` push).
    pub async fn purge_authorizer(&self, authorizer_appid: &str) -> Result<(), Error> {
        validate::appid("authorizer_appid", authorizer_appid)?;
        self.authorizer_cache()?.purge(&Tenant::new(authorizer_appid)).await
    }

    /// The latest `component_verify_ticket` (its `expires_at`: 12 h after it was pushed).
    pub async fn ticket(&self) -> Result<Option<Durable>, Error> {
        self.client.inner().tickets.current().await
    }

    /// Stores a ticket received elsewhere, pushed at `create_time` (Unix seconds), unless
    /// a newer one is stored. Returns whether it was stored.
    pub async fn set_ticket(&self, ticket: impl Into<Secret>, create_time: i64) -> Result<bool, Error> {
        self.client.inner().tickets.put(ticket.into(), create_time).await
    }

    /// `api_start_push_ticket`: asks WeChat to push a `component_verify_ticket` to the
    /// authorization-event URL now (after a 61005/61006, or at first start).
    pub async fn start_push_ticket(&self) -> Result<(), Error> {
        let inner = self.client.inner();
        let secret = inner
            .secret
            .clone()
            .ok_or_else(|| Error::invalid_input("component_secret", "must be set to ask for a ticket push"))?;
        let request =
            StartPushTicketRequest { component_appid: inner.component_appid.clone(), component_secret: secret };
        inner.bare.send(None, &request).await.map(drop)
    }

    /// Stores the current refresh token of every authorizer of the component, from
    /// `api_get_authorizer_list`: what recovers refresh tokens that were lost (or refused
    /// with 61023). Returns how many were stored.
    pub async fn recover_refresh_tokens(&self) -> Result<u64, Error> {
        let cache = self.authorizer_cache()?;
        let mut entries = self.client.authorization().authorizers();
        let mut stored = 0;
        while let Some(entry) = entries.try_next().await? {
            if entry.authorizer_appid.is_empty() || entry.refresh_token.expose().trim().is_empty() {
                continue;
            }
            cache
                .put_refresh(&Tenant::new(entry.authorizer_appid.as_str()), &Durable::new(entry.refresh_token, None))
                .await?;
            stored += 1;
        }
        tracing::info!(stored, "refresh tokens recovered from api_get_authorizer_list");
        Ok(stored)
    }
}
