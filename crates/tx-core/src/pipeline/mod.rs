//! The one request loop every call of every platform goes through.
//!
//! ```text
//! for attempt in 1..=policy.max_attempts, within the call's deadline:
//!     wait for a rate-limit permit (the key the platform chooses for the call)
//!     ask the protocol for this attempt's credentials (for the call's tenant)
//!     send over the shared HTTP client
//!     decode the platform envelope -> Ok(data) | Error{code, message, request id}
//!     classify: Retry | Throttled | RefreshAuth | ResendOnce | Permanent
//!     retry only when the class says so and the call is safe to repeat
//! ```
//!
//! A failure to get credentials ends the call at once: a token source that calls an API
//! sends that call through a pipeline of its own, whose retry policy has already been
//! applied, so retrying here would multiply the attempts.

mod call;
mod protocol;

pub use call::Call;
pub use protocol::{AttemptRequest, Protocol, RawResponse};

use crate::error::{Error, ErrorKind};
use crate::rate_limit::{NoPermit, RateLimiter};
use crate::redact;
use crate::retry::{Decision, History, RetryPolicy, Verdict};
use crate::transport::HttpConfig;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::Instant;
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
    /// Whether an earlier attempt failed with its outcome unknown
    /// ([`Error::outcome_unknown`]): the answer may describe the state that attempt set
    /// (an "already exists" for an add), which callers may count as success.
    pub after_unknown_outcome: bool,
}

/// Sends [`Call`]s for one platform protocol. Cheap to clone.
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
}

impl<P: Protocol> fmt::Debug for Pipeline<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pipeline")
            .field("platform", &self.inner.protocol.platform())
            .field("bases", &self.inner.bases.iter().map(redact::url).collect::<Vec<_>>())
            .field("retry", &self.inner.retry)
            .field("limiter", &self.inner.limiter)
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

    /// The HTTP client, retry policy and rate limiter of a client core.
    pub fn core(mut self, core: &crate::client::ClientCore) -> Self {
        self.http = Some(core.http().clone());
        self.retry = core.retry().clone();
        self.limiter = core.rate_limiter().cloned();
        self
    }

    /// Builds the pipeline.
    pub fn build(self) -> Result<Pipeline<P>, Error> {
        if self.bases.is_empty() {
            return Err(Error::invalid_input("base_url", "must be set"));
        }
        let http = match self.http {
            Some(client) => client,
            None => self.http_config.build()?,
        };
        Ok(Pipeline {
            inner: Arc::new(Inner {
                http,
                bases: self.bases,
                active_base: AtomicUsize::new(0),
                protocol: self.protocol,
                retry: self.retry,
                limiter: self.limiter,
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

/// Why an attempt failed.
enum AttemptError<C> {
    /// The call cannot go on: credentials could not be obtained, our own quota would make
    /// it wait past its deadline. Nothing was sent.
    Final(Error),
    /// Failed after the credential was used.
    Remote(Error, C),
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
            tenant = %call.tenant,
            attempts = tracing::field::Empty,
        );
        self.retry_loop(call, &span).instrument(span.clone()).await.map_err(|e| e.with_endpoint(call.endpoint.clone()))
    }

    async fn retry_loop<T: DeserializeOwned>(&self, call: &Call, span: &tracing::Span) -> Result<Response<T>, Error> {
        let start = Instant::now();
        let deadline = self.inner.retry.deadline();
        let mut history = History::default();
        let mut outcome_unknown = false;
        loop {
            history.attempt += 1;
            span.record("attempts", history.attempt);
            let attempt = self.attempt::<T>(call, history.attempt, deadline.map(|d| start + d));
            let outcome = match deadline {
                Some(d) => match tokio::time::timeout_at(start + d, attempt).await {
                    Ok(outcome) => outcome,
                    // A timeout without a platform answer: its outcome is unknown.
                    Err(_) => return Err(Error::deadline_exceeded(d).with_attempts(history.attempt)),
                },
                None => attempt.await,
            };
            let (error, credential) = match outcome {
                Ok(mut response) => {
                    response.meta.after_unknown_outcome = outcome_unknown;
                    return Ok(response);
                }
                Err(AttemptError::Final(e)) => {
                    return Err(e.with_attempts(history.attempt - 1).after_unknown_outcome(outcome_unknown));
                }
                Err(AttemptError::Remote(e, c)) => (e, c),
            };
            outcome_unknown |= error.outcome_unknown();
            let verdict = self.classify(call, &error);
            if let (Verdict::Throttled { after: Some(wait) }, Some(limiter)) = (verdict, &self.inner.limiter) {
                limiter.hold(&self.inner.protocol.rate_key(call), wait).await;
            }
            let error = mark_retryable(error, verdict);
            history.elapsed = start.elapsed();
            let decision = self.inner.retry.decide(verdict, &error, call.idempotency, history);
            tracing::debug!(attempt = history.attempt, error = %error, ?verdict, ?decision, "attempt failed");
            match decision {
                Decision::GiveUp => {
                    return Err(error.with_attempts(history.attempt).after_unknown_outcome(outcome_unknown));
                }
                Decision::RefreshAndRetry => {
                    history.refreshed_auth = true;
                    self.inner.protocol.invalidate(call, credential).await;
                }
                Decision::RetryAfter(wait) => {
                    history.resent |= verdict == Verdict::ResendOnce;
                    if error.request_not_sent() && error.kind() == ErrorKind::Transport {
                        self.fail_over();
                    }
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    fn classify(&self, call: &Call, error: &Error) -> Verdict {
        if error.code().is_some() {
            return self.inner.protocol.classify(call, error);
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

    /// One attempt: a permit, credentials, the exchange, the envelope.
    async fn attempt<T: DeserializeOwned>(
        &self,
        call: &Call,
        attempt: u32,
        deadline: Option<Instant>,
    ) -> Result<Response<T>, AttemptError<P::Credential>> {
        let inner = &*self.inner;
        if let Some(limiter) = &inner.limiter {
            let key = inner.protocol.rate_key(call);
            let max_wait =
                deadline.map_or(inner.retry.max_server_wait(), |d| d.saturating_duration_since(Instant::now()));
            match limiter.permit(&key, max_wait).await {
                Ok(()) => {}
                Err(NoPermit::Wait(wait)) => {
                    let message = format!("the client-side quota of {key} has no permit for another {wait:?}");
                    return Err(AttemptError::Final(
                        Error::throttled(message).with_retryable(true, Some(wait)).with_not_sent(),
                    ));
                }
                Err(NoPermit::Unavailable(e)) => return Err(AttemptError::Final(e.with_not_sent())),
            }
        }
        let mut extra = AttemptRequest::default();
        let credential = inner.protocol.authorize(call, &mut extra).await.map_err(AttemptError::Final)?;
        let url = self.url(call, &extra).map_err(AttemptError::Final)?;
        let span =
            tracing::debug_span!("tx.attempt", attempt, url = %redact::url(&url), status = tracing::field::Empty);
        let mut request = inner.http.request(call.method.clone(), url).headers(extra.headers);
        if let Some(body) = &call.body {
            request = request.header(CONTENT_TYPE, HeaderValue::from_static("application/json")).body(body.clone());
        }
        if let Some(timeout) = call.timeout {
            request = request.timeout(timeout);
        }
        let exchange = async {
            let mut response = request.send().await.map_err(Error::from_reqwest)?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(Error::from_reqwest)?;
            Ok::<_, Error>(RawResponse { status, headers, body })
        };
        let raw = match exchange.instrument(span.clone()).await {
            Ok(raw) => raw,
            Err(e) => {
                span.in_scope(|| tracing::debug!(error = %e, "request failed"));
                return Err(AttemptError::Remote(e, credential));
            }
        };
        span.record("status", raw.status);
        span.in_scope(|| tracing::debug!(bytes = raw.body.len(), "response received"));
        let decoded = if (200..300).contains(&raw.status) {
            inner.protocol.decode::<T>(call, &raw)
        } else {
            Err(self.status_error(call, &raw))
        };
        match decoded {
            Ok(data) => Ok(Response {
                data,
                meta: ResponseMeta {
                    status: raw.status,
                    headers: raw.headers,
                    attempts: attempt,
                    after_unknown_outcome: false,
                },
            }),
            Err(e) => Err(AttemptError::Remote(e, credential)),
        }
    }

    /// The attempt's URL: the base, the path, the call's query, then the protocol's.
    fn url(&self, call: &Call, extra: &AttemptRequest) -> Result<Url, Error> {
        let base = call.base_url.as_ref().map_or_else(|| self.base_url().clone(), |b| with_trailing_slash(b.clone()));
        let mut url = base
            .join(call.path.trim_start_matches('/'))
            .map_err(|e| Error::invalid_input("path", format_args!("does not make a URL: {e}")))?;
        {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in &call.query {
                pairs.append_pair(key, value);
            }
            for (key, value) in &extra.query {
                pairs.append_pair(key, value);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        Ok(url)
    }

    /// A non-2xx response: the platform's error if the body is its envelope, else an HTTP error.
    fn status_error(&self, call: &Call, raw: &RawResponse) -> Error {
        match self.inner.protocol.decode::<serde::de::IgnoredAny>(call, raw) {
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
        Verdict::RefreshAuth | Verdict::ResendOnce => error.with_retryable(true, None),
        Verdict::Permanent => error.with_retryable(false, server_wait),
    }
}

#[cfg(test)]
mod tests;
