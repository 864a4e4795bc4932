//! Fleet operations against the emulator: read every authorizer, write only where it
//! differs; one record per input item however the run ends; the advertiser black list
//! within the per-type caps.

mod common;

use common::*;
use futures_util::{StreamExt, TryStreamExt, stream};
use std::collections::BTreeMap;
use std::time::Duration;
use tx_core::bulk::{Outcome, StopReason};
use tx_core::{Error, ErrorKind};
use tx_emulator::{Fault, FaultPlan, Step};
use wechat_ams::fleet::{Authorizer, BlackListPolicy, FleetRecord};
use wechat_ams::wire::BlackListEntry;
use wechat_ams::{AmsCategory, BlackListType, CategoryChange, CategorySet, Client};

const GET: &str = "agency_get_mp_amscategory_blacklist";
const SET: &str = "agency_set_mp_amscategory_blacklist";

fn policy() -> CategorySet {
    CategorySet::from_iter([AmsCategory::Chess, AmsCategory::Loan])
}

/// What odd mini programs start with: something else than the policy.
fn other(i: usize) -> &'static str {
    ["", "CHESS", "LOAN|INSURANCE", "CHESS|LOAN|SECURITES"][i % 4]
}

async fn collect<V>(
    run: wechat_ams::FleetBulk<impl wechat_ams::fleet::Policy<Value = V>>,
) -> (Vec<FleetRecord<V>>, Option<Error>, tx_core::bulk::BulkSummary)
where
    V: Send + 'static,
{
    let mut s = run.stream();
    let (mut all, mut fatal) = (Vec::new(), None);
    while let Some(r) = s.next().await {
        match r {
            Ok(record) => all.push(record),
            Err(e) => fatal = Some(e),
        }
    }
    all.sort_by_key(|r| r.index);
    (all, fatal, s.summary())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ensure_over_fifty_authorizers_writes_only_to_those_that_differ() {
    let n = 50;
    let (b, clock) = emulator(
        (0..n).map(|i| authorizer(i).ams_category(if i.is_multiple_of(2) { "LOAN|CHESS" } else { other(i / 2) })),
    );
    let emu = b.start().await.unwrap();
    let wechat = client(&emu, &clock, n).await;
    let run = wechat.fleet().ensure_category_blacklist(stream::iter((0..n).map(appid)), policy()).unwrap();
    let (records, fatal, summary) = collect(run.window(16).max_in_flight(8)).await;
    assert!(fatal.is_none());
    assert_eq!(records.len(), n);
    for (i, r) in records.iter().enumerate() {
        assert_eq!((r.index, r.item.as_ref().unwrap().authorizer_appid.as_str()), (i, appid(i).as_str()));
        let Outcome::Ok(change) = &r.outcome else { panic!("{i}: {:?}", r.outcome) };
        if i.is_multiple_of(2) {
            assert_eq!(change, &CategoryChange::Unchanged { categories: policy() });
        } else {
            let before: CategorySet = other(i / 2).parse().unwrap();
            assert_eq!(change, &CategoryChange::Changed { before, after: policy() }, "{i}");
        }
    }
    assert_eq!((summary.succeeded, summary.failed, summary.requests), (50, 0, 75));
    assert!(summary.is_complete());
    assert_eq!((requests(&emu, &op(GET)), requests(&emu, &op(SET))), (50, 25), "writes only where they differ");
    for i in 0..n {
        assert_eq!(fetches(&emu, &appid(i)), 1, "one token fetch for {i}");
        assert_eq!(wechat.ams(appid(i)).category_blacklist().get().await.unwrap(), policy());
    }
    assert_eq!(component_fetches(&emu), 1);
    let line = serde_json::to_value(&records[1]).unwrap(); // 1 starts with nothing blocked
    assert_eq!(
        line,
        serde_json::json!({"index": 1, "authorizer_appid": appid(1), "status": "ok",
            "value": {"change": "changed", "before": "", "after": "CHESS|LOAN"}, "reconciled": false})
    );
}

#[tokio::test]
async fn every_input_item_is_accounted_for() {
    let (emu, clock) = start(2).await;
    let wechat = client(&emu, &clock, 2).await;
    let input: Vec<Result<String, Error>> = vec![
        Ok(appid(0)),
        Ok("gh_0123456789ab".into()),
        Ok(format!(" {} ", appid(1))),
        Ok(appid(0)),
        Err(Error::invalid_input("line 5", "is not an AppID line")),
        Ok(COMPONENT.into()),
    ];
    let run = wechat.fleet().ensure_category_blacklist(stream::iter(input), policy()).unwrap();
    let (records, fatal, summary) = collect(run).await;
    assert!(fatal.is_none());
    let status: Vec<_> = records.iter().map(|r| (r.index, r.outcome.status())).collect();
    assert_eq!(status, [(0, "ok"), (1, "failed"), (2, "ok"), (3, "duplicate"), (4, "failed"), (5, "failed")]);
    assert_eq!(records[3].outcome, Outcome::Duplicate { first_index: 0 });
    assert_eq!(records[4].item, None);
    for i in [1, 4, 5] {
        let Outcome::Failed(e) = &records[i].outcome else { unreachable!() };
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{i}");
    }
    assert_eq!((summary.read, summary.done, summary.invalid, summary.duplicates), (6, 6, 3, 1));
    assert_eq!(requests(&emu, &op(GET)), 2, "only the two valid, distinct AppIDs were read");
    let bad = "CHESS|SECURITIES".parse().unwrap();
    let e = wechat.fleet().ensure_category_blacklist(stream::iter([appid(0)]), bad).unwrap_err();
    assert_eq!(e.field(), Some("ams_category"));
}

#[tokio::test]
async fn a_failing_authorizer_is_a_record_and_the_run_goes_on() {
    let (b, clock) = emulator([authorizer(0), authorizer(1).publisher(false), authorizer(2)]);
    let emu = b.start().await.unwrap();
    let wechat = client(&emu, &clock, 3).await;
    wechat.tokens().put_refresh_token(&appid(2), "refreshtoken@@@lost").await.unwrap();
    let run = wechat.fleet().ensure_category_blacklist(stream::iter((0..3).map(appid)), policy()).unwrap();
    let (records, fatal, summary) = collect(run).await;
    assert!(fatal.is_none());
    assert!(records[0].is_ok());
    let Outcome::Failed(unpublished) = &records[1].outcome else { panic!() };
    assert_eq!(unpublished.code().map(|c| c.code()), Some(1807));
    assert!(unpublished.message().starts_with(GET), "the step is named: {}", unpublished.message());
    let Outcome::Failed(lost) = &records[2].outcome else { panic!() };
    assert_eq!((lost.code().map(|c| c.code()), lost.kind()), (Some(61023), ErrorKind::Auth));
    assert_eq!(summary.failures_by_code, BTreeMap::from([(1807, 1), (61023, 1)]));
    assert!(summary.is_complete());
}

#[tokio::test]
async fn a_failure_that_dooms_every_call_stops_the_run_with_every_item_accounted_for() {
    let (emu, clock) = start(20).await;
    let wrong = builder(&emu, &clock).component_secret("not-the-secret").build().unwrap();
    let run = wrong.fleet().ensure_category_blacklist(stream::iter((0..20).map(appid)), policy()).unwrap();
    let (records, fatal, summary) = collect(run.max_in_flight(1)).await;
    assert_eq!(fatal.unwrap().code(), Some(40125));
    assert_eq!(records.len(), 20);
    assert_eq!(records[0].outcome.status(), "failed");
    assert!(records[1..].iter().all(|r| r.outcome == Outcome::NotAttempted));
    assert!(matches!(summary.stopped, Some(StopReason::Fatal(_))));
    assert_eq!(requests(&emu, &component_api("api_component_token")), 1);

    // No ticket at all: the component token cannot be had, which a probe of it finds.
    let deaf = Client::builder()
        .component_appid(COMPONENT)
        .component_secret(SECRET)
        .endpoint(emu.base_url())
        .http_client(http())
        .build()
        .unwrap();
    let run = deaf.fleet().ensure_category_blacklist(stream::iter((0..20).map(appid)), policy()).unwrap();
    let (records, fatal, summary) = collect(run.max_in_flight(1)).await;
    assert_eq!(fatal.unwrap().kind(), ErrorKind::Auth);
    assert_eq!((summary.failed, summary.not_attempted, records.len()), (1, 19, 20));
}

#[tokio::test]
async fn records_stream_out_while_the_input_is_still_coming() {
    let (emu, clock) = start(10).await;
    let wechat = client(&emu, &clock, 10).await;
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let input = tokio_stream_from(rx);
    let mut records = wechat.fleet().ensure_category_blacklist(input, policy()).unwrap().window(4).stream();
    let guard = Duration::from_secs(30); // a hang guard, not a timing assertion
    for i in 0..5 {
        tx.send(appid(i)).unwrap();
    }
    let mut first = Vec::new();
    while first.len() < 5 {
        first.push(
            tokio::time::timeout(guard, records.try_next())
                .await
                .expect("records before the input ends")
                .unwrap()
                .unwrap(),
        );
    }
    for i in 5..10 {
        tx.send(appid(i)).unwrap();
    }
    drop(tx);
    let mut rest = Vec::new();
    while let Some(record) = tokio::time::timeout(guard, records.try_next()).await.unwrap().unwrap() {
        rest.push(record);
    }
    assert_eq!(first.len() + rest.len(), 10);
    assert!(records.summary().is_complete());
}

fn tokio_stream_from(
    mut rx: tokio::sync::mpsc::UnboundedReceiver<String>,
) -> impl futures_util::Stream<Item = String> + Send {
    stream::poll_fn(move |cx| rx.poll_recv(cx))
}

fn entry(kind: BlackListType, id: &str) -> BlackListEntry {
    BlackListEntry::new(kind, id)
}

#[tokio::test]
async fn the_advertiser_black_list_is_ensured_within_the_caps() {
    use BlackListType::{IosApp, OfficialAccount};
    let full_ios = (0..10).fold(authorizer(2), |a, i| a.blocked(2, format!("ios{i}")));
    let (b, clock) = emulator([
        authorizer(0),
        authorizer(1).blocked(1, "gh_new").blocked(2, "1234567890"),
        full_ios,
        authorizer(3).blocked(1, "gh_old"),
    ]);
    let emu = b.start().await.unwrap();
    let wechat = client(&emu, &clock, 4).await;
    let policy = BlackListPolicy::new()
        .block(entry(OfficialAccount, "gh_new"))
        .block(entry(IosApp, "1234567890"))
        .unblock(entry(OfficialAccount, "gh_old"));
    let run = wechat.fleet().ensure_black_list(stream::iter((0..4).map(appid)), policy).unwrap();
    let (records, fatal, summary) = collect(run).await;
    assert!(fatal.is_none());
    assert_eq!(summary.succeeded, 4);
    let change = |i: usize| match &records[i].outcome {
        Outcome::Ok(c) => c.clone(),
        other => panic!("{i}: {other:?}"),
    };
    let both = vec![entry(OfficialAccount, "gh_new"), entry(IosApp, "1234567890")];
    assert_eq!((change(0).blocked, change(0).after.clone()), (both.clone(), both.clone()));
    assert!(!change(1).is_changed() && change(1).is_complete());
    let c2 = change(2);
    assert_eq!(c2.blocked, [entry(OfficialAccount, "gh_new")]);
    assert_eq!(c2.refused.len(), 1);
    assert_eq!((c2.refused[0].entry.id.as_str(), c2.refused[0].code.code()), ("1234567890", 2035));
    let c3 = change(3);
    assert_eq!((c3.unblocked.clone(), c3.blocked.clone()), (vec![entry(OfficialAccount, "gh_old")], both.clone()));
    assert_eq!(c3.after, both);
    assert_eq!(requests(&emu, &op("agency_set_black_list")), 4, "block; nothing; block one; unblock and block");
    let now = wechat.ams(appid(2)).black_list().get().await.unwrap();
    assert_eq!((now.blacklist_biz.len(), now.blacklist_ios.len()), (1, 10));
    let now = wechat.ams(appid(3)).black_list().get().await.unwrap();
    assert_eq!(now.blacklist_biz.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["gh_new"]);
    let json = serde_json::to_value(&records[2]).unwrap();
    assert_eq!(json["value"]["refused"][0]["code"], 2035);
    assert_eq!(json["value"]["change"], "changed");
}

#[tokio::test]
async fn a_block_the_server_refuses_for_its_cap_is_reported_per_entry() {
    let (b, clock) = emulator([authorizer(0)]);
    let plan = FaultPlan::seeded(1).script(op("agency_set_black_list"), [Step::Fault(Fault::Code(2035))]);
    let emu = b.faults(plan).start().await.unwrap();
    let wechat = client(&emu, &clock, 1).await;
    let policy = BlackListPolicy::new()
        .block(entry(BlackListType::AndroidApp, "com.example.a"))
        .block(entry(BlackListType::AndroidApp, "com.example.b"));
    let run = wechat.fleet().ensure_black_list(stream::iter([Authorizer::new(appid(0))]), policy).unwrap();
    let (records, _, _) = collect(run).await;
    let Outcome::Ok(change) = &records[0].outcome else { panic!("{:?}", records[0].outcome) };
    assert!(!change.is_changed());
    assert_eq!(
        change.refused.iter().map(|r| (r.entry.id.as_str(), r.code.code())).collect::<Vec<_>>(),
        [("com.example.a", 2035), ("com.example.b", 2035)]
    );
    assert_eq!(requests(&emu, &op("agency_set_black_list")), 1, "not resent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_and_blind_writes_are_one_call_per_authorizer() {
    let n = 6;
    let (b, clock) = emulator((0..n).map(|i| {
        let a = authorizer(i).ams_category(other(i));
        if i == 0 { a.blocked(1, "gh_0000000000001").blocked(2, "123456") } else { a }
    }));
    let emu = b.start().await.unwrap();
    let wechat = client(&emu, &clock, n).await;
    let mut input: Vec<String> = (0..n).map(appid).collect();
    input.push(appid(1));
    input.push("gh_not_an_appid".into());

    let (records, fatal, summary) = collect(wechat.fleet().category_blacklists(stream::iter(input.clone()))).await;
    assert!(fatal.is_none());
    assert_eq!(records.len(), n + 2, "every input item, once");
    for (i, r) in records.iter().take(n).enumerate() {
        let Outcome::Ok(set) = &r.outcome else { panic!("{i}: {:?}", r.outcome) };
        assert_eq!(set, &other(i).parse::<CategorySet>().unwrap(), "{i}");
    }
    assert_eq!(records[n].outcome, Outcome::Duplicate { first_index: 1 });
    let Outcome::Failed(e) = &records[n + 1].outcome else { panic!("{:?}", records[n + 1].outcome) };
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!((summary.succeeded, summary.requests), (n as u64, n as u64));
    assert_eq!((requests(&emu, &op(GET)), requests(&emu, &op(SET))), (n as u64, 0), "reads only");

    let set = wechat.fleet().set_category_blacklist(stream::iter((0..n).map(appid)), policy()).unwrap();
    let (records, _, summary) = collect(set).await;
    assert!(records.iter().all(|r| r.outcome == Outcome::Ok(policy())));
    assert_eq!(summary.requests, n as u64);
    assert_eq!(requests(&emu, &op(SET)), n as u64, "a write to each, even where the set was already blocked");
    for i in 0..n {
        assert_eq!(wechat.ams(appid(i)).category_blacklist().get().await.unwrap(), policy());
    }
    let bad: CategorySet = "SECURITIES".parse().unwrap();
    assert_eq!(
        wechat.fleet().set_category_blacklist(stream::iter([appid(0)]), bad).unwrap_err().field(),
        Some("ams_category")
    );

    let (records, _, _) = collect(wechat.fleet().black_lists(stream::iter([appid(0), appid(1)]))).await;
    assert_eq!(
        records[0].outcome,
        Outcome::Ok(vec![
            BlackListEntry::new(BlackListType::OfficialAccount, "gh_0000000000001"),
            BlackListEntry::new(BlackListType::IosApp, "123456"),
        ])
    );
    assert_eq!(records[1].outcome, Outcome::Ok(vec![]));
    emu.shutdown().await;
}
