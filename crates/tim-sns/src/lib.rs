//! Tencent IM REST relationship-chain client (`v4/sns/*`): blocklist, friends and
//! friend groups, on the `tx-core` request pipeline.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use futures_util::TryStreamExt;
//! use tim_sns::{CheckType, Client, KnownCode, Relation};
//! use tx_emulator::{Emulator, TimApp};
//!
//! // A local emulator of the TIM REST API stands in for console.tim.qq.com.
//! let emu = Emulator::builder()
//!     .tim_app(TimApp::new(1400000000, "my-secret-key").admin("administrator").accounts(["alice", "bob", "carol"]))
//!     .start()
//!     .await?;
//!
//! let tim = Client::builder()
//!     .sdk_app_id(1400000000)
//!     .secret_key("my-secret-key")
//!     .admin("administrator")
//!     .endpoint(emu.base_url()) // in production: .region(tim_sns::Region::Singapore), or nothing for China
//!     .build()?;
//!
//! // Batch calls take any number of ids and return one report: a partial failure is data.
//! let report = tim.blocklist().add("alice", ["bob", "carol", "mallory"]).await?;
//! assert_eq!(report.succeeded().count(), 2);
//! for item in report.failed() {
//!     assert_eq!(item.id, "mallory");
//!     assert_eq!(item.code(), Some(KnownCode::AccountNotFound.into()));
//! }
//!
//! let relations = tim.blocklist().check("alice", ["bob"], CheckType::Both).await?;
//! assert_eq!(relations.get("bob").unwrap().value(), Some(&Relation::AWithB));
//!
//! // Paged reads are Streams.
//! let blocked: Vec<_> = tim.blocklist().list("alice").try_collect().await?;
//! assert_eq!(blocked.len(), 2);
//! # emu.shutdown().await;
//! # Ok::<(), Box<dyn std::error::Error>>(()) }).unwrap();
//! ```
//!
//! # How calls behave
//! - **Credentials.** The client mints the admin UserSig (TLSSigAPIv2, 24 h by default),
//!   caches it, renews it in the background when a tenth of its life is left (one renewal
//!   in flight), and on 70001/70003 mints a new one and retries once. Every request gets a
//!   fresh `random`; query values are percent-encoded.
//! - **Input** is validated before any I/O: an empty list, an empty id or one longer than
//!   [`MAX_USER_ID_BYTES`], an enum value the API does not accept. The error names the
//!   field (`To_Account[3]`) and the rule.
//! - **Batches** of any size are deduplicated (repeats are listed in
//!   [`BatchReport::duplicates`]), split into the endpoint's maximum per request, sent
//!   concurrently ([`ClientBuilder::batch_concurrency`]) within the rate limit, and merged
//!   so that every distinct id has exactly one [`ItemResult`], in input order.
//! - **Rate limit.** 200 calls/s per command by default ([`ClientBuilder::rate_limit`]),
//!   paced evenly (194/s) so that no one-second window of the server receives more than
//!   195: the 2.5 % headroom absorbs calls that arrive later than others.
//! - **Retries** follow the codes ([`ErrorCode::is_retryable`]): 30006, 30007, 60008, 60014
//!   with backoff; 30008 with jittered backoff; 60007, 60011, 60018, 60019 as throttling;
//!   70050 after a minute; never configuration errors (70009, 70013, 70014, 70016, 70020,
//!   whose messages point at a region or key mismatch). Items that fail with a retryable
//!   `ResultCode` are re-sent in a smaller request.
//! - **Bulk** moderation ([`Blocklist::add_many`], [`Blocklist::check_many`]) streams
//!   (From, To) pairs through in bounded memory; see [`Bulk`].
//! - **Secrets** (the key, UserSigs) never appear in `Debug`, `Display`, errors or logs.

mod accounts;
mod api;
mod blocklist;
mod bulk;
mod client;
mod friends;
mod groups;
mod ids;
mod protocol;
mod report;
mod types;
mod wire;

/// Entry points for the fuzz targets; not part of the API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
#[path = "fuzzing.rs"]
pub mod __fuzz;

pub use accounts::{AccountStatus, Accounts, MAX_ACCOUNTS_PER_ACCOUNT_REQUEST};
pub use blocklist::{BlockListPage, BlockListStream, BlockedAccount, Blocklist, MAX_ACCOUNTS_PER_REQUEST, Relation};
pub use bulk::{
    Account, AccountBulk, AccountResult, Bulk, BulkItem, BulkStream, BulkSummary, DEFAULT_MAX_IN_FLIGHT,
    DEFAULT_WINDOW, GroupPlanner, IntoPair, Pair, PairOutcome, PairPlanner, PairResult, StopHandle, StopReason,
};
pub use client::{
    Client, ClientBuilder, DEFAULT_BATCH_CONCURRENCY, DEFAULT_RATE_LIMIT, DEFAULT_RATE_LIMIT_HEADROOM,
    DEFAULT_USERSIG_LIFETIME, settings,
};
pub use friends::{
    ADD_SOURCE_PREFIX, AddSource, AddType, CUSTOM_TAG_PREFIX, DeleteType, Friend, FriendAdd, FriendPage,
    FriendRelation, FriendStream, FriendUpdate, Friends, ImportedFriend, MAX_ADD_PER_REQUEST, MAX_CHECK_PER_REQUEST,
    MAX_DELETE_PER_REQUEST, MAX_GET_LIST_PER_REQUEST, MAX_IMPORT_PER_REQUEST, MAX_UPDATE_PER_REQUEST, NeedFriend,
    NewFriend, Tag, TagValue,
};
pub use groups::{FriendGroup, GroupAdded, GroupList, Groups, MAX_GROUP_MEMBERS_PER_REQUEST, MAX_GROUPS_PER_REQUEST};
pub use ids::MAX_USER_ID_BYTES;
pub use protocol::code::{ErrorCode, KnownCode};
pub use protocol::region::Region;
pub use report::{BatchReport, Duplicate, ItemError, ItemResult};
pub use types::CheckType;
