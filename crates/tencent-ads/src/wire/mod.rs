//! The JSON shapes of the Ads requests and answers, field names exactly as the API spells
//! them, pinned to the documents' literal examples.
//!
//! Requests serialize the documented types (integers unquoted) and are checked with their
//! `validate` method before anything is sent. Answers decode leniently: numbers may arrive
//! as strings, every id is a trimmed `String`, unfilled values (`""`) become `None`, lists
//! default to empty, unknown fields are ignored and enums keep values this crate does not
//! know. Answers are `#[non_exhaustive]`: the API adds fields.

mod common;
mod de;
mod material_tasks;
mod oauth;
mod watermarks;

pub use common::{Filter, FilterField, FilterOperator, Material, MaterialType, PageInfo};
pub use material_tasks::{
    MaterialParamType, MaterialTask, MaterialTasksAddRequest, MaterialTasksAddResponse, MaterialTasksGetRequest,
    MaterialTasksGetResponse, OwnershipType, TaskSpecs, TaskStatus, WatermarkSpec, WatermarkTaskResult,
};
pub use oauth::{
    AccountRoleType, AccountType, AuthorizerInfo, DEFAULT_ACCESS_TOKEN_LIFETIME, DEFAULT_REFRESH_TOKEN_LIFETIME, Grant,
    TokenRequest, TokenResponse,
};
pub use watermarks::{
    MaterialSourceType, WatermarkAddResult, WatermarkConfig, WatermarkRecord, WatermarkStatus, WatermarksAddRequest,
    WatermarksAddResponse, WatermarksGetRequest, WatermarksGetResponse,
};

#[cfg(test)]
mod seeds;
