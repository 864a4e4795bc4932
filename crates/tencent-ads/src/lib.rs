//! Tencent Ads Marketing API v3.0 client: warning texts (警示语) on ad images, material
//! async tasks for images and videos, and OAuth 2.0 for any number of accounts, on the
//! `tx-core` request pipeline.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use std::time::Duration;
//! use tencent_ads::{AnnualRate, Client, WaitOptions, WarningText};
//! use tx_emulator::{Emulator, defaults};
//!
//! // A local emulator of the Marketing API stands in for api.e.qq.com; its demo app has
//! // advertisers 20000001 and 20000002 with images 123 and 456.
//! let emu = Emulator::builder()
//!     .seed(defaults::demo_seed())
//!     .ads_watermark_delay(Duration::from_millis(300)) // records finish 0.3 s after submission
//!     .start()
//!     .await?;
//!
//! let ads = Client::builder()
//!     .client_id(defaults::ADS_CLIENT_ID)
//!     .client_secret(defaults::ADS_SECRET)
//!     .endpoint(emu.base_url()) // in production: nothing (api.e.qq.com)
//!     .rate_limit(Some(600))    // the app's quota per endpoint per minute, from its console
//!     .build()?;
//!
//! // OAuth: the user consents on the authorize page and comes back with a code. (The
//! // emulator's page consents at once, for the account its own `account_id` names.)
//! let mut url = ads.oauth().authorize_url("https://example.com/callback").state("s1").build()?;
//! url.query_pairs_mut().append_pair("account_id", "20000001");
//! let callback = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?
//!     .get(url).send().await?;
//! let location = url::Url::parse(callback.headers()["location"].to_str()?)?;
//! let (_, code) = location.query_pairs().find(|(k, _)| k == "authorization_code").unwrap();
//! let auth = ads.oauth().exchange_code(code.into_owned(), "https://example.com/callback").await?;
//! assert_eq!(auth.account_id, 20000001);
//!
//! // The micro-loan texts on two images; wait until the service has drawn them.
//! let rate = WarningText::loan_annual_rate_simple("7.2".parse()?, AnnualRate::from_percent(24)?)?;
//! let wait = WaitOptions::default().with_first_poll(Duration::from_millis(200));
//! let report = ads
//!     .watermarks()
//!     .add_and_wait(auth.account_id, ["123", "456", "nope"], [WarningText::LOAN_RISK, rate], wait)
//!     .await?;
//! assert_eq!(report.succeeded().count(), 2);
//! for (material, w) in report.succeeded() {
//!     println!("{material} -> {}", w.result_material_url.as_deref().unwrap_or_default());
//! }
//! let (_, refused) = report.refused().next().unwrap();
//! println!("nope: {}", refused.reason.as_deref().unwrap_or_default());
//! # emu.shutdown().await;
//! # Ok::<(), Box<dyn std::error::Error>>(()) }).unwrap();
//! ```
//!
//! # How calls behave
//! - **Accounts.** One client serves any number of accounts (an agency's advertisers):
//!   each call names its account, whose token it carries. Tokens come from the code
//!   exchange ([`OAuth::exchange_code`]) or a stored refresh token
//!   ([`OAuth::set_refresh_token`]) and are cached and refreshed per account, ahead of
//!   expiry, one refresh in flight per account; or from a private app's static token
//!   ([`ClientBuilder::private_token`], [`ClientBuilder::access_token`]); or from your own
//!   token service ([`ClientBuilder::credentials`]). A refresh returns no new refresh
//!   token: the stored one is kept and its 30 days restart.
//! - **Every attempt**, retries included, carries the account's `access_token`, the
//!   current `timestamp` and a new random 32-hex-digit `nonce` (and the `user_token`
//!   when configured). GET parameters go in the query, arrays and objects as JSON; POST
//!   bodies are JSON. Input is validated before any I/O: counts (≤ 100 materials a
//!   request, 1–10 texts), ids, and the forbidden characters `< > & ' " / \` TAB LF CR
//!   (`/` allowed in texts, which the prescribed ones contain); the error names the field
//!   (`materials[3].material_id`).
//! - **Rate limits** are per app, per endpoint, per minute, across all accounts, with no
//!   published numbers: set yours ([`ClientBuilder::rate_limit`],
//!   [`ClientBuilder::endpoint_rate_limit`]) and calls are paced evenly with 2.5 %
//!   headroom, queueing for their endpoint first come, first served; a call that would
//!   wait longer than its deadline (without one, the retry policy's longest
//!   server-prescribed wait) fails at once as `Throttled`, nothing sent, with
//!   [`tx_core::Error::retry_after`]. There is no default quota: any number would be a
//!   guess. After a breach
//!   (11008, 11016, 11017, 11019) the endpoint is held for 5 minutes: calls to it fail at
//!   once without a request until the lockout ends, instead of hammering it. An answer
//!   whose `X-RateLimit-Remaining` shows the minute spent pauses the endpoint for a
//!   minute ([`ClientBuilder::pause_at_minute_quota`]).
//! - **Retries.** 11000 (token expired): a fresh token, one retry. 11002, 11004, 11005,
//!   11007, 11014: never retried (repeated bad-token calls can get the IP banned). 12100
//!   and 12101 (nonce used, timestamp refused): sent once more at once with fresh values,
//!   even a create; a 12101 that comes back again means the clock is off by more than
//!   300 s, which the error says ([`ErrorCode::is_clock_skew`]). Busy codes and HTTP 5xx:
//!   retried with jittered backoff, except for creates (`watermarks/add`,
//!   `material_async_tasks/add`, the code exchange), which are never sent again after a
//!   failure that leaves unknown whether they were applied.
//! - **Metadata.** Single calls return a [`Response`] with the `X-TSA-Trace-Id` and the
//!   quota left ([`Meta`]); report entries carry the trace id of the request that last
//!   reported on them; errors carry the trace id as [`tx_core::Error::request_id`].
//! - **Secrets** (the client secret, tokens, authorization codes) never appear in `Debug`,
//!   `Display`, errors or logs; URLs are logged with them masked.
//!
//! The warning texts are written with the full-width punctuation of the live
//! documentation page (`贷款有风险，借款需谨慎`); see [`texts`] for the seed's ASCII form.

mod api;
mod client;
pub mod code;
mod meta;
pub mod nonce;
mod oauth;
mod protocol;
pub mod query;
mod report;
mod tasks;
pub mod texts;
pub mod validate;
mod wait;
mod watermarks;
pub mod wire;

pub use api::QUOTA_PAUSE;
pub use client::{
    Client, ClientBuilder, DEFAULT_BATCH_CONCURRENCY, DEFAULT_RATE_LIMIT_HEADROOM, RATE_PERIOD, env, settings,
};
pub use code::{ENDPOINT_LOCKOUT, ErrorCode, KnownCode};
pub use meta::{Meta, QuotaLeft, QuotaLeftError, RATE_LIMIT_HEADER, Response, TRACE_ID_HEADER};
pub use nonce::AttemptStamp;
pub use oauth::{Authorization, AuthorizeUrl, OAuth, TokenStatus};
pub use protocol::hosts::{
    API_VERSION, DEVELOPERS_ENDPOINTS, DEVELOPERS_HOST, DOWNLOAD_ENDPOINTS, DOWNLOAD_HOST, PRODUCTION_HOST,
    SANDBOX_HOST,
};
pub use query::{QueryArg, QueryPairs, query_pairs};
pub use report::{BatchReport, Duplicate, ItemError, ItemResult};
pub use tasks::{JobReport, MaterialTasks, TaskResults};
pub use texts::{AnnualRate, Industry, WarningText};
pub use wait::WaitOptions;
pub use watermarks::{
    MaterialRecord, Watermark, WatermarkBulk, WatermarkCounts, WatermarkOutcome, WatermarkPlanner, WatermarkRecords,
    WatermarkReport, Watermarks,
};
pub use wire::{
    AccountRoleType, AccountType, AuthorizerInfo, Filter, FilterField, FilterOperator, Grant, Material,
    MaterialParamType, MaterialSourceType, MaterialTask, MaterialTasksAddRequest, MaterialTasksAddResponse,
    MaterialTasksGetRequest, MaterialTasksGetResponse, MaterialType, OwnershipType, PageInfo, TaskSpecs, TaskStatus,
    TokenRequest, TokenResponse, WatermarkAddResult, WatermarkConfig, WatermarkRecord, WatermarkSpec, WatermarkStatus,
    WatermarkTaskResult, WatermarksAddRequest, WatermarksAddResponse, WatermarksGetRequest, WatermarksGetResponse,
};
