//! `cargo xtask bench usersig`: UserSig generation, ours against the official packages.

use crate::process::{self, Tool};

const SDKAPPID: &str = "1400000000";
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

pub fn run() -> Result<(), String> {
    let python = match process::python()? {
        Tool::Ready(p) => p,
        Tool::Unreachable(why) => return Err(format!("the Python baseline is needed: {why}")),
    };
    let modules = match process::node_modules()? {
        Tool::Ready(m) => m,
        Tool::Unreachable(why) => return Err(format!("the Node baseline is needed: {why}")),
    };
    let time_python = |mode: &str| -> Result<f64, String> {
        parse_f64(&process::output(&python, &["xtask/scripts/bench_usersig.py", SDKAPPID, KEY, "20000", "7", mode])?)
    };
    let time_node = |mode: &str| -> Result<f64, String> {
        parse_f64(&process::output(
            "node",
            &["xtask/scripts/bench_usersig.js", &modules, SDKAPPID, KEY, "50000", "7", mode],
        )?)
    };
    // Baselines before and after ours; the best of each counts (noise only ever slows).
    let baselines = || -> Result<[f64; 4], String> {
        Ok([time_python("same")?, time_node("same")?, time_python("distinct")?, time_node("distinct")?])
    };
    eprintln!("bench usersig: timing the official Python and Node packages…");
    let before = baselines()?;
    eprintln!("bench usersig: timing ours…");
    let ours = run_bench("usersig")?;
    eprintln!("bench usersig: timing the official packages again…");
    let after = baselines()?;
    let [py, node, py_distinct, node_distinct] = std::array::from_fn(|i| before[i].min(after[i]));
    let get = |name: &str| {
        ours.iter().find(|(n, _)| n == name).map(|(_, v)| *v).ok_or(format!("the bench did not report {name}"))
    };
    let level6 = get("usersig/ours_level6")?;
    let distinct = get("usersig/ours_level6_distinct")?;
    let level0 = get("usersig/ours_level0")?;
    let hmac = get("usersig/bare_hmac_sha256")?;

    println!(
        "UserSig generation, µs per signature, best of 7 rounds each (one run, this machine; official libs at zlib level 6)"
    );
    println!("                                             one identifier,   new document");
    println!("                                             system clock      every signature");
    println!("  {:<42} {:>9.3}", "bare HMAC-SHA256 of the content (floor)", hmac);
    println!("  {:<42} {:>9.3}   {:>12.3}", "tx, zlib level 6", level6, distinct);
    println!("  {:<42} {:>9.3}", "tx, zlib level 0 (fastest accepted)", level0);
    println!("  {:<42} {:>9.3}   {:>12.3}", "official PyPI tls-sig-api-v2 1.1", py, py_distinct);
    println!("  {:<42} {:>9.3}   {:>12.3}", "official npm tls-sig-api-v2 1.0.2", node, node_distinct);
    println!("ratios at the same zlib level (6), same inputs:");
    println!("  Python / tx = {:>6.1}x   {:>6.1}x   (bar: >= 4x)", py / level6, py_distinct / distinct);
    println!("  Node   / tx = {:>6.1}x   {:>6.1}x   (bar: >= 1.5x)", node / level6, node_distinct / distinct);
    println!("other ratios:");
    println!("  tx level 6 / bare HMAC = {:.1}x,  tx level 0 / bare HMAC = {:.1}x", level6 / hmac, level0 / hmac);
    println!("  Python / tx level 0 = {:.1}x,  Node / tx level 0 = {:.1}x", py / level0, node / level0);
    Ok(())
}

/// Runs a bench of tx-core (best of several rounds, as the baselines) and returns
/// (name, µs per call) pairs.
pub fn run_bench(bench: &str) -> Result<Vec<(String, f64)>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = process::output(&cargo, &["bench", "-q", "-p", "tx-core", "--bench", bench])?;
    Ok(out
        .lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(' ')?;
            Some((name.to_owned(), value.trim().parse().ok()?))
        })
        .collect())
}

pub fn parse_f64(s: &str) -> Result<f64, String> {
    s.trim().parse().map_err(|_| format!("expected a number, got {s:?}"))
}
