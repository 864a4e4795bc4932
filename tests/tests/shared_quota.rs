//! The rate limiter on Redis, as several processes see it: each limiter here has a
//! connection of its own, as a process would.

use std::sync::Arc;
use std::time::Duration;
use tx_core::ErrorKind;
use tx_core::rate_limit::{LocalRateLimiter, NoPermit, Quota, RateKey, RateLimiter};
use tx_core::shared::{SharedRateLimiter, SharedState};
use tx_tests::redis_server::RedisServer;

/// A process's limiter: one call a minute per key, except `free`, unpaced.
async fn limiter(redis: &RedisServer) -> SharedRateLimiter {
    let local = LocalRateLimiter::new(Some(Quota::per_minute(1))).endpoint_quota("free", None);
    SharedState::connect(redis.url()).await.unwrap().rate_limiter(Arc::new(local))
}

fn key(scope: &str, endpoint: &str) -> RateKey {
    RateKey::new("tim", scope, endpoint)
}

fn wait_of(refusal: Result<(), NoPermit>) -> Duration {
    match refusal {
        Err(NoPermit::Wait(wait)) => wait,
        other => panic!("expected a wait, got {other:?}"),
    }
}

#[tokio::test]
async fn a_permit_taken_by_one_process_is_gone_for_the_others() {
    let redis = RedisServer::start();
    let (a, b) = (limiter(&redis).await, limiter(&redis).await);
    let add = key("1400000000", "v4/sns/black_list_add");
    a.permit(&add, Duration::ZERO).await.unwrap();
    let wait = wait_of(b.permit(&add, Duration::from_millis(500)).await);
    assert!(
        wait > Duration::from_secs(59) && wait <= Duration::from_secs(60),
        "the next slot is a minute away: {wait:?}"
    );
    // The refusal reserved nothing: the next slot is still the one a minute after the first.
    let again = wait_of(b.permit(&add, Duration::ZERO).await);
    assert!(again <= wait, "{again:?} after {wait:?}");
    assert_eq!(b.acquire(&add, Duration::ZERO).await.map_err(|w| w > Duration::from_secs(59)), Err(true));
}

#[tokio::test]
async fn apps_and_endpoints_have_quotas_of_their_own_and_unpaced_keys_only_obey_holds() {
    let redis = RedisServer::start();
    let (a, b) = (limiter(&redis).await, limiter(&redis).await);
    a.permit(&key("1400000000", "v4/sns/black_list_add"), Duration::ZERO).await.unwrap();
    b.permit(&key("1400000001", "v4/sns/black_list_add"), Duration::ZERO).await.unwrap();
    b.permit(&key("1400000000", "v4/sns/black_list_check"), Duration::ZERO).await.unwrap();
    for _ in 0..100 {
        b.permit(&key("1400000000", "free"), Duration::ZERO).await.unwrap();
    }
    a.hold(&key("1400000000", "free"), Duration::from_secs(30)).await;
    let wait = wait_of(b.permit(&key("1400000000", "free"), Duration::from_secs(1)).await);
    assert!(wait > Duration::from_secs(29), "the hold of one process stops the others: {wait:?}");
    b.permit(&key("1400000001", "free"), Duration::ZERO).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hold_placed_while_a_caller_sleeps_wins_over_its_slot() {
    let redis = RedisServer::start();
    let local = LocalRateLimiter::new(Some(Quota::per_second(2)));
    let shared = SharedState::connect(redis.url()).await.unwrap();
    let (a, b) = (Arc::new(shared.rate_limiter(Arc::new(local))), limiter(&redis).await);
    let check = key("1400000000", "v4/sns/black_list_check");
    a.permit(&check, Duration::ZERO).await.unwrap();
    let sleeper = tokio::spawn({
        let a = Arc::clone(&a);
        let check = check.clone();
        async move { a.permit(&check, Duration::from_secs(2)).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await; // its slot is 500 ms after the first
    b.hold(&check, Duration::from_secs(60)).await;
    let wait = wait_of(sleeper.await.unwrap());
    assert!(wait > Duration::from_secs(59), "{wait:?}");
}

#[tokio::test]
async fn with_redis_out_of_reach_no_permit_is_given_and_the_error_says_why() {
    let mut redis = RedisServer::start();
    let a = limiter(&redis).await;
    let add = key("1400000000", "v4/sns/black_list_add");
    a.permit(&add, Duration::ZERO).await.unwrap();
    redis.stop();
    match a.permit(&key("1400000000", "free"), Duration::from_millis(300)).await {
        Err(NoPermit::Unavailable(e)) => {
            assert_eq!(e.kind(), ErrorKind::Transport);
            assert!(e.message().contains("Redis was out of reach"), "{e}");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert_eq!(
        a.acquire(&key("1400000000", "free"), Duration::from_millis(100)).await,
        Err(Duration::from_millis(100))
    );
    redis.resume();
    a.permit(&key("1400000000", "free"), Duration::from_secs(5)).await.unwrap();
}
