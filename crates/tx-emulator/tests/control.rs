//! The control API under `/_emulator/`, the seed file, and the standalone binary.

mod common;

use common::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use tx_emulator::{Emulator, Fault, FaultPlan, Seed, Stats};

#[tokio::test]
async fn health_stats_and_clearing() {
    let (emu, http) = tim_emulator(&["a"]).await;
    assert_eq!(http.get("/_emulator/health").await.json, json!({"ok": true}));
    tim(&http, "sns/black_list_get", r#"{"From_Account":"a","StartIndex":0,"MaxLimited":1,"LastSequence":0}"#).await;
    tim(&http, "sns/black_list_get", "{}").await;
    let over_http: Stats = serde_json::from_value(http.get("/_emulator/stats").await.json).unwrap();
    assert_eq!(over_http, emu.stats());
    let e = over_http.endpoint("v4/sns/black_list_get");
    assert_eq!((e.requests, e.ok, e.errors.get(&30001).copied()), (2, 1, Some(1)));
    assert_eq!(over_http.total_requests(), 2, "control calls are not counted");
    let cleared = http.client.delete(format!("{}/_emulator/stats", http.base)).send().await.unwrap();
    assert_eq!(cleared.status(), 200);
    assert_eq!(emu.stats().total_requests(), 0);
}

#[tokio::test]
async fn seeding_reset_and_faults_over_http() {
    let (b, _) = tim_builder(&["a", "b"]);
    let emu = b.faults(FaultPlan::seeded(0).script("v4/sns/black_list_add", [Fault::Http(503)])).start().await.unwrap();
    let http = Http::new(&emu);
    let add = r#"{"From_Account":"a","To_Account":["b","c"]}"#;
    assert_eq!(http.post(&tim_path("sns/black_list_add"), add).await.status, 503, "the starting plan");
    let v = tim(&http, "sns/black_list_add", add).await;
    assert_eq!(v["Fail_Account"], json!(["c"]), "c is not an account yet");

    let seed =
        json!({"tim_apps": [{"sdkappid": APP, "key": KEY, "accounts": ["c"]}], "settings": {"tim_rate_limit": 0}});
    let r = http.post("/_emulator/seed", &seed.to_string()).await;
    assert_eq!(r.json, json!({"ok": true}), "{}", r.text);
    assert_eq!(emu.settings().tim_rate_limit, None);
    let v = tim(&http, "sns/black_list_add", r#"{"From_Account":"a","To_Account":["c"]}"#).await;
    assert!(v.get("Fail_Account").is_none(), "{v}");
    let bad = http.post("/_emulator/seed", r#"{"tim_apps": [{"sdkappid": "x"}]}"#).await;
    assert_eq!(bad.status, 400);
    assert!(bad.json["error"].as_str().is_some());

    let plan = json!({"seed": 5, "scripts": {"v4/sns/black_list_get": ["drop", {"code": 30007}, "pass"]}});
    assert_eq!(http.post("/_emulator/faults", &plan.to_string()).await.status, 200);
    let got: FaultPlan = serde_json::from_value(http.get("/_emulator/faults").await.json).unwrap();
    assert_eq!(got, serde_json::from_value(plan).unwrap());
    let get = r#"{"From_Account":"a","StartIndex":0,"MaxLimited":10,"LastSequence":0}"#;
    assert!(http.try_post(&tim_path("sns/black_list_get"), get).await.is_err(), "dropped");
    assert_eq!(tim(&http, "sns/black_list_get", get).await["ErrorCode"], 30007);
    let listed = tim(&http, "sns/black_list_get", get).await;
    assert_eq!(listed["BlackListItem"].as_array().unwrap().len(), 2);
    let refused = http.post("/_emulator/faults", r#"{"rates":[{"target":"*","fault":"drop","probability":7}]}"#).await;
    assert_eq!(refused.status, 400);

    assert_eq!(http.post("/_emulator/reset", "").await.json, json!({"ok": true}));
    assert_eq!(emu.stats().total_requests(), 0);
    assert_eq!(emu.settings().tim_rate_limit, Some(200), "settings back to the start");
    assert_eq!(http.post(&tim_path("sns/black_list_add"), add).await.status, 503, "the starting plan again");
    let after = tim(&http, "sns/black_list_get", get).await;
    assert_eq!(after["BlackListItem"], json!([]), "state back to the seed");
    let v = tim(&http, "sns/black_list_add", r#"{"From_Account":"a","To_Account":["c"]}"#).await;
    assert_eq!(v["Fail_Account"], json!(["c"]), "accounts seeded later are gone");
}

#[tokio::test]
async fn usersig_minting_for_other_languages() {
    let (_emu, http) = tim_emulator(&["a"]).await;
    let r = http.get(&format!("/_emulator/tim/usersig?sdkappid={APP}&identifier={ADMIN}&expire=600")).await;
    let sig = r.json["usersig"].as_str().unwrap().to_owned();
    assert_eq!(r.json["expires_at"], T0 + 600);
    let ok = http
        .post(
            &tim_path_as("sns/black_list_get", ADMIN, &sig),
            r#"{"From_Account":"a","StartIndex":0,"MaxLimited":1,"LastSequence":0}"#,
        )
        .await;
    assert_eq!(ok.json["ErrorCode"], 0);
    assert_eq!(http.get("/_emulator/tim/usersig?sdkappid=1&identifier=x").await.status, 400);
    assert_eq!(http.get(&format!("/_emulator/tim/usersig?sdkappid={APP}")).await.status, 400);
}

const SEED_TOML: &str = r#"
[settings]
tim_rate_limit = 0
latency_ms = 0

[[tim_apps]]
sdkappid = 1400000000
key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
admins = ["administrator"]
accounts = ["alice", "bob"]
blocklists = { alice = ["bob"] }

[[wechat_authorizers]]
authorizer_appid = "wxminiprogram"
authorizer_access_token = "authorizer-token"
ams_category = "LOAN | CHESS"

[[ads_accounts]]
account_id = 20000001
access_token = "ads-token"
materials = [{ material_id = "123", name = "图片 1" }]

[faults]
seed = 9
scripts = { "oauth/token" = [{ http = 502 }] }
"#;

#[test]
fn toml_and_json_seed_files_mean_the_same() {
    let dir = std::env::temp_dir().join(format!("tx-emulator-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let toml_path = dir.join("seed.toml");
    std::fs::write(&toml_path, SEED_TOML).unwrap();
    let from_toml = Seed::from_path(&toml_path).unwrap();
    let json_path = dir.join("seed.json");
    std::fs::write(&json_path, serde_json::to_string(&from_toml).unwrap()).unwrap();
    assert_eq!(Seed::from_path(&json_path).unwrap(), from_toml);
    assert_eq!(from_toml.tim_apps[0].accounts, ["alice", "bob"]);
    assert!(Seed::from_toml("[[tim_apps]]\nsdkappid = 1\nkey = \"k\"\nunknown = 1\n").is_err(), "typos are caught");
    assert!(Seed::from_path(&dir.join("missing.toml")).is_err());
    std::fs::remove_dir_all(&dir).ok();
}

/// Kills the child on drop, so a failing assertion leaves no server behind.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_serves_a_seed_file_and_prints_its_credentials() {
    let dir = std::env::temp_dir().join(format!("tx-emulator-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("seed.toml");
    std::fs::write(&path, SEED_TOML).unwrap();
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_tx-emulator"))
            .args(["--port", "0", "--json", "--seed"])
            .arg(&path)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let banner: Value = serde_json::from_str(&line).unwrap();
    let base = banner["base_url"].as_str().unwrap().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert_eq!(banner["tim_apps"][0]["admin"], ADMIN);
    assert_eq!(banner["wechat_authorizers"][0]["authorizer_access_token"], "authorizer-token");
    assert_eq!(banner["ads_accounts"][0]["access_token"], "ads-token");
    let usersig = banner["tim_apps"][0]["usersig"].as_str().unwrap().to_owned();
    let http = Http { client: client(), base };
    let check = r#"{"From_Account":"alice","To_Account":["bob"],"CheckType":"BlackCheckResult_Type_Both"}"#;
    let r = http.post(&tim_path_as("sns/black_list_check", ADMIN, &usersig), check).await;
    assert_eq!(r.json["BlackListCheckItem"][0]["Relation"], "BlackCheckResult_Type_AWithB", "{}", r.text);
    let wx = http
        .post("/wxa/operationams?action=agency_get_mp_amscategory_blacklist&access_token=authorizer-token", "{}")
        .await;
    assert_eq!(wx.json["ams_category"], "CHESS|LOAN");
    assert_eq!(http.get("/oauth/token").await.status, 502, "the seed file's fault script");
    drop(child);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn shutdown_is_graceful_and_frees_the_port() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.local_addr();
    let http = Http::new(&emu);
    assert_eq!(http.get("/_emulator/health").await.status, 200);
    emu.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "nothing listens any more");
}

#[tokio::test]
async fn the_seed_file_documented_in_seed_md_parses_and_shows_the_defaults() {
    let doc = include_str!("../SEED.md");
    let toml_text = doc.split("```toml\n").nth(1).unwrap().split("```").next().unwrap();
    let seed = Seed::from_toml(toml_text).unwrap();
    let emu = Emulator::builder().seed(seed.clone()).start().await.unwrap();
    assert_eq!(emu.settings(), tx_emulator::Settings::default(), "the [settings] shown are the defaults");
    assert_eq!(seed.wechat_authorizers[0].ad_units.len(), 2);
    assert_eq!(seed.ads_accounts[0].materials[1].material_type, "VIDEO");
    let http = Http::new(&emu);
    let units = http
        .post(
            "/wxa/operationams?action=agency_get_adunit_list&access_token=authorizer-token",
            r#"{"page":1,"page_size":10}"#,
        )
        .await;
    assert_eq!(units.json["total_num"], 2, "{}", units.text);
    assert_eq!(units.json["ad_unit"][0]["ad_unit_status"], 2, "the seeded template unit is off");
}
