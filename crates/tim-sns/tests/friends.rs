//! Friend calls against the emulator.

mod common;

use common::*;
use futures_util::TryStreamExt;
use serde_json::json;
use tim_sns::{
    AddSource, AddType, CheckType, DeleteType, ErrorCode, FriendRelation, FriendUpdate, ImportedFriend, KnownCode,
    NewFriend, Tag,
};
use tx_core::ErrorKind;

fn known(c: KnownCode) -> Option<ErrorCode> {
    Some(ErrorCode::Known(c))
}

fn web(id: &str) -> NewFriend {
    NewFriend::new(id, AddSource::new("Web"))
}

#[tokio::test]
async fn add_both_and_single_then_check() {
    let (emu, clock) = start(app(["a", "b", "c", "d", "e"]).block("e", ["a"])).await;
    let tim = client(&emu, &clock);
    let report = tim.friends().add("a", [web("b").remark("Bee").group("work").wording("hi"), web("e")]).await.unwrap();
    assert!(report.get("b").unwrap().is_ok());
    assert_eq!(report.get("e").unwrap().code(), known(KnownCode::InPeerBlocklist), "e blocks a");
    let single = tim.friends().add("a", [web("c"), web("ghost"), web("a")]).add_type(AddType::Single).force(true).await;
    let single = single.unwrap();
    assert!(single.get("c").unwrap().is_ok());
    assert_eq!(single.get("ghost").unwrap().code(), known(KnownCode::AccountNotFound));
    assert_eq!(single.get("a").unwrap().code(), known(KnownCode::InvalidParameter));

    let check = tim.friends().check("a", ["b", "c", "d", "ghost"], CheckType::Both).await.unwrap();
    let rel = |id: &str| check.get(id).unwrap().value().cloned();
    assert_eq!(rel("b"), Some(FriendRelation::BothWay));
    assert_eq!(rel("c"), Some(FriendRelation::AWithB));
    assert_eq!(rel("d"), Some(FriendRelation::NoRelation));
    assert_eq!(rel("ghost"), None);
    let back = tim.friends().check("c", ["a"], CheckType::Both).await.unwrap();
    assert_eq!(back.items()[0].value(), Some(&FriendRelation::BWithA));
    let single = tim.friends().check("c", ["a"], CheckType::Single).await.unwrap();
    assert_eq!(single.items()[0].value(), Some(&FriendRelation::NoRelation));

    let b = tim.friends().get_list("a", ["b"], [Tag::Remark, Tag::Group, Tag::AddWording]).await.unwrap();
    let b = b.items()[0].value().unwrap();
    assert_eq!((b.remark(), b.groups(), b.wording()), (Some("Bee"), vec!["work"], Some("hi")));
}

#[tokio::test]
async fn import_with_custom_data_then_get_and_update() {
    let (emu, clock) = start(app(["a", "b", "c"])).await;
    let tim = client(&emu, &clock);
    let imported = tim
        .friends()
        .import(
            "a",
            [
                ImportedFriend::new("b", AddSource::new("Import"))
                    .remark("Bee")
                    .remark_time(1_600_000_100)
                    .groups(["g1", "g2"])
                    .added_at(1_600_000_000)
                    .custom("Level", 3),
                ImportedFriend::new("c", AddSource::new("AddSource_Type_Import")),
            ],
        )
        .await
        .unwrap();
    assert!(imported.all_succeeded());
    let again = tim.friends().import("a", [ImportedFriend::new("b", AddSource::new("Import"))]).await.unwrap();
    assert_eq!(again.items()[0].code(), known(KnownCode::InvalidParameter), "already a friend");

    let friends: Vec<tim_sns::Friend> = tim.friends().get("a").try_collect().await.unwrap();
    assert_eq!(friends.iter().map(|f| f.account.as_str()).collect::<Vec<_>>(), ["b", "c"]);
    let b = &friends[0];
    assert_eq!(b.add_source(), Some("AddSource_Type_Import"));
    assert_eq!((b.added_at(), b.remark_time()), (Some(1_600_000_000), Some(1_600_000_100)));
    assert_eq!(b.groups(), ["g1", "g2"]);
    assert_eq!(b.custom("Level"), Some(&json!(3)));
    assert_eq!(friends[1].added_at(), Some(T0), "AddTime defaults to now on the emulator's clock");

    let updated = tim
        .friends()
        .update(
            "a",
            [
                FriendUpdate::new("b").remark("Robert").groups(["family"]).wording("hello").custom("Level", 4),
                FriendUpdate::new("ghost").remark("x"),
            ],
        )
        .await
        .unwrap();
    assert!(updated.get("b").unwrap().is_ok());
    assert_eq!(updated.get("ghost").unwrap().code(), known(KnownCode::AccountNotFound));
    let b = tim.friends().get_list("a", ["b"], [Tag::Remark, Tag::Group, Tag::custom("Level")]).await.unwrap();
    let b = b.items()[0].value().unwrap();
    assert_eq!((b.remark(), b.groups(), b.custom("Level")), (Some("Robert"), vec!["family"], Some(&json!(4))));
    assert_eq!(b.values.len(), 3, "only the asked tags come back");

    let page = tim.friends().get_page("a", 0, None).await.unwrap();
    assert_eq!((page.friend_count, page.next_start_index), (2, None));
    assert!(page.standard_sequence > 0 && page.custom_sequence > 0);
}

#[tokio::test]
async fn get_streams_every_page() {
    let others = ids("f", 250);
    let (emu, clock) = start(app(others.clone()).friends("owner", others.clone())).await;
    let tim = client(&emu, &clock);
    let friends: Vec<String> = tim.friends().get("owner").map_ok(|f| f.account).try_collect().await.unwrap();
    assert_eq!(friends, others, "in the order they were added, across 3 pages of 100");
    assert_eq!(requests(&emu, "friend_get"), 3);
    let first = tim.friends().get_page("owner", 0, None).await.unwrap();
    assert_eq!((first.friends.len(), first.next_start_index, first.friend_count), (100, Some(100), 250));
}

#[tokio::test]
async fn delete_single_both_and_all() {
    let (emu, clock) = start(app(["a", "b", "c", "d"]).friends("a", ["b", "c", "d"])).await;
    let tim = client(&emu, &clock);
    let report = tim.friends().delete("a", ["b", "ghost"], DeleteType::Single).await.unwrap();
    assert!(report.get("b").unwrap().is_ok());
    assert_eq!(report.get("ghost").unwrap().code(), known(KnownCode::AccountNotFound));
    let check = tim.friends().check("a", ["b"], CheckType::Both).await.unwrap();
    assert_eq!(check.items()[0].value(), Some(&FriendRelation::BWithA), "b still has a");

    tim.friends().delete("a", ["c"], DeleteType::Both).await.unwrap();
    let check = tim.friends().check("a", ["c"], CheckType::Both).await.unwrap();
    assert_eq!(check.items()[0].value(), Some(&FriendRelation::NoRelation));

    tim.friends().delete_all("a", DeleteType::Both).await.unwrap();
    let left: Vec<_> = tim.friends().get("a").try_collect().await.unwrap();
    assert!(left.is_empty());
    let check = tim.friends().check("d", ["a"], CheckType::Single).await.unwrap();
    assert_eq!(check.items()[0].value(), Some(&FriendRelation::NoRelation), "Both removed a from d's list");
    let e = tim.friends().delete_all("ghost", DeleteType::Single).await.unwrap_err();
    assert_eq!(e.code(), Some(30003));
}

#[tokio::test]
async fn blocking_ends_a_friendship() {
    let (emu, clock) = start(app(["a", "b"]).friends("a", ["b"])).await;
    let tim = client(&emu, &clock);
    tim.blocklist().add("b", ["a"]).await.unwrap();
    let check = tim.friends().check("a", ["b"], CheckType::Both).await.unwrap();
    assert_eq!(check.items()[0].value(), Some(&FriendRelation::NoRelation));
    let again = tim.friends().add("a", [web("b")]).await.unwrap();
    assert_eq!(again.items()[0].code(), known(KnownCode::InPeerBlocklist));
    let mine = tim.friends().add("b", [web("a")]).await.unwrap();
    assert_eq!(mine.items()[0].code(), known(KnownCode::InOwnBlocklist));
}

#[tokio::test]
async fn input_rules_are_checked_before_any_io() {
    let (emu, clock) = start(app(["a", "b"])).await;
    let tim = client(&emu, &clock);
    let f = tim.friends();
    let cases = [
        (f.add("a", []).await.unwrap_err(), "AddFriendItem"),
        (f.add("a", [web("")]).await.unwrap_err(), "AddFriendItem[0].To_Account"),
        (
            f.add("a", [web("b"), NewFriend::new("b", AddSource::new(""))]).await.unwrap_err(),
            "AddFriendItem[1].AddSource",
        ),
        (f.add("a", [web("b")]).add_type(AddType::Unknown("Add_Type_Sideways".into())).await.unwrap_err(), "AddType"),
        (f.import("", [ImportedFriend::new("b", AddSource::new("x"))]).await.unwrap_err(), "From_Account"),
        (
            f.import("a", [ImportedFriend::new("b", AddSource::new("x")).groups([""])]).await.unwrap_err(),
            "AddFriendItem[0].GroupName[0]",
        ),
        (
            f.import("a", [ImportedFriend::new("b", AddSource::new("x")).custom("", 1)]).await.unwrap_err(),
            "AddFriendItem[0].CustomItem[0].Tag",
        ),
        (f.update("a", [FriendUpdate::new("b")]).await.unwrap_err(), "UpdateItem[0].SnsItem"),
        (
            f.update("a", [FriendUpdate::new("b").set(Tag::AddTime, 5)]).await.unwrap_err(),
            "UpdateItem[0].SnsItem[0].Tag",
        ),
        (
            f.update("a", [FriendUpdate::new("b").set(Tag::Unknown("Tag_X".into()), 5)]).await.unwrap_err(),
            "UpdateItem[0].SnsItem[0].Tag",
        ),
        (
            f.update("a", [FriendUpdate::new("b").set(Tag::Remark, 5)]).await.unwrap_err(),
            "UpdateItem[0].SnsItem[0].Tag",
        ),
        (f.delete("a", ["b"], DeleteType::Unknown("x".into())).await.unwrap_err(), "DeleteType"),
        (f.delete_all("a", DeleteType::Unknown("x".into())).await.unwrap_err(), "DeleteType"),
        (f.check("a", ["b"], CheckType::Unknown("x".into())).await.unwrap_err(), "CheckType"),
        (f.get_list("a", ["b"], []).await.unwrap_err(), "TagList"),
        (f.get_list("a", ["b"], [Tag::Unknown("Tag_Nope".into())]).await.unwrap_err(), "TagList[0]"),
        (f.get("").try_next().await.unwrap_err(), "From_Account"),
    ];
    for (e, field) in cases {
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some(field)), "{e}");
    }
    assert_eq!(emu.stats().total_requests(), 0);
}

#[tokio::test]
async fn bulk_add_check_and_delete_over_pairs() {
    use futures_util::stream;
    use tim_sns::{AddSource, FriendRelation, PairOutcome};
    let (emu, clock) = start(app(["alice", "bob", "carol", "dave"])).await;
    let tim = client(&emu, &clock);
    let pairs = || stream::iter([("alice", "bob"), ("carol", "dave"), ("alice", "dave")]);
    let added = tim.friends().add_many(pairs(), AddSource::new("Bulk")).unwrap().run().await.unwrap();
    assert_eq!((added.succeeded, added.requests), (3, 2), "one request per From");
    let mut checked = tim.friends().check_many(pairs(), CheckType::Both).unwrap().stream();
    let mut relations = Vec::new();
    while let Some(r) = checked.try_next().await.unwrap() {
        relations.push((r.index, r.outcome));
    }
    relations.sort_by_key(|(i, _)| *i);
    assert!(relations.iter().all(|(_, o)| *o == PairOutcome::Ok(FriendRelation::BothWay)), "{relations:?}");
    let deleted = tim.friends().delete_many(pairs(), DeleteType::Both).unwrap().run().await.unwrap();
    assert_eq!(deleted.succeeded, 3);
    let after = tim.friends().check("alice", ["bob", "dave"], CheckType::Both).await.unwrap();
    assert!(after.items().iter().all(|i| i.value() == Some(&FriendRelation::NoRelation)));
    assert!(
        tim.friends().add_many(pairs(), AddSource::new("AddSource_Type_")).is_err(),
        "refused before any input is read"
    );
}
