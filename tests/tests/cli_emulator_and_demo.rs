//! `tx emulator` serves until stopped; `tx demo` walks every flow and passes its own checks;
//! the README's examples work against a bare emulator.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use tx_tests::{Tx, tx_binary};

#[test]
fn tx_demo_passes_every_check() {
    let run = Tx::new(["demo", "--bulk", "300"]).run();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("checks passed, 0 failed"), "{}", run.stdout);
    assert!(!run.stdout.contains("FAIL"), "{}", run.stdout);
    assert!(!run.stdout.contains("Some(") && !run.stdout.contains("Known("), "no Rust Debug text: {}", run.stdout);

    let json = Tx::new(["demo", "--json", "--bulk", "100"]).run();
    assert_eq!(json.code, 0, "{json:?}");
    let checks = json.records("check");
    assert!(checks.len() > 15 && checks.iter().all(|c| c["ok"] == true), "{checks:?}");
    assert_eq!(json.summary()["failed"], 0);
    for platform in ["WeChat: ", "Ads: "] {
        let part: Vec<_> = checks.iter().filter(|c| c["title"].as_str().unwrap().starts_with(platform)).collect();
        assert!(part.len() >= 8, "the {platform}part checks its steps: {part:?}");
    }
    for step in [
        "receive the component_verify_ticket push",
        "ensure a category blacklist",
        "exchange authorization codes",
        "warning text",
    ] {
        assert!(run.stdout.contains(step), "{step:?} in {}", run.stdout);
    }
}

/// Starts `tx emulator` with `args` and returns it with its base URL.
fn start_emulator(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(tx_binary())
        .args(["emulator", "--port", "0", "--json"])
        .args(args)
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let banner: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
    let url = banner["base_url"].as_str().unwrap_or_else(|| panic!("no base_url in {banner}")).to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    (child, url)
}

#[test]
fn tx_emulator_serves_the_seeded_app_until_killed() {
    let seed = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        seed.path(),
        "[[tim_apps]]\nsdkappid = 1400000001\nkey = \"k\"\nadmins = [\"administrator\"]\naccounts = [\"alice\", \"bob\"]\n",
    )
    .unwrap();
    let (mut child, url) = start_emulator(&["--seed", seed.path().to_str().unwrap()]);
    let run = Tx::new(["tim", "--json", "blocklist", "add", "--from", "alice", "bob"])
        .env("TIM_SDK_APP_ID", "1400000001")
        .env("TIM_SECRET_KEY", "k")
        .env("TIM_ADMIN", "administrator")
        .env("TIM_ENDPOINT", &url)
        .run();
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.items()[0]["status"], "ok");
}

#[test]
fn the_readme_examples_work_against_a_bare_emulator() {
    let (mut child, url) = start_emulator(&[]);
    let readme = |args: &[&str]| {
        Tx::new(args)
            .env("TIM_SDK_APP_ID", "1400000000")
            .env("TIM_SECRET_KEY", "tx-emulator-demo-key")
            .env("TIM_ENDPOINT", &url)
            .run()
    };
    let add = readme(&["tim", "blocklist", "add", "--from", "alice", "bob", "carol"]);
    let check = readme(&["tim", "--json", "blocklist", "check", "--from", "alice", "bob", "dave"]);
    let accounts = readme(&["tim", "account", "check", "alice", "user42"]);
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(add.code, 0, "{add:?}");
    assert_eq!(check.code, 0, "{check:?}");
    assert_eq!(check.items()[0]["relation"], "BlackCheckResult_Type_AWithB");
    assert_eq!(accounts.code, 0, "{accounts:?}");
}

/// The shell sessions of the README's walkthrough, and the JSON lines it shows.
fn examples() -> (String, Vec<serde_json::Value>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let walkthrough = text
        .split_once("<!-- walkthrough -->")
        .and_then(|(_, rest)| rest.split_once("<!-- /walkthrough -->"))
        .expect("the README marks its walkthrough")
        .0;
    let (mut script, mut shown) = (String::new(), Vec::new());
    let mut block: Option<&str> = None;
    for line in walkthrough.lines() {
        match (block, line.strip_prefix("```")) {
            (None, Some(kind)) => block = Some(kind),
            (Some(_), Some(_)) => block = None,
            (Some("sh"), None) => {
                script.push_str(line);
                script.push('\n');
            }
            (Some("text"), None) if line.starts_with('{') => shown.push(serde_json::from_str(line).unwrap()),
            _ => {}
        }
    }
    (script, shown)
}

#[test]
fn the_readme_walkthrough_runs_as_written_against_a_bare_emulator() {
    let (script, shown) = examples();
    for command in ["tx tim blocklist add", "tx wechat ticket", "tx ads oauth exchange"] {
        assert!(script.contains(command), "{command} in {script}");
    }
    assert!(shown.len() >= 11, "the sample output lines");
    let (mut child, url) = start_emulator(&[]);
    let home = tempfile::tempdir().unwrap();
    let bin = tx_binary().parent().unwrap().to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    // The one change: the address of this test's emulator instead of 127.0.0.1:8080.
    let script = script.replace("http://127.0.0.1:8080", &url);
    let run = Command::new("bash")
        .args(["-e", "-o", "pipefail", "-c", &script])
        .current_dir(home.path())
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", path)
        .output()
        .expect("bash runs");
    child.kill().unwrap();
    let _ = child.wait();
    let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "the examples failed ({:?}; is curl installed?):\n{stdout}\n{stderr}", run.status);
    for expected in [
        "0\talice\tbob\tok\t",
        "1\talice\tcarol\tok\t",
        "2\tstranger\tok\tNotImported\t",
        "component_verify_ticket\t\t",
        "\tticket_stored\tok\t",
        "0\twxa000000000000001\tok\tunchanged\tCHESS|LOAN\tCHESS|LOAN\t",
        "1\twxa000000000000002\tok\tchanged\t\tCHESS|LOAN\t",
        "20000001\tROLE_TYPE_ADVERTISER\t",
        "\t789\tMATERIAL_TASK_STATUS_WATERMARK_SUCCESS\t",
        "exit code 1",
    ] {
        assert!(stdout.contains(expected), "{expected:?} in\n{stdout}");
    }
    assert!(stderr.contains("tim blocklist add: 2 ok, 0 failed, 1 requests"), "{stderr}");
    assert!(stderr.contains("wechat ams category ensure: 2 ok, 0 failed, 3 requests"), "{stderr}");
    // Each JSON line the page shows is printed, as shown but for ids, URLs and times.
    let printed: Vec<serde_json::Value> =
        stdout.lines().filter(|l| l.starts_with('{')).map(|l| serde_json::from_str(l).unwrap()).collect();
    let volatile = ["record_id", "result_material_id", "result_material_url", "elapsed_ms"];
    for sample in &shown {
        let same = |p: &&serde_json::Value| {
            ["record", "command", "index", "from", "to", "authorizer_appid", "material_id"]
                .iter()
                .all(|k| p[k] == sample[k])
        };
        let actual = printed.iter().find(same).unwrap_or_else(|| panic!("{sample} is not printed:\n{stdout}"));
        let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(actual), keys(sample), "{sample}");
        for (key, value) in sample.as_object().unwrap() {
            if !volatile.contains(&key.as_str()) {
                assert_eq!(&actual[key], value, "{key} of {sample}");
            }
        }
    }
}
