//! Project automation: `cargo xtask <command>`.
//!
//! - `test`: the project's test command (the README's and CI's): every workspace test
//!   (with a `redis-server` installed first for the shared-state tests), the doc tests,
//!   the umbrella crate's per-feature builds, and the cross-check against the official
//!   UserSig libraries.
//! - `features`: the umbrella crate with each platform feature alone.
//! - `ci`: formatting, clippy, then `test`: what `.ci/run` runs.
//! - `crosscheck`: our UserSig against the official PyPI and npm packages, and our WeChat
//!   push encryption against PyPI wechatpy.
//! - `bench <suite>`: benchmarks that print ratios against baselines measured in the same run.
//! - `fuzz`: builds and runs the fuzz targets of `fuzz/` and prints executions and crashes
//!   per target (`--smoke` for a short run of each).
//! - `man [DIR]`: the `tx` man pages (default `target/man`).
//! - `soak`: about 100,000 operations over the three platforms with 20% of requests faulted,
//!   finished and interrupted-then-resumed, checked against the emulator's state.

mod bench;
mod crosscheck;
mod crosscheck_wechat;
mod features;
mod fuzz;
mod man;
mod process;
mod soak;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "tx project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs every test: workspace tests, doc tests and the UserSig cross-check.
    Test,
    /// Runs `cargo fmt --check`, clippy with warnings denied, then `test`.
    Ci,
    /// Checks our UserSig against the official Python and Node implementations, and our
    /// WeChat push encryption against wechatpy.
    Crosscheck,
    /// Checks that the umbrella crate builds with each platform feature alone.
    Features,
    /// Runs a benchmark suite and prints its figures with same-run baselines.
    Bench {
        /// The suite.
        suite: bench::Suite,
    },
    /// Builds the fuzz targets with cargo-fuzz and runs them one at a time.
    Fuzz(fuzz::Options),
    /// Writes the `tx` man pages (default directory: target/man).
    Man {
        /// Where to write them.
        dir: Option<std::path::PathBuf>,
    },
    /// Runs the fault soak: `--ops N`, `--faults SHARE`, `--seed N` go to the soak.
    Soak {
        /// Arguments for the soak binary.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Test => test(),
        Command::Ci => ci(),
        Command::Crosscheck => crosscheck(),
        Command::Features => features::run(),
        Command::Bench { suite } => bench::run(suite),
        Command::Fuzz(options) => fuzz::run(options),
        Command::Soak { args } => soak::run(&args),
        Command::Man { dir } => man::run(dir),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn test() -> Result<(), String> {
    let redis = process::redis_server()?;
    process::cargo_with_env(&["test", "--workspace", "--all-features"], &[("TX_REDIS_SERVER", &redis)])?;
    features::run()?;
    crosscheck()
}

fn crosscheck() -> Result<(), String> {
    crosscheck::run()?;
    crosscheck_wechat::run()
}

fn ci() -> Result<(), String> {
    process::cargo(&["fmt", "--all", "--check"])?;
    process::cargo(&["clippy", "--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"])?;
    test()
}
