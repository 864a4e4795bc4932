//! Helpers shared by the integration tests: a seeded emulator and a small HTTP client.
#![allow(dead_code)]

use serde_json::Value;
use std::time::Duration;
use tx_core::usersig::UserSigSigner;
use tx_emulator::{Emulator, EmulatorBuilder, ManualClock, TimApp};

pub const APP: u32 = 1_400_000_000;
pub const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
pub const ADMIN: &str = "administrator";
pub const T0: u64 = 1_700_000_000;

/// A client with no idle-pool timer (so paused tokio time never jumps behind our back).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().pool_idle_timeout(None).no_proxy().build().unwrap()
}

pub struct Http {
    pub client: reqwest::Client,
    pub base: String,
}

pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
    pub text: String,
}

impl Http {
    pub fn new(emu: &Emulator) -> Http {
        Http { client: client(), base: emu.base_url().to_owned() }
    }

    async fn reply(resp: reqwest::Response) -> Reply {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, headers, json, text }
    }

    pub async fn post(&self, path: &str, body: &str) -> Reply {
        let resp = self.client.post(format!("{}{path}", self.base)).body(body.to_owned()).send().await.unwrap();
        Http::reply(resp).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        let resp = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        Http::reply(resp).await
    }

    pub async fn try_post(&self, path: &str, body: &str) -> Result<Reply, reqwest::Error> {
        let resp = self.client.post(format!("{}{path}", self.base)).body(body.to_owned()).send().await?;
        Ok(Http::reply(resp).await)
    }
}

/// A UserSig made with the official algorithm (tx-core), at `T0`.
pub fn sig(identifier: &str) -> String {
    sig_at(APP, KEY, identifier, T0, 86_400)
}

pub fn sig_at(app: u32, key: &str, identifier: &str, at: u64, lifetime: u64) -> String {
    UserSigSigner::new(app, key)
        .with_clock(ManualClock::new(at))
        .generate(identifier, Duration::from_secs(lifetime))
        .unwrap()
        .expose()
        .to_owned()
}

/// The query of a TIM call by the admin.
pub fn tim_path(cmd: &str) -> String {
    tim_path_as(cmd, ADMIN, &sig(ADMIN))
}

pub fn tim_path_as(cmd: &str, identifier: &str, usersig: &str) -> String {
    format!("/v4/{cmd}?sdkappid={APP}&identifier={identifier}&usersig={usersig}&random=99999999&contenttype=json")
}

/// An emulator builder with the test app, the given accounts, and a manual clock at T0.
pub fn tim_builder(accounts: &[&str]) -> (EmulatorBuilder, ManualClock) {
    let clock = ManualClock::new(T0);
    let app = TimApp::new(APP, KEY).admin(ADMIN).accounts(accounts.iter().copied());
    (Emulator::builder().tim_app(app).clock(std::sync::Arc::new(clock.clone())), clock)
}

pub async fn tim_emulator(accounts: &[&str]) -> (Emulator, Http) {
    let (b, _) = tim_builder(accounts);
    let emu = b.start().await.unwrap();
    let http = Http::new(&emu);
    (emu, http)
}

/// Posts a TIM command as the admin and returns the JSON body.
pub async fn tim(http: &Http, cmd: &str, body: &str) -> Value {
    let r = http.post(&tim_path(cmd), body).await;
    assert_eq!(r.status, 200, "TIM always answers HTTP 200: {}", r.text);
    r.json
}

/// The sorted key set of a JSON object.
pub fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
    k.sort();
    k
}
