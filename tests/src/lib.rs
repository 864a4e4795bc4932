//! Helpers for the end-to-end tests in `tests/`: the `tx` binary, run as a user would,
//! against an emulator started in-process, and a real Redis server ([`redis_server`]) for the
//! tests of state shared between processes (whose worker is `src/bin/shared-worker.rs`).

pub mod contract;
pub mod redis_server;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use tx_emulator::{Emulator, TimApp};

/// The SDKAppID the fixtures use.
pub const APP: u32 = 1_400_000_000;
/// The secret key the fixtures use; no output of `tx` may contain it.
pub const KEY: &str = "e2e-secret-key-5bd2850fff3ecb11d7c8";
/// The admin identifier the fixtures use.
pub const ADMIN: &str = "administrator";

/// The path of the `tx` binary, built once per test process.
///
/// The tests of another package cannot name a binary target, so this builds it with the
/// same cargo, profile and target directory (the outer build has released its lock by the
/// time tests run).
pub fn tx_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build.args(["build", "--quiet", "-p", "tx-cli", "--bin", "tx"]);
        let test_exe = std::env::current_exe().expect("the test binary's path");
        // target/<profile>/deps/<test> -> target/<profile>
        let profile_dir = test_exe.parent().and_then(|d| d.parent()).expect("target/<profile>/deps").to_path_buf();
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "building tx failed");
        let exe = profile_dir.join(format!("tx{}", std::env::consts::EXE_SUFFIX));
        assert!(exe.exists(), "{} was not built", exe.display());
        exe
    })
}

/// What a run of `tx` produced.
#[derive(Debug)]
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Stdout's lines parsed as JSON.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line: {l:?}: {e}")))
            .collect()
    }

    /// The JSON records of kind `kind`.
    pub fn records(&self, kind: &str) -> Vec<serde_json::Value> {
        self.json_lines().into_iter().filter(|l| l["record"] == kind).collect()
    }

    /// The `item` records, sorted by input position.
    pub fn items(&self) -> Vec<serde_json::Value> {
        let mut items = self.records("item");
        items.sort_by_key(|i| i["index"].as_u64());
        items
    }

    /// The `summary` record: the last line.
    pub fn summary(&self) -> serde_json::Value {
        let last = self.json_lines().pop().unwrap_or_else(|| panic!("no output: {self:?}"));
        assert_eq!(last["record"], "summary", "the last line is the summary: {last}");
        last
    }

    /// Everything the run printed.
    pub fn all_output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// A `tx` invocation with a clean environment: no inherited credentials, and a home
/// directory of its own so no user config file is read.
#[derive(Debug)]
pub struct Tx {
    command: Command,
    stdin: Option<Vec<u8>>,
    _home: tempfile::TempDir,
}

impl Tx {
    /// `tx` with `args`.
    pub fn new<I, S>(args: I) -> Tx
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let home = tempfile::tempdir().expect("a temp dir");
        let mut command = Command::new(tx_binary());
        command
            .args(args)
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        Tx { command, stdin: None, _home: home }
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Tx {
        self.command.env(key, value);
        self
    }

    /// The TIM credentials of the fixtures, through the environment, for `endpoint`.
    pub fn tim_env(self, endpoint: &str) -> Tx {
        self.env("TIM_SDK_APP_ID", APP.to_string())
            .env("TIM_SECRET_KEY", KEY)
            .env("TIM_ADMIN", ADMIN)
            .env("TIM_ENDPOINT", endpoint)
    }

    /// Feeds `input` on stdin.
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Tx {
        self.stdin = Some(input.into());
        self
    }

    /// Runs to completion.
    pub fn run(mut self) -> Run {
        use std::io::Write;
        self.command.stdin(if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        self.command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("tx starts");
        if let Some(input) = self.stdin.take() {
            let mut pipe = child.stdin.take().expect("stdin");
            std::thread::spawn(move || {
                let _ = pipe.write_all(&input);
            });
        }
        let Output { status, stdout, stderr } = child.wait_with_output().expect("tx finishes");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Runs on a blocking thread, for use inside async tests.
    pub async fn run_async(self) -> Run {
        tokio::task::spawn_blocking(move || self.run()).await.expect("the run completes")
    }
}

/// An emulator with the fixtures' app and `accounts`.
pub async fn emulator(accounts: &[&str]) -> Emulator {
    Emulator::builder()
        .tim_app(TimApp::new(APP, KEY).admin(ADMIN).accounts(accounts.iter().map(|a| a.to_string())))
        .start()
        .await
        .expect("the emulator starts")
}
