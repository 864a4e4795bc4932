//! `cargo xtask bench shared` (or `cargo bench -p tx-tests --bench shared -- [options]`):
//! several `tx` processes sharing one app's TIM quota through Redis, each figure with its
//! baseline measured in the same run.
//!
//! 1. 1, 2 and 4 processes of `tx tim blocklist add --pairs` (one request per pair) against
//!    the emulator with its 200 calls/s limit and 20 ms latency, with `--redis`: aggregate
//!    calls/s accepted by the emulator as a share of 200, and its 60007 answers. Baseline:
//!    the same processes without Redis, each pacing itself to the whole quota.
//! 2. The latency a permit of the Redis limiter adds to a call that need not wait (an
//!    unpaced key), at p50 and p99, against the in-process limiter, one caller at a time
//!    and 16 at once.
//!
//! Options: `--secs S` of work per run at the quota (default 15), `--processes 1,2,4`,
//! `--samples N` permits per latency figure (default 5000).

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Handle;
use tx_core::rate_limit::{LocalRateLimiter, RateKey, RateLimiter};
use tx_core::shared::SharedState;
use tx_emulator::{Emulator, TimApp};
use tx_tests::redis_server::RedisServer;
use tx_tests::{ADMIN, APP, KEY, tx_binary};

const LIMIT: f64 = 200.0;
const ADD: &str = "v4/sns/black_list_add";
const TARGET: &str = "target";

struct Args {
    secs: f64,
    processes: Vec<usize>,
    samples: usize,
}

fn args() -> Args {
    let mut a = Args { secs: 15.0, processes: vec![1, 2, 4], samples: 5000 };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--secs" => a.secs = value().parse().expect("--secs S"),
            "--processes" => {
                a.processes = value().split(',').map(|n| n.trim().parse().expect("--processes 1,2,4")).collect()
            }
            "--samples" => a.samples = value().parse().expect("--samples N"),
            _ => {} // `cargo bench` adds `--bench`
        }
    }
    a
}

fn main() {
    let args = args();
    let (server, client) = tx_emulator::testing::bench_runtimes();
    let tx = tx_binary();
    let redis = RedisServer::start();
    println!("shared-state benchmark: {} (redis-server on port {})", tx.display(), redis.port());

    let pairs = (LIMIT * args.secs) as usize;
    let owners: Vec<String> = (0..pairs).map(|i| format!("owner{i:05}")).collect();
    let app = TimApp::new(APP, KEY).admin(ADMIN).accounts(owners.iter().cloned()).accounts([TARGET]);
    let builder = Emulator::builder().tim_app(app).latency(Duration::from_millis(20)).tim_rate_limit(Some(200));
    let emu = server.block_on(builder.start()).unwrap();

    println!();
    println!("--- 1. {pairs} blocklist additions split over N tx processes, 20 ms latency, limit 200 calls/s ---");
    let mut rows = Vec::new();
    for &n in &args.processes {
        let shared = run(&emu, &redis, &owners, n, Some(&redis.url()));
        let alone = run(&emu, &redis, &owners, n, None);
        rows.push((n, shared, alone));
    }

    println!();
    println!("--- 2. latency a permit adds to a call that need not wait ({} permits) ---", args.samples);
    let latency = client.block_on(permit_latency(client.handle(), &redis, args.samples));
    drop(emu);

    println!();
    println!("=== summary ===");
    for (n, shared, alone) in &rows {
        let bar = if *n == 4 {
            format!(" (bar >= 0.95 and no 60007 at 4: {})", pass(shared.share() >= 0.95 && shared.throttled == 0))
        } else {
            String::new()
        };
        println!(
            "1. {n} process(es) with Redis: {:.1} calls/s = {:.3} of 200, 60007 answers {}{bar}; without Redis: {:.1} accepted = {:.3} of 200, {:.1} sent = {:.2}x the quota, 60007 answers {}",
            shared.accepted,
            shared.share(),
            shared.throttled,
            alone.accepted,
            alone.share(),
            alone.sent,
            alone.sent / LIMIT,
            alone.throttled
        );
    }
    for l in &latency {
        println!(
            "2. {:>2} caller(s): Redis limiter p50 {:>4.0} us, p99 {:>4.0} us; in-process p50 {:.1} us, p99 {:.1} us; added p50 {:.0} us, p99 {:.0} us",
            l.callers,
            l.shared.0,
            l.shared.1,
            l.local.0,
            l.local.1,
            l.shared.0 - l.local.0,
            l.shared.1 - l.local.1
        );
    }
}

fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

struct Figures {
    /// Calls/s the emulator accepted while the processes ran.
    accepted: f64,
    /// Requests/s it received.
    sent: f64,
    throttled: u64,
}

impl Figures {
    fn share(&self) -> f64 {
        self.accepted / LIMIT
    }
}

/// `owners` split over `n` processes of `tx tim blocklist add --pairs`, with `redis` or
/// without; the emulator's counts, sampled from the first request to the last answer.
fn run(emu: &Emulator, redis: &RedisServer, owners: &[String], n: usize, redis_url: Option<&str>) -> Figures {
    emu.reset();
    redis::cmd("FLUSHALL").query::<()>(&mut redis.connection()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let chunk = owners.len().div_ceil(n);
    let mut children: Vec<Child> =
        owners.chunks(chunk).enumerate().map(|(i, part)| spawn(emu, dir.path(), i, part, redis_url)).collect();
    let mut samples = Vec::new();
    while children.iter_mut().any(|c| c.try_wait().unwrap().is_none()) {
        let stats = emu.stats().endpoint(ADD);
        samples.push((Instant::now(), stats.requests, stats.ok));
        std::thread::sleep(Duration::from_millis(20));
    }
    let ok = children.iter_mut().map(|c| c.wait().unwrap()).filter(|s| s.success()).count();
    let stats = emu.stats().endpoint(ADD);
    samples.push((Instant::now(), stats.requests, stats.ok));
    let (t0, r0, a0) = *samples.iter().find(|(_, r, _)| *r > 0).expect("requests were sent");
    let (t1, r1, a1) = *samples.iter().find(|(_, _, a)| *a == stats.ok).unwrap();
    let secs = (t1 - t0).as_secs_f64();
    let throttled = stats.errors.get(&60007).copied().unwrap_or(0);
    let figures = Figures { accepted: (a1 - a0) as f64 / secs, sent: (r1 - r0) as f64 / secs, throttled };
    println!(
        "  {n} process(es) {}: {} accepted, {} requests in {secs:.1} s: {:.1} calls/s accepted = {:.3} of 200, {:.1} sent; 60007 answers {throttled}; {ok}/{n} processes exited 0",
        if redis_url.is_some() { "with Redis   " } else { "without Redis" },
        stats.ok,
        stats.requests,
        figures.accepted,
        figures.share(),
        figures.sent,
    );
    figures
}

fn spawn(emu: &Emulator, dir: &Path, i: usize, owners: &[String], redis_url: Option<&str>) -> Child {
    let path = dir.join(format!("pairs-{i}.csv"));
    let mut file = std::fs::File::create(&path).unwrap();
    for owner in owners {
        writeln!(file, "{owner},{TARGET}").unwrap();
    }
    let mut command = Command::new(tx_binary());
    command.args(["tim", "--json", "blocklist", "add", "--pairs"]).arg(&path);
    if let Some(url) = redis_url {
        command.args(["--redis", url]);
    }
    command
        .env("TIM_SDK_APP_ID", APP.to_string())
        .env("TIM_SECRET_KEY", KEY)
        .env("TIM_ADMIN", ADMIN)
        .env("TIM_ENDPOINT", emu.base_url())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("tx starts")
}

struct Latency {
    callers: usize,
    /// p50 and p99 in microseconds.
    shared: (f64, f64),
    local: (f64, f64),
}

async fn permit_latency(runtime: &Handle, redis: &RedisServer, samples: usize) -> Vec<Latency> {
    let shared = SharedState::connect(redis.url()).await.unwrap();
    let key = RateKey::new("tim", APP.to_string(), "unpaced");
    let local: Arc<dyn RateLimiter> = Arc::new(LocalRateLimiter::new(None));
    let through_redis: Arc<dyn RateLimiter> = Arc::new(shared.rate_limiter(Arc::new(LocalRateLimiter::new(None))));
    let mut figures = Vec::new();
    for callers in [1, 16] {
        let shared = percentiles(runtime, &through_redis, &key, callers, samples).await;
        let local = percentiles(runtime, &local, &key, callers, samples).await;
        println!(
            "  {callers:>2} caller(s): Redis p50 {:.0} us p99 {:.0} us; in-process p50 {:.1} us p99 {:.1} us",
            shared.0, shared.1, local.0, local.1
        );
        figures.push(Latency { callers, shared, local });
    }
    figures
}

/// p50 and p99 (microseconds) of `samples` permits taken by `callers` tasks at once.
async fn percentiles(
    runtime: &Handle,
    limiter: &Arc<dyn RateLimiter>,
    key: &RateKey,
    callers: usize,
    samples: usize,
) -> (f64, f64) {
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let (limiter, key) = (Arc::clone(limiter), key.clone());
            runtime.spawn(async move {
                let mut times = Vec::with_capacity(samples / callers);
                for _ in 0..samples / callers {
                    let start = Instant::now();
                    limiter.permit(&key, Duration::from_secs(5)).await.unwrap();
                    times.push(start.elapsed().as_secs_f64() * 1e6);
                }
                times
            })
        })
        .collect();
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await.unwrap());
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99))
}
