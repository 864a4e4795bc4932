//! The JSON shapes of every request and answer, field names exactly as the API spells
//! them, and what each action is ([`Action`]: name, path, token, idempotency, answer type,
//! input rules).
//!
//! Decoding is lenient where the documents and samples disagree (reference §5): numbers may
//! arrive as strings and strings as numbers, an object where a list was documented (and the
//! reverse), aliased field names, rates typed as booleans; missing lists are empty, unknown
//! fields are ignored, and `ret`/`err_msg` may be absent on success. Answers are decoded
//! with [`tx_core::envelope::wechat::decode`], which reports the status fields; the answer
//! types here hold only the data.
//!
//! Money is in fen (1/100 CNY) as `i64`; dates are `yyyy-mm-dd` strings.

mod adunits;
mod authorization;
pub(crate) mod blacklist;
mod category;
mod cover;
pub(crate) mod de;
mod enums;
mod publisher;
mod settlement;
mod share_ratio;
mod stats;
mod tokens;

pub use adunits::{
    AdUnit, AdUnitCode, AdUnitList, AdUnitSize, AdUnitTmplType, CreateAdUnitRequest, CreatedAdUnit,
    GetAdUnitCodeRequest, GetAdUnitListRequest, GetTemplateAdUnitListRequest, GetTmplTypeRequest, TemplateAdUnitList,
    TmplItem, UpdateAdUnitRequest,
};
pub use authorization::{
    AuthorizationInfo, AuthorizerList, AuthorizerListEntry, AuthorizerListRequest, FuncInfo, FuncScopeCategory,
    PreAuthCode, PreAuthCodeRequest, QueryAuth, QueryAuthRequest,
};
pub use blacklist::{BlackList, BlackListEntry, BlackListItem, GetBlackListRequest, SetBlackListRequest};
pub use category::{AmsCategoryBlackList, GetAmsCategoryBlackListRequest, SetAmsCategoryBlackListRequest};
pub use cover::{
    CoverAdposStatus, CoverScenes, GetCoverSceneRequest, GetCoverStatusRequest, SetCoverSceneRequest,
    SetCoverStatusRequest,
};
pub use enums::{
    AdSlot, AdUnitStatus, BlackListOp, BlackListType, CoverStatus, SettlementOrder, SettlementPhase, SettlementStatus,
    SlotId, TmplType,
};
pub use publisher::{CanOpenPublisher, CheckCanOpenPublisherRequest, CreatePublisherRequest};
pub use settlement::{GetAgencySettledRevenueRequest, GetSettlementRequest, Settlement, SettlementPeriod, SlotRevenue};
pub use share_ratio::{
    GetCustomShareRatioRequest, GetShareRatioRequest, SetCustomShareRatioRequest, SetShareRatioRequest, ShareRatio,
};
pub use stats::{
    AdUnitGeneral, AdUnitStats, AdposGeneral, AgencyAdUnitStats, AgencyAdsDetail, AgencyAdsStat, AgencyStatRow,
    GetAdUnitGeneralRequest, GetAdposGeneralRequest, GetAgencyAdsDetailRequest, GetAgencyAdsStatRequest, StatRow,
};
pub use tokens::{
    AuthorizerToken, AuthorizerTokenRequest, ComponentToken, ComponentTokenRequest, StartPushTicketRequest,
};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;
use tx_core::{Error, Idempotency};

/// `/wxa/operationams`: the per-mini-program AMS actions.
pub const OPERATION_PATH: &str = "/wxa/operationams";
/// `/wxa/setdefaultamsinfo`: provider-level writes (share ratios).
pub const SET_DEFAULT_PATH: &str = "/wxa/setdefaultamsinfo";
/// `/wxa/getdefaultamsinfo`: provider-level reads (share ratios, agency statistics).
pub const GET_DEFAULT_PATH: &str = "/wxa/getdefaultamsinfo";

/// Which access token a call carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// None (the token endpoints themselves, and the push-ticket request).
    None,
    /// The platform's `component_access_token` (C).
    Component,
    /// The authorized mini program's `authorizer_access_token` (A).
    Authorizer,
}

/// What an action is: its name, where it is posted and with which token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionInfo {
    /// The action (`agency_create_adunit`) or the component API's name (`api_query_auth`).
    pub name: &'static str,
    /// The path: one of the three AMS paths, or `/cgi-bin/component/<name>`.
    pub path: &'static str,
    /// The token the call carries.
    pub token: TokenKind,
    /// Whether repeating the call can apply it twice.
    pub idempotency: Idempotency,
}

impl ActionInfo {
    /// Whether this is an AMS action (posted with `?action=<name>&access_token=…`).
    pub fn is_ams(&self) -> bool {
        self.path.starts_with("/wxa/")
    }

    /// The query parameter naming the action (`action`), for AMS actions.
    pub fn action_param(&self) -> Option<(&'static str, &'static str)> {
        self.is_ams().then_some(("action", self.name))
    }

    /// The query key of the token: `access_token` for AMS actions (whichever token they
    /// take), `component_access_token` for the component APIs, none for the token calls.
    pub fn token_param(&self) -> Option<&'static str> {
        match (self.token, self.is_ams()) {
            (TokenKind::None, _) => None,
            (_, true) => Some("access_token"),
            (_, false) => Some("component_access_token"),
        }
    }
}

/// A request of the API: what it is, what it answers, and its input rules.
///
/// ```
/// use wechat_ams::wire::{Action, CreateAdUnitRequest, TokenKind};
/// use wechat_ams::AdSlot;
///
/// let request = CreateAdUnitRequest::new("banner on the home page", AdSlot::Banner);
/// request.validate()?;
/// assert_eq!(CreateAdUnitRequest::INFO.name, "agency_create_adunit");
/// assert_eq!(CreateAdUnitRequest::INFO.token, TokenKind::Authorizer);
/// assert_eq!(serde_json::to_string(&request).unwrap(), r#"{"name":"banner on the home page","type":"SLOT_ID_WEAPP_BANNER"}"#);
/// # Ok::<(), tx_core::Error>(())
/// ```
pub trait Action: Serialize + fmt::Debug {
    /// What the action is.
    const INFO: ActionInfo;
    /// The answer's data (the status fields are the envelope's).
    type Response: DeserializeOwned + fmt::Debug;
    /// Checks the request's input rules; the error names the field and the rule.
    fn validate(&self) -> Result<(), Error>;
}

/// The answer of actions that return nothing but their status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Ack {}

/// `page` and `page_size` (pages count from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Paging {
    /// The page, from 1.
    pub page: u32,
    /// Items per page, at least 1.
    pub page_size: u32,
}

impl Paging {
    /// A page of `page_size` items.
    pub fn new(page: u32, page_size: u32) -> Self {
        Paging { page, page_size }
    }
}

/// `start_date` and `end_date`, both `yyyy-mm-dd`, inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateRange {
    /// The first day.
    pub start_date: String,
    /// The last day.
    pub end_date: String,
}

impl DateRange {
    /// The days from `start_date` to `end_date`.
    pub fn new(start_date: impl Into<String>, end_date: impl Into<String>) -> Self {
        DateRange { start_date: start_date.into(), end_date: end_date.into() }
    }
}

/// Declares [`Action`] for a request type.
macro_rules! action {
    ($request:ty => $response:ty, $name:literal, $path:expr, $token:ident, $idempotency:ident, |$s:ident| $validate:expr) => {
        impl $crate::wire::Action for $request {
            const INFO: $crate::wire::ActionInfo = $crate::wire::ActionInfo {
                name: $name,
                path: $path,
                token: $crate::wire::TokenKind::$token,
                idempotency: ::tx_core::Idempotency::$idempotency,
            };
            type Response = $response;
            fn validate(&self) -> Result<(), ::tx_core::Error> {
                let $s = self;
                $validate
            }
        }
    };
}
pub(crate) use action;

/// The 26 AMS actions of the reference, in its order.
pub const AMS_ACTIONS: [ActionInfo; 26] = [
    SetShareRatioRequest::INFO,
    GetShareRatioRequest::INFO,
    SetCustomShareRatioRequest::INFO,
    GetCustomShareRatioRequest::INFO,
    CheckCanOpenPublisherRequest::INFO,
    CreatePublisherRequest::INFO,
    CreateAdUnitRequest::INFO,
    UpdateAdUnitRequest::INFO,
    GetTmplTypeRequest::INFO,
    GetTemplateAdUnitListRequest::INFO,
    SetCoverStatusRequest::INFO,
    SetCoverSceneRequest::INFO,
    GetCoverStatusRequest::INFO,
    GetCoverSceneRequest::INFO,
    GetAdUnitListRequest::INFO,
    GetAdUnitCodeRequest::INFO,
    GetBlackListRequest::INFO,
    SetBlackListRequest::INFO,
    GetAmsCategoryBlackListRequest::INFO,
    SetAmsCategoryBlackListRequest::INFO,
    GetAdposGeneralRequest::INFO,
    GetAdUnitGeneralRequest::INFO,
    GetAgencyAdsStatRequest::INFO,
    GetAgencyAdsDetailRequest::INFO,
    GetSettlementRequest::INFO,
    GetAgencySettledRevenueRequest::INFO,
];

/// The component (third-party platform) APIs of the token lifecycle.
pub const COMPONENT_APIS: [ActionInfo; 6] = [
    ComponentTokenRequest::INFO,
    PreAuthCodeRequest::INFO,
    QueryAuthRequest::INFO,
    AuthorizerTokenRequest::INFO,
    AuthorizerListRequest::INFO,
    StartPushTicketRequest::INFO,
];

#[cfg(test)]
mod seeds;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_26_actions_with_their_paths_and_tokens() {
        use TokenKind::{Authorizer as A, Component as C};
        let expected: [(&str, &str, TokenKind); 26] = [
            ("set_share_ratio", SET_DEFAULT_PATH, C),
            ("get_share_ratio", GET_DEFAULT_PATH, C),
            ("agency_set_custom_share_ratio", SET_DEFAULT_PATH, C),
            ("agency_get_custom_share_ratio", GET_DEFAULT_PATH, C),
            ("agency_check_can_open_publisher", OPERATION_PATH, A),
            ("agency_create_publisher", OPERATION_PATH, A),
            ("agency_create_adunit", OPERATION_PATH, A),
            ("agency_update_adunit", OPERATION_PATH, A),
            ("agency_get_tmpl_type", OPERATION_PATH, A),
            ("get_agency_ad_unit_list", OPERATION_PATH, A),
            ("agency_set_cover_adpos_status", OPERATION_PATH, A),
            ("agency_set_cover_adpos_scene", OPERATION_PATH, A),
            ("agency_get_cover_adpos_status", OPERATION_PATH, A),
            ("agency_get_cover_adpos_scene", OPERATION_PATH, A),
            ("agency_get_adunit_list", OPERATION_PATH, A),
            ("agency_get_adunit_code", OPERATION_PATH, A),
            ("agency_get_black_list", OPERATION_PATH, A),
            ("agency_set_black_list", OPERATION_PATH, A),
            ("agency_get_mp_amscategory_blacklist", OPERATION_PATH, A),
            ("agency_set_mp_amscategory_blacklist", OPERATION_PATH, A),
            ("agency_get_adpos_genenral", OPERATION_PATH, A),
            ("agency_get_adunit_general", OPERATION_PATH, A),
            ("get_agency_ads_stat", GET_DEFAULT_PATH, C),
            ("get_agency_ads_detail", GET_DEFAULT_PATH, C),
            ("agency_get_settlement", OPERATION_PATH, A),
            ("get_agency_settled_revenue", OPERATION_PATH, C),
        ];
        for (info, (name, path, token)) in AMS_ACTIONS.iter().zip(expected) {
            assert_eq!((info.name, info.path, info.token), (name, path, token));
            assert!(info.is_ams());
            assert_eq!(info.action_param(), Some(("action", name)));
            assert_eq!(info.token_param(), Some("access_token"));
            let once =
                if name == "agency_create_adunit" { Idempotency::NotIdempotent } else { Idempotency::Idempotent };
            assert_eq!(info.idempotency, once, "{name}");
        }
    }

    #[test]
    fn component_apis() {
        for info in COMPONENT_APIS {
            assert_eq!(info.path, format!("/cgi-bin/component/{}", info.name));
            assert!(!info.is_ams() && info.action_param().is_none());
            let expected = match info.name {
                "api_component_token" | "api_start_push_ticket" => None,
                _ => Some("component_access_token"),
            };
            assert_eq!(info.token_param(), expected, "{}", info.name);
        }
        assert_eq!(QueryAuthRequest::INFO.idempotency, Idempotency::NotIdempotent);
    }

    #[test]
    fn ack_accepts_any_status_object() {
        for body in ["{}", r#"{"ret":0,"err_msg":"ok"}"#, r#"{"errcode":0,"errmsg":"ok","extra":[1]}"#] {
            assert_eq!(tx_core::envelope::wechat::decode::<Ack>(body.as_bytes()).unwrap(), Ack {});
        }
    }
}
