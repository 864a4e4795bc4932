//! Shared helpers: an emulator with one Ads app and two advertisers, a client pointed at
//! it, and a loopback server that records the raw requests it gets.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use tencent_ads::{Client, ClientBuilder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tx_core::clock::ManualClock;
use tx_emulator::stats::AdsCall;
use tx_emulator::{AdsAccount, AdsApp, AdsMaterial, Emulator, EmulatorBuilder};

pub const CLIENT_ID: u64 = 1_110_000_001;
pub const SECRET: &str = "ads-test-client-secret-5f3c9a1e";
pub const REDIRECT: &str = "https://example.com/callback";
pub const A: i64 = 20_000_011;
pub const B: i64 = 20_000_012;
pub const TOKEN_A: &str = "ads-test-access-token-a-7d41c2";
pub const TOKEN_B: &str = "ads-test-access-token-b-9e03f6";
pub const REFRESH_A: &str = "ads-test-refresh-token-a-1b8e55";
pub const REFRESH_B: &str = "ads-test-refresh-token-b-6c2a07";
pub const PRIVATE: &str = "ads-test-private-token-3a9d0c";
pub const T0: u64 = 1_700_000_000;

pub const ADD: &str = "v3.0/watermarks/add";
pub const GET: &str = "v3.0/watermarks/get";
pub const TASK_ADD: &str = "v3.0/material_async_tasks/add";
pub const TASK_GET: &str = "v3.0/material_async_tasks/get";
pub const TOKEN: &str = "oauth/token";

/// `m0`, `m1`, …
pub fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("m{i}")).collect()
}

fn account(id: i64, token: &str, refresh: &str, images: usize) -> AdsAccount {
    let mut a = AdsAccount::new(id as u64)
        .client(CLIENT_ID)
        .access_token(token)
        .refresh_token(refresh)
        .material(AdsMaterial::image("123").name("图片 1"))
        .material(AdsMaterial::image("456").name("图片 2"))
        .material(AdsMaterial::video("789").name("视频 1"));
    for id in ids(images) {
        a = a.material(AdsMaterial::image(id));
    }
    a
}

/// The app, advertisers `A` and `B` (each with images 123, 456, `m0`…`m299` and video
/// 789), a private token for both, on a manual clock at `T0`.
pub fn emulator() -> (EmulatorBuilder, ManualClock) {
    let clock = ManualClock::new(T0);
    let app = AdsApp::new(CLIENT_ID, SECRET).redirect_uri(REDIRECT).private_token(PRIVATE, [A as u64, B as u64]);
    let b = Emulator::builder()
        .ads_app(app)
        .ads_account(account(A, TOKEN_A, REFRESH_A, 300))
        .ads_account(account(B, TOKEN_B, REFRESH_B, 300))
        .clock(Arc::new(clock.clone()));
    (b, clock)
}

pub async fn start() -> (Emulator, ManualClock) {
    let (b, clock) = emulator();
    (b.start().await.unwrap(), clock)
}

pub use tx_emulator::testing::fast_retry;

/// An HTTP client without idle-pool timers or proxies, so paused tokio time is not
/// disturbed by timers of our own.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().pool_idle_timeout(None).build().unwrap()
}

/// A client for the emulator (no token configured), sharing its clock; fast retries.
pub fn bare(emu: &Emulator, clock: &ManualClock) -> ClientBuilder {
    Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(SECRET)
        .endpoint(emu.base_url())
        .clock(clock.clone())
        .retry(fast_retry())
        .http_client(http())
}

/// A client with the accounts' static tokens.
pub fn builder(emu: &Emulator, clock: &ManualClock) -> ClientBuilder {
    bare(emu, clock).access_token(A, TOKEN_A).access_token(B, TOKEN_B)
}

pub fn client(emu: &Emulator, clock: &ManualClock) -> Client {
    builder(emu, clock).build().unwrap()
}

/// Requests the emulator received on `endpoint`.
pub fn requests(emu: &Emulator, endpoint: &str) -> u64 {
    emu.stats().endpoint(endpoint).requests
}

/// The global parameters of the last calls to `endpoint`, oldest first.
pub fn recent(emu: &Emulator, endpoint: &str) -> Vec<AdsCall> {
    emu.stats().endpoint(endpoint).recent_calls.into_iter().collect()
}

/// The authorization code the emulator's authorize page issues for `account`.
pub async fn authorization_code(ads: &Client, account: i64) -> String {
    let mut url = ads.oauth().authorize_url(REDIRECT).state("st").build().unwrap();
    url.query_pairs_mut().append_pair("account_id", &account.to_string());
    let no_redirects =
        reqwest::Client::builder().no_proxy().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let answer = no_redirects.get(url).send().await.unwrap();
    assert_eq!(answer.status(), 302);
    let location = url::Url::parse(answer.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(location.query_pairs().find(|(k, _)| k == "state").unwrap().1, "st");
    location.query_pairs().find(|(k, _)| k == "authorization_code").unwrap().1.into_owned()
}

/// One request as a loopback server received it.
#[derive(Debug, Clone)]
pub struct Captured {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Captured {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A loopback HTTP server answering every request with `body` (and the two Ads headers),
/// recording what it got. Its base URL and the record.
pub async fn capture(body: &'static str) -> (String, Arc<Mutex<Vec<Captured>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<Captured>>> = Arc::default();
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let head_end = loop {
                    let n = socket.read(&mut chunk).await.unwrap();
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break at + 4;
                    }
                };
                let head = String::from_utf8(buf[..head_end].to_vec()).unwrap();
                let mut lines = head.lines();
                let mut first = lines.next().unwrap().split(' ');
                let method = first.next().unwrap().to_owned();
                let target = url::Url::parse(&format!("http://h{}", first.next().unwrap())).unwrap();
                let headers: Vec<(String, String)> = lines
                    .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())))
                    .collect();
                let length = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    .map_or(0, |(_, v)| v.parse::<usize>().unwrap());
                while buf.len() < head_end + length {
                    let n = socket.read(&mut chunk).await.unwrap();
                    buf.extend_from_slice(&chunk[..n]);
                }
                record.lock().unwrap().push(Captured {
                    method,
                    path: target.path().to_owned(),
                    query: target.query_pairs().into_owned().collect(),
                    headers,
                    body: buf[head_end..head_end + length].to_vec(),
                });
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                     x-tsa-trace-id: 5c1b7a2e9f\r\nx-ratelimit-remaining: 50%,50%\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                socket.write_all(answer.as_bytes()).await.unwrap();
            });
        }
    });
    (url, seen)
}
