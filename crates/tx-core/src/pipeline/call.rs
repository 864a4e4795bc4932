//! One API call as the pipeline sends it: method, path, tenant, query, body, idempotency.

use crate::error::{Error, ErrorKind};
use crate::retry::Idempotency;
use crate::tenant::Tenant;
use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;
use std::borrow::Cow;
use std::time::Duration;
use url::Url;

/// A request, built once and sent by every attempt. The body is serialized once.
///
/// ```
/// use tx_core::Tenant;
/// use tx_core::pipeline::Call;
/// let call = Call::post_json("v4/sns/black_list_check", &serde_json::json!({"From_Account": "alice"}))?
///     .with_tenant(Tenant::new("administrator"));
/// assert_eq!(call.endpoint(), "v4/sns/black_list_check");
/// assert_eq!(call.tenant().as_str(), "administrator");
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Call {
    pub(crate) method: Method,
    pub(crate) path: Cow<'static, str>,
    pub(crate) endpoint: Cow<'static, str>,
    pub(crate) tenant: Tenant,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) body: Option<Bytes>,
    pub(crate) idempotency: Idempotency,
    pub(crate) timeout: Option<Duration>,
    pub(crate) base_url: Option<Url>,
}

impl Call {
    /// A call of `method` to `path` (relative to the platform's base URL), for no tenant in
    /// particular, idempotent unless marked otherwise.
    pub fn new(method: Method, path: impl Into<Cow<'static, str>>) -> Call {
        let path = path.into();
        Call {
            method,
            endpoint: path.clone(),
            path,
            tenant: Tenant::default(),
            query: Vec::new(),
            body: None,
            idempotency: Idempotency::Idempotent,
            timeout: None,
            base_url: None,
        }
    }

    /// A `GET` of `path`.
    pub fn get(path: impl Into<Cow<'static, str>>) -> Call {
        Call::new(Method::GET, path)
    }

    /// A `POST` of `body` as JSON to `path`.
    pub fn post_json(path: impl Into<Cow<'static, str>>, body: &impl Serialize) -> Result<Call, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::other(ErrorKind::InvalidInput, "cannot serialize the request body", e))?;
        let mut call = Call::new(Method::POST, path);
        call.body = Some(Bytes::from(bytes));
        Ok(call)
    }

    /// Whose credentials the call is made with.
    pub fn with_tenant(mut self, tenant: impl Into<Tenant>) -> Call {
        self.tenant = tenant.into();
        self
    }

    /// Adds a query parameter (percent-encoded when sent).
    pub fn with_query(mut self, key: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Call {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Names the endpoint for rate limits, traces and errors (default: the path). WeChat
    /// uses it to tell `operationams` actions apart.
    pub fn with_endpoint(mut self, endpoint: impl Into<Cow<'static, str>>) -> Call {
        self.endpoint = endpoint.into();
        self
    }

    /// Marks whether repeating the call is safe.
    pub fn with_idempotency(mut self, idempotency: Idempotency) -> Call {
        self.idempotency = idempotency;
        self
    }

    /// Overrides the request timeout for each attempt of this call.
    pub fn with_timeout(mut self, timeout: Duration) -> Call {
        self.timeout = Some(timeout);
        self
    }

    /// Sends this call to another host than the platform's (e.g. Ads' `dl.e.qq.com`).
    pub fn with_base_url(mut self, base: Url) -> Call {
        self.base_url = Some(base);
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The endpoint name.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whose credentials the call is made with.
    pub fn tenant(&self) -> &Tenant {
        &self.tenant
    }

    /// The query parameters the call itself carries (credentials are added per attempt).
    pub fn query(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query.iter().map(|(k, v)| (k.as_ref(), v.as_str()))
    }

    /// The serialized body, if any.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// Whether the call may be repeated.
    pub fn idempotency(&self) -> Idempotency {
        self.idempotency
    }
}
