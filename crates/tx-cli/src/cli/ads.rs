//! `tx ads …`

use super::{OutputArgs, ProfileArgs, ResumeArgs, SharedStateArgs, StateArgs};
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use std::path::PathBuf;

/// `tx ads …`: settings, output and the command.
#[derive(Debug, Args)]
pub struct AdsArgs {
    #[command(flatten)]
    pub profile: ProfileArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub conn: AdsConnArgs,
    #[command(flatten)]
    pub state: StateArgs,
    /// The command.
    #[command(subcommand)]
    pub command: AdsCommand,
}

/// How to reach the Marketing API. Each flag also comes from its variable (ADS_…) or the
/// profile's `ads` section; a private app's token only from ADS_ACCESS_TOKEN or the profile
/// (access_token).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Connection")]
pub struct AdsConnArgs {
    /// The app's client_id [env: ADS_CLIENT_ID].
    #[arg(long, global = true, value_name = "ID")]
    pub client_id: Option<String>,
    /// The app's client_secret. Visible in process lists: prefer ADS_CLIENT_SECRET or the
    /// config file.
    #[arg(long, global = true, value_name = "SECRET")]
    pub client_secret: Option<String>,
    /// Base URL replacing every host of the API: the emulator, a proxy [env: ADS_ENDPOINT].
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The app's quota in calls per minute per endpoint, or `off` [env: ADS_RATE_LIMIT; default: off].
    #[arg(long, global = true, value_name = "N|off")]
    pub rate_limit: Option<String>,
    /// Requests of 100 materials in flight at once, 1 to 1000.
    #[arg(long, global = true, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub concurrency: u16,
    #[command(flatten)]
    pub shared: SharedStateArgs,
}

/// `tx ads …`
#[derive(Debug, Subcommand)]
pub enum AdsCommand {
    /// OAuth 2.0: the authorize URL, the code exchange, the refresh; tokens kept per account.
    #[command(subcommand)]
    Oauth(OauthCommand),
    /// Warning texts (警示语) on images: add, get.
    #[command(subcommand)]
    Watermark(WatermarkCommand),
    /// Warning-text jobs for images and videos (material_async_tasks): add, get, wait.
    #[command(subcommand)]
    Task(TaskCommand),
}

/// `tx ads oauth …`
#[derive(Debug, Subcommand)]
pub enum OauthCommand {
    /// Print the page to send the user to; they come back to REDIRECT_URI with an
    /// authorization_code.
    Url {
        /// Where the user comes back, as registered for the app (no port).
        #[arg(long, value_name = "URI")]
        redirect_uri: String,
        /// An opaque value the callback carries back.
        #[arg(long, value_name = "STATE")]
        state: Option<String>,
        /// A permission to ask for (repeatable) [default: all of the app's].
        #[arg(long, value_name = "SCOPE")]
        scope: Vec<String>,
    },
    /// Exchange an authorization code for the account's tokens, and keep them.
    Exchange {
        /// The redirect URI of the authorize URL, character for character.
        #[arg(long, value_name = "URI")]
        redirect_uri: String,
        /// The authorization_code, or the whole callback URL carrying it; '-' = stdin
        /// [default: stdin]. An argument is visible in process lists: prefer stdin.
        #[arg(value_name = "CODE|URL")]
        code: Option<String>,
    },
    /// Get a new access token for an account with its kept refresh token now.
    Refresh(AccountArg),
    /// Show what is kept for an account: until when its tokens are valid, never their values.
    Status(AccountArg),
}

/// One advertiser account.
#[derive(Debug, Clone, Args)]
pub struct AccountArg {
    /// The advertiser account id.
    #[arg(long, value_name = "ID")]
    pub account: i64,
}

/// A prescribed warning text, by a short name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PresetText {
    /// 贷款有风险，借款需谨慎
    LoanRisk,
    /// 贷款额度/放款时间等以实际审批为准
    LoanLimitAndTiming,
    /// 具体金额以实际审批为准
    LoanAmount,
    /// 信用分以实际评估为准
    LoanCreditScore,
    /// 创业/加盟有风险，投资需谨慎
    Franchise,
    /// 内容虚构，请树立正确价值观
    FictionalContent,
    /// 具体价格以实际装修方案为准
    HomeFurnishing,
}

/// The warning texts of a run: 1 to 10, as text or prescribed.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("texts").required(true).multiple(true)))]
pub struct TextsArgs {
    /// A warning text (repeatable).
    #[arg(long = "text", value_name = "TEXT", group = "texts")]
    pub text: Vec<String>,
    /// A prescribed warning text (repeatable).
    #[arg(long = "preset", value_enum, value_name = "NAME", group = "texts")]
    pub preset: Vec<PresetText>,
}

/// The materials of a run: ids as flags, or from a file.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("materials").required(true)))]
pub struct MaterialsArgs {
    /// A material id (repeatable).
    #[arg(long = "material", value_name = "ID", group = "materials")]
    pub material: Vec<String>,
    /// Read material ids from a file, one per line ('-' = stdin). Checked in full, then streamed.
    #[arg(long, value_name = "FILE", group = "materials")]
    pub from_file: Option<PathBuf>,
}

/// How long to wait for results.
#[derive(Debug, Clone, Args)]
pub struct WaitArgs {
    /// Wait until the texts are on (or refused), polling on a backoff from 2 s to 30 s.
    #[arg(long)]
    pub wait: bool,
    /// Give up waiting after this many seconds (with --wait).
    #[arg(long, value_name = "SECS", default_value_t = 600, requires = "wait", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
}

/// `tx ads watermark …`
#[derive(Debug, Subcommand)]
pub enum WatermarkCommand {
    /// Add warning texts to images: one record per material.
    Add {
        #[command(flatten)]
        account: AccountArg,
        #[command(flatten)]
        texts: TextsArgs,
        #[command(flatten)]
        materials: MaterialsArgs,
        #[command(flatten)]
        wait: WaitArgs,
        #[command(flatten)]
        resume: ResumeArgs,
    },
    /// Show warning-text records: the ones named, or every record of the account.
    Get {
        #[command(flatten)]
        account: AccountArg,
        /// A record id (repeatable) [default: every record].
        #[arg(long = "record", value_name = "ID")]
        record: Vec<String>,
    },
}

/// The kind of the materials of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MaterialKind {
    /// Images.
    Image,
    /// Videos.
    Video,
}

/// One job.
#[derive(Debug, Clone, Args)]
pub struct JobArg {
    /// The job id `task add` printed.
    #[arg(long, value_name = "JOB_ID")]
    pub job: String,
}

/// `tx ads task …`
#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// Start a job adding warning texts to 1 to 100 materials of one kind; prints its id.
    Add {
        #[command(flatten)]
        account: AccountArg,
        /// The kind of the materials.
        #[arg(long = "type", value_enum, default_value = "image")]
        kind: MaterialKind,
        #[command(flatten)]
        texts: TextsArgs,
        /// A material id (repeatable, 1 to 100).
        #[arg(long = "material", value_name = "ID", required = true)]
        material: Vec<String>,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Show a job's tasks, one per material.
    Get {
        #[command(flatten)]
        account: AccountArg,
        #[command(flatten)]
        job: JobArg,
    },
    /// Wait until a job's tasks are done, then show them.
    Wait {
        #[command(flatten)]
        account: AccountArg,
        #[command(flatten)]
        job: JobArg,
        /// Give up waiting after this many seconds.
        #[arg(long, value_name = "SECS", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=86_400))]
        timeout: u64,
    },
}
