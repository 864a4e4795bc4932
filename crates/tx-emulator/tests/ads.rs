//! Tencent Ads: global parameters (token, timestamp, nonce), quota, watermarks and OAuth.

mod common;

use common::{Http, T0, keys};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tx_emulator::{AdsAccount, AdsApp, AdsMaterial, Emulator, EmulatorBuilder, ManualClock};

const ACCOUNT: u64 = 20_000_001;
const CLIENT: u64 = 1_110_000_000;

static NONCE: AtomicU64 = AtomicU64::new(0);

fn nonce() -> String {
    format!("n{}", NONCE.fetch_add(1, Ordering::Relaxed))
}

fn builder(clock: &ManualClock) -> EmulatorBuilder {
    Emulator::builder()
        .clock(Arc::new(clock.clone()))
        .ads_app(AdsApp::new(CLIENT, "client-secret").redirect_uri("https://example.com/callback"))
        .ads_account(
            AdsAccount::new(ACCOUNT)
                .client(CLIENT)
                .access_token("ads-token")
                .refresh_token("ads-refresh")
                .material(AdsMaterial::image("123").name("图片 1"))
                .material(AdsMaterial::image("456").name("图片 2"))
                .material(AdsMaterial::video("789")),
        )
        .ads_account(AdsAccount::new(30_000_001).client(CLIENT).access_token("other-token"))
}

async fn setup() -> (Emulator, Http, ManualClock) {
    let clock = ManualClock::new(T0);
    let emu = builder(&clock).start().await.unwrap();
    let http = Http::new(&emu);
    (emu, http, clock)
}

fn q(token: &str, ts: u64, nonce: &str) -> String {
    format!("access_token={token}&timestamp={ts}&nonce={nonce}")
}

fn add_path() -> String {
    format!("/v3.0/watermarks/add?{}", q("ads-token", T0, &nonce()))
}

fn get_path(extra: &str) -> String {
    format!("/v3.0/watermarks/get?{}{extra}", q("ads-token", T0, &nonce()))
}

fn add_body(ids: &[&str], text: &str) -> String {
    let materials: Vec<Value> = ids.iter().map(|id| json!({"material_id": id})).collect();
    json!({"account_id": ACCOUNT, "source_type": "MATERIAL_SOURCE_TYPE_ID", "material_type": "IMAGE",
           "materials": materials, "watermark_configs": [{"text_content": text}]})
    .to_string()
}

fn enc(v: &Value) -> String {
    url::form_urlencoded::byte_serialize(v.to_string().as_bytes()).collect()
}

#[tokio::test]
async fn global_parameters_are_checked_with_their_codes() {
    let (_emu, http, clock) = setup().await;
    let path = |query: String| format!("/v3.0/watermarks/get?{query}");
    let cases = [
        (format!("timestamp={T0}&nonce=a1"), 11005),
        (format!("access_token=&timestamp={T0}&nonce=a2"), 11005),
        ("access_token=ads-token&nonce=a3".to_owned(), 12000),
        (format!("access_token=ads-token&timestamp={T0}"), 12000),
        (q("ads-token", T0 - 301, "a4"), 12101),
        (q("ads-token", T0 + 301, "a5"), 12101),
        (q("ads-token", 0, "a5b"), 12101),
        ("access_token=ads-token&timestamp=soon&nonce=a6".to_owned(), 12101),
        (q("ads-token", T0, &"x".repeat(33)), 12100),
        (q("no-such-token", T0, "a7"), 11002),
        (q("ads-token", T0 - 300, "a8"), 0),
        (q("ads-token", T0 + 300, &"y".repeat(32)), 0),
        (q("ads-token", T0, "a8"), 12100),
    ];
    for (query, code) in cases {
        let r = http.get(&path(query.clone())).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.json["code"], code, "{query}: {}", r.text);
    }
    clock.advance(86_399);
    assert_eq!(http.get(&path(q("ads-token", T0 + 86_399, "b1"))).await.json["code"], 0);
    clock.advance(1);
    let r = http.get(&path(q("ads-token", T0 + 86_400, "b2"))).await;
    assert_eq!(r.json["code"], 11000, "the access token lives 24 h");
    assert!(r.json["message"].as_str().unwrap().contains("trace_id: "));
    assert_eq!(r.json["trace_id"], r.headers["x-tsa-trace-id"].to_str().unwrap());
}

#[tokio::test(start_paused = true)]
async fn per_minute_quota_per_endpoint() {
    let clock = ManualClock::new(T0);
    let emu = builder(&clock).ads_quota_per_minute(Some(4)).start().await.unwrap();
    let http = Http::new(&emu);
    let mut remaining = Vec::new();
    for _ in 0..4 {
        let r = http.get(&get_path("")).await;
        assert_eq!(r.json["code"], 0);
        remaining.push(r.headers["x-ratelimit-remaining"].to_str().unwrap().to_owned());
    }
    assert_eq!(remaining, ["100%,75%", "100%,50%", "100%,25%", "100%,0%"]);
    assert_eq!(http.get(&get_path("")).await.json["code"], 11017);
    let add = http.post(&add_path(), &add_body(&["123"], "t")).await;
    assert_eq!(add.json["code"], 0, "another endpoint has its own quota");
    tokio::time::advance(Duration::from_secs(60)).await;
    assert_eq!(http.get(&get_path("")).await.json["code"], 11017, "barred for 5 minutes after a breach");
    tokio::time::advance(Duration::from_secs(240)).await;
    assert_eq!(http.get(&get_path("")).await.json["code"], 0, "recovered");
    assert_eq!(emu.stats().endpoint("v3.0/watermarks/get").errors.get(&11017), Some(&2));
}

#[tokio::test(start_paused = true)]
async fn watermark_jobs_finish_after_the_delay_and_dedup() {
    let clock = ManualClock::new(T0);
    let emu = builder(&clock).ads_watermark_delay(Duration::from_secs(3)).start().await.unwrap();
    let http = Http::new(&emu);
    let r = http.post(&add_path(), &add_body(&["123", "999", "789"], "贷款有风险,借款需谨慎")).await;
    let data = &r.json["data"];
    assert_eq!(
        (
            data["total_count"].as_u64(),
            data["processing_count"].as_u64(),
            data["success_count"].as_u64(),
            data["failed_count"].as_u64()
        ),
        (Some(3), Some(1), Some(0), Some(2))
    );
    let results = data["results"].as_array().unwrap();
    assert_eq!(results[0]["status"], "processing");
    assert_eq!(
        (results[0]["result_material_id"].as_str(), results[0]["result_material_url"].as_str()),
        (Some(""), Some(""))
    );
    assert_eq!(results[0]["material_name"], "图片 1");
    assert_eq!(results[0]["original_material_md5"].as_str().unwrap().len(), 32);
    assert_eq!(
        (results[1]["status"].as_str(), results[1]["reason"].as_str()),
        (Some("failed"), Some("素材不存在或不支持添加警示语"))
    );
    assert_eq!(results[2]["status"], "failed", "videos do not take warning text");
    let record = results[0]["record_id"].as_str().unwrap().to_owned();
    let filter = json!([{"field": "record_id", "operator": "EQUALS", "values": [record]}]);
    let poll = |http: &Http| {
        let path = get_path(&format!("&filtering={}&page=1&page_size=10", enc(&filter)));
        let http = Http { client: http.client.clone(), base: http.base.clone() };
        async move { http.get(&path).await.json }
    };
    let before = poll(&http).await;
    assert_eq!(before["data"]["list"][0]["status"], "processing");
    assert_eq!(
        keys(&before["data"]["list"][0]),
        [
            "material_name",
            "original_material_id",
            "original_material_url",
            "record_id",
            "result_material_id",
            "result_material_url",
            "status"
        ]
    );
    assert_eq!(keys(&before["data"]["page_info"]), ["page", "page_size", "total_number", "total_page"]);
    tokio::time::advance(Duration::from_millis(2999)).await;
    assert_eq!(poll(&http).await["data"]["list"][0]["status"], "processing");
    tokio::time::advance(Duration::from_millis(1)).await;
    let done = poll(&http).await;
    let item = &done["data"]["list"][0];
    assert_eq!(item["status"], "success");
    let result_id = item["result_material_id"].as_str().unwrap().to_owned();
    assert!(!result_id.is_empty() && item["result_material_url"].as_str().unwrap().starts_with("https://"));

    let again = http.post(&add_path(), &add_body(&["123"], "贷款有风险,借款需谨慎")).await;
    let reused = &again.json["data"]["results"][0];
    assert_eq!((reused["status"].as_str(), reused["reason"].as_str()), (Some("success"), Some("复用已有处理结果")));
    assert_eq!(reused["result_material_id"], result_id.as_str());
    assert_eq!(again.json["data"]["success_count"], 1);
    let other_text = http.post(&add_path(), &add_body(&["123"], "另一条警示语")).await;
    assert_eq!(other_text.json["data"]["results"][0]["status"], "processing", "a new text is a new job");
}

#[tokio::test]
async fn watermarks_add_validation() {
    let (_emu, http, _) = setup().await;
    let base: Value = serde_json::from_str(&add_body(&["123"], "t")).unwrap();
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b.to_string()
    };
    let without = |k: &str| {
        let mut b = base.clone();
        b.as_object_mut().unwrap().remove(k);
        b.to_string()
    };
    let hundred_and_one: Vec<Value> = (0..101).map(|i| json!({"material_id": i.to_string()})).collect();
    let hundred: Vec<Value> = (0..100).map(|i| json!({"material_id": i.to_string()})).collect();
    let eleven: Vec<Value> = (0..11).map(|i| json!({"text_content": format!("t{i}")})).collect();
    let ten: Vec<Value> = (0..10).map(|i| json!({"text_content": format!("t{i}")})).collect();
    let cases = [
        (with("materials", Value::Array(hundred_and_one)), 18001),
        (with("materials", Value::Array(hundred)), 0),
        (with("materials", json!([])), 18001),
        (with("materials", json!([{"material_id": 123}])), 18001),
        (with("materials", json!([{}])), 18001),
        (with("watermark_configs", json!([])), 18001),
        (with("watermark_configs", Value::Array(eleven)), 18001),
        (with("watermark_configs", Value::Array(ten)), 0),
        (with("watermark_configs", json!([{"text_content": ""}])), 18001),
        (with("watermark_configs", json!({"text_content": "t"})), 18001),
        (with("source_type", json!("MATERIAL_SOURCE_TYPE_URL")), 18001),
        (without("source_type"), 18001),
        (with("material_type", json!("VIDEO")), 18001),
        (without("material_type"), 18001),
        (with("account_id", json!("20000001")), 18001),
        (without("account_id"), 0),
        (with("account_id", json!(30_000_001)), 12203),
        (with("account_id", json!("<ACCOUNT_ID>")), 18001),
        (with("account_id", json!(-1)), 12201),
        (with("watermark_configs", json!([{"text_content": "贷款额度/放款时间等以实际审批为准"}])), 0),
        (with("watermark_configs", json!([{"text_content": "<b>贷款有风险</b>"}])), 18001),
        (with("watermark_configs", json!([{"text_content": "a\nb"}])), 18001),
        (with("watermark_configs", json!([{"text_content": "a\"b"}])), 18001),
        (with("materials", json!([{"material_id": "1&2"}])), 18001),
        (with("organization_id", json!(10_000_000_000u64)), 18001),
        (with("organization_id", json!(9_999_999_999u64)), 0),
        ("[]".to_owned(), 12003),
        ("not json".to_owned(), 12003),
    ];
    for (body, code) in cases {
        let r = http.post(&add_path(), &body).await;
        assert_eq!(r.json["code"], code, "{body}: {}", r.text);
    }
}

#[tokio::test]
async fn watermarks_get_filtering_paging_and_fields() {
    let (_emu, http, _) = setup().await;
    let ids: Vec<String> = (0..5).map(|i| i.to_string()).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let added = http.post(&add_path(), &add_body(&id_refs, "t")).await;
    let records: Vec<String> = added.json["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["record_id"].as_str().unwrap().to_owned())
        .collect();
    let page = |p: i64, size: i64| get_path(&format!("&page={p}&page_size={size}"));
    let r = http.get(&page(2, 2)).await.json;
    assert_eq!(r["data"]["page_info"], json!({"page": 2, "page_size": 2, "total_number": 5, "total_page": 3}));
    let got: Vec<&str> =
        r["data"]["list"].as_array().unwrap().iter().map(|x| x["record_id"].as_str().unwrap()).collect();
    assert_eq!(got, [records[2].as_str(), records[3].as_str()]);
    assert_eq!(http.get(&page(0, 2)).await.json["data"]["list"].as_array().unwrap().len(), 5, "page 0 = no paging");
    assert_eq!(http.get(&page(1, 100)).await.json["code"], 0);
    assert_eq!(http.get(&page(1, 101)).await.json["code"], 18001);
    assert_eq!(http.get(&page(1, 0)).await.json["code"], 18001);
    assert_eq!(http.get(&page(-1, 10)).await.json["code"], 18001);
    let default = http.get(&get_path("")).await.json;
    assert_eq!(
        (default["data"]["page_info"]["page"].as_i64(), default["data"]["page_info"]["page_size"].as_i64()),
        (Some(1), Some(20))
    );

    let filter = json!([{"field": "record_id", "operator": "IN", "values": [records[0], records[4], "nope"]}]);
    let r = http.get(&get_path(&format!("&filtering={}", enc(&filter)))).await.json;
    assert_eq!(r["data"]["page_info"]["total_number"], 2);
    let bad_filters = [
        json!([{"field": "status", "operator": "IN", "values": ["x"]}]),
        json!([{"field": "record_id", "operator": "EQUALS", "values": ["1", "2"]}]),
        json!([{"field": "record_id", "operator": "CONTAINS", "values": ["1"]}]),
        json!([{"field": "record_id", "operator": "IN", "values": [1]}]),
        json!({"field": "record_id"}),
    ];
    for f in bad_filters {
        assert_eq!(http.get(&get_path(&format!("&filtering={}", enc(&f)))).await.json["code"], 18001, "{f}");
    }
    let fields = json!(["record_id", "status"]);
    let r = http.get(&get_path(&format!("&fields={}", enc(&fields)))).await.json;
    assert_eq!(keys(&r["data"]["list"][0]), ["record_id", "status"]);
    assert_eq!(http.get(&get_path(&format!("&fields={}", enc(&json!(["reason"]))))).await.json["code"], 12009);
    assert_eq!(http.get(&get_path("&fields=record_id")).await.json["code"], 12008);
    let other = format!("/v3.0/watermarks/get?{}", q("other-token", T0, &nonce()));
    assert_eq!(http.get(&other).await.json["data"]["page_info"]["total_number"], 0, "records are per account");
    assert_eq!(http.get(&get_path("&account_id=30000001")).await.json["code"], 12203);
    assert_eq!(http.get(&format!("/v3.0/nothing/here?{}", q("ads-token", T0, &nonce()))).await.json["code"], 12007);
}

fn authorize_path(redirect: &str, state: &str) -> String {
    let r: String = url::form_urlencoded::byte_serialize(redirect.as_bytes()).collect();
    format!("/oauth/authorize?client_id={CLIENT}&redirect_uri={r}&state={state}")
}

async fn authorization_code(http: &Http, redirect: &str) -> String {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).no_proxy().build().unwrap();
    let resp = client.get(format!("{}{}", http.base, authorize_path(redirect, "xyz"))).send().await.unwrap();
    assert_eq!(resp.status(), 302);
    let location = url::Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap();
    assert!(location.as_str().starts_with(redirect));
    let pairs: Vec<(String, String)> = location.query_pairs().into_owned().collect();
    assert!(pairs.contains(&("state".to_owned(), "xyz".to_owned())));
    pairs.into_iter().find(|(k, _)| k == "authorization_code").unwrap().1
}

fn token_path(grant: &str) -> String {
    format!("/oauth/token?client_id={CLIENT}&client_secret=client-secret&{grant}")
}

#[tokio::test]
async fn oauth_authorization_code_and_refresh() {
    let (_emu, http, clock) = setup().await;
    let redirect = "https://app.example.com/callback";
    let code = authorization_code(&http, redirect).await;
    let enc_redirect: String = url::form_urlencoded::byte_serialize(redirect.as_bytes()).collect();
    let grant = format!("grant_type=authorization_code&authorization_code={code}&redirect_uri={enc_redirect}");
    let r = http.get(&token_path(&grant)).await.json;
    assert_eq!(r["code"], 0, "{r}");
    let data = &r["data"];
    assert_eq!(
        keys(data),
        ["access_token", "access_token_expires_in", "authorizer_info", "refresh_token", "refresh_token_expires_in"]
    );
    assert_eq!(
        (data["access_token_expires_in"].as_u64(), data["refresh_token_expires_in"].as_u64()),
        (Some(86_400), Some(2_592_000))
    );
    assert_eq!(
        keys(&data["authorizer_info"]),
        [
            "account_id",
            "account_role_type",
            "account_type",
            "account_uin",
            "role_type",
            "scope_list",
            "wechat_account_id"
        ]
    );
    assert_eq!(data["authorizer_info"]["account_id"], ACCOUNT);
    assert_eq!(http.get(&token_path(&grant)).await.json["code"], 11013, "a code works once");
    let access = data["access_token"].as_str().unwrap().to_owned();
    let refresh = data["refresh_token"].as_str().unwrap().to_owned();
    let call = format!("/v3.0/watermarks/get?{}", q(&access, T0, &nonce()));
    assert_eq!(http.get(&call).await.json["code"], 0, "the new token works");

    let late = authorization_code(&http, redirect).await;
    clock.advance(300);
    let g = format!("grant_type=authorization_code&authorization_code={late}&redirect_uri={enc_redirect}");
    assert_eq!(http.get(&token_path(&g)).await.json["code"], 11009, "codes live 5 minutes");

    clock.advance(2_592_000 - 301);
    let refreshed = http.get(&token_path(&format!("grant_type=refresh_token&refresh_token={refresh}"))).await.json;
    assert_eq!(refreshed["code"], 0, "{refreshed}");
    assert_eq!(keys(&refreshed["data"]), ["access_token", "access_token_expires_in", "refresh_token_expires_in"]);
    clock.advance(2_592_000 - 1);
    let again = http.get(&token_path(&format!("grant_type=refresh_token&refresh_token={refresh}"))).await.json;
    assert_eq!(again["code"], 0, "a refresh restarted the 30 days");
    clock.advance(2_592_000);
    let expired = http.get(&token_path(&format!("grant_type=refresh_token&refresh_token={refresh}"))).await.json;
    assert_eq!(expired["code"], 11012);
}

#[tokio::test]
async fn oauth_error_codes() {
    let (_emu, http, _) = setup().await;
    let redirect = "https://example.com/callback";
    let code = authorization_code(&http, redirect).await;
    let cases = [
        (
            "/oauth/token?client_secret=client-secret&grant_type=refresh_token&refresh_token=ads-refresh".to_owned(),
            11007,
        ),
        (
            format!(
                "/oauth/token?client_id={CLIENT}&client_secret=wrong&grant_type=refresh_token&refresh_token=ads-refresh"
            ),
            11007,
        ),
        (
            "/oauth/token?client_id=42&client_secret=client-secret&grant_type=refresh_token&refresh_token=ads-refresh"
                .to_owned(),
            11007,
        ),
        (token_path("grant_type=password"), 18001),
        (
            token_path(
                "grant_type=authorization_code&authorization_code=nope&redirect_uri=https%3A%2F%2Fexample.com%2Fcallback",
            ),
            11011,
        ),
        (
            token_path(&format!(
                "grant_type=authorization_code&authorization_code={code}&redirect_uri=https%3A%2F%2Fexample.com%2Fother"
            )),
            18001,
        ),
        (token_path("grant_type=refresh_token&refresh_token=nope"), 11010),
        (token_path("grant_type=refresh_token"), 11010),
        (token_path("grant_type=refresh_token&refresh_token=ads-refresh"), 0),
    ];
    for (path, code) in cases {
        assert_eq!(http.get(&path).await.json["code"], code, "{path}");
    }
    let with_port = http.get(&authorize_path("https://example.com:8443/cb", "s")).await;
    assert_eq!((with_port.status, with_port.json["code"].as_i64()), (400, Some(18001)));
    let other_domain = http.get(&authorize_path("https://evil.test/cb", "s")).await;
    assert_eq!(other_domain.json["code"], 18001);
}
