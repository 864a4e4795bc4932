//! WeChat components, authorizers, their tokens and AMS state.
//!
//! Tokens: issuing a token for a (kind, appid) makes it the latest; the one it replaces
//! keeps working for the configured overlap (real: about 5 minutes), then answers 40001
//! ("not latest"). A token past its lifetime answers 42001.

use crate::ids;
use crate::seed::{BlackListEntry, Settings, WechatAuthorizer, WechatComponent};
use std::collections::HashMap;

#[derive(Debug)]
pub(crate) struct Component {
    pub secret: String,
    pub ticket: String,
}

#[derive(Debug)]
pub(crate) struct Authorizer {
    pub component: Option<String>,
    pub refresh_token: String,
    pub publisher: bool,
    /// Blocked categories, in the documented order.
    pub categories: Vec<&'static str>,
    pub blacklist: Vec<BlackListEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum TokenKind {
    Component,
    Authorizer,
}

#[derive(Debug)]
struct Token {
    kind: TokenKind,
    appid: String,
    expires_at: u64,
    /// Set when a newer token replaced this one: the second it stops working.
    dies_at: Option<u64>,
}

#[derive(Debug, Default)]
pub(crate) struct WechatWorld {
    pub components: HashMap<String, Component>,
    pub authorizers: HashMap<String, Authorizer>,
    tokens: HashMap<String, Token>,
    latest: HashMap<(TokenKind, String), String>,
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
            self.components.insert(
                c.component_appid.clone(),
                Component {
                    secret: c.component_appsecret.expose().to_owned(),
                    ticket: c.component_verify_ticket.expose().to_owned(),
                },
            );
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
            self.authorizers.insert(
                a.authorizer_appid.clone(),
                Authorizer {
                    component: a.component_appid.clone(),
                    refresh_token: refresh,
                    publisher: a.publisher,
                    categories: super::category::parse(&a.ams_category).unwrap_or_default(),
                    blacklist: a.blacklist.clone(),
                },
            );
            if let Some(t) = &a.authorizer_access_token {
                self.register(t.expose().to_owned(), TokenKind::Authorizer, &a.authorizer_appid, now, settings);
            }
        }
    }

    /// Makes `token` the latest of its (kind, appid), starting the overlap of the previous.
    fn register(&mut self, token: String, kind: TokenKind, appid: &str, now: u64, settings: &Settings) {
        let key = (kind, appid.to_owned());
        if let Some(prev) = self.latest.get(&key)
            && *prev != token
            && let Some(old) = self.tokens.get_mut(prev)
        {
            let dies = now.saturating_add(settings.wechat_token_overlap.as_secs());
            old.dies_at = Some(old.dies_at.map_or(dies, |d| d.min(dies)));
        }
        let expires_at = now.saturating_add(settings.wechat_token_lifetime.as_secs());
        self.tokens.insert(token.clone(), Token { kind, appid: appid.to_owned(), expires_at, dies_at: None });
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
