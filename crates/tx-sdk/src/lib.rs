//! tx: Rust clients for Tencent IM, WeChat mini-program ads (AMS) and Tencent Ads, in one
//! dependency.
//!
//! Each platform sits behind a feature, all on by default:
//!
//! | feature  | module          | crate         |
//! |----------|-----------------|---------------|
//! | `tim`    | [`tim`]         | `tim-sns`     |
//! | `wechat` | [`wechat`]      | `wechat-ams`  |
//! | `ads`    | [`ads`]         | `tencent-ads` |
//!
//! The `redis` feature (off by default) adds [`shared`]: tokens, refreshes and quotas
//! shared by many processes through Redis, for every platform's builder
//! (`.shared_state("redis://127.0.0.1:6379/")`).
//!
//! `tx-sdk = { version = "0.1", default-features = false, features = ["tim"] }` compiles
//! nothing of the other platforms. The shared pieces (errors, secrets, retry policy, the
//! UserSig signer) are re-exported at the top level.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use std::time::Duration;
//! use tx_sdk::tim::{CheckType, Client, Relation};
//! use tx_sdk::usersig::UserSigSigner;
//!
//! // The shared pieces: a UserSig, made and checked.
//! let signer = UserSigSigner::new(1_400_000_000, "secret-key");
//! let sig = signer.generate("administrator", Duration::from_secs(86_400))?;
//! assert!(signer.verify(sig.expose(), "administrator").is_ok());
//!
//! // A platform: Tencent IM, here against the local emulator instead of console.tim.qq.com.
//! let emu = tx_emulator::Emulator::builder()
//!     .tim_app(tx_emulator::TimApp::new(1_400_000_000, "secret-key").admin("administrator").accounts(["alice", "bob"]))
//!     .start()
//!     .await?;
//! let tim = Client::builder()
//!     .sdk_app_id(1_400_000_000)
//!     .secret_key("secret-key")
//!     .admin("administrator")
//!     .endpoint(emu.base_url())
//!     .build()?;
//! tim.blocklist().add("alice", ["bob"]).await?;
//! let relation = tim.blocklist().check("alice", ["bob"], CheckType::Both).await?;
//! assert_eq!(relation.items()[0].value(), Some(&Relation::AWithB));
//! # emu.shutdown().await;
//! # Ok::<(), Box<dyn std::error::Error>>(()) }).unwrap();
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

pub use tx_core::{
    Error, ErrorKind, HttpConfig, PlatformCode, RetryPolicy, Secret, Tenant, batch, bulk, clock, config, rate_limit,
    token, usersig,
};

/// Shared state on Redis: one quota and one set of tokens for many processes.
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use tx_core::shared;

/// Tencent IM REST relationship chain: blocklist, friends, friend groups (crate `tim-sns`).
#[cfg(feature = "tim")]
#[cfg_attr(docsrs, doc(cfg(feature = "tim")))]
pub use tim_sns as tim;

/// WeChat third-party platform, mini-program ad (AMS) agency actions (crate `wechat-ams`).
#[cfg(feature = "wechat")]
#[cfg_attr(docsrs, doc(cfg(feature = "wechat")))]
pub use wechat_ams as wechat;

/// Tencent Ads Marketing API v3.0: watermarks, material tasks, OAuth (crate `tencent-ads`).
#[cfg(feature = "ads")]
#[cfg_attr(docsrs, doc(cfg(feature = "ads")))]
pub use tencent_ads as ads;
