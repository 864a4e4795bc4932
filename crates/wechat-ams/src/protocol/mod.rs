//! WeChat's part in the request pipeline: which token a call carries and under which query
//! key, the quota a call counts against, the dual envelope, and what each code means.
//!
//! A call's [`Tenant`] says whose token it needs: the component's own AppID for calls
//! with the `component_access_token` (C), an authorizer's AppID for calls with its
//! `authorizer_access_token` (A), and no tenant for the calls that carry no token
//! (`api_component_token`, `api_start_push_ticket`). AMS actions put either token in
//! `access_token`; the component APIs put the component token in `component_access_token`.

pub(crate) mod sources;
pub(crate) mod ticket;

use crate::code::ErrorCode;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use tx_core::envelope::{EnvelopeError, wechat};
use tx_core::pipeline::{AttemptRequest, Call, Protocol, RawResponse};
use tx_core::rate_limit::RateKey;
use tx_core::token::Credentials;
use tx_core::{Error, Secret, Tenant, Verdict, async_trait};

/// The platform name in rate keys and traces.
pub(crate) const PLATFORM: &str = "wechat";

/// Which token a call carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The platform's `component_access_token`.
    Component,
    /// An authorized mini program's `authorizer_access_token`.
    Authorizer,
}

/// Adds the token of the call's tenant to every attempt; the quota of a call is its
/// tenant's (the authorizer, or the component) for its action.
#[derive(Debug)]
pub(crate) struct WechatProtocol {
    /// The component's AppID: the tenant of calls made with the component token.
    pub component_appid: Tenant,
    /// Component tokens, unless this pipeline sends no component call.
    pub component: Option<Arc<dyn Credentials>>,
    /// Authorizer tokens, unless this pipeline sends no authorizer call.
    pub authorizers: Option<Arc<dyn Credentials>>,
}

impl WechatProtocol {
    fn kind_of(&self, tenant: &Tenant) -> Kind {
        if *tenant == self.component_appid { Kind::Component } else { Kind::Authorizer }
    }

    fn credentials(&self, kind: Kind) -> Option<&Arc<dyn Credentials>> {
        match kind {
            Kind::Component => self.component.as_ref(),
            Kind::Authorizer => self.authorizers.as_ref(),
        }
    }
}

#[async_trait]
impl Protocol for WechatProtocol {
    /// The token an attempt carried, and its kind; `None` for calls without a token.
    type Credential = Option<(Kind, Secret)>;

    fn platform(&self) -> &'static str {
        PLATFORM
    }

    fn rate_key(&self, call: &Call) -> RateKey {
        let scope = if call.tenant().as_str().is_empty() { &self.component_appid } else { call.tenant() };
        RateKey::new(PLATFORM, scope.as_str(), call.endpoint())
    }

    async fn authorize(&self, call: &Call, request: &mut AttemptRequest) -> Result<Self::Credential, Error> {
        let tenant = call.tenant();
        if tenant.as_str().is_empty() {
            return Ok(None);
        }
        let kind = self.kind_of(tenant);
        let credentials = self.credentials(kind).ok_or_else(|| {
            Error::auth(format!("{}: no {kind:?} credentials are configured for this call", call.endpoint()))
        })?;
        let token = credentials.token(tenant).await?;
        request.secret_query(token_param(call.path()), &token.value);
        Ok(Some((kind, token.value)))
    }

    async fn invalidate(&self, call: &Call, credential: Self::Credential) {
        if let Some((kind, failed)) = credential
            && let Some(credentials) = self.credentials(kind)
        {
            credentials.invalidate(call.tenant(), &failed).await;
        }
    }

    fn decode<T: DeserializeOwned>(&self, _call: &Call, response: &RawResponse) -> Result<T, Error> {
        decode(&response.body)
    }

    fn classify(&self, _call: &Call, error: &Error) -> Verdict {
        error.code().map_or(Verdict::Permanent, |c| ErrorCode::from(c).verdict())
    }
}

/// The query key of the token: `access_token` on the AMS paths (whichever token), else
/// `component_access_token`.
fn token_param(path: &str) -> &'static str {
    if path.trim_start_matches('/').starts_with("wxa/") { "access_token" } else { "component_access_token" }
}

/// Decodes a WeChat body into `T`, or into the error its status fields report (gateway
/// `errcode` first, then `ret`, then `base_resp.ret`), with the code's kind and hint.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    match wechat::decode::<T>(body) {
        Ok(data) => Ok(data),
        Err(EnvelopeError::Failure(f)) => {
            let code = ErrorCode::from(f.code);
            let e = Error::api(code.error_kind(), f.code, &code.message(&f.message));
            Err(match f.request_id {
                Some(id) => e.with_request_id(id),
                None => e,
            })
        }
        Err(EnvelopeError::Decode(e)) => Err(Error::decode(e, body)),
    }
}

/// `error` with `context` before its message, keeping its kind, code, request id and
/// retryability.
pub(crate) fn with_context(error: Error, context: impl std::fmt::Display) -> Error {
    if error.field().is_some() {
        return error;
    }
    let message = format!("{context}: {}", error.message());
    let (retryable, after, not_sent) = (error.is_retryable(), error.retry_after(), error.request_not_sent());
    let mut e = match error.code() {
        Some(code) => {
            let id = error.request_id().map(str::to_owned);
            let e = Error::api(error.kind(), code, &message);
            match id {
                Some(id) => e.with_request_id(id),
                None => e,
            }
        }
        None => Error::other(error.kind(), message, error),
    };
    e = e.with_retryable(retryable, after);
    if not_sent { e.with_not_sent() } else { e }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tx_core::ErrorKind;

    #[test]
    fn failures_become_errors_with_their_kind_hint_and_request_id() {
        let e =
            decode::<serde_json::Value>(br#"{"errcode":40001,"errmsg":"invalid credential rid: 6541a2b3-05c1d2e3"}"#)
                .unwrap_err();
        assert_eq!((e.kind(), e.code(), e.request_id()), (ErrorKind::Auth, Some(40001), Some("6541a2b3-05c1d2e3")));
        assert!(e.message().contains("several instances"), "{e}");
        let e = decode::<serde_json::Value>(br#"{"ret":1737,"err_msg":"too fast"}"#).unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::Throttled, Some(1737)));
        let e = decode::<serde_json::Value>(br#"{"base_resp":{"ret":2035,"err_msg":"over"}}"#).unwrap_err();
        assert_eq!((e.kind(), e.code(), e.message()), (ErrorKind::Api, Some(2035), "over"));
        let e = decode::<serde_json::Value>(b"<html>502</html>").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
    }

    #[test]
    fn context_keeps_what_matters() {
        let e = Error::api(ErrorKind::Throttled, 45011, "minute quota rid: abc").with_request_id("abc");
        let e = with_context(e.with_retryable(true, None), "authorizer token of wx1");
        assert_eq!(e.message(), "authorizer token of wx1: minute quota rid: abc");
        assert_eq!(
            (e.code(), e.kind(), e.request_id(), e.is_retryable()),
            (Some(45011), ErrorKind::Throttled, Some("abc"), true)
        );
        let plain = with_context(Error::auth("no ticket").with_not_sent(), "component token");
        assert_eq!(
            (plain.kind(), plain.message(), plain.request_not_sent()),
            (ErrorKind::Auth, "component token: no ticket", true)
        );
        let invalid = with_context(Error::invalid_input("appid", "must be set"), "x");
        assert_eq!(invalid.field(), Some("appid"));
    }

    #[test]
    fn token_keys_follow_the_path() {
        assert_eq!(token_param("/wxa/operationams"), "access_token");
        assert_eq!(token_param("wxa/getdefaultamsinfo"), "access_token");
        assert_eq!(token_param("/cgi-bin/component/api_authorizer_token"), "component_access_token");
    }
}
