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

    /// Starts `tx` without waiting for it: to signal it mid-run.
    pub fn spawn(mut self) -> Running {
        self.command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("tx starts");
        let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let _ = pipe.read_to_end(&mut bytes);
                String::from_utf8_lossy(&bytes).into_owned()
            })
        };
        let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
        let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
        Running { child, stdout, stderr, _home: self._home }
    }
}

/// A `tx` process started by [`Tx::spawn`]; its output is read as it comes.
#[derive(Debug)]
pub struct Running {
    child: std::process::Child,
    stdout: std::thread::JoinHandle<String>,
    stderr: std::thread::JoinHandle<String>,
    _home: tempfile::TempDir,
}

impl Running {
    /// Sends `signal` (e.g. `SIGTERM`) to the process.
    pub fn signal(&self, signal: nix::sys::signal::Signal) {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        nix::sys::signal::kill(pid, signal).expect("the signal is delivered");
    }

    /// Waits for the process to end.
    pub fn wait(mut self) -> Run {
        let status = self.child.wait().expect("tx finishes");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: self.stdout.join().expect("stdout is read"),
            stderr: self.stderr.join().expect("stderr is read"),
        }
    }

    /// [`Running::wait`] on a blocking thread, for use inside async tests.
    pub async fn wait_async(self) -> Run {
        tokio::task::spawn_blocking(move || self.wait()).await.expect("the wait completes")
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

/// An emulator with the bare emulator's WeChat platform (`wxc000000000000001`, authorizers
/// `wxa000000000000001`..5) and Ads app (1110000000, advertisers 20000001 and 20000002; see
/// `SEED.md`), watermark records finishing `delay` after submission.
pub async fn platforms_emulator(delay: std::time::Duration) -> Emulator {
    let mut seed = tx_emulator::defaults::demo_seed();
    seed.tim_apps.clear();
    Emulator::builder().seed(seed).ads_watermark_delay(delay).start().await.expect("the emulator starts")
}

impl Tx {
    /// The bare emulator's WeChat platform, through the environment, for `endpoint`, with
    /// tokens kept in `state`.
    pub fn wechat_env(self, endpoint: &str, state: &std::path::Path) -> Tx {
        use tx_emulator::defaults as d;
        self.env("WECHAT_COMPONENT_APPID", d::WECHAT_COMPONENT)
            .env("WECHAT_COMPONENT_SECRET", d::WECHAT_SECRET)
            .env("WECHAT_COMPONENT_TOKEN", d::WECHAT_TOKEN)
            .env("WECHAT_COMPONENT_AES_KEY", d::WECHAT_AES_KEY)
            .env("WECHAT_ENDPOINT", endpoint)
            .env("TX_STATE_DIR", state)
    }

    /// The bare emulator's Ads app, through the environment, for `endpoint`, with tokens
    /// kept in `state`.
    pub fn ads_env(self, endpoint: &str, state: &std::path::Path) -> Tx {
        use tx_emulator::defaults as d;
        self.env("ADS_CLIENT_ID", d::ADS_CLIENT_ID.to_string())
            .env("ADS_CLIENT_SECRET", d::ADS_SECRET)
            .env("ADS_ENDPOINT", endpoint)
            .env("TX_STATE_DIR", state)
    }
}

/// What the emulator would push to the platform's authorization-event URL now (`info_type`,
/// and `authorizer_appid` for authorization events), as `{"query", "body", …}`: the input
/// of `tx wechat ticket`.
pub async fn wechat_push(endpoint: &str, info_type: &str, authorizer: Option<&str>) -> serde_json::Value {
    let mut request = serde_json::json!({"info_type": info_type});
    if let Some(a) = authorizer {
        request["authorizer_appid"] = a.into();
    }
    let answer = reqwest::Client::new()
        .post(format!("{endpoint}/_emulator/wechat/event"))
        .body(request.to_string())
        .send()
        .await
        .expect("the control API answers");
    assert!(answer.status().is_success(), "{}", answer.status());
    serde_json::from_slice(&answer.bytes().await.expect("a body")).expect("JSON")
}

/// An authorization code of the emulator's consent page for Ads `account`, issued for the
/// redirect URI `https://example.com/callback`.
pub async fn ads_authorization_code(endpoint: &str, account: u64) -> String {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("a client");
    let url = format!(
        "{endpoint}/oauth/authorize?client_id={}&redirect_uri=https%3A%2F%2Fexample.com%2Fcallback&account_id={account}",
        tx_emulator::defaults::ADS_CLIENT_ID
    );
    let answer = client.get(url).send().await.expect("authorize answers");
    let location = answer.headers()["location"].to_str().expect("a location").to_owned();
    let (_, query) = location.split_once('?').expect("a query");
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("authorization_code="))
        .expect("an authorization_code")
        .to_owned()
}
