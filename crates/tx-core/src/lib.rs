//! The engine every tx platform crate stands on.
//!
//! `tx-core` knows no platform's endpoints. It provides:
//! - [`usersig`]: TLSSigAPIv2 UserSig generation, PrivateMapKey and verification;
//! - [`Secret`] and [`redact`]: credentials that never reach logs, errors or `Debug` output;
//! - [`Error`] with a small [`ErrorKind`], codes, request ids and retryability;
//! - [`envelope`]: the TIM, WeChat and Ads response envelopes, decoded leniently;
//! - [`retry`], [`rate_limit`] and [`token`]: retry policy, client-side quotas and cached,
//!   single-flight credentials.
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

pub mod batch;
pub mod bulk;
pub mod client;
pub mod clock;
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

#[doc(hidden)]
pub mod __private {
    pub use reqwest;
    pub use serde;
}
