//! Where fresh tokens come from: `api_component_token` with the latest ticket, and
//! `api_authorizer_token` with the authorizer's stored refresh token.
//!
//! Each source sends its call through a pipeline of its own (the component token's has no
//! credentials; the authorizer token's has the component token only), so the retry policy
//! applies once per fetch, and the caches above never retry on top of it.

use super::ticket::TicketStore;
use super::with_context;
use crate::api::Api;
use crate::code::ErrorCode;
use crate::wire::{AuthorizerTokenRequest, ComponentTokenRequest};
use std::fmt;
use std::time::Duration;
use tx_core::clock::SharedClock;
use tx_core::token::{Durable, Fetched, Token, TokenSource};
use tx_core::{Error, ErrorKind, Secret, Tenant, async_trait};

/// The lifetime assumed when an answer gives none: 7200 s, the documented one.
pub(crate) const DEFAULT_LIFETIME: Duration = Duration::from_secs(7200);

fn lifetime(expires_in: i64) -> Duration {
    u64::try_from(expires_in).ok().filter(|s| *s > 0).map_or(DEFAULT_LIFETIME, Duration::from_secs)
}

/// Fetches the `component_access_token` with the AppSecret and the latest ticket.
pub(crate) struct ComponentTokenSource {
    /// A pipeline without credentials.
    pub api: Api,
    pub secret: Secret,
    pub tickets: TicketStore,
    pub clock: SharedClock,
}

impl fmt::Debug for ComponentTokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ComponentTokenSource")
            .field("component_appid", &self.api.component_appid())
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl TokenSource for ComponentTokenSource {
    async fn fetch(&self, tenant: &Tenant, _refresh: Option<&Durable>) -> Result<Fetched, Error> {
        let context = || format!("the component_access_token of {tenant}");
        let ticket = self.tickets.current().await?.ok_or_else(|| {
            Error::auth(format!(
                "{}: no component_verify_ticket has been received yet: WeChat pushes one to the \
                 authorization-event URL every 10 minutes (hand it to Client::receive_push), or ask \
                 for one now with Tokens::start_push_ticket",
                context()
            ))
            .with_not_sent()
        })?;
        let request = ComponentTokenRequest {
            component_appid: tenant.as_str().to_owned(),
            component_appsecret: self.secret.clone(),
            component_verify_ticket: ticket.value,
        };
        let answer = self.api.send(None, &request).await.map_err(|e| with_context(e, context()))?;
        if answer.component_access_token.is_empty() {
            return Err(Error::auth(format!("{}: the answer holds no token", context())));
        }
        tracing::debug!(component = %tenant, "component_access_token fetched");
        Ok(Token::new(answer.component_access_token, self.clock.unix_now(), lifetime(answer.expires_in)).into())
    }
}

/// Fetches an `authorizer_access_token` with the authorizer's stored refresh token, and
/// hands back a rotated refresh token so that the cache stores it before the call returns.
pub(crate) struct AuthorizerTokenSource {
    /// A pipeline with the component token only.
    pub api: Api,
    pub clock: SharedClock,
}

impl fmt::Debug for AuthorizerTokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizerTokenSource")
            .field("component_appid", &self.api.component_appid())
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl TokenSource for AuthorizerTokenSource {
    async fn fetch(&self, tenant: &Tenant, refresh: Option<&Durable>) -> Result<Fetched, Error> {
        let context = || format!("the authorizer_access_token of {tenant}");
        let Some(refresh) = refresh.filter(|r| !r.value.expose().trim().is_empty()) else {
            return Err(Error::auth(format!(
                "{}: no authorizer_refresh_token is stored for it: exchange an authorization code \
                 (Authorization::query_auth), or recover the refresh tokens of every authorizer \
                 (Tokens::recover_refresh_tokens, api_get_authorizer_list)",
                context()
            ))
            .with_not_sent());
        };
        let request = AuthorizerTokenRequest {
            component_appid: self.api.component_appid().to_owned(),
            authorizer_appid: tenant.as_str().to_owned(),
            authorizer_refresh_token: refresh.value.clone(),
        };
        let answer = match self.api.send(None, &request).await {
            Ok(answer) => answer,
            Err(e) if e.code().is_some_and(|c| ErrorCode::from(c).is_refresh_token_invalid()) => {
                return Err(refresh_token_refused(tenant, e));
            }
            Err(e) => return Err(with_context(e, context())),
        };
        if answer.authorizer_access_token.is_empty() {
            return Err(Error::auth(format!("{}: the answer holds no token", context())));
        }
        let token = Token::new(answer.authorizer_access_token, self.clock.unix_now(), lifetime(answer.expires_in));
        // A different refresh token replaces the stored one at once: the old one works
        // only about 5 more minutes.
        let rotated = answer.authorizer_refresh_token.filter(|r| *r != refresh.value).map(|r| Durable::new(r, None));
        tracing::debug!(authorizer = %tenant, rotated = rotated.is_some(), "authorizer_access_token fetched");
        Ok(Fetched { token, refresh: rotated })
    }
}

/// The typed error of a refused refresh token (61023): never retried, and its message says
/// how to recover.
pub(crate) fn refresh_token_refused(tenant: &Tenant, cause: Error) -> Error {
    let message = format!(
        "the authorizer_refresh_token of {tenant} was refused (61023, {}): recover it with \
         Tokens::recover_refresh_tokens (api_get_authorizer_list lists every authorizer's current \
         refresh token), or have the merchant authorize the platform again; it is not retried",
        cause.message()
    );
    let e = Error::api(ErrorKind::Auth, 61023, &message).with_retryable(false, None);
    match cause.request_id() {
        Some(id) => e.with_request_id(id.to_owned()),
        None => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_default_to_two_hours() {
        assert_eq!(lifetime(7200), Duration::from_secs(7200));
        assert_eq!(lifetime(600), Duration::from_secs(600));
        assert_eq!(lifetime(0), DEFAULT_LIFETIME);
        assert_eq!(lifetime(-5), DEFAULT_LIFETIME);
    }

    #[test]
    fn a_refused_refresh_token_says_how_to_recover() {
        let cause = Error::api(ErrorKind::Auth, 61023, "refresh_token is invalid").with_request_id("r-1");
        let e = refresh_token_refused(&Tenant::new("wx0123456789abcdef"), cause);
        assert_eq!(
            (e.code(), e.kind(), e.is_retryable(), e.request_id()),
            (Some(61023), ErrorKind::Auth, false, Some("r-1"))
        );
        for needle in
            ["wx0123456789abcdef", "recover_refresh_tokens", "api_get_authorizer_list", "authorize the platform again"]
        {
            assert!(e.message().contains(needle), "{needle}: {e}");
        }
    }
}
