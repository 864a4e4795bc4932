//! WeChat components, authorizers, their tokens and codes, and the AMS state.
//!
//! Tokens: issuing a token for a (kind, appid) makes it the latest; the one it replaces
//! keeps working for the configured overlap (real: about 5 minutes), then answers 40001
//! ("not latest"). A token past its lifetime answers 42001. Tickets and refresh tokens
//! rotate the same way: the latest always works, a replaced one for a while.
//!
//! Every table a caller can grow (tokens, codes) is bounded: dead entries are dropped when
//! it is full, then the oldest (see [`crate::bounded`]).

use crate::bounded::make_room;
use crate::ids;
use crate::seed::{BlackListEntry, Settings, WechatAdUnit, WechatAuthorizer, WechatComponent};
use std::collections::{HashMap, VecDeque};

/// Most tokens remembered.
const MAX_TOKENS: usize = 50_000;
/// Most pending codes (authorization and pre-authorization) remembered.
const MAX_CODES: usize = 10_000;
/// Most replaced tickets remembered per component (12 h of pushes every 10 min is 72).
const MAX_OLD_TICKETS: usize = 128;
/// Most replaced refresh tokens remembered per authorizer.
const MAX_OLD_REFRESH: usize = 16;

#[derive(Debug)]
pub(crate) struct Component {
    pub secret: String,
    /// The latest `component_verify_ticket`.
    pub ticket: String,
    /// Replaced tickets with the second they stop working, oldest first.
    old_tickets: VecDeque<(String, u64)>,
    pub msg_token: Option<String>,
    pub aes_key: Option<String>,
    pub push_url: Option<String>,
    pub share_ratio: u32,
}

impl Component {
    /// Whether `ticket` is accepted: 61006 unknown, 61005 replaced and past its lifetime.
    pub fn check_ticket(&self, ticket: Option<&str>, now: u64) -> Result<(), Refusal> {
        let ticket = ticket.ok_or((61006, "component_verify_ticket is invalid"))?;
        if ticket == self.ticket {
            return Ok(());
        }
        match self.old_tickets.iter().find(|(t, _)| t == ticket) {
            Some((_, until)) if now < *until => Ok(()),
            Some(_) => Err((61005, "component_verify_ticket is expired")),
            None => Err((61006, "component_verify_ticket is invalid")),
        }
    }

    /// Makes `ticket` the latest; the replaced one works for `lifetime` more.
    pub fn rotate_ticket(&mut self, ticket: String, now: u64, settings: &Settings) {
        let old = std::mem::replace(&mut self.ticket, ticket);
        if self.old_tickets.len() == MAX_OLD_TICKETS {
            self.old_tickets.pop_front();
        }
        self.old_tickets.push_back((old, now.saturating_add(settings.wechat_ticket_lifetime.as_secs())));
    }
}

/// A mini program's ad unit.
#[derive(Debug, Clone)]
pub(crate) struct AdUnit {
    pub id: String,
    pub name: String,
    pub slot: String,
    pub on: bool,
    pub tmpl_type: Option<u32>,
    pub tmpl_id: Option<String>,
    pub video_min: Option<u32>,
    pub video_max: Option<u32>,
}

/// The cover ad position: status 0 (never toggled), 1 on, 4 off.
#[derive(Debug, Default)]
pub(crate) struct Cover {
    pub status: u8,
    pub toggled_at: Option<u64>,
    pub scenes: Vec<u32>,
}

#[derive(Debug)]
pub(crate) struct Authorizer {
    pub component: Option<String>,
    /// The latest refresh token ("" once unauthorized).
    pub refresh_token: String,
    /// Replaced refresh tokens with the second they stop working.
    old_refresh: VecDeque<(String, u64)>,
    pub authorized: bool,
    pub auth_time: u64,
    pub publisher: bool,
    /// When `agency_create_publisher` opened it (not for seeded publishers).
    pub publisher_opened_at: Option<u64>,
    pub can_open_publisher: bool,
    /// Blocked categories, in the documented order.
    pub categories: Vec<&'static str>,
    pub blacklist: Vec<BlackListEntry>,
    /// Ad units, oldest first.
    pub ad_units: Vec<AdUnit>,
    pub cover: Cover,
    pub share_ratio: Option<u32>,
    pub stats_seed: u64,
}

impl Authorizer {
    fn new(appid: &str, component: Option<String>, refresh_token: String, now: u64) -> Self {
        Authorizer {
            component,
            refresh_token,
            old_refresh: VecDeque::new(),
            authorized: true,
            auth_time: now,
            publisher: true,
            publisher_opened_at: None,
            can_open_publisher: true,
            categories: Vec::new(),
            blacklist: Vec::new(),
            ad_units: Vec::new(),
            cover: Cover::default(),
            share_ratio: None,
            stats_seed: ids::fnv1a(appid.as_bytes()),
        }
    }

    /// Whether `token` is its latest refresh token or a replaced one still in its overlap.
    pub fn refresh_valid(&self, token: &str, now: u64) -> bool {
        (!self.refresh_token.is_empty() && token == self.refresh_token)
            || self.old_refresh.iter().any(|(t, until)| t == token && now < *until)
    }

    /// Makes `token` the latest refresh token; the replaced one works for the overlap.
    pub fn rotate_refresh(&mut self, token: String, now: u64, settings: &Settings) {
        let old = std::mem::replace(&mut self.refresh_token, token);
        if old.is_empty() {
            return;
        }
        if self.old_refresh.len() == MAX_OLD_REFRESH {
            self.old_refresh.pop_front();
        }
        self.old_refresh.push_back((old, now.saturating_add(settings.wechat_refresh_token_overlap.as_secs())));
    }

    fn add_unit(&mut self, seed: &WechatAdUnit, serial: u64) {
        let id = seed.ad_unit_id.clone().unwrap_or_else(|| new_ad_unit_id(serial));
        self.ad_units.retain(|u| u.id != id);
        self.ad_units.push(AdUnit {
            id,
            name: seed.name.clone(),
            slot: seed.ad_slot.clone(),
            on: seed.on,
            tmpl_type: seed.tmpl_type,
            tmpl_id: seed.tmpl_id.clone(),
            video_min: None,
            video_max: None,
        });
    }
}

/// A new `adunit-` id.
pub(crate) fn new_ad_unit_id(serial: u64) -> String {
    format!("adunit-{}", ids::hex(serial ^ 0xad00_0000, 16))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum TokenKind {
    Component,
    Authorizer,
}

impl TokenKind {
    /// The name used in statistics: `component_access_token` / `authorizer_access_token`.
    pub fn stat_name(self) -> &'static str {
        match self {
            TokenKind::Component => "component_access_token",
            TokenKind::Authorizer => "authorizer_access_token",
        }
    }
}

#[derive(Debug)]
struct Token {
    kind: TokenKind,
    appid: String,
    issued_at: u64,
    expires_at: u64,
    /// Set when a newer token replaced this one: the second it stops working.
    dies_at: Option<u64>,
}

/// An authorization code, as pushed with `authorized` / `updateauthorized`.
#[derive(Debug)]
pub(crate) struct AuthCode {
    pub component: String,
    pub authorizer: String,
    pub issued_at: u64,
    pub expires_at: u64,
}

#[derive(Debug, Default)]
pub(crate) struct WechatWorld {
    pub components: HashMap<String, Component>,
    pub authorizers: HashMap<String, Authorizer>,
    tokens: HashMap<String, Token>,
    latest: HashMap<(TokenKind, String), String>,
    pub auth_codes: HashMap<String, AuthCode>,
    /// Pre-authorization codes: component and expiry.
    pub preauth_codes: HashMap<String, AuthCode>,
    /// Token fetches per (kind, appid): the Beijing day and the count that day.
    fetches: HashMap<(TokenKind, String), (i64, u32)>,
}

/// Why a token was refused: the gateway code and message.
pub(crate) type Refusal = (i64, &'static str);

impl WechatWorld {
    pub fn apply(
        &mut self,
        components: &[WechatComponent],
        authorizers: &[WechatAuthorizer],
        now: u64,
        settings: &Settings,
        mut serial: impl FnMut() -> u64,
    ) {
        for c in components {
            let component = Component {
                secret: c.component_appsecret.expose().to_owned(),
                ticket: c.component_verify_ticket.expose().to_owned(),
                old_tickets: VecDeque::new(),
                msg_token: c.token.as_ref().map(|t| t.expose().to_owned()),
                aes_key: c.encoding_aes_key.as_ref().map(|t| t.expose().to_owned()),
                push_url: c.push_url.clone(),
                share_ratio: c.share_ratio.unwrap_or(40),
            };
            self.components.insert(c.component_appid.clone(), component);
            if let Some(t) = &c.component_access_token {
                self.register(t.expose().to_owned(), TokenKind::Component, &c.component_appid, now, settings);
            }
        }
        for a in authorizers {
            let refresh = a
                .authorizer_refresh_token
                .as_ref()
                .map(|t| t.expose().to_owned())
                .unwrap_or_else(|| format!("refreshtoken@@@{}", ids::hex(serial(), 24)));
            let mut authorizer = Authorizer::new(&a.authorizer_appid, a.component_appid.clone(), refresh, now);
            authorizer.auth_time = a.auth_time.unwrap_or(now);
            authorizer.publisher = a.publisher;
            authorizer.can_open_publisher = a.can_open_publisher;
            authorizer.categories = super::category::parse(&a.ams_category).unwrap_or_default();
            authorizer.blacklist = a.blacklist.clone();
            authorizer.share_ratio = a.share_ratio;
            if let Some(s) = a.stats_seed {
                authorizer.stats_seed = s;
            }
            for unit in &a.ad_units {
                authorizer.add_unit(unit, serial());
            }
            self.authorizers.insert(a.authorizer_appid.clone(), authorizer);
            if let Some(t) = &a.authorizer_access_token {
                self.register(t.expose().to_owned(), TokenKind::Authorizer, &a.authorizer_appid, now, settings);
            }
        }
    }

    /// Makes `token` the latest of its (kind, appid), starting the overlap of the previous.
    fn register(&mut self, token: String, kind: TokenKind, appid: &str, now: u64, settings: &Settings) {
        make_room(
            &mut self.tokens,
            MAX_TOKENS,
            |t| now >= t.expires_at || t.dies_at.is_some_and(|d| now >= d),
            |t| t.issued_at,
        );
        let key = (kind, appid.to_owned());
        if let Some(prev) = self.latest.get(&key)
            && *prev != token
            && let Some(old) = self.tokens.get_mut(prev)
        {
            let dies = now.saturating_add(settings.wechat_token_overlap.as_secs());
            old.dies_at = Some(old.dies_at.map_or(dies, |d| d.min(dies)));
        }
        let expires_at = now.saturating_add(settings.wechat_token_lifetime.as_secs());
        self.tokens
            .insert(token.clone(), Token { kind, appid: appid.to_owned(), issued_at: now, expires_at, dies_at: None });
        self.latest.insert(key, token);
    }

    /// Issues a fresh token.
    pub fn issue(&mut self, kind: TokenKind, appid: &str, now: u64, settings: &Settings, serial: u64) -> String {
        let prefix = match kind {
            TokenKind::Component => "c",
            TokenKind::Authorizer => "a",
        };
        let token =
            format!("{serial}_{prefix}{}", ids::hex(serial.wrapping_mul(31) ^ ids::fnv1a(appid.as_bytes()), 64));
        self.register(token.clone(), kind, appid, now, settings);
        token
    }

    /// Counts a token fetch for (kind, appid) against the daily quota; false (45009) when
    /// the quota of the Beijing day is spent.
    pub fn count_fetch(&mut self, kind: TokenKind, appid: &str, now: u64, quota: Option<u32>) -> bool {
        let day = super::dates::today(now);
        let entry = self.fetches.entry((kind, appid.to_owned())).or_insert((day, 0));
        if entry.0 != day {
            *entry = (day, 0);
        }
        if quota.is_some_and(|q| entry.1 >= q) {
            return false;
        }
        entry.1 += 1;
        true
    }

    /// Ends an authorization: its tokens stop working at once, its refresh token too.
    pub fn revoke(&mut self, appid: &str, now: u64) {
        for t in self.tokens.values_mut() {
            if t.kind == TokenKind::Authorizer && t.appid == appid {
                t.dies_at = Some(now);
            }
        }
        self.latest.remove(&(TokenKind::Authorizer, appid.to_owned()));
        if let Some(a) = self.authorizers.get_mut(appid) {
            a.authorized = false;
            a.refresh_token.clear();
            a.old_refresh.clear();
        }
    }

    /// Authorizes `appid` to `component` (creating the mini program if new) and issues an
    /// authorization code valid for the configured lifetime: the code and its expiry.
    pub fn authorize(
        &mut self,
        component: &str,
        appid: &str,
        now: u64,
        settings: &Settings,
        serial: u64,
    ) -> (String, u64) {
        let authorizer = self
            .authorizers
            .entry(appid.to_owned())
            .or_insert_with(|| Authorizer::new(appid, Some(component.to_owned()), String::new(), now));
        authorizer.component = Some(component.to_owned());
        authorizer.authorized = true;
        authorizer.auth_time = now;
        make_room(&mut self.auth_codes, MAX_CODES, |c| now >= c.expires_at, |c| c.issued_at);
        let code = AuthCode {
            component: component.to_owned(),
            authorizer: appid.to_owned(),
            issued_at: now,
            expires_at: now.saturating_add(settings.wechat_auth_code_lifetime.as_secs()),
        };
        let expires_at = code.expires_at;
        let value = format!("queryauthcode@@@{}", ids::hex(serial ^ 0xa0, 40));
        self.auth_codes.insert(value.clone(), code);
        (value, expires_at)
    }

    /// Issues a pre-authorization code for `component`, valid 1800 s.
    pub fn preauth(&mut self, component: &str, now: u64, serial: u64) -> String {
        make_room(&mut self.preauth_codes, MAX_CODES, |c| now >= c.expires_at, |c| c.issued_at);
        let code = format!("preauthcode@@@{}", ids::hex(serial ^ 0x9e, 40));
        let entry = AuthCode {
            component: component.to_owned(),
            authorizer: String::new(),
            issued_at: now,
            expires_at: now.saturating_add(1800),
        };
        self.preauth_codes.insert(code.clone(), entry);
        code
    }

    /// The appid a token of `kind` belongs to, or the gateway's refusal: 41001 missing,
    /// 40001 unknown or replaced past its overlap, 42001 expired, 48001 wrong kind.
    pub fn check(&self, token: Option<&str>, kind: TokenKind, now: u64) -> Result<String, Refusal> {
        let token = token.filter(|t| !t.is_empty()).ok_or((41001, "access_token missing"))?;
        let t = self.tokens.get(token).ok_or((40001, "invalid credential, access_token is invalid or not latest"))?;
        if t.dies_at.is_some_and(|d| now >= d) {
            return Err((40001, "invalid credential, access_token is invalid or not latest"));
        }
        if now >= t.expires_at {
            return Err((42001, "access_token expired"));
        }
        if t.kind != kind {
            return Err((48001, "api unauthorized"));
        }
        Ok(t.appid.clone())
    }
}
