//! `tx tim blocklist|friends`, run as a binary against an in-process emulator.

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
        tx(url, &["--json", "tim", "blocklist", "add", "--from", "alice", "bob", "carol", "mallory"]).run_async().await;
    assert_eq!(add.code, 1, "one item failed: exit 1\n{add:?}");
    let lines = add.json_lines();
    assert_eq!(lines.len(), 3);
    assert_eq!((lines[0]["account"].as_str(), lines[0]["ok"].as_bool()), (Some("bob"), Some(true)));
    assert_eq!(lines[2]["account"], "mallory");
    assert_eq!(lines[2]["error"]["code"], 30003);
    assert!(add.stderr.contains("2 succeeded, 1 failed (30003 x1)"), "{}", add.stderr);

    let check = tx(url, &["--json", "tim", "blocklist", "check", "--from", "alice", "bob", "dave"]).run_async().await;
    assert_eq!(check.code, 0, "{check:?}");
    let relations: Vec<_> = check.json_lines().iter().map(|l| l["value"].as_str().unwrap().to_owned()).collect();
    assert_eq!(relations, ["BlackCheckResult_Type_AWithB", "BlackCheckResult_Type_NO"]);

    let single = tx(url, &["--json", "tim", "blocklist", "check", "--type", "single", "--from", "bob", "alice"])
        .run_async()
        .await;
    assert_eq!(single.json_lines()[0]["value"], "BlackCheckResult_Type_NO");

    let list = tx(url, &["--json", "tim", "blocklist", "list", "--from", "alice"]).run_async().await;
    assert_eq!(list.code, 0);
    let listed: Vec<_> = list.json_lines().iter().map(|l| l["account"].as_str().unwrap().to_owned()).collect();
    assert_eq!(listed, ["bob", "carol"]);

    let delete = tx(url, &["tim", "blocklist", "delete", "--from", "alice", "bob"]).run_async().await;
    assert_eq!(delete.code, 0, "{delete:?}");
    assert!(delete.stdout.starts_with("alice\tbob\tok"), "{}", delete.stdout);
    let list = tx(url, &["--json", "tim", "blocklist", "list", "--from", "alice"]).run_async().await;
    assert_eq!(list.json_lines().len(), 1);
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
    let add = tx(url, &["--json", "tim", "blocklist", "add", "--from", "alice", "--from-file", path]).run_async().await;
    assert_eq!(add.code, 0, "{}", add.stderr);
    assert_eq!(add.json_lines().len(), 900);
    assert_eq!(emu.stats().endpoint("v4/sns/black_list_add").requests, 1);

    let mut all = tempfile::NamedTempFile::new().unwrap();
    for u in &users {
        writeln!(all, "{u}").unwrap();
    }
    let path = all.path().to_str().unwrap();
    let check =
        tx(url, &["--json", "tim", "blocklist", "check", "--from", "alice", "--from-file", path]).run_async().await;
    assert_eq!(check.code, 0, "{}", check.stderr);
    let lines = check.json_lines();
    let mut indexes: Vec<u64> = lines.iter().map(|l| l["index"].as_u64().unwrap()).collect();
    indexes.sort_unstable();
    assert_eq!(indexes, (0..2500).collect::<Vec<_>>(), "every line exactly once");
    let blocked = lines.iter().filter(|l| l["value"] == "BlackCheckResult_Type_AWithB").count();
    assert_eq!(blocked, 900);
    assert_eq!(emu.stats().endpoint("v4/sns/black_list_check").requests, 3, "chunks of at most 1000");

    let stdin: String = users.iter().take(10).map(|u| format!("{u}\n")).collect();
    let check = tx(url, &["--json", "tim", "blocklist", "check", "--from", "alice", "--from-file", "-"])
        .stdin(stdin)
        .run_async()
        .await;
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(check.json_lines().len(), 10);
    assert!(check.json_lines().iter().all(|l| l["value"] == "BlackCheckResult_Type_AWithB"));

    let mut csv = tempfile::NamedTempFile::new().unwrap();
    writeln!(csv, "From_Account,To_Account\nbob,alice\ncarol,alice\ndave,ghost").unwrap();
    let pairs =
        tx(url, &["--json", "tim", "blocklist", "add", "--pairs", csv.path().to_str().unwrap()]).run_async().await;
    assert_eq!(pairs.code, 1, "ghost does not exist: exit 1\n{pairs:?}");
    let by_from: std::collections::HashMap<String, String> = pairs
        .json_lines()
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
    let add = tx(url, &["--json", "tim", "friends", "add", "--from", "alice", "bob", "carol"]).run_async().await;
    assert_eq!(add.code, 0, "{add:?}");
    assert_eq!(add.json_lines().len(), 2);

    let check = tx(url, &["--json", "tim", "friends", "check", "--from", "alice", "bob", "dave"]).run_async().await;
    let values: Vec<_> = check.json_lines().iter().map(|l| l["value"].as_str().unwrap().to_owned()).collect();
    assert_eq!(values, ["CheckResult_Type_BothWay", "CheckResult_Type_NoRelation"]);

    let list = tx(url, &["--json", "tim", "friends", "list", "--from", "alice"]).run_async().await;
    let mut friends: Vec<_> = list.json_lines().iter().map(|l| l["account"].as_str().unwrap().to_owned()).collect();
    friends.sort();
    assert_eq!(friends, ["bob", "carol"]);

    let delete = tx(url, &["tim", "friends", "delete", "--from", "alice", "bob"]).run_async().await;
    assert_eq!(delete.code, 0, "{delete:?}");
    let list = tx(url, &["--json", "tim", "friends", "list", "--from", "alice"]).run_async().await;
    assert_eq!(list.json_lines().len(), 1);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_config_file_supplies_a_named_profile() {
    let emu = emulator(PEOPLE).await;
    let mut config = tempfile::NamedTempFile::new().unwrap();
    write!(
        config,
        "[profiles.local.tim]\nsdk_app_id = {}\nsecret_key = \"{}\"\nadmin = \"{}\"\nendpoint = \"{}\"\n",
        tx_tests::APP,
        tx_tests::KEY,
        tx_tests::ADMIN,
        emu.base_url()
    )
    .unwrap();
    let path = config.path().to_str().unwrap();
    let run = Tx::new(["--config", path, "--profile", "local", "tim", "blocklist", "add", "--from", "alice", "bob"])
        .run_async()
        .await;
    assert_eq!(run.code, 0, "{run:?}");
    // A flag wins over the profile: a wrong key by flag is refused by the server.
    let run = Tx::new([
        "--config",
        path,
        "--profile",
        "local",
        "tim",
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
    let missing = Tx::new(["--config", path, "--profile", "nope", "tim", "blocklist", "list", "--from", "alice"])
        .run_async()
        .await;
    assert_eq!(missing.code, 3);
    assert!(missing.stderr.contains("no profile \"nope\""), "{}", missing.stderr);
    emu.shutdown().await;
}
