//! Running commands and locating the tools the scripts need.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Runs `cargo` with `args` in the workspace root, inheriting stdio.
pub fn cargo(args: &[&str]) -> Result<(), String> {
    cargo_with_env(args, &[])
}

/// Runs `cargo` with `args` and the environment variables `envs` added.
pub fn cargo_with_env(args: &[&str], envs: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("xtask: cargo {}", args.join(" "));
    let status = Command::new(cargo)
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("cargo {} failed ({status})", args.join(" "))) }
}

/// The `redis-server` binary the Redis tests and benchmarks start, installed first if it
/// is missing (`xtask/scripts/ensure-redis.sh`). Unlike the cross-check's registries, its
/// absence fails: the tests that need it must run.
pub fn redis_server() -> Result<String, String> {
    match script_tool("xtask/scripts/ensure-redis.sh", "Debian's packages")? {
        Tool::Ready(path) => Ok(path),
        Tool::Unreachable(why) => Err(format!("redis-server is needed by the shared-state tests: {why}")),
    }
}

/// Runs a program and returns its standard output; stderr passes through.
pub fn output(program: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(program)
        .args(args)
        .current_dir(root())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{program} {} failed ({})", args.join(" "), out.status));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("{program} printed non-UTF-8 output"))
}

/// Runs a program with `input` on its standard input and returns its standard output.
pub fn output_with_input(program: &str, args: &[&str], input: &str) -> Result<String, String> {
    use std::io::Write as _;
    let mut child = Command::new(program)
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().map_err(|e| format!("cannot run {program}: {e}"))?;
    writer.join().map_err(|_| "the writer thread panicked")?.map_err(|e| format!("cannot write to {program}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{program} {} failed ({})", args.join(" "), out.status));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("{program} printed non-UTF-8 output"))
}

/// A tool a check needs, or why it is unavailable.
pub enum Tool {
    /// Ready at this path.
    Ready(String),
    /// Its package registry could not be reached.
    Unreachable(String),
}

/// The Python interpreter of `target/py-venv`, with the official `tls-sig-api-v2` installed.
pub fn python() -> Result<Tool, String> {
    script_tool("xtask/scripts/ensure-py-venv.sh", "PyPI")
}

/// The `node_modules` directory holding the official npm `tls-sig-api-v2`.
pub fn node_modules() -> Result<Tool, String> {
    script_tool("xtask/scripts/ensure-node-pkg.sh", "the npm registry")
}

/// Runs an `xtask/scripts/ensure-*.sh` script: the path it prints, or why its registry is
/// unreachable (the script's exit code 3).
pub fn script_tool(script: &str, registry: &str) -> Result<Tool, String> {
    let out = Command::new("bash")
        .arg(root().join(script))
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {script}: {e}"))?;
    match out.status.code() {
        Some(0) => Ok(Tool::Ready(String::from_utf8_lossy(&out.stdout).trim().to_owned())),
        Some(3) => {
            Ok(Tool::Unreachable(format!("the interpreter or {registry} is not available (see the message above)")))
        }
        _ => Err(format!("{script} failed ({})", out.status)),
    }
}

/// Prints a banner that cannot be missed in a CI log.
pub fn loud(message: &str) {
    let bar = "!".repeat(78);
    eprintln!("\n{bar}\n!! {message}\n{bar}\n");
}
