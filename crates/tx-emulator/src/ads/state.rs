//! Ads apps, accounts, tokens, nonces, materials and watermark records.

use crate::ids;
use crate::seed::{AdsAccount, AdsApp, Settings};
use std::collections::HashMap;
use tokio::time::Instant;

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
    pub materials: HashMap<String, Material>,
}

/// Who a token was issued to, and until when (unix seconds, exclusive).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grant {
    pub account_id: u64,
    pub client_id: u64,
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
    /// (account, material id, texts) → index of the first record made for them.
    pub dedup: HashMap<(u64, String, String), usize>,
}

impl AdsWorld {
    pub fn apply(&mut self, apps: &[AdsApp], accounts: &[AdsAccount], now: u64, settings: &Settings) {
        for app in apps {
            self.apps.insert(
                app.client_id,
                App { secret: app.client_secret.expose().to_owned(), redirect_uri: app.redirect_uri.clone() },
            );
        }
        for a in accounts {
            let client_id = a.client_id.unwrap_or(0);
            let account =
                self.accounts.entry(a.account_id).or_insert_with(|| Account { client_id, materials: HashMap::new() });
            account.client_id = client_id;
            for m in &a.materials {
                let id = m.material_id.trim().to_owned();
                let material = Material {
                    name: m.name.clone().unwrap_or_else(|| format!("素材 {id}")),
                    kind: m.material_type.clone(),
                    md5: m.md5.clone().unwrap_or_else(|| ids::hex(ids::fnv1a(id.as_bytes()) ^ a.account_id, 32)),
                    url: m.url.clone().unwrap_or_else(|| format!("https://tx-emulator.invalid/materials/{id}.jpg")),
                };
                account.materials.insert(id, material);
            }
            let grant = |lifetime: std::time::Duration| Grant {
                account_id: a.account_id,
                client_id,
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
        if self.nonces.len() >= 50_000 {
            self.nonces.retain(|_, seen| now.saturating_sub(*seen) <= window);
        }
        match self.nonces.get(nonce) {
            Some(seen) if now.saturating_sub(*seen) <= window => false,
            _ => {
                self.nonces.insert(nonce.to_owned(), now);
                true
            }
        }
    }
}
