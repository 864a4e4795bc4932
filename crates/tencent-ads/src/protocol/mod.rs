//! The Ads part in the request pipeline: the account's token, a fresh `timestamp` and
//! `nonce` on every attempt, the optional `user_token`, the quota a call counts against,
//! the envelope and the codes.

pub(crate) mod hosts;
pub(crate) mod oauth;
pub(crate) mod tokens;

use crate::code::{self, ErrorCode};
use crate::nonce::AttemptStamp;
use serde::de::DeserializeOwned;
use tokens::AccountTokens;
use tx_core::clock::{Clock, SharedClock};
use tx_core::envelope::{EnvelopeError, ads};
use tx_core::pipeline::{AttemptRequest, Call, Protocol, RawResponse};
use tx_core::rate_limit::RateKey;
use tx_core::{Error, Secret, Verdict, async_trait};

/// The platform name of traces and rate keys.
pub(crate) const PLATFORM: &str = "ads";

/// Adds the call's account's `access_token`, a fresh `timestamp` and `nonce`, and the
/// `user_token` when configured, to every attempt. Quotas count per app and endpoint,
/// across all accounts.
#[derive(Debug)]
pub(crate) struct AdsProtocol {
    pub client_id: u64,
    pub tokens: AccountTokens,
    pub user_token: Option<Secret>,
    pub clock: SharedClock,
}

#[async_trait]
impl Protocol for AdsProtocol {
    type Credential = Secret;

    fn platform(&self) -> &'static str {
        PLATFORM
    }

    fn rate_key(&self, call: &Call) -> RateKey {
        rate_key(self.client_id, call)
    }

    async fn authorize(&self, call: &Call, request: &mut AttemptRequest) -> Result<Secret, Error> {
        let token = self.tokens.token(call.tenant()).await?;
        request.secret_query("access_token", &token);
        let stamp = AttemptStamp::new(&*self.clock);
        request.query("timestamp", stamp.timestamp.to_string());
        request.query("nonce", stamp.nonce);
        if let Some(user_token) = &self.user_token {
            request.secret_query("user_token", user_token);
        }
        Ok(token)
    }

    async fn invalidate(&self, call: &Call, credential: Secret) {
        self.tokens.invalidate(call.tenant(), &credential).await;
    }

    fn decode<T: DeserializeOwned>(&self, _call: &Call, response: &RawResponse) -> Result<T, Error> {
        decode(&response.body, &*self.clock)
    }

    fn classify(&self, _call: &Call, error: &Error) -> Verdict {
        classify(error)
    }
}

/// The quota a call counts against: the app's, per endpoint, whatever the account.
pub(crate) fn rate_key(client_id: u64, call: &Call) -> RateKey {
    RateKey::new(PLATFORM, client_id.to_string(), call.endpoint())
}

/// What an Ads error means for retrying (the table of [`crate::code`]; an unlisted code
/// whose message asks to retry later is retried like a busy answer).
pub(crate) fn classify(error: &Error) -> Verdict {
    error.code().map_or(Verdict::Permanent, |c| ErrorCode::from(c).verdict_with_message(error.message()))
}

/// Decodes an Ads body into `T`, or into the error its `code` reports, with the kind of
/// the code and a message that says what to do where the code alone does not.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8], clock: &dyn Clock) -> Result<T, Error> {
    match ads::decode::<T>(body) {
        Ok(data) => Ok(data),
        Err(EnvelopeError::Failure(mut f)) => {
            let code = ErrorCode::from(f.code);
            f.message = code::message(code, &f.message, clock.unix_now());
            Err(f.into_error(code.kind()))
        }
        Err(EnvelopeError::Decode(e)) => Err(Error::decode(e, body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tx_core::ErrorKind;
    use tx_core::clock::ManualClock;

    fn error(body: &str) -> Error {
        decode::<serde_json::Value>(body.as_bytes(), &ManualClock::new(1_700_000_000)).unwrap_err()
    }

    #[test]
    fn failures_become_errors_of_the_codes_kind() {
        let e = error(r#"{"code":11002,"message":"Access token is invalid. trace_id: 7c1f","trace_id":"7c1f"}"#);
        assert_eq!((e.kind(), e.code(), e.request_id()), (ErrorKind::Auth, Some(11002), Some("7c1f")));
        assert!(e.message().contains("IP"), "{e}");
        assert_eq!(classify(&e), Verdict::Permanent);
        let e = error(r#"{"code":11017,"message":"limit"}"#);
        assert_eq!(e.kind(), ErrorKind::Throttled);
        assert_eq!(classify(&e), Verdict::Throttled { after: Some(code::ENDPOINT_LOCKOUT) });
        let e = error(r#"{"code":12101,"message":"Timestamp is expired or invalid."}"#);
        assert!(e.message().contains("clock") && e.message().contains("1700000000"), "{e}");
        assert_eq!(classify(&e), Verdict::ResendOnce);
        let e = error(r#"{"code":39999,"message":"系统繁忙，请稍后重试"}"#);
        assert_eq!((e.kind(), classify(&e)), (ErrorKind::Api, Verdict::Retry { after: None }));
        let e = decode::<serde_json::Value>(b"<html>502</html>", &ManualClock::new(0)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
    }

    #[test]
    fn codes_are_open() {
        assert_eq!(ErrorCode::from(11000).code(), 11000);
    }
}
