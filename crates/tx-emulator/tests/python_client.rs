//! An independent client: a Python script using the official PyPI `tls-sig-api-v2` for
//! UserSigs and plain `urllib` for HTTP drives the TIM endpoints of an in-process
//! emulator. Skips (loudly) only when PyPI cannot be reached.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use tx_emulator::{Clock, Emulator, ManualClock, SystemClock, TimApp};

const APP: u32 = 1_400_000_000;
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

fn python() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new("bash").arg(root.join("xtask/scripts/ensure-py-venv.sh")).output().unwrap();
    match out.status.code() {
        Some(0) => Some(PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())),
        Some(3) => None,
        other => panic!("ensure-py-venv.sh failed ({other:?}): {}", String::from_utf8_lossy(&out.stderr)),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_usersig_library_and_urllib_drive_tim() {
    let Some(python) = tokio::task::spawn_blocking(python).await.unwrap() else {
        eprintln!("SKIPPED: PyPI unreachable; the independent Python client did not run");
        return;
    };
    // The emulator's clock runs an hour ahead, so the script can make an expired UserSig
    // (valid for a minute) without waiting; its other UserSigs are valid for 180 days.
    let ahead = SystemClock.unix_now() + 3600;
    let emu = Emulator::builder()
        .tim_app(TimApp::new(APP, KEY).admin("administrator"))
        .clock(Arc::new(ManualClock::new(ahead)))
        .start()
        .await
        .unwrap();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python/tim_client.py");
    let args = [
        script.display().to_string(),
        emu.base_url().to_owned(),
        APP.to_string(),
        KEY.to_owned(),
        "administrator".to_owned(),
    ];
    let out =
        tokio::task::spawn_blocking(move || Command::new(python).args(args).env("NO_PROXY", "*").output().unwrap())
            .await
            .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "python client failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("checks passed"), "{stdout}");
    let stats = emu.stats();
    assert_eq!(stats.endpoint("v4/sns/black_list_add").item_errors.get(&30003), Some(&1));
    assert_eq!(stats.endpoint("v4/sns/black_list_get").errors.get(&70009), Some(&1));
    assert_eq!(stats.endpoint("v4/sns/black_list_get").errors.get(&70001), Some(&1));
    println!("{stdout}");
}
