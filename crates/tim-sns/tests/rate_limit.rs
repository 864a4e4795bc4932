//! Concurrency under the rate limit, on paused tokio time: the emulator's one-second
//! windows and the client's pacing both run on virtual time, so these tests measure the
//! algorithm, not the machine.

mod common;

use common::*;
use futures_util::future::join_all;
use std::time::Duration;
use tim_sns::CheckType;
use tx_core::{ErrorKind, RetryPolicy};

async fn calls(tim: &tim_sns::Client, n: usize) -> Vec<Result<(), tx_core::Error>> {
    let all = (0..n).map(|_| async { tim.blocklist().check("alice", ["bob"], CheckType::Single).await.map(|_| ()) });
    join_all(all).await
}

#[tokio::test(start_paused = true)]
async fn concurrent_calls_stay_under_the_servers_limit() {
    let (b, clock) = emulator(app(["alice", "bob"]));
    let emu = b.tim_rate_limit(Some(200)).start().await.unwrap();
    let tim = builder(&emu, &clock).retry(RetryPolicy::none()).build().unwrap();
    let start = tokio::time::Instant::now();
    let results = calls(&tim, 600).await;
    assert!(results.iter().all(Result::is_ok));
    let stats = emu.stats().endpoint("v4/sns/black_list_check");
    assert_eq!((stats.requests, stats.ok), (600, 600));
    assert!(stats.errors.is_empty(), "no 60007: {stats:?}");
    // 600 calls paced at 194/s (200 less the 2.5 % headroom, less one for bursts of 2),
    // the first two at once.
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(3060) && elapsed < Duration::from_millis(3100), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn without_the_client_limiter_the_server_throttles() {
    let (b, clock) = emulator(app(["alice", "bob"]));
    let emu = b.tim_rate_limit(Some(200)).start().await.unwrap();
    let tim = builder(&emu, &clock).rate_limit(None).retry(RetryPolicy::none()).build().unwrap();
    let results = calls(&tim, 250).await;
    let throttled: Vec<&tx_core::Error> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(throttled.len(), 50);
    assert!(throttled.iter().all(|e| e.kind() == ErrorKind::Throttled && e.code() == Some(60007) && e.is_retryable()));
}

#[tokio::test(start_paused = true)]
async fn throttled_calls_are_retried_into_the_next_window() {
    let (b, clock) = emulator(app(["alice", "bob"]));
    let emu = b.tim_rate_limit(Some(200)).start().await.unwrap();
    // Exactly one window later: every throttled call lands in the next window.
    let policy = fast_retry().with_max_attempts(2).with_backoff(Duration::from_secs(1), Duration::from_secs(1));
    let tim = builder(&emu, &clock).rate_limit(None).retry(policy).build().unwrap();
    let results = calls(&tim, 250).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(emu.stats().endpoint("v4/sns/black_list_check").errors.get(&60007).copied(), Some(50));
}

#[tokio::test(start_paused = true)]
async fn a_paid_quota_is_used_fully_and_commands_have_their_own_quota() {
    let (b, clock) = emulator(app(["alice", "bob"]));
    let emu = b.tim_rate_limit(Some(400)).start().await.unwrap();
    let tim = builder(&emu, &clock).rate_limit(Some(400)).retry(RetryPolicy::none()).build().unwrap();
    let start = tokio::time::Instant::now();
    let checks = calls(&tim, 780);
    let lists = join_all((0..390).map(|_| async { tim.blocklist().page("alice", 0, 10).await.map(|_| ()) }));
    let (checks, lists) = tokio::join!(checks, lists);
    assert!(checks.iter().chain(lists.iter()).all(Result::is_ok));
    // 780 checks at 389/s take 2 s; the 390 list pages run alongside on their own quota.
    assert!(start.elapsed() < Duration::from_millis(2100), "{:?}", start.elapsed());
    let stats = emu.stats();
    for endpoint in ["v4/sns/black_list_check", "v4/sns/black_list_get"] {
        assert!(stats.endpoint(endpoint).errors.is_empty(), "{endpoint}");
    }
}

#[tokio::test(start_paused = true)]
async fn batch_chunks_share_the_limit() {
    let targets = ids("u", 30_000);
    let (b, clock) = emulator(app(targets.clone()).accounts(["alice"]));
    let emu = b.tim_rate_limit(Some(10)).start().await.unwrap();
    let tim =
        builder(&emu, &clock).rate_limit(Some(10)).rate_limit_headroom(0.0).batch_concurrency(30).build().unwrap();
    let start = tokio::time::Instant::now();
    let report = tim.blocklist().check("alice", &targets, CheckType::Single).await.unwrap();
    assert!(report.all_succeeded());
    assert_eq!(report.requests(), 30);
    assert!(emu.stats().endpoint("v4/sns/black_list_check").errors.is_empty());
    // 30 requests at 10/s, the first at once: 2.9 s of virtual time.
    assert_eq!(start.elapsed().as_millis() / 100, 29);
}
