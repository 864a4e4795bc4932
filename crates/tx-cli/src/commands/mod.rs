//! The commands.

mod ads;
mod completions;
#[cfg(feature = "emulator")]
mod demo;
#[cfg(feature = "emulator")]
mod emulator;
mod tim;
mod usersig;
mod wechat;

use crate::cli::{Cli, Command};
use crate::exit::CliError;
use crate::settings;

/// Runs the parsed command line; returns the exit code.
pub async fn run(cli: Cli) -> Result<u8, CliError> {
    match cli.command {
        Command::Usersig(args) => {
            let config = settings::load(&args.profile)?;
            usersig::run(args.command, config, args.output.json)
        }
        Command::Tim(args) => {
            let config = settings::load(&args.profile)?;
            tim::run(args, config).await
        }
        Command::Wechat(args) => {
            let config = settings::load(&args.profile)?;
            wechat::run(args, config).await
        }
        Command::Ads(args) => {
            let config = settings::load(&args.profile)?;
            ads::run(args, config).await
        }
        #[cfg(feature = "emulator")]
        Command::Emulator(args) => emulator::run(args).await,
        #[cfg(feature = "emulator")]
        Command::Demo(args) => demo::run(args).await,
        Command::Completions(args) => completions::run(&args),
    }
}
