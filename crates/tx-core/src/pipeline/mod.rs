//! The one request loop every call of every platform goes through.
//!
//! ```text
//! for attempt in 1..=policy.max_attempts:
//!     wait for a rate-limit permit (per scope and endpoint)
//!     ask the protocol for this attempt's credentials
//!     send over the shared HTTP client, within the call's deadline
//!     decode the platform envelope -> Ok(data) | Error{code, message, request id}
//!     classify: Retry | Throttled | RefreshAuth | Permanent
//!     retry only when the class says so and the call is safe to repeat
//! ```

mod call;
mod protocol;
mod url_cache;

pub use call::Call;
pub use protocol::{AttemptRequest, Protocol, QueryValue, RawResponse};

use crate::error::{Error, ErrorKind};
use crate::rate_limit::{RateKey, RateLimiter};
use crate::redact;
use crate::retry::{Decision, RetryPolicy, Verdict};
use crate::transport::HttpConfig;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use serde::de::DeserializeOwned;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;
use std::time::Duration;
use tracing::Instrument;
use url::Url;

/// A decoded response with what the transport saw.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// The decoded data.
    pub data: T,
    /// HTTP status and headers of the successful attempt, and the attempt count.
    pub meta: ResponseMeta,
}

/// Transport facts about a successful call.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The HTTP status.
    pub status: u16,
    /// The response headers (e.g. Ads' `X-TSA-Trace-Id`, `X-RateLimit-Remaining`).
    pub headers: HeaderMap,
    /// Attempts made, the successful one included.
    pub attempts: u32,
}

/// Sends [`Call`]s for one platform configuration. Cheap to clone.
pub struct Pipeline<P> {
    inner: Arc<Inner<P>>,
}

impl<P> Clone for Pipeline<P> {
    fn clone(&self) -> Self {
        Pipeline { inner: Arc::clone(&self.inner) }
    }
}

struct Inner<P> {
    http: reqwest::Client,
    bases: Vec<Url>,
    active_base: AtomicUsize,
    protocol: P,
    retry: RetryPolicy,
    limiter: Option<Arc<dyn RateLimiter>>,
    scope: String,
    urls: url_cache::UrlCache,
    client_timeout: ClientTimeout,
}

/// The part of a call's deadline left when an attempt starts.
#[derive(Debug, Clone, Copy)]
struct Deadline {
    left: Duration,
    at: tokio::time::Instant,
}

/// What ends an attempt's HTTP exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExchangeLimit {
    /// The client's own timeout (or none): no deadline is nearer.
    Client,
    /// A per-request timeout; `is_deadline` if it is the call's deadline.
    Request { timeout: Duration, is_deadline: bool },
    /// A timer around the exchange: the deadline, with a client whose timeout is unknown.
    Wrapped(Duration),
}

/// The nearest of the call's timeout (else the client's) and the `remaining` deadline,
/// expressed so that one timer does the job whenever the client's timeout is known.
fn exchange_limit(call: Option<Duration>, client: ClientTimeout, remaining: Option<Duration>) -> ExchangeLimit {
    let per_request = match (call, client) {
        (Some(t), _) => Some(Some(t)),
        (None, ClientTimeout::Known(t)) => Some(t),
        (None, ClientTimeout::Unknown) => None,
    };
    match (per_request, remaining) {
        (Some(Some(t)), Some(left)) if left < t => ExchangeLimit::Request { timeout: left, is_deadline: true },
        (Some(None), Some(left)) => ExchangeLimit::Request { timeout: left, is_deadline: true },
        (None, Some(left)) => ExchangeLimit::Wrapped(left),
        _ => match call {
            Some(t) => ExchangeLimit::Request { timeout: t, is_deadline: false },
            None => ExchangeLimit::Client,
        },
    }
}

/// The request timeout of the shared client, when the pipeline built it.
#[derive(Debug, Clone, Copy)]
enum ClientTimeout {
    Known(Option<Duration>),
    /// A client passed in: its timeout is not visible.
    Unknown,
}

impl<P: Protocol> fmt::Debug for Pipeline<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pipeline")
            .field("platform", &self.inner.protocol.platform())
            .field("bases", &self.inner.bases.iter().map(redact::url).collect::<Vec<_>>())
            .field("retry", &self.inner.retry)
            .field("limiter", &self.inner.limiter)
            .field("scope", &self.inner.scope)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Pipeline`].
#[derive(Debug)]
pub struct PipelineBuilder<P> {
    protocol: P,
    bases: Vec<Url>,
    http: Option<reqwest::Client>,
    http_config: HttpConfig,
    retry: RetryPolicy,
    limiter: Option<Arc<dyn RateLimiter>>,
    scope: String,
}

impl<P: Protocol> PipelineBuilder<P> {
    /// The base URL paths are resolved against (e.g. `https://console.tim.qq.com/`).
    pub fn base_url(mut self, base: Url) -> Self {
        self.bases.insert(0, with_trailing_slash(base));
        self.bases.truncate(1);
        self
    }

    /// A backup base URL, switched to after a connection to the current one fails.
    pub fn backup_base_url(mut self, base: Url) -> Self {
        self.bases.push(with_trailing_slash(base));
        self
    }

    /// Uses an existing client (to share its connection pool across platforms).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client from `config` (ignored if [`Self::http_client`] is given).
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http_config = config;
        self
    }

    /// The retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// A client-side rate limiter (default: none).
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// The scope quotas are counted in (e.g. the SDKAppID).
    pub fn rate_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = scope.into();
        self
    }

    /// Builds the pipeline.
    pub fn build(self) -> Result<Pipeline<P>, Error> {
        if self.bases.is_empty() {
            return Err(Error::invalid_input("base_url", "must be set"));
        }
        let (http, client_timeout) = match self.http {
            Some(client) => (client, ClientTimeout::Unknown),
            None => (self.http_config.build()?, ClientTimeout::Known(self.http_config.get_request_timeout())),
        };
        Ok(Pipeline {
            inner: Arc::new(Inner {
                http,
                bases: self.bases,
                active_base: AtomicUsize::new(0),
                urls: url_cache::UrlCache::default(),
                client_timeout,
                protocol: self.protocol,
                retry: self.retry,
                limiter: self.limiter,
                scope: self.scope,
            }),
        })
    }
}

fn with_trailing_slash(mut url: Url) -> Url {
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

enum AttemptError<C> {
    /// Failed before anything was sent (credentials could not be obtained, bad URL).
    Local(Error),
    /// Failed after the credential was used.
    Remote(Error, C),
    /// The call's total deadline passed during the attempt.
    Deadline,
}

impl<P: Protocol> Pipeline<P> {
    /// A builder around the platform's protocol.
    pub fn builder(protocol: P) -> PipelineBuilder<P> {
        PipelineBuilder {
            protocol,
            bases: Vec::new(),
            http: None,
            http_config: HttpConfig::default(),
            retry: RetryPolicy::default(),
            limiter: None,
            scope: String::new(),
        }
    }

    /// The platform protocol.
    pub fn protocol(&self) -> &P {
        &self.inner.protocol
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The base URL currently in use.
    pub fn base_url(&self) -> &Url {
        &self.inner.bases[self.inner.active_base.load(Ordering::Relaxed) % self.inner.bases.len()]
    }

    /// Sends `call` and decodes the response into `T`, retrying as the policy and the
    /// platform's classification allow.
    pub async fn send<T: DeserializeOwned>(&self, call: &Call) -> Result<Response<T>, Error> {
        let span = tracing::info_span!(
            "tx.call",
            platform = self.inner.protocol.platform(),
            endpoint = %call.endpoint,
            attempts = tracing::field::Empty,
        );
        self.send_inner(call, &span).instrument(span.clone()).await.map_err(|e| e.with_endpoint(call.endpoint.clone()))
    }

    async fn send_inner<T: DeserializeOwned>(&self, call: &Call, span: &tracing::Span) -> Result<Response<T>, Error> {
        let start = tokio::time::Instant::now();
        let mut refreshed_auth = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            span.record("attempts", attempt);
            let deadline = match self.inner.retry.get_deadline() {
                Some(deadline) => match deadline.checked_sub(start.elapsed()) {
                    Some(left) if !left.is_zero() => Some(Deadline { left, at: start + deadline }),
                    _ => return Err(Error::deadline_exceeded(deadline).with_attempts(attempt - 1)),
                },
                None => None,
            };
            let result = self.attempt::<T>(call, attempt, deadline).await;
            let (error, credential) = match result {
                Ok(response) => return Ok(response),
                Err(AttemptError::Deadline) => {
                    let deadline = self.inner.retry.get_deadline().unwrap_or_default();
                    return Err(Error::deadline_exceeded(deadline).with_attempts(attempt));
                }
                Err(AttemptError::Local(e)) => (e, None),
                Err(AttemptError::Remote(e, c)) => (e, Some(c)),
            };
            let verdict = self.classify(&error);
            let error = mark_retryable(error, verdict);
            let decision =
                self.inner.retry.decide(verdict, &error, call.idempotency, attempt, refreshed_auth, start.elapsed());
            tracing::debug!(attempt, error = %error, ?verdict, ?decision, "attempt failed");
            match decision {
                Decision::GiveUp => return Err(error.with_attempts(attempt)),
                Decision::RefreshAndRetry => {
                    refreshed_auth = true;
                    if let Some(c) = credential {
                        self.inner.protocol.invalidate(c).await;
                    }
                }
                Decision::RetryAfter(wait) => {
                    if error.request_not_sent() && error.kind() == ErrorKind::Transport {
                        self.fail_over();
                    }
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    fn classify(&self, error: &Error) -> Verdict {
        if error.code().is_some() {
            return self.inner.protocol.classify(error);
        }
        match (error.kind(), error.http_status()) {
            (ErrorKind::Transport | ErrorKind::Timeout, Some(429)) => Verdict::Throttled { after: error.retry_after() },
            (ErrorKind::Transport | ErrorKind::Timeout, Some(s)) if s >= 500 => {
                Verdict::Retry { after: error.retry_after() }
            }
            (ErrorKind::Transport | ErrorKind::Timeout, Some(_)) => Verdict::Permanent,
            (ErrorKind::Transport | ErrorKind::Timeout, None) => Verdict::Retry { after: None },
            _ => Verdict::Permanent,
        }
    }

    fn fail_over(&self) {
        if self.inner.bases.len() > 1 {
            let next = self.inner.active_base.fetch_add(1, Ordering::Relaxed) + 1;
            tracing::warn!(base = %redact::url(&self.inner.bases[next % self.inner.bases.len()]), "switching to the backup host");
        }
    }

    /// One attempt, within the call's deadline. The deadline bounds the wait for the rate
    /// limiter and credentials with a timer only if they have to wait, and the HTTP
    /// exchange through the client's own per-request timeout, so an attempt that finds
    /// everything ready arms no timer and reads no clock of its own.
    async fn attempt<T: DeserializeOwned>(
        &self,
        call: &Call,
        attempt: u32,
        deadline: Option<Deadline>,
    ) -> Result<Response<T>, AttemptError<P::Credential>> {
        let inner = &*self.inner;
        let mut params = Vec::with_capacity(8);
        let mut headers = HeaderMap::new();
        let prepare = async {
            if let Some(limiter) = &inner.limiter {
                limiter.acquire(RateKey { scope: &inner.scope, endpoint: &call.endpoint }).await;
            }
            inner
                .protocol
                .authorize(call, &mut AttemptRequest { query: &mut params, headers: &mut headers })
                .await
                .map_err(AttemptError::Local)
        };
        let (credential, remaining) = {
            let mut prepare = std::pin::pin!(prepare);
            let first_poll = std::future::poll_fn(|cx| Poll::Ready(prepare.as_mut().poll(cx))).await;
            match (first_poll, deadline) {
                (Poll::Ready(credential), _) => (credential?, deadline.map(|d| d.left)),
                (Poll::Pending, None) => (prepare.await?, None),
                (Poll::Pending, Some(d)) => {
                    let credential =
                        tokio::time::timeout_at(d.at, prepare).await.map_err(|_| AttemptError::Deadline)??;
                    match d.at.checked_duration_since(tokio::time::Instant::now()) {
                        Some(left) if !left.is_zero() => (credential, Some(left)),
                        _ => return Err(AttemptError::Deadline),
                    }
                }
            }
        };
        let base = call.base_url.as_ref().unwrap_or_else(|| self.base_url());
        let query = call.query.iter().map(|(k, v)| (k.as_ref(), v.as_str()));
        let query = query.chain(params.iter().filter(|p| !p.volatile).map(|p| (p.key, p.value.as_str())));
        let volatile = params.iter().filter(|p| p.volatile).map(|p| (p.key, p.value.as_str()));
        let url = inner.urls.url(base, &call.path, query, volatile).map_err(AttemptError::Local)?;

        let span = tracing::debug_span!(
            "tx.attempt",
            n = attempt,
            url = tracing::field::Empty,
            status = tracing::field::Empty
        );
        if !span.is_disabled() {
            span.record("url", tracing::field::display(redact::url(&url)));
        }
        let mut request = inner.http.request(call.method.clone(), url).headers(headers);
        if let Some(body) = &call.body {
            request = request.header(CONTENT_TYPE, HeaderValue::from_static("application/json")).body(body.clone());
        }
        let limit = exchange_limit(call.timeout, inner.client_timeout, remaining);
        match limit {
            ExchangeLimit::Request { timeout, .. } => request = request.timeout(timeout),
            ExchangeLimit::Client | ExchangeLimit::Wrapped(_) => {}
        }
        let sent = async {
            let mut response = request.send().await.map_err(Error::from_reqwest)?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(Error::from_reqwest)?;
            Ok::<_, Error>(RawResponse { status, headers, body })
        }
        .instrument(span.clone());
        let sent = match limit {
            ExchangeLimit::Wrapped(left) => {
                tokio::time::timeout(left, sent).await.map_err(|_| AttemptError::Deadline)?
            }
            _ => sent.await,
        };
        // A timeout before the deadline's time (a connect timeout) is an ordinary failure.
        let deadline_reached = |e: &Error| match (limit, deadline) {
            (ExchangeLimit::Request { is_deadline: true, .. }, Some(d)) => {
                e.kind() == ErrorKind::Timeout && tokio::time::Instant::now() + Duration::from_millis(1) >= d.at
            }
            _ => false,
        };
        let raw = match sent {
            Ok(raw) => raw,
            Err(e) if deadline_reached(&e) => {
                span.in_scope(|| tracing::debug!(error = %e, "deadline reached"));
                return Err(AttemptError::Deadline);
            }
            Err(e) => {
                span.in_scope(|| tracing::debug!(error = %e, "request failed"));
                return Err(AttemptError::Remote(e, credential));
            }
        };
        span.record("status", raw.status);
        span.in_scope(|| tracing::debug!(bytes = raw.body.len(), "response received"));
        let decoded = if (200..300).contains(&raw.status) {
            inner.protocol.decode::<T>(&raw)
        } else {
            Err(self.status_error(&raw))
        };
        match decoded {
            Ok(data) => Ok(Response {
                data,
                meta: ResponseMeta { status: raw.status, headers: raw.headers, attempts: attempt },
            }),
            Err(e) => Err(AttemptError::Remote(e, credential)),
        }
    }

    /// A non-2xx response: the platform's error if the body is its envelope, else an HTTP error.
    fn status_error(&self, raw: &RawResponse) -> Error {
        match self.inner.protocol.decode::<serde::de::IgnoredAny>(raw) {
            Err(e) if e.code().is_some() => e.with_http_status(raw.status),
            _ => {
                let after = raw
                    .headers
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                Error::from_http_status(raw.status, &raw.body).with_retryable(false, after)
            }
        }
    }
}

fn mark_retryable(error: Error, verdict: Verdict) -> Error {
    let server_wait = error.retry_after();
    match verdict {
        Verdict::Retry { after } | Verdict::Throttled { after } => error.with_retryable(true, after.or(server_wait)),
        Verdict::RefreshAuth => error.with_retryable(true, None),
        Verdict::Permanent => error.with_retryable(false, server_wait),
    }
}

#[cfg(test)]
mod tests;
