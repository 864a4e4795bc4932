//! `tx wechat ticket|token|ams …`, run as a binary against an in-process emulator: a ticket
//! received by one invocation serves the next, fleets over flags, files and stdin print
//! the same records, bad input is refused before anything is sent.

use std::io::Write;
use std::path::Path;
use std::time::Duration;
use tx_emulator::Emulator;
use tx_emulator::defaults::WECHAT_COMPONENT;
use tx_tests::{Run, Tx, platforms_emulator, wechat_push};

const A1: &str = "wxa000000000000001";
const A2: &str = "wxa000000000000002";
const A3: &str = "wxa000000000000003";
const A4: &str = "wxa000000000000004";
const GET: &str = "wxa/operationams?action=agency_get_mp_amscategory_blacklist";
const SET: &str = "wxa/operationams?action=agency_set_mp_amscategory_blacklist";

fn wechat(url: &str, state: &Path, args: &[&str]) -> Tx {
    let mut all = vec!["wechat"];
    all.extend_from_slice(args);
    Tx::new(all).wechat_env(url, state)
}

/// Receives a fresh ticket push into `state`.
async fn receive_ticket(url: &str, state: &Path) -> Run {
    let capture = wechat_push(url, "component_verify_ticket", None).await;
    wechat(url, state, &["--json", "ticket"]).stdin(capture.to_string()).run_async().await
}

fn requests(emu: &Emulator, endpoint: &str) -> u64 {
    emu.stats().endpoint(endpoint).requests
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_received_by_one_command_serves_the_next() {
    let emu = platforms_emulator(Duration::from_millis(200)).await;
    let url = emu.base_url().to_owned();
    let state = tempfile::tempdir().unwrap();

    let before = wechat(&url, state.path(), &["--json", "token", "--authorizer", A1]).run_async().await;
    assert_eq!(before.code, 0, "{before:?}");
    assert!(before.records("token").iter().all(|t| t["present"] == false), "a fresh state holds nothing");

    let capture = wechat_push(&url, "component_verify_ticket", None).await;
    let file = state.path().join("push.json");
    std::fs::write(&file, capture.to_string()).unwrap();
    let ticket = wechat(&url, state.path(), &["--json", "ticket", file.to_str().unwrap()]).run_async().await;
    assert_eq!(ticket.code, 0, "{ticket:?}");
    let push = &ticket.records("push")[0];
    assert_eq!(
        (push["info_type"].as_str(), push["action"].as_str()),
        (Some("component_verify_ticket"), Some("ticket_stored"))
    );
    assert_eq!(push["component_appid"], WECHAT_COMPONENT);
    assert!(!ticket.all_output().contains(capture["ticket"].as_str().unwrap()), "the ticket is never printed");

    // The next invocation fetches the component token with that ticket, recovers the
    // refresh tokens and gets an authorizer token; a third one finds them all kept.
    let fetch = wechat(&url, state.path(), &["--json", "token", "--fetch", "--authorizer", A1]).run_async().await;
    assert_eq!(fetch.code, 0, "{fetch:?}");
    assert!(fetch.stderr.contains("recovered 5 from api_get_authorizer_list"), "{}", fetch.stderr);
    let kinds: Vec<(String, bool)> = fetch
        .records("token")
        .iter()
        .map(|t| (t["kind"].as_str().unwrap().to_owned(), t["valid"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("component_verify_ticket".to_owned(), true),
            ("component_access_token".to_owned(), true),
            ("authorizer_access_token".to_owned(), true),
            ("authorizer_refresh_token".to_owned(), true),
        ]
    );
    let again = wechat(&url, state.path(), &["--json", "token", "--fetch", "--authorizer", A1]).run_async().await;
    assert_eq!(again.code, 0, "{again:?}");
    let stats = emu.stats();
    assert_eq!(stats.token_fetches("component_access_token", WECHAT_COMPONENT), 1, "kept across invocations");
    assert_eq!(stats.token_fetches("authorizer_access_token", A1), 1, "kept across invocations");

    let get = wechat(&url, state.path(), &["ams", "category", "get", "--appid", A1]).run_async().await;
    assert_eq!(get.code, 0, "{get:?}");
    assert_eq!(get.stdout, format!("INDEX\tAUTHORIZER\tSTATUS\tCATEGORIES\tERROR\n0\t{A1}\tok\tCHESS|LOAN\t\n"));
    assert!(get.stderr.starts_with("wechat ams category get: 1 ok, 0 failed"), "{}", get.stderr);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_as_xml_or_captures_verified_and_acted_on() {
    let emu = platforms_emulator(Duration::from_millis(200)).await;
    let url = emu.base_url().to_owned();
    let state = tempfile::tempdir().unwrap();
    let capture = wechat_push(&url, "component_verify_ticket", None).await;
    let (query, body) = (capture["query"].as_str().unwrap(), capture["body"].as_str().unwrap());

    let xml = wechat(&url, state.path(), &["--json", "ticket", "--query", query]).stdin(body).run_async().await;
    assert_eq!(xml.code, 0, "an XML body with its query: {xml:?}");
    let url_query = format!("https://example.com/wechat/events?{query}");
    let again = wechat(&url, state.path(), &["--json", "ticket", "--query", &url_query]).stdin(body).run_async().await;
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(again.records("push")[0]["action"], "ticket_stored", "the same ticket again");

    let no_query = wechat(&url, state.path(), &["ticket"]).stdin(body).run_async().await;
    assert_eq!(no_query.code, 2, "{no_query:?}");
    assert!(no_query.stderr.contains("needs --query"), "{}", no_query.stderr);
    let forged = query.replace("msg_signature=", "msg_signature=0");
    let refused = wechat(&url, state.path(), &["ticket", "--query", &forged]).stdin(body).run_async().await;
    assert_eq!(refused.code, 3, "a push that does not verify: {refused:?}");
    assert!(refused.stderr.contains("does not verify") && refused.stdout.is_empty(), "{refused:?}");
    let junk = wechat(&url, state.path(), &["ticket", "--query", query]).stdin("<xml>junk").run_async().await;
    assert_eq!(junk.code, 2, "{junk:?}");
    let empty = wechat(&url, state.path(), &["ticket"]).stdin("").run_async().await;
    assert_eq!(empty.code, 2, "{empty:?}");
    let keyless = Tx::new(["wechat", "ticket"])
        .wechat_env(&url, state.path())
        .env("WECHAT_COMPONENT_TOKEN", "")
        .env("WECHAT_COMPONENT_AES_KEY", "")
        .stdin(capture.to_string())
        .run_async()
        .await;
    assert_eq!(keyless.code, 3, "{keyless:?}");
    assert!(keyless.stderr.contains("WECHAT_COMPONENT_AES_KEY"), "{}", keyless.stderr);

    // An authorization: the code is exchanged and the mini program's tokens kept.
    let authorized = wechat_push(&url, "authorized", Some(A3)).await;
    let run = wechat(&url, state.path(), &["--json", "ticket"]).stdin(authorized.to_string()).run_async().await;
    assert_eq!(run.code, 0, "{run:?}");
    let push = &run.records("push")[0];
    assert_eq!(
        (push["authorizer_appid"].as_str(), push["action"].as_str()),
        (Some(A3), Some("authorization_exchanged"))
    );
    assert!(
        !run.all_output().contains(authorized["authorization_code"].as_str().unwrap()),
        "the code is never printed"
    );
    let token = wechat(&url, state.path(), &["--json", "token", "--authorizer", A3]).run_async().await;
    assert!(token.records("token").iter().filter(|t| t["appid"] == A3).all(|t| t["present"] == true), "{token:?}");
    // The same code again: single-use, refused, reported as a failed push (exit 3).
    let reused = wechat(&url, state.path(), &["--json", "ticket"]).stdin(authorized.to_string()).run_async().await;
    assert_eq!(reused.code, 3, "{reused:?}");
    let push = &reused.records("push")[0];
    assert_eq!(
        (push["status"].as_str(), push["action"].as_str()),
        (Some("failed"), Some("authorization_not_exchanged"))
    );
    assert_eq!(reused.summary()["exit_code"], 3);

    // A withdrawal purges what was kept for the mini program.
    let gone = wechat_push(&url, "unauthorized", Some(A3)).await;
    let run = wechat(&url, state.path(), &["--json", "ticket"]).stdin(gone.to_string()).run_async().await;
    assert_eq!(run.records("push")[0]["action"], "tokens_purged", "{run:?}");
    let token = wechat(&url, state.path(), &["--json", "token", "--authorizer", A3]).run_async().await;
    assert!(token.records("token").iter().filter(|t| t["appid"] == A3).all(|t| t["present"] == false), "{token:?}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleets_over_flags_files_and_stdin_print_the_same_records() {
    let emu = platforms_emulator(Duration::from_millis(200)).await;
    let url = emu.base_url().to_owned();
    let state = tempfile::tempdir().unwrap();
    assert_eq!(receive_ticket(&url, state.path()).await.code, 0);

    let ensure = |extra: &[&str]| {
        let mut args = vec!["--json", "ams", "category", "ensure", "--categories", "CHESS,LOAN"];
        args.extend_from_slice(extra);
        wechat(&url, state.path(), &args)
    };
    let by_flags = ensure(&["--appid", A1, "--appid", A2]).run_async().await;
    assert_eq!(by_flags.code, 0, "{by_flags:?}");
    let items = by_flags.items();
    assert_eq!((items[0]["change"].as_str(), items[0]["before"].as_str()), (Some("unchanged"), Some("CHESS|LOAN")));
    assert_eq!(
        (items[1]["change"].as_str(), items[1]["before"].as_str(), items[1]["after"].as_str()),
        (Some("changed"), Some(""), Some("CHESS|LOAN"))
    );
    assert_eq!((requests(&emu, GET), requests(&emu, SET)), (2, 1), "a write only where the set differed");
    assert_eq!(by_flags.summary()["requests"], 3);

    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "{A3}\n{A4}\n{A3}").unwrap();
    let by_file = ensure(&["--appids", file.path().to_str().unwrap()]).run_async().await;
    assert_eq!(by_file.code, 2, "a repeated AppID is refused with its line: {by_file:?}");
    assert!(by_file.stderr.contains("line 3 repeats line 1"), "{}", by_file.stderr);
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "{A3}\n{A4}").unwrap();
    let by_file = ensure(&["--appids", file.path().to_str().unwrap()]).run_async().await;
    assert_eq!(by_file.code, 0, "{by_file:?}");
    assert!(by_file.items().iter().all(|i| i["change"] == "changed"));
    let by_stdin = ensure(&["--appids", "-"]).stdin(format!("{A3}\n{A4}\n")).run_async().await;
    assert_eq!(by_stdin.code, 0, "{by_stdin:?}");
    let shape = |run: &Run| -> Vec<(u64, String, String)> {
        run.items()
            .iter()
            .map(|i| {
                (
                    i["index"].as_u64().unwrap(),
                    i["authorizer_appid"].as_str().unwrap().to_owned(),
                    i["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(shape(&by_file), shape(&by_stdin), "the same records for a file and for stdin");
    assert!(by_stdin.items().iter().all(|i| i["change"] == "unchanged"), "the second run finds them compliant");

    let set = wechat(&url, state.path(), &["--json", "ams", "category", "set", "--categories", "", "--appid", A4])
        .run_async()
        .await;
    assert_eq!(set.code, 0, "{set:?}");
    assert_eq!(set.items()[0]["categories"], "");
    let get = wechat(&url, state.path(), &["--json", "ams", "category", "get", "--appid", A3, "--appid", A4])
        .run_async()
        .await;
    let sets: Vec<String> = get.items().iter().map(|i| i["categories"].as_str().unwrap().to_owned()).collect();
    assert_eq!(sets, ["CHESS|LOAN", ""]);

    // Bad input: refused before anything is sent, naming the flag or the line.
    emu.clear_stats();
    let bad =
        wechat(&url, state.path(), &["ams", "category", "get", "--appid", A1, "--appid", "gh_0123"]).run_async().await;
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(bad.stderr.contains("--appid #2 is \"gh_0123\"") && bad.stdout.is_empty(), "{}", bad.stderr);
    let bad = ensure(&["--appids", "-"]).stdin(format!("{A1}\nwx\u{200B}a00000000000001\n")).run_async().await;
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(bad.stderr.contains("stdin line 2 holds a zero-width space"), "{}", bad.stderr);
    let bad =
        wechat(&url, state.path(), &["ams", "category", "ensure", "--categories", "CHESS,SECURITIES", "--appid", A1])
            .run_async()
            .await;
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(bad.stderr.contains("\"SECURITIES\" is not a category"), "{}", bad.stderr);
    assert_eq!(emu.stats().endpoints.values().map(|e| e.requests).sum::<u64>(), 0, "nothing was sent");

    // An authorizer the platform does not have fails alone; the run goes on (exit 1).
    let mixed = wechat(
        &url,
        state.path(),
        &["--json", "ams", "category", "get", "--appid", A1, "--appid", "wxa000000000000099"],
    )
    .run_async()
    .await;
    assert_eq!(mixed.code, 1, "{mixed:?}");
    assert_eq!(
        (mixed.items()[0]["status"].as_str(), mixed.items()[1]["status"].as_str()),
        (Some("ok"), Some("failed"))
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blacklists_ad_units_statistics_and_settlements() {
    let emu = platforms_emulator(Duration::from_millis(200)).await;
    let url = emu.base_url().to_owned();
    let state = tempfile::tempdir().unwrap();
    assert_eq!(receive_ticket(&url, state.path()).await.code, 0);
    let run = |args: &[&str]| wechat(&url, state.path(), args).run_async();

    let added = run(&[
        "--json",
        "ams",
        "blacklist",
        "add",
        "--official-account",
        "gh_0000000000002",
        "--ios-app",
        "123456",
        "--appid",
        A1,
        "--appid",
        A2,
    ])
    .await;
    assert_eq!(added.code, 0, "{added:?}");
    let first = &added.items()[0];
    assert_eq!(first["change"], "changed");
    assert_eq!(first["before"], serde_json::json!([{"type": 1, "id": "gh_0000000000001"}]));
    assert_eq!(
        first["blocked"],
        serde_json::json!([{"type": 1, "id": "gh_0000000000002"}, {"type": 2, "id": "123456"}])
    );
    let removed = run(&["--json", "ams", "blacklist", "remove", "--ios-app", "123456", "--appid", A1]).await;
    assert_eq!(removed.items()[0]["unblocked"], serde_json::json!([{"type": 2, "id": "123456"}]), "{removed:?}");
    let get = run(&["--json", "ams", "blacklist", "get", "--appid", A1]).await;
    assert_eq!(
        get.items()[0]["entries"],
        serde_json::json!([{"type": 1, "id": "gh_0000000000001"}, {"type": 1, "id": "gh_0000000000002"}])
    );
    let none = run(&["ams", "blacklist", "add", "--appid", A1]).await;
    assert_eq!(none.code, 2, "at least one advertiser: {none:?}");

    let list = run(&["--json", "ams", "adunit", "list", "--appid", A1]).await;
    assert_eq!(list.code, 0, "{list:?}");
    let units = list.records("adunit");
    let ids: Vec<&str> = units.iter().map(|u| u["ad_unit_id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"adunit-demo1banner") && ids.contains(&"adunit-demo1reward"), "{ids:?}");
    let created = run(&[
        "--json",
        "ams",
        "adunit",
        "create",
        "--appid",
        A1,
        "--name",
        "level end",
        "--slot",
        "reward-video",
        "--video-min",
        "6",
        "--video-max",
        "30",
    ])
    .await;
    assert_eq!(created.code, 0, "{created:?}");
    let unit = &created.records("adunit")[0];
    assert_eq!(
        (unit["name"].as_str(), unit["ad_slot"].as_str(), unit["video_duration_max"].as_i64()),
        (Some("level end"), Some("SLOT_ID_WEAPP_REWARD_VIDEO"), Some(30))
    );
    let id = unit["ad_unit_id"].as_str().unwrap().to_owned();
    let off = run(&["--json", "ams", "adunit", "update", "--appid", A1, "--id", &id, "--off"]).await;
    assert_eq!(off.records("adunit")[0]["ad_unit_status"], "AD_UNIT_STATUS_OFF", "{off:?}");
    let code = run(&["--json", "ams", "adunit", "code", "--appid", A1, "--id", &id]).await;
    assert_eq!(code.records("code")[0]["code"], format!("<ad unit-id=\"{id}\"></ad>"));
    let bad = run(&[
        "ams",
        "adunit",
        "create",
        "--appid",
        A1,
        "--name",
        "x",
        "--slot",
        "reward-video",
        "--video-min",
        "6",
        "--video-max",
        "45",
    ])
    .await;
    assert_eq!(bad.code, 2, "a duration the API does not accept is refused before sending: {bad:?}");
    let nothing = run(&["ams", "adunit", "update", "--appid", A1, "--id", &id]).await;
    assert_eq!(nothing.code, 2, "{nothing:?}");

    let stats = run(&["--json", "ams", "stats", "--appid", A1, "--from", "2024-03-01", "--to", "2024-03-03"]).await;
    assert_eq!(stats.code, 0, "{stats:?}");
    let rows = stats.records("stat");
    assert!(
        !rows.is_empty()
            && rows.iter().all(|r| r["date"].as_str().unwrap().starts_with("2024-03-0") && r["ad_unit_id"].is_null())
    );
    let by_unit =
        run(&["--json", "ams", "stats", "--by", "unit", "--appid", A1, "--from", "2024-03-01", "--to", "2024-03-01"])
            .await;
    assert!(by_unit.records("stat").iter().all(|r| r["ad_unit_id"].is_string()), "{by_unit:?}");
    let settlements =
        run(&["--json", "ams", "settlement", "--appid", A1, "--from", "2024-01-01", "--to", "2024-02-29"]).await;
    assert_eq!(settlements.code, 0, "{settlements:?}");
    let periods = settlements.records("settlement");
    assert_eq!(periods.len(), 4, "two half-months a month");
    assert!(periods.iter().all(|p| p["settled_revenue"].is_i64() && p["sett_phase"].is_string()));
    let backwards = run(&["ams", "stats", "--appid", A1, "--from", "2024-03-03", "--to", "2024-03-01"]).await;
    assert_eq!(backwards.code, 2, "{backwards:?}");
    assert!(backwards.stderr.contains("--to is 2024-03-01, before --from 2024-03-03"), "{}", backwards.stderr);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_ticket_the_commands_say_how_to_get_one() {
    let emu = platforms_emulator(Duration::from_millis(200)).await;
    let url = emu.base_url().to_owned();
    let state = tempfile::tempdir().unwrap();
    let run = wechat(&url, state.path(), &["ams", "category", "get", "--appid", A1]).run_async().await;
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stderr.contains("receive one with `tx wechat ticket`"), "{}", run.stderr);
    assert_eq!(emu.stats().endpoints.values().map(|e| e.requests).sum::<u64>(), 0, "nothing was sent");
    let missing = Tx::new(["wechat", "token"]).env("TX_STATE_DIR", state.path()).run_async().await;
    assert_eq!(missing.code, 3, "{missing:?}");
    assert!(missing.stderr.contains("WECHAT_COMPONENT_APPID"), "{}", missing.stderr);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_that_dooms_the_run_keeps_the_rest_for_later() {
    let emu = platforms_emulator(Duration::from_millis(200)).await;
    let url = emu.base_url().to_owned();
    let state = tempfile::tempdir().unwrap();
    assert_eq!(receive_ticket(&url, state.path()).await.code, 0);
    let warm = wechat(&url, state.path(), &["token", "--fetch", "--authorizer", A1]).run_async().await;
    assert_eq!(warm.code, 0, "{warm:?}");
    // The IP allow-list refuses the first read: no later call can succeed.
    let plan =
        tx_emulator::FaultPlan::seeded(1).script(GET, [tx_emulator::Step::Fault(tx_emulator::Fault::Code(61004))]);
    emu.set_faults(plan).unwrap();
    let remaining = state.path().join("remaining.txt");
    let run = wechat(
        &url,
        state.path(),
        &[
            "--json",
            "--concurrency",
            "1",
            "ams",
            "category",
            "get",
            "--appids",
            "-",
            "--remaining",
            remaining.to_str().unwrap(),
        ],
    )
    .stdin(format!("{A1}\n{A2}\n{A3}\n{A4}\n"))
    .run_async()
    .await;
    assert_eq!(run.code, 3, "{run:?}");
    let statuses: Vec<String> = run.items().iter().map(|i| i["status"].as_str().unwrap().to_owned()).collect();
    assert_eq!(statuses, ["failed", "not_attempted", "not_attempted", "not_attempted"]);
    assert_eq!(run.items()[0]["error"]["code"], 61004);
    assert!(run.stderr.contains("3 items not attempted are in"), "{}", run.stderr);
    let mut kept: Vec<String> = std::fs::read_to_string(&remaining).unwrap().lines().map(str::to_owned).collect();
    kept.sort();
    assert_eq!(kept, [A2, A3, A4]);
    assert_eq!(requests(&emu, GET), 1, "nothing more was sent");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_and_the_state_directory_come_from_a_profile_too() {
    use tx_emulator::defaults as d;
    let emu = platforms_emulator(Duration::from_millis(200)).await;
    let url = emu.base_url().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emu-state");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.emu.wechat]\ncomponent_appid = \"{}\"\ncomponent_secret = \"{}\"\nmessage_token = \"{}\"\n\
             encoding_aes_key = \"{}\"\nendpoint = \"{url}\"\n\n[profiles.emu.ads]\nclient_id = {}\n\
             client_secret = \"{}\"\naccess_token = \"{}\"\nendpoint = \"{url}\"\n\n[profiles.emu.cli]\n\
             state_dir = \"{}\"\n\n[profiles.typo.cli]\nstate_directory = \"x\"\n",
            d::WECHAT_COMPONENT,
            d::WECHAT_SECRET,
            d::WECHAT_TOKEN,
            d::WECHAT_AES_KEY,
            d::ADS_CLIENT_ID,
            d::ADS_SECRET,
            d::ADS_PRIVATE_TOKEN,
            state.display()
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let capture = wechat_push(&url, "component_verify_ticket", None).await;
    let ticket = Tx::new(["wechat", "--profile", "emu", "--config", config, "ticket"])
        .stdin(capture.to_string())
        .run_async()
        .await;
    assert_eq!(ticket.code, 0, "{ticket:?}");
    assert!(state.join("tokens.jsonl").exists(), "the profile's state directory holds the ticket");
    let get = Tx::new(["wechat", "--profile", "emu", "--config", config, "ams", "category", "get", "--appid", A1])
        .run_async()
        .await;
    assert_eq!(get.code, 0, "{get:?}");
    let ads = Tx::new([
        "ads",
        "--profile",
        "emu",
        "--config",
        config,
        "watermark",
        "add",
        "--account",
        "20000002",
        "--preset",
        "loan-risk",
        "--material",
        "123",
    ])
    .run_async()
    .await;
    assert_eq!(ads.code, 0, "{ads:?}");
    // A flag wins over the profile.
    let flagged = Tx::new([
        "wechat",
        "--profile",
        "emu",
        "--config",
        config,
        "--endpoint",
        "http://127.0.0.1:1",
        "ams",
        "category",
        "get",
        "--appid",
        A2,
    ])
    .run_async()
    .await;
    assert_eq!(flagged.code, 4, "{flagged:?}");
    let typo = Tx::new(["wechat", "--profile", "typo", "--config", config, "token"]).run_async().await;
    assert_eq!(typo.code, 3, "{typo:?}");
    assert!(typo.stderr.contains("(cli.state_directory) is not a setting of [cli]"), "{}", typo.stderr);
    emu.shutdown().await;
}
