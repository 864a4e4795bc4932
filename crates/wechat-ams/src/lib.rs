//! WeChat third-party platform client for the mini-program ad (AMS, 流量主代运营) agency
//! actions, with the component and authorizer token lifecycle done right, and policy
//! across a fleet of mini programs, on the `tx-core` request pipeline.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use futures_util::{TryStreamExt, stream};
//! use tx_emulator::{Emulator, WechatAuthorizer, WechatComponent};
//! use wechat_ams::{AmsCategory, CategorySet, Client, ErrorCode, KnownCode, Opened};
//!
//! // A local emulator of api.weixin.qq.com: a platform and two mini programs that
//! // authorized it, one of them already blocking two categories.
//! let emu = Emulator::builder()
//!     .wechat_component(WechatComponent::new("wx0c0c0c0c0c0c0c0c", "app-secret", "ticket@@@1"))
//!     .wechat_authorizer(WechatAuthorizer::new("wx1a1a1a1a1a1a1a1a").component("wx0c0c0c0c0c0c0c0c")
//!         .refresh_token("refresh@@@1").ams_category("CHESS|LOAN"))
//!     .wechat_authorizer(WechatAuthorizer::new("wx2b2b2b2b2b2b2b2b").component("wx0c0c0c0c0c0c0c0c")
//!         .refresh_token("refresh@@@2"))
//!     .start()
//!     .await?;
//!
//! let wechat = Client::builder()
//!     .component_appid("wx0c0c0c0c0c0c0c0c")
//!     .component_secret("app-secret")
//!     .component_verify_ticket("ticket@@@1") // in production WeChat pushes it: Client::receive_push
//!     .endpoint(emu.base_url())               // default: https://api.weixin.qq.com/
//!     .build()?;
//!
//! // Refresh tokens come from authorizations (Authorization::query_auth); here, from the
//! // list of authorizers. Access tokens are then fetched, cached and refreshed by the client.
//! assert_eq!(wechat.tokens().recover_refresh_tokens().await?, 2);
//!
//! // One mini program's actions, grouped in handlers; input is checked before any I/O.
//! let mp = wechat.ams("wx1a1a1a1a1a1a1a1a");
//! assert_eq!(mp.category_blacklist().get().await?.to_string(), "CHESS|LOAN");
//! assert_eq!(mp.publisher().ensure_open().await?, Opened::Already); // ret 2021 is success here
//! let units: Vec<_> = mp.adunits().list().try_collect().await?; // paged reads are Streams
//! assert!(units.is_empty());
//! let refused = mp.category_blacklist().set(&"SECURITIES".parse().unwrap()).await.unwrap_err();
//! assert_eq!(refused.field(), Some("ams_category")); // the API spells it SECURITES
//!
//! // Failures carry WeChat's code, from the gateway (errcode) or the AMS layer (ret).
//! let e = wechat.ams("wx2b2b2b2b2b2b2b2b").cover().set_scenes(&[1000, 1001]).await;
//! assert!(e.is_ok());
//! let e = wechat.ams("wx2b2b2b2b2b2b2b2b").adunits().code("adunit-none").await.unwrap_err();
//! assert_eq!(e.code().map(ErrorCode::from), Some(ErrorCode::Known(KnownCode::InvalidParameterAlt)));
//!
//! // A fleet: read every mini program's categories, write only where they differ.
//! let policy = CategorySet::from_iter([AmsCategory::Chess, AmsCategory::Loan]);
//! let appids = stream::iter(["wx1a1a1a1a1a1a1a1a", "wx2b2b2b2b2b2b2b2b"]);
//! let summary = wechat.fleet().ensure_category_blacklist(appids, policy)?.run().await?;
//! assert_eq!((summary.succeeded, summary.failed), (2, 0));
//! assert_eq!(emu.stats().endpoint("wxa/operationams?action=agency_set_mp_amscategory_blacklist").requests, 1);
//! # emu.shutdown().await;
//! # Ok::<(), Box<dyn std::error::Error>>(()) }).unwrap();
//! ```
//!
//! # The client
//! - **Handlers.** [`Client::ams`] (one mini program: [`Publisher`], [`AdUnits`],
//!   [`Cover`], [`AdvertiserBlackList`], [`CategoryBlackList`], [`ShareRatio`],
//!   [`Stats`]), [`Client::provider`] (the platform's own figures), [`Client::authorization`]
//!   (pre-auth code, authorization page, code exchange, the authorizer list),
//!   [`Client::tokens`], [`Client::fleet`]; [`Client::send`] sends any request of
//!   [`wire`]. All 26 actions of the reference are covered.
//! - **Tokens** (reference §7–§9), on tx-core's token caches, in the client's token store
//!   (memory by default; any [`TokenStore`](tx_core::token::TokenStore)), keyed
//!   `wechat:component:{component}` and `wechat:authorizer:{component}:{authorizer}`:
//!   - the `component_verify_ticket` is kept durably under `wechat:ticket:{component}`,
//!     the latest push winning; [`Tokens::start_push_ticket`] asks for one now;
//!   - the component token is fetched with it, cached, refreshed in the background ahead
//!     of expiry (fetch, then swap), one fetch in flight however many callers;
//!   - authorizer tokens are refreshed with their refresh tokens, one refresh in flight
//!     per authorizer; a rotated refresh token is written to the store before the call
//!     that got it returns; [`Tokens::recover_refresh_tokens`] recovers lost ones;
//!   - 40001, 40014, 42001: the token that failed is invalidated only if it is still the
//!     cached one, a fresh one is fetched, and the call is sent once more; never a loop.
//!     61023 (refresh token refused) is an error whose message says how to recover;
//!   - the externally managed mode ([`ClientBuilder::component_credentials`],
//!     [`ClientBuilder::authorizer_credentials`]) takes tokens from a central service.
//! - **Pushes.** [`Client::receive_push`] verifies, decrypts and reads a push to the
//!   authorization-event URL, stores the ticket, purges a withdrawn authorizer's tokens,
//!   and returns the typed event (see there why authorizations are returned, not
//!   exchanged). [`push`] has the receiver as plain functions.
//! - **Envelope and codes.** Success needs `errcode`, `ret` and `base_resp.ret` all 0.
//!   [`ErrorCode`] is one open enum over both code spaces with each code's retry class:
//!   -1 and -202 are retried with backoff; 1737 and 45011 hold the rate key about a minute
//!   and retry; 2008 and 2068 (an hour) fail unless the retry policy waits that long;
//!   the rest are permanent. [`Publisher::ensure_open`] and [`Cover::ensure_open`] take
//!   2021 and 2067 as success. `agency_create_adunit` is never repeated after a failure
//!   that leaves unknown whether it was applied.
//! - **Rate limits.** Each call counts against its tenant (the mini program, or the
//!   component) and action, as WeChat's 1737 does. [`ClientBuilder::rate_limit`] paces
//!   calls per minute per key (off by default); a 1737 holds its key either way.
//! - **Fleet.** [`Fleet::ensure_category_blacklist`] and [`Fleet::ensure_black_list`]
//!   stream any number of AppIDs through in bounded memory; see [`fleet`].
//! - **Secrets** (AppSecret, message token and key, tickets, tokens, codes) are
//!   [`tx_core::Secret`]s: never in `Debug`, `Display`, errors or logs; URLs carrying
//!   tokens are redacted wherever they are shown.
//!
//! # Conventions
//! - Money is in fen (1/100 CNY) as `i64`; dates are `yyyy-mm-dd` strings; rates are `f64`.
//! - Answer types are `#[non_exhaustive]`; string enums keep an `Unknown(String)` value and
//!   numeric ones an `Other(i64)`; lists default to empty; unknown fields are ignored.

mod ams;
mod api;
mod authorization;
mod category;
mod client;
mod code;
pub mod fleet;
mod protocol;
mod provider;
pub mod push;
mod tokens;
pub mod validate;
pub mod wire;

pub use ams::{
    AdUnits, AdvertiserBlackList, Ams, CategoryBlackList, CategoryChange, Cover, DEFAULT_PAGE_SIZE, Opened, Publisher,
    ShareRatio, Stats,
};
pub use authorization::{AUTHORIZATION_PAGE, AUTHORIZER_LIST_PAGE, AuthType, Authorization, MOBILE_AUTHORIZATION_PAGE};
pub use category::{AmsCategory, CategorySet};
pub use client::{
    BACKUP_BASE_URL, COMPONENT_NAMESPACE, Client, ClientBuilder, DEFAULT_BASE_URL, RATE_PERIOD, authorizer_namespace,
    env, settings,
};
pub use code::{ErrorCode, KnownCode};
pub use fleet::{Fleet, FleetBulk, FleetRecord};
pub use protocol::ticket::TICKET_LIFETIME_SECS;
pub use provider::Provider;
pub use tokens::Tokens;
pub use wire::{
    AdSlot, AdUnitStatus, BlackListOp, BlackListType, CoverStatus, SettlementOrder, SettlementPhase, SettlementStatus,
    SlotId, TmplType,
};
