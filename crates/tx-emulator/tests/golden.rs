//! Golden fixtures: every literal request example of the seed documents, sent to the
//! emulator, gets a response of the documented shape with the documented field names.
//! Where the emulator's state can be arranged to match the sample's situation, the whole
//! documented response is reproduced.

mod common;

use common::*;
use serde_json::{Value, json};
use tx_emulator::{AdsAccount, AdsMaterial, Emulator, Fault, FaultPlan, WechatAuthorizer};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

#[tokio::test]
async fn tim_black_list_add_sample_is_reproduced() {
    // id2 is already blocked (30001 Already_Exist); the sample's 30002 on the last item is
    // not something state can cause, so it is injected as an item fault.
    let (b, _) = tim_builder(&["id", "id1", "id2", "id3"]);
    let app = tx_emulator::TimApp::new(APP, KEY).admin(ADMIN).block("id", ["id2"]);
    let emu = b
        .tim_app(app)
        .faults(FaultPlan::seeded(0).script("v4/sns/black_list_add", [Fault::ItemCode(30002)]))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    let got = tim(&http, "sns/black_list_add", &fixture("tim_black_list_add.request.json")).await;
    assert_eq!(got, fixture_json("tim_black_list_add.response.json"));
}

#[tokio::test]
async fn tim_black_list_add_sample_has_the_documented_shape_without_faults() {
    let (emu, http) = tim_emulator(&["id", "id1", "id2"]).await;
    let got = tim(&http, "sns/black_list_add", &fixture("tim_black_list_add.request.json")).await;
    let sample = fixture_json("tim_black_list_add.response.json");
    assert_eq!(keys(&got), keys(&sample));
    assert_eq!(keys(&got["ResultItem"][0]), keys(&sample["ResultItem"][0]));
    assert_eq!(got["ResultItem"][2]["ResultCode"], 30003, "id3 is not an account");
    assert_eq!(got["Fail_Account"], json!(["id3"]));
    drop(emu);
}

#[tokio::test]
async fn tim_black_list_check_sample_is_reproduced() {
    // id1: each blocks the other; id2: only id blocks it; id3: only it blocks id; id4:
    // nothing; id5: the sample's 30007 (reverse check failed) is injected.
    let app = tx_emulator::TimApp::new(APP, KEY)
        .admin(ADMIN)
        .accounts(["id", "id1", "id2", "id3", "id4", "id5"])
        .block("id", ["id1", "id2"])
        .block("id1", ["id"])
        .block("id3", ["id"]);
    let emu = Emulator::builder()
        .tim_app(app)
        .clock(std::sync::Arc::new(tx_emulator::ManualClock::new(T0)))
        .faults(FaultPlan::seeded(0).script("v4/sns/black_list_check", [Fault::ItemCode(30007)]))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    let request = fixture("tim_black_list_check.request.json");
    let got = tim(&http, "sns/black_list_check", &request).await;
    assert_eq!(got, fixture_json("tim_black_list_check.response.json"));
    // Without the fault the last item is a plain success.
    let again = tim(&http, "sns/black_list_check", &request).await;
    assert_eq!(again["BlackListCheckItem"][4]["ResultCode"], 0);
    assert!(again.get("Fail_Account").is_none(), "Fail_Account only when an item failed");
}

async fn wechat() -> (Emulator, Http) {
    let emu = Emulator::builder()
        .wechat_authorizer(WechatAuthorizer::new("wxminiprogram").access_token("authorizer-token"))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    (emu, http)
}

const SET: &str = "/wxa/operationams?action=agency_set_mp_amscategory_blacklist&access_token=authorizer-token";
const GET: &str = "/wxa/operationams?action=agency_get_mp_amscategory_blacklist&access_token=authorizer-token";

#[tokio::test]
async fn wechat_set_category_sample_literal_is_refused_with_the_documented_shape() {
    // The literal sample carries the page's corruption `FOOD_AND_初始值`, not a category.
    let (_emu, http) = wechat().await;
    let got = http.post(SET, &fixture("wechat_set_amscategory.request.json")).await;
    assert_eq!(got.status, 200);
    assert_eq!(keys(&got.json), ["err_msg", "ret"]);
    assert_eq!(got.json["ret"], 1701);
    let after = http.post(GET, "{}").await;
    assert_eq!(after.json["ams_category"], "", "a refused set changes nothing");
}

#[tokio::test]
async fn wechat_set_category_sample_repaired_succeeds_with_the_documented_shape() {
    let (_emu, http) = wechat().await;
    let repaired = fixture("wechat_set_amscategory.request.json").replace("FOOD_AND_初始值", "FOOD_AND_DRINK");
    let got = http.post(SET, &repaired).await;
    // Documented response: {"ret": 0, "err_msg": ""} (the page shows `初始值_msg`, a
    // translation artefact of `err_msg`).
    assert_eq!(got.json, json!({"ret": 0, "err_msg": ""}));
    let after = http.post(GET, "{}").await;
    assert_eq!(after.json["ret"], 0);
    assert_eq!(
        after.json["ams_category"],
        "CHESS|ADULT_SUPPLIES|MEDICAL_HEALTH|INSURANCE|SECURITES|LOAN|LIVING_SERVICES_BEAUTY|LIVING_SERVICES_ENTERTAINMENT|LIVING_SERVICES_OTHERS|FOOD_INDUSTRY|RETAIL_AND_GENERAL_MERCHANDISE|FOOD_AND_DRINK|TECHNICAL_SERVICE",
        "the trailing space is trimmed and the set is stored"
    );
}

const ACCOUNT: u64 = 20_000_001;

async fn ads() -> (Emulator, Http) {
    let md5 = "8c471927c56a2095aa9374a287b62d80";
    let mut m1 = AdsMaterial::image("123").name("图片 1");
    m1.md5 = Some(md5.to_owned());
    let mut m2 = AdsMaterial::image("456").name("图片 2");
    m2.md5 = Some(md5.to_owned());
    let emu = Emulator::builder()
        .ads_account(AdsAccount::new(ACCOUNT).access_token("ads-token").material(m1).material(m2))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    (emu, http)
}

fn ads_path(nonce: &str) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    format!("/v3.0/watermarks/add?access_token=ads-token&timestamp={now}&nonce={nonce}")
}

#[tokio::test]
async fn ads_watermarks_add_sample_matches_the_documented_response() {
    let (_emu, http) = ads().await;
    // The sample quotes its placeholder; the field is an integer (reference §1), so the
    // quoted placeholder becomes a bare number.
    let body = fixture("ads_watermarks_add.request.json").replace("\"<ACCOUNT_ID>\"", &ACCOUNT.to_string());
    assert!(body.contains(&format!("\"account_id\": {ACCOUNT}")), "{body}");
    let got = http.post(&ads_path("golden1"), &body).await;
    assert_eq!(got.status, 200);
    let mut sample = fixture_json("ads_watermarks_add.response.json");
    // Record ids are the server's to choose; everything else is as documented.
    let mut got_json = got.json.clone();
    for i in 0..2 {
        assert!(got_json["data"]["results"][i]["record_id"].as_str().is_some_and(|s| !s.is_empty()));
        got_json["data"]["results"][i]["record_id"] = Value::Null;
        sample["data"]["results"][i]["record_id"] = Value::Null;
    }
    assert_eq!(got_json, sample);
    assert!(got.headers.contains_key("x-tsa-trace-id"));
    assert!(got.headers.contains_key("x-ratelimit-remaining"));
}

#[tokio::test]
async fn ads_watermarks_add_sample_with_its_placeholder_is_refused() {
    let (_emu, http) = ads().await;
    let got = http.post(&ads_path("golden2"), &fixture("ads_watermarks_add.request.json")).await;
    assert_eq!(got.json["code"], 18001, "\"<ACCOUNT_ID>\" is a string, not an integer account id");
    for field in ["code", "message", "message_cn", "trace_id"] {
        assert!(got.json.get(field).is_some(), "{field} in {}", got.text);
    }
    assert!(got.json.get("data").is_none(), "data only on success");
}
