//! A faithful local emulator of three Tencent APIs, for offline tests in any language:
//! Tencent IM REST (`v4/sns/*`, account import, check and delete), the WeChat third-party
//! platform (tickets, the authorization flow, tokens, encrypted pushes, and all 26 AMS
//! agency actions), and the Tencent Ads Marketing API v3.0 (watermarks, material async
//! tasks, OAuth).
//!
//! One listener on 127.0.0.1 serves all three with the real hosts' paths, so a client
//! only swaps its base URL. The emulator enforces the documented rules and error codes
//! (UserSig verification, admin identity, per-request limits, rate limits, token expiry,
//! Ads nonce and timestamp checks), injects faults deterministically from a seed, counts
//! what it saw per endpoint, and exposes a control API under `/_emulator/`.
//!
//! ```no_run
//! use std::time::Duration;
//! use tx_emulator::{Emulator, Fault, FaultPlan, TimApp};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let emu = Emulator::builder()
//!     .tim_app(TimApp::new(1400000000, "secret-key").admin("administrator").accounts(["alice", "bob"]))
//!     .tim_rate_limit(Some(200))
//!     .faults(FaultPlan::seeded(42).rate("v4/sns/black_list_add", Fault::Code(30006), 0.1))
//!     .latency(Duration::from_millis(5))
//!     .start()
//!     .await?;
//! let url = format!("{}/v4/sns/black_list_add", emu.base_url());
//! // … point any client at `url` …
//! println!("{:?}", emu.stats().endpoint("v4/sns/black_list_add"));
//! emu.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Modules: [`endpoint`] names the endpoints; [`faults`] explains how faults are chosen
//! (including replies lost after the request was applied); [`ratelimit`] the rate-limit
//! algorithm; [`seed`] the seed file format (all of it in `SEED.md`); [`defaults`] what a
//! bare emulator serves; [`control`] the control API; [`stats`] the counters;
//! [`wechat_crypto`] WeChat's push encryption.

mod ads;
mod bounded;
mod builder;
pub mod cli;
pub mod control;
pub mod defaults;
mod dispatch;
pub mod endpoint;
pub mod faults;
mod ids;
pub mod ratelimit;
mod routes;
pub mod seed;
mod server;
mod state;
pub mod stats;
pub mod testing;
mod tim;
mod timer;
mod wechat;

/// Entry points for the fuzz targets; not part of the API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
#[path = "fuzzing.rs"]
pub mod __fuzz;

/// WeChat's push encryption (AES-256-CBC, 32-byte PKCS#7, SHA-1 `msg_signature`), for
/// tests that check or forge pushes.
pub use wechat::crypto as wechat_crypto;

pub use builder::{Emulator, EmulatorBuilder, StartError};
pub use cli::{ServeArgs, ServeError, run_from_args, serve};
pub use endpoint::{Endpoint, Platform};
pub use faults::{Fault, FaultPlan, FaultPlanError, FaultRate, Step, Target};
pub use seed::{
    AdsAccount, AdsApp, AdsMaterial, AdsPrivateToken, BlackListEntry, Seed, SeedError, SeedSecret, Settings,
    SettingsPatch, TimApp, WechatAdUnit, WechatAuthorizer, WechatComponent,
};
pub use stats::{AdsCall, EndpointStats, Stats};
pub use tx_core::clock::{Clock, ManualClock, SharedClock, SystemClock};
