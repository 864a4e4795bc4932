//! Bulk moderation: streams of (From, To) pairs in, per-pair results out.

mod common;

use common::*;
use futures_util::{StreamExt, TryStreamExt, stream};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use tim_sns::{BulkSummary, CheckType, ErrorCode, KnownCode, Pair, PairOutcome, PairResult, Relation};
use tx_core::{Error, ErrorKind, RetryPolicy};
use tx_emulator::{Fault, FaultPlan};

async fn collect<T: Send + 'static>(s: tim_sns::BulkStream<T>) -> (Vec<PairResult<T>>, BulkSummary) {
    let mut s = s;
    let mut out = Vec::new();
    while let Some(r) = s.next().await {
        out.push(r.unwrap());
    }
    out.sort_by_key(|r| r.index);
    (out, s.summary())
}

#[tokio::test]
async fn block_one_account_for_many_users() {
    let users = ids("user", 300);
    let (b, clock) = emulator(app(users.clone()).accounts(["spammer"]));
    let emu = b.tim_rate_limit(None).start().await.unwrap();
    let tim = client(&emu, &clock);

    // Lines as a CLI would read them: valid pairs, a repeat, a bad line, an unknown user.
    let mut lines: Vec<String> = users.iter().map(|u| format!("{u} spammer")).collect();
    lines.insert(10, "user3 spammer".into());
    lines.insert(20, "just-one-field".into());
    lines.insert(30, "ghost spammer".into());
    lines.insert(40, format!("user5 {}", "x".repeat(40)));
    let progress = Arc::new(Mutex::new(Vec::<BulkSummary>::new()));
    let seen = Arc::clone(&progress);
    let run = tim
        .blocklist()
        .add_many(stream::iter(lines.clone()).map(|l| Pair::parse_line(&l)))
        .max_in_flight(8)
        .on_progress(move |s| seen.lock().unwrap().push(s.clone()));
    let (results, summary) = collect(run.stream()).await;

    assert_eq!(results.len(), lines.len(), "one result per input line");
    assert!(results.iter().enumerate().all(|(i, r)| r.index == i));
    assert_eq!(results[10].outcome, PairOutcome::Duplicate { first_index: 3 });
    assert!(matches!(&results[20].outcome, PairOutcome::Failed(e) if e.kind() == ErrorKind::InvalidInput));
    assert_eq!(results[20].item, None, "a line that is no pair");
    match &results[30].outcome {
        // An unknown From fails its whole request (30003), which fails only its pairs.
        PairOutcome::Failed(e) => {
            assert_eq!(e.code(), Some(ErrorCode::Known(KnownCode::AccountNotFound)));
            assert!(e.is_request_failure());
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&results[40].outcome, PairOutcome::Failed(e) if e.kind() == ErrorKind::InvalidInput));
    assert_eq!(results[0].item, Some(Pair::new("user0", "spammer")));
    assert_eq!(results[40].item, Some(Pair::new("user5", "x".repeat(40))), "a refused pair keeps its ids");

    assert_eq!(summary.read, lines.len() as u64);
    assert_eq!(summary.done, lines.len() as u64);
    assert_eq!((summary.succeeded, summary.failed, summary.duplicates, summary.invalid), (300, 3, 1, 2));
    assert_eq!(summary.failures_by_kind.get("invalid_input").copied(), Some(2));
    assert!(summary.finished && summary.is_complete());
    // 301 distinct From accounts: one request each (ghost included).
    assert_eq!(summary.requests, 301);
    assert_eq!(requests(&emu, "black_list_add"), 301);

    let progress = progress.lock().unwrap();
    assert!(progress.len() > 1);
    assert!(progress.windows(2).all(|w| w[0].done <= w[1].done), "totals only grow");
    assert_eq!(progress.last().unwrap().done, lines.len() as u64);
}

#[tokio::test]
async fn many_targets_of_one_account_are_grouped_into_requests_of_1000() {
    let targets = ids("t", 2500);
    let (b, clock) = emulator(app(targets.clone()).accounts(["owner"]).blocklist_limit(5000));
    let emu = b.tim_rate_limit(None).start().await.unwrap();
    let tim = client(&emu, &clock);
    let summary = tim.blocklist().add_many(stream::iter(Pair::fan_out("owner", targets.clone()))).run().await.unwrap();
    assert_eq!((summary.succeeded, summary.requests), (2500, 3));

    // A small window groups less: 2500 pairs in windows of 300 make 9 requests.
    let summary = tim
        .blocklist()
        .check_many(stream::iter(Pair::fan_out("owner", targets.clone())), CheckType::Single)
        .unwrap()
        .window(300)
        .run()
        .await
        .unwrap();
    assert_eq!((summary.succeeded, summary.requests), (2500, 9));

    let (results, _) = collect(
        tim.blocklist()
            .check_many(stream::iter([("owner", "t1"), ("t1", "owner"), ("owner", "nobody")]), CheckType::Both)
            .unwrap()
            .stream(),
    )
    .await;
    assert_eq!(results[0].outcome, PairOutcome::Ok(Relation::AWithB));
    assert_eq!(results[1].outcome, PairOutcome::Ok(Relation::BWithA));
    assert!(
        matches!(&results[2].outcome, PairOutcome::Failed(e) if e.code() == Some(ErrorCode::Known(KnownCode::AccountNotFound)))
    );

    let summary = tim.blocklist().delete_many(stream::iter(Pair::fan_out("owner", targets))).run().await.unwrap();
    assert_eq!(summary.succeeded, 2500);
    let left: Vec<_> = tim.blocklist().list("owner").try_collect().await.unwrap();
    assert!(left.is_empty());
}

#[tokio::test]
async fn a_configuration_error_stops_the_run() {
    let users = ids("user", 50);
    let (emu, clock) = start(app(users.clone()).accounts(["spammer"])).await;
    let tim = builder(&emu, &clock).secret_key("wrong-key").build().unwrap();
    let mut s = tim.blocklist().add_many(stream::iter(Pair::fan_in(users, "spammer"))).max_in_flight(1).stream();
    // Every pair is accounted for first (failed with the error, or never attempted)...
    let mut records = Vec::new();
    let error = loop {
        match s.next().await.unwrap() {
            Ok(r) => records.push(r),
            Err(e) => break e,
        }
    };
    assert_eq!(records.len(), 50);
    let sent: Vec<&PairResult<()>> = records.iter().filter(|r| r.outcome != PairOutcome::NotAttempted).collect();
    assert!(
        sent.iter().all(|r| matches!(&r.outcome, PairOutcome::Failed(e) if e.code() == Some(ErrorCode::from(70009))))
    );
    // ...then the error, last.
    assert_eq!((error.kind(), error.code()), (ErrorKind::Auth, Some(70009)));
    assert!(s.next().await.is_none(), "the stream ends after the error");
    let summary = s.summary();
    assert!(matches!(summary.stopped, Some(tim_sns::StopReason::Fatal(_))) && summary.finished);
    assert_eq!(summary.not_attempted, 50 - sent.len() as u64);
    assert!(requests(&emu, "black_list_add") < 5, "stopped early, not 50 failures");
    let e: Error = tim.blocklist().add_many(stream::iter([("user1", "spammer")])).run().await.unwrap_err();
    assert_eq!(e.code(), Some(70009));
}

#[tokio::test]
async fn failed_requests_fail_their_pairs_and_the_run_goes_on() {
    let users = ids("user", 20);
    let (b, clock) = emulator(app(users.clone()).accounts(["spammer"]));
    let plan = FaultPlan::seeded(7).rate("v4/sns/black_list_add", Fault::Http(503), 0.3);
    let emu = b.faults(plan).start().await.unwrap();
    let tim = builder(&emu, &clock).retry(RetryPolicy::none()).build().unwrap();
    let (results, summary) =
        collect(tim.blocklist().add_many(stream::iter(Pair::fan_in(users, "spammer"))).stream()).await;
    assert_eq!(results.len(), 20);
    let failed: Vec<&PairResult<()>> = results.iter().filter(|r| !r.is_ok()).collect();
    assert!(!failed.is_empty() && failed.len() < 20, "{}", failed.len());
    for r in &failed {
        let PairOutcome::Failed(e) = &r.outcome else { panic!("{r:?}") };
        assert!(e.is_request_failure() && e.kind() == ErrorKind::Transport && e.code().is_none());
    }
    let stats = emu.stats().endpoint("v4/sns/black_list_add");
    assert_eq!(stats.http_errors.get(&503).copied(), Some(failed.len() as u64));
    assert_eq!(summary.failures_by_kind.get("transport").copied(), Some(failed.len() as u64));
    assert!(summary.is_complete());
}

#[tokio::test]
async fn input_is_read_as_results_are_consumed() {
    let (b, clock) = emulator(app(ids("user", 100)).accounts(["spammer"]));
    let emu = b.tim_rate_limit(None).start().await.unwrap();
    let tim = client(&emu, &clock);
    // An endless input: only a bounded part of it may ever be read ahead.
    let endless = stream::iter((0u64..).map(|i| Pair::new(format!("user{}", i % 100), "spammer")));
    let mut s = tim.blocklist().check_many(endless, CheckType::Single).unwrap().window(50).max_in_flight(4).stream();
    let mut indexes = BTreeSet::new();
    for _ in 0..500 {
        indexes.insert(s.next().await.unwrap().unwrap().index);
    }
    assert_eq!(indexes.len(), 500, "each index once");
    let read = s.summary().read;
    assert!((500..=500 + 2 * 50 + 4).contains(&read), "read {read} pairs for 500 results");
    drop(s);
}

#[tokio::test(start_paused = true)]
async fn bulk_requests_stay_under_the_rate_limit() {
    let users = ids("user", 1000);
    let (b, clock) = emulator(app(users.clone()).accounts(["spammer"]));
    let emu = b.tim_rate_limit(Some(200)).start().await.unwrap();
    let tim = builder(&emu, &clock).retry(RetryPolicy::none()).build().unwrap();
    let start = tokio::time::Instant::now();
    let summary = tim.blocklist().add_many(stream::iter(Pair::fan_in(users, "spammer"))).run().await.unwrap();
    assert_eq!((summary.succeeded, summary.requests), (1000, 1000));
    let stats = emu.stats().endpoint("v4/sns/black_list_add");
    assert!(stats.errors.is_empty(), "{stats:?}");
    // 194/s sustained: 1000 requests take 5.1 s of virtual time.
    let elapsed = start.elapsed().as_secs_f64();
    assert!((5.1..5.2).contains(&elapsed), "{elapsed}");
}
