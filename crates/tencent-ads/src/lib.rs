//! Tencent Ads Marketing API v3.0: warning texts (警示语) on ad images, material async
//! tasks, and OAuth 2.0 tokens.
//!
//! The crate will hold a client over `tx-core`'s pipeline (one retry loop, per-account
//! tokens, a fresh timestamp and nonce on every attempt, the 5-minute endpoint lockout) with
//! one handler per group of operations. This release holds its I/O-free foundation:
//! - [`code`]: the Ads result codes as an open enum, with their retry classes;
//! - [`wire`]: the requests and answers of `watermarks/add`, `watermarks/get`,
//!   `material_async_tasks/add`, `material_async_tasks/get` and `oauth/token`, pinned to
//!   the documents' literal examples, each request with a `validate` method;
//! - [`query`]: GET requests as query parameters (non-scalars as JSON);
//! - [`validate`]: the rules checked before anything is sent;
//! - [`texts`]: the warning texts prescribed per industry, rate texts with two decimals;
//! - [`nonce`]: the per-attempt `timestamp` and `nonce`.
//!
//! ```
//! use tencent_ads::query::query_pairs;
//! use tencent_ads::{AnnualRate, WarningText, WatermarksAddRequest, WatermarksGetRequest};
//!
//! // Add the micro-loan texts to two images.
//! let rate = WarningText::loan_annual_rate_simple("7.2".parse()?, AnnualRate::from_percent(24)?)?;
//! let add = WatermarksAddRequest::new(5_178_368_698, ["123", "456"], [WarningText::LOAN_RISK, rate]);
//! add.validate()?;
//! let body = serde_json::to_string(&add).unwrap();
//! assert!(body.contains(r#""text_content":"年化利率（单利）7.20%-24.00%""#));
//!
//! // Poll the records the answer named.
//! let get = WatermarksGetRequest::new(5_178_368_698).with_record_ids(["401", "402"]);
//! get.validate()?;
//! let query = query_pairs(&get)?;
//! assert_eq!(query[1].1.expose(), r#"[{"field":"record_id","operator":"IN","values":["401","402"]}]"#);
//! # Ok::<(), tx_core::Error>(())
//! ```

pub mod code;
pub mod nonce;
pub mod query;
pub mod texts;
pub mod validate;
pub mod wire;

pub use code::{ErrorCode, KnownCode};
pub use nonce::AttemptStamp;
pub use query::{QueryArg, QueryPairs, query_pairs};
pub use texts::{AnnualRate, Industry, WarningText};
pub use wire::{
    AccountRoleType, AccountType, AuthorizerInfo, Filter, FilterField, FilterOperator, Grant, Material,
    MaterialParamType, MaterialSourceType, MaterialTask, MaterialTasksAddRequest, MaterialTasksAddResponse,
    MaterialTasksGetRequest, MaterialTasksGetResponse, MaterialType, OwnershipType, PageInfo, TaskSpecs, TaskStatus,
    TokenRequest, TokenResponse, WatermarkAddResult, WatermarkConfig, WatermarkRecord, WatermarkSpec, WatermarkStatus,
    WatermarkTaskResult, WatermarksAddRequest, WatermarksAddResponse, WatermarksGetRequest, WatermarksGetResponse,
};
