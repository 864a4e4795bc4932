//! The engine every tx platform crate stands on.
//!
//! `tx-core` knows no platform's endpoints. It provides:
//! - [`usersig`]: TLSSigAPIv2 UserSig generation, PrivateMapKey and verification;
//! - [`Secret`] and [`redact`]: credentials that never reach logs, errors or `Debug` output.
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

pub mod clock;
pub mod lenient;
mod secret;
pub mod usersig;

pub use secret::Secret;
