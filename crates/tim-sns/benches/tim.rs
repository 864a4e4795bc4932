//! `cargo xtask bench tim` (or `cargo bench -p tim-sns --bench tim -- [options]`): the
//! tim-sns client against an in-process emulator, each figure with a baseline measured in
//! the same run.
//!
//! 1. Bulk: (From, To) blocklist additions, each pair its own request, with 50 ms added
//!    latency and the emulator's 200 calls/s limit: achieved calls/s as a share of 200,
//!    and 60007 answers. Baseline: one request at a time, as peer SDKs do.
//! 2. Overhead: `black_list_check` of one id, no latency, no limit, N concurrent tasks:
//!    the SDK's calls/s against raw `reqwest` posting the same pre-built request.
//! 3. Third party: the PyPI `timsdk` client (Python, requests) doing the same check loop,
//!    its hard-coded host rewritten to the emulator.
//!
//! Options: `--parts 1,2,3`, `--pairs N` (default 20000), `--baseline-pairs N` (default
//! 600; the sequential baseline's rate does not depend on how many pairs it runs), `--secs
//! S` per side and concurrency level in part 2 (default 6), cut into `--rounds N` slices
//! (default 24), `--concurrency 1,8,32`, `--python PATH` (a Python with `timsdk`
//! installed; without it part 3 is skipped), `--headroom X` (part 1 with another share
//! of the quota left unused than the client's default 0.025). Part 2 always runs (part 3
//! uses its emulator and figures).

use futures_util::stream;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tim_sns::{CheckType, Client, Pair};
use tokio::runtime::Handle;
use tx_emulator::{Emulator, TimApp};

const APP: u32 = 1_400_000_000;
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const ADMIN: &str = "administrator";
const LIMIT: f64 = 200.0;

struct Args {
    parts: Vec<u8>,
    pairs: usize,
    baseline_pairs: usize,
    secs: f64,
    rounds: usize,
    concurrency: Vec<usize>,
    python: Option<String>,
    headroom: Option<f64>,
}

fn args() -> Args {
    let mut a = Args {
        parts: vec![1, 2, 3],
        pairs: 20_000,
        baseline_pairs: 600,
        secs: 6.0,
        rounds: 24,
        concurrency: vec![1, 8, 32],
        python: None,
        headroom: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--pairs" => a.pairs = value().parse().expect("--pairs N"),
            "--baseline-pairs" => a.baseline_pairs = value().parse().expect("--baseline-pairs N"),
            "--secs" => a.secs = value().parse().expect("--secs S"),
            "--rounds" => a.rounds = value().parse::<usize>().expect("--rounds N").max(1),
            "--parts" => a.parts = value().split(',').map(|n| n.trim().parse().expect("--parts 1,2,3")).collect(),
            "--concurrency" => {
                a.concurrency = value().split(',').map(|n| n.trim().parse().expect("--concurrency 1,8,32")).collect()
            }
            "--python" => a.python = Some(value()),
            "--headroom" => a.headroom = Some(value().parse().expect("--headroom 0.025")),
            _ => {} // `cargo bench` adds `--bench`
        }
    }
    a
}

fn main() {
    let args = args();
    let (server, client) = tx_emulator::testing::bench_runtimes();

    println!("tim-sns benchmark ({} cores; emulator in-process on its own runtime)", cores());
    let server = server.handle().clone();
    let bulk = args.parts.contains(&1).then(|| client.block_on(bulk(&server, &args)));
    let (overhead, emu) = client.block_on(overhead(&server, &args));
    let python = match &args.python {
        Some(p) if args.parts.contains(&3) => Some(python_baseline(&emu, p, &args, &overhead)),
        _ => None,
    };
    drop(emu);

    println!();
    println!("=== summary ===");
    if let Some(bulk) = bulk {
        println!(
            "1. bulk: {:.1} calls/s = {:.3} of 200 (bar >= 0.95: {}); 60007 answers: {} (bar 0: {}); baseline one at a time {:.1} calls/s ({:.1}x slower)",
            bulk.rate,
            bulk.rate / LIMIT,
            pass(bulk.rate / LIMIT >= 0.95),
            bulk.throttled,
            pass(bulk.throttled == 0),
            bulk.baseline_rate,
            bulk.rate / bulk.baseline_rate
        );
    }
    for o in &overhead {
        println!(
            "2. overhead, {:>2} tasks: SDK {:>8.0} calls/s, raw reqwest {:>8.0} calls/s: {:.3} of raw (bar >= 0.75: {})",
            o.tasks,
            o.sdk,
            o.raw,
            o.sdk / o.raw,
            pass(o.sdk / o.raw >= 0.75)
        );
    }
    match python {
        Some(rows) => {
            for (tasks, py, sdk) in rows {
                println!(
                    "3. PyPI timsdk, {tasks:>2} thread(s): {py:>7.0} calls/s; SDK with {tasks} task(s) {sdk:>8.0} calls/s: {:.1}x",
                    sdk / py
                );
            }
        }
        None => println!("3. PyPI timsdk: skipped"),
    }
}

fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// Starts an emulator on the server runtime.
async fn start(server: &Handle, builder: tx_emulator::EmulatorBuilder) -> Emulator {
    server.spawn(builder.start()).await.unwrap().unwrap()
}

fn sdk(emu: &Emulator) -> tim_sns::ClientBuilder {
    Client::builder().sdk_app_id(APP).secret_key(KEY).admin(ADMIN).endpoint(emu.base_url())
}

struct BulkFigures {
    rate: f64,
    throttled: u64,
    baseline_rate: f64,
}

async fn bulk(server: &Handle, args: &Args) -> BulkFigures {
    let users: Vec<String> = (0..args.pairs).map(|i| format!("user{i}")).collect();
    let spammers: Vec<String> = (0..10).map(|i| format!("spammer{i}")).collect();
    let app = TimApp::new(APP, KEY).admin(ADMIN).accounts(users.iter().cloned()).accounts(spammers.iter().cloned());
    let builder = Emulator::builder().tim_app(app).latency(Duration::from_millis(50)).tim_rate_limit(Some(200));
    let emu = start(server, builder).await;
    // Every pair has its own From: one request per pair, so the rate limit is what counts.
    let pairs: Vec<Pair> =
        users.iter().enumerate().map(|(i, u)| Pair::new(u.clone(), spammers[i % 10].clone())).collect();
    let tim = sdk(&emu).build().unwrap();

    println!();
    println!("--- 1. bulk blocklist additions, 50 ms latency, emulator limit 200 calls/s per command ---");
    let sample = args.baseline_pairs.min(pairs.len());
    println!("baseline: {sample} pairs one request at a time …");
    let start = Instant::now();
    for p in &pairs[..sample] {
        let report = tim.blocklist().add(&p.from, [&p.to]).await.unwrap();
        assert!(report.all_succeeded(), "{report:?}");
    }
    let baseline_rate = sample as f64 / start.elapsed().as_secs_f64();
    println!(
        "  {baseline_rate:.1} calls/s ({:.0} s for all {} pairs at that rate)",
        pairs.len() as f64 / baseline_rate,
        pairs.len()
    );

    emu.reset();
    let headroom = args.headroom.unwrap_or(tim_sns::DEFAULT_RATE_LIMIT_HEADROOM);
    let tim = sdk(&emu).rate_limit_headroom(headroom).build().unwrap();
    println!(
        "bulk: {} pairs through blocklist().add_many (quota 200/s, headroom {headroom}, {} in flight) …",
        pairs.len(),
        tim_sns::DEFAULT_MAX_IN_FLIGHT
    );
    let start = Instant::now();
    let summary = tim.blocklist().add_many(stream::iter(pairs.clone())).run().await.unwrap();
    let elapsed = start.elapsed().as_secs_f64();
    let stats = emu.stats().endpoint("v4/sns/black_list_add");
    let throttled = stats.errors.get(&60007).copied().unwrap_or(0);
    assert_eq!(summary.succeeded as usize, pairs.len(), "{summary:?}");
    let rate = stats.requests as f64 / elapsed;
    println!(
        "  {} requests in {elapsed:.1} s: {rate:.1} calls/s = {:.3} of 200; 60007 answers {throttled}; other errors {:?}",
        stats.requests,
        rate / LIMIT,
        stats.errors.iter().filter(|(c, _)| **c != 60007).collect::<Vec<_>>()
    );
    drop(emu);
    BulkFigures { rate, throttled, baseline_rate }
}

struct Overhead {
    tasks: usize,
    sdk: f64,
    raw: f64,
}

const CHECK_BODY: &str = r#"{"From_Account":"alice","To_Account":["bob"],"CheckType":"BlackCheckResult_Type_Both"}"#;

/// Runs `tasks` loops of `call` for `secs`; returns the calls made and the seconds taken.
async fn measure<F, Fut>(tasks: usize, secs: f64, call: F) -> (u64, f64)
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let count = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let end = start + Duration::from_secs_f64(secs);
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (call, count) = (call.clone(), Arc::clone(&count));
            tokio::spawn(async move {
                while Instant::now() < end {
                    call().await;
                    count.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    (count.load(Ordering::Relaxed), start.elapsed().as_secs_f64())
}

async fn overhead(server: &Handle, args: &Args) -> (Vec<Overhead>, Emulator) {
    let app = TimApp::new(APP, KEY).admin(ADMIN).accounts(["alice", "bob"]).block("alice", ["bob"]);
    let emu = start(server, Emulator::builder().tim_app(app).tim_rate_limit(None)).await;
    println!();
    println!("--- 2. overhead: black_list_check of 1 id, no latency, no limit ---");
    let tim = sdk(&emu).rate_limit(None).build().unwrap();
    let sig = tim.admin_usersig().await.unwrap();
    let url = format!(
        "{}/v4/sns/black_list_check?sdkappid={APP}&identifier={ADMIN}&usersig={}&random=3141592653&contenttype=json",
        emu.base_url(),
        sig.expose()
    );
    let url = reqwest::Url::parse(&url).unwrap();
    let body = bytes::Bytes::from_static(CHECK_BODY.as_bytes());
    let raw = tx_core::HttpConfig::default().build().unwrap();
    // The pre-built request is valid: one checked answer before timing.
    let answer = raw.post(url.clone()).header("content-type", "application/json").body(body.clone()).send().await;
    let answer = answer.unwrap().text().await.unwrap();
    assert!(answer.contains(r#""ActionStatus":"OK""#) && answer.contains("BlackCheckResult_Type_AWithB"), "{answer}");
    let report = tim.blocklist().check("alice", ["bob"], CheckType::Both).await.unwrap();
    assert_eq!(report.items()[0].value(), Some(&tim_sns::Relation::AWithB));

    let sdk_call = {
        let tim = tim.clone();
        move || {
            let tim = tim.clone();
            async move {
                let r = tim.blocklist().check("alice", ["bob"], CheckType::Both).await.unwrap();
                debug_assert!(r.all_succeeded());
            }
        }
    };
    let raw_call = {
        let (raw, url, body) = (raw.clone(), url.clone(), body.clone());
        move || {
            let (raw, url, body) = (raw.clone(), url.clone(), body.clone());
            async move {
                let resp = raw.post(url).header("content-type", "application/json").body(body).send().await.unwrap();
                assert_eq!(resp.status(), 200);
                resp.bytes().await.unwrap();
            }
        }
    };
    // Warm both paths (connections, caches). Then many short slices, alternating in ABBA
    // order, so that load from elsewhere on the machine falls on both sides alike; each
    // side's rate is its calls over its time summed across slices.
    measure(8, 0.5, raw_call.clone()).await;
    measure(8, 0.5, sdk_call.clone()).await;
    let slice = args.secs / args.rounds as f64;
    let mut out = Vec::new();
    for &tasks in &args.concurrency {
        let (mut sdk, mut raw) = ((0u64, 0.0f64), (0u64, 0.0f64));
        let mut ratios = Vec::new();
        for round in 0..args.rounds {
            let (r, k) = if round % 2 == 0 {
                let r = measure(tasks, slice, raw_call.clone()).await;
                (r, measure(tasks, slice, sdk_call.clone()).await)
            } else {
                let k = measure(tasks, slice, sdk_call.clone()).await;
                (measure(tasks, slice, raw_call.clone()).await, k)
            };
            raw = (raw.0 + r.0, raw.1 + r.1);
            sdk = (sdk.0 + k.0, sdk.1 + k.1);
            ratios.push((k.0 as f64 / k.1) / (r.0 as f64 / r.1));
        }
        ratios.sort_by(f64::total_cmp);
        let (sdk, raw) = (sdk.0 as f64 / sdk.1, raw.0 as f64 / raw.1);
        println!(
            "  {tasks:>2} tasks: SDK {sdk:>8.0} calls/s, raw {raw:>8.0} calls/s, ratio {:.3} (per-slice ratios: min {:.3}, median {:.3}, max {:.3})",
            sdk / raw,
            ratios[0],
            ratios[ratios.len() / 2],
            ratios[ratios.len() - 1]
        );
        out.push(Overhead { tasks, sdk, raw });
    }
    let errors = emu.stats().endpoint("v4/sns/black_list_check").errors;
    assert!(errors.is_empty(), "{errors:?}");
    (out, emu)
}

/// The PyPI `timsdk` 1.1.12 hard-codes `https://console.tim.qq.com` in
/// `HttpClient.get_url`; the script wraps that method to put the emulator's base URL in
/// its place and leaves the rest of the package (session, JSON, the random it draws once)
/// as it is.
const PYTHON: &str = r#"
import sys, threading, time
import timsdk.http_client as hc
from timsdk import TimClient

base, app, key, admin, secs, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5]), int(sys.argv[6])
original = hc.HttpClient.get_url
hc.HttpClient.get_url = lambda self, path: original(self, path).replace("https://console.tim.qq.com", base, 1)

answer = TimClient(app, key, admin).sns.black_list_check("alice", ["bob"], "BlackCheckResult_Type_Both")
assert answer["ActionStatus"] == "OK", answer
counts = [0] * threads
end = time.perf_counter() + secs
def loop(i):
    client = TimClient(app, key, admin)
    while time.perf_counter() < end:
        r = client.sns.black_list_check("alice", ["bob"], "BlackCheckResult_Type_Both")
        if r.get("ActionStatus") != "OK":
            raise SystemExit(str(r))
        counts[i] += 1
start = time.perf_counter()
ts = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
for t in ts: t.start()
for t in ts: t.join()
print(sum(counts) / (time.perf_counter() - start))
"#;

/// Runs the `timsdk` loop with 1 thread and with 8 (where the SDK ran 1 and 8 tasks).
fn python_baseline(emu: &Emulator, python: &str, args: &Args, overhead: &[Overhead]) -> Vec<(usize, f64, f64)> {
    println!();
    println!("--- 3. PyPI timsdk (requests) doing the same check loop ---");
    let base = emu.base_url().to_owned();
    let script = std::env::temp_dir().join(format!("tx-bench-timsdk-{}.py", std::process::id()));
    std::fs::write(&script, PYTHON).unwrap();
    let mut rows = Vec::new();
    for o in overhead.iter().filter(|o| o.tasks == 1 || o.tasks == 8) {
        let out = Command::new(python)
            .arg(&script)
            .args([&base, &APP.to_string(), KEY, ADMIN, &(args.secs / 2.0).to_string(), &o.tasks.to_string()])
            .output()
            .expect("run python");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let rate: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        println!(
            "  {:>2} thread(s): {rate:.0} calls/s (SDK with {} task(s): {:.0} calls/s, {:.1}x)",
            o.tasks,
            o.tasks,
            o.sdk,
            o.sdk / rate
        );
        rows.push((o.tasks, rate, o.sdk));
    }
    let _ = std::fs::remove_file(&script);
    rows
}
