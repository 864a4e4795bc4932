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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wechat_and_ads_commands_print_what_the_page_documents() {
    use tx_tests::{ads_authorization_code, platforms_emulator, wechat_push};
    let contract = Contract::load();
    let emu = platforms_emulator(std::time::Duration::from_millis(100)).await;
    let url = emu.base_url().to_owned();
    let state = tempfile::tempdir().unwrap();
    let (a1, a2) = ("wxa000000000000001", "wxa000000000000002");
    let wechat = |args: &[&str]| {
        let mut all = vec!["wechat", "--json"];
        all.extend_from_slice(args);
        Tx::new(all).wechat_env(&url, state.path())
    };
    let ads = |args: &[&str]| {
        let mut all = vec!["ads", "--json"];
        all.extend_from_slice(args);
        Tx::new(all).ads_env(&url, state.path())
    };
    let mut appids = tempfile::NamedTempFile::new().unwrap();
    writeln!(appids, "{a1}\n{a2}").unwrap();
    let appids = appids.into_temp_path();
    let appids = appids.to_str().unwrap().to_owned();

    let ticket = wechat_push(&url, "component_verify_ticket", None).await;
    let authorized = wechat_push(&url, "authorized", Some("wxa000000000000005")).await;
    let mut runs: Vec<(&str, Run, &[i32])> = vec![
        ("wechat ticket", wechat(&["ticket"]).stdin(ticket.to_string()).run_async().await, &[0]),
        ("wechat ticket (authorized)", wechat(&["ticket"]).stdin(authorized.to_string()).run_async().await, &[0]),
        ("wechat ticket (code reused)", wechat(&["ticket"]).stdin(authorized.to_string()).run_async().await, &[3]),
        ("wechat token", wechat(&["token", "--fetch", "--authorizer", a1]).run_async().await, &[0]),
        ("category get", wechat(&["ams", "category", "get", "--appids", &appids]).run_async().await, &[0]),
        (
            "category get (one unknown)",
            wechat(&["ams", "category", "get", "--appid", a1, "--appid", "wxa000000000000099"]).run_async().await,
            &[1],
        ),
        (
            "category set",
            wechat(&["ams", "category", "set", "--categories", "LOAN", "--appid", a2]).run_async().await,
            &[0],
        ),
        (
            "category ensure",
            wechat(&["ams", "category", "ensure", "--categories", "CHESS|LOAN", "--appids", &appids]).run_async().await,
            &[0],
        ),
        ("blacklist get", wechat(&["ams", "blacklist", "get", "--appid", a1]).run_async().await, &[0]),
        (
            "blacklist add",
            wechat(&["ams", "blacklist", "add", "--mini-program", "gh_00000000000a", "--appids", &appids])
                .run_async()
                .await,
            &[0],
        ),
        (
            "blacklist remove",
            wechat(&["ams", "blacklist", "remove", "--mini-program", "gh_00000000000a", "--appid", a1])
                .run_async()
                .await,
            &[0],
        ),
        ("adunit list", wechat(&["ams", "adunit", "list", "--appid", a1]).run_async().await, &[0]),
        (
            "adunit create",
            wechat(&["ams", "adunit", "create", "--appid", a1, "--name", "b", "--slot", "banner"]).run_async().await,
            &[0],
        ),
        (
            "adunit update",
            wechat(&["ams", "adunit", "update", "--appid", a1, "--id", "adunit-demo1banner", "--name", "top"])
                .run_async()
                .await,
            &[0],
        ),
        (
            "adunit code",
            wechat(&["ams", "adunit", "code", "--appid", a1, "--id", "adunit-demo1banner"]).run_async().await,
            &[0],
        ),
        (
            "stats",
            wechat(&["ams", "stats", "--appid", a1, "--from", "2024-03-01", "--to", "2024-03-02"]).run_async().await,
            &[0],
        ),
        (
            "stats by unit",
            wechat(&["ams", "stats", "--by", "unit", "--appid", a1, "--from", "2024-03-01", "--to", "2024-03-01"])
                .run_async()
                .await,
            &[0],
        ),
        (
            "settlement",
            wechat(&["ams", "settlement", "--appid", a1, "--from", "2024-01-01", "--to", "2024-01-31"])
                .run_async()
                .await,
            &[0],
        ),
    ];

    // The IP allow-list refusing the first call dooms the rest: failed, then not attempted.
    let doomed = tx_emulator::FaultPlan::seeded(1).script(
        "wxa/operationams?action=agency_get_mp_amscategory_blacklist",
        [tx_emulator::Step::Fault(tx_emulator::Fault::Code(61004))],
    );
    emu.set_faults(doomed).unwrap();
    let run = wechat(&["ams", "category", "get", "--appids", &appids, "--concurrency", "1"]).run_async().await;
    runs.push(("category get (61004: failed, then not attempted)", run, &[3]));
    emu.set_faults(tx_emulator::FaultPlan::seeded(0)).unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let wrong = wechat(&["ams", "category", "get", "--appid", a1])
        .env("WECHAT_COMPONENT_SECRET", "wrong")
        .env("TX_STATE_DIR", fresh.path())
        .env("WECHAT_COMPONENT_VERIFY_TICKET", ticket["ticket"].as_str().unwrap())
        .run_async()
        .await;
    assert!(wrong.stderr.contains("40125"), "{wrong:?}");
    runs.push(("category get (wrong secret)", wrong, &[3]));

    let callback =
        format!("https://example.com/callback?authorization_code={}", ads_authorization_code(&url, 20_000_001).await);
    let mut materials = tempfile::NamedTempFile::new().unwrap();
    writeln!(materials, "123\n456\n789").unwrap();
    let materials = materials.into_temp_path();
    let materials = materials.to_str().unwrap().to_owned();
    runs.extend(vec![
        (
            "oauth url",
            ads(&["oauth", "url", "--redirect-uri", "https://example.com/callback"]).run_async().await,
            &[0][..],
        ),
        (
            "oauth exchange",
            ads(&["oauth", "exchange", "--redirect-uri", "https://example.com/callback"])
                .stdin(callback)
                .run_async()
                .await,
            &[0],
        ),
        ("oauth status", ads(&["oauth", "status", "--account", "20000001"]).run_async().await, &[0]),
        ("oauth refresh", ads(&["oauth", "refresh", "--account", "20000001"]).run_async().await, &[0]),
        (
            "watermark add",
            ads(&["watermark", "add", "--account", "20000001", "--preset", "loan-risk", "--from-file", &materials])
                .run_async()
                .await,
            &[1],
        ),
        (
            "watermark add --wait",
            ads(&[
                "watermark",
                "add",
                "--account",
                "20000001",
                "--preset",
                "loan-risk",
                "--material",
                "1001",
                "--wait",
            ])
            .run_async()
            .await,
            &[0],
        ),
        (
            "watermark add (never authorized: failed, then not attempted)",
            ads(&["watermark", "add", "--account", "20000002", "--preset", "loan-risk", "--material", "123"])
                .run_async()
                .await,
            &[3],
        ),
        ("watermark get", ads(&["watermark", "get", "--account", "20000001"]).run_async().await, &[0]),
        (
            "task add --wait",
            ads(&["task", "add", "--account", "20000001", "--material", "123", "--preset", "loan-risk", "--wait"])
                .run_async()
                .await,
            &[0],
        ),
    ]);
    let job = runs.last().unwrap().1.records("job")[0]["job_id"].as_str().unwrap().to_owned();
    runs.push(("task get", ads(&["task", "get", "--account", "20000001", "--job", &job]).run_async().await, &[0]));
    runs.push(("task wait", ads(&["task", "wait", "--account", "20000001", "--job", &job]).run_async().await, &[0]));
    runs.push((
        "task add",
        ads(&["task", "add", "--account", "20000001", "--material", "456", "--preset", "loan-risk"]).run_async().await,
        &[0],
    ));
    for (what, run, codes) in &runs {
        check(&contract, what, run, codes);
        assert!(!run.stdout.contains("Some(") && !run.stdout.contains("Known("), "{what}: no Rust Debug text");
    }
    let statuses: std::collections::BTreeSet<String> = runs
        .iter()
        .flat_map(|(_, run, _)| run.records("item"))
        .map(|i| i["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses.into_iter().collect::<Vec<_>>(), ["failed", "not_attempted", "ok"], "each status is checked");
    emu.shutdown().await;
}
