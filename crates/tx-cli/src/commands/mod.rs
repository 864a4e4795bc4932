//! The commands.

mod demo;
mod emulator;
mod tim;
mod usersig;

use crate::cli::{Cli, Command};
use crate::config;
use crate::error::CliError;
use crate::output::Printer;

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let mut out = Printer::new(cli.global.json);
    match cli.command {
        Command::Usersig(command) => {
            let profile = config::load(cli.global.config.as_deref(), &cli.global.profile)?;
            usersig::run(command, &profile, &mut out)
        }
        Command::Emulator(args) => emulator::run(args).await,
        Command::Tim(args) => {
            let profile = config::load(cli.global.config.as_deref(), &cli.global.profile)?;
            tim::run(args, &profile, &mut out).await
        }
        Command::Demo(args) => demo::run(args).await,
    }
}
