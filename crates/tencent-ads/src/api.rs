//! What the handlers send calls with: the pipelines, the hosts, the token cache, the
//! limiter, and the pause that follows an answer showing the minute quota spent.

use crate::meta::{Meta, Response};
use crate::protocol::hosts::{self, Hosts};
use crate::protocol::oauth::OAuthApi;
use crate::protocol::{AdsProtocol, rate_key};
use crate::query::query_pairs;
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use tx_core::pipeline::{Call, Pipeline};
use tx_core::rate_limit::RateLimiter;
use tx_core::token::{TokenCache, TokenStore};
use tx_core::{Error, Idempotency};

/// How long an endpoint pauses after an answer shows its minute quota spent (see
/// [`crate::ClientBuilder::pause_at_minute_quota`]): a whole window, so that the next call
/// lands in a new one however the server's windows are aligned.
pub const QUOTA_PAUSE: Duration = Duration::from_secs(60);

/// A client's machinery. Cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Api {
    pub pipeline: Pipeline<AdsProtocol>,
    pub oauth: OAuthApi,
    /// The OAuth tokens of the accounts (unused when the user manages tokens).
    pub cache: TokenCache,
    /// Where `cache` keeps its tokens.
    pub token_store: Arc<dyn TokenStore>,
    /// Tokens come from the user's `Credentials`, not from `cache`.
    pub external_tokens: bool,
    pub hosts: Arc<Hosts>,
    pub limiter: Arc<dyn RateLimiter>,
    /// Pause an endpoint when an answer shows at most this minute percentage left.
    pub pause_at: Option<u8>,
    pub batch_concurrency: usize,
}

impl Api {
    /// A call of `endpoint` (e.g. `watermarks/add`) for `account`, to the endpoint's host.
    pub fn call(&self, method: Method, endpoint: &str, account: i64) -> Call {
        let mut call = Call::new(method, hosts::path(endpoint)).with_endpoint(endpoint.to_owned()).with_tenant(account);
        if let Some(host) = self.hosts.other_host(endpoint) {
            call = call.with_base_url(host.clone());
        }
        call
    }

    /// A GET of `endpoint` with `params` in the query (non-scalars as JSON).
    pub fn get_call<Q: Serialize + ?Sized>(&self, endpoint: &str, account: i64, params: &Q) -> Result<Call, Error> {
        let mut call = self.call(Method::GET, endpoint, account);
        for (key, value) in query_pairs(params)? {
            call = call.with_query(key, value.expose().to_owned());
        }
        Ok(call)
    }

    /// A POST of `body` as JSON to `endpoint`.
    pub fn post_call<B: Serialize + ?Sized>(
        &self,
        endpoint: &str,
        account: i64,
        body: &B,
        idempotency: Idempotency,
    ) -> Result<Call, Error> {
        let mut call = Call::post_json(hosts::path(endpoint), &body)?
            .with_endpoint(endpoint.to_owned())
            .with_tenant(account)
            .with_idempotency(idempotency);
        if let Some(host) = self.hosts.other_host(endpoint) {
            call = call.with_base_url(host.clone());
        }
        Ok(call)
    }

    /// Sends `call`; the data with the answer's trace id and quota. An answer showing the
    /// minute quota spent pauses the endpoint (see [`QUOTA_PAUSE`]).
    pub async fn send<T: DeserializeOwned>(&self, call: &Call) -> Result<Response<T>, Error> {
        let response = self.pipeline.send::<T>(call).await?;
        let meta = Meta::from_response(&response.meta);
        self.pace(call, &meta).await;
        Ok(Response { data: response.data, meta })
    }

    async fn pace(&self, call: &Call, meta: &Meta) {
        let (Some(at), Some(left)) = (self.pause_at, meta.quota_left.and_then(|q| q.minute_percent)) else {
            return;
        };
        if left <= at {
            let key = rate_key(self.pipeline.protocol().client_id, call);
            tracing::info!(
                endpoint = call.endpoint(),
                minute_percent_left = left,
                "the app's minute quota on this endpoint is spent: pausing it for {} s",
                QUOTA_PAUSE.as_secs()
            );
            self.limiter.hold(&key, QUOTA_PAUSE).await;
        }
    }
}
