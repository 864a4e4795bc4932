//! TIM's part in the request pipeline: the query credentials, the envelope, the codes.

use crate::code;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use tx_core::envelope::{EnvelopeError, tim};
use tx_core::pipeline::{AttemptRequest, Call, Protocol, QueryValue, RawResponse};
use tx_core::token::TokenCache;
use tx_core::{Error, Secret, Verdict};

/// Adds `sdkappid`, `identifier`, the cached admin `usersig`, a fresh `random` and
/// `contenttype=json` to every attempt.
#[derive(Debug)]
pub(crate) struct TimProtocol {
    pub sdk_app_id: Arc<str>,
    pub admin: Arc<str>,
    pub sigs: TokenCache,
}

impl Protocol for TimProtocol {
    type Credential = Secret;

    fn platform(&self) -> &'static str {
        "tim"
    }

    async fn authorize<'p>(&'p self, _call: &Call, request: &mut AttemptRequest<'_, 'p>) -> Result<Secret, Error> {
        let token = self.sigs.get().await?;
        request.append_query("sdkappid", &self.sdk_app_id);
        request.append_query("identifier", &self.admin);
        request.append_query("usersig", &token.value);
        request.append_query("contenttype", QueryValue::from_static("json"));
        request.append_volatile_query("random", fastrand::u32(..));
        Ok(token.value)
    }

    async fn invalidate(&self, credential: Secret) {
        if let Err(e) = self.sigs.invalidate(&credential).await {
            tracing::warn!(error = %e, "could not invalidate the rejected admin UserSig");
        }
    }

    fn decode<T: DeserializeOwned>(&self, response: &RawResponse) -> Result<T, Error> {
        decode(&response.body)
    }

    fn classify(&self, error: &Error) -> Verdict {
        error.code().map_or(Verdict::Permanent, code::verdict)
    }
}

/// Decodes a TIM body into `T`, or into the error its status fields report.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    match tim::decode::<T>(body) {
        Ok(data) => Ok(data),
        Err(EnvelopeError::Failure(f)) => {
            Err(Error::api(code::kind(f.code), f.code, &code::message(f.code, &f.message)))
        }
        Err(EnvelopeError::Decode(e)) => Err(Error::decode(e, body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tx_core::ErrorKind;

    #[test]
    fn failures_become_errors_of_the_right_kind() {
        let e =
            decode::<serde_json::Value>(br#"{"ActionStatus":"FAIL","ErrorCode":70016,"ErrorInfo":"key not exist"}"#)
                .unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::Auth, Some(70016)));
        assert!(e.message().starts_with("key not exist") && e.message().contains("region"), "{e}");
        let e = decode::<serde_json::Value>(br#"{"ActionStatus":"FAIL","ErrorCode":60007,"ErrorInfo":"freq"}"#)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Throttled);
        let e =
            decode::<serde_json::Value>(br#"{"ActionStatus":"FAIL","ErrorCode":30001,"ErrorInfo":"bad"}"#).unwrap_err();
        assert_eq!((e.kind(), e.message()), (ErrorKind::Api, "bad"));
        let e = decode::<serde_json::Value>(b"<html>502</html>").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
    }
}
