//! `cargo xtask bench ads`: tencent-ads' `add_and_wait` against an in-process emulator.
//!
//! The measurements live in `crates/tencent-ads/benches/ads.rs` (built with the bench
//! profile, so the client and the emulator are optimised alike): 10,000 materials over 5
//! accounts at a quota of 60 calls a minute per endpoint, records finishing 10 s after
//! submission; wall time against the quota's lower bound, requests per endpoint,
//! throttling answers, and a one-at-a-time baseline on a sample, extrapolated. A run takes
//! about four minutes of wall time (the quota is the point).
//!
//! Extra arguments go to the bench binary through `ADS_BENCH_ARGS`, e.g.
//! `ADS_BENCH_ARGS="--materials 1000 --baseline-materials 10"` for a short run.

use crate::process;

pub fn run() -> Result<(), String> {
    let mut args: Vec<String> = ["bench", "-q", "-p", "tencent-ads", "--bench", "ads", "--"].map(String::from).to_vec();
    if let Ok(extra) = std::env::var("ADS_BENCH_ARGS") {
        args.extend(extra.split_whitespace().map(String::from));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    process::cargo(&args)
}
