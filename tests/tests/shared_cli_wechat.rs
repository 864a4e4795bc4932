//! `tx wechat --redis`: the ticket, the tokens and the refresh tokens live in Redis, shared
//! by every invocation whatever its state directory, and none is written there.

use std::time::Duration;
use tx_emulator::defaults::WECHAT_COMPONENT;
use tx_tests::redis_server::RedisServer;
use tx_tests::{Tx, platforms_emulator, wechat_push};

const A1: &str = "wxa000000000000001";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invocations_with_their_own_state_directories_share_the_ticket_and_tokens_through_redis() {
    let redis = RedisServer::start();
    let emu = platforms_emulator(Duration::from_millis(200)).await;
    let url = emu.base_url().to_owned();
    let states: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let redis_url = redis.url();
    let wechat = |state: usize, args: &[&str]| {
        let mut all = vec!["wechat", "--redis", &redis_url];
        all.extend_from_slice(args);
        Tx::new(all).wechat_env(&url, states[state].path())
    };

    let capture = wechat_push(&url, "component_verify_ticket", None).await;
    let ticket = wechat(0, &["--json", "ticket"]).stdin(capture.to_string()).run_async().await;
    assert_eq!(ticket.code, 0, "{ticket:?}");
    let fetch = wechat(1, &["--json", "token", "--fetch", "--authorizer", A1]).run_async().await;
    assert_eq!(fetch.code, 0, "the ticket received by another invocation is in Redis: {fetch:?}");
    let kept = wechat(2, &["--json", "token", "--authorizer", A1]).run_async().await;
    assert_eq!(kept.code, 0, "{kept:?}");
    assert!(kept.records("token").iter().all(|t| t["valid"] == true), "{}", kept.stdout);

    let stats = emu.stats();
    assert_eq!(stats.token_fetches("component_access_token", WECHAT_COMPONENT), 1);
    assert_eq!(stats.token_fetches("authorizer_access_token", A1), 1);
    let keys = redis.keys();
    for key in [
        format!("tx:durable:wechat:ticket:{WECHAT_COMPONENT}"),
        format!("tx:access:wechat:component:{WECHAT_COMPONENT}"),
        format!("tx:access:wechat:authorizer:{WECHAT_COMPONENT}:{A1}"),
        format!("tx:durable:wechat:authorizer:{WECHAT_COMPONENT}:{A1}"),
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    for state in &states {
        let files: Vec<_> = std::fs::read_dir(state.path()).unwrap().collect();
        assert!(files.is_empty(), "nothing kept in the state directory: {files:?}");
    }
    emu.shutdown().await;
}
