//! `GET oauth/token`: the app's credentials on every attempt (the secret only as a
//! [`Secret`] query value, which redacted URLs mask), the grant in the call's query.

use super::{PLATFORM, classify, decode};
use crate::wire::TokenRequest;
use serde::de::DeserializeOwned;
use std::fmt;
use tx_core::clock::SharedClock;
use tx_core::pipeline::{AttemptRequest, Call, Pipeline, Protocol, RawResponse};
use tx_core::rate_limit::RateKey;
use tx_core::token::{Durable, Fetched, Token};
use tx_core::{Error, Idempotency, Secret, Verdict, async_trait};

/// The endpoint name (and path, without a version segment) of the token call.
pub(crate) const TOKEN_ENDPOINT: &str = "oauth/token";

/// Adds `client_id` and `client_secret` to every attempt of an `oauth/token` call.
pub(crate) struct OAuthProtocol {
    pub client_id: u64,
    pub client_secret: Secret,
    pub clock: SharedClock,
}

impl fmt::Debug for OAuthProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthProtocol").field("client_id", &self.client_id).finish_non_exhaustive()
    }
}

#[async_trait]
impl Protocol for OAuthProtocol {
    type Credential = ();

    fn platform(&self) -> &'static str {
        PLATFORM
    }

    fn rate_key(&self, call: &Call) -> RateKey {
        super::rate_key(self.client_id, call)
    }

    async fn authorize(&self, _call: &Call, request: &mut AttemptRequest) -> Result<(), Error> {
        request.query("client_id", self.client_id.to_string());
        request.secret_query("client_secret", &self.client_secret);
        Ok(())
    }

    async fn invalidate(&self, _call: &Call, _credential: ()) {}

    fn decode<T: DeserializeOwned>(&self, _call: &Call, response: &RawResponse) -> Result<T, Error> {
        decode(&response.body, &*self.clock)
    }

    /// The token call carries no access token and no nonce: a refresh or a resend of
    /// one-time values cannot help it.
    fn classify(&self, _call: &Call, error: &Error) -> Verdict {
        match classify(error) {
            Verdict::RefreshAuth | Verdict::ResendOnce => Verdict::Permanent,
            other => other,
        }
    }
}

/// Token calls of one app. Cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct OAuthApi {
    pub pipeline: Pipeline<OAuthProtocol>,
}

impl OAuthApi {
    fn request(&self, grant: crate::wire::Grant) -> TokenRequest {
        let p = self.pipeline.protocol();
        let client_id = i64::try_from(p.client_id).unwrap_or(i64::MAX);
        TokenRequest { client_id, client_secret: p.client_secret.clone(), grant }
    }

    /// Exchanges an authorization code (valid 5 minutes, once). Never retried after an
    /// ambiguous failure: a second use of the code is refused (11013).
    pub async fn exchange(&self, code: Secret, redirect_uri: &str) -> Result<crate::wire::TokenResponse, Error> {
        let grant = crate::wire::Grant::AuthorizationCode { code, redirect_uri: redirect_uri.to_owned() };
        self.token(self.request(grant), Idempotency::NotIdempotent).await
    }

    /// A new access token for a refresh token, which stays the same (its 30 days restart).
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<crate::wire::TokenResponse, Error> {
        let grant = crate::wire::Grant::RefreshToken(refresh_token.clone());
        self.token(self.request(grant), Idempotency::Idempotent).await
    }

    async fn token(
        &self,
        request: TokenRequest,
        idempotency: Idempotency,
    ) -> Result<crate::wire::TokenResponse, Error> {
        request.validate()?;
        let mut call = Call::get(TOKEN_ENDPOINT).with_idempotency(idempotency);
        for (key, value) in request.query_pairs() {
            if !matches!(key, "client_id" | "client_secret") {
                call = call.with_query(key, value.expose());
            }
        }
        Ok(self.pipeline.send(&call).await?.data)
    }

    /// What a token answer means for the cache: the access token with its expiry, and the
    /// refresh token to keep: the answer's, or else `stored` (a refresh returns none) with
    /// its validity moved forward by the answer's `refresh_token_expires_in` (30 days when
    /// absent).
    pub fn fetched(&self, response: &crate::wire::TokenResponse, stored: Option<&Secret>) -> Fetched {
        let now = self.pipeline.protocol().clock.unix_now();
        let token = Token::new(response.access_token.clone(), now, response.access_token_lifetime());
        let refresh = response.refresh_token.as_ref().or(stored).map(|value| {
            Durable::new(value.clone(), Some(now.saturating_add(response.refresh_token_lifetime().as_secs())))
        });
        Fetched { token, refresh }
    }
}
