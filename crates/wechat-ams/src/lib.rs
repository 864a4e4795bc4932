//! WeChat third-party platform: mini-program ad (AMS) agency actions.

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
