//! `cargo xtask bench ads` (or `cargo bench -p tencent-ads --bench ads -- [options]`):
//! `add_and_wait` against an in-process emulator whose quota is 60 calls a minute per
//! endpoint and whose records finish 10 s after submission, with a baseline measured in
//! the same run.
//!
//! 1. 10,000 materials over 5 accounts (2,000 each), one `add_and_wait` per account, all
//!    at once, through one client paced at the quota: wall time against the lower bound
//!    the quota allows, requests per endpoint, throttling answers (bar: 0).
//! 2. Baseline: one material per add request and each record polled alone, one request at
//!    a time, as a naive client does. At the quota it would take hours for 10,000
//!    materials, so it runs on a sample (`--baseline-materials`, default 40, spread over
//!    the accounts) on its own emulator and is extrapolated linearly: it makes two
//!    requests per material whatever the count, so its time grows in proportion.
//!
//! Options: `--materials N` (default 10000), `--accounts N` (5), `--quota N` calls per
//! minute per endpoint (60), `--delay-secs S` (10), `--baseline-materials N` (40; 0 skips
//! the baseline). Real time: the figures are wall-clock seconds.

use std::time::{Duration, Instant};
use tencent_ads::{Client, WaitOptions, WarningText, WatermarkOutcome, WatermarksGetRequest};
use tokio::runtime::Handle;
use tx_emulator::{AdsAccount, AdsApp, AdsMaterial, Emulator};

const CLIENT_ID: u64 = 1_110_000_009;
const SECRET: &str = "bench-client-secret";
const FIRST_ACCOUNT: u64 = 30_000_001;

struct Args {
    materials: usize,
    accounts: usize,
    quota: u32,
    delay: Duration,
    baseline: usize,
}

fn args() -> Args {
    let mut a = Args { materials: 10_000, accounts: 5, quota: 60, delay: Duration::from_secs(10), baseline: 40 };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--materials" => a.materials = value().parse().expect("--materials N"),
            "--accounts" => a.accounts = value().parse::<usize>().expect("--accounts N").max(1),
            "--quota" => a.quota = value().parse::<u32>().expect("--quota N").max(1),
            "--delay-secs" => a.delay = Duration::from_secs_f64(value().parse().expect("--delay-secs S")),
            "--baseline-materials" => a.baseline = value().parse().expect("--baseline-materials N"),
            _ => {} // `cargo bench` adds `--bench`
        }
    }
    a
}

fn main() {
    let args = args();
    let (server, client) = tx_emulator::testing::bench_runtimes();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("tencent-ads benchmark ({cores} cores; emulator in-process on its own runtime; wall-clock time)");
    let server = server.handle().clone();
    let main_run = client.block_on(bulk(&server, &args));
    let baseline = (args.baseline > 0).then(|| client.block_on(baseline(&server, &args)));

    let bound = main_run.lower_bound;
    println!();
    println!("=== summary ===");
    println!(
        "1. add_and_wait: {} materials over {} accounts in {:.1} s; lower bound at the quota {:.1} s: {:.2}x the bound",
        args.materials,
        args.accounts,
        main_run.wall,
        bound,
        main_run.wall / bound
    );
    println!(
        "   requests: watermarks/add {}, watermarks/get {}, oauth/token {}; throttling answers {} (bar 0: {})",
        main_run.adds,
        main_run.gets,
        main_run.tokens,
        main_run.throttled,
        if main_run.throttled == 0 { "PASS" } else { "FAIL" }
    );
    match baseline {
        Some(b) => println!(
            "2. baseline (one material per add, each record polled alone): {:.1} s for a sample of {} ({} requests); \
             extrapolated to {}: {:.0} s ({:.1} h); add_and_wait is {:.0}x faster",
            b.wall,
            b.sample,
            b.requests,
            args.materials,
            b.extrapolated,
            b.extrapolated / 3600.0,
            b.extrapolated / main_run.wall
        ),
        None => println!("2. baseline: skipped"),
    }
}

fn material(i: usize) -> String {
    format!("img{i}")
}

/// An emulator with `accounts` advertisers of `per_account` images each, the quota and
/// the delay.
async fn start(server: &Handle, args: &Args, per_account: usize) -> Emulator {
    let mut b = Emulator::builder()
        .ads_app(AdsApp::new(CLIENT_ID, SECRET))
        .ads_quota_per_minute(Some(args.quota))
        .ads_watermark_delay(args.delay);
    for a in 0..args.accounts {
        let id = FIRST_ACCOUNT + a as u64;
        let mut account = AdsAccount::new(id).client(CLIENT_ID).refresh_token(format!("bench-refresh-{id}"));
        for i in 0..per_account {
            account = account.material(AdsMaterial::image(material(i)));
        }
        b = b.ads_account(account);
    }
    server.spawn(b.start()).await.unwrap().unwrap()
}

/// A client paced at the quota, with each account's refresh token stored (so each account
/// fetches its own access token).
async fn client(emu: &Emulator, args: &Args) -> Client {
    let ads = Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(SECRET)
        .endpoint(emu.base_url())
        .rate_limit(Some(args.quota))
        .build()
        .unwrap();
    for a in 0..args.accounts {
        let id = FIRST_ACCOUNT + a as u64;
        ads.oauth().set_refresh_token(id as i64, format!("bench-refresh-{id}"), None).await.unwrap();
    }
    ads
}

struct Figures {
    wall: f64,
    lower_bound: f64,
    adds: u64,
    gets: u64,
    tokens: u64,
    throttled: u64,
}

async fn bulk(server: &Handle, args: &Args) -> Figures {
    let per_account = args.materials.div_ceil(args.accounts);
    let emu = start(server, args, per_account).await;
    let ads = client(&emu, args).await;
    let period = 60.0 / f64::from(args.quota);
    let adds_needed = (0..args.accounts)
        .map(|a| args.materials / args.accounts + usize::from(a < args.materials % args.accounts))
        .map(|n| n.div_ceil(100))
        .sum::<usize>();
    // At the quota's even pace the last add goes (adds − 1) periods after the first, and
    // its records are done `delay` later; no client can see them done sooner.
    let lower_bound = (adds_needed as f64 - 1.0) * period + args.delay.as_secs_f64();
    // The client paces below the quota by its default headroom (2.5 %).
    let paced =
        tx_core::rate_limit::paced(args.quota, Duration::from_secs(60), tencent_ads::DEFAULT_RATE_LIMIT_HEADROOM);
    let paced_bound = (adds_needed as f64 - 1.0) * 60.0 / f64::from(paced.count()) + args.delay.as_secs_f64();
    println!();
    println!(
        "--- 1. add_and_wait: {} materials over {} accounts, quota {}/min per endpoint, records done {:?} after submission ---",
        args.materials, args.accounts, args.quota, args.delay
    );
    println!(
        "lower bound: {adds_needed} adds of 100 at one per {period:.2} s, the last one's records done {:?} later: {lower_bound:.1} s",
        args.delay
    );
    println!("  (at the client's pace, {}/min after its 2.5 % headroom: {paced_bound:.1} s)", paced.count());
    let start = Instant::now();
    let wait = WaitOptions::default().with_timeout(Duration::from_secs(3600));
    let runs = (0..args.accounts).map(|a| {
        let ads = ads.clone();
        let n = args.materials / args.accounts + usize::from(a < args.materials % args.accounts);
        async move {
            let account = (FIRST_ACCOUNT + a as u64) as i64;
            let ids: Vec<String> = (0..n).map(material).collect();
            ads.watermarks().add_and_wait(account, ids, [WarningText::LOAN_RISK], wait).await.unwrap()
        }
    });
    let reports = futures_util::future::join_all(runs).await;
    let wall = start.elapsed().as_secs_f64();
    let stats = emu.stats();
    let (add, get, token) =
        (stats.endpoint("v3.0/watermarks/add"), stats.endpoint("v3.0/watermarks/get"), stats.endpoint("oauth/token"));
    let success: usize = reports.iter().map(|r| r.counts().success).sum();
    let polls: usize = reports.iter().map(|r| r.poll_requests()).sum();
    for r in &reports {
        if let Some(item) = r.request_failures().next() {
            println!("  a failed request: {}: {}", item.id, item.error().unwrap());
        }
    }
    assert_eq!(success, args.materials, "every material has its text");
    println!(
        "  {wall:.1} s ({:.2}x the bound, {:.2}x the paced bound); {success} materials done; requests: watermarks/add {}, watermarks/get {} ({polls} polls), oauth/token {}",
        wall / lower_bound,
        wall / paced_bound,
        add.requests,
        get.requests,
        token.requests
    );
    let throttled = add.throttled + get.throttled + token.throttled;
    println!("  throttling answers: {throttled}; other errors: add {:?}, get {:?}", add.errors, get.errors);
    Figures { wall, lower_bound, adds: add.requests, gets: get.requests, tokens: token.requests, throttled }
}

struct Baseline {
    wall: f64,
    sample: usize,
    requests: u64,
    extrapolated: f64,
}

async fn baseline(server: &Handle, args: &Args) -> Baseline {
    let sample = args.baseline.max(args.accounts);
    let per_account = sample.div_ceil(args.accounts);
    let emu = start(server, args, per_account).await;
    let ads = client(&emu, args).await;
    println!();
    // Two requests per material, each endpoint at the quota's pace, one at a time.
    let full = 2.0 * args.materials as f64 * 60.0 / f64::from(args.quota);
    println!(
        "--- 2. baseline: one material per add request, each record polled alone, one request at a time \
         (a sample of {sample}: the full {} would take about {:.1} h at the quota) ---",
        args.materials,
        full / 3600.0
    );
    let start = Instant::now();
    let mut records: Vec<(i64, String)> = Vec::with_capacity(sample);
    for i in 0..sample {
        let account = (FIRST_ACCOUNT + (i % args.accounts) as u64) as i64;
        let report =
            ads.watermarks().add(account, [material(i / args.accounts)], [WarningText::LOAN_RISK]).await.unwrap();
        let (_, w) = report.answered().next().unwrap();
        if w.outcome == WatermarkOutcome::Processing {
            records.push((account, w.record_id.clone().unwrap()));
        }
    }
    while !records.is_empty() {
        let mut next = Vec::new();
        for (account, record) in records {
            let request = WatermarksGetRequest::new(account).with_record_ids([record.as_str()]);
            let page = ads.watermarks().page(&request).await.unwrap();
            if !page.data.list.first().is_some_and(|r| r.status.is_terminal()) {
                next.push((account, record));
            }
        }
        records = next;
    }
    let wall = start.elapsed().as_secs_f64();
    let stats = emu.stats();
    let requests = stats.endpoint("v3.0/watermarks/add").requests + stats.endpoint("v3.0/watermarks/get").requests;
    let extrapolated = wall / sample as f64 * args.materials as f64;
    println!(
        "  {wall:.1} s for {sample} materials ({requests} requests, {:.2} s per material); extrapolated to {}: {extrapolated:.0} s",
        wall / sample as f64,
        args.materials
    );
    Baseline { wall, sample, requests, extrapolated }
}
