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
