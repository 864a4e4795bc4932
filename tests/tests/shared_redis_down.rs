//! What a client with shared state does when Redis is down: at start, a configuration
//! error before anything is sent; mid-run, calls wait for Redis within their deadline and
//! go on when it is back, or fail with a typed error, nothing sent.

use std::time::Duration;
use tim_sns::{CheckType, Client};
use tx_core::shared::SharedState;
use tx_core::{ErrorKind, RetryPolicy};
use tx_emulator::{Emulator, TimApp};
use tx_tests::redis_server::{RedisServer, free_port};
use tx_tests::{ADMIN, APP, KEY};

async fn emulator() -> Emulator {
    Emulator::builder().tim_app(TimApp::new(APP, KEY).admin(ADMIN).accounts(["alice", "bob"])).start().await.unwrap()
}

fn client(emu: &Emulator, redis: &str, deadline: Duration) -> Result<Client, tx_core::Error> {
    Client::builder()
        .sdk_app_id(APP)
        .secret_key(KEY)
        .admin(ADMIN)
        .endpoint(emu.base_url())
        .retry(RetryPolicy::default().with_deadline(deadline))
        .shared_state(redis)
        .build()
}

async fn check(tim: &Client) -> Result<(), tx_core::Error> {
    tim.blocklist().check("alice", ["bob"], CheckType::Both).await.map(drop)
}

fn requests(emu: &Emulator) -> u64 {
    emu.stats().total_requests()
}

#[tokio::test]
async fn redis_down_at_start_is_a_configuration_error_naming_the_url_without_its_password() {
    let emu = emulator().await;
    let down = format!("redis://:hunter2@127.0.0.1:{}/", free_port());
    let e = client(&emu, &down, Duration::from_secs(5)).unwrap_err();
    assert_eq!((e.kind(), e.field(), e.request_not_sent()), (ErrorKind::InvalidInput, Some("shared_state"), true));
    assert!(e.message().contains("redis://:***@127.0.0.1:") && e.message().contains("Redis does not answer"), "{e}");
    let e = SharedState::connect(&down).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let not_a_url = client(&emu, "http://127.0.0.1/", Duration::from_secs(5)).unwrap_err();
    assert_eq!((not_a_url.kind(), not_a_url.field()), (ErrorKind::InvalidInput, Some("shared_state")));
    for shown in [format!("{e} {e:?}"), format!("{:?}", SharedState::builder(&down))] {
        assert!(!shown.contains("hunter2"), "{shown}");
    }
    assert_eq!(requests(&emu), 0, "nothing was sent");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_waits_for_redis_to_come_back_within_its_deadline() {
    let mut redis = RedisServer::start();
    let emu = emulator().await;
    let tim = client(&emu, &redis.url(), Duration::from_secs(20)).unwrap();
    check(&tim).await.unwrap();
    redis.stop();
    let waiting = tokio::spawn({
        let tim = tim.clone();
        async move { check(&tim).await }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!waiting.is_finished(), "the call waits for Redis");
    assert_eq!(requests(&emu), 1, "and sends nothing meanwhile");
    redis.resume(); // empty: the quota starts afresh
    waiting.await.unwrap().unwrap();
    assert_eq!(requests(&emu), 2);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_its_deadline_a_call_fails_with_a_typed_error_and_nothing_sent() {
    let mut redis = RedisServer::start();
    let emu = emulator().await;
    let tim = client(&emu, &redis.url(), Duration::from_millis(800)).unwrap();
    check(&tim).await.unwrap();
    redis.stop();
    let e = check(&tim).await.unwrap_err();
    assert_eq!((e.kind(), e.request_not_sent()), (ErrorKind::Transport, true), "{e:?}");
    assert!(e.message().contains("Redis was out of reach") && e.message().contains(&redis.url()), "{e}");
    assert_eq!(requests(&emu), 1, "nothing was sent without a permit of the shared quota");
    redis.resume();
    check(&tim).await.unwrap();
    emu.shutdown().await;
}
