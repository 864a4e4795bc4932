//! Whose token a call carries: a static token configured for the account or for every
//! account (a private app's), else the managed tokens: OAuth tokens cached per account
//! and refreshed with the account's stored refresh token, or a user's own
//! [`Credentials`].

use super::oauth::OAuthApi;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use tx_core::token::{Credentials, Durable, Fetched, TokenSource};
use tx_core::{Error, Secret, Tenant, async_trait};

/// The tokens of a client's accounts (the tenants of its calls).
pub(crate) struct AccountTokens {
    /// Static tokens of single accounts.
    pub statics: HashMap<Tenant, Secret>,
    /// A private app's static token, for every account without a token of its own.
    pub private: Option<Secret>,
    /// Everything else: the OAuth token cache, or the user's credentials.
    pub managed: Arc<dyn Credentials>,
}

/// Names the accounts with static tokens; never shows a token.
impl fmt::Debug for AccountTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut accounts: Vec<&str> = self.statics.keys().map(Tenant::as_str).collect();
        accounts.sort_unstable();
        f.debug_struct("AccountTokens")
            .field("static_accounts", &accounts)
            .field("private_token", &self.private.is_some())
            .field("managed", &self.managed)
            .finish()
    }
}

impl AccountTokens {
    /// The token for `account`'s calls.
    pub async fn token(&self, account: &Tenant) -> Result<Secret, Error> {
        if account.as_str().is_empty() {
            return Err(Error::invalid_input("account_id", "must be set: a call is made for an account"));
        }
        if let Some(token) = self.statics.get(account).or(self.private.as_ref()) {
            return Ok(token.clone());
        }
        Ok(self.managed.token(account).await?.value)
    }

    /// `account`'s token `failed` was refused: a managed token is dropped (if it is still
    /// the current one) so the next attempt gets a fresh one; a static token cannot be
    /// replaced by the client.
    pub async fn invalidate(&self, account: &Tenant, failed: &Secret) {
        let is_static = self.statics.get(account).or(self.private.as_ref()).is_some_and(|t| t == failed);
        if is_static {
            tracing::warn!(%account, "the service refused a static access token; configure a new one");
        } else {
            self.managed.invalidate(account, failed).await;
        }
    }
}

/// Fresh access tokens for an account from its stored refresh token (`grant_type =
/// refresh_token`). The refresh token comes back unchanged, its validity moved forward.
#[derive(Debug)]
pub(crate) struct OAuthSource {
    pub oauth: OAuthApi,
}

#[async_trait]
impl TokenSource for OAuthSource {
    async fn fetch(&self, account: &Tenant, refresh: Option<&Durable>) -> Result<Fetched, Error> {
        let Some(refresh) = refresh else {
            return Err(Error::auth(format!(
                "account {account} has no access token and no refresh token: exchange an authorization \
                 code (oauth().exchange_code), store a refresh token (oauth().set_refresh_token) or \
                 configure a static token"
            ))
            .with_not_sent());
        };
        let response = self.oauth.refresh(&refresh.value).await?;
        let fetched = self.oauth.fetched(&response, Some(&refresh.value));
        tracing::debug!(%account, "access token refreshed");
        Ok(fetched)
    }
}

/// The namespace of an app's account tokens in a token store; keys are
/// `ads:token:{client_id}:{account_id}`.
pub(crate) fn namespace(client_id: u64) -> String {
    format!("ads:token:{client_id}")
}
