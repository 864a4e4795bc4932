//! Account import, check and delete against the emulator.

mod common;

use common::*;
use tim_sns::{AccountStatus, ErrorCode, KnownCode};

#[tokio::test]
async fn import_check_and_delete_in_chunks_of_100() {
    let (emu, clock) = start(app(Vec::<String>::new())).await;
    let tim = client(&emu, &clock);
    let users = ids("member", 150);
    let imported = tim.accounts().import(&users).await.unwrap();
    assert!(imported.all_succeeded() && imported.len() == 150);
    assert_eq!(requests_to(&emu, "v4/im_open_login_svc/multiaccount_import"), 2, "150 accounts: 2 requests of <= 100");

    let mut probe = users[..3].to_vec();
    probe.push("stranger".into());
    let status = tim.accounts().check(&probe).await.unwrap();
    assert_eq!(status.get("member0").unwrap().value(), Some(&AccountStatus::Imported));
    assert_eq!(status.get("stranger").unwrap().value(), Some(&AccountStatus::NotImported));

    let deleted = tim.accounts().delete(["member0", "stranger"]).await.unwrap();
    assert!(deleted.get("member0").unwrap().is_ok());
    assert_eq!(deleted.get("stranger").unwrap().code(), Some(ErrorCode::Known(KnownCode::AccountNotImported)));
    let after = tim.accounts().check(["member0", "member1"]).await.unwrap();
    assert_eq!(after.get("member0").unwrap().value(), Some(&AccountStatus::NotImported));
    assert_eq!(after.get("member1").unwrap().value(), Some(&AccountStatus::Imported));

    // Input rules before any I/O.
    let before = requests_to(&emu, "v4/im_open_login_svc/account_check");
    assert_eq!(tim.accounts().check([""]).await.unwrap_err().field(), Some("CheckItem[0]"));
    assert!(tim.accounts().delete(Vec::<String>::new()).await.is_err());
    assert_eq!(requests_to(&emu, "v4/im_open_login_svc/account_check"), before);
}
