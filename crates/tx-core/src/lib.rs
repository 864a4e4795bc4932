//! The engine every tx platform crate stands on.
//!
//! `tx-core` knows no platform's endpoints. It provides:
//! - [`pipeline`]: the one request loop every call goes through (rate-limit permit,
//!   credentials for the call's [`Tenant`], the exchange, the envelope, classification,
//!   retries by [`RetryPolicy`]); a platform plugs in a [`pipeline::Protocol`];
//! - [`token`]: cached credentials for any number of tenants, refreshed ahead of expiry
//!   with one refresh in flight, durable refresh tokens, compare-and-invalidate, and the
//!   externally managed mode ([`token::Credentials`]);
//! - [`batch`], [`paging`] and [`bulk`]: batch calls split and merged into one report,
//!   paged reads as `Stream`s, and streamed work in bounded memory where every item is
//!   accounted for however the run ends;
//! - [`rate_limit`]: client-side quotas, paced below the platform's with headroom;
//! - `shared` (feature `redis`): tokens, refreshes and quotas shared by every process of
//!   an app through Redis;
//! - [`config`]: settings from flags, environment and a profile, one way for every
//!   platform;
//! - [`client`]: what every platform client is built from (HTTP client, retry policy,
//!   limiter, token store, clock);
//! - [`usersig`]: TLSSigAPIv2 UserSig generation, PrivateMapKey and verification;
//! - [`Secret`] and [`redact`]: credentials that never reach logs, errors or `Debug` output;
//! - [`Error`] with a small [`ErrorKind`], codes, request ids and retryability;
//! - [`envelope`]: the TIM, WeChat and Ads response envelopes, decoded leniently;
//! - [`open_code_enum!`] and [`open_str_enum!`]: the platforms' codes and wire strings as
//!   open enums.
//!
//! ```
//! use std::time::Duration;
//! use tx_core::usersig::UserSigSigner;
//!
//! let signer = UserSigSigner::new(1_400_000_000, "my-secret-key");
//! let sig = signer.generate("administrator", Duration::from_secs(86_400))?;
//! signer.verify(sig.expose(), "administrator")?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod batch;
pub mod bulk;
pub mod client;
pub mod clock;
pub mod config;
pub mod envelope;
mod error;
pub mod lenient;
mod open_enum;
pub mod paging;
pub mod pipeline;
pub mod rate_limit;
pub mod redact;
pub mod retry;
mod secret;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod shared;
mod tenant;
#[cfg(test)]
mod testing;
pub mod token;
mod transport;
pub mod usersig;

pub use async_trait::async_trait;
pub use error::{Error, ErrorKind};
pub use open_enum::{PlatformCode, WireEnum};
pub use retry::{Idempotency, RetryPolicy, Verdict};
pub use secret::Secret;
pub use tenant::Tenant;
pub use transport::HttpConfig;

/// Entry points for the fuzz targets; not part of the API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
#[path = "fuzzing.rs"]
pub mod __fuzz;

#[doc(hidden)]
pub mod __private {
    pub use reqwest;
    pub use serde;
}
