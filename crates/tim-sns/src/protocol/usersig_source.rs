//! The admin UserSig as a cached credential: minted by the client, shared by every call,
//! renewed ahead of expiry.

use std::time::Duration;
use tx_core::token::{Durable, Fetched, RefreshTiming, Token, TokenSource};
use tx_core::usersig::UserSigSigner;
use tx_core::{Error, Tenant, async_trait};

/// Mints UserSigs for the admins of a client (the tenants of its
/// [`tx_core::token::TokenCache`]).
#[derive(Debug)]
pub(crate) struct AdminSigSource {
    pub signer: UserSigSigner,
    pub lifetime: Duration,
}

#[async_trait]
impl TokenSource for AdminSigSource {
    async fn fetch(&self, admin: &Tenant, _refresh: Option<&Durable>) -> Result<Fetched, Error> {
        let sig = self.signer.generate(admin.as_str(), self.lifetime)?;
        tracing::debug!(%admin, expires_at = sig.expires_at(), "minted an admin UserSig");
        // The sig is valid through `expires_at`; the token's expiry is the first second it is not.
        Ok(Token { value: sig.secret().clone(), expires_at: sig.expires_at().saturating_add(1) }.into())
    }
}

/// The namespace of an app's admin UserSigs in a [`tx_core::token::TokenStore`]; keys are
/// `tim:usersig:{sdkappid}:{admin}`.
pub(crate) fn namespace(sdk_app_id: u32) -> String {
    format!("tim:usersig:{sdk_app_id}")
}

/// Renew once a tenth of the lifetime is left (2.4 h of the default 24 h); never use a
/// sig in its last 30 s (or last hundredth of a very short lifetime).
pub(crate) fn timing(lifetime: Duration) -> RefreshTiming {
    RefreshTiming { refresh_ahead: lifetime / 10, min_validity: Duration::from_secs(30).min(lifetime / 100) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tx_core::clock::ManualClock;

    #[tokio::test]
    async fn mints_verifiable_sigs_for_the_admin() {
        let signer = UserSigSigner::new(1_400_000_000, "k").with_clock(ManualClock::new(1_700_000_000));
        let source = AdminSigSource { signer: signer.clone(), lifetime: Duration::from_secs(86_400) };
        let token = source.fetch(&Tenant::new("administrator"), None).await.unwrap().token;
        assert_eq!(token.expires_at, 1_700_086_401);
        let decoded = signer.verify(token.value.expose(), "administrator").unwrap();
        assert_eq!(decoded.expire, 86_400);
        assert_eq!(namespace(1_400_000_000), "tim:usersig:1400000000");
        let t = timing(Duration::from_secs(86_400));
        assert_eq!((t.refresh_ahead.as_secs(), t.min_validity.as_secs()), (8_640, 30));
    }
}
