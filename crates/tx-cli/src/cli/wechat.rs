//! `tx wechat …`

use super::{OutputArgs, ProfileArgs, ResumeArgs, SharedStateArgs, StateArgs};
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use std::path::PathBuf;

/// `tx wechat …`: settings, output and the command.
#[derive(Debug, Args)]
pub struct WechatArgs {
    #[command(flatten)]
    pub profile: ProfileArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub conn: WechatConnArgs,
    #[command(flatten)]
    pub state: StateArgs,
    /// The command.
    #[command(subcommand)]
    pub command: WechatCommand,
}

/// How to reach WeChat. Each flag also comes from its variable (WECHAT_…) or the profile's
/// `wechat` section; the message token and EncodingAESKey only from WECHAT_COMPONENT_TOKEN
/// and WECHAT_COMPONENT_AES_KEY or the profile (message_token, encoding_aes_key).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Connection")]
pub struct WechatConnArgs {
    /// The third-party platform's (component's) AppID [env: WECHAT_COMPONENT_APPID].
    #[arg(long, global = true, value_name = "APPID")]
    pub component_appid: Option<String>,
    /// The platform's AppSecret. Visible in process lists: prefer WECHAT_COMPONENT_SECRET or
    /// the config file.
    #[arg(long, global = true, value_name = "SECRET")]
    pub component_secret: Option<String>,
    /// Base URL replacing https://api.weixin.qq.com/: the emulator, a proxy [env: WECHAT_ENDPOINT].
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,
    /// AMS calls per minute per (mini program, action), or `off` [env: WECHAT_RATE_LIMIT; default: off].
    #[arg(long, global = true, value_name = "N|off")]
    pub rate_limit: Option<String>,
    /// Mini programs worked on at once, 1 to 1000.
    #[arg(long, global = true, default_value_t = 16, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub concurrency: u16,
    #[command(flatten)]
    pub shared: SharedStateArgs,
}

/// `tx wechat …`
#[derive(Debug, Subcommand)]
pub enum WechatCommand {
    /// Receive a push to the authorization-event URL from a file or stdin: verify, decrypt,
    /// keep its ticket (or exchange its authorization code) and print the event.
    Ticket(TicketArgs),
    /// Show the ticket, the component token and authorizers' tokens: present and until
    /// when, never their values.
    Token(TokenArgs),
    /// Mini-program ad (AMS) agency actions on authorized mini programs.
    #[command(subcommand)]
    Ams(AmsCommand),
}

/// `tx wechat ticket`
#[derive(Debug, Args)]
pub struct TicketArgs {
    /// The push: its XML body (with --query), or a capture {"query": "…", "body": "…"} as
    /// the emulator's /_emulator/wechat/event answers it; '-' = stdin [default: stdin].
    #[arg(value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// The query string of the push request (timestamp, nonce, msg_signature, …), with or
    /// without '?', or the whole URL the push was POSTed to.
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
}

/// `tx wechat token`
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Also show this mini program's tokens (repeatable).
    #[arg(long = "authorizer", value_name = "APPID")]
    pub authorizers: Vec<String>,
    /// First get the tokens that are missing or about to expire: the component token with
    /// the kept ticket, authorizer tokens with their refresh tokens (recovered from
    /// api_get_authorizer_list when none is kept).
    #[arg(long)]
    pub fetch: bool,
}

/// `tx wechat ams …`
#[derive(Debug, Subcommand)]
pub enum AmsCommand {
    /// The industry categories mini programs refuse ads from: get, set, ensure.
    #[command(subcommand)]
    Category(CategoryCommand),
    /// The advertisers mini programs refuse ads from: get, add, remove.
    #[command(subcommand)]
    Blacklist(BlacklistCommand),
    /// A mini program's ad units: list, create, update, code.
    #[command(subcommand)]
    Adunit(AdunitCommand),
    /// A mini program's statistics per day and ad slot (or ad unit) over a date range.
    Stats(StatsArgs),
    /// A mini program's half-month settlements overlapping a date range.
    Settlement(SettlementArgs),
}

/// The mini programs of a run: AppIDs as flags, or from a file.
#[derive(Debug, Clone, Args)]
pub struct AppidsArgs {
    /// A mini program's AppID (repeatable).
    #[arg(long = "appid", value_name = "APPID", required_unless_present = "appids")]
    pub appid: Vec<String>,
    /// Read AppIDs from a file, one per line ('-' = stdin). Checked in full, then streamed.
    #[arg(long, value_name = "FILE", conflicts_with = "appid")]
    pub appids: Option<PathBuf>,
    #[command(flatten)]
    pub resume: ResumeArgs,
}

/// The categories of `set` and `ensure`.
#[derive(Debug, Clone, Args)]
pub struct CategoriesArg {
    /// The categories, separated by ',' or '|' (CHESS,LOAN); '' for none. One of CHESS,
    /// ADULT_SUPPLIES, MEDICAL_HEALTH, INSURANCE, SECURITES (sic), LOAN,
    /// LIVING_SERVICES_BEAUTY, LIVING_SERVICES_ENTERTAINMENT, LIVING_SERVICES_OTHERS,
    /// FOOD_INDUSTRY, RETAIL_AND_GENERAL_MERCHANDISE, FOOD_AND_DRINK, TECHNICAL_SERVICE.
    #[arg(long, value_name = "LIST", allow_hyphen_values = false)]
    pub categories: String,
}

/// `tx wechat ams category …`
#[derive(Debug, Subcommand)]
pub enum CategoryCommand {
    /// Read each mini program's blocked categories.
    Get(AppidsArgs),
    /// Replace each mini program's blocked categories (one write each, without reading).
    Set {
        #[command(flatten)]
        targets: AppidsArgs,
        #[command(flatten)]
        categories: CategoriesArg,
    },
    /// Make each mini program block exactly these categories: read, write only where they
    /// differ; each record says unchanged, or changed with before and after.
    Ensure {
        #[command(flatten)]
        targets: AppidsArgs,
        #[command(flatten)]
        categories: CategoriesArg,
    },
}

/// The advertisers of `add` and `remove`; at least one.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("advertisers").required(true).multiple(true)))]
pub struct AdvertisersArgs {
    /// An official account (its original id, gh_…); at most 20 blocked.
    #[arg(long, value_name = "ID", group = "advertisers")]
    pub official_account: Vec<String>,
    /// An iOS app (its APPID); at most 10 blocked.
    #[arg(long, value_name = "ID", group = "advertisers")]
    pub ios_app: Vec<String>,
    /// An Android app (its package name); at most 10 blocked.
    #[arg(long, value_name = "ID", group = "advertisers")]
    pub android_app: Vec<String>,
    /// A mini program or mini game (its original id); at most 20 blocked.
    #[arg(long, value_name = "ID", group = "advertisers")]
    pub mini_program: Vec<String>,
}

/// `tx wechat ams blacklist …`
#[derive(Debug, Subcommand)]
pub enum BlacklistCommand {
    /// Read each mini program's blocked advertisers.
    Get(AppidsArgs),
    /// Block advertisers on each mini program (those blocked already stay; past a type's
    /// cap an advertiser is refused, code 2035).
    Add {
        #[command(flatten)]
        targets: AppidsArgs,
        #[command(flatten)]
        advertisers: AdvertisersArgs,
    },
    /// Unblock advertisers on each mini program.
    Remove {
        #[command(flatten)]
        targets: AppidsArgs,
        #[command(flatten)]
        advertisers: AdvertisersArgs,
    },
}

/// An ad slot, by a short name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SlotArg {
    /// SLOT_ID_WEAPP_BANNER
    Banner,
    /// SLOT_ID_WEAPP_REWARD_VIDEO
    RewardVideo,
    /// SLOT_ID_WEAPP_INTERSTITIAL
    Interstitial,
    /// SLOT_ID_WEAPP_VIDEO_FEEDS
    VideoFeeds,
    /// SLOT_ID_WEAPP_VIDEO_BEGIN
    VideoBegin,
    /// SLOT_ID_WEAPP_COVER
    Cover,
    /// SLOT_ID_WEAPP_TEMPLATE
    Template,
    /// SLOT_ID_WEAPP_BOX
    Box,
}

/// One mini program.
#[derive(Debug, Clone, Args)]
pub struct AppidArg {
    /// The mini program's AppID.
    #[arg(long, value_name = "APPID")]
    pub appid: String,
}

/// `tx wechat ams adunit …`
#[derive(Debug, Subcommand)]
pub enum AdunitCommand {
    /// List the ad units (every slot but the cover), newest first.
    List {
        #[command(flatten)]
        appid: AppidArg,
        /// Only this slot's units.
        #[arg(long, value_enum)]
        slot: Option<SlotArg>,
    },
    /// Create an ad unit and print it.
    Create {
        #[command(flatten)]
        appid: AppidArg,
        /// Its name.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// Its slot.
        #[arg(long, value_enum)]
        slot: SlotArg,
        /// Reward video: the shortest video in seconds (6).
        #[arg(long, value_name = "SECS")]
        video_min: Option<u32>,
        /// Reward video: the longest video in seconds (15, 30 or 60).
        #[arg(long, value_name = "SECS")]
        video_max: Option<u32>,
        /// Template slot: the template type.
        #[arg(long, value_name = "N")]
        tmpl_type: Option<i64>,
        /// Template slot: a template id.
        #[arg(long, value_name = "ID")]
        tmpl_id: Option<String>,
    },
    /// Rename an ad unit or switch it on or off, and print it.
    Update {
        #[command(flatten)]
        appid: AppidArg,
        /// The unit.
        #[arg(long = "id", value_name = "AD_UNIT_ID")]
        id: String,
        /// Its new name [default: its name].
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Switch it on.
        #[arg(long, conflicts_with = "off")]
        on: bool,
        /// Switch it off.
        #[arg(long)]
        off: bool,
    },
    /// Print the snippet that places an ad unit in a page.
    Code {
        #[command(flatten)]
        appid: AppidArg,
        /// The unit.
        #[arg(long = "id", value_name = "AD_UNIT_ID")]
        id: String,
    },
}

/// A date range.
#[derive(Debug, Clone, Args)]
pub struct DatesArgs {
    /// The first day, yyyy-mm-dd.
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// The last day, yyyy-mm-dd.
    #[arg(long, value_name = "DATE")]
    pub to: String,
}

/// What statistics are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsBy {
    /// Per day and ad slot (agency_get_adpos_genenral).
    Slot,
    /// Per ad unit and day (agency_get_adunit_general).
    Unit,
}

/// `tx wechat ams stats`
#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub appid: AppidArg,
    #[command(flatten)]
    pub dates: DatesArgs,
    /// Rows per day and slot, or per unit.
    #[arg(long, value_enum, default_value = "slot")]
    pub by: StatsBy,
}

/// `tx wechat ams settlement`
#[derive(Debug, Args)]
pub struct SettlementArgs {
    #[command(flatten)]
    pub appid: AppidArg,
    #[command(flatten)]
    pub dates: DatesArgs,
}
