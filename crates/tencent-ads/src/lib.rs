//! Tencent Ads Marketing API v3.0 (its I/O-free foundation is being built).

pub mod code;
pub mod query;
pub mod texts;
pub mod validate;
pub mod wire;

pub use code::{ErrorCode, KnownCode};
pub use query::{QueryArg, QueryPairs, query_pairs};
pub use texts::{AnnualRate, Industry, WarningText};
pub use wire::{
    AccountRoleType, AccountType, AuthorizerInfo, Filter, FilterField, FilterOperator, Grant, Material,
    MaterialParamType, MaterialSourceType, MaterialTask, MaterialTasksAddRequest, MaterialTasksAddResponse,
    MaterialTasksGetRequest, MaterialTasksGetResponse, MaterialType, OwnershipType, PageInfo, TaskSpecs, TaskStatus,
    TokenRequest, TokenResponse, WatermarkAddResult, WatermarkConfig, WatermarkRecord, WatermarkSpec, WatermarkStatus,
    WatermarkTaskResult, WatermarksAddRequest, WatermarksAddResponse, WatermarksGetRequest, WatermarksGetResponse,
};
