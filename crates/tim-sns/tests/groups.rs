//! Friend group calls against the emulator.

mod common;

use common::*;
use tim_sns::{ErrorCode, KnownCode, NeedFriend};
use tx_core::ErrorKind;
use tx_emulator::{Fault, FaultPlan};

const NO_NAMES: Option<[&str; 0]> = None;

#[tokio::test]
async fn add_get_delete() {
    let (emu, clock) = start(app(["a", "b", "c", "d"]).friends("a", ["b", "c"])).await;
    let tim = client(&emu, &clock);
    let added = tim.groups().add("a", ["chess", "work"], ["b", "d", "b"]).await.unwrap();
    assert_eq!(added.sequence, 1);
    assert!(added.members.get("b").unwrap().is_ok());
    assert_eq!(
        added.members.get("d").unwrap().code(),
        Some(ErrorCode::Known(KnownCode::InvalidParameter)),
        "not a friend"
    );
    assert_eq!(added.members.duplicates().len(), 1);

    let only = tim.groups().add("a", ["empty"], Vec::<String>::new()).await.unwrap();
    assert!(only.members.is_empty());
    assert_eq!(only.sequence, 2);

    let list = tim.groups().get("a", NeedFriend::Yes, NO_NAMES).await.unwrap();
    let summary: Vec<(&str, u64, Vec<&str>)> = list
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.friend_count, g.members.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(summary, [("chess", 1, vec!["b"]), ("work", 1, vec!["b"]), ("empty", 0, vec![])]);
    assert_eq!(list.sequence, 2);
    let named = tim.groups().get("a", NeedFriend::No, Some(["work"])).await.unwrap();
    assert_eq!(named.groups.len(), 1);
    assert!(named.groups[0].members.is_empty(), "no members without NeedFriend::Yes");

    let e = tim.groups().add("a", ["chess"], Vec::<String>::new()).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Api, Some(30001)), "the group exists");
    assert_eq!(tim.groups().delete("a", ["chess", "empty"]).await.unwrap(), 3);
    let e = tim.groups().delete("a", ["chess"]).await.unwrap_err();
    assert_eq!(e.code(), Some(30001), "no such group");
    let left = tim.groups().get("a", NeedFriend::Yes, NO_NAMES).await.unwrap();
    assert_eq!(left.groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["work"]);
}

#[tokio::test]
async fn the_group_limit_answers_30011() {
    let (emu, clock) = start(app(["a"]).group_limit(2)).await;
    let tim = client(&emu, &clock);
    tim.groups().add("a", ["x", "y"], Vec::<String>::new()).await.unwrap();
    let e = tim.groups().add("a", ["z"], Vec::<String>::new()).await.unwrap_err();
    assert_eq!(e.code(), Some(30011));
}

#[tokio::test]
async fn group_writes_are_not_repeated_after_an_ambiguous_failure() {
    let (emu, clock) = start(app(["a"])).await;
    emu.set_faults(FaultPlan::seeded(1).script("v4/sns/group_add", [Fault::Code(30006)])).unwrap();
    let tim = client(&emu, &clock);
    let e = tim.groups().add("a", ["x"], Vec::<String>::new()).await.unwrap_err();
    assert_eq!(e.code(), Some(30006));
    assert!(e.is_retryable(), "retryable in principle, but a repeat could answer 30001");
    assert_eq!(requests(&emu, "group_add"), 1);
    // Throttling proves the request was not processed: that one is retried.
    emu.set_faults(FaultPlan::seeded(1).script("v4/sns/group_add", [Fault::Code(60007)])).unwrap();
    let added = tim.groups().add("a", ["x"], Vec::<String>::new()).await.unwrap();
    assert_eq!(added.sequence, 1);
}

#[tokio::test]
async fn input_rules_are_checked_before_any_io() {
    let (emu, clock) = start(app(["a"])).await;
    let tim = client(&emu, &clock);
    let g = tim.groups();
    let many: Vec<String> = ids("g", 101);
    let members: Vec<String> = ids("m", 1001);
    let cases = [
        (g.add("a", Vec::<String>::new(), NO_NAMES.into_iter().flatten()).await.unwrap_err(), "GroupName"),
        (g.add("a", [""], Vec::<String>::new()).await.unwrap_err(), "GroupName[0]"),
        (g.add("a", &many, Vec::<String>::new()).await.unwrap_err(), "GroupName"),
        (g.add("a", ["x"], &members).await.unwrap_err(), "To_Account"),
        (g.add("a", ["x"], ["ok", ""]).await.unwrap_err(), "To_Account[1]"),
        (g.delete("", ["x"]).await.unwrap_err(), "From_Account"),
        (g.delete("a", &many).await.unwrap_err(), "GroupName"),
        (g.get("a", NeedFriend::Unknown("Maybe".into()), NO_NAMES).await.unwrap_err(), "NeedFriend"),
        (g.get("a", NeedFriend::Yes, Some([""])).await.unwrap_err(), "GroupName[0]"),
    ];
    for (e, field) in cases {
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some(field)), "{e}");
    }
    assert_eq!(emu.stats().total_requests(), 0);
}
