//! `tx`: Tencent IM, WeChat AMS and Tencent Ads from the command line, with a built-in
//! emulator. This library part holds the command-line definition (for the man page and
//! shell completions) and [`main`], which the `tx` binary calls.
//!
//! What `tx` prints is a contract: one documented JSON object per record with `--json`
//! (`docs/cli-output.md`), a table otherwise, and the exit codes of [`exit`].

mod cli;
mod commands;
pub mod exit;
mod input;
mod output;
mod progress;
mod run;
mod settings;
mod state;

use clap::{CommandFactory, Parser};
use std::io::IsTerminal;
use std::process::ExitCode;

/// The full command-line definition, for generated documentation.
pub fn command() -> clap::Command {
    cli::Cli::command()
}

/// Parses the command line, runs the command and returns its exit code.
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tx: cannot start the async runtime: {e}");
            return ExitCode::from(exit::SERVICE);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("tx: {e}");
            ExitCode::from(e.code())
        }
    }
}

fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => return,
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(format!(
            "warn,tx_core={level},tim_sns={level},wechat_ams={level},tencent_ads={level}"
        ))
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}
