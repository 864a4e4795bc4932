//! Lost replies: a write the server applied but whose answer never arrived is repeated, and
//! a repeat that finds the write already done counts as a success, marked reconciled.

mod common;

use common::*;
use futures_util::{StreamExt, stream};
use std::time::Duration;
use tim_sns::{AddSource, CheckType, DeleteType, KnownCode, NewFriend, Pair, PairOutcome, Relation};
use tx_emulator::{Fault, FaultPlan, Step};

const ADD: &str = "v4/sns/black_list_add";
const DELETE: &str = "v4/sns/black_list_delete";
const FRIEND_ADD: &str = "v4/sns/friend_add";
const FRIEND_DELETE: &str = "v4/sns/friend_delete";

/// The faults that apply a request and then lose or spoil its reply.
fn lost_replies() -> [Fault; 2] {
    [Fault::AppliedDrop, Fault::AppliedHttp(503)]
}

async fn setup(plan: FaultPlan) -> (tx_emulator::Emulator, tx_core::clock::ManualClock) {
    let (b, clock) = emulator(app(["alice", "bob", "carol", "dave"]).block("alice", ["dave"]));
    (b.faults(plan).start().await.unwrap(), clock)
}

#[tokio::test]
async fn blocklist_writes_whose_reply_was_lost_are_reconciled() {
    for fault in lost_replies() {
        let (emu, clock) = setup(FaultPlan::seeded(1).script(ADD, [fault.clone()])).await;
        let tim = client(&emu, &clock);
        let report = tim.blocklist().add("alice", ["bob", "carol"]).await.unwrap();
        assert!(report.all_succeeded(), "{fault:?}: {report:?}");
        assert!(report.items().iter().all(|i| i.reconciled), "{fault:?}: {report:?}");
        assert_eq!(requests(&emu, "black_list_add"), 2);
        let check = tim.blocklist().check("alice", ["bob", "carol"], CheckType::Single).await.unwrap();
        assert!(check.items().iter().all(|i| i.value() == Some(&Relation::AWithB)), "{check:?}");

        let (emu, clock) = setup(FaultPlan::seeded(1).script(DELETE, [fault.clone()])).await;
        let tim = client(&emu, &clock);
        let report = tim.blocklist().delete("alice", ["dave"]).await.unwrap();
        assert!(report.all_succeeded() && report.items()[0].reconciled, "{fault:?}: {report:?}");
        let check = tim.blocklist().check("alice", ["dave"], CheckType::Single).await.unwrap();
        assert_eq!(check.items()[0].value(), Some(&Relation::No));
    }
}

#[tokio::test]
async fn friend_writes_whose_reply_was_lost_are_reconciled() {
    for fault in lost_replies() {
        let plan = FaultPlan::seeded(1).script(FRIEND_ADD, [fault.clone()]).script(FRIEND_DELETE, [fault.clone()]);
        let (emu, clock) = setup(plan).await;
        let tim = client(&emu, &clock);
        let added = tim.friends().add("bob", [NewFriend::new("carol", AddSource::new("Web"))]).force(true).await;
        let added = added.unwrap();
        assert!(added.all_succeeded() && added.items()[0].reconciled, "{fault:?}: {added:?}");
        let deleted = tim.friends().delete("bob", ["carol"], DeleteType::Both).await.unwrap();
        assert!(deleted.all_succeeded() && deleted.items()[0].reconciled, "{fault:?}: {deleted:?}");
        assert_eq!((requests(&emu, "friend_add"), requests(&emu, "friend_delete")), (2, 2));
    }
}

#[tokio::test]
async fn an_answer_that_no_lost_attempt_explains_stays_a_failure() {
    // "Already blocked" on a first attempt is the state before the call: a failure.
    let (emu, clock) = setup(FaultPlan::seeded(1)).await;
    let report = client(&emu, &clock).blocklist().add("alice", ["dave"]).await.unwrap();
    let item = &report.items()[0];
    assert_eq!(item.code(), Some(KnownCode::InvalidParameter.into()));
    assert!(!item.reconciled);
    // Blocking oneself answers the same code, which no earlier attempt can have caused.
    let (emu, clock) = setup(FaultPlan::seeded(1).script(ADD, [Fault::AppliedDrop])).await;
    let report = client(&emu, &clock).blocklist().add("alice", ["alice", "bob"]).await.unwrap();
    let (me, bob) = (report.get("alice").unwrap(), report.get("bob").unwrap());
    assert_eq!(me.code(), Some(KnownCode::InvalidParameter.into()));
    assert!(!me.reconciled);
    assert!(bob.is_ok() && bob.reconciled);
}

#[tokio::test]
async fn ten_percent_lost_replies_over_two_thousand_pairs_lose_nothing() {
    let users = ids("user", 2000);
    let (b, clock) = emulator(app(users.clone()).accounts(["spammer"]));
    let plan = FaultPlan::seeded(11).rate(ADD, Fault::AppliedDrop, 0.05).rate(ADD, Fault::AppliedHttp(502), 0.05);
    let emu = b.tim_rate_limit(None).faults(plan).start().await.unwrap();
    let tim = builder(&emu, &clock).retry(fast_retry().with_max_attempts(8)).build().unwrap();
    // Pairs grouped by From: 2000 single-target requests, about 200 of them with lost replies.
    let mut records = tim.blocklist().add_many(stream::iter(Pair::fan_in(users.clone(), "spammer"))).stream();
    let mut reconciled = 0;
    while let Some(r) = records.next().await {
        let r = r.unwrap();
        assert_eq!(r.outcome, PairOutcome::Ok(()), "{r:?}");
        reconciled += usize::from(r.reconciled);
    }
    let summary = records.summary();
    assert_eq!((summary.succeeded, summary.failed, summary.reconciled), (2000, 0, reconciled as u64));
    assert!(reconciled > 100, "about 10% of 2000 replies were lost: {reconciled}");
    let stats = emu.stats().endpoint(ADD);
    let lost: u64 = stats.faults.values().sum();
    assert_eq!(stats.requests, 2000 + lost, "one repeat per lost reply: {:?}", stats.faults);
    let check = tim.blocklist().check_many(stream::iter(Pair::fan_in(users, "spammer")), CheckType::Single).unwrap();
    let mut check = check.stream();
    while let Some(r) = check.next().await {
        let r = r.unwrap();
        assert_eq!(r.outcome, PairOutcome::Ok(Relation::AWithB), "{r:?}");
    }
}

#[tokio::test]
async fn a_failure_that_would_stop_the_run_is_confirmed_first() {
    // Two 70001 in a row (the fresh signature refused too), then the service answers:
    // the confirmation finds it working and the run completes.
    let steps: [Step; 2] = [Fault::Code(70001).into(), Fault::Code(70001).into()];
    let (emu, clock) = setup(FaultPlan::seeded(1).script(ADD, steps)).await;
    let tim = client(&emu, &clock);
    let started = std::time::Instant::now();
    let summary = tim.blocklist().add_many(stream::iter([("alice", "bob"), ("alice", "carol")])).run().await;
    let summary = summary.unwrap();
    assert!(summary.is_complete(), "{summary:?}");
    assert_eq!((summary.succeeded, summary.failed), (2, 0));
    assert!(started.elapsed() >= Duration::from_secs(1), "it waited before asking again");
}

#[tokio::test]
async fn a_write_that_runs_out_of_attempts_after_a_lost_reply_says_it_may_have_been_applied() {
    let busy = || Step::Fault(Fault::Code(30006));
    let (emu, clock) =
        setup(FaultPlan::seeded(1).script(ADD, [Fault::AppliedDrop.into(), busy(), busy(), busy()])).await;
    let tim = client(&emu, &clock);
    let e = tim.blocklist().add("alice", ["bob"]).await.unwrap_err();
    assert_eq!((e.code(), e.attempts()), (Some(30006), 4));
    assert!(e.outcome_unknown(), "the first attempt was applied and its reply lost: {e}");
    let check = tim.blocklist().check("alice", ["bob"], CheckType::Single).await.unwrap();
    assert_eq!(check.items()[0].value(), Some(&Relation::AWithB), "it was applied indeed");
    // In a bulk run the pair fails with the same warning.
    let (emu, clock) =
        setup(FaultPlan::seeded(1).script(ADD, [Fault::AppliedDrop.into(), busy(), busy(), busy()])).await;
    let mut run = client(&emu, &clock).blocklist().add_many(stream::iter([("alice", "bob")])).stream();
    let record = run.next().await.unwrap().unwrap();
    assert!(matches!(&record.outcome, PairOutcome::Failed(e) if e.outcome_unknown()), "{record:?}");
    // Busy answers alone prove nothing was applied.
    let (emu, clock) = setup(FaultPlan::seeded(1).script(ADD, [busy(), busy(), busy(), busy()])).await;
    let e = client(&emu, &clock).blocklist().add("alice", ["bob"]).await.unwrap_err();
    assert!(!e.outcome_unknown(), "{e}");
}
