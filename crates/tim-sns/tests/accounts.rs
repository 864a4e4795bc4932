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

#[tokio::test]
async fn bulk_import_check_and_delete() {
    use futures_util::stream;
    use tim_sns::{Account, PairOutcome};
    let (emu, clock) = start(app(Vec::<String>::new())).await;
    let tim = client(&emu, &clock);
    let accounts = || stream::iter(ids("bulk", 250).into_iter().map(|id| Ok(Account::new(id))));
    let imported = tim.accounts().import_many(accounts()).run().await.unwrap();
    assert_eq!((imported.succeeded, imported.requests), (250, 3));
    let mut checked = tim.accounts().check_many(accounts()).stream();
    let mut imported_count = 0;
    while let Some(r) = futures_util::TryStreamExt::try_next(&mut checked).await.unwrap() {
        imported_count += usize::from(r.outcome == PairOutcome::Ok(AccountStatus::Imported));
    }
    assert_eq!(imported_count, 250);
    let mut with_stranger: Vec<Result<Account, tx_core::Error>> =
        vec![Ok(Account::new("bulk0")), Ok(Account::new("nobody"))];
    with_stranger.push(Ok(Account::new("")));
    let summary = tim.accounts().delete_many(stream::iter(with_stranger)).run().await.unwrap();
    assert_eq!((summary.succeeded, summary.failed, summary.invalid), (1, 2, 1));
    assert_eq!(summary.failures_by_code.get(&70107).copied(), Some(1));
}
