//! Ads apps, accounts, tokens, nonces, materials, watermark records and material tasks.
//!
//! Tables an outsider can grow are bounded: nonces (expired ones dropped when full, then
//! the oldest), authorization codes and access tokens (see [`crate::bounded`]).

use crate::bounded::make_room;
use crate::ids;
use crate::seed::{AdsAccount, AdsApp, Settings};
use std::collections::HashMap;
use tokio::time::Instant;

/// Most nonces remembered.
pub(crate) const MAX_NONCES: usize = 100_000;
/// Most pending authorization codes.
const MAX_CODES: usize = 10_000;
/// Most access tokens.
const MAX_TOKENS: usize = 100_000;

#[derive(Debug)]
pub(crate) struct App {
    pub secret: String,
    pub redirect_uri: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Material {
    pub name: String,
    pub kind: String,
    pub md5: String,
    pub url: String,
}

#[derive(Debug)]
pub(crate) struct Account {
    pub client_id: u64,
    pub agency: bool,
    pub materials: HashMap<String, Material>,
}

/// Who a token was issued to, and until when (unix seconds, exclusive).
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub accounts: Vec<u64>,
    pub client_id: u64,
    pub issued_at: u64,
    pub expires_at: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct AuthCode {
    pub grant: Grant,
    pub redirect_uri: String,
    pub used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Failed,
    Processing { ready_at: Instant },
    Success,
}

#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub record_id: String,
    pub account_id: u64,
    pub material_id: String,
    pub md5: String,
    pub name: String,
    pub original_url: String,
    pub status: Status,
    pub result_id: String,
    pub result_url: String,
}

impl Record {
    /// The status now: a processing record whose time has come is a success.
    pub fn status_now(&self, now: Instant) -> Status {
        match self.status {
            Status::Processing { ready_at } if now >= ready_at => Status::Success,
            s => s,
        }
    }
}

/// One material of a `material_async_tasks` job.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub task_id: String,
    pub job_id: String,
    pub account_id: u64,
    pub material_id: String,
    pub material_type: String,
    /// The material, when the account has it with the asked type.
    pub material: Option<Material>,
    pub ready_at: Instant,
    /// Wall-clock seconds of creation and of completion.
    pub created: u64,
    pub done: u64,
    pub result_id: String,
}

#[derive(Debug, Default)]
pub(crate) struct AdsWorld {
    pub apps: HashMap<u64, App>,
    pub accounts: HashMap<u64, Account>,
    pub access_tokens: HashMap<String, Grant>,
    pub refresh_tokens: HashMap<String, Grant>,
    pub codes: HashMap<String, AuthCode>,
    /// Nonces seen, with the wall-clock second they were seen.
    pub nonces: HashMap<String, u64>,
    pub records: Vec<Record>,
    /// (account, material id, sorted texts) → index of the first record made for them.
    pub dedup: HashMap<(u64, String, String), usize>,
    pub tasks: Vec<Task>,
}

impl AdsWorld {
    pub fn apply(&mut self, apps: &[AdsApp], accounts: &[AdsAccount], now: u64, settings: &Settings) {
        for app in apps {
            self.apps.insert(
                app.client_id,
                App { secret: app.client_secret.expose().to_owned(), redirect_uri: app.redirect_uri.clone() },
            );
            for t in &app.private_tokens {
                let grant = Grant {
                    accounts: t.account_ids.clone(),
                    client_id: app.client_id,
                    issued_at: now,
                    expires_at: u64::MAX,
                };
                self.access_tokens.insert(t.access_token.expose().to_owned(), grant);
            }
        }
        for a in accounts {
            let client_id = a.client_id.unwrap_or(0);
            let account = self.accounts.entry(a.account_id).or_insert_with(|| Account {
                client_id,
                agency: a.agency,
                materials: HashMap::new(),
            });
            account.client_id = client_id;
            account.agency = a.agency;
            for m in &a.materials {
                let id = m.material_id.trim().to_owned();
                let ext = if m.material_type == "VIDEO" { "mp4" } else { "jpg" };
                let material = Material {
                    name: m.name.clone().unwrap_or_else(|| format!("素材 {id}")),
                    kind: m.material_type.clone(),
                    md5: m.md5.clone().unwrap_or_else(|| ids::hex(ids::fnv1a(id.as_bytes()) ^ a.account_id, 32)),
                    url: m.url.clone().unwrap_or_else(|| format!("https://tx-emulator.invalid/materials/{id}.{ext}")),
                };
                account.materials.insert(id, material);
            }
            let grant = |lifetime: std::time::Duration| Grant {
                accounts: vec![a.account_id],
                client_id,
                issued_at: now,
                expires_at: now.saturating_add(lifetime.as_secs()),
            };
            if let Some(t) = &a.access_token {
                self.access_tokens.insert(t.expose().to_owned(), grant(settings.ads_access_token_lifetime));
            }
            if let Some(t) = &a.refresh_token {
                self.refresh_tokens.insert(t.expose().to_owned(), grant(settings.ads_refresh_token_lifetime));
            }
        }
    }

    /// Records a nonce; false if it was seen within `window` seconds.
    pub fn use_nonce(&mut self, nonce: &str, now: u64, window: u64) -> bool {
        if let Some(seen) = self.nonces.get(nonce)
            && now.saturating_sub(*seen) <= window
        {
            return false;
        }
        make_room(&mut self.nonces, MAX_NONCES, |seen| now.saturating_sub(*seen) > window, |seen| *seen);
        self.nonces.insert(nonce.to_owned(), now);
        true
    }

    /// Stores an authorization code.
    pub fn insert_code(&mut self, code: String, entry: AuthCode, now: u64) {
        make_room(&mut self.codes, MAX_CODES, |c| c.used || now >= c.grant.expires_at, |c| c.grant.issued_at);
        self.codes.insert(code, entry);
    }

    /// Stores an access token.
    pub fn insert_access(&mut self, token: String, grant: Grant, now: u64) {
        make_room(&mut self.access_tokens, MAX_TOKENS, |g| now >= g.expires_at, |g| g.issued_at);
        self.access_tokens.insert(token, grant);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_stay_bounded_and_recent_ones_are_refused() {
        let mut w = AdsWorld::default();
        let window = 1_000_000_000;
        for i in 0..(MAX_NONCES as u64 + 10) {
            assert!(w.use_nonce(&format!("n{i}"), i, window));
        }
        assert!(w.nonces.len() <= MAX_NONCES, "{}", w.nonces.len());
        let last = MAX_NONCES as u64 + 9;
        assert!(!w.use_nonce(&format!("n{last}"), last, window), "a recent nonce is still refused");
        assert!(w.use_nonce("n0", last, window), "the oldest made room (and may be used again)");
        let later = 10_000_000;
        for i in 0..MAX_NONCES {
            w.use_nonce(&format!("m{i}"), later, 600);
        }
        assert!(w.nonces.values().all(|seen| *seen == later), "expired ones went first");
    }

    #[test]
    fn codes_and_tokens_stay_bounded() {
        let mut w = AdsWorld::default();
        let grant = |at: u64| Grant { accounts: vec![1], client_id: 1, issued_at: at, expires_at: at + 300 };
        for i in 0..(MAX_CODES as u64 + 5) {
            w.insert_code(format!("c{i}"), AuthCode { grant: grant(i), redirect_uri: String::new(), used: false }, 0);
        }
        assert!(w.codes.len() <= MAX_CODES);
        for i in 0..(MAX_TOKENS as u64 + 5) {
            w.insert_access(format!("t{i}"), grant(i), 0);
        }
        assert!(w.access_tokens.len() <= MAX_TOKENS);
    }
}
