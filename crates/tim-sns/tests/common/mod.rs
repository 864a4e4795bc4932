//! Shared helpers: an emulator seeded with one TIM app, and a client pointed at it.
#![allow(dead_code)]

use std::sync::Arc;
use tim_sns::{Client, ClientBuilder};
use tx_core::clock::ManualClock;
use tx_emulator::{Emulator, EmulatorBuilder, TimApp};

pub const APP: u32 = 1_400_000_000;
pub const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
pub const ADMIN: &str = "administrator";
pub const T0: u64 = 1_700_000_000;

/// `prefix0`, `prefix1`, …
pub fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

/// The test app with `accounts`.
pub fn app<S: Into<String>>(accounts: impl IntoIterator<Item = S>) -> TimApp {
    TimApp::new(APP, KEY).admin(ADMIN).accounts(accounts)
}

/// An emulator builder on a manual clock at `T0`, with `app`.
pub fn emulator(app: TimApp) -> (EmulatorBuilder, ManualClock) {
    let clock = ManualClock::new(T0);
    (Emulator::builder().tim_app(app).clock(Arc::new(clock.clone())), clock)
}

/// Starts an emulator with `app` (default rate limit) and returns it with its clock.
pub async fn start(app: TimApp) -> (Emulator, ManualClock) {
    let (b, clock) = emulator(app);
    (b.start().await.unwrap(), clock)
}

pub use tx_emulator::testing::fast_retry;

/// An HTTP client without idle-pool timers or proxies, so paused tokio time is not
/// disturbed by timers of our own.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().pool_idle_timeout(None).build().unwrap()
}

/// A client for the emulator, sharing its clock; fast retries; default rate limit.
pub fn builder(emu: &Emulator, clock: &ManualClock) -> ClientBuilder {
    Client::builder()
        .sdk_app_id(APP)
        .secret_key(KEY)
        .admin(ADMIN)
        .endpoint(emu.base_url())
        .clock(clock.clone())
        .retry(fast_retry())
        .http_client(http())
}

pub fn client(emu: &Emulator, clock: &ManualClock) -> Client {
    builder(emu, clock).build().unwrap()
}

/// Requests the emulator received on `v4/sns/{cmd}`.
pub fn requests(emu: &Emulator, cmd: &str) -> u64 {
    emu.stats().endpoint(&format!("v4/sns/{cmd}")).requests
}

/// Requests the emulator received on `path` (any service).
pub fn requests_to(emu: &Emulator, path: &str) -> u64 {
    emu.stats().endpoint(path).requests
}
