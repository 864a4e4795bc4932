//! The command line, as clap parses it.

mod ads;
mod shared;
mod tim;
mod usersig;
mod wechat;

pub use ads::*;
pub use shared::*;
pub use tim::*;
pub use usersig::*;
pub use wechat::*;

use clap::{ArgAction, Args, Parser, Subcommand};
use std::path::PathBuf;

/// tx: Tencent IM, WeChat AMS and Tencent Ads from the command line, with a built-in emulator.
///
/// Settings come from flags, then environment variables, then a profile of the config file
/// (~/.config/tx/config.toml, or --config). Prefer the environment or the config file for
/// secrets: flags are visible in process lists.
///
/// With --json every command prints one JSON object per record and a summary object
/// (docs/cli-output.md); without it, a table. Exit codes: 0 all ok, 1 some items failed,
/// 2 bad input (nothing sent), 3 configuration or credentials, 4 the service failed or
/// could not be reached, 5 stopped before every item was tried.
#[derive(Debug, Parser)]
#[command(name = "tx", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Log requests and retries to stderr (-v info, -vv debug, -vvv trace). Secrets are redacted.
    #[arg(short, long, global = true, action = ArgAction::Count, help_heading = "Global options")]
    pub verbose: u8,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate, verify or decode a TLSSigAPIv2 UserSig.
    Usersig(UsersigArgs),
    /// Tencent IM REST: blocklists, friends and accounts.
    Tim(TimArgs),
    /// WeChat third-party platform: pushes, tokens, mini-program ad (AMS) agency actions.
    Wechat(WechatArgs),
    /// Tencent Ads Marketing API: OAuth, warning texts on materials, material tasks.
    Ads(AdsArgs),
    /// Run the local emulator of the three APIs in the foreground.
    #[cfg(feature = "emulator")]
    Emulator(tx_emulator::ServeArgs),
    /// Walk through the real flows against an emulator started in-process.
    #[cfg(feature = "emulator")]
    Demo(DemoArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
}

/// Where settings come from.
#[derive(Debug, Clone, Args)]
pub struct ProfileArgs {
    /// Profile of the config file to read settings from.
    #[arg(long, global = true, env = "TX_PROFILE", default_value = "default", help_heading = "Configuration")]
    pub profile: String,
    /// Config file [default: $XDG_CONFIG_HOME/tx/config.toml or ~/.config/tx/config.toml].
    #[arg(long, global = true, env = "TX_CONFIG", value_name = "FILE", help_heading = "Configuration")]
    pub config: Option<PathBuf>,
}

/// Where tokens are kept between runs.
#[derive(Debug, Clone, Args)]
pub struct StateArgs {
    /// Directory of the token journal (tokens, refresh tokens, WeChat's ticket) kept between
    /// runs [env: TX_STATE_DIR; default: $XDG_STATE_HOME/tx/<profile> or ~/.local/state/tx/<profile>].
    #[arg(long, global = true, value_name = "DIR", help_heading = "Configuration")]
    pub state_dir: Option<PathBuf>,
}

/// How results are printed.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Print one JSON object per record, then a summary object (docs/cli-output.md),
    /// instead of a table.
    #[arg(long, global = true, help_heading = "Output")]
    pub json: bool,
}

/// `tx demo`
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Pairs in the bulk step (one request each, paced at the 200/s quota).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub bulk: u64,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `tx completions`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
