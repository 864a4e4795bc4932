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

/// How many answer types [`decode_reply`] chooses from.
pub const ACTIONS: usize = 22;

/// Decodes `body` as the answer of action `index` (modulo [`ACTIONS`]).
pub fn decode_reply(index: usize, body: &[u8]) -> Decoded {
    match index % ACTIONS {
        0 => one::<wire::SetShareRatioRequest>(body),
        1 => one::<wire::GetShareRatioRequest>(body),
        2 => one::<wire::CheckCanOpenPublisherRequest>(body),
        3 => one::<wire::CreateAdUnitRequest>(body),
        4 => one::<wire::GetTmplTypeRequest>(body),
        5 => one::<wire::GetTemplateAdUnitListRequest>(body),
        6 => one::<wire::GetCoverStatusRequest>(body),
        7 => one::<wire::GetCoverSceneRequest>(body),
        8 => one::<wire::GetAdUnitListRequest>(body),
        9 => one::<wire::GetAdUnitCodeRequest>(body),
        10 => one::<wire::GetBlackListRequest>(body),
        11 => one::<wire::GetAmsCategoryBlackListRequest>(body),
        12 => one::<wire::GetAdposGeneralRequest>(body),
        13 => one::<wire::GetAdUnitGeneralRequest>(body),
        14 => one::<wire::GetAgencyAdsStatRequest>(body),
        15 => one::<wire::GetAgencyAdsDetailRequest>(body),
        16 => one::<wire::GetSettlementRequest>(body),
        17 => one::<wire::ComponentTokenRequest>(body),
        18 => one::<wire::PreAuthCodeRequest>(body),
        19 => one::<wire::QueryAuthRequest>(body),
        20 => one::<wire::AuthorizerTokenRequest>(body),
        _ => one::<wire::AuthorizerListRequest>(body),
    }
}
