//! `cargo xtask fuzz`: builds the libFuzzer binaries of `fuzz/` with cargo-fuzz on the
//! stable toolchain (`--sanitizer none`, see `fuzz/README.md`), writes the seed corpora,
//! runs the targets one at a time under `nice -n 19`, and prints executions, speed and
//! crashes per target.
//!
//! - `--minutes N` (default 1) or `--runs N` (a fixed number of executions) per target;
//! - `--target NAME` runs one target (default: all);
//! - `--smoke`: 20,000 executions of each target, a quick check that each builds and runs;
//! - `--max-len N` overrides the target's longest input.
//!
//! Everything lives under `$CARGO_TARGET_DIR` (default `target/`): `fuzz/build` (the
//! instrumented build), `fuzz/seeds/<target>` (written afresh each run), `fuzz/corpus/<target>`
//! (what the fuzzer found, kept between runs), `fuzz/artifacts/<target>` (crash inputs) and
//! `fuzz/logs/<target>.log`. A crash input worth keeping goes to `fuzz/regressions/<target>/`,
//! which the replay test (`cargo test -p tx-fuzz`) runs as an ordinary test.

use crate::process::{self, Tool};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The targets with the longest input each is fed.
const TARGETS: [(&str, usize); 9] = [
    ("envelope_tim", 4096),
    ("envelope_wechat", 4096),
    ("envelope_ads", 4096),
    ("lenient", 1024),
    ("usersig", 2048),
    ("wechat_push", 4096),
    ("cli_input", 2048),
    ("config_profile", 2048),
    ("emulator", 1024),
];

/// Executions of each target in a smoke run.
const SMOKE_RUNS: u64 = 20_000;

/// How long and what to fuzz.
#[derive(Debug, clap::Args)]
pub struct Options {
    /// Minutes per target (default 1).
    #[arg(long, conflicts_with_all = ["runs", "smoke"])]
    minutes: Option<f64>,
    /// Executions per target.
    #[arg(long, conflicts_with = "smoke")]
    runs: Option<u64>,
    /// Only this target.
    #[arg(long)]
    target: Option<String>,
    /// A short run of every target (20,000 executions each).
    #[arg(long)]
    smoke: bool,
    /// The longest input, overriding the target's default.
    #[arg(long)]
    max_len: Option<usize>,
}

/// One target's figures.
struct Outcome {
    target: &'static str,
    executions: u64,
    seconds: f64,
    crashes: Vec<PathBuf>,
    exit_ok: bool,
}

pub fn run(options: Options) -> Result<(), String> {
    let targets: Vec<(&'static str, usize)> = match &options.target {
        Some(name) => vec![
            *TARGETS
                .iter()
                .find(|(t, _)| t == name)
                .ok_or_else(|| format!("no target {name}; targets: {}", names().join(", ")))?,
        ],
        None => TARGETS.to_vec(),
    };
    let cargo_fuzz = match process::script_tool("xtask/scripts/ensure-cargo-fuzz.sh", "crates.io")? {
        Tool::Ready(path) => path,
        Tool::Unreachable(why) => return Err(format!("cargo-fuzz is not available: {why}")),
    };
    let base = target_dir().join("fuzz");
    let build_dir = base.join("build");
    let seeds = base.join("seeds");
    let _ = std::fs::remove_dir_all(&seeds);
    process::cargo(&["run", "-q", "-p", "tx-fuzz", "--bin", "tx-fuzz-seeds", "--", &path_str(&seeds)?])?;
    let started = Instant::now();
    let mut build = Command::new(&cargo_fuzz);
    // No `-O`: cargo-fuzz's default is an optimized build *with* debug assertions and
    // overflow checks, which `-O` would turn off.
    build.args(["fuzz", "build", "--fuzz-dir", "fuzz/libfuzzer", "--sanitizer", "none", "--target-dir"]);
    build.arg(&build_dir);
    if let [(one, _)] = targets.as_slice() {
        build.arg(one);
    }
    eprintln!("xtask: cargo fuzz build (instrumented, optimized, debug assertions) into {}", build_dir.display());
    let status =
        nice(build).current_dir(process::root()).status().map_err(|e| format!("cannot run cargo-fuzz: {e}"))?;
    if !status.success() {
        return Err(format!("cargo fuzz build failed ({status})"));
    }
    eprintln!("xtask: fuzz build took {:.0} s", started.elapsed().as_secs_f64());
    let bin_dir = build_dir.join(host_triple()?).join("release");
    let mut outcomes = Vec::new();
    for (target, max_len) in targets {
        outcomes.push(fuzz_one(&options, &base, &bin_dir, target, options.max_len.unwrap_or(max_len))?);
    }
    report(&outcomes)
}

fn names() -> Vec<&'static str> {
    TARGETS.iter().map(|(t, _)| *t).collect()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| process::root().join("target"), PathBuf::from)
}

fn path_str(path: &Path) -> Result<String, String> {
    path.to_str().map(str::to_owned).ok_or_else(|| format!("{} is not UTF-8", path.display()))
}

fn host_triple() -> Result<String, String> {
    let info = process::output("rustc", &["-vV"])?;
    info.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "rustc -vV names no host".to_owned())
}

/// `command` under `nice -n 19` when `nice` exists: the machine is shared.
fn nice(command: Command) -> Command {
    if Command::new("nice").arg("true").status().is_ok_and(|s| s.success()) {
        let mut niced = Command::new("nice");
        niced.args(["-n", "19"]).arg(command.get_program()).args(command.get_args());
        if let Some(dir) = command.get_current_dir() {
            niced.current_dir(dir);
        }
        niced
    } else {
        command
    }
}

fn fuzz_one(
    options: &Options,
    base: &Path,
    bin_dir: &Path,
    target: &'static str,
    max_len: usize,
) -> Result<Outcome, String> {
    let corpus = base.join("corpus").join(target);
    let artifacts = base.join("artifacts").join(target);
    let logs = base.join("logs");
    for dir in [&corpus, &artifacts, &logs] {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let before = crash_files(&artifacts);
    let limit = if options.smoke {
        format!("-runs={SMOKE_RUNS}")
    } else if let Some(runs) = options.runs {
        format!("-runs={runs}")
    } else {
        format!("-max_total_time={}", (options.minutes.unwrap_or(1.0) * 60.0).ceil() as u64)
    };
    let mut command = Command::new(bin_dir.join(target));
    command.arg(&corpus).arg(base.join("seeds").join(target));
    let kept = process::root().join("fuzz").join("regressions").join(target);
    if kept.is_dir() {
        command.arg(kept);
    }
    command
        .arg(limit)
        .arg(format!("-max_len={max_len}"))
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .args(["-print_final_stats=1", "-timeout=30", "-rss_limit_mb=4096", "-close_fd_mask=1"]);
    let log_path = logs.join(format!("{target}.log"));
    let log = std::fs::File::create(&log_path).map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    eprintln!("xtask: fuzzing {target} (log: {})", log_path.display());
    let started = Instant::now();
    let status = nice(command)
        .current_dir(process::root())
        .stdout(Stdio::null())
        .stderr(log)
        .status()
        .map_err(|e| format!("cannot run the {target} fuzzer: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let executions = final_stat(&text, "stat::number_of_executed_units").unwrap_or(0);
    let crashes: Vec<PathBuf> = crash_files(&artifacts).into_iter().filter(|c| !before.contains(c)).collect();
    Ok(Outcome { target, executions, seconds, crashes, exit_ok: status.success() })
}

/// A number libFuzzer prints with `-print_final_stats=1`.
fn final_stat(log: &str, name: &str) -> Option<u64> {
    log.lines().rev().find_map(|l| l.strip_prefix(name)?.trim_start_matches(':').trim().parse().ok())
}

fn crash_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                ["crash-", "oom-", "timeout-", "leak-", "slow-unit-"].iter().any(|prefix| n.starts_with(prefix))
            })
        })
        .collect();
    files.sort();
    files
}

fn report(outcomes: &[Outcome]) -> Result<(), String> {
    println!("{:<16} {:>14} {:>10} {:>10} {:>8}", "target", "executions", "exec/s", "seconds", "crashes");
    let mut failed = Vec::new();
    for o in outcomes {
        let rate = if o.seconds > 0.0 { o.executions as f64 / o.seconds } else { 0.0 };
        println!("{:<16} {:>14} {:>10.0} {:>10.1} {:>8}", o.target, o.executions, rate, o.seconds, o.crashes.len());
        for c in &o.crashes {
            println!("    {}", c.display());
        }
        if !o.crashes.is_empty() || !o.exit_ok || o.executions == 0 {
            failed.push(o.target);
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("fuzzing found problems in: {} (see target/fuzz/logs)", failed.join(", ")))
    }
}
