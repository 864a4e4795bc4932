//! `tx`: Tencent IM, WeChat AMS and Tencent Ads from the command line, with a built-in
//! emulator. `tx --help` lists the commands; `tx demo` walks through them offline.
//!
//! Exit codes: 0 success; 1 some items failed (or a UserSig did not verify); 2 bad usage or
//! input, nothing sent; 3 missing or refused credentials; 4 the service refused the call or
//! could not be reached.

mod cli;
mod commands;
mod config;
mod error;
mod input;
mod output;
mod progress;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging(cli.global.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tx: cannot start the async runtime: {e}");
            return ExitCode::from(error::exit::API);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tx: {e}");
            e.exit_code()
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
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("warn,tx_core={level},tim_sns={level}")));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}
