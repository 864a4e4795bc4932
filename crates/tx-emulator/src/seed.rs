//! What the emulator starts with: apps, accounts, tokens, materials, settings and faults.
//!
//! The builder, the seed file of the binary and `POST /_emulator/seed` all use [`Seed`].
//! `crates/tx-emulator/SEED.md` documents every section and field, and the bare
//! emulator's defaults. A seed file is TOML or JSON of this shape (every section
//! optional):
//!
//! ```toml
//! [settings]
//! tim_rate_limit = 200              # calls/s per app and command; 0 = off
//! latency_ms = 0                    # added to every reply (at most 600000)
//! header_read_timeout_ms = 30000    # idle or slow connections; 0 = off
//! wechat_token_lifetime_secs = 7200
//! wechat_token_overlap_secs = 300   # a replaced token's remaining life
//! wechat_rotate_refresh_token = false
//! wechat_token_daily_quota = 2000   # per (kind, appid); 0 = off
//! wechat_ams_rate_limit = 0         # per (authorizer, action) per window; 0 = off
//! ads_quota_per_minute = 1000       # per app and endpoint; 0 = off
//! ads_watermark_delay_ms = 3000
//!
//! [[tim_apps]]
//! sdkappid = 1400000000
//! key = "secret-key"
//! admins = ["administrator"]
//! accounts = ["alice", "bob", "carol"]
//! blocklists = { alice = ["bob"] }  # owner -> blocked accounts
//! friends = { alice = ["carol"] }   # mutual friendships
//!
//! [[wechat_components]]
//! component_appid = "wxcomponent"
//! component_appsecret = "component-secret"
//! component_verify_ticket = "ticket@@@emulator"
//! token = "push-token"
//! encoding_aes_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
//!
//! [[wechat_authorizers]]
//! authorizer_appid = "wxminiprogram"
//! component_appid = "wxcomponent"
//! authorizer_access_token = "authorizer-token"
//! authorizer_refresh_token = "refreshtoken@@@emulator"
//! ams_category = "CHESS|LOAN"
//! ad_units = [{ name = "横幅", ad_slot = "SLOT_ID_WEAPP_BANNER" }]
//!
//! [[ads_apps]]
//! client_id = 1110000000
//! client_secret = "client-secret"
//! redirect_uri = "https://example.com/callback"
//! private_tokens = [{ access_token = "private-token", account_ids = [20000001] }]
//!
//! [[ads_accounts]]
//! account_id = 20000001
//! client_id = 1110000000
//! access_token = "ads-access-token"
//! refresh_token = "ads-refresh-token"
//! materials = [{ material_id = "123", name = "图片 1" }, { material_id = "456", name = "图片 2" }]
//!
//! [faults]
//! seed = 42
//! rates = [{ target = "*", fault = { http = 503 }, probability = 0.05 }]
//! scripts = { "v4/sns/black_list_add" = ["pass", { code = 30006 }, "drop", "applied_drop"] }
//! ```

use crate::faults::FaultPlan;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::Duration;

/// A credential in a seed: serialized as a plain string, printed by `Debug` as `***`.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SeedSecret(String);

impl SeedSecret {
    /// The value.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SeedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<S: Into<String>> From<S> for SeedSecret {
    fn from(s: S) -> Self {
        SeedSecret(s.into())
    }
}

/// Behaviour knobs. Every field has the real service's value (or a documented guess) as
/// its default.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Settings {
    /// TIM calls per second per (SDKAppID, command); `None` = unlimited. Default 200.
    pub tim_rate_limit: Option<u32>,
    /// Tencent Ads calls per minute per (client_id, endpoint); `None` = unlimited.
    /// The real quota depends on the app's tier and is unpublished; default 1000.
    pub ads_quota_per_minute: Option<u32>,
    /// How long an Ads endpoint stays barred after its quota was exceeded. Default 5 min.
    pub ads_quota_penalty: Duration,
    /// Fixed latency added to every platform reply (not to the control API). Default 0.
    pub latency: Duration,
    /// Lifetime of WeChat component and authorizer access tokens. Default 7200 s.
    pub wechat_token_lifetime: Duration,
    /// How long a replaced WeChat token keeps working. Default 300 s.
    pub wechat_token_overlap: Duration,
    /// Lifetime of an Ads access token. Default 86400 s.
    pub ads_access_token_lifetime: Duration,
    /// Lifetime of an Ads refresh token, restarted by each refresh. Default 30 days.
    pub ads_refresh_token_lifetime: Duration,
    /// Lifetime of an Ads authorization code. Default 5 min.
    pub ads_authorization_code_lifetime: Duration,
    /// Allowed skew of the Ads `timestamp` parameter. Default 300 s.
    pub ads_timestamp_skew: Duration,
    /// Time a watermark job stays `processing`. Default 3 s (the documented sample).
    pub ads_watermark_delay: Duration,
    /// Spell `black_list_get`'s sequence field `CurruentSequence` (EN/JP/KO docs) instead
    /// of `CurrentSequence` (current Chinese doc). Default false.
    pub tim_legacy_sequence_spelling: bool,
    /// How long a connection may take to send a request's headers (idle keep-alive
    /// connections included) before it is closed, on the wall clock; `None` = never.
    /// Default 30 s.
    pub header_read_timeout: Option<Duration>,
    /// How long a replaced `component_verify_ticket` stays valid (the latest always is).
    /// Default 12 h.
    pub wechat_ticket_lifetime: Duration,
    /// Whether `api_authorizer_token` answers with a new refresh token (rotation). The
    /// replaced one keeps working for [`Settings::wechat_refresh_token_overlap`].
    /// Default false.
    pub wechat_rotate_refresh_token: bool,
    /// How long a replaced authorizer refresh token keeps working. Default 300 s.
    pub wechat_refresh_token_overlap: Duration,
    /// Token fetches per day per (kind, appid) (component token per component; authorizer
    /// token per authorizer), 45009 beyond; `None` = unlimited. Default 2000.
    pub wechat_token_daily_quota: Option<u32>,
    /// Token fetches per minute per component (component and authorizer tokens together),
    /// 45011 beyond; `None` = unlimited. Default unlimited.
    pub wechat_token_fetch_per_minute: Option<u32>,
    /// AMS calls per window per (authorizer, action), ret 1737 beyond; `None` = unlimited.
    /// Default unlimited (the real figure is unpublished).
    pub wechat_ams_rate_limit: Option<u32>,
    /// The window of [`Settings::wechat_ams_rate_limit`]. Default 60 s.
    pub wechat_ams_rate_window: Duration,
    /// The least time between two cover-ad toggles (ret 2008 sooner). Default 1 h.
    pub wechat_cover_toggle_interval: Duration,
    /// Lifetime of an authorization code pushed with `authorized`. Default 3600 s.
    pub wechat_auth_code_lifetime: Duration,
    /// Period of the ticket push to components that have a `push_url`; `None` = no
    /// periodic push. Default 600 s (WeChat pushes every 10 minutes).
    pub wechat_push_interval: Option<Duration>,
    /// How long after `agency_create_publisher` the mini program's other AMS actions answer
    /// ret 2068 ("opened recently, retry after 1 h"). Default zero (off).
    pub wechat_publisher_settle: Duration,
}

/// The largest latency, delay or timeout a setting may hold (10 minutes).
pub const MAX_DELAY: Duration = Duration::from_secs(600);

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tim_rate_limit: Some(200),
            ads_quota_per_minute: Some(1000),
            ads_quota_penalty: Duration::from_secs(300),
            latency: Duration::ZERO,
            wechat_token_lifetime: Duration::from_secs(7200),
            wechat_token_overlap: Duration::from_secs(300),
            ads_access_token_lifetime: Duration::from_secs(86_400),
            ads_refresh_token_lifetime: Duration::from_secs(2_592_000),
            ads_authorization_code_lifetime: Duration::from_secs(300),
            ads_timestamp_skew: Duration::from_secs(300),
            ads_watermark_delay: Duration::from_secs(3),
            tim_legacy_sequence_spelling: false,
            header_read_timeout: Some(Duration::from_secs(30)),
            wechat_ticket_lifetime: Duration::from_secs(43_200),
            wechat_rotate_refresh_token: false,
            wechat_refresh_token_overlap: Duration::from_secs(300),
            wechat_token_daily_quota: Some(2000),
            wechat_token_fetch_per_minute: None,
            wechat_ams_rate_limit: None,
            wechat_ams_rate_window: Duration::from_secs(60),
            wechat_cover_toggle_interval: Duration::from_secs(3600),
            wechat_auth_code_lifetime: Duration::from_secs(3600),
            wechat_push_interval: Some(Duration::from_secs(600)),
            wechat_publisher_settle: Duration::ZERO,
        }
    }
}

/// Settings as a seed file writes them: every field optional, limits 0 = off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct SettingsPatch {
    pub tim_rate_limit: Option<u32>,
    pub ads_quota_per_minute: Option<u32>,
    pub ads_quota_penalty_secs: Option<u64>,
    pub latency_ms: Option<u64>,
    pub wechat_token_lifetime_secs: Option<u64>,
    pub wechat_token_overlap_secs: Option<u64>,
    pub ads_access_token_lifetime_secs: Option<u64>,
    pub ads_refresh_token_lifetime_secs: Option<u64>,
    pub ads_authorization_code_lifetime_secs: Option<u64>,
    pub ads_timestamp_skew_secs: Option<u64>,
    pub ads_watermark_delay_ms: Option<u64>,
    pub tim_legacy_sequence_spelling: Option<bool>,
    /// 0 = no timeout.
    pub header_read_timeout_ms: Option<u64>,
    pub wechat_ticket_lifetime_secs: Option<u64>,
    pub wechat_rotate_refresh_token: Option<bool>,
    pub wechat_refresh_token_overlap_secs: Option<u64>,
    pub wechat_token_daily_quota: Option<u32>,
    pub wechat_token_fetch_per_minute: Option<u32>,
    pub wechat_ams_rate_limit: Option<u32>,
    pub wechat_ams_rate_window_secs: Option<u64>,
    pub wechat_cover_toggle_interval_secs: Option<u64>,
    pub wechat_auth_code_lifetime_secs: Option<u64>,
    /// 0 = no periodic push.
    pub wechat_push_interval_secs: Option<u64>,
    pub wechat_publisher_settle_secs: Option<u64>,
}

impl SettingsPatch {
    /// Applies the fields that are set onto `s`.
    pub fn apply(&self, s: &mut Settings) {
        let secs = Duration::from_secs;
        let ms = Duration::from_millis;
        if let Some(v) = self.tim_rate_limit {
            s.tim_rate_limit = (v > 0).then_some(v);
        }
        let limits = [
            (self.ads_quota_per_minute, &mut s.ads_quota_per_minute),
            (self.wechat_token_daily_quota, &mut s.wechat_token_daily_quota),
            (self.wechat_token_fetch_per_minute, &mut s.wechat_token_fetch_per_minute),
            (self.wechat_ams_rate_limit, &mut s.wechat_ams_rate_limit),
        ];
        for (value, slot) in limits {
            if let Some(v) = value {
                *slot = (v > 0).then_some(v);
            }
        }
        if let Some(v) = self.header_read_timeout_ms {
            s.header_read_timeout = (v > 0).then(|| Duration::from_millis(v));
        }
        if let Some(v) = self.wechat_push_interval_secs {
            s.wechat_push_interval = (v > 0).then(|| Duration::from_secs(v));
        }
        if let Some(v) = self.wechat_rotate_refresh_token {
            s.wechat_rotate_refresh_token = v;
        }
        type Unit = fn(u64) -> Duration;
        let durations: [(Option<u64>, Unit, &mut Duration); 15] = [
            (self.ads_quota_penalty_secs, secs, &mut s.ads_quota_penalty),
            (self.latency_ms, ms, &mut s.latency),
            (self.wechat_token_lifetime_secs, secs, &mut s.wechat_token_lifetime),
            (self.wechat_token_overlap_secs, secs, &mut s.wechat_token_overlap),
            (self.ads_access_token_lifetime_secs, secs, &mut s.ads_access_token_lifetime),
            (self.ads_refresh_token_lifetime_secs, secs, &mut s.ads_refresh_token_lifetime),
            (self.ads_authorization_code_lifetime_secs, secs, &mut s.ads_authorization_code_lifetime),
            (self.ads_timestamp_skew_secs, secs, &mut s.ads_timestamp_skew),
            (self.ads_watermark_delay_ms, ms, &mut s.ads_watermark_delay),
            (self.wechat_ticket_lifetime_secs, secs, &mut s.wechat_ticket_lifetime),
            (self.wechat_refresh_token_overlap_secs, secs, &mut s.wechat_refresh_token_overlap),
            (self.wechat_ams_rate_window_secs, secs, &mut s.wechat_ams_rate_window),
            (self.wechat_cover_toggle_interval_secs, secs, &mut s.wechat_cover_toggle_interval),
            (self.wechat_auth_code_lifetime_secs, secs, &mut s.wechat_auth_code_lifetime),
            (self.wechat_publisher_settle_secs, secs, &mut s.wechat_publisher_settle),
        ];
        for (value, unit, slot) in durations {
            if let Some(v) = value {
                *slot = unit(v);
            }
        }
        if let Some(v) = self.tim_legacy_sequence_spelling {
            s.tim_legacy_sequence_spelling = v;
        }
    }

    /// Overwrites fields of `self` with those set in `other`.
    fn merge(&mut self, other: SettingsPatch) {
        macro_rules! take {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f = other.$f; } )* };
        }
        take!(
            tim_rate_limit,
            ads_quota_per_minute,
            ads_quota_penalty_secs,
            latency_ms,
            wechat_token_lifetime_secs,
            wechat_token_overlap_secs,
            ads_access_token_lifetime_secs,
            ads_refresh_token_lifetime_secs,
            ads_authorization_code_lifetime_secs,
            ads_timestamp_skew_secs,
            ads_watermark_delay_ms,
            tim_legacy_sequence_spelling,
            header_read_timeout_ms,
            wechat_ticket_lifetime_secs,
            wechat_rotate_refresh_token,
            wechat_refresh_token_overlap_secs,
            wechat_token_daily_quota,
            wechat_token_fetch_per_minute,
            wechat_ams_rate_limit,
            wechat_ams_rate_window_secs,
            wechat_cover_toggle_interval_secs,
            wechat_auth_code_lifetime_secs,
            wechat_push_interval_secs,
            wechat_publisher_settle_secs
        );
    }

    /// Refuses delays that would hold requests for too long: `latency_ms`,
    /// `ads_watermark_delay_ms` and `header_read_timeout_ms` at most [`MAX_DELAY`]
    /// (10 minutes).
    pub fn validate(&self) -> Result<(), SeedError> {
        let max = MAX_DELAY.as_millis() as u64;
        for (name, value) in [
            ("latency_ms", self.latency_ms),
            ("ads_watermark_delay_ms", self.ads_watermark_delay_ms),
            ("header_read_timeout_ms", self.header_read_timeout_ms),
        ] {
            if let Some(v) = value
                && v > max
            {
                return Err(SeedError::Setting(format!("{name} = {v} is more than the {max} allowed")));
            }
        }
        Ok(())
    }
}

/// A Tencent IM app: SDKAppID, secret key, admins, accounts and initial relations.
///
/// ```
/// use tx_emulator::TimApp;
/// let app = TimApp::new(1400000000, "secret-key")
///     .admin("administrator")
///     .accounts(["alice", "bob", "carol"])
///     .block("alice", ["bob"])
///     .friends("alice", ["carol"]);
/// assert_eq!(app.accounts.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimApp {
    /// The SDKAppID.
    pub sdkappid: u32,
    /// The secret key UserSigs are verified with.
    pub key: SeedSecret,
    /// App admin identifiers; `administrator` when none is given. Admins are accounts too.
    #[serde(default)]
    pub admins: Vec<String>,
    /// Imported accounts (UserIDs).
    #[serde(default)]
    pub accounts: Vec<String>,
    /// Initial blocklists: owner → blocked accounts (imported automatically).
    #[serde(default)]
    pub blocklists: BTreeMap<String, Vec<String>>,
    /// Initial mutual friendships: account → friends (imported automatically).
    #[serde(default)]
    pub friends: BTreeMap<String, Vec<String>>,
    /// Blocklist capacity per account (30013 beyond it). Default 1000.
    #[serde(default)]
    pub blocklist_limit: Option<usize>,
    /// Friend-list capacity per account (30010/30014 beyond it). Default 3000 (a guess:
    /// the reference gives no number).
    #[serde(default)]
    pub friend_limit: Option<usize>,
    /// Friend groups per account (30011 beyond it). Default 100.
    #[serde(default)]
    pub group_limit: Option<usize>,
}

impl TimApp {
    /// An app with no admins (so `administrator` by default) and no accounts.
    pub fn new(sdkappid: u32, key: impl Into<String>) -> Self {
        TimApp {
            sdkappid,
            key: SeedSecret(key.into()),
            admins: Vec::new(),
            accounts: Vec::new(),
            blocklists: BTreeMap::new(),
            friends: BTreeMap::new(),
            blocklist_limit: None,
            friend_limit: None,
            group_limit: None,
        }
    }

    /// Adds an app admin.
    pub fn admin(mut self, identifier: impl Into<String>) -> Self {
        self.admins.push(identifier.into());
        self
    }

    /// Imports accounts.
    pub fn accounts<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.accounts.extend(ids.into_iter().map(Into::into));
        self
    }

    /// `owner` starts with `targets` on its blocklist.
    pub fn block<S: Into<String>>(mut self, owner: impl Into<String>, targets: impl IntoIterator<Item = S>) -> Self {
        self.blocklists.entry(owner.into()).or_default().extend(targets.into_iter().map(Into::into));
        self
    }

    /// `account` starts as a mutual friend of each of `others`.
    pub fn friends<S: Into<String>>(mut self, account: impl Into<String>, others: impl IntoIterator<Item = S>) -> Self {
        self.friends.entry(account.into()).or_default().extend(others.into_iter().map(Into::into));
        self
    }

    /// Sets the blocklist capacity per account.
    pub fn blocklist_limit(mut self, n: usize) -> Self {
        self.blocklist_limit = Some(n);
        self
    }

    /// Sets the friend-list capacity per account.
    pub fn friend_limit(mut self, n: usize) -> Self {
        self.friend_limit = Some(n);
        self
    }

    /// Sets the number of friend groups allowed per account.
    pub fn group_limit(mut self, n: usize) -> Self {
        self.group_limit = Some(n);
        self
    }

    /// The admins, `administrator` when none was given.
    pub fn effective_admins(&self) -> Vec<String> {
        if self.admins.is_empty() { vec!["administrator".to_owned()] } else { self.admins.clone() }
    }
}

/// A WeChat third-party platform (component) that can mint component tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WechatComponent {
    /// `component_appid`.
    pub component_appid: String,
    /// `component_appsecret`.
    pub component_appsecret: SeedSecret,
    /// The current `component_verify_ticket`.
    pub component_verify_ticket: SeedSecret,
    /// A component access token valid from start, if wanted.
    #[serde(default)]
    pub component_access_token: Option<SeedSecret>,
    /// The message-check `token` that signs pushes (`msg_signature`); pushes need it.
    #[serde(default)]
    pub token: Option<SeedSecret>,
    /// The 43-character `EncodingAESKey` that encrypts pushes; pushes need it.
    #[serde(default)]
    pub encoding_aes_key: Option<SeedSecret>,
    /// The authorization-event URL (loopback only) the ticket is pushed to every
    /// `wechat_push_interval_secs` and on `api_start_push_ticket`.
    #[serde(default)]
    pub push_url: Option<String>,
    /// The provider's default share ratio in percent (`set_share_ratio`). Default 40.
    #[serde(default)]
    pub share_ratio: Option<u32>,
}

impl WechatComponent {
    /// A component with its secret and current verify ticket.
    pub fn new(appid: impl Into<String>, secret: impl Into<String>, ticket: impl Into<String>) -> Self {
        WechatComponent {
            component_appid: appid.into(),
            component_appsecret: SeedSecret(secret.into()),
            component_verify_ticket: SeedSecret(ticket.into()),
            component_access_token: None,
            token: None,
            encoding_aes_key: None,
            push_url: None,
            share_ratio: None,
        }
    }

    /// A component access token valid from start.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.component_access_token = Some(SeedSecret(token.into()));
        self
    }

    /// The message-check token and the 43-character `EncodingAESKey` pushes are signed
    /// and encrypted with.
    pub fn message_keys(mut self, token: impl Into<String>, encoding_aes_key: impl Into<String>) -> Self {
        self.token = Some(SeedSecret(token.into()));
        self.encoding_aes_key = Some(SeedSecret(encoding_aes_key.into()));
        self
    }

    /// The authorization-event URL on loopback that tickets are pushed to.
    pub fn push_url(mut self, url: impl Into<String>) -> Self {
        self.push_url = Some(url.into());
        self
    }

    /// The provider's default share ratio in percent.
    pub fn share_ratio(mut self, percent: u32) -> Self {
        self.share_ratio = Some(percent);
        self
    }
}

/// An ad unit a mini program starts with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WechatAdUnit {
    /// `ad_unit_id`; made up when absent.
    #[serde(default)]
    pub ad_unit_id: Option<String>,
    /// `ad_unit_name`.
    pub name: String,
    /// The ad slot, e.g. `SLOT_ID_WEAPP_BANNER`.
    pub ad_slot: String,
    /// On (default) or off.
    #[serde(default = "yes")]
    pub on: bool,
    /// `tmpl_type` of a template unit.
    #[serde(default)]
    pub tmpl_type: Option<u32>,
    /// `tmpl_id` of a template unit.
    #[serde(default)]
    pub tmpl_id: Option<String>,
}

impl WechatAdUnit {
    /// An ad unit that is on.
    pub fn new(name: impl Into<String>, ad_slot: impl Into<String>) -> Self {
        WechatAdUnit {
            ad_unit_id: None,
            name: name.into(),
            ad_slot: ad_slot.into(),
            on: true,
            tmpl_type: None,
            tmpl_id: None,
        }
    }

    /// Sets the id.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.ad_unit_id = Some(id.into());
        self
    }
}

/// An entry of a mini program's advertiser blacklist: `type` 1 official account,
/// 2 iOS app, 3 Android app, 4 mini program or game.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlackListEntry {
    /// The kind, 1..=4.
    #[serde(rename = "type")]
    pub kind: u8,
    /// The blocked id.
    pub id: String,
}

/// A mini program authorized to a component, with its AMS state.
///
/// ```
/// use tx_emulator::WechatAuthorizer;
/// let a = WechatAuthorizer::new("wxminiprogram").access_token("token-1").ams_category("CHESS|LOAN");
/// assert_eq!(a.authorizer_appid, "wxminiprogram");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WechatAuthorizer {
    /// `authorizer_appid`.
    pub authorizer_appid: String,
    /// The component it authorized, needed to refresh its token.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// An authorizer access token valid from start.
    #[serde(default)]
    pub authorizer_access_token: Option<SeedSecret>,
    /// Its `authorizer_refresh_token`; one is made up when absent.
    #[serde(default)]
    pub authorizer_refresh_token: Option<SeedSecret>,
    /// Whether it has opened 流量主 (publisher); AMS actions answer ret 1807 otherwise.
    #[serde(default = "yes")]
    pub publisher: bool,
    /// Initial category blacklist, pipe-joined.
    #[serde(default)]
    pub ams_category: String,
    /// Initial advertiser blacklist.
    #[serde(default)]
    pub blacklist: Vec<BlackListEntry>,
    /// Whether it meets the threshold to open 流量主 (`agency_check_can_open_publisher`
    /// status 1; `agency_create_publisher` answers 2013 otherwise). Default true.
    #[serde(default = "yes")]
    pub can_open_publisher: bool,
    /// Ad units it starts with.
    #[serde(default)]
    pub ad_units: Vec<WechatAdUnit>,
    /// A custom share ratio in percent (`agency_set_custom_share_ratio`).
    #[serde(default)]
    pub share_ratio: Option<u32>,
    /// The seed its ad statistics and settlements derive from; from the appid when absent.
    #[serde(default)]
    pub stats_seed: Option<u64>,
    /// `auth_time` (unix seconds) in `api_get_authorizer_list`; the start time when absent.
    #[serde(default)]
    pub auth_time: Option<u64>,
}

fn yes() -> bool {
    true
}

impl WechatAuthorizer {
    /// A publisher mini program with empty blacklists and no token.
    pub fn new(appid: impl Into<String>) -> Self {
        WechatAuthorizer {
            authorizer_appid: appid.into(),
            component_appid: None,
            authorizer_access_token: None,
            authorizer_refresh_token: None,
            publisher: true,
            ams_category: String::new(),
            blacklist: Vec::new(),
            can_open_publisher: true,
            ad_units: Vec::new(),
            share_ratio: None,
            stats_seed: None,
            auth_time: None,
        }
    }

    /// Whether it meets the threshold to open 流量主.
    pub fn can_open_publisher(mut self, can: bool) -> Self {
        self.can_open_publisher = can;
        self
    }

    /// Adds an ad unit.
    pub fn ad_unit(mut self, unit: WechatAdUnit) -> Self {
        self.ad_units.push(unit);
        self
    }

    /// The seed its statistics and settlements derive from.
    pub fn stats_seed(mut self, seed: u64) -> Self {
        self.stats_seed = Some(seed);
        self
    }

    /// Authorized to `component_appid`.
    pub fn component(mut self, component_appid: impl Into<String>) -> Self {
        self.component_appid = Some(component_appid.into());
        self
    }

    /// An access token valid from start.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.authorizer_access_token = Some(SeedSecret(token.into()));
        self
    }

    /// The refresh token.
    pub fn refresh_token(mut self, token: impl Into<String>) -> Self {
        self.authorizer_refresh_token = Some(SeedSecret(token.into()));
        self
    }

    /// Whether 流量主 is open.
    pub fn publisher(mut self, open: bool) -> Self {
        self.publisher = open;
        self
    }

    /// The initial category blacklist, pipe-joined.
    pub fn ams_category(mut self, categories: impl Into<String>) -> Self {
        self.ams_category = categories.into();
        self
    }

    /// Adds an advertiser blacklist entry.
    pub fn blocked(mut self, kind: u8, id: impl Into<String>) -> Self {
        self.blacklist.push(BlackListEntry { kind, id: id.into() });
        self
    }
}

/// A Tencent Ads developer app (OAuth client).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdsApp {
    /// `client_id`.
    pub client_id: u64,
    /// `client_secret`.
    pub client_secret: SeedSecret,
    /// The registered redirect URI; when set, `redirect_uri` must have its host.
    #[serde(default)]
    pub redirect_uri: Option<String>,
    /// Static tokens of a private app (generated in the developer console): they never
    /// expire and act for the listed accounts.
    #[serde(default)]
    pub private_tokens: Vec<AdsPrivateToken>,
}

/// A private app's static access token and the accounts it acts for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdsPrivateToken {
    /// The token.
    pub access_token: SeedSecret,
    /// The accounts it may act for.
    pub account_ids: Vec<u64>,
}

impl AdsApp {
    /// An app with its client secret.
    pub fn new(client_id: u64, client_secret: impl Into<String>) -> Self {
        AdsApp {
            client_id,
            client_secret: SeedSecret(client_secret.into()),
            redirect_uri: None,
            private_tokens: Vec::new(),
        }
    }

    /// A private app's static token for `account_ids`.
    pub fn private_token(mut self, token: impl Into<String>, account_ids: impl IntoIterator<Item = u64>) -> Self {
        self.private_tokens.push(AdsPrivateToken {
            access_token: SeedSecret(token.into()),
            account_ids: account_ids.into_iter().collect(),
        });
        self
    }

    /// The registered redirect URI.
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }
}

/// An image or video in an Ads account's material library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdsMaterial {
    /// `material_id`.
    pub material_id: String,
    /// `material_name`; defaults to `素材 <id>`.
    #[serde(default)]
    pub name: Option<String>,
    /// `IMAGE` (default) or `VIDEO`; watermarks accept images only.
    #[serde(default = "image")]
    pub material_type: String,
    /// The 32-hex-digit md5; derived from the id when absent.
    #[serde(default)]
    pub md5: Option<String>,
    /// The original URL; made up when absent.
    #[serde(default)]
    pub url: Option<String>,
}

fn image() -> String {
    "IMAGE".to_owned()
}

impl AdsMaterial {
    /// An image material.
    pub fn image(material_id: impl Into<String>) -> Self {
        AdsMaterial { material_id: material_id.into(), name: None, material_type: image(), md5: None, url: None }
    }

    /// A video material (watermarks refuse it).
    pub fn video(material_id: impl Into<String>) -> Self {
        AdsMaterial { material_type: "VIDEO".to_owned(), ..AdsMaterial::image(material_id) }
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

/// A Tencent Ads advertiser account with its tokens and materials.
///
/// ```
/// use tx_emulator::{AdsAccount, AdsMaterial};
/// let acct = AdsAccount::new(20000001).client(1110000000).access_token("ads-token")
///     .material(AdsMaterial::image("123").name("图片 1"));
/// assert_eq!(acct.materials.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdsAccount {
    /// `account_id`.
    pub account_id: u64,
    /// The app (client_id) its tokens belong to; its quota counts against that app.
    #[serde(default)]
    pub client_id: Option<u64>,
    /// An access token valid from start.
    #[serde(default)]
    pub access_token: Option<SeedSecret>,
    /// A refresh token valid from start.
    #[serde(default)]
    pub refresh_token: Option<SeedSecret>,
    /// Its material library.
    #[serde(default)]
    pub materials: Vec<AdsMaterial>,
    /// An agency account rather than an advertiser (`material_async_tasks/get` refuses
    /// agency accounts). Default false.
    #[serde(default)]
    pub agency: bool,
}

impl AdsAccount {
    /// An advertiser account with no token and no material.
    pub fn new(account_id: u64) -> Self {
        AdsAccount {
            account_id,
            client_id: None,
            access_token: None,
            refresh_token: None,
            materials: Vec::new(),
            agency: false,
        }
    }

    /// An agency account rather than an advertiser.
    pub fn agency(mut self, agency: bool) -> Self {
        self.agency = agency;
        self
    }

    /// Belongs to app `client_id`.
    pub fn client(mut self, client_id: u64) -> Self {
        self.client_id = Some(client_id);
        self
    }

    /// An access token valid from start.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(SeedSecret(token.into()));
        self
    }

    /// A refresh token valid from start.
    pub fn refresh_token(mut self, token: impl Into<String>) -> Self {
        self.refresh_token = Some(SeedSecret(token.into()));
        self
    }

    /// Adds a material.
    pub fn material(mut self, m: AdsMaterial) -> Self {
        self.materials.push(m);
        self
    }
}

/// Everything the emulator can be seeded with. See the module docs for the file format.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Settings to change.
    #[serde(default)]
    pub settings: SettingsPatch,
    /// TIM apps.
    #[serde(default)]
    pub tim_apps: Vec<TimApp>,
    /// WeChat components.
    #[serde(default)]
    pub wechat_components: Vec<WechatComponent>,
    /// WeChat authorizers (mini programs).
    #[serde(default)]
    pub wechat_authorizers: Vec<WechatAuthorizer>,
    /// Ads apps.
    #[serde(default)]
    pub ads_apps: Vec<AdsApp>,
    /// Ads accounts.
    #[serde(default)]
    pub ads_accounts: Vec<AdsAccount>,
    /// A fault plan replacing the current one.
    #[serde(default)]
    pub faults: Option<FaultPlan>,
}

/// Why a seed could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SeedError {
    /// The file could not be read.
    #[error("cannot read seed file {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Not valid TOML of the seed shape.
    #[error("invalid TOML seed: {0}")]
    Toml(#[from] toml::de::Error),
    /// Not valid JSON of the seed shape.
    #[error("invalid JSON seed: {0}")]
    Json(#[from] serde_json::Error),
    /// A fault plan was refused.
    #[error(transparent)]
    Faults(#[from] crate::faults::FaultPlanError),
    /// A setting out of its allowed range.
    #[error("invalid setting: {0}")]
    Setting(String),
}

impl Seed {
    /// Parses a TOML seed.
    pub fn from_toml(text: &str) -> Result<Seed, SeedError> {
        Ok(toml::from_str(text)?)
    }

    /// Parses a JSON seed.
    pub fn from_json(text: &str) -> Result<Seed, SeedError> {
        Ok(serde_json::from_str(text)?)
    }

    /// Reads a seed file: JSON if its name ends in `.json`, TOML otherwise.
    pub fn from_path(path: &Path) -> Result<Seed, SeedError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| SeedError::Io { path: path.display().to_string(), source })?;
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            Seed::from_json(&text)
        } else {
            Seed::from_toml(&text)
        }
    }

    /// Adds `other` to `self`: lists are appended, set settings and a fault plan replace.
    pub fn merge(&mut self, other: Seed) {
        self.settings.merge(other.settings);
        self.tim_apps.extend(other.tim_apps);
        self.wechat_components.extend(other.wechat_components);
        self.wechat_authorizers.extend(other.wechat_authorizers);
        self.ads_apps.extend(other.ads_apps);
        self.ads_accounts.extend(other.ads_accounts);
        if other.faults.is_some() {
            self.faults = other.faults;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_toml_parses() {
        let doc = include_str!("seed.rs");
        let toml_text: String = doc
            .lines()
            .skip_while(|l| !l.starts_with("//! ```toml"))
            .skip(1)
            .take_while(|l| !l.starts_with("//! ```"))
            .map(|l| l.strip_prefix("//! ").unwrap_or("").to_owned() + "\n")
            .collect();
        let seed = Seed::from_toml(&toml_text).unwrap();
        assert_eq!(seed.tim_apps[0].sdkappid, 1_400_000_000);
        assert_eq!(seed.tim_apps[0].blocklists["alice"], vec!["bob"]);
        assert_eq!(seed.ads_accounts[0].materials[1].material_id, "456");
        assert_eq!(seed.faults.as_ref().unwrap().seed, 42);
        assert_eq!(seed.wechat_authorizers[0].ad_units[0].ad_slot, "SLOT_ID_WEAPP_BANNER");
        assert_eq!(seed.ads_apps[0].private_tokens[0].account_ids, [20_000_001]);
        let mut s = Settings::default();
        seed.settings.apply(&mut s);
        assert_eq!(s.tim_rate_limit, Some(200));
        assert_eq!(s.ads_watermark_delay, Duration::from_secs(3));
        assert!(format!("{:?}", seed.tim_apps[0]).contains("***"));
        assert!(!format!("{:?}", seed.tim_apps[0]).contains("secret-key"));
    }

    #[test]
    fn zero_turns_a_limit_off() {
        let mut s = Settings::default();
        SettingsPatch { tim_rate_limit: Some(0), ..Default::default() }.apply(&mut s);
        assert_eq!(s.tim_rate_limit, None);
    }
}
