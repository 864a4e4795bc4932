//! `cargo xtask bench shared`: several `tx` processes sharing one app's TIM quota through
//! Redis.
//!
//! The measurements live in `tests/benches/shared.rs` (built with the bench profile, as
//! are the `tx` processes it starts); this makes sure `redis-server` is installed and runs
//! them. Figures, each with its same-run baseline:
//! 1. 1, 2 and 4 processes of bulk blocklist additions against the emulator with its
//!    200 calls/s limit and 20 ms latency: aggregate calls/s as a share of 200 and 60007
//!    answers, with `--redis` and without (each process pacing to the whole quota);
//! 2. the latency a permit of the Redis limiter adds per call, p50 and p99, against the
//!    in-process limiter.
//!
//! `SHARED_BENCH_ARGS="--secs 5 --processes 4"` shortens a run.

use crate::process;

pub fn run() -> Result<(), String> {
    let redis = process::redis_server()?;
    let mut args: Vec<String> = ["bench", "-q", "-p", "tx-tests", "--bench", "shared", "--"].map(String::from).to_vec();
    if let Ok(extra) = std::env::var("SHARED_BENCH_ARGS") {
        args.extend(extra.split_whitespace().map(String::from));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    process::cargo_with_env(&args, &[("TX_REDIS_SERVER", &redis)])
}
