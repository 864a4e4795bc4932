//! What a platform plugs into the pipeline: credentials per attempt, the quota a call
//! counts against, envelope decoding, and the meaning of its error codes.

use super::Call;
use crate::error::Error;
use crate::rate_limit::RateKey;
use crate::retry::Verdict;
use crate::secret::Secret;
use async_trait::async_trait;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::fmt;

/// The credentials and one-time values of one attempt, for a [`Protocol`] to fill in.
#[derive(Default)]
pub struct AttemptRequest {
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: HeaderMap,
}

impl AttemptRequest {
    /// Appends a query parameter (an app id, a `random`, a timestamp).
    pub fn query(&mut self, key: &'static str, value: impl Into<String>) {
        self.query.push((key, value.into()));
    }

    /// Appends a credential as a query parameter (a UserSig, an access token). URLs are
    /// redacted wherever they are shown, so the value never reaches a log.
    pub fn secret_query(&mut self, key: &'static str, value: &Secret) {
        self.query.push((key, value.expose().to_owned()));
    }

    /// Sets a header.
    pub fn header(&mut self, name: HeaderName, value: HeaderValue) {
        self.headers.insert(name, value);
    }
}

/// Names the parameters and headers only: their values are credentials.
impl fmt::Debug for AttemptRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttemptRequest")
            .field("query", &self.query.iter().map(|(k, _)| *k).collect::<Vec<_>>())
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A response as it came back, before the envelope is decoded.
#[derive(Debug)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: bytes::Bytes,
}

/// A platform's part in the request pipeline. Implement it with `#[tx_core::async_trait]`,
/// as every async trait of tx-core.
#[async_trait]
pub trait Protocol: Send + Sync + 'static {
    /// The credential an attempt used, handed back to [`Protocol::invalidate`] if the
    /// platform rejected it.
    type Credential: Send + Sync;

    /// A short platform name for traces and rate keys (`tim`, `wechat`, `ads`).
    fn platform(&self) -> &'static str;

    /// The quota `call` counts against.
    fn rate_key(&self, call: &Call) -> RateKey;

    /// Adds this attempt's credentials for the call's tenant: a cached UserSig and a fresh
    /// `random` (TIM), the authorizer's access token (WeChat), the account's token with a
    /// fresh timestamp and nonce (Ads).
    async fn authorize(&self, call: &Call, request: &mut AttemptRequest) -> Result<Self::Credential, Error>;

    /// Forgets `credential` after the platform rejected it, if it is still the cached one
    /// (compare-and-invalidate).
    async fn invalidate(&self, call: &Call, credential: Self::Credential);

    /// Decodes the envelope into `T`, or into the platform's error with its kind set.
    fn decode<T: DeserializeOwned>(&self, call: &Call, response: &RawResponse) -> Result<T, Error>;

    /// What a platform error (one with a code) means for retrying.
    fn classify(&self, call: &Call, error: &Error) -> Verdict;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_names_parameters_but_not_their_values() {
        let mut request = AttemptRequest::default();
        request.query("usersig", "sig-value-123");
        request.query("nonce", String::from("nonce-value-456"));
        request.secret_query("token", &Secret::new("token-value-000"));
        request.header(HeaderName::from_static("authorization"), HeaderValue::from_static("token-value-789"));
        let shown = format!("{request:?}");
        assert!(shown.contains("usersig") && shown.contains("nonce") && shown.contains("authorization"), "{shown}");
        for secret in ["sig-value-123", "nonce-value-456", "token-value-789", "token-value-000"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}
