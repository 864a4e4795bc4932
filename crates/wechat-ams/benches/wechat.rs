//! `cargo xtask bench wechat` (or `cargo bench -p wechat-ams --bench wechat -- [options]`):
//! `Fleet::ensure_category_blacklist` over a fleet of mini programs on an in-process
//! emulator with 50 ms latency and a per-authorizer action limit (1 call per minute per
//! mini program and action, ret 1737 beyond), half of them already compliant.
//!
//! Figures, each with its bar:
//! - wall time against the lower bound the limits allow: every mini program needs its
//!   token fetched, its list read and, if it differs, written, one after the other (2 or
//!   3 round trips of 50 ms); with `--in-flight C` units at once that is at least
//!   (round trips in all × 50 ms) / C, and never less than one mini program's 3 round
//!   trips. The per-action limit allows exactly one read and one write per mini program
//!   per minute, which the run needs and must not exceed (1737 answers: bar 0);
//! - writes sent: bar exactly the mini programs that differ;
//! - token fetches: bar exactly one per mini program (and one component token);
//! - a baseline measured in the same run: the same ensure walking other mini programs of
//!   the same emulator one at a time, as peer SDKs do; its time per mini program is
//!   extrapolated to the fleet, and the ratio printed.
//!
//! Options: `--authorizers N` (default 2000), `--baseline N` (default 100; its time per
//! mini program does not depend on how many it walks), `--in-flight C` (default 64),
//! `--latency-ms L` (default 50).

use futures_util::stream;
use std::time::{Duration, Instant};
use tokio::runtime::Handle;
use tx_emulator::{Emulator, WechatAuthorizer, WechatComponent};
use wechat_ams::{AmsCategory, CategorySet, Client};

const COMPONENT: &str = "wx0c0c0c0c0c0c0c0c";
const SECRET: &str = "bench-component-secret";
const TICKET: &str = "ticket@@@bench";
const GET: &str = "wxa/operationams?action=agency_get_mp_amscategory_blacklist";
const SET: &str = "wxa/operationams?action=agency_set_mp_amscategory_blacklist";

struct Args {
    authorizers: usize,
    baseline: usize,
    in_flight: usize,
    latency_ms: u64,
}

fn args() -> Args {
    let mut a = Args { authorizers: 2000, baseline: 100, in_flight: 64, latency_ms: 50 };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--authorizers" => a.authorizers = value().parse().expect("--authorizers N"),
            "--baseline" => a.baseline = value().parse().expect("--baseline N"),
            "--in-flight" => a.in_flight = value().parse::<usize>().expect("--in-flight C").max(1),
            "--latency-ms" => a.latency_ms = value().parse().expect("--latency-ms L"),
            _ => {} // `cargo bench` adds `--bench`
        }
    }
    a
}

fn appid(i: usize) -> String {
    format!("wx{:016x}", 0xb0b0_0000_0000_0000u64 + i as u64)
}

fn policy() -> CategorySet {
    CategorySet::from_iter([AmsCategory::Chess, AmsCategory::Loan, AmsCategory::AdultSupplies])
}

/// What a mini program starts with: the policy for even ones, something else for odd ones.
fn start_set(i: usize) -> String {
    if i.is_multiple_of(2) { policy().to_string() } else { ["", "CHESS", "LOAN|INSURANCE"][i / 2 % 3].to_owned() }
}

fn main() {
    let args = args();
    let (server, client) = tx_emulator::testing::bench_runtimes();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("wechat-ams benchmark ({cores} cores; emulator in-process on its own runtime)");
    let figures = client.block_on(run(server.handle(), &args));
    println!();
    println!("=== summary ===");
    println!(
        "ensure_category_blacklist over {} mini programs, {} ms latency, 1 call/min per (mini program, action), {} in flight:",
        args.authorizers, args.latency_ms, args.in_flight
    );
    println!(
        "  wall {:.2} s; lower bound {:.2} s; {:.2}x the bound",
        figures.wall,
        figures.bound,
        figures.wall / figures.bound
    );
    println!(
        "  writes sent {} (bar exactly {}: {}); reads {}; 1737 answers {} (bar 0: {})",
        figures.writes,
        figures.differ,
        pass(figures.writes == figures.differ as u64),
        figures.reads,
        figures.throttled,
        pass(figures.throttled == 0)
    );
    println!(
        "  token fetches {} for {} mini programs, at most {} for one (bar one each: {}); component tokens {} (bar 1: {})",
        figures.fetches,
        args.authorizers,
        figures.max_fetches,
        pass(figures.fetches == args.authorizers as u64 && figures.max_fetches == 1),
        figures.component_fetches,
        pass(figures.component_fetches == 1)
    );
    println!(
        "  baseline, one mini program at a time: {:.1} ms each, {:.0} s for {} ({} measured); the fleet run is {:.1}x faster",
        figures.baseline_each * 1000.0,
        figures.baseline_each * args.authorizers as f64,
        args.authorizers,
        args.baseline,
        figures.baseline_each * args.authorizers as f64 / figures.wall
    );
}

fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

struct Figures {
    wall: f64,
    bound: f64,
    writes: u64,
    reads: u64,
    differ: usize,
    throttled: u64,
    fetches: u64,
    max_fetches: u64,
    component_fetches: u64,
    baseline_each: f64,
}

async fn run(server: &Handle, args: &Args) -> Figures {
    let total = args.authorizers + args.baseline;
    let mut builder = Emulator::builder()
        .wechat_component(WechatComponent::new(COMPONENT, SECRET, TICKET))
        .latency(Duration::from_millis(args.latency_ms))
        .wechat_ams_rate_limit(Some(1), Duration::from_secs(60));
    for i in 0..total {
        let a = WechatAuthorizer::new(appid(i))
            .component(COMPONENT)
            .refresh_token(format!("refreshtoken@@@bench-{i}"))
            .ams_category(start_set(i));
        builder = builder.wechat_authorizer(a);
    }
    let emu = server.spawn(builder.start()).await.unwrap().unwrap();
    let wechat = Client::builder()
        .component_appid(COMPONENT)
        .component_secret(SECRET)
        .component_verify_ticket(TICKET)
        .endpoint(emu.base_url())
        .build()
        .unwrap();
    for i in 0..total {
        wechat.tokens().put_refresh_token(&appid(i), format!("refreshtoken@@@bench-{i}")).await.unwrap();
    }
    let latency = args.latency_ms as f64 / 1000.0;

    println!();
    println!(
        "--- baseline: {} mini programs one at a time (ensure per mini program, as a loop over a peer SDK) ---",
        args.baseline
    );
    let start = Instant::now();
    for i in args.authorizers..total {
        wechat.ams(appid(i)).category_blacklist().ensure(&policy()).await.unwrap();
    }
    let baseline_each = start.elapsed().as_secs_f64() / args.baseline.max(1) as f64;
    println!("  {:.1} ms per mini program", baseline_each * 1000.0);
    let before = emu.stats();

    println!("--- fleet: {} mini programs, {} in flight ---", args.authorizers, args.in_flight);
    let appids = stream::iter((0..args.authorizers).map(appid));
    let run = wechat.fleet().ensure_category_blacklist(appids, policy()).unwrap().max_in_flight(args.in_flight);
    let start = Instant::now();
    let summary = run.run().await.unwrap();
    let wall = start.elapsed().as_secs_f64();
    assert_eq!((summary.succeeded as usize, summary.failed), (args.authorizers, 0), "{summary:?}");
    let after = emu.stats();
    let count = |s: &tx_emulator::Stats, e: &str| s.endpoint(e).requests;
    let writes = count(&after, SET) - count(&before, SET);
    let reads = count(&after, GET) - count(&before, GET);
    let throttled = after.endpoint(GET).throttled + after.endpoint(SET).throttled;
    let per: Vec<u64> =
        (0..args.authorizers).map(|i| after.token_fetches("authorizer_access_token", &appid(i))).collect();
    let differ = (0..args.authorizers).filter(|i| i % 2 == 1).count();
    // Round trips: a token fetch and a read each, a write for those that differ.
    let round_trips = (2 * args.authorizers + differ) as f64;
    let bound = (round_trips * latency / args.in_flight as f64).max(3.0 * latency);
    println!(
        "  {} records in {wall:.2} s; {} requests by the SDK's count; lower bound {bound:.2} s",
        summary.done, summary.requests
    );
    Figures {
        wall,
        bound,
        writes,
        reads,
        differ,
        throttled,
        fetches: per.iter().sum(),
        max_fetches: per.iter().copied().max().unwrap_or(0),
        component_fetches: after.token_fetches("component_access_token", COMPONENT),
        baseline_each,
    }
}
