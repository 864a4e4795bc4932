//! Retries on injected faults, none on permanent errors, item re-sends.

mod common;

use common::*;
use std::time::Duration;
use tim_sns::{CheckType, ErrorCode, KnownCode};
use tx_core::{ErrorKind, RetryPolicy};
use tx_emulator::{Fault, FaultPlan, Step};

const CHECK: &str = "v4/sns/black_list_check";
const ADD: &str = "v4/sns/black_list_add";

async fn setup(plan: FaultPlan) -> (tx_emulator::Emulator, tx_core::clock::ManualClock) {
    let (b, clock) = emulator(app(["alice", "bob", "carol", "dave"]));
    (b.faults(plan).start().await.unwrap(), clock)
}

#[tokio::test]
async fn transient_failures_are_retried_until_an_answer() {
    let steps: Vec<Step> = vec![
        Fault::Http(502).into(),
        Fault::Drop.into(),
        Fault::Http(503).into(),
        Fault::Code(30006).into(),
        Fault::Code(30007).into(),
        Fault::Code(30008).into(),
        Fault::Code(60008).into(),
        Fault::Code(60014).into(),
    ];
    let (emu, clock) = setup(FaultPlan::seeded(1).script(CHECK, steps)).await;
    let tim = builder(&emu, &clock).retry(fast_retry().with_max_attempts(9)).build().unwrap();
    let report = tim.blocklist().check("alice", ["bob"], CheckType::Both).await.unwrap();
    assert!(report.all_succeeded());
    let stats = emu.stats().endpoint(CHECK);
    assert_eq!((stats.requests, stats.ok), (9, 1));
}

#[tokio::test]
async fn throttling_codes_are_retried() {
    let steps = [Fault::Code(60007), Fault::Code(60011), Fault::Code(60018), Fault::Code(60019)];
    let (emu, clock) = setup(FaultPlan::seeded(1).script(CHECK, steps)).await;
    let tim = builder(&emu, &clock).retry(fast_retry().with_max_attempts(5)).build().unwrap();
    tim.blocklist().check("alice", ["bob"], CheckType::Both).await.unwrap();
    assert_eq!(requests(&emu, "black_list_check"), 5);
}

#[tokio::test]
async fn permanent_errors_are_not_retried() {
    for (code, kind) in [
        (30001, ErrorKind::Api),
        (30002, ErrorKind::Api),
        (30013, ErrorKind::Api),
        (60003, ErrorKind::Api),
        (60013, ErrorKind::Api),
        (70009, ErrorKind::Auth),
        (70014, ErrorKind::Auth),
        (70016, ErrorKind::Auth),
        (31307, ErrorKind::Api),
        (90009, ErrorKind::Api),
    ] {
        let (emu, clock) = setup(FaultPlan::seeded(1).script(CHECK, [Fault::Code(code)])).await;
        let tim = client(&emu, &clock);
        let e = tim.blocklist().check("alice", ["bob"], CheckType::Both).await.unwrap_err();
        assert_eq!((e.code(), e.kind(), e.attempts()), (Some(code), kind, 1), "{code}");
        assert!(!e.is_retryable(), "{code}");
        assert_eq!(requests(&emu, "black_list_check"), 1, "{code}");
    }
}

#[tokio::test]
async fn retries_stop_at_the_attempt_limit() {
    let (emu, clock) = setup(FaultPlan::seeded(1).rate(CHECK, Fault::Code(30006), 1.0)).await;
    let tim = builder(&emu, &clock).retry(fast_retry().with_max_attempts(3)).build().unwrap();
    let e = tim.blocklist().check("alice", ["bob"], CheckType::Both).await.unwrap_err();
    assert_eq!((e.code(), e.attempts()), (Some(30006), 3));
    assert!(e.is_retryable(), "a later call may succeed");
    assert_eq!(e.code().map(ErrorCode::from), Some(ErrorCode::Known(KnownCode::InternalError)));
    assert_eq!(requests(&emu, "black_list_check"), 3);
}

#[tokio::test]
async fn a_70050_asks_for_a_minute_which_the_default_deadline_does_not_allow() {
    let (emu, clock) = setup(FaultPlan::seeded(1).script(CHECK, [Fault::Code(70050)])).await;
    let tim = builder(&emu, &clock).retry(RetryPolicy::default()).build().unwrap();
    let e = tim.blocklist().check("alice", ["bob"], CheckType::Both).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Throttled, Some(70050)));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(60)));
    assert_eq!(requests(&emu, "black_list_check"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_70050_is_retried_after_a_minute_when_the_policy_allows() {
    let (emu, clock) = setup(FaultPlan::seeded(1).script(CHECK, [Fault::Code(70050)])).await;
    let tim = client(&emu, &clock);
    let start = tokio::time::Instant::now();
    tim.blocklist().check("alice", ["bob"], CheckType::Both).await.unwrap();
    assert!(start.elapsed() >= Duration::from_secs(60), "waited {:?} of virtual time", start.elapsed());
    assert_eq!(requests(&emu, "black_list_check"), 2);
}

#[tokio::test]
async fn items_failing_with_a_retryable_code_are_resent_alone() {
    let plan = FaultPlan::seeded(1).script(ADD, [Fault::ItemCode(30006)]);
    let (emu, clock) = setup(plan).await;
    let tim = client(&emu, &clock);
    let report = tim.blocklist().add("alice", ["bob", "carol", "dave"]).await.unwrap();
    assert!(report.all_succeeded(), "{report:?}");
    assert_eq!(report.requests(), 2);
    let stats = emu.stats().endpoint(ADD);
    assert_eq!((stats.requests, stats.item_errors.get(&30006).copied()), (2, Some(1)));
}

#[tokio::test]
async fn items_failing_permanently_are_not_resent() {
    let (emu, clock) = setup(FaultPlan::seeded(1).script(ADD, [Fault::ItemCode(30001)])).await;
    let tim = client(&emu, &clock);
    let report = tim.blocklist().add("alice", ["bob", "carol", "dave"]).await.unwrap();
    assert_eq!(report.failed().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["dave"]);
    assert_eq!(report.requests(), 1);
    assert_eq!(requests(&emu, "black_list_add"), 1);
}

#[tokio::test]
async fn item_resends_stop_at_the_attempt_limit() {
    let (emu, clock) = setup(FaultPlan::seeded(1).rate(CHECK, Fault::ItemCode(30007), 1.0)).await;
    let tim = builder(&emu, &clock).retry(fast_retry().with_max_attempts(3)).build().unwrap();
    let report = tim.blocklist().check("alice", ["bob", "carol"], CheckType::Both).await.unwrap();
    assert!(report.get("bob").unwrap().is_ok());
    let carol = report.get("carol").unwrap().error().unwrap();
    assert_eq!(carol.code(), Some(ErrorCode::Known(KnownCode::Timeout)));
    assert!(carol.is_retryable() && !carol.is_request_failure());
    assert_eq!((report.requests(), requests(&emu, "black_list_check")), (3, 3));
}

#[tokio::test]
async fn a_resend_that_fails_as_a_whole_fails_only_the_resent_items() {
    let plan = FaultPlan::seeded(1).script(ADD, [Fault::ItemCode(30006), Fault::Code(30002)]);
    let (emu, clock) = setup(plan).await;
    let tim = client(&emu, &clock);
    let report = tim.blocklist().add("alice", ["bob", "carol", "dave"]).await.unwrap();
    assert_eq!(report.succeeded().count(), 2);
    let dave = report.get("dave").unwrap().error().unwrap();
    assert!(dave.is_request_failure());
    assert_eq!(dave.code(), Some(ErrorCode::Known(KnownCode::SdkAppIdMismatch)));
}

#[tokio::test]
async fn transport_errors_without_retries_fail_the_call() {
    let (emu, clock) = setup(FaultPlan::seeded(1).script(CHECK, [Fault::Http(502)])).await;
    let tim = builder(&emu, &clock).retry(RetryPolicy::none()).build().unwrap();
    let e = tim.blocklist().check("alice", ["bob"], CheckType::Both).await.unwrap_err();
    assert_eq!((e.kind(), e.http_status(), e.code()), (ErrorKind::Transport, Some(502), None));
    assert!(e.body_snippet().unwrap().contains("502"));
}
