//! `cargo xtask bench tim`: the tim-sns client against an in-process emulator.
//!
//! The measurements live in `crates/tim-sns/benches/tim.rs` (built with the bench
//! profile, so the client and the emulator are optimised alike); this prepares the Python
//! baseline and runs them. Figures, each with its same-run baseline:
//! 1. bulk blocklist additions at 50 ms latency under the emulator's 200 calls/s limit,
//!    against one request at a time;
//! 2. SDK calls/s against raw `reqwest` posting the same pre-built request;
//! 3. the PyPI `timsdk` client doing the same loop.
//!
//! Extra arguments go to the bench binary: `cargo xtask bench tim` takes none, but
//! `TIM_BENCH_ARGS="--pairs 2000 --secs 1"` shortens a run.

use crate::process;
use std::process::{Command, Stdio};

pub fn run() -> Result<(), String> {
    let python = timsdk_python()?;
    let mut args: Vec<String> = ["bench", "-q", "-p", "tim-sns", "--bench", "tim", "--"].map(String::from).to_vec();
    if let Some(p) = &python {
        args.extend(["--python".to_owned(), p.clone()]);
    }
    if let Ok(extra) = std::env::var("TIM_BENCH_ARGS") {
        args.extend(extra.split_whitespace().map(String::from));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    process::cargo(&args)
}

/// The venv's Python with the PyPI `timsdk` (and the official `tls-sig-api-v2` it uses),
/// or `None` with a loud notice if PyPI cannot be reached.
fn timsdk_python() -> Result<Option<String>, String> {
    let script = process::root().join("xtask/scripts/ensure-py-venv.sh");
    let out = Command::new("bash")
        .arg(&script)
        .args(["tls-sig-api-v2==1.1", "timsdk"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    match out.status.code() {
        Some(0) => Ok(Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())),
        Some(3) => {
            process::loud("PyPI could not be reached: the timsdk baseline (figure 3) is skipped");
            Ok(None)
        }
        _ => Err(format!("{} failed ({})", script.display(), out.status)),
    }
}
