//! Every input item accounted for, however a run ends: a signal, a fatal error, a chunk
//! that fails as a whole, an input that changes underneath the run. After each, the
//! output is compared with the emulator's state: what the output claims applied is
//! exactly what was applied, and `--remaining` resumes the rest.

use nix::sys::signal::Signal;
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};
use tx_emulator::{Emulator, Fault, FaultPlan, Step, TimApp};
use tx_tests::{ADMIN, APP, KEY, Run, Tx};

const ADD: &str = "v4/sns/black_list_add";
const FRIEND_ADD: &str = "v4/sns/friend_add";
const AWITHB: &str = "BlackCheckResult_Type_AWithB";

fn users(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("u{i}")).collect()
}

async fn start(accounts: Vec<String>, plan: FaultPlan, latency: Duration) -> Emulator {
    let app = TimApp::new(APP, KEY).admin(ADMIN).accounts(accounts).accounts(["spammer", "alice"]);
    let emu = Emulator::builder().tim_app(app).faults(plan).latency(latency).start().await;
    emu.expect("the emulator starts")
}

/// A CSV file of `(u{i}, spammer)` pairs: one request each, as they have distinct owners.
fn pairs_csv(n: usize) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    writeln!(f, "From_Account,To_Account").unwrap();
    for u in users(n) {
        writeln!(f, "{u},spammer").unwrap();
    }
    f
}

/// A file of ids, one per line.
fn ids_file(ids: &[String]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    for id in ids {
        writeln!(f, "{id}").unwrap();
    }
    f
}

fn tx(emu: &Emulator, args: &[&str]) -> Tx {
    Tx::new(args).tim_env(emu.base_url())
}

/// Waits until the emulator has received `n` requests on `endpoint`.
async fn until_requests(emu: &Emulator, endpoint: &str, n: u64) {
    let start = Instant::now();
    while emu.stats().endpoint(endpoint).requests < n {
        assert!(start.elapsed() < Duration::from_secs(60), "the run never reached {n} requests");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Checks that each input index has exactly one item record; returns the indexes by status.
fn accounted(run: &Run, total: usize) -> std::collections::BTreeMap<String, BTreeSet<u64>> {
    let mut by_status: std::collections::BTreeMap<String, BTreeSet<u64>> = Default::default();
    let mut seen = BTreeSet::new();
    for item in run.items() {
        let index = item["index"].as_u64().unwrap();
        assert!(seen.insert(index), "index {index} printed twice");
        by_status.entry(item["status"].as_str().unwrap().to_owned()).or_default().insert(index);
    }
    assert_eq!(seen.len(), total, "one record per input item\n{}", run.stderr);
    assert_eq!(seen.iter().copied().max(), Some(total as u64 - 1));
    by_status
}

/// The owners `u{i}` whose blocklist holds `spammer`, read back through `tx`.
fn blocked_owners(emu: &Emulator, n: usize) -> BTreeSet<u64> {
    let pairs = pairs_csv(n);
    let run = tx(emu, &["tim", "--json", "blocklist", "check", "--pairs", pairs.path().to_str().unwrap()]).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.items().iter().filter(|i| i["relation"] == AWITHB).map(|i| i["index"].as_u64().unwrap()).collect()
}

fn lines_of(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap().lines().map(str::to_owned).collect()
}

fn status_count(summary: &Value, field: &str) -> u64 {
    summary[field].as_u64().unwrap_or_else(|| panic!("{field} in {summary}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_mid_run_loses_no_result_and_the_rest_resumes() {
    const N: usize = 1500;
    let emu = start(users(N), FaultPlan::seeded(1), Duration::ZERO).await;
    let pairs = pairs_csv(N);
    let dir = tempfile::tempdir().unwrap();
    let remaining = dir.path().join("remaining.csv");
    let (pairs_path, remaining_path) = (pairs.path().to_str().unwrap(), remaining.to_str().unwrap());
    let args = ["tim", "--json", "blocklist", "add", "--pairs", pairs_path, "--remaining", remaining_path];
    let running = tx(&emu, &args).spawn();
    until_requests(&emu, ADD, 300).await;
    running.signal(Signal::SIGTERM);
    let run = running.wait_async().await;

    assert_eq!(run.code, 5, "incomplete\n{}", run.stderr);
    let by_status = accounted(&run, N);
    let summary = run.summary();
    assert_eq!(summary["complete"], false);
    assert_eq!(summary["exit_code"], 5);
    let ok = by_status.get("ok").cloned().unwrap_or_default();
    let skipped = by_status.get("not_attempted").cloned().unwrap_or_default();
    assert!(ok.len() >= 300 && !skipped.is_empty(), "{} ok, {} skipped", ok.len(), skipped.len());
    assert_eq!(ok.len() + skipped.len(), N, "no failures: {by_status:?}");
    assert_eq!(
        (status_count(&summary, "ok"), status_count(&summary, "not_attempted")),
        (ok.len() as u64, skipped.len() as u64)
    );
    assert_eq!(blocked_owners(&emu, N), ok, "what the output says was applied is exactly what was");

    let rest = lines_of(&remaining);
    assert_eq!(rest[0], "From_Account,To_Account");
    assert_eq!(rest.len() - 1, skipped.len());
    let resumed = tx(&emu, &["tim", "--json", "blocklist", "add", "--pairs", remaining_path]).run_async().await;
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert_eq!(resumed.items().len(), skipped.len());
    assert_eq!(blocked_owners(&emu, N).len(), N);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_mid_run_of_ids_from_a_file_reports_every_id() {
    let ids = users(3000);
    let emu = start(ids.clone(), FaultPlan::seeded(1), Duration::from_millis(300)).await;
    let file = ids_file(&ids);
    let dir = tempfile::tempdir().unwrap();
    let remaining = dir.path().join("remaining.txt");
    let args = [
        "tim",
        "--json",
        "--concurrency",
        "1",
        "blocklist",
        "add",
        "--from",
        "spammer",
        "--from-file",
        file.path().to_str().unwrap(),
        "--remaining",
        remaining.to_str().unwrap(),
    ];
    let running = tx(&emu, &args).spawn();
    until_requests(&emu, ADD, 1).await;
    running.signal(Signal::SIGINT);
    let run = running.wait_async().await;
    assert_eq!(run.code, 5, "{}", run.stderr);
    let by_status = accounted(&run, 3000);
    let skipped = by_status.get("not_attempted").cloned().unwrap_or_default();
    assert_eq!(by_status.get("ok").map_or(0, BTreeSet::len) + skipped.len(), 3000, "{by_status:?}");
    assert!(!skipped.is_empty());
    let rest = lines_of(&remaining);
    assert_eq!(rest.len(), skipped.len());
    let expected: Vec<String> = skipped.iter().map(|&i| ids[i as usize].clone()).collect();
    assert_eq!(rest, expected, "the remaining ids in the input's format and order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fatal_error_mid_run_reports_what_was_applied_and_what_was_not_tried() {
    const N: usize = 600;
    // 150 requests pass, then the service refuses the key on every request.
    let steps: Vec<Step> = std::iter::repeat_n(Step::Pass, 150)
        .chain(std::iter::repeat_n(Step::Fault(Fault::Code(70009)), 2000))
        .collect();
    let emu = start(users(N), FaultPlan::seeded(1).script(ADD, steps), Duration::ZERO).await;
    let pairs = pairs_csv(N);
    let dir = tempfile::tempdir().unwrap();
    let remaining = dir.path().join("remaining.csv");
    let args = [
        "tim",
        "--json",
        "blocklist",
        "add",
        "--pairs",
        pairs.path().to_str().unwrap(),
        "--remaining",
        remaining.to_str().unwrap(),
    ];
    let run = tx(&emu, &args).run_async().await;
    assert_eq!(run.code, 3, "a configuration error\n{}", run.stderr);
    let by_status = accounted(&run, N);
    let summary = run.summary();
    assert_eq!((summary["complete"].clone(), summary["exit_code"].clone()), (Value::from(false), Value::from(3)));
    assert!(summary["stopped"].as_str().unwrap().contains("70009"), "{summary}");
    let ok = by_status.get("ok").cloned().unwrap_or_default();
    let failed = by_status.get("failed").cloned().unwrap_or_default();
    let skipped = by_status.get("not_attempted").cloned().unwrap_or_default();
    assert_eq!(ok.len(), 150, "{by_status:?}");
    assert!(!failed.is_empty() && !skipped.is_empty(), "{by_status:?}");
    for item in run.items().iter().filter(|i| i["status"] == "failed") {
        assert_eq!(item["error"]["code"], 70009, "{item}");
    }
    emu.set_faults(FaultPlan::seeded(1)).unwrap();
    assert_eq!(blocked_owners(&emu, N), ok);
    assert_eq!(lines_of(&remaining).len() - 1, skipped.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chunk_that_fails_as_a_whole_fails_its_items_and_the_run_goes_on() {
    let friends = users(250);
    // The first request to friend_add fails on every attempt the retry policy allows.
    let steps: Vec<Step> = std::iter::repeat_n(Step::Fault(Fault::Http(502)), 4).collect();
    let emu = start(friends.clone(), FaultPlan::seeded(1).script(FRIEND_ADD, steps), Duration::ZERO).await;
    let file = ids_file(&friends);
    let args = [
        "tim",
        "--json",
        "--concurrency",
        "1",
        "friends",
        "add",
        "--from",
        "alice",
        "--from-file",
        file.path().to_str().unwrap(),
    ];
    let run = tx(&emu, &args).run_async().await;
    assert_eq!(run.code, 1, "complete, some items failed\n{}", run.stderr);
    let by_status = accounted(&run, 250);
    let failed = by_status.get("failed").cloned().unwrap_or_default();
    assert_eq!(failed, (0..100).collect(), "the first chunk of 100: {by_status:?}");
    assert_eq!(by_status.get("ok").map(BTreeSet::len), Some(150));
    for item in run.items().iter().filter(|i| i["status"] == "failed") {
        assert_eq!((item["error"]["kind"].as_str(), item["error"]["code"].is_null()), (Some("transport"), true));
    }
    let summary = run.summary();
    assert_eq!((summary["complete"].clone(), summary["failed"].clone()), (Value::from(true), Value::from(100)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_input_that_changes_during_the_run_stops_it_and_says_so() {
    // More ids than one window of the bulk runner, so the file is still being read when
    // it changes.
    const N: usize = 25_000;
    let ids = users(N);
    let emu = start(Vec::new(), FaultPlan::seeded(1), Duration::from_millis(100)).await;
    let mut file = ids_file(&ids);
    let args = ["tim", "--json", "account", "check", "--from-file", file.path().to_str().unwrap()];
    let running = tx(&emu, &args).spawn();
    until_requests(&emu, "v4/im_open_login_svc/account_check", 1).await;
    writeln!(file).unwrap();
    writeln!(file, "late-arrival").unwrap();
    file.flush().unwrap();
    let run = running.wait_async().await;
    assert_eq!(run.code, 5, "not a success\n{}\n{}", run.stderr, run.summary());
    accounted(&run, N);
    let summary = run.summary();
    assert_eq!(summary["complete"], false);
    assert!(summary["stopped"].as_str().unwrap().contains("changed"), "{summary}");
    assert!(run.items().iter().all(|i| i["account"] != "late-arrival"));
}
