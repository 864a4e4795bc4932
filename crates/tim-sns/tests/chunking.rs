//! Batch calls of any size: split into the documented maximum, merged in input order,
//! each id exactly once.

mod common;

use common::*;
use std::time::Duration;
use tim_sns::{CheckType, DeleteType, ErrorCode, KnownCode, Relation};
use tx_core::ErrorKind;
use tx_emulator::{Fault, FaultPlan, Step};

async fn setup(n: usize) -> (tx_emulator::Emulator, tx_core::clock::ManualClock, Vec<String>) {
    let targets = ids("user", n);
    let app = app(targets.clone()).accounts(["owner"]).blocklist_limit(10_000);
    let (b, clock) = emulator(app);
    let emu = b.tim_rate_limit(None).start().await.unwrap();
    (emu, clock, targets)
}

#[tokio::test]
async fn chunks_at_999_1000_1001_and_2500_ids() {
    for (n, chunks) in [(999, 1), (1000, 1), (1001, 2), (2500, 3)] {
        let (emu, clock, targets) = setup(n).await;
        let tim = client(&emu, &clock);

        let added = tim.blocklist().add("owner", &targets).await.unwrap();
        assert_eq!(added.len(), n, "{n}");
        assert!(added.all_succeeded(), "{n}");
        assert_eq!(added.requests(), chunks, "{n}");
        let order: Vec<&str> = added.items().iter().map(|i| i.id.as_str()).collect();
        assert_eq!(order, targets.iter().map(String::as_str).collect::<Vec<_>>(), "input order, {n}");
        assert!(added.items().iter().enumerate().all(|(k, i)| i.index == k));
        assert_eq!(requests(&emu, "black_list_add"), chunks as u64, "{n}");

        // A mix: the checked ids plus unknown ones, interleaved.
        let mut mixed = targets.clone();
        mixed.insert(n / 2, "ghost-a".into());
        mixed.push("ghost-b".into());
        let checked = tim.blocklist().check("owner", &mixed, CheckType::Single).await.unwrap();
        assert_eq!(checked.len(), n + 2);
        assert_eq!(checked.requests(), (n + 2).div_ceil(1000), "{n}");
        for (k, item) in checked.items().iter().enumerate() {
            assert_eq!(item.id, mixed[k]);
            if item.id.starts_with("ghost") {
                assert_eq!(item.code(), Some(ErrorCode::Known(KnownCode::AccountNotFound)));
            } else {
                assert_eq!(item.value(), Some(&Relation::AWithB), "{}", item.id);
            }
        }

        let deleted = tim.blocklist().delete("owner", targets.iter().rev()).await.unwrap();
        assert!(deleted.all_succeeded() && deleted.len() == n);
        assert_eq!(deleted.items()[0].id, targets[n - 1], "reverse input order is kept");
    }
}

#[tokio::test]
async fn every_chunk_limit_is_respected() {
    // The emulator refuses more than 1000 To_Account per request with 30001 for the whole
    // call; friend_get_list is split at 100, friend_check and friend_delete at 1000.
    let (emu, clock, targets) = setup(1500).await;
    let tim = client(&emu, &clock);
    let checked = tim.friends().check("owner", &targets, CheckType::Both).await.unwrap();
    assert_eq!((checked.len(), checked.requests()), (1500, 2));
    let listed = tim.friends().get_list("owner", &targets[..250], [tim_sns::Tag::Remark]).await.unwrap();
    assert_eq!((listed.len(), listed.requests()), (250, 3));
    assert!(listed.items().iter().all(|i| i.code() == Some(ErrorCode::Known(KnownCode::InvalidParameter))));
    let deleted = tim.friends().delete("owner", &targets, DeleteType::Single).await.unwrap();
    assert_eq!((deleted.len(), deleted.requests()), (1500, 2));
    assert_eq!(emu.stats().endpoint("v4/sns/friend_check").errors.len(), 0, "no request over the limit");
}

#[tokio::test]
async fn a_failed_chunk_fails_only_its_items() {
    let (emu, clock, targets) = setup(2500).await;
    // The second request to arrive fails as a whole, permanently.
    emu.set_faults(FaultPlan::seeded(1).script("v4/sns/black_list_add", [Step::Pass, Fault::Code(30002).into()]))
        .unwrap();
    let tim = builder(&emu, &clock).batch_concurrency(1).build().unwrap();
    let report = tim.blocklist().add("owner", &targets).await.unwrap();
    assert_eq!(report.len(), 2500);
    let failed: Vec<usize> = report.failed().map(|i| i.index).collect();
    assert_eq!(failed, (1000..2000).collect::<Vec<_>>(), "chunks go in order with one in flight");
    let e = report.items()[1500].error().unwrap();
    assert!(e.is_request_failure());
    assert_eq!(e.code(), Some(ErrorCode::Known(KnownCode::SdkAppIdMismatch)));
    assert_eq!(report.succeeded().count(), 1500);
}

#[tokio::test]
async fn when_every_chunk_fails_the_call_fails() {
    let (emu, clock, targets) = setup(1500).await;
    emu.set_faults(FaultPlan::seeded(1).rate("v4/sns/black_list_add", Fault::Code(30002), 1.0)).unwrap();
    let tim = client(&emu, &clock);
    let e = tim.blocklist().add("owner", &targets).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Api, Some(30002)));
    assert_eq!(requests(&emu, "black_list_add"), 2, "both chunks were tried, neither retried");
}

#[tokio::test(start_paused = true)]
async fn chunks_run_concurrently_up_to_the_configured_limit() {
    let (b, clock) = emulator(app(ids("user", 5000)).accounts(["owner"]));
    let emu = b.tim_rate_limit(None).latency(Duration::from_millis(100)).start().await.unwrap();
    let targets = ids("user", 5000);
    for (concurrency, virtual_ms) in [(5, 100), (2, 300), (1, 500)] {
        let tim = builder(&emu, &clock).batch_concurrency(concurrency).build().unwrap();
        let start = tokio::time::Instant::now();
        let report = tim.blocklist().check("owner", &targets, CheckType::Single).await.unwrap();
        assert_eq!((report.len(), report.requests()), (5000, 5));
        // Paused tokio time: the emulator's 100 ms latency is virtual, so this measures how
        // the five requests overlapped, not how fast the machine is.
        assert_eq!(start.elapsed().as_millis() / 100 * 100, virtual_ms, "{concurrency} in flight");
    }
}
