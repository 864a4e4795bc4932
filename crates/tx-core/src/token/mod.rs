//! Credentials: access tokens with their expiry, durable refresh tokens, where they come
//! from and where they are kept.
//!
//! The rules come from what goes wrong in peer SDKs: concurrent callers each refreshing
//! (every WeChat refresh shortens the previous token's life), a late error handler expiring
//! a token someone else just refreshed, refresh loops that burn daily quotas, a returned
//! refresh token dropped or kept only in a cache with a TTL, one token per client when an
//! agency acts for many accounts.
//!
//! - A [`TokenSource`] fetches a fresh access token for a [`Tenant`], given the tenant's
//!   stored refresh token, and may hand back a new (rotated or extended) refresh token.
//! - A [`TokenStore`] keeps access tokens (with their expiry) apart from durable values
//!   (refresh tokens, WeChat's ticket), in memory by default, in Redis with the `redis`
//!   feature.
//! - A [`TokenCache`] serves any number of tenants from one source and one store: one
//!   refresh in flight per tenant, refresh ahead of expiry, compare-and-invalidate, and a
//!   rotated refresh token written to the store before the call that got it returns.
//!   When the store is shared between processes, its [`RefreshLock`] makes that one
//!   refresh in flight per tenant across all of them.
//! - [`Credentials`] is what a platform protocol asks for a token. `TokenCache` implements
//!   it; so can a user's own provider, for deployments whose tokens are managed by a
//!   central service (the externally managed mode).

mod cache;
mod flight;
mod store;

pub use cache::{RefreshTiming, TokenCache, TokenCacheBuilder};
pub use flight::{Lease, RefreshLock};
pub use store::{MemoryTokenStore, TokenStore};

use crate::error::Error;
use crate::secret::Secret;
use crate::tenant::Tenant;
use async_trait::async_trait;
use std::fmt;
use std::time::Duration;

/// An access credential with its absolute expiry (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The credential.
    pub value: Secret,
    /// The first second at which it is no longer valid.
    pub expires_at: u64,
}

impl Token {
    /// A token valid for `lifetime` from `now` (unix seconds).
    pub fn new(value: impl Into<Secret>, now: u64, lifetime: Duration) -> Token {
        Token { value: value.into(), expires_at: now.saturating_add(lifetime.as_secs()) }
    }

    /// Seconds left at `now`.
    pub fn remaining(&self, now: u64) -> u64 {
        self.expires_at.saturating_sub(now)
    }
}

/// A value kept without a TTL: a refresh token (which outlives many access tokens, and
/// must survive restarts), or WeChat's component ticket. `expires_at` is informative: the
/// store never drops the value by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Durable {
    /// The value.
    pub value: Secret,
    /// When it stops being valid (unix seconds), if known.
    pub expires_at: Option<u64>,
}

impl Durable {
    /// A durable value with an optional expiry.
    pub fn new(value: impl Into<Secret>, expires_at: Option<u64>) -> Durable {
        Durable { value: value.into(), expires_at }
    }
}

/// What a [`TokenSource`] fetched: an access token, and a refresh token to keep if the
/// platform returned one (WeChat may rotate `authorizer_refresh_token`; an Ads refresh
/// extends the old refresh token's validity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The new access token.
    pub token: Token,
    /// A refresh token to store durably now, replacing the stored one.
    pub refresh: Option<Durable>,
}

impl From<Token> for Fetched {
    fn from(token: Token) -> Fetched {
        Fetched { token, refresh: None }
    }
}

/// Where fresh tokens come from: a UserSig signer, an OAuth endpoint, a token API.
///
/// A source that calls an API sends that call through a [`crate::pipeline::Pipeline`] of
/// its own: its retry policy applies once, and the cache does not retry on top of it.
#[async_trait]
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// Fetches a new access token for `tenant`. `refresh` is the tenant's stored refresh
    /// token, if any.
    async fn fetch(&self, tenant: &Tenant, refresh: Option<&Durable>) -> Result<Fetched, Error>;
}

/// What a platform protocol asks for a tenant's token, and tells when the platform
/// rejected one.
///
/// [`TokenCache`] is the managed implementation. Implement it yourself when another
/// service owns the tokens (WeChat's "central control" deployments): return its current
/// token, and pass rejections back so it can refresh.
///
/// ```
/// use tx_core::token::{Credentials, Token};
/// use tx_core::{Error, Secret, Tenant, async_trait};
///
/// #[derive(Debug)]
/// struct CentralService {/* an HTTP client of your token service */}
///
/// #[async_trait]
/// impl Credentials for CentralService {
///     async fn token(&self, tenant: &Tenant) -> Result<Token, Error> {
///         // ask the central service for `tenant`'s current token
///         Ok(Token { value: Secret::new(format!("token-of-{tenant}")), expires_at: u64::MAX })
///     }
///     async fn invalidate(&self, tenant: &Tenant, failed: &Secret) {
///         // tell the central service that `failed` was rejected, so it refreshes
///         let _ = (tenant, failed);
///     }
/// }
/// ```
#[async_trait]
pub trait Credentials: Send + Sync + fmt::Debug {
    /// A usable token for `tenant`.
    async fn token(&self, tenant: &Tenant) -> Result<Token, Error>;

    /// The platform rejected `failed`: forget it if it is still the current token (a
    /// concurrent caller may have replaced it already).
    async fn invalidate(&self, tenant: &Tenant, failed: &Secret);
}

#[cfg(test)]
mod tests;
