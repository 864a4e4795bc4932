//! What a platform plugs into the pipeline: credentials per attempt, envelope decoding,
//! and the meaning of its error codes.

use super::Call;
use crate::error::Error;
use crate::retry::Verdict;
use crate::secret::Secret;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

/// The request of one attempt, for a [`Protocol`] to add its credentials to. Query values
/// may borrow from the protocol (`'p`): an app id it holds is not copied per attempt.
pub struct AttemptRequest<'r, 'p> {
    pub(crate) query: &'r mut Vec<Param<'p>>,
    pub(crate) headers: &'r mut HeaderMap,
}

/// A query parameter added by the protocol.
pub(crate) struct Param<'p> {
    pub key: &'static str,
    pub value: QueryValue<'p>,
    /// Changes with every attempt, so it is not part of the cached URL.
    pub volatile: bool,
}

/// A query parameter's value: a borrowed string (a literal, an app id the protocol holds),
/// a shared one (a cached token), an owned one or a number. Only owned values are copies.
#[derive(Clone)]
pub struct QueryValue<'a>(Repr<'a>);

#[derive(Clone)]
enum Repr<'a> {
    Borrowed(&'a str),
    Shared(Arc<str>),
    Owned(String),
    /// A number's digits.
    Digits {
        buf: [u8; 20],
        len: u8,
    },
}

/// Shows `..`: the value may be a credential.
impl fmt::Debug for QueryValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("QueryValue(..)")
    }
}

impl<'a> QueryValue<'a> {
    /// A literal, used without copying.
    pub const fn from_static(value: &'static str) -> Self {
        QueryValue(Repr::Borrowed(value))
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Borrowed(s) => s,
            Repr::Shared(s) => s,
            Repr::Owned(s) => s,
            // Only ASCII digits and '-' are ever written here.
            Repr::Digits { buf, len } => std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or_default(),
        }
    }

    fn digits(formatted: &str) -> Self {
        let mut buf = [0; 20];
        buf[..formatted.len()].copy_from_slice(formatted.as_bytes());
        QueryValue(Repr::Digits { buf, len: formatted.len() as u8 })
    }
}

impl From<u32> for QueryValue<'_> {
    fn from(value: u32) -> Self {
        QueryValue::digits(itoa::Buffer::new().format(value))
    }
}

impl From<u64> for QueryValue<'_> {
    fn from(value: u64) -> Self {
        QueryValue::digits(itoa::Buffer::new().format(value))
    }
}

impl From<i64> for QueryValue<'_> {
    fn from(value: i64) -> Self {
        QueryValue::digits(itoa::Buffer::new().format(value))
    }
}

impl<'a> From<&'a str> for QueryValue<'a> {
    fn from(value: &'a str) -> Self {
        QueryValue(Repr::Borrowed(value))
    }
}

impl<'a> From<&'a String> for QueryValue<'a> {
    fn from(value: &'a String) -> Self {
        QueryValue(Repr::Borrowed(value))
    }
}

impl From<String> for QueryValue<'_> {
    fn from(value: String) -> Self {
        QueryValue(Repr::Owned(value))
    }
}

impl From<Arc<str>> for QueryValue<'_> {
    fn from(value: Arc<str>) -> Self {
        QueryValue(Repr::Shared(value))
    }
}

impl<'a> From<&'a Arc<str>> for QueryValue<'a> {
    fn from(value: &'a Arc<str>) -> Self {
        QueryValue(Repr::Borrowed(value))
    }
}

/// The secret's value, shared, so that it may outlive the `Secret` borrowed here (a token
/// fetched during the attempt). [`AttemptRequest`]'s `Debug` never shows query values.
impl From<&Secret> for QueryValue<'_> {
    fn from(value: &Secret) -> Self {
        QueryValue(Repr::Shared(Arc::clone(value.shared())))
    }
}

impl<'p> AttemptRequest<'_, 'p> {
    /// Appends a query parameter that stays the same from call to call (an app id, a
    /// cached UserSig or token): URLs with it are built once and reused.
    pub fn append_query(&mut self, key: &'static str, value: impl Into<QueryValue<'p>>) {
        self.query.push(Param { key, value: value.into(), volatile: false });
    }

    /// Appends a query parameter that changes with every attempt (`random`, a timestamp,
    /// a nonce).
    pub fn append_volatile_query(&mut self, key: &'static str, value: impl Into<QueryValue<'p>>) {
        self.query.push(Param { key, value: value.into(), volatile: true });
    }

    /// Sets a header.
    pub fn header(&mut self, name: HeaderName, value: HeaderValue) {
        self.headers.insert(name, value);
    }
}

/// Names the parameters and headers only: their values are credentials.
impl fmt::Debug for AttemptRequest<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys =
            |volatile: bool| self.query.iter().filter(|p| p.volatile == volatile).map(|p| p.key).collect::<Vec<_>>();
        f.debug_struct("AttemptRequest")
            .field("query", &keys(false))
            .field("volatile_query", &keys(true))
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

/// A platform's part in the request pipeline.
pub trait Protocol: Send + Sync + 'static {
    /// The credential an attempt used, handed back to [`Protocol::invalidate`] if the
    /// platform rejected it.
    type Credential: Send + Sync;

    /// A short platform name for traces (`tim`, `wechat`, `ads`).
    fn platform(&self) -> &'static str;

    /// Adds this attempt's credentials: a cached UserSig and a fresh `random` (TIM), the
    /// access token (WeChat), the token with a fresh timestamp and nonce (Ads).
    fn authorize<'p>(
        &'p self,
        call: &Call,
        request: &mut AttemptRequest<'_, 'p>,
    ) -> impl Future<Output = Result<Self::Credential, Error>> + Send;

    /// Forgets `credential` after the platform rejected it (compare-and-invalidate).
    fn invalidate(&self, credential: Self::Credential) -> impl Future<Output = ()> + Send;

    /// Decodes the envelope into `T`, or into the platform's error with its kind set.
    fn decode<T: DeserializeOwned>(&self, response: &RawResponse) -> Result<T, Error>;

    /// What a platform error (one with a code) means for retrying.
    fn classify(&self, error: &Error) -> Verdict;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_their_digits() {
        assert_eq!(QueryValue::from(0u32).as_str(), "0");
        assert_eq!(QueryValue::from(u32::MAX).as_str(), "4294967295");
        assert_eq!(QueryValue::from(u64::MAX).as_str(), "18446744073709551615");
        assert_eq!(QueryValue::from(i64::MIN).as_str(), "-9223372036854775808");
        assert_eq!(QueryValue::from_static("json").as_str(), "json");
    }

    #[test]
    fn debug_names_parameters_but_not_their_values() {
        let (mut query, mut headers) = (Vec::new(), HeaderMap::new());
        let mut request = AttemptRequest { query: &mut query, headers: &mut headers };
        request.append_query("usersig", "sig-value-123");
        request.append_volatile_query("nonce", String::from("nonce-value-456"));
        request.append_query("token", &Secret::new("token-value-000"));
        request.header(HeaderName::from_static("authorization"), HeaderValue::from_static("token-value-789"));
        let shown = format!("{request:?}");
        assert!(shown.contains("usersig") && shown.contains("nonce") && shown.contains("authorization"), "{shown}");
        for secret in ["sig-value-123", "nonce-value-456", "token-value-789", "token-value-000"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}
