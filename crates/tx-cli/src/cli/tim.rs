//! `tx tim …`

use super::{OutputArgs, ProfileArgs, SharedStateArgs};
use clap::builder::PossibleValuesParser;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use tx_sdk::tim::Region;

/// `tx tim …`: settings, output and the command.
#[derive(Debug, Args)]
pub struct TimArgs {
    #[command(flatten)]
    pub profile: ProfileArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub conn: TimConnArgs,
    /// The command.
    #[command(subcommand)]
    pub command: TimCommand,
}

fn regions() -> PossibleValuesParser {
    PossibleValuesParser::new(Region::ALL.iter().map(|r| r.name()))
}

/// How to reach Tencent IM. Each flag also comes from its variable (TIM_…) or the
/// profile's `tim` section.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Connection")]
pub struct TimConnArgs {
    /// The app's SDKAppID [env: TIM_SDK_APP_ID].
    #[arg(long, global = true, value_name = "ID")]
    pub sdk_app_id: Option<String>,
    /// The app's secret key. Visible in process lists: prefer TIM_SECRET_KEY or the config file.
    #[arg(long, global = true, value_name = "KEY")]
    pub secret_key: Option<String>,
    /// The app admin the calls are made as [env: TIM_ADMIN; default: administrator].
    #[arg(long, global = true, value_name = "USERID")]
    pub admin: Option<String>,
    /// Region of the SDKAppID [env: TIM_REGION; default: china].
    #[arg(long, global = true, value_parser = regions())]
    pub region: Option<String>,
    /// Base URL replacing the region's hosts: the emulator, a proxy [env: TIM_ENDPOINT].
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Client-side limit in calls per second per API, or `off` [env: TIM_RATE_LIMIT; default: 200].
    #[arg(long, global = true, value_name = "N|off")]
    pub rate_limit: Option<String>,
    /// Requests in flight at once, 1 to 1000.
    #[arg(long, global = true, default_value_t = 16, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub concurrency: u16,
    #[command(flatten)]
    pub shared: SharedStateArgs,
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
    /// Accounts of the app: import, check, delete.
    #[command(subcommand)]
    Account(AccountCommand),
}

/// The (From, To) pairs of a run: one owner with ids, ids from a file, or CSV pairs.
#[derive(Debug, Clone, Args)]
pub struct IdsArgs {
    /// The account whose list is changed or checked.
    #[arg(long, value_name = "USERID", required_unless_present = "pairs")]
    pub from: Option<String>,
    /// Ids given on the command line.
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// Read ids from a file, one per line ('-' = stdin). Checked in full, then streamed.
    #[arg(long, value_name = "FILE", conflicts_with = "pairs")]
    pub from_file: Option<PathBuf>,
    /// Read From_Account,To_Account pairs from a CSV file ('-' = stdin): a header row is
    /// optional, quotes, a BOM and CRLF are fine.
    #[arg(long, value_name = "CSV", conflicts_with_all = ["from", "ids"])]
    pub pairs: Option<PathBuf>,
    #[command(flatten)]
    pub resume: ResumeArgs,
}

/// Where the items never tried go when a run stops early.
#[derive(Debug, Clone, Args)]
pub struct ResumeArgs {
    /// When the run stops before every item was tried, write those items to FILE in the
    /// input's format, to run them again.
    #[arg(long, value_name = "FILE")]
    pub remaining: Option<PathBuf>,
}

/// Which way a check looks.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CheckKind {
    /// Both directions: B on A's list, and A on B's.
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
    /// Add friends both ways, without confirmation.
    Add {
        #[command(flatten)]
        ids: IdsArgs,
        /// The AddSource suffix (AddSource_Type_<SOURCE>).
        #[arg(long, default_value = "tx", value_name = "SOURCE")]
        source: String,
    },
    /// Delete friends.
    Delete {
        #[command(flatten)]
        ids: IdsArgs,
        /// Single: B leaves A's list only; both: each leaves the other's.
        #[arg(long = "type", value_enum, default_value = "both")]
        kind: CheckKind,
    },
    /// Check friendship relations.
    Check {
        #[command(flatten)]
        ids: IdsArgs,
        /// Which way to look.
        #[arg(long = "type", value_enum, default_value = "both")]
        kind: CheckKind,
    },
    /// List an account's friends.
    List {
        /// Whose friends.
        #[arg(long, value_name = "USERID")]
        from: String,
    },
}

/// Accounts of a run: ids, or ids from a file.
#[derive(Debug, Clone, Args)]
pub struct AccountsArgs {
    /// UserIDs given on the command line.
    #[arg(value_name = "USERID")]
    pub ids: Vec<String>,
    /// Read UserIDs from a file, one per line ('-' = stdin). Checked in full, then streamed.
    #[arg(long, value_name = "FILE")]
    pub from_file: Option<PathBuf>,
    #[command(flatten)]
    pub resume: ResumeArgs,
}

/// `tx tim account …`
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Import (create) accounts; importing an existing one succeeds.
    Import(AccountsArgs),
    /// Check whether accounts exist.
    Check(AccountsArgs),
    /// Delete accounts.
    Delete(AccountsArgs),
}
