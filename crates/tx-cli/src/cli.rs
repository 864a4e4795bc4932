//! The command line, as clap parses it.

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// tx: Tencent IM, WeChat AMS and Tencent Ads from the command line, with a built-in emulator.
///
/// Credentials come from flags, then environment variables, then a profile of the config
/// file (~/.config/tx/config.toml, or --config), in that order. Prefer the environment or
/// the config file for secrets: flags are visible in process lists.
#[derive(Debug, Parser)]
#[command(name = "tx", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Profile of the config file to read credentials and endpoints from.
    #[arg(long, global = true, env = "TX_PROFILE", default_value = "default")]
    pub profile: String,
    /// Config file [default: $XDG_CONFIG_HOME/tx/config.toml or ~/.config/tx/config.toml].
    #[arg(long, global = true, env = "TX_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print results as JSON, one object per line, instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
    /// Log requests and retries to stderr (-v info, -vv debug). Secrets are redacted.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate, verify or decode a TLSSigAPIv2 UserSig.
    #[command(subcommand)]
    Usersig(UsersigCommand),
    /// Tencent IM REST: blocklists and friends.
    Tim(TimArgs),
    /// Run the local emulator of the three APIs in the foreground.
    Emulator(tx_emulator::ServeArgs),
    /// Walk through the real flows against an emulator started in-process.
    Demo(DemoArgs),
}

/// SDKAppID and secret key, for the commands that sign.
#[derive(Debug, Clone, Args)]
pub struct AppArgs {
    /// The app's SDKAppID.
    #[arg(long, global = true, env = "TIM_SDK_APP_ID", value_name = "ID")]
    pub sdk_app_id: Option<u32>,
    /// The app's secret key (prefer TIM_SECRET_KEY or the config file).
    #[arg(long, global = true, env = "TIM_SECRET_KEY", hide_env_values = true, value_name = "KEY")]
    pub secret_key: Option<String>,
}

/// `tx usersig …`
#[derive(Debug, Subcommand)]
pub enum UsersigCommand {
    /// Generate a UserSig (optionally carrying a userbuf or a PrivateMapKey).
    Gen(UsersigGenArgs),
    /// Verify a UserSig: exit 0 if valid, 1 with the reason if not.
    Verify(UsersigVerifyArgs),
    /// Decode a UserSig without the key and print its fields.
    Decode(UsersigDecodeArgs),
}

/// A userbuf or a PrivateMapKey, for `gen` and `verify`.
#[derive(Debug, Clone, Args)]
pub struct UserbufArgs {
    /// An arbitrary userbuf, as hex.
    #[arg(long, value_name = "HEX", conflicts_with_all = ["room", "room_name"])]
    pub userbuf: Option<String>,
    /// A PrivateMapKey for this numeric TRTC room id.
    #[arg(long, value_name = "ID", conflicts_with = "room_name")]
    pub room: Option<u32>,
    /// A PrivateMapKey for this string TRTC room id (ASCII).
    #[arg(long, value_name = "NAME")]
    pub room_name: Option<String>,
    /// PrivateMapKey privilege bitmap (255 = all).
    #[arg(long, default_value_t = 255, value_name = "BITS")]
    pub privileges: u32,
}

/// `tx usersig gen`
#[derive(Debug, Args)]
pub struct UsersigGenArgs {
    #[command(flatten)]
    pub app: AppArgs,
    /// The UserID to sign for [default: the profile's or TIM_ADMIN's admin].
    #[arg(long, env = "TIM_ADMIN", value_name = "USERID")]
    pub identifier: Option<String>,
    /// Lifetime in seconds.
    #[arg(long, default_value_t = 180 * 86_400, value_name = "SECS")]
    pub expire: u64,
    /// zlib level 0-9 (every level verifies the same).
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(0..=9))]
    pub level: u32,
    #[command(flatten)]
    pub userbuf: UserbufArgs,
}

/// `tx usersig verify`
#[derive(Debug, Args)]
pub struct UsersigVerifyArgs {
    #[command(flatten)]
    pub app: AppArgs,
    /// The UserID it must have been issued to [default: the admin].
    #[arg(long, env = "TIM_ADMIN", value_name = "USERID")]
    pub identifier: Option<String>,
    /// Verify as of this Unix time (for a signature captured earlier) [default: now].
    #[arg(long, value_name = "UNIX")]
    pub now: Option<u64>,
    /// The room and privileges of an expected PrivateMapKey, or the expected userbuf. The
    /// expiry inside a PrivateMapKey is taken from the signature.
    #[command(flatten)]
    pub userbuf: UserbufArgs,
    /// The UserSig.
    pub usersig: String,
}

/// `tx usersig decode`
#[derive(Debug, Args)]
pub struct UsersigDecodeArgs {
    /// Print TLS.sig too (it is a credential; it is masked by default).
    #[arg(long)]
    pub show_signature: bool,
    /// The UserSig.
    pub usersig: String,
}

/// `tx tim …`: connection options and the command.
#[derive(Debug, Args)]
pub struct TimArgs {
    #[command(flatten)]
    pub conn: TimConnArgs,
    #[command(subcommand)]
    pub command: TimCommand,
}

/// How to reach Tencent IM.
#[derive(Debug, Clone, Args)]
pub struct TimConnArgs {
    #[command(flatten)]
    pub app: AppArgs,
    /// The app admin the calls are made as.
    #[arg(long, global = true, env = "TIM_ADMIN", value_name = "USERID")]
    pub admin: Option<String>,
    /// Region of the SDKAppID: china, singapore, seoul, tokyo, frankfurt, silicon-valley,
    /// jakarta, mumbai.
    #[arg(long, global = true, env = "TIM_REGION")]
    pub region: Option<String>,
    /// Base URL overriding the region (the emulator, a proxy).
    #[arg(long, global = true, env = "TIM_ENDPOINT", value_name = "URL")]
    pub endpoint: Option<String>,
    /// Client-side limit in calls per second per API (default 200, the documented quota).
    #[arg(long, global = true, value_name = "N")]
    pub rate_limit: Option<u32>,
    /// Requests in flight at once.
    #[arg(long, global = true, default_value_t = 16, value_name = "N")]
    pub concurrency: usize,
}

/// `tx tim …`
#[derive(Debug, Subcommand)]
pub enum TimCommand {
    /// Blocklists: add, delete, check, list.
    #[command(subcommand)]
    Blocklist(BlocklistCommand),
    /// Friends: add, delete, check, list.
    #[command(subcommand)]
    Friends(FriendsCommand),
}

/// Where the ids (or pairs) of a batch come from.
#[derive(Debug, Clone, Args)]
pub struct IdsArgs {
    /// The account whose list is changed or checked.
    #[arg(long, value_name = "USERID", required_unless_present = "pairs")]
    pub from: Option<String>,
    /// Ids given on the command line.
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// Read ids from a file, one per line ('-' = stdin). Streamed: files of any size.
    #[arg(long, value_name = "FILE", conflicts_with = "pairs")]
    pub from_file: Option<PathBuf>,
    /// Read (From_Account,To_Account) pairs from a CSV file ('-' = stdin), for bulk runs
    /// across many owners.
    #[arg(long, value_name = "CSV", conflicts_with_all = ["from", "ids"])]
    pub pairs: Option<PathBuf>,
}

/// Which way a blocklist check looks.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CheckKind {
    /// Both directions: is B on A's list, and A on B's.
    Both,
    /// Only whether B is on A's list.
    Single,
}

/// `tx tim blocklist …`
#[derive(Debug, Subcommand)]
pub enum BlocklistCommand {
    /// Add accounts to a blocklist.
    Add(IdsArgs),
    /// Remove accounts from a blocklist.
    Delete(IdsArgs),
    /// Check blocklist relations.
    Check {
        #[command(flatten)]
        ids: IdsArgs,
        /// Which way to look.
        #[arg(long = "type", value_enum, default_value = "both")]
        kind: CheckKind,
    },
    /// List a blocklist, page by page.
    List {
        /// Whose blocklist.
        #[arg(long, value_name = "USERID")]
        from: String,
    },
}

/// `tx tim friends …`
#[derive(Debug, Subcommand)]
pub enum FriendsCommand {
    /// Add friends (both ways, no confirmation, source "AddSource_Type_tx").
    Add(IdsArgs),
    /// Delete friends (both ways).
    Delete(IdsArgs),
    /// Check friendship relations (both ways).
    Check(IdsArgs),
    /// List an account's friends.
    List {
        /// Whose friends.
        #[arg(long, value_name = "USERID")]
        from: String,
    },
}

/// `tx demo`
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Pairs in the bulk step (one request each, paced at the 200/s quota).
    #[arg(long, default_value_t = 2000)]
    pub bulk: usize,
}
