//! The `component_verify_ticket`: kept durably under its own key, the latest wins.

use std::fmt;
use std::sync::Arc;
use tx_core::clock::SharedClock;
use tx_core::token::{Durable, TokenStore};
use tx_core::{Error, Secret};

/// How long a pushed ticket stays valid: 12 h.
pub const TICKET_LIFETIME_SECS: u64 = 12 * 3600;

/// Where the component's ticket is kept: the durable slot of `wechat:ticket:{appid}` in
/// the client's token store, so that it survives restarts and is shared by every process
/// that shares the store. Its `expires_at` is the push's `CreateTime` plus 12 h, which
/// also orders tickets: an older push arriving late never replaces a newer ticket.
#[derive(Clone)]
pub(crate) struct TicketStore {
    store: Arc<dyn TokenStore>,
    key: String,
    /// A ticket given to the builder, used while the store holds none.
    initial: Option<Secret>,
    clock: SharedClock,
    /// Orders this process's writes (read, compare, write).
    write: Arc<tokio::sync::Mutex<()>>,
}

impl fmt::Debug for TicketStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TicketStore").field("key", &self.key).field("initial", &self.initial.is_some()).finish()
    }
}

impl TicketStore {
    pub fn new(store: Arc<dyn TokenStore>, component_appid: &str, initial: Option<Secret>, clock: SharedClock) -> Self {
        TicketStore { store, key: key(component_appid), initial, clock, write: Arc::default() }
    }

    /// The latest ticket: the stored one, else the builder's.
    pub async fn current(&self) -> Result<Option<Durable>, Error> {
        Ok(self.store.durable(&self.key).await?.or_else(|| self.initial.clone().map(|t| Durable::new(t, None))))
    }

    /// Stores `ticket`, pushed at `create_time` (Unix seconds; 0 or less means now),
    /// unless the store holds a newer one. Returns whether it was stored.
    pub async fn put(&self, ticket: Secret, create_time: i64) -> Result<bool, Error> {
        if ticket.expose().trim().is_empty() {
            return Err(Error::invalid_input("component_verify_ticket", "must not be empty"));
        }
        let created = u64::try_from(create_time).ok().filter(|t| *t > 0).unwrap_or_else(|| self.clock.unix_now());
        let expires_at = created.saturating_add(TICKET_LIFETIME_SECS);
        let _guard = self.write.lock().await;
        if let Some(stored) = self.store.durable(&self.key).await?
            && stored.expires_at.is_some_and(|at| at > expires_at)
        {
            tracing::debug!(key = %self.key, "an older ticket arrived late; the stored one is kept");
            return Ok(false);
        }
        self.store.put_durable(&self.key, &Durable::new(ticket, Some(expires_at))).await?;
        tracing::debug!(key = %self.key, expires_at, "component_verify_ticket stored");
        Ok(true)
    }
}

/// The store key of a component's ticket.
pub(crate) fn key(component_appid: &str) -> String {
    format!("wechat:ticket:{component_appid}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tx_core::clock::ManualClock;
    use tx_core::token::MemoryTokenStore;

    #[tokio::test]
    async fn the_latest_ticket_wins_whatever_the_arrival_order() {
        let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
        let clock = ManualClock::new(1_700_000_000);
        let tickets = TicketStore::new(store.clone(), "wx0000000000000001", Some("seeded".into()), Arc::new(clock));
        assert_eq!(tickets.current().await.unwrap().unwrap().value.expose(), "seeded");
        assert!(tickets.put("t2".into(), 1_700_000_600).await.unwrap());
        assert!(!tickets.put("t1".into(), 1_700_000_000).await.unwrap(), "older, late");
        assert!(tickets.put("t3".into(), 1_700_001_200).await.unwrap());
        let current = tickets.current().await.unwrap().unwrap();
        assert_eq!((current.value.expose(), current.expires_at), ("t3", Some(1_700_001_200 + 43_200)));
        assert_eq!(store.durable("wechat:ticket:wx0000000000000001").await.unwrap(), Some(current));
        assert!(!tickets.put("now".into(), 0).await.unwrap(), "0 is read as now, which is older than t3");
        assert_eq!(tickets.put(" ".into(), 1).await.unwrap_err().field(), Some("component_verify_ticket"));
        assert!(!format!("{tickets:?}").contains("seeded"));
    }
}
