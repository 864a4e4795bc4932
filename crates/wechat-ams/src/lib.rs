//! WeChat third-party platform: the mini-program ad (AMS, 流量主代运营) agency actions, and
//! the component and authorizer token lifecycle they depend on.
//!
//! This crate will hold a client on the `tx-core` request pipeline (`Client`, handlers for
//! publishers, ad units, cover ads, black lists, categories, share ratios, statistics and
//! settlements, component and authorizer token caches). What is here now is its I/O-free
//! foundation, usable on its own:
//!
//! - [`ErrorCode`]: one open code enum over the gateway's `errcode` and the AMS `ret`, with
//!   what each code means for retrying ([`ErrorCode::verdict`]), its
//!   [`ErrorKind`](tx_core::ErrorKind) and hints for the confusing ones;
//! - [`AmsCategory`] and [`CategorySet`]: the blocked industry categories and their pipe
//!   string, parsed leniently and compared with set operations;
//! - [`wire`]: request and answer types of the 26 AMS actions and the six component APIs,
//!   each request an [`Action`](wire::Action) with its path, token, idempotency and input
//!   rules ([`validate`]), every answer tolerant of the documents' inconsistencies;
//! - [`push`]: the receiver of the authorization-event push (ticket, authorized,
//!   unauthorized) as plain functions of the query and the body.
//!
//! ```
//! use tx_core::{ErrorKind, Verdict};
//! use tx_core::envelope::{EnvelopeError, wechat};
//! use wechat_ams::wire::{Action, AmsCategoryBlackList, SetAmsCategoryBlackListRequest};
//! use wechat_ams::{AmsCategory, CategorySet, ErrorCode};
//!
//! // A request is checked before anything is sent.
//! let wanted = CategorySet::from_iter([AmsCategory::Chess, AmsCategory::Loan]);
//! let request = SetAmsCategoryBlackListRequest { ams_category: wanted.clone() };
//! request.validate()?;
//! assert_eq!(serde_json::to_string(&request).unwrap(), r#"{"ams_category":"CHESS|LOAN"}"#);
//! assert_eq!(SetAmsCategoryBlackListRequest::INFO.name, "agency_set_mp_amscategory_blacklist");
//!
//! // Answers decode leniently (a trailing space, an absent ret); failures carry their code.
//! let current: AmsCategoryBlackList = wechat::decode(br#"{"ams_category":"LOAN|CHESS "}"#).unwrap();
//! assert_eq!(current.ams_category, wanted);
//! let Err(EnvelopeError::Failure(failure)) = wechat::decode::<AmsCategoryBlackList>(br#"{"ret":1737,"err_msg":"too fast"}"#)
//! else { panic!() };
//! let code = ErrorCode::from(failure.code);
//! assert!(matches!(code.verdict(), Verdict::Throttled { after: Some(_) }));
//! assert_eq!(code.error_kind(), ErrorKind::Throttled);
//! # Ok::<(), tx_core::Error>(())
//! ```
//!
//! # Conventions
//! - Money is in fen (1/100 CNY) as `i64`; dates are `yyyy-mm-dd` strings; rates are `f64`.
//! - Answer types are `#[non_exhaustive]`; string enums keep an `Unknown(String)` value and
//!   numeric ones an `Other(i64)`; lists default to empty; unknown fields are ignored.
//! - Tokens, secrets, tickets and codes are [`tx_core::Secret`]s: never in `Debug`,
//!   `Display` or errors.

mod category;
mod code;
pub mod push;
pub mod validate;
pub mod wire;

pub use category::{AmsCategory, CategorySet};
pub use code::{ErrorCode, KnownCode};
pub use wire::{
    AdSlot, AdUnitStatus, BlackListOp, BlackListType, CoverStatus, SettlementOrder, SettlementPhase, SettlementStatus,
    SlotId, TmplType,
};
