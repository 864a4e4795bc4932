//! `tx emulator` serves until stopped; `tx demo` walks every flow and passes its own checks.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use tx_tests::{Tx, tx_binary};

#[test]
fn tx_demo_passes_every_check() {
    let run = Tx::new(["demo", "--bulk", "300"]).run();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("checks passed, 0 failed"), "{}", run.stdout);
    assert!(!run.stdout.contains("FAIL"), "{}", run.stdout);
}

#[test]
fn tx_emulator_serves_the_seeded_app_until_killed() {
    let seed = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        seed.path(),
        "[[tim_apps]]\nsdkappid = 1400000001\nkey = \"k\"\nadmins = [\"administrator\"]\naccounts = [\"alice\", \"bob\"]\n",
    )
    .unwrap();
    let mut child = Command::new(tx_binary())
        .args(["emulator", "--port", "0", "--json", "--seed", seed.path().to_str().unwrap()])
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

    let run = Tx::new(["--json", "tim", "blocklist", "add", "--from", "alice", "bob"])
        .env("TIM_SDK_APP_ID", "1400000001")
        .env("TIM_SECRET_KEY", "k")
        .env("TIM_ADMIN", "administrator")
        .env("TIM_ENDPOINT", &url)
        .run();
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json_lines()[0]["ok"], true);
}
