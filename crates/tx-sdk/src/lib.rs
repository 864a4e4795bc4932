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
//! `tx-sdk = { version = "0.1", default-features = false, features = ["tim"] }` compiles
//! nothing of the other platforms. The shared pieces (errors, secrets, retry policy, the
//! UserSig signer) are re-exported at the top level.
//!
//! ```
//! use std::time::Duration;
//! use tx_sdk::usersig::UserSigSigner;
//!
//! let signer = UserSigSigner::new(1_400_000_000, "secret-key");
//! let sig = signer.generate("administrator", Duration::from_secs(86_400))?;
//! assert!(signer.verify(sig.expose(), "administrator").is_ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use tx_core::{Error, ErrorKind, HttpConfig, RetryPolicy, Secret, clock, rate_limit, token, usersig};

/// Tencent IM REST relationship chain: blocklist, friends, friend groups (crate `tim-sns`).
#[cfg(feature = "tim")]
pub use tim_sns as tim;

/// WeChat third-party platform, mini-program ad (AMS) agency actions (crate `wechat-ams`).
#[cfg(feature = "wechat")]
pub use wechat_ams as wechat;

/// Tencent Ads Marketing API v3.0: watermarks, material tasks, OAuth (crate `tencent-ads`).
#[cfg(feature = "ads")]
pub use tencent_ads as ads;
