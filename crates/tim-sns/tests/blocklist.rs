//! Blocklist calls against the emulator: every operation, its item codes and its rules.

mod common;

use common::*;
use futures_util::TryStreamExt;
use tim_sns::{CheckType, ErrorCode, KnownCode, Relation};
use tx_core::ErrorKind;

fn code(c: KnownCode) -> Option<ErrorCode> {
    Some(ErrorCode::Known(c))
}

#[tokio::test]
async fn add_reports_every_target_with_its_code() {
    let (emu, clock) = start(app(["alice", "bob", "carol"]).block("alice", ["carol"])).await;
    let tim = client(&emu, &clock);
    let report = tim.blocklist().add("alice", ["bob", "ghost", "alice", "carol"]).await.unwrap();
    let got: Vec<(&str, usize, Option<ErrorCode>)> =
        report.items().iter().map(|i| (i.id.as_str(), i.index, i.code())).collect();
    assert_eq!(
        got,
        [
            ("bob", 0, None),
            ("ghost", 1, code(KnownCode::AccountNotFound)),
            ("alice", 2, code(KnownCode::InvalidParameter)), // blocking oneself
            ("carol", 3, code(KnownCode::InvalidParameter)), // already blocked
        ]
    );
    assert_eq!(report.succeeded().count(), 1);
    assert!(!report.all_succeeded());
    let carol = report.get("carol").unwrap().error().unwrap();
    assert!(!carol.is_request_failure() && !carol.is_retryable());
    assert!(carol.message().contains("Already_Exist"), "{carol}");
    assert_eq!(report.requests(), 1);
    assert_eq!(requests(&emu, "black_list_add"), 1);
}

#[tokio::test]
async fn delete_then_check_and_list() {
    let (emu, clock) = start(app(["alice", "bob", "carol", "dave"]).block("alice", ["bob", "carol"])).await;
    let tim = client(&emu, &clock);
    let report = tim.blocklist().delete("alice", ["bob", "dave"]).await.unwrap();
    assert!(report.get("bob").unwrap().is_ok());
    assert_eq!(report.get("dave").unwrap().code(), code(KnownCode::InvalidParameter), "dave was not blocked");
    let listed: Vec<String> = tim.blocklist().list("alice").map_ok(|e| e.account).try_collect().await.unwrap();
    assert_eq!(listed, ["carol"]);
    let entry = tim.blocklist().list("alice").try_next().await.unwrap().unwrap();
    assert_eq!(entry.added_at, T0, "AddBlackTimeStamp on the emulator's clock");
}

#[tokio::test]
async fn check_relations_single_and_both() {
    let app = app(["a", "b", "c", "d", "e"]).block("a", ["b", "c"]).block("c", ["a"]).block("d", ["a"]);
    let (emu, clock) = start(app).await;
    let tim = client(&emu, &clock);
    let both = tim.blocklist().check("a", ["b", "c", "d", "e", "nobody"], CheckType::Both).await.unwrap();
    let rel = |r: &tim_sns::BatchReport<Relation>, id: &str| r.get(id).unwrap().value().cloned();
    assert_eq!(rel(&both, "b"), Some(Relation::AWithB));
    assert_eq!(rel(&both, "c"), Some(Relation::BothWay));
    assert_eq!(rel(&both, "d"), Some(Relation::BWithA));
    assert_eq!(rel(&both, "e"), Some(Relation::No));
    assert_eq!(rel(&both, "nobody"), None, "a failed item carries no relation");
    assert_eq!(both.get("nobody").unwrap().code(), code(KnownCode::AccountNotFound));
    assert_eq!(both.get("c").unwrap().value().unwrap().b_blocks_a(), Some(true));

    let single = tim.blocklist().check("a", ["c", "d"], CheckType::Single).await.unwrap();
    assert_eq!(rel(&single, "c"), Some(Relation::AWithB), "Single does not look at c's list");
    assert_eq!(rel(&single, "d"), Some(Relation::No));
}

#[tokio::test]
async fn list_pages_until_start_index_is_zero() {
    let targets = ids("t", 25);
    let app = app(targets.clone()).accounts(["owner"]).block("owner", targets.clone());
    let (emu, clock) = start(app).await;
    let tim = client(&emu, &clock);
    let listed: Vec<String> =
        tim.blocklist().list("owner").page_size(10).map_ok(|e| e.account).try_collect().await.unwrap();
    assert_eq!(listed.len(), 25);
    let mut sorted = listed.clone();
    sorted.sort();
    let mut expected = targets.clone();
    expected.sort();
    assert_eq!(sorted, expected);
    assert_eq!(requests(&emu, "black_list_get"), 3, "pages of 10, 10 and 5");

    let first = tim.blocklist().page("owner", 0, 10).await.unwrap();
    assert_eq!((first.entries.len(), first.next_start_index), (10, Some(10)));
    assert_eq!(first.sequence, Some(25), "CurrentSequence counts changes");
    let last = tim.blocklist().page("owner", 20, 10).await.unwrap();
    assert_eq!((last.entries.len(), last.next_start_index), (5, None));

    let empty: Vec<_> = tim.blocklist().list("t0").try_collect().await.unwrap();
    assert!(empty.is_empty());
}

#[tokio::test]
async fn list_reads_the_legacy_sequence_spelling() {
    let (b, clock) = emulator(app(["alice", "bob"]).block("alice", ["bob"]));
    let emu = b.tim_legacy_sequence_spelling(true).start().await.unwrap();
    let tim = client(&emu, &clock);
    let page = tim.blocklist().page("alice", 0, 100).await.unwrap();
    assert_eq!(page.sequence, Some(1), "CurruentSequence is read too");
    assert_eq!(page.entries[0].account, "bob");
}

#[tokio::test]
async fn a_full_blocklist_fails_per_item_with_30013() {
    let (emu, clock) = start(app(["a", "b", "c", "d"]).blocklist_limit(2)).await;
    let tim = client(&emu, &clock);
    let report = tim.blocklist().add("a", ["b", "c", "d"]).await.unwrap();
    let codes: Vec<Option<ErrorCode>> = report.items().iter().map(|i| i.code()).collect();
    assert_eq!(codes, [None, None, code(KnownCode::BlocklistFull)]);
}

#[tokio::test]
async fn a_missing_owner_fails_the_whole_call() {
    let (emu, clock) = start(app(["bob"])).await;
    let tim = client(&emu, &clock);
    let e = tim.blocklist().add("ghost", ["bob"]).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Api, Some(30003)));
    assert_eq!(e.endpoint(), Some("v4/sns/black_list_add"));
    assert_eq!(e.attempts(), 1, "30003 is permanent");
    let e = tim.blocklist().list("ghost").try_next().await.unwrap_err();
    assert_eq!(e.code(), Some(30003));
}

#[tokio::test]
async fn input_rules_are_checked_before_any_io() {
    let (emu, clock) = start(app(["alice"])).await;
    let tim = client(&emu, &clock);
    let bl = tim.blocklist();
    let long = "x".repeat(33);
    let cases = [
        (bl.add("", ["bob"]).await.unwrap_err(), "From_Account"),
        (bl.add("alice", Vec::<String>::new()).await.unwrap_err(), "To_Account"),
        (bl.add("alice", ["bob", ""]).await.unwrap_err(), "To_Account[1]"),
        (bl.delete("alice", ["bob", long.as_str()]).await.unwrap_err(), "To_Account[1]"),
        (bl.delete(&long, ["bob"]).await.unwrap_err(), "From_Account"),
        (bl.check("alice", ["bob"], CheckType::Unknown("Sideways".into())).await.unwrap_err(), "CheckType"),
        (bl.check("alice", [""], CheckType::Both).await.unwrap_err(), "To_Account[0]"),
        (bl.page("alice", 0, 0).await.unwrap_err(), "MaxLimited"),
        (bl.page("alice", 0, 1001).await.unwrap_err(), "MaxLimited"),
        (bl.list("").try_next().await.unwrap_err(), "From_Account"),
    ];
    for (e, field) in cases {
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some(field)), "{e}");
        assert!(e.request_not_sent());
    }
    assert!(bl.check_many(futures_util::stream::iter([("a", "b")]), CheckType::Unknown("x".into())).is_err());
    assert_eq!(emu.stats().total_requests(), 0, "nothing was sent");
}

#[tokio::test]
async fn duplicates_are_sent_once_and_reported() {
    let (emu, clock) = start(app(["alice", "bob", "carol"])).await;
    let tim = client(&emu, &clock);
    let report = tim.blocklist().add("alice", ["bob", "carol", "bob", "bob"]).await.unwrap();
    assert!(report.all_succeeded(), "the repeat is not sent, so it cannot fail with 'already exists'");
    assert_eq!(report.len(), 2);
    let dups: Vec<(usize, usize)> = report.duplicates().iter().map(|d| (d.index, d.first_index)).collect();
    assert_eq!(dups, [(2, 0), (3, 0)]);
    assert!(report.duplicates().iter().all(|d| d.id == "bob"));
}
