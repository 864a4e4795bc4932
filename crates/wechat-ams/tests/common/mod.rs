//! Shared helpers: an emulator seeded with one component and its mini programs, on a
//! manual clock, and a client pointed at it.
#![allow(dead_code)]

use std::sync::Arc;
use tx_core::clock::ManualClock;
use tx_emulator::{Emulator, EmulatorBuilder, Seed, SettingsPatch, WechatAuthorizer, WechatComponent};
use wechat_ams::{Client, ClientBuilder};

pub const COMPONENT: &str = "wx0c0c0c0c0c0c0c0c";
pub const SECRET: &str = "component-secret-0123456789";
pub const TICKET: &str = "ticket@@@start-0123456789";
pub const MSG_TOKEN: &str = "push-token-0123456789";
pub const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
/// 2023-11-14 22:13:20 UTC: statistics exist for the days before 2023-11-15 (Beijing).
pub const T0: u64 = 1_700_000_000;

/// The AppID of mini program `i`: `wx` and 16 hex digits.
pub fn appid(i: usize) -> String {
    format!("wx{:016x}", 0xa1a1_0000_0000_0000u64 + i as u64)
}

/// The refresh token the emulator starts mini program `i` with.
pub fn refresh(i: usize) -> String {
    format!("refreshtoken@@@seeded-{i}")
}

/// Mini program `i`, authorized to the test component, publisher open, no token yet.
pub fn authorizer(i: usize) -> WechatAuthorizer {
    WechatAuthorizer::new(appid(i)).component(COMPONENT).refresh_token(refresh(i))
}

/// The test component, with message keys.
pub fn component() -> WechatComponent {
    WechatComponent::new(COMPONENT, SECRET, TICKET).message_keys(MSG_TOKEN, AES_KEY)
}

/// An emulator builder on a manual clock at `T0` with the component and `authorizers`.
pub fn emulator(authorizers: impl IntoIterator<Item = WechatAuthorizer>) -> (EmulatorBuilder, ManualClock) {
    let clock = ManualClock::new(T0);
    let mut b = Emulator::builder().wechat_component(component()).clock(Arc::new(clock.clone()));
    for a in authorizers {
        b = b.wechat_authorizer(a);
    }
    (b, clock)
}

/// Starts an emulator with mini programs `0..n`.
pub async fn start(n: usize) -> (Emulator, ManualClock) {
    let (b, clock) = emulator((0..n).map(authorizer));
    (b.start().await.unwrap(), clock)
}

/// Settings of the emulator that have no builder method.
pub fn settings(patch: SettingsPatch) -> Seed {
    Seed { settings: patch, ..Seed::default() }
}

pub use tx_emulator::testing::fast_retry;

/// An HTTP client without idle-pool timers or proxies (paused tokio time stays ours).
pub fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().pool_idle_timeout(None).build().unwrap()
}

/// A client of the test component for `emu`, on `clock`, without a ticket: only pushes
/// (or `Tokens::set_ticket`) bring one.
pub fn builder_without_ticket(emu: &Emulator, clock: &ManualClock) -> ClientBuilder {
    Client::builder()
        .component_appid(COMPONENT)
        .component_secret(SECRET)
        .message_token(MSG_TOKEN)
        .encoding_aes_key(AES_KEY)
        .endpoint(emu.base_url())
        .clock(clock.clone())
        .retry(fast_retry())
        .http_client(http())
}

/// A client of the test component for `emu`, on `clock`, with the starting ticket.
pub fn builder(emu: &Emulator, clock: &ManualClock) -> ClientBuilder {
    builder_without_ticket(emu, clock).component_verify_ticket(TICKET)
}

/// A client that knows the refresh tokens of mini programs `0..n`.
pub async fn client(emu: &Emulator, clock: &ManualClock, n: usize) -> Client {
    let wechat = builder(emu, clock).build().unwrap();
    for i in 0..n {
        wechat.tokens().put_refresh_token(&appid(i), refresh(i)).await.unwrap();
    }
    wechat
}

/// The endpoint name of an AMS action on `/wxa/operationams`.
pub fn op(action: &str) -> String {
    format!("wxa/operationams?action={action}")
}

/// The endpoint name of a provider-level action.
pub fn get_default(action: &str) -> String {
    format!("wxa/getdefaultamsinfo?action={action}")
}

/// The endpoint name of a provider-level write.
pub fn set_default(action: &str) -> String {
    format!("wxa/setdefaultamsinfo?action={action}")
}

/// The endpoint name of a component API.
pub fn component_api(name: &str) -> String {
    format!("cgi-bin/component/{name}")
}

/// Requests the emulator received on `endpoint`.
pub fn requests(emu: &Emulator, endpoint: &str) -> u64 {
    emu.stats().endpoint(endpoint).requests
}

/// Authorizer tokens the emulator issued for `appid`.
pub fn fetches(emu: &Emulator, appid: &str) -> u64 {
    emu.stats().token_fetches("authorizer_access_token", appid)
}

/// Component tokens the emulator issued.
pub fn component_fetches(emu: &Emulator) -> u64 {
    emu.stats().token_fetches("component_access_token", COMPONENT)
}

/// POSTs `body` to the emulator's control API and returns the JSON answer.
pub async fn control(emu: &Emulator, path: &str, body: serde_json::Value) -> serde_json::Value {
    let resp = http()
        .post(format!("{}/_emulator/{path}", emu.base_url()))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let json: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert!(status.is_success(), "{path}: {status} {json}");
    json
}

/// The component's latest ticket, as the emulator holds it.
pub async fn emulator_ticket(emu: &Emulator) -> String {
    let url = format!("{}/_emulator/wechat/ticket?component_appid={COMPONENT}", emu.base_url());
    let body = http().get(url).send().await.unwrap().bytes().await.unwrap();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    json["component_verify_ticket"].as_str().unwrap().to_owned()
}
