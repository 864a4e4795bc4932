//! `cargo xtask bench wechat`: `Fleet::ensure_category_blacklist` of wechat-ams against an
//! in-process emulator.
//!
//! The measurement lives in `crates/wechat-ams/benches/wechat.rs` (built with the bench
//! profile, so the client and the emulator are optimised alike): 2,000 mini programs,
//! 50 ms latency, a per-mini-program action limit, half of them compliant; wall time
//! against the lower bound the limits allow, writes, token fetches, and a same-run
//! baseline walking mini programs one at a time.
//!
//! `WECHAT_BENCH_ARGS="--authorizers 500 --baseline 20"` shortens a run.

use crate::process;

pub fn run() -> Result<(), String> {
    let mut args: Vec<String> =
        ["bench", "-q", "-p", "wechat-ams", "--bench", "wechat", "--"].map(String::from).to_vec();
    if let Ok(extra) = std::env::var("WECHAT_BENCH_ARGS") {
        args.extend(extra.split_whitespace().map(String::from));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    process::cargo(&args)
}
