//! WeChat authorizer tokens shared by separate processes (the `shared-worker` binary)
//! through a real Redis, against the emulator over real HTTP: one refresh for all of them,
//! and a refresh token rotated by one process used by the next.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tx_core::clock::{ManualClock, SystemClock};
use tx_core::token::{Token, TokenStore};
use tx_core::{Secret, shared::SharedState};
use tx_emulator::{Emulator, EmulatorBuilder, Seed, SettingsPatch, WechatAuthorizer, WechatComponent};
use tx_tests::redis_server::RedisServer;

const COMPONENT: &str = "wx0c0c0c0c0c0c0c0c";
const SECRET: &str = "component-secret-0123456789";
const TICKET: &str = "ticket@@@start-0123456789";
const APPID: &str = "wxa1a1000000000000";
const REFRESH: &str = "refreshtoken@@@seeded-0";
const GET: &str = "wxa/operationams?action=agency_get_mp_amscategory_blacklist";

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn emulator(authorizer: WechatAuthorizer) -> EmulatorBuilder {
    Emulator::builder()
        .wechat_component(WechatComponent::new(COMPONENT, SECRET, TICKET))
        .wechat_authorizer(authorizer.component(COMPONENT).refresh_token(REFRESH))
}

/// The store key of the mini program's tokens.
fn key() -> String {
    format!("{}:{APPID}", wechat_ams::authorizer_namespace(COMPONENT))
}

/// A worker process, built and waiting for the word to go.
struct Worker {
    child: Child,
    stdout: BufReader<ChildStdout>,
}

impl Worker {
    fn spawn(emu: &Emulator, redis: Option<&str>, calls: usize, refresh_token: Option<&str>) -> Worker {
        let mut command = Command::new(env!("CARGO_BIN_EXE_shared-worker"));
        command.args(["--endpoint", emu.base_url(), "--component", COMPONENT, "--secret", SECRET]);
        command.args(["--ticket", TICKET, "--appid", APPID, "--calls", &calls.to_string()]);
        if let Some(url) = redis {
            command.args(["--redis", url]);
        }
        if let Some(refresh) = refresh_token {
            command.args(["--refresh-token", refresh]);
        }
        let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("the worker starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut ready = String::new();
        stdout.read_line(&mut ready).unwrap();
        assert_eq!(ready.trim(), "ready", "the worker did not build its client");
        Worker { child, stdout }
    }

    fn go(&mut self) {
        writeln!(self.child.stdin.as_mut().unwrap(), "go").unwrap();
    }

    /// The worker's summary and exit code.
    fn finish(mut self) -> (serde_json::Value, i32) {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        let code = self.child.wait().unwrap().code().unwrap_or(-1);
        (serde_json::from_str(&line).unwrap_or_else(|e| panic!("{line:?}: {e}")), code)
    }

    /// Runs a worker to the end.
    async fn run(emu: &Emulator, redis: Option<&str>, refresh_token: Option<&str>) -> (serde_json::Value, i32) {
        let mut worker = Worker::spawn(emu, redis, 1, refresh_token);
        worker.go();
        tokio::task::spawn_blocking(move || worker.finish()).await.unwrap()
    }
}

fn fetches(emu: &Emulator, kind: &str, appid: &str) -> u64 {
    emu.stats().token_fetches(kind, appid)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_with_an_expired_token_make_one_refresh() {
    let redis = RedisServer::start();
    // The token the processes find in Redis is valid by their clocks, and expired by the
    // server's, which runs two hours ahead: every call with it is answered 42001.
    let server_clock = ManualClock::new(now());
    let authorizer = WechatAuthorizer::new(APPID).access_token("seeded-token-0");
    let emu = emulator(authorizer).clock(Arc::new(server_clock.clone())).start().await.unwrap();
    let shared = SharedState::connect(redis.url()).await.unwrap();
    let store = shared.token_store(Arc::new(SystemClock));
    let seeded = Token::new("seeded-token-0", now(), Duration::from_secs(7200));
    store.put_access(&key(), &seeded).await.unwrap();
    store.put_durable(&key(), &tx_core::token::Durable::new(REFRESH, None)).await.unwrap();
    server_clock.advance(7300);

    let (processes, calls) = (4, 250);
    let mut workers: Vec<_> = (0..processes).map(|_| Worker::spawn(&emu, Some(&redis.url()), calls, None)).collect();
    workers.iter_mut().for_each(Worker::go);
    let results = tokio::task::spawn_blocking(move || workers.into_iter().map(Worker::finish).collect::<Vec<_>>());
    for (summary, code) in results.await.unwrap() {
        assert_eq!((code, summary["ok"].as_u64()), (0, Some(calls as u64)), "{summary}");
    }

    assert_eq!(fetches(&emu, "authorizer_access_token", APPID), 1, "one refresh across the four processes");
    assert_eq!(fetches(&emu, "component_access_token", COMPONENT), 1, "and one component token for it");
    let stats = emu.stats().endpoint(GET);
    let rejected = stats.errors.get(&42001).copied().unwrap_or(0);
    assert!(rejected >= processes as u64, "each process met the expired token: {stats:?}");
    assert_eq!(stats.requests, (processes * calls) as u64 + rejected, "one resend per rejection");
    let stored = store.access(&key()).await.unwrap().expect("the new token is stored");
    assert_ne!(stored.value, Secret::new("seeded-token-0"));
    assert_eq!(redis.keys().iter().filter(|k| k.starts_with("tx:lock:")).count(), 0, "the lock was released");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_token_rotated_in_one_process_is_used_by_another() {
    let redis = RedisServer::start();
    let no_overlap = SettingsPatch { wechat_refresh_token_overlap_secs: Some(0), ..SettingsPatch::default() };
    let emu = emulator(WechatAuthorizer::new(APPID))
        .wechat_rotate_refresh_token(true)
        .seed(Seed { settings: no_overlap, ..Seed::default() })
        .start()
        .await
        .unwrap();
    let store = SharedState::connect(redis.url()).await.unwrap().token_store(Arc::new(SystemClock));

    // The first process starts with the seeded refresh token; its refresh rotates it.
    let (first, code) = Worker::run(&emu, Some(&redis.url()), Some(REFRESH)).await;
    assert_eq!((code, first["ok"].as_u64()), (0, Some(1)), "{first}");
    let rotated = store.durable(&key()).await.unwrap().expect("stored").value;
    assert_ne!(rotated.expose(), REFRESH, "rotated, and stored in Redis");

    // Its access token is rejected and dropped (as a 40001 would); the second process,
    // which knows no refresh token itself, refreshes with the rotated one from Redis.
    let token = store.access(&key()).await.unwrap().expect("stored").value;
    assert!(store.remove_access_if(&key(), &token).await.unwrap());
    let (second, code) = Worker::run(&emu, Some(&redis.url()), None).await;
    assert_eq!((code, second["ok"].as_u64()), (0, Some(1)), "{second}");
    assert_eq!(fetches(&emu, "authorizer_access_token", APPID), 2);
    assert_ne!(store.durable(&key()).await.unwrap().unwrap().value, rotated, "rotated again, and stored");

    // The seeded refresh token died with the first rotation: without Redis, it is refused.
    let (alone, code) = Worker::run(&emu, None, Some(REFRESH)).await;
    assert_eq!((code, alone["failed"].as_u64()), (1, Some(1)), "{alone}");
    assert!(alone["errors"][0].as_str().unwrap().contains("61023"), "{alone}");
    emu.shutdown().await;
}
