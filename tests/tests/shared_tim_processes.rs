//! Several `tx tim` processes sharing one app's quota through a real Redis, against the
//! emulator's 200 calls/s limit over real HTTP; Redis restarted mid-run; Redis down at start.

use std::io::Write;
use std::time::{Duration, Instant};
use tx_emulator::{Emulator, TimApp};
use tx_tests::redis_server::{RedisServer, free_port};
use tx_tests::{ADMIN, APP, KEY, Run, Tx};

const ADD: &str = "v4/sns/black_list_add";
/// The account every pair adds to its owner's blocklist.
const TARGET: &str = "target";

/// The owners of worker `w`'s pairs: `w{w}-{i}`.
fn owners(worker: usize, pairs: usize) -> Vec<String> {
    (0..pairs).map(|i| format!("w{worker}-{i:04}")).collect()
}

async fn emulator(workers: usize, pairs: usize) -> Emulator {
    let mut accounts: Vec<String> = (0..workers).flat_map(|w| owners(w, pairs)).collect();
    accounts.push(TARGET.to_owned());
    Emulator::builder().tim_app(TimApp::new(APP, KEY).admin(ADMIN).accounts(accounts)).start().await.unwrap()
}

/// A CSV of (owner, target) pairs: one request per pair, each owner being another From.
fn pairs_file(worker: usize, pairs: usize) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    for owner in owners(worker, pairs) {
        writeln!(file, "{owner},{TARGET}").unwrap();
    }
    file
}

fn add_pairs(endpoint: &str, redis: &str, file: &tempfile::NamedTempFile) -> Tx {
    let path = file.path().to_str().unwrap();
    Tx::new(["tim", "--json", "--redis", redis, "blocklist", "add", "--pairs", path]).tim_env(endpoint)
}

/// Every input item once, each ok.
fn assert_all_ok(run: &Run, pairs: usize) {
    assert_eq!(run.code, 0, "{}", run.stderr);
    let indices: Vec<u64> = run.items().iter().map(|i| i["index"].as_u64().unwrap()).collect();
    assert_eq!(indices, (0..pairs as u64).collect::<Vec<_>>(), "every item once, in order");
    assert!(run.items().iter().all(|i| i["status"] == "ok"), "{}", run.stdout);
    let summary = run.summary();
    assert_eq!((summary["ok"].as_u64(), summary["complete"].as_bool()), (Some(pairs as u64), Some(true)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_share_one_quota_and_use_it() {
    let (workers, pairs) = (4, 300);
    let redis = RedisServer::start();
    let emu = emulator(workers, pairs).await;
    let files: Vec<_> = (0..workers).map(|w| pairs_file(w, pairs)).collect();
    let runs: Vec<_> = files
        .iter()
        .map(|f| add_pairs(emu.base_url(), &redis.url(), f))
        .map(|tx| tokio::spawn(tx.run_async()))
        .collect();

    // The emulator's count of requests, sampled while the processes run.
    let mut samples = Vec::new();
    while !runs.iter().all(|r| r.is_finished()) {
        samples.push((Instant::now(), emu.stats().endpoint(ADD).requests));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for run in runs {
        assert_all_ok(&run.await.unwrap(), pairs);
    }

    let stats = emu.stats().endpoint(ADD);
    assert_eq!((stats.throttled, stats.errors.get(&60007)), (0, None), "never over 200 calls in a second: {stats:?}");
    let total = (workers * pairs) as u64;
    assert_eq!((stats.requests, stats.ok), (total, total), "one request per pair, none sent twice");
    // From the sample with the first requests to the one with the last.
    let (t0, n0) = *samples.iter().find(|(_, n)| *n > 0).expect("requests were seen");
    let (t1, n1) = *samples.iter().find(|(_, n)| *n == total).unwrap_or_else(|| samples.last().unwrap());
    let per_second = (n1 - n0) as f64 / (t1 - t0).as_secs_f64();
    assert!(per_second >= 0.9 * 200.0, "together they used {per_second:.1} calls/s of the 200 allowed");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_restart_mid_run_loses_nothing() {
    let pairs = 800; // about four seconds at the paced 194 calls/s
    let mut redis = RedisServer::start();
    let emu = emulator(1, pairs).await;
    let file = pairs_file(0, pairs);
    let run = tokio::spawn(add_pairs(emu.base_url(), &redis.url(), &file).run_async());
    while emu.stats().endpoint(ADD).requests < 150 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    redis.stop(); // a crash: quotas and tokens are gone with it
    tokio::time::sleep(Duration::from_millis(700)).await;
    let during_the_outage = emu.stats().endpoint(ADD).requests;
    redis.resume();
    let run = run.await.unwrap();
    assert_all_ok(&run, pairs);
    assert!(during_the_outage < pairs as u64, "Redis came back before the run ended");

    let stats = emu.stats().endpoint(ADD);
    assert_eq!(stats.ok, pairs as u64, "each pair applied once");
    assert!(stats.item_errors.is_empty(), "no pair sent twice: {stats:?}");
    let throttled = stats.errors.get(&60007).copied().unwrap_or(0);
    assert_eq!(stats.requests, pairs as u64 + throttled, "only refused requests were sent again");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_output_shows_the_key_a_usersig_or_the_redis_password() {
    let redis = RedisServer::start_with_password("redis-secret-91f3");
    let emu = emulator(1, 20).await;
    let file = pairs_file(0, 20);
    let path = file.path().to_str().unwrap();
    let run = Tx::new(["-vvv", "tim", "--json", "--redis", &redis.url(), "blocklist", "add", "--pairs", path])
        .tim_env(emu.base_url())
        .run_async()
        .await;
    assert_all_ok(&run, 20);
    let all = run.all_output();
    assert!(all.contains("tx.call"), "-vvv traces the calls: {}", run.stderr);
    for secret in [KEY, "redis-secret-91f3", "eJ"] {
        assert!(!all.contains(secret), "{secret} leaked: {all}");
    }
    let sig_key = format!("tx:access:tim:usersig:{APP}:{ADMIN}");
    assert!(redis.keys().contains(&sig_key), "the UserSig is shared through Redis");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_down_at_start_is_a_configuration_error_whatever_sets_it() {
    let emu = emulator(1, 1).await;
    let down = format!("redis://:hunter2@127.0.0.1:{}/", free_port());
    let url = emu.base_url().to_owned();
    let add = |tx: Tx| tx.tim_env(&url).run_async();
    let args = ["tim", "blocklist", "add", "--from", "w0-0000", TARGET];

    let flag = add(Tx::new(["tim", "--redis", down.as_str(), "blocklist", "add", "--from", "w0-0000", TARGET])).await;
    let env = add(Tx::new(args).env("TX_REDIS_URL", &down)).await;
    let mut config = tempfile::NamedTempFile::new().unwrap();
    writeln!(config, "[profiles.default.redis]\nurl = \"{down}\"").unwrap();
    let profile = add(Tx::new(args).env("TX_CONFIG", config.path())).await;

    for (run, setting) in [(&flag, "--redis"), (&env, "TX_REDIS_URL"), (&profile, "line 2")] {
        assert_eq!(run.code, 3, "a configuration error: {run:?}");
        assert!(run.stderr.contains(setting) && run.stderr.contains("Redis does not answer"), "{}", run.stderr);
        assert!(run.stderr.contains("redis://:***@127.0.0.1:"), "{}", run.stderr);
        assert!(!run.all_output().contains("hunter2"), "{}", run.all_output());
    }
    assert_eq!(emu.stats().total_requests(), 0, "nothing was sent");
    emu.shutdown().await;
}
