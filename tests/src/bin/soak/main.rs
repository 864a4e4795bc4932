//! `cargo xtask soak`: about 100,000 operations over TIM, WeChat and Ads, through the `tx`
//! command line against the emulator with 20% of requests faulted, then a fault-free read
//! of the emulator's state compared with what the output claimed. Twice: a run left to
//! finish, and a run stopped by SIGTERM halfway and resumed with `--remaining`.
//!
//! Usage: `soak --tx PATH [--ops N] [--faults SHARE] [--seed N]`. Exits non-zero if any
//! item is lost, duplicated or wrong, or anything panicked.

mod ads;
mod faults;
mod job;
mod ledger;
mod runner;
mod tim;
mod wechat;

use job::Job;
use ledger::{Ledger, Tally};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tx_emulator::{Emulator, FaultPlan};

struct Options {
    tx: PathBuf,
    ops: usize,
    faults: f64,
    seed: u64,
}

fn options() -> Result<Options, String> {
    let mut o = Options { tx: PathBuf::new(), ops: 100_000, faults: 0.2, seed: 7 };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--tx" => o.tx = PathBuf::from(value()?),
            "--ops" => o.ops = value()?.parse().map_err(|e| format!("--ops: {e}"))?,
            "--faults" => o.faults = value()?.parse().map_err(|e| format!("--faults: {e}"))?,
            "--seed" => o.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if !o.tx.is_file() {
        return Err("--tx must name the tx binary".into());
    }
    Ok(o)
}

/// Advertiser accounts of the Ads part.
const ADS_ACCOUNTS: u64 = 4;

/// The platforms' jobs, splitting `ops` between them: half TIM pairs, a tenth WeChat
/// mini programs, the rest Ads materials over four accounts.
fn jobs(ops: usize) -> Vec<Arc<dyn Job>> {
    let mut jobs: Vec<Arc<dyn Job>> = vec![Arc::new(tim::Tim::new(ops / 2)), Arc::new(wechat::Wechat::new(ops / 10))];
    let per_account = (ops - ops / 2 - ops / 10) / ADS_ACCOUNTS as usize;
    for n in 1..=ADS_ACCOUNTS {
        jobs.push(Arc::new(ads::Ads::new(n, per_account)));
    }
    jobs
}

/// One platform's figures in one mode.
struct Row {
    mode: &'static str,
    platform: &'static str,
    tally: Tally,
    panics: usize,
    exit_codes: Vec<i32>,
    elapsed: Duration,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let panics = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&panics);
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        counted.fetch_add(1, Ordering::Relaxed);
        default_hook(info);
    }));
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("soak: {e}");
            return ExitCode::from(2);
        }
    };
    let mut rows = Vec::new();
    for (mode, interrupt) in [("finished", false), ("sigterm+resume", true)] {
        rows.extend(soak(&o, mode, interrupt).await);
    }
    let emulator_panics = panics.load(Ordering::Relaxed);
    print(&rows, emulator_panics);
    let bad = rows
        .iter()
        .any(|r| r.tally.lost + r.tally.duplicated + r.tally.wrong + r.tally.not_attempted > 0 || r.panics > 0);
    if bad || emulator_panics > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// One mode: a fresh emulator, the jobs prepared without faults, then every job at once
/// with them, then the comparison.
async fn soak(o: &Options, mode: &'static str, interrupt: bool) -> Vec<Row> {
    let jobs = jobs(o.ops);
    let mut builder = Emulator::builder().latency(Duration::from_millis(5));
    builder = ads::Ads::seed_apps(builder, (1..=ADS_ACCOUNTS).map(|n| 20_000_000 + n));
    for job in &jobs {
        builder = job.seed(builder);
    }
    let emulator = builder.start().await.expect("the emulator starts");
    let dir = tempfile::tempdir().expect("a work dir");
    let mut work = Vec::new();
    for (i, job) in jobs.iter().enumerate() {
        let (env, home) = (job.env(&emulator), dir.path().join(format!("{i}-{}", job.name())).join("home"));
        std::fs::create_dir_all(&home).unwrap();
        for args in job.prepare(&emulator).await {
            let run = runner::run_tx(&o.tx, &args, &env, &home, None);
            assert_eq!(run.code, 0, "{} preparation {args:?} failed: {}", job.name(), run.stderr);
        }
        work.push((env, home));
    }
    emulator.set_faults(faults::plan(o.seed, o.faults)).expect("a valid fault plan");
    let mut handles = Vec::new();
    for (job, (env, home)) in jobs.iter().zip(work) {
        let (job, tx) = (Arc::clone(job), o.tx.clone());
        handles.push(tokio::task::spawn_blocking(move || run_job(&*job, &tx, &env, &home, interrupt)));
    }
    let mut rows = Vec::new();
    let mut done = Vec::new();
    for handle in handles {
        done.push(handle.await.expect("a job thread"));
    }
    let stats = emulator.stats();
    let faults: u64 = stats.endpoints.values().map(|e| e.faults.values().sum::<u64>()).sum();
    let share = 100.0 * faults as f64 / stats.total_requests().max(1) as f64;
    println!("{mode}: {} requests, {faults} faulted ({share:.1}%)", stats.total_requests());
    emulator.set_faults(FaultPlan::seeded(o.seed)).expect("faults off");
    for (job, (input, ledger, panics, exit_codes, elapsed)) in jobs.iter().zip(done) {
        let applied = job.applied(&emulator).await;
        rows.push(Row {
            mode,
            platform: job.name(),
            tally: ledger.tally(&input, &applied),
            panics,
            exit_codes,
            elapsed,
        });
    }
    emulator.shutdown().await;
    rows
}

type JobResult = (Vec<String>, Ledger, usize, Vec<i32>, Duration);

/// Runs one job to its end: once, or stopped halfway and resumed from `--remaining`.
fn run_job(job: &dyn Job, tx: &Path, env: &[(String, String)], home: &Path, interrupt: bool) -> JobResult {
    let start = Instant::now();
    let work = home.parent().expect("the job's directory");
    let input = work.join("input");
    let keys = job.write_input(&input);
    let mut ledger = Ledger::default();
    let (mut panics, mut codes) = (0, Vec::new());
    let remaining = work.join("remaining");
    let first = runner::run_tx(tx, &job.args(&input, &remaining), env, home, interrupt.then_some(keys.len() / 2));
    ledger.add_run(&first.records, |r| job.key(r));
    panics += first.panics;
    codes.push(first.code);
    let left = first.records.iter().filter(|r| r["record"] == "item" && r["status"] == "not_attempted").count();
    if interrupt && left > 0 {
        let resumed_input = work.join("resumed");
        std::fs::rename(&remaining, &resumed_input).expect("--remaining was written");
        let second = runner::run_tx(tx, &job.args(&resumed_input, &remaining), env, home, None);
        ledger.add_run(&second.records, |r| job.key(r));
        panics += second.panics;
        codes.push(second.code);
    }
    (keys, ledger, panics, codes, start.elapsed())
}

fn print(rows: &[Row], emulator_panics: usize) {
    println!(
        "{:<15} {:<7} {:>7} {:>7} {:>6} {:>8} {:>8} {:>6} {:>5} {:>5} {:>5} {:>6} {:>9} exit",
        "mode",
        "platform",
        "items",
        "ok",
        "failed",
        "unknown",
        "(appl.)",
        "skip",
        "lost",
        "dup",
        "wrong",
        "panics",
        "secs"
    );
    for r in rows {
        let t = &r.tally;
        println!(
            "{:<15} {:<7} {:>7} {:>7} {:>6} {:>8} {:>8} {:>6} {:>5} {:>5} {:>5} {:>6} {:>9.1} {:?}",
            r.mode,
            r.platform,
            t.items,
            t.ok,
            t.failed,
            t.failed_unknown,
            t.unknown_applied,
            t.not_attempted,
            t.lost,
            t.duplicated,
            t.wrong,
            r.panics,
            r.elapsed.as_secs_f64(),
            r.exit_codes
        );
    }
    println!("emulator panics: {emulator_panics}");
}
