//! A real Redis server for the tests of state shared between processes: `redis-server` on
//! 127.0.0.1 on a free port, without persistence, stopped when the value is dropped.
//!
//! The binary is `$TX_REDIS_SERVER`, else `redis-server` on `PATH`. `cargo xtask test`
//! installs it first (`xtask/scripts/ensure-redis.sh`); a test that needs Redis fails,
//! never skips, when it is missing.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `redis-server` child process on a loopback port.
#[derive(Debug)]
pub struct RedisServer {
    binary: PathBuf,
    port: u16,
    password: Option<String>,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts a server on a free loopback port and waits until it answers.
    pub fn start() -> RedisServer {
        RedisServer::start_with(None)
    }

    /// Starts a server that requires `password` (`--requirepass`).
    pub fn start_with_password(password: &str) -> RedisServer {
        RedisServer::start_with(Some(password.to_owned()))
    }

    fn start_with(password: Option<String>) -> RedisServer {
        let binary = binary();
        for _ in 0..5 {
            let mut server =
                RedisServer { binary: binary.clone(), port: free_port(), password: password.clone(), child: None };
            if server.spawn() {
                return server;
            }
        }
        panic!("redis-server did not start on a free loopback port (five tries)");
    }

    /// `redis://127.0.0.1:{port}/`, with `:{password}@` when it has one.
    pub fn url(&self) -> String {
        match &self.password {
            Some(password) => format!("redis://:{password}@127.0.0.1:{}/", self.port),
            None => format!("redis://127.0.0.1:{}/", self.port),
        }
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills the server (SIGKILL, as a crash would); it keeps nothing.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port, empty.
    pub fn resume(&mut self) {
        assert!(self.child.is_none(), "the server is running");
        assert!(self.spawn(), "redis-server did not restart on port {}", self.port);
    }

    /// A plain connection, for a test to look at or change what is stored.
    pub fn connection(&self) -> redis::Connection {
        let client = redis::Client::open(self.url()).expect("a Redis URL");
        client.get_connection_with_timeout(Duration::from_secs(2)).expect("Redis answers")
    }

    /// Every key, sorted.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = redis::cmd("KEYS").arg("*").query(&mut self.connection()).expect("KEYS");
        keys.sort();
        keys
    }

    /// Spawns the server and waits up to 5 s for a PING; false if it exited (port taken).
    fn spawn(&mut self) -> bool {
        let port = self.port.to_string();
        let mut command = Command::new(&self.binary);
        command.args(["--port", &port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        if let Some(password) = &self.password {
            command.args(["--requirepass", password]);
        }
        let child = command
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.binary.display()));
        self.child = Some(child);
        let until = Instant::now() + Duration::from_secs(5);
        while Instant::now() < until {
            if let Some(child) = &mut self.child
                && child.try_wait().ok().flatten().is_some()
            {
                self.child = None;
                return false;
            }
            let pong = redis::Client::open(self.url())
                .and_then(|c| c.get_connection_with_timeout(Duration::from_millis(200)))
                .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c));
            if pong.is_ok() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.stop();
        false
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The `redis-server` binary, or a failure that says how to install it.
fn binary() -> PathBuf {
    if let Some(path) = std::env::var_os("TX_REDIS_SERVER") {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).map(|dir| dir.join("redis-server")).find(|p| p.is_file()).unwrap_or_else(|| {
        panic!(
            "redis-server is not installed: run `bash xtask/scripts/ensure-redis.sh` (cargo xtask test does), \
             or set TX_REDIS_SERVER to its path"
        )
    })
}

/// A loopback port nothing listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free loopback port").port()
}
