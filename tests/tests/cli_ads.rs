//! `tx ads oauth|watermark|task …`, run as a binary against an in-process emulator: an
//! authorization exchanged once serves later invocations, materials from flags, files and
//! stdin print the same records, bad input is refused before anything is sent.

use std::io::Write;
use std::path::Path;
use std::time::Duration;
use tx_emulator::Emulator;
use tx_emulator::defaults::ADS_PRIVATE_TOKEN;
use tx_tests::{Run, Tx, ads_authorization_code, platforms_emulator};

const REDIRECT: &str = "https://example.com/callback";
const ADD: &str = "v3.0/watermarks/add";

fn ads(url: &str, state: &Path, args: &[&str]) -> Tx {
    let mut all = vec!["ads"];
    all.extend_from_slice(args);
    Tx::new(all).ads_env(url, state)
}

/// `tx ads` with the emulator's private app token, valid for every demo account.
fn private(url: &str, state: &Path, args: &[&str]) -> Tx {
    ads(url, state, args).env("ADS_ACCESS_TOKEN", ADS_PRIVATE_TOKEN)
}

fn requests(emu: &Emulator, endpoint: &str) -> u64 {
    emu.stats().endpoint(endpoint).requests
}

fn sent(emu: &Emulator) -> u64 {
    emu.stats().endpoints.values().map(|e| e.requests).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_authorization_exchanged_once_serves_later_commands() {
    let emu = platforms_emulator(Duration::from_millis(200)).await;
    let url = emu.base_url().to_owned();
    let state = tempfile::tempdir().unwrap();

    let authorize = ads(&url, state.path(), &["--json", "oauth", "url", "--redirect-uri", REDIRECT, "--state", "s1"])
        .run_async()
        .await;
    assert_eq!(authorize.code, 0, "{authorize:?}");
    let page = authorize.records("authorize_url")[0]["url"].as_str().unwrap().to_owned();
    assert!(page.starts_with(&format!("{url}/oauth/authorize?client_id=1110000000&redirect_uri=")), "{page}");
    assert!(page.ends_with("&state=s1"), "{page}");

    // The callback URL on stdin, as the user's browser landed on it.
    let code = ads_authorization_code(&url, 20_000_001).await;
    let callback = format!("{REDIRECT}?authorization_code={code}&state=s1");
    let exchange = ads(&url, state.path(), &["--json", "oauth", "exchange", "--redirect-uri", REDIRECT])
        .stdin(callback.clone())
        .run_async()
        .await;
    assert_eq!(exchange.code, 0, "{exchange:?}");
    let auth = &exchange.records("authorization")[0];
    assert_eq!(
        (auth["account_id"].as_i64(), auth["role_type"].as_str()),
        (Some(20_000_001), Some("ROLE_TYPE_ADVERTISER"))
    );
    assert!(auth["access_token_expires_at_unix"].as_u64().unwrap() > 1_700_000_000);
    assert!(!exchange.all_output().contains(&code), "the code is never printed");
    let reused = ads(&url, state.path(), &["oauth", "exchange", "--redirect-uri", REDIRECT, &code]).run_async().await;
    assert_eq!(reused.code, 3, "a code works once: {reused:?}");
    assert!(reused.stderr.contains("11013"), "{}", reused.stderr);

    // Later invocations find the tokens in the state directory.
    let status = ads(&url, state.path(), &["--json", "oauth", "status", "--account", "20000001"]).run_async().await;
    let token = &status.records("token")[0];
    assert_eq!(
        (token["has_refresh_token"].as_bool(), token["access_token_expires_at"].is_string()),
        (Some(true), true),
        "{status:?}"
    );
    let refreshed = ads(&url, state.path(), &["--json", "oauth", "refresh", "--account", "20000001"]).run_async().await;
    assert_eq!(refreshed.code, 0, "{refreshed:?}");
    let add = ads(
        &url,
        state.path(),
        &["--json", "watermark", "add", "--account", "20000001", "--preset", "loan-risk", "--material", "123"],
    )
    .run_async()
    .await;
    assert_eq!(add.code, 0, "{add:?}");
    assert_eq!(requests(&emu, "oauth/token"), 3, "the exchange, the refused reuse and the refresh: nothing more");

    let other = ads(
        &url,
        state.path(),
        &["watermark", "add", "--account", "20000002", "--preset", "loan-risk", "--material", "123"],
    )
    .run_async()
    .await;
    assert_eq!(other.code, 3, "an account never authorized: {other:?}");
    let no_code = ads(&url, state.path(), &["oauth", "exchange", "--redirect-uri", REDIRECT])
        .stdin(format!("{REDIRECT}?error=access_denied"))
        .run_async()
        .await;
    assert_eq!(no_code.code, 2, "{no_code:?}");
    assert!(no_code.stderr.contains("access_denied"), "{}", no_code.stderr);
    let bad_uri =
        ads(&url, state.path(), &["oauth", "url", "--redirect-uri", "https://example.com:8443/cb"]).run_async().await;
    assert_eq!(bad_uri.code, 2, "{bad_uri:?}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn materials_from_flags_files_and_stdin_print_the_same_records() {
    let emu = platforms_emulator(Duration::from_millis(200)).await;
    let url = emu.base_url().to_owned();
    let state = tempfile::tempdir().unwrap();
    let add = |extra: &[&str]| {
        let mut args = vec!["--json", "watermark", "add", "--account", "20000001", "--preset", "loan-risk"];
        args.extend_from_slice(extra);
        private(&url, state.path(), &args)
    };

    let by_flags = add(&["--material", "123", "--material", "456", "--material", "789"]).run_async().await;
    assert_eq!(by_flags.code, 1, "the video is refused: {by_flags:?}");
    let items = by_flags.items();
    for item in &items[..2] {
        assert_eq!((item["status"].as_str(), item["outcome"].as_str()), (Some("ok"), Some("processing")), "{item}");
        assert!(item["record_id"].is_string());
    }
    assert_eq!(items[2]["status"], "failed");
    assert_eq!((items[2]["error"]["code"].is_null(), items[2]["error"]["kind"].as_str()), (true, Some("api")));
    assert_eq!(by_flags.summary()["requests"], 1, "one watermarks/add for the three");

    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "123\n456\n789").unwrap();
    let by_file = add(&["--from-file", file.path().to_str().unwrap()]).run_async().await;
    let by_stdin = add(&["--from-file", "-"]).stdin("123\n456\n789\n").run_async().await;
    let shape = |run: &Run| -> Vec<(u64, String, String)> {
        run.items()
            .iter()
            .map(|i| {
                (
                    i["index"].as_u64().unwrap(),
                    i["material_id"].as_str().unwrap().to_owned(),
                    i["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!((by_file.code, by_stdin.code), (1, 1));
    assert_eq!(shape(&by_flags), shape(&by_file));
    assert_eq!(shape(&by_file), shape(&by_stdin));

    let waited = add(&["--material", "1001", "--material", "1002", "--wait"]).run_async().await;
    assert_eq!(waited.code, 0, "{waited:?}");
    for item in waited.items() {
        assert_eq!(item["outcome"], "success", "{item}");
        assert!(item["result_material_url"].as_str().unwrap().starts_with("https://"), "{item}");
    }
    let record = waited.items()[0]["record_id"].as_str().unwrap().to_owned();
    let get =
        private(&url, state.path(), &["--json", "watermark", "get", "--account", "20000001", "--record", &record])
            .run_async()
            .await;
    assert_eq!(get.code, 0, "{get:?}");
    let shown = &get.records("watermark")[0];
    assert_eq!(
        (shown["record_id"].as_str(), shown["status"].as_str(), shown["original_material_id"].as_str()),
        (Some(record.as_str()), Some("success"), Some("1001"))
    );
    let all = private(&url, state.path(), &["--json", "watermark", "get", "--account", "20000001"]).run_async().await;
    assert!(all.records("watermark").len() >= 4, "{all:?}");

    // 250 materials: three requests of at most 100; the account has 4 images, the rest fail.
    let mut many = tempfile::NamedTempFile::new().unwrap();
    for i in 0..250 {
        writeln!(many, "m{i}").unwrap();
    }
    emu.clear_stats();
    let run = add(&["--from-file", many.path().to_str().unwrap()]).run_async().await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.items().len(), 250, "one record per material");
    assert_eq!((requests(&emu, ADD), run.summary()["requests"].as_u64()), (3, Some(3)));

    // Bad input: refused before anything is sent.
    emu.clear_stats();
    let repeat = add(&["--material", "123", "--material", "456", "--material", " 123"]).run_async().await;
    assert_eq!(repeat.code, 2, "{repeat:?}");
    assert!(repeat.stderr.contains("--material #3 repeats #1"), "{}", repeat.stderr);
    let forbidden = add(&["--from-file", "-"]).stdin("123\na&b\n").run_async().await;
    assert_eq!(forbidden.code, 2, "{forbidden:?}");
    assert!(forbidden.stderr.contains("stdin line 2 holds '&'"), "{}", forbidden.stderr);
    let no_text = private(&url, state.path(), &["watermark", "add", "--account", "20000001", "--material", "123"])
        .run_async()
        .await;
    assert_eq!(no_text.code, 2, "a text is required: {no_text:?}");
    let bad_text = add(&["--text", "<b>", "--material", "123"]).run_async().await;
    assert_eq!(bad_text.code, 2, "{bad_text:?}");
    let bad_account = private(
        &url,
        state.path(),
        &["watermark", "add", "--account", "0", "--preset", "loan-risk", "--material", "123"],
    )
    .run_async()
    .await;
    assert_eq!(bad_account.code, 2, "{bad_account:?}");
    assert_eq!(sent(&emu), 0, "nothing was sent");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_are_started_shown_and_waited_for() {
    let emu = platforms_emulator(Duration::from_millis(200)).await;
    let url = emu.base_url().to_owned();
    let state = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| private(&url, state.path(), args).run_async();

    let added = run(&[
        "--json",
        "task",
        "add",
        "--account",
        "20000001",
        "--type",
        "video",
        "--material",
        "789",
        "--preset",
        "loan-risk",
    ])
    .await;
    assert_eq!(added.code, 0, "{added:?}");
    let job = added.records("job")[0]["job_id"].as_str().unwrap().to_owned();
    assert_eq!(job.len(), 36, "a UUID: {job}");
    let waited = run(&["--json", "task", "wait", "--account", "20000001", "--job", &job]).await;
    assert_eq!(waited.code, 0, "{waited:?}");
    let task = &waited.records("task")[0];
    assert_eq!(
        (task["material_id"].as_str(), task["task_status"].as_str()),
        (Some("789"), Some("MATERIAL_TASK_STATUS_WATERMARK_SUCCESS"))
    );
    let shown = run(&["--json", "task", "get", "--account", "20000001", "--job", &job]).await;
    assert_eq!(shown.records("task").len(), 1, "{shown:?}");

    let with_wait = run(&[
        "--json",
        "task",
        "add",
        "--account",
        "20000001",
        "--material",
        "123",
        "--material",
        "nope",
        "--preset",
        "loan-risk",
        "--wait",
    ])
    .await;
    assert_eq!(with_wait.code, 1, "one task fails: {with_wait:?}");
    assert_eq!(with_wait.records("job").len(), 1);
    assert_eq!(with_wait.records("task").len(), 2);
    let summary = with_wait.summary();
    assert_eq!(
        (summary["ok"].as_u64(), summary["failed"].as_u64(), summary["failures"]["task_failed"].as_u64()),
        (Some(1), Some(1), Some(1))
    );

    let repeat =
        run(&["task", "add", "--account", "20000001", "--material", "1", "--material", "1", "--preset", "loan-risk"])
            .await;
    assert_eq!(repeat.code, 2, "{repeat:?}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_credentials_are_configuration_errors() {
    let state = tempfile::tempdir().unwrap();
    let none =
        Tx::new(["ads", "oauth", "status", "--account", "1"]).env("TX_STATE_DIR", state.path()).run_async().await;
    assert_eq!(none.code, 3, "{none:?}");
    assert!(none.stderr.contains("ADS_CLIENT_ID is not set: pass --client-id, set ADS_CLIENT_ID"), "{}", none.stderr);
    let bad = Tx::new(["ads", "oauth", "status", "--account", "1"])
        .env("ADS_CLIENT_ID", "not-a-number")
        .env("ADS_CLIENT_SECRET", "s")
        .env("TX_STATE_DIR", state.path())
        .run_async()
        .await;
    assert_eq!(bad.code, 3, "{bad:?}");
    assert!(bad.stderr.contains("ADS_CLIENT_ID \"not-a-number\" is not valid"), "{}", bad.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_stops_the_run_and_every_material_is_still_accounted_for() {
    let mut seed = tx_emulator::defaults::demo_seed();
    seed.tim_apps.clear();
    let emu = Emulator::builder()
        .seed(seed)
        .materials(20_000_001, (0..250).map(|i| tx_emulator::AdsMaterial::image(format!("m{i}"))))
        .ads_watermark_delay(Duration::from_secs(4))
        .start()
        .await
        .unwrap();
    let url = emu.base_url().to_owned();
    let state = tempfile::tempdir().unwrap();
    let mut input = tempfile::NamedTempFile::new().unwrap();
    for i in 0..250 {
        writeln!(input, "m{i}").unwrap();
    }
    let remaining = state.path().join("remaining.txt");
    let args = [
        "--json",
        "--concurrency",
        "1",
        "watermark",
        "add",
        "--account",
        "20000001",
        "--preset",
        "loan-risk",
        "--wait",
        "--from-file",
        input.path().to_str().unwrap(),
        "--remaining",
        remaining.to_str().unwrap(),
    ];
    let running = private(&url, state.path(), &args).spawn();
    // Once the first request of 100 is in, its records wait 4 s: stop the run then.
    let started = std::time::Instant::now();
    while requests(&emu, ADD) == 0 {
        assert!(started.elapsed() < Duration::from_secs(30), "the run never sent its first request");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    running.signal(nix::sys::signal::Signal::SIGTERM);
    let run = running.wait_async().await;
    assert_eq!(run.code, 5, "stopped before every material was tried: {}", run.stderr);
    let items = run.items();
    assert_eq!(items.len(), 250, "every material has its record");
    let ok = items.iter().filter(|i| i["status"] == "ok").count();
    let not_attempted: Vec<String> = items
        .iter()
        .filter(|i| i["status"] == "not_attempted")
        .map(|i| i["material_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!((ok, not_attempted.len()), (100, 150), "the request in flight finished, waited for");
    assert_eq!(requests(&emu, ADD), 1, "nothing more was sent");
    let summary = run.summary();
    assert_eq!((summary["complete"].as_bool(), summary["exit_code"].as_i64()), (Some(false), Some(5)));
    let mut kept: Vec<String> = std::fs::read_to_string(&remaining).unwrap().lines().map(str::to_owned).collect();
    let mut expected = not_attempted.clone();
    kept.sort();
    expected.sort();
    assert_eq!(kept, expected, "--remaining holds exactly the materials not attempted");
    emu.shutdown().await;
}
