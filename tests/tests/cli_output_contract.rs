//! Every command's `--json` output against `docs/cli-output.md`: each record documented,
//! with its documented fields and types, and the summary last.

use std::io::Write;
use tx_tests::contract::Contract;
use tx_tests::{APP, KEY, Run, Tx, emulator};

fn check(contract: &Contract, what: &str, run: &Run, codes: &[i32]) {
    assert!(codes.contains(&run.code), "{what}: exit {} {run:?}", run.code);
    let lines = run.json_lines();
    assert!(!lines.is_empty(), "{what}: no output");
    for line in &lines {
        contract.check(line).unwrap_or_else(|e| panic!("{what}: {e}"));
    }
    let summary = run.summary();
    assert_eq!(summary["exit_code"].as_i64(), Some(run.code.into()), "{what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_prints_what_the_page_documents() {
    let contract = Contract::load();
    let emu = emulator(&["alice", "bob", "carol", "dave"]).await;
    let url = emu.base_url().to_owned();
    let mut ids = tempfile::NamedTempFile::new().unwrap();
    writeln!(ids, "bob\ncarol").unwrap();
    let ids = ids.into_temp_path();
    let ids = ids.to_str().unwrap().to_owned();
    let mut csv = tempfile::NamedTempFile::new().unwrap();
    writeln!(csv, "From_Account,To_Account\ndave,alice\ndave,nobody").unwrap();
    let csv = csv.into_temp_path();
    let csv = csv.to_str().unwrap().to_owned();

    let tim = |args: &[&str]| {
        let mut all = vec!["tim", "--json"];
        all.extend_from_slice(args);
        Tx::new(all).tim_env(&url)
    };
    let runs: Vec<(&str, Run, &[i32])> = vec![
        ("blocklist add", tim(&["blocklist", "add", "--from", "alice", "bob", "nobody"]).run_async().await, &[1]),
        (
            "blocklist add --from-file",
            tim(&["blocklist", "add", "--from", "dave", "--from-file", &ids]).run_async().await,
            &[0],
        ),
        ("blocklist add --pairs", tim(&["blocklist", "add", "--pairs", &csv]).run_async().await, &[1]),
        ("blocklist check", tim(&["blocklist", "check", "--from", "alice", "bob", "nobody"]).run_async().await, &[1]),
        ("blocklist list", tim(&["blocklist", "list", "--from", "alice"]).run_async().await, &[0]),
        ("blocklist delete", tim(&["blocklist", "delete", "--from", "alice", "bob"]).run_async().await, &[0]),
        ("friends add", tim(&["friends", "add", "--from", "alice", "carol"]).run_async().await, &[0]),
        ("friends check", tim(&["friends", "check", "--from", "alice", "carol", "dave"]).run_async().await, &[0]),
        ("friends list", tim(&["friends", "list", "--from", "alice"]).run_async().await, &[0]),
        ("friends delete", tim(&["friends", "delete", "--from", "alice", "carol"]).run_async().await, &[0]),
        ("account import", tim(&["account", "import", "zed"]).run_async().await, &[0]),
        ("account check", tim(&["account", "check", "zed", "nobody"]).run_async().await, &[0]),
        ("account delete", tim(&["account", "delete", "zed", "nobody"]).run_async().await, &[1]),
    ];
    for (what, run, codes) in &runs {
        check(&contract, what, run, codes);
    }

    let generated =
        Tx::new(["usersig", "--json", "gen", "--sdk-app-id", &APP.to_string(), "--identifier", "alice", "--room", "7"])
            .env("TIM_SECRET_KEY", KEY)
            .run();
    check(&contract, "usersig gen", &generated, &[0]);
    let sig = generated.records("usersig")[0]["usersig"].as_str().unwrap().to_owned();
    let verify = |extra: &[&str]| {
        let mut args = vec!["usersig", "--json", "verify", "--identifier", "alice"];
        args.extend_from_slice(extra);
        Tx::new(args).env("TIM_SDK_APP_ID", APP.to_string()).env("TIM_SECRET_KEY", KEY).stdin(sig.clone()).run()
    };
    check(&contract, "usersig verify (valid)", &verify(&["--room", "7"]), &[0]);
    check(&contract, "usersig verify (invalid)", &verify(&[]), &[1]);
    check(&contract, "usersig decode", &Tx::new(["usersig", "--json", "decode"]).stdin(sig.clone()).run(), &[0]);
    check(&contract, "demo", &Tx::new(["demo", "--json", "--bulk", "50"]).run(), &[0]);
    emu.shutdown().await;
}
