//! Rate limits on paused tokio time (the emulator's minute windows, its 5-minute penalty
//! and the client's pacing all run on virtual time): calls paced under the configured
//! quota, across accounts; the lockout after a breach honoured, with no call reaching the
//! endpoint until it ends; the pause when an answer shows the minute spent.

mod common;

use common::*;
use futures_util::future::join_all;
use std::time::Duration;
use tencent_ads::{ENDPOINT_LOCKOUT, QUOTA_PAUSE, WatermarksGetRequest};
use tokio::time::Instant;
use tx_core::{Error, ErrorKind};

async fn get(ads: &tencent_ads::Client, account: i64) -> Result<(), Error> {
    ads.watermarks().page(&WatermarksGetRequest::new(account)).await.map(|_| ())
}

/// Fast retries, and up to 10 minutes in the queue for the client's quota.
fn patient() -> tx_core::RetryPolicy {
    fast_retry().with_max_server_wait(Duration::from_secs(600))
}

fn throttled(emu: &tx_emulator::Emulator, endpoint: &str) -> u64 {
    emu.stats().endpoint(endpoint).throttled
}

#[tokio::test(start_paused = true)]
async fn calls_of_all_accounts_are_paced_under_the_apps_quota() {
    let (b, clock) = emulator();
    let emu = b.ads_quota_per_minute(Some(30)).start().await.unwrap();
    // Calls queue for the quota in order; these may wait up to 10 minutes for their turn.
    let ads = builder(&emu, &clock).rate_limit(Some(30)).retry(patient()).build().unwrap();
    let results = join_all((0..90).map(|i| get(&ads, if i % 2 == 0 { A } else { B }))).await;
    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
    assert_eq!((requests(&emu, GET), throttled(&emu, GET)), (90, 0));
}

#[tokio::test(start_paused = true)]
async fn a_call_that_would_wait_too_long_for_its_turn_fails_at_once() {
    let (b, clock) = emulator();
    let emu = b.start().await.unwrap();
    let ads = builder(&emu, &clock).rate_limit(Some(6)).rate_limit_headroom(0.0).build().unwrap();
    let start = Instant::now();
    // Slots every 10 s; the retry policy lets a call wait 60 s: the eighth is refused.
    let results = join_all((0..8).map(|_| get(&ads, A))).await;
    let refused: Vec<&Error> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(refused.len(), 1);
    let e = refused[0];
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Throttled, 0));
    assert!(e.request_not_sent() && e.is_retryable() && e.retry_after() == Some(Duration::from_secs(70)), "{e:?}");
    assert!(start.elapsed() >= Duration::from_secs(60));
    assert_eq!(requests(&emu, GET), 7);
}

#[tokio::test(start_paused = true)]
async fn without_the_clients_quota_the_same_load_breaches() {
    let (b, clock) = emulator();
    let emu = b.ads_quota_per_minute(Some(30)).start().await.unwrap();
    let ads = builder(&emu, &clock).build().unwrap();
    let results = join_all((0..40).map(|i| get(&ads, if i % 2 == 0 { A } else { B }))).await;
    let refused = results.iter().filter(|r| r.as_ref().is_err_and(|e| e.code() == Some(11017))).count();
    assert_eq!(refused, 10, "the quota counts per app and endpoint, whatever the account");
}

#[tokio::test(start_paused = true)]
async fn endpoints_have_their_own_quotas() {
    let (b, clock) = emulator();
    let emu = b.ads_quota_per_minute(Some(10)).start().await.unwrap();
    let ads = builder(&emu, &clock)
        .rate_limit(Some(10))
        .endpoint_rate_limit("watermarks/add", None)
        .retry(patient())
        .build()
        .unwrap();
    let gets = join_all((0..20).map(|_| get(&ads, A)));
    let adds = join_all((0..12).map(|_| ads.watermarks().add(A, ["123"], ["t"])));
    let (gets, adds) = tokio::join!(gets, adds);
    assert!(gets.iter().all(Result::is_ok));
    assert_eq!(throttled(&emu, GET), 0);
    // Adds were not limited by the client, so the emulator refused the two over 10; this
    // policy may wait out the 5-minute lockout, after which they went through.
    assert_eq!(throttled(&emu, ADD), 2);
    assert!(adds.iter().all(Result::is_ok));
}

#[tokio::test(start_paused = true)]
async fn after_a_breach_no_call_reaches_the_endpoint_until_the_lockout_ends() {
    let (b, clock) = emulator();
    let emu = b.ads_quota_per_minute(Some(3)).start().await.unwrap();
    // No client quota and no pause on the quota header: the fourth call breaches.
    let ads = builder(&emu, &clock).pause_at_minute_quota(None).build().unwrap();
    for _ in 0..3 {
        get(&ads, A).await.unwrap();
    }
    let breach = get(&ads, A).await.unwrap_err();
    assert_eq!((breach.kind(), breach.code(), breach.attempts()), (ErrorKind::Throttled, Some(11017), 1));
    assert_eq!(breach.retry_after(), Some(ENDPOINT_LOCKOUT));
    assert!(breach.message().contains("300 s"), "{breach}");
    let breached_at = Instant::now();
    assert_eq!(requests(&emu, GET), 4);

    // During the lockout calls fail at once when the lockout outlasts what a call may
    // wait (the retry policy's 60 s of server-prescribed wait), and none reaches the endpoint.
    for wait in [Duration::ZERO, Duration::from_secs(60), Duration::from_secs(179)] {
        tokio::time::advance(wait).await;
        let e = get(&ads, A).await.unwrap_err();
        assert_eq!((e.kind(), e.code(), e.attempts()), (ErrorKind::Throttled, None, 0), "{e}");
        assert!(e.request_not_sent() && e.is_retryable());
        assert!(e.retry_after().is_some_and(|d| d > Duration::from_secs(60) && d <= ENDPOINT_LOCKOUT));
    }
    assert_eq!(requests(&emu, GET), 4, "nothing reached the endpoint");
    // Other endpoints are not held.
    ads.material_tasks().page(&tencent_ads::MaterialTasksGetRequest::new(A)).await.unwrap();

    // A minute before the end, a call waits for the lockout to end, then goes.
    tokio::time::advance(Duration::from_secs(1)).await;
    get(&ads, A).await.unwrap();
    assert!(breached_at.elapsed() >= ENDPOINT_LOCKOUT, "{:?}", breached_at.elapsed());
    assert_eq!(requests(&emu, GET), 5);
    assert_eq!(throttled(&emu, GET), 1, "one refusal in all: the client never hammered");
}

#[tokio::test(start_paused = true)]
async fn every_breach_code_holds_the_endpoint() {
    for code in [11008, 11016, 11017, 11019] {
        let (b, clock) = emulator();
        let plan = tx_emulator::FaultPlan::seeded(1).script(GET, [tx_emulator::Fault::Code(code)]);
        let emu = b.faults(plan).start().await.unwrap();
        let ads = client(&emu, &clock);
        let e = get(&ads, A).await.unwrap_err();
        assert_eq!((e.kind(), e.code(), e.retry_after()), (ErrorKind::Throttled, Some(code), Some(ENDPOINT_LOCKOUT)));
        let held = get(&ads, A).await.unwrap_err();
        assert!(held.request_not_sent() && held.code().is_none(), "{code}: {held}");
        assert_eq!(requests(&emu, GET), 1, "{code}");
        tokio::time::advance(ENDPOINT_LOCKOUT).await;
        get(&ads, A).await.unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn a_call_waiting_on_a_lockout_within_its_deadline_goes_when_it_ends() {
    let (b, clock) = emulator();
    let emu = b.ads_quota_per_minute(Some(1)).start().await.unwrap();
    let policy = fast_retry().with_max_server_wait(Duration::from_secs(600));
    let ads = builder(&emu, &clock).pause_at_minute_quota(None).retry(policy).build().unwrap();
    get(&ads, A).await.unwrap();
    let start = Instant::now();
    // The breach is retried after the lockout, which the client waits out itself.
    get(&ads, A).await.unwrap();
    assert!(start.elapsed() >= ENDPOINT_LOCKOUT);
    assert_eq!((requests(&emu, GET), throttled(&emu, GET)), (3, 1));
}

#[tokio::test(start_paused = true)]
async fn an_answer_showing_the_minute_spent_pauses_the_endpoint() {
    let (b, clock) = emulator();
    let emu = b.ads_quota_per_minute(Some(5)).start().await.unwrap();
    let ads = client(&emu, &clock);
    for _ in 0..5 {
        get(&ads, A).await.unwrap();
    }
    // The fifth answer said `100%,0%`: the sixth call waits for the next window.
    let start = Instant::now();
    get(&ads, A).await.unwrap();
    assert!(start.elapsed() >= QUOTA_PAUSE - Duration::from_secs(1));
    assert_eq!((requests(&emu, GET), throttled(&emu, GET)), (6, 0));

    // Turned off, the same sequence breaches.
    let (b, clock) = emulator();
    let emu = b.ads_quota_per_minute(Some(5)).start().await.unwrap();
    let ads = builder(&emu, &clock).pause_at_minute_quota(None).build().unwrap();
    for _ in 0..5 {
        get(&ads, A).await.unwrap();
    }
    assert_eq!(get(&ads, A).await.unwrap_err().code(), Some(11017));
}

#[tokio::test(start_paused = true)]
async fn a_higher_pause_threshold_leaves_quota_for_other_processes() {
    let (b, clock) = emulator();
    let emu = b.ads_quota_per_minute(Some(10)).start().await.unwrap();
    // Pause once 20 % or less is left: the eighth answer (20 % left) pauses the endpoint,
    // leaving two calls of the minute to whoever else uses the app.
    let ads = builder(&emu, &clock).pause_at_minute_quota(Some(20)).build().unwrap();
    let start = Instant::now();
    for _ in 0..8 {
        get(&ads, A).await.unwrap();
    }
    assert!(start.elapsed() < Duration::from_secs(1));
    get(&ads, A).await.unwrap();
    assert!(start.elapsed() >= QUOTA_PAUSE - Duration::from_secs(1));
    assert_eq!(throttled(&emu, GET), 0);
}
