//! `cargo xtask bench cli-memory`: peak memory of `tx tim blocklist check --from-file` over a
//! 1,000,000-line id file against the emulator (`/usr/bin/time -v`), in table and JSON
//! output. The emulator holds the million accounts, so every check succeeds.

use crate::process;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const IDS: usize = 1_000_000;
const BAR_KIB: u64 = 64 * 1024;

pub fn run() -> Result<(), String> {
    process::cargo(&["build", "--release", "-q", "-p", "tx-cli", "--bin", "tx"])?;
    let root = process::root();
    let tx = root.join("target/release/tx");
    let dir = root.join("target/cli-memory");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let ids = dir.join("ids.txt");
    let seed = dir.join("seed.toml");
    write_inputs(&ids, &seed).map_err(|e| format!("cannot write the inputs: {e}"))?;

    let mut emulator = Command::new(&tx)
        .args(["emulator", "--port", "0", "--json", "--tim-rate-limit", "200", "--seed"])
        .arg(&seed)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the emulator: {e}"))?;
    let mut banner = String::new();
    let stdout = emulator.stdout.take().ok_or("no emulator stdout")?;
    BufReader::new(stdout).read_line(&mut banner).map_err(|e| e.to_string())?;
    let url = serde_json::from_str::<serde_json::Value>(&banner)
        .ok()
        .and_then(|b| b["base_url"].as_str().map(str::to_owned))
        .ok_or_else(|| format!("unexpected emulator banner {banner:?}"))?;

    let mut results = Vec::new();
    for json in [false, true] {
        results.push(measure(&tx, &ids, &url, json));
    }
    let _ = emulator.kill();
    let _ = emulator.wait();
    println!("peak memory of `tx tim blocklist check --from-file` over {IDS} ids, against the emulator");
    for (json, r) in [false, true].into_iter().zip(results) {
        let (kib, secs, summary) = r?;
        let label = if json { "--json (JSON lines)" } else { "table output" };
        println!(
            "  {label:<22} peak RSS {:>6.1} MiB  ({:.1}% of the 64 MiB bar), {secs} wall, {summary}",
            kib as f64 / 1024.0,
            kib as f64 * 100.0 / BAR_KIB as f64
        );
        if kib >= BAR_KIB {
            return Err(format!("peak RSS {kib} KiB is over the 64 MiB bar"));
        }
    }
    Ok(())
}

fn write_inputs(ids: &std::path::Path, seed: &std::path::Path) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(ids)?);
    for i in 0..IDS {
        writeln!(f, "user{i:07}")?;
    }
    f.flush()?;
    let mut s = std::io::BufWriter::new(std::fs::File::create(seed)?);
    write!(
        s,
        "[[tim_apps]]\nsdkappid = 1400000000\nkey = \"bench-key\"\nadmins = [\"administrator\"]\naccounts = [\"alice\""
    )?;
    for i in 0..IDS {
        write!(s, ",\"user{i:07}\"")?;
    }
    writeln!(s, "]\nblocklists = {{ alice = [\"user0000001\"] }}")?;
    s.flush()
}

/// Runs the check under `/usr/bin/time -v`; returns (peak KiB, wall time, tx's summary).
fn measure(
    tx: &std::path::Path,
    ids: &std::path::Path,
    url: &str,
    json: bool,
) -> Result<(u64, String, String), String> {
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-v").arg(tx);
    if json {
        cmd.arg("--json");
    }
    cmd.args(["tim", "blocklist", "check", "--from", "alice", "--from-file"])
        .arg(ids)
        .env("TIM_SDK_APP_ID", "1400000000")
        .env("TIM_SECRET_KEY", "bench-key")
        .env("TIM_ADMIN", "administrator")
        .env("TIM_ENDPOINT", url)
        .stdout(Stdio::null());
    let out = cmd.output().map_err(|e| format!("cannot run /usr/bin/time (apt-get install time): {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("tx failed: {stderr}"));
    }
    let field = |name: &str| {
        stderr.lines().find_map(|l| l.trim().strip_prefix(name).map(|v| v.trim().to_owned())).unwrap_or_default()
    };
    let kib: u64 = field("Maximum resident set size (kbytes):").parse().map_err(|_| format!("no RSS in {stderr}"))?;
    let summary = stderr.lines().find(|l| l.starts_with("blocklist check:")).unwrap_or("").to_owned();
    Ok((kib, field("Elapsed (wall clock) time (h:mm:ss or m:ss):"), summary))
}
