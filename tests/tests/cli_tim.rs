//! `tx tim blocklist|friends|account`, run as a binary against an in-process emulator.

use std::io::Write;
use tx_tests::{Tx, emulator};

const PEOPLE: &[&str] = &["alice", "bob", "carol", "dave", "erin"];

fn tx(endpoint: &str, args: &[&str]) -> Tx {
    Tx::new(args).tim_env(endpoint)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocklist_add_check_delete_list() {
    let emu = emulator(PEOPLE).await;
    let url = emu.base_url();

    let add =
        tx(url, &["tim", "--json", "blocklist", "add", "--from", "alice", "bob", "carol", "mallory"]).run_async().await;
    assert_eq!(add.code, 1, "one item failed: exit 1\n{add:?}");
    let items = add.items();
    assert_eq!(items.len(), 3);
    assert_eq!((items[0]["to"].as_str(), items[0]["status"].as_str()), (Some("bob"), Some("ok")));
    assert_eq!((items[2]["to"].as_str(), items[2]["status"].as_str()), (Some("mallory"), Some("failed")));
    assert_eq!(items[2]["error"]["code"], 30003);
    let summary = add.summary();
    assert_eq!(
        (summary["ok"].as_u64(), summary["failed"].as_u64(), summary["exit_code"].as_u64()),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(summary["failures"]["30003"], 1);

    let check = tx(url, &["tim", "--json", "blocklist", "check", "--from", "alice", "bob", "dave"]).run_async().await;
    assert_eq!(check.code, 0, "{check:?}");
    let relations: Vec<_> = check.items().iter().map(|l| l["relation"].as_str().unwrap().to_owned()).collect();
    assert_eq!(relations, ["BlackCheckResult_Type_AWithB", "BlackCheckResult_Type_NO"]);

    let single = tx(url, &["tim", "--json", "blocklist", "check", "--type", "single", "--from", "bob", "alice"])
        .run_async()
        .await;
    assert_eq!(single.items()[0]["relation"], "BlackCheckResult_Type_NO");

    let list = tx(url, &["tim", "--json", "blocklist", "list", "--from", "alice"]).run_async().await;
    assert_eq!(list.code, 0);
    let entries = list.records("entry");
    let listed: Vec<_> = entries.iter().map(|l| l["account"].as_str().unwrap().to_owned()).collect();
    assert_eq!(listed, ["bob", "carol"]);
    let at = entries[0]["added_at_unix"].as_u64().unwrap();
    assert!(entries[0]["added_at"].as_str().unwrap().ends_with('Z') && at > 1_700_000_000);

    let delete = tx(url, &["tim", "blocklist", "delete", "--from", "alice", "bob"]).run_async().await;
    assert_eq!(delete.code, 0, "{delete:?}");
    assert_eq!(
        delete.stdout, "INDEX\tFROM\tTO\tSTATUS\tERROR\n0\talice\tbob\tok\t\n",
        "a header, then tab-separated rows"
    );
    assert!(delete.stderr.starts_with("tim blocklist delete: 1 ok, 0 failed"), "{}", delete.stderr);
    let list = tx(url, &["tim", "--json", "blocklist", "list", "--from", "alice"]).run_async().await;
    assert_eq!(list.records("entry").len(), 1);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_from_a_file_stdin_and_pairs_from_csv() {
    let users: Vec<String> = (0..2500).map(|i| format!("u{i:04}")).collect();
    let mut accounts: Vec<&str> = users.iter().map(String::as_str).collect();
    accounts.extend(PEOPLE);
    let emu = emulator(&accounts).await;
    let url = emu.base_url();

    // A blocklist holds at most 1000 entries: add 900 from a file, then check all 2500.
    let mut file = tempfile::NamedTempFile::new().unwrap();
    for u in users.iter().take(900) {
        writeln!(file, "{u}").unwrap();
    }
    let path = file.path().to_str().unwrap();
    let add = tx(url, &["tim", "--json", "blocklist", "add", "--from", "alice", "--from-file", path]).run_async().await;
    assert_eq!(add.code, 0, "{}", add.stderr);
    assert_eq!(add.items().len(), 900);
    assert_eq!(emu.stats().endpoint("v4/sns/black_list_add").requests, 1);

    let mut all = tempfile::NamedTempFile::new().unwrap();
    for u in &users {
        writeln!(all, "{u}").unwrap();
    }
    let path = all.path().to_str().unwrap();
    let check =
        tx(url, &["tim", "--json", "blocklist", "check", "--from", "alice", "--from-file", path]).run_async().await;
    assert_eq!(check.code, 0, "{}", check.stderr);
    let items = check.items();
    let indexes: Vec<u64> = items.iter().map(|l| l["index"].as_u64().unwrap()).collect();
    assert_eq!(indexes, (0..2500).collect::<Vec<_>>(), "every line exactly once");
    let blocked = items.iter().filter(|l| l["relation"] == "BlackCheckResult_Type_AWithB").count();
    assert_eq!(blocked, 900);
    assert_eq!(emu.stats().endpoint("v4/sns/black_list_check").requests, 3, "chunks of at most 1000");

    let stdin: String = users.iter().take(10).map(|u| format!("{u}\n")).collect();
    let check = tx(url, &["tim", "--json", "blocklist", "check", "--from", "alice", "--from-file", "-"])
        .stdin(stdin)
        .run_async()
        .await;
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(check.items().len(), 10);
    assert!(check.items().iter().all(|l| l["relation"] == "BlackCheckResult_Type_AWithB"));

    let mut csv = tempfile::NamedTempFile::new().unwrap();
    writeln!(csv, "From_Account,To_Account\nbob,alice\ncarol,alice\ndave,ghost").unwrap();
    let pairs =
        tx(url, &["tim", "--json", "blocklist", "add", "--pairs", csv.path().to_str().unwrap()]).run_async().await;
    assert_eq!(pairs.code, 1, "ghost does not exist: exit 1\n{pairs:?}");
    let by_from: std::collections::HashMap<String, String> = pairs
        .items()
        .iter()
        .map(|l| (l["from"].as_str().unwrap().to_owned(), l["status"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(by_from["bob"], "ok");
    assert_eq!(by_from["dave"], "failed");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn friends_add_check_list_delete() {
    let emu = emulator(PEOPLE).await;
    let url = emu.base_url();
    let add = tx(url, &["tim", "--json", "friends", "add", "--from", "alice", "bob", "carol"]).run_async().await;
    assert_eq!(add.code, 0, "{add:?}");
    assert_eq!(add.items().len(), 2);

    let check = tx(url, &["tim", "--json", "friends", "check", "--from", "alice", "bob", "dave"]).run_async().await;
    let values: Vec<_> = check.items().iter().map(|l| l["relation"].as_str().unwrap().to_owned()).collect();
    assert_eq!(values, ["CheckResult_Type_BothWay", "CheckResult_Type_NoRelation"]);

    let list = tx(url, &["tim", "--json", "friends", "list", "--from", "alice"]).run_async().await;
    let mut friends: Vec<_> =
        list.records("friend").iter().map(|l| l["account"].as_str().unwrap().to_owned()).collect();
    friends.sort();
    assert_eq!(friends, ["bob", "carol"]);

    let delete = tx(url, &["tim", "friends", "delete", "--from", "alice", "bob"]).run_async().await;
    assert_eq!(delete.code, 0, "{delete:?}");
    let list = tx(url, &["tim", "--json", "friends", "list", "--from", "alice"]).run_async().await;
    assert_eq!(list.records("friend").len(), 1);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_import_check_delete() {
    let emu = emulator(&["alice"]).await;
    let url = emu.base_url();
    let import = tx(url, &["tim", "--json", "account", "import", "newbie", "other"]).run_async().await;
    assert_eq!(import.code, 0, "{import:?}");
    let check = tx(url, &["tim", "--json", "account", "check", "newbie", "ghost"]).run_async().await;
    let status: Vec<_> = check.items().iter().map(|l| l["account_status"].as_str().unwrap().to_owned()).collect();
    assert_eq!(status, ["Imported", "NotImported"]);
    let delete = tx(url, &["tim", "--json", "account", "delete", "newbie", "ghost"]).run_async().await;
    assert_eq!(delete.code, 1, "ghost does not exist: {delete:?}");
    assert_eq!(delete.items()[1]["error"]["code"], 70107);
    // Now the new account can be blocked.
    let block = tx(url, &["tim", "blocklist", "add", "--from", "alice", "other"]).run_async().await;
    assert_eq!(block.code, 0, "{block:?}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_config_file_supplies_a_named_profile() {
    let emu = emulator(PEOPLE).await;
    let mut config = tempfile::NamedTempFile::new().unwrap();
    write!(
        config,
        "[profiles.local.tim]\nsdk_app_id = {}\nsecret_key = \"{}\"\nadmin = \"{}\"\nendpoint = \"{}\"\nrate_limit = 50\n",
        tx_tests::APP,
        tx_tests::KEY,
        tx_tests::ADMIN,
        emu.base_url()
    )
    .unwrap();
    let path = config.path().to_str().unwrap();
    let run = Tx::new(["tim", "--config", path, "--profile", "local", "blocklist", "add", "--from", "alice", "bob"])
        .run_async()
        .await;
    assert_eq!(run.code, 0, "{run:?}");
    // A flag wins over the profile: a wrong key by flag is refused by the server.
    let run = Tx::new([
        "tim",
        "--config",
        path,
        "--profile",
        "local",
        "--secret-key",
        "wrong",
        "blocklist",
        "list",
        "--from",
        "alice",
    ])
    .run_async()
    .await;
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stderr.contains("70009"), "{}", run.stderr);
    // The environment wins over the profile too.
    let run = Tx::new(["tim", "--config", path, "--profile", "local", "blocklist", "list", "--from", "alice"])
        .env("TIM_SECRET_KEY", "wrong-too")
        .run_async()
        .await;
    assert_eq!(run.code, 3, "{run:?}");
    let missing = Tx::new(["tim", "--config", path, "--profile", "nope", "blocklist", "list", "--from", "alice"])
        .run_async()
        .await;
    assert_eq!(missing.code, 3);
    assert!(missing.stderr.contains("\"nope\" is not a profile"), "{}", missing.stderr);
    emu.shutdown().await;
}
