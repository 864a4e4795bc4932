//! Entry points for the fuzz targets (`fuzz/`), compiled only with the `fuzzing` feature:
//! the decode path of every AMS action's and component API's answer, as the client runs it.

use crate::code::ErrorCode;
use crate::protocol::decode;
use crate::wire::{self, Action};
use tx_core::Error;

/// What decoding one answer type gave.
#[derive(Debug)]
pub struct Decoded {
    /// The action whose answer type was used.
    pub action: &'static str,
    /// The answer's `Debug` text, or the error the client would return.
    pub result: Result<String, Error>,
}

fn one<A: Action>(body: &[u8]) -> Decoded {
    let result = decode::<A::Response>(body).map(|r| format!("{r:?}"));
    if let Err(e) = &result
        && let Some(c) = e.code()
    {
        let code = ErrorCode::from(c);
        let _ = (code.verdict(), code.error_kind(), code.hint(), code.message(e.message()));
    }
    Decoded { action: A::INFO.name, result }
}

/// Decodes `body` as the answer of every action and component API.
pub fn decode_replies(body: &[u8]) -> Vec<Decoded> {
    vec![
        one::<wire::SetShareRatioRequest>(body),
        one::<wire::GetShareRatioRequest>(body),
        one::<wire::CheckCanOpenPublisherRequest>(body),
        one::<wire::CreateAdUnitRequest>(body),
        one::<wire::GetTmplTypeRequest>(body),
        one::<wire::GetTemplateAdUnitListRequest>(body),
        one::<wire::GetCoverStatusRequest>(body),
        one::<wire::GetCoverSceneRequest>(body),
        one::<wire::GetAdUnitListRequest>(body),
        one::<wire::GetAdUnitCodeRequest>(body),
        one::<wire::GetBlackListRequest>(body),
        one::<wire::GetAmsCategoryBlackListRequest>(body),
        one::<wire::GetAdposGeneralRequest>(body),
        one::<wire::GetAdUnitGeneralRequest>(body),
        one::<wire::GetAgencyAdsStatRequest>(body),
        one::<wire::GetAgencyAdsDetailRequest>(body),
        one::<wire::GetSettlementRequest>(body),
        one::<wire::ComponentTokenRequest>(body),
        one::<wire::PreAuthCodeRequest>(body),
        one::<wire::QueryAuthRequest>(body),
        one::<wire::AuthorizerTokenRequest>(body),
        one::<wire::AuthorizerListRequest>(body),
    ]
}
