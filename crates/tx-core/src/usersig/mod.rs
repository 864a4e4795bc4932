//! TLSSigAPIv2 UserSig: generate, decode and verify.
//!
//! A UserSig authenticates Tencent IM REST calls (as the admin `usersig`) and, carrying a
//! userbuf, grants TRTC room permissions (a PrivateMapKey). The format is
//! `escape(base64(zlib(JSON{…, "TLS.sig": base64(HMAC-SHA256(key, content))})))`.
//!
//! ```
//! use std::time::Duration;
//! use tx_core::clock::ManualClock;
//! use tx_core::usersig::UserSigSigner;
//!
//! let signer = UserSigSigner::new(1_400_000_000, "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e")
//!     .with_clock(ManualClock::new(1_700_000_000));
//! let sig = signer.generate("administrator", Duration::from_secs(86_400))?;
//! assert_eq!(sig.expires_at(), 1_700_086_400);
//!
//! let verified = signer.verify(sig.expose(), "administrator")?;
//! assert_eq!(verified.identifier, "administrator");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod codec;
mod content;
mod error;
mod generate;
mod userbuf;
mod verify;
pub mod wire;

pub use codec::ZlibLevel;
pub use error::{GenerateError, Malformed, VerifyError};
pub use userbuf::{PrivateMapKey, Privileges, Room};
pub use verify::{DecodedUserSig, decode};

use crate::clock::{Clock, SharedClock, SystemClock};
use crate::secret::Secret;
use content::SigningKey;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The lifetime the official Python and PHP libraries default to: 180 days.
pub const DEFAULT_EXPIRE: Duration = Duration::from_secs(180 * 86_400);

/// Makes and checks UserSigs for one SDKAppID with its secret key.
///
/// Cheap to clone; the keyed HMAC state is computed once and reused for every signature.
#[derive(Clone)]
pub struct UserSigSigner {
    sdk_app_id: u32,
    key: SigningKey,
    level: ZlibLevel,
    clock: SharedClock,
}

impl fmt::Debug for UserSigSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserSigSigner")
            .field("sdk_app_id", &self.sdk_app_id)
            .field("key", &"***")
            .field("level", &self.level)
            .field("clock", &self.clock)
            .finish()
    }
}

/// A generated UserSig with the times it was made for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSig {
    value: Secret,
    issued_at: u64,
    expire: u64,
}

impl UserSig {
    /// The UserSig string, for the wire.
    pub fn expose(&self) -> &str {
        self.value.expose()
    }

    /// The UserSig as a [`Secret`].
    pub fn secret(&self) -> &Secret {
        &self.value
    }

    /// `TLS.time`: when it was issued, unix seconds.
    pub fn issued_at(&self) -> u64 {
        self.issued_at
    }

    /// `TLS.expire`: its relative lifetime in seconds.
    pub fn expire(&self) -> u64 {
        self.expire
    }

    /// The last second at which it is valid: `TLS.time + TLS.expire`.
    pub fn expires_at(&self) -> u64 {
        self.issued_at.saturating_add(self.expire)
    }
}

impl UserSigSigner {
    /// A signer for `sdk_app_id` with the console's secret key (used as-is, never hex-decoded).
    /// It compresses at zlib level 6, as the official Python and Node libraries do.
    pub fn new(sdk_app_id: u32, secret_key: impl Into<Secret>) -> Self {
        let secret: Secret = secret_key.into();
        UserSigSigner {
            sdk_app_id,
            key: SigningKey::new(secret.expose()),
            level: ZlibLevel::DEFAULT,
            clock: Arc::new(SystemClock),
        }
    }

    /// Uses `clock` for issue times and expiry checks.
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Uses a shared clock for issue times and expiry checks.
    pub fn with_shared_clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    /// Compresses at `level`. Every level verifies the same; 0 is fastest to produce.
    pub fn with_level(mut self, level: ZlibLevel) -> Self {
        self.level = level;
        self
    }

    /// The SDKAppID this signer works for.
    pub fn sdk_app_id(&self) -> u32 {
        self.sdk_app_id
    }

    /// The clock this signer reads.
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// A UserSig for `identifier`, valid for `lifetime` (whole seconds) from now.
    pub fn generate(&self, identifier: &str, lifetime: Duration) -> Result<UserSig, GenerateError> {
        self.sign(identifier, self.clock.unix_now(), lifetime.as_secs(), None)
    }

    /// A UserSig carrying an arbitrary `userbuf` (Go's `GenUserSigWithBuf`).
    pub fn generate_with_userbuf(
        &self,
        identifier: &str,
        lifetime: Duration,
        userbuf: &[u8],
    ) -> Result<UserSig, GenerateError> {
        self.sign(identifier, self.clock.unix_now(), lifetime.as_secs(), Some(userbuf))
    }

    /// A PrivateMapKey: a UserSig whose userbuf grants `privileges` in `room` until
    /// `now + lifetime`. Identifier and room name must be ASCII.
    pub fn private_map_key(
        &self,
        identifier: &str,
        lifetime: Duration,
        room: Room<'_>,
        privileges: Privileges,
    ) -> Result<UserSig, GenerateError> {
        let now = self.clock.unix_now();
        let expire = lifetime.as_secs();
        let buf = userbuf::build(identifier, self.sdk_app_id, room, now.saturating_add(expire), privileges)?;
        self.sign(identifier, now, expire, Some(&buf))
    }

    /// Verifies a UserSig that must carry no userbuf, issued to `identifier`.
    pub fn verify(&self, usersig: &str, identifier: &str) -> Result<DecodedUserSig, VerifyError> {
        verify::verify(self, usersig, identifier, None)
    }

    /// Verifies a UserSig that must carry exactly `userbuf`, issued to `identifier`.
    pub fn verify_with_userbuf(
        &self,
        usersig: &str,
        identifier: &str,
        userbuf: &[u8],
    ) -> Result<DecodedUserSig, VerifyError> {
        verify::verify(self, usersig, identifier, Some(userbuf))
    }

    fn sign(&self, identifier: &str, time: u64, expire: u64, userbuf: Option<&[u8]>) -> Result<UserSig, GenerateError> {
        if identifier.is_empty() {
            return Err(GenerateError::EmptyIdentifier);
        }
        if i64::try_from(expire).is_err() {
            return Err(GenerateError::LifetimeTooLong(expire));
        }
        let value = generate::usersig(&self.key, self.level, self.sdk_app_id, identifier, time, expire, userbuf);
        Ok(UserSig { value: Secret::new(value), issued_at: time, expire })
    }
}

#[cfg(test)]
mod tests;
