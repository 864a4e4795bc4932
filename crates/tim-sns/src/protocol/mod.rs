//! TIM's part in the request pipeline: who signs, the query credentials, the quota a call
//! counts against, the envelope, the codes.

pub(crate) mod code;
pub(crate) mod region;
pub(crate) mod usersig_source;

use serde::de::DeserializeOwned;
use tx_core::envelope::{EnvelopeError, tim};
use tx_core::pipeline::{AttemptRequest, Call, Protocol, RawResponse};
use tx_core::rate_limit::RateKey;
use tx_core::token::TokenCache;
use tx_core::{Error, Secret, Tenant, Verdict, async_trait};

/// Adds `sdkappid`, `identifier` (the call's tenant: the admin), the admin's cached
/// `usersig`, a fresh `random` and `contenttype=json` to every attempt. Quotas count per
/// SDKAppID and command.
#[derive(Debug)]
pub(crate) struct TimProtocol {
    pub sdk_app_id: u32,
    /// The admin calls are made as when they name no tenant.
    pub admin: Tenant,
    pub sigs: TokenCache,
}

impl TimProtocol {
    fn admin_of<'c>(&'c self, call: &'c Call) -> &'c Tenant {
        if call.tenant().as_str().is_empty() { &self.admin } else { call.tenant() }
    }
}

#[async_trait]
impl Protocol for TimProtocol {
    type Credential = Secret;

    fn platform(&self) -> &'static str {
        "tim"
    }

    fn rate_key(&self, call: &Call) -> RateKey {
        RateKey::new("tim", self.sdk_app_id.to_string(), call.endpoint())
    }

    async fn authorize(&self, call: &Call, request: &mut AttemptRequest) -> Result<Secret, Error> {
        let admin = self.admin_of(call);
        let sig = self.sigs.token(admin).await?;
        request.query("sdkappid", self.sdk_app_id.to_string());
        request.query("identifier", admin.as_str());
        request.secret_query("usersig", &sig.value);
        request.query("contenttype", "json");
        request.query("random", fastrand::u32(..).to_string());
        Ok(sig.value)
    }

    async fn invalidate(&self, call: &Call, credential: Secret) {
        if let Err(e) = self.sigs.invalidate(self.admin_of(call), &credential).await {
            tracing::warn!(error = %e, "could not invalidate the rejected admin UserSig");
        }
    }

    fn decode<T: DeserializeOwned>(&self, _call: &Call, response: &RawResponse) -> Result<T, Error> {
        decode(&response.body)
    }

    fn classify(&self, _call: &Call, error: &Error) -> Verdict {
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
