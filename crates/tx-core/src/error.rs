//! The one error type of every tx call.

use crate::redact;
use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// What kind of failure an [`Error`] is. Small on purpose: branch on this, then on
/// [`Error::code`] with the platform crate's open code enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input was refused before any request was sent. [`Error::field`] names the field.
    InvalidInput,
    /// Credentials were rejected or could not be obtained (bad key, expired token, wrong region).
    Auth,
    /// The server (or our own quota) refused the call for frequency; see [`Error::retry_after`].
    Throttled,
    /// The platform answered with an error code.
    Api,
    /// The request could not be sent or no usable HTTP response came back.
    Transport,
    /// The request or the whole call ran past its time limit.
    Timeout,
    /// The response could not be decoded; [`Error::body_snippet`] shows (redacted) what came back.
    Decode,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::InvalidInput => "invalid input",
            ErrorKind::Auth => "authentication failed",
            ErrorKind::Throttled => "throttled",
            ErrorKind::Api => "API error",
            ErrorKind::Transport => "transport error",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Decode => "undecodable response",
        })
    }
}

impl ErrorKind {
    /// A stable snake_case name, for machine-readable output (`invalid_input`, `auth`,
    /// `throttled`, `api`, `transport`, `timeout`, `decode`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Auth => "auth",
            ErrorKind::Throttled => "throttled",
            ErrorKind::Api => "api",
            ErrorKind::Transport => "transport",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Decode => "decode",
        }
    }
}

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// An error from a tx call.
///
/// Messages are redacted at construction: no secret key, UserSig, token or client secret
/// reaches `Display`, `Debug`, [`Error::message`] or [`Error::body_snippet`].
///
/// ```
/// use tx_core::{Error, ErrorKind};
/// let e = Error::invalid_input("To_Account", "must not be empty");
/// assert_eq!(e.kind(), ErrorKind::InvalidInput);
/// assert_eq!(e.field(), Some("To_Account"));
/// assert_eq!(e.to_string(), "invalid input: To_Account must not be empty");
/// ```
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: String,
    code: Option<i64>,
    request_id: Option<String>,
    endpoint: Option<Cow<'static, str>>,
    field: Option<Cow<'static, str>>,
    http_status: Option<u16>,
    body_snippet: Option<String>,
    details: Option<serde_json::Value>,
    retryable: bool,
    retry_after: Option<Duration>,
    not_sent: bool,
    earlier_outcome_unknown: bool,
    attempts: u32,
    source: Option<BoxError>,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                code: None,
                request_id: None,
                endpoint: None,
                field: None,
                http_status: None,
                body_snippet: None,
                details: None,
                retryable: false,
                retry_after: None,
                not_sent: false,
                earlier_outcome_unknown: false,
                attempts: 0,
                source: None,
            }),
        }
    }

    /// Input refused before any I/O: `field` broke `rule` (e.g. `"must not be empty"`).
    pub fn invalid_input(field: impl Into<Cow<'static, str>>, rule: impl fmt::Display) -> Self {
        let field = field.into();
        let mut e = Error::new(ErrorKind::InvalidInput, format!("{field} {rule}"));
        e.inner.field = Some(field);
        e.inner.not_sent = true;
        e
    }

    /// A platform error code with its message. The message is redacted.
    pub fn api(kind: ErrorKind, code: i64, message: &str) -> Self {
        let mut e = Error::new(kind, redact::text(message));
        e.inner.code = Some(code);
        e
    }

    /// A failure to obtain or use credentials, with no platform code.
    pub fn auth(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Auth, message)
    }

    /// A client-side throttle: our own quota or a server demand we will not wait for.
    pub fn throttled(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Throttled, message)
    }

    /// An HTTP response whose status says the call failed and whose body is no envelope.
    pub fn from_http_status(status: u16, body: &[u8]) -> Self {
        let mut e = Error::new(ErrorKind::Transport, format!("HTTP status {status}"));
        e.inner.http_status = Some(status);
        e.inner.body_snippet = Some(redact::snippet(body));
        e
    }

    /// A body that does not decode. Carries a short, redacted snippet of it.
    pub fn decode(cause: impl fmt::Display, body: &[u8]) -> Self {
        let mut e = Error::new(ErrorKind::Decode, format!("cannot decode the response: {cause}"));
        e.inner.body_snippet = Some(redact::snippet(body));
        e
    }

    /// A transport failure from reqwest. The URL (which carries credentials) is stripped.
    pub fn from_reqwest(err: reqwest::Error) -> Self {
        let kind = if err.is_timeout() { ErrorKind::Timeout } else { ErrorKind::Transport };
        let not_sent = err.is_connect();
        let status = err.status().map(|s| s.as_u16());
        let err = err.without_url();
        let mut message = redact::text(&err.to_string());
        let mut cause: Option<&(dyn StdError + 'static)> = err.source();
        while let Some(c) = cause {
            message.push_str(": ");
            message.push_str(&redact::text(&c.to_string()));
            cause = c.source();
        }
        let mut e = Error::new(kind, message);
        e.inner.not_sent = not_sent;
        e.inner.http_status = status;
        e.inner.source = Some(Box::new(err));
        e
    }

    /// A call that ran past its total deadline.
    pub fn deadline_exceeded(deadline: Duration) -> Self {
        Error::new(ErrorKind::Timeout, format!("the call did not finish within its {deadline:?} deadline"))
    }

    /// Any other error, of the given kind, keeping `source` for `Error::source`.
    pub fn other(kind: ErrorKind, message: impl Into<String>, source: impl StdError + Send + Sync + 'static) -> Self {
        let mut e = Error::new(kind, redact::text(&message.into()));
        e.inner.source = Some(Box::new(source));
        e
    }

    /// Sets the platform's request id (WeChat `rid`, Ads `trace_id`).
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        let id = id.into();
        if !id.is_empty() {
            self.inner.request_id = Some(id);
        }
        self
    }

    /// Sets the endpoint the error came from (e.g. `v4/sns/black_list_add`).
    pub fn with_endpoint(mut self, endpoint: impl Into<Cow<'static, str>>) -> Self {
        self.inner.endpoint = Some(endpoint.into());
        self
    }

    /// Attaches structured details from the platform (e.g. the Ads `errors[]` array).
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.inner.details = Some(details);
        self
    }

    /// Attaches the HTTP status the response came with.
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.inner.http_status = Some(status);
        self
    }

    /// Changes the kind (a platform's classifier knows that 70001 is `Auth`, 60007 `Throttled`).
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.inner.kind = kind;
        self
    }

    /// Marks whether trying again later may succeed, and after how long if the server said.
    pub fn with_retryable(mut self, retryable: bool, after: Option<Duration>) -> Self {
        self.inner.retryable = retryable;
        self.inner.retry_after = after;
        self
    }

    /// Marks the error as proof that the request never reached the server (refused before
    /// sending: our own quota, credentials that could not be obtained).
    pub fn with_not_sent(mut self) -> Self {
        self.inner.not_sent = true;
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
        self
    }

    /// Marks that an earlier attempt of the call failed with its outcome unknown, so this
    /// failure does not prove the request was not applied.
    pub(crate) fn after_unknown_outcome(mut self, unknown: bool) -> Self {
        self.inner.earlier_outcome_unknown |= unknown;
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The platform error code (`ErrorCode`/`ResultCode`, `errcode`/`ret`, `code`), if any.
    /// Convert it with the platform crate's open enum, e.g. `tim_sns::ErrorCode::from(code)`.
    pub fn code(&self) -> Option<i64> {
        self.inner.code
    }

    /// Whether trying again later may succeed (transient server errors, throttling).
    pub fn is_retryable(&self) -> bool {
        self.inner.retryable
    }

    /// How long the server asked us to wait before trying again, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// The platform's request id, to quote in a support ticket.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The endpoint the call went to.
    pub fn endpoint(&self) -> Option<&str> {
        self.inner.endpoint.as_deref()
    }

    /// For [`ErrorKind::InvalidInput`], the field that broke a rule.
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }

    /// The redacted message.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The HTTP status, when an HTTP response came back.
    pub fn http_status(&self) -> Option<u16> {
        self.inner.http_status
    }

    /// A short, redacted snippet of an undecodable or unexpected body.
    pub fn body_snippet(&self) -> Option<&str> {
        self.inner.body_snippet.as_deref()
    }

    /// Structured details from the platform, when it sent any.
    pub fn details(&self) -> Option<&serde_json::Value> {
        self.inner.details.as_ref()
    }

    /// How many attempts the call made before this error (0 if none was sent).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// Whether the failure proves the request never reached the server (a refused
    /// connection, invalid input): repeating it cannot apply the operation twice.
    pub fn request_not_sent(&self) -> bool {
        self.inner.not_sent
    }

    /// Whether the request may have been applied although the call failed: this attempt
    /// or an earlier one was sent and no platform answer came back (a lost connection or
    /// reply, a timeout, a gateway error, an unreadable body). A repeat of such a request
    /// may find its own effect.
    pub fn outcome_unknown(&self) -> bool {
        self.inner.earlier_outcome_unknown || self.unanswered()
    }

    /// This attempt was sent and got no platform answer.
    fn unanswered(&self) -> bool {
        !self.inner.not_sent
            && self.inner.code.is_none()
            && matches!(self.inner.kind, ErrorKind::Transport | ErrorKind::Timeout | ErrorKind::Decode)
            && self.inner.http_status.is_none_or(|s| s >= 500)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        if let Some(endpoint) = &i.endpoint {
            write!(f, "{endpoint}: ")?;
        }
        write!(f, "{}", i.kind)?;
        if let Some(code) = i.code {
            write!(f, " {code}")?;
        }
        write!(f, ": {}", i.message)?;
        if let Some(id) = &i.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &i.kind).field("message", &i.message);
        if let Some(code) = i.code {
            d.field("code", &code);
        }
        if let Some(v) = &i.request_id {
            d.field("request_id", v);
        }
        if let Some(v) = &i.endpoint {
            d.field("endpoint", v);
        }
        if let Some(v) = &i.field {
            d.field("field", v);
        }
        if let Some(v) = i.http_status {
            d.field("http_status", &v);
        }
        if let Some(v) = &i.body_snippet {
            d.field("body_snippet", v);
        }
        d.field("retryable", &i.retryable);
        if let Some(v) = i.retry_after {
            d.field("retry_after", &v);
        }
        if i.attempts > 0 {
            d.field("attempts", &i.attempts);
        }
        d.finish_non_exhaustive()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner.source.as_deref().map(|e| e as &(dyn StdError + 'static))
    }
}

impl From<crate::usersig::GenerateError> for Error {
    fn from(e: crate::usersig::GenerateError) -> Self {
        Error::other(ErrorKind::InvalidInput, format!("cannot generate a UserSig: {e}"), e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_endpoint_kind_code_and_request_id() {
        let e = Error::api(ErrorKind::Api, 30001, "Err_SNS_BlackListAdd_Already_Exist")
            .with_endpoint("v4/sns/black_list_add")
            .with_request_id("rid-1");
        assert_eq!(
            e.to_string(),
            "v4/sns/black_list_add: API error 30001: Err_SNS_BlackListAdd_Already_Exist (request id rid-1)"
        );
        assert_eq!(e.code(), Some(30001));
        assert_eq!(e.request_id(), Some("rid-1"));
    }

    #[test]
    fn decode_errors_keep_a_short_redacted_snippet() {
        let body = br#"{"access_token":"tok-123","refresh_token":"ref-456","note":"xyz"}"#;
        let e = Error::decode("expected value", body);
        let snippet = e.body_snippet().unwrap();
        assert!(snippet.contains("note"));
        assert!(!snippet.contains("tok-123") && !snippet.contains("ref-456"), "{snippet}");
        let long = vec![b'a'; 10_000];
        assert!(Error::decode("x", &long).body_snippet().unwrap().len() <= 300);
    }

    #[test]
    fn api_messages_are_redacted() {
        let e =
            Error::api(ErrorKind::Auth, 40001, "for url (https://h/cgi-bin?access_token=tok-789): invalid credential");
        assert!(!e.to_string().contains("tok-789"), "{e}");
    }

    #[test]
    fn errors_are_send_sync_and_small() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }
}
