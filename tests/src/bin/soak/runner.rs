//! Running `tx` as a user would, reading its JSON records as they come, and stopping it
//! with SIGTERM once it has printed enough of them.

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};

/// What one `tx` process did.
#[derive(Debug)]
pub struct TxRun {
    /// Its JSON records, in order.
    pub records: Vec<Value>,
    /// Its exit code (-1 if killed by a signal).
    pub code: i32,
    /// Panics it reported on stderr.
    pub panics: usize,
    /// Its stderr.
    pub stderr: String,
}

/// Runs `tx args` with only `env` (and `HOME`, `PATH`) set; with `stop_after`, sends
/// SIGTERM once that many `item` records are out.
pub fn run_tx(tx: &Path, args: &[String], env: &[(String, String)], home: &Path, stop_after: Option<usize>) -> TxRun {
    let mut child = Command::new(tx)
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", tx.display()));
    let pid = Pid::from_raw(child.id() as i32);
    let mut stderr_pipe = child.stderr.take().expect("stderr");
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
    let mut records = Vec::new();
    let mut items = 0;
    let mut signalled = false;
    for line in BufReader::new(child.stdout.take().expect("stdout")).lines() {
        let line = line.expect("tx writes UTF-8 lines");
        let record: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not a JSON record ({e}): {line}"));
        items += usize::from(record["record"] == "item");
        records.push(record);
        if !signalled && stop_after.is_some_and(|n| items >= n) {
            signalled = true;
            kill(pid, Signal::SIGTERM).expect("SIGTERM is delivered");
        }
    }
    let status = child.wait().expect("tx ends");
    let stderr = stderr.join().expect("stderr is read");
    TxRun { records, code: status.code().unwrap_or(-1), panics: stderr.matches("panicked at").count(), stderr }
}
