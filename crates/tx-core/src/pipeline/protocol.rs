//! What a platform plugs into the pipeline: credentials per attempt, envelope decoding,
//! and the meaning of its error codes.

use super::Call;
use crate::error::Error;
use crate::retry::Verdict;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::future::Future;
use url::Url;

/// The request of one attempt, for a [`Protocol`] to add its credentials to.
#[derive(Debug)]
pub struct AttemptRequest<'a> {
    pub(crate) url: &'a mut Url,
    pub(crate) headers: &'a mut HeaderMap,
}

impl AttemptRequest<'_> {
    /// Appends a query parameter (percent-encoded).
    pub fn append_query(&mut self, key: &str, value: &str) {
        self.url.query_pairs_mut().append_pair(key, value);
    }

    /// Sets a header.
    pub fn header(&mut self, name: HeaderName, value: HeaderValue) {
        self.headers.insert(name, value);
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

/// A platform's part in the request pipeline.
pub trait Protocol: Send + Sync + 'static {
    /// The credential an attempt used, handed back to [`Protocol::invalidate`] if the
    /// platform rejected it.
    type Credential: Send + Sync;

    /// A short platform name for traces (`tim`, `wechat`, `ads`).
    fn platform(&self) -> &'static str;

    /// Adds this attempt's credentials: a cached UserSig and a fresh `random` (TIM), the
    /// access token (WeChat), the token with a fresh timestamp and nonce (Ads).
    fn authorize(
        &self,
        call: &Call,
        request: &mut AttemptRequest<'_>,
    ) -> impl Future<Output = Result<Self::Credential, Error>> + Send;

    /// Forgets `credential` after the platform rejected it (compare-and-invalidate).
    fn invalidate(&self, credential: Self::Credential) -> impl Future<Output = ()> + Send;

    /// Decodes the envelope into `T`, or into the platform's error with its kind set.
    fn decode<T: DeserializeOwned>(&self, response: &RawResponse) -> Result<T, Error>;

    /// What a platform error (one with a code) means for retrying.
    fn classify(&self, error: &Error) -> Verdict;
}
