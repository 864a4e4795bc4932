//! Tencent Ads: material async tasks, token ↔ account binding, private-app tokens,
//! headers on every answer, recorded global parameters, and bounded tables.

mod common;

use common::{Http, T0, keys};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tx_emulator::{AdsAccount, AdsApp, AdsMaterial, Emulator, Fault, FaultPlan, ManualClock};

const ADVERTISER: u64 = 20_000_001;
const SECOND: u64 = 20_000_002;
const AGENCY: u64 = 10_000_001;
const CLIENT: u64 = 1_110_000_000;

static NONCE: AtomicU64 = AtomicU64::new(0);

fn nonce() -> String {
    format!("t{}", NONCE.fetch_add(1, Ordering::Relaxed))
}

fn q(token: &str) -> String {
    format!("access_token={token}&timestamp={T0}&nonce={}", nonce())
}

fn enc(v: &Value) -> String {
    url::form_urlencoded::byte_serialize(v.to_string().as_bytes()).collect()
}

async fn setup(delay: Duration) -> (Emulator, Http) {
    let emu = Emulator::builder()
        .clock(Arc::new(ManualClock::new(T0)))
        .ads_watermark_delay(delay)
        .ads_app(AdsApp::new(CLIENT, "secret").private_token("private-token", [ADVERTISER, SECOND, AGENCY]))
        .ads_account(
            AdsAccount::new(ADVERTISER)
                .client(CLIENT)
                .access_token("adv-token")
                .material(AdsMaterial::image("123").name("图片 1"))
                .material(AdsMaterial::video("789").name("视频 1")),
        )
        .ads_account(AdsAccount::new(SECOND).client(CLIENT).material(AdsMaterial::image("555")))
        .ads_account(AdsAccount::new(AGENCY).client(CLIENT).agency(true).access_token("agency-token"))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    (emu, http)
}

fn task_body(kind: &str, ids: &[&str], texts: &[&str]) -> String {
    let detail: Vec<Value> = ids.iter().map(|id| json!({"material_id": id})).collect();
    json!({"account_id": ADVERTISER, "material_param_type": "MATERIAL_PARAM_TYPE_ID", "material_type": kind,
           "material_detail": detail, "task_specs": {"watermark_spec": {"text": texts}}})
    .to_string()
}

async fn add_task(http: &Http, body: &str) -> Value {
    http.post(&format!("/v3.0/material_async_tasks/add?{}", q("adv-token")), body).await.json
}

async fn get_tasks(http: &Http, token: &str, extra: &str) -> Value {
    http.get(&format!("/v3.0/material_async_tasks/get?{}{extra}", q(token))).await.json
}

#[tokio::test(start_paused = true)]
async fn tasks_are_processed_after_the_delay() {
    let (_emu, http) = setup(Duration::from_secs(3)).await;
    let added = add_task(&http, &task_body("VIDEO", &["789", "123", "999"], &["贷款有风险,借款需谨慎"])).await;
    assert_eq!(added["code"], 0, "{added}");
    let job = added["data"]["job_id"].as_str().unwrap().to_owned();
    assert_eq!(keys(&added["data"]), ["job_id"]);
    let parts: Vec<usize> = job.split('-').map(str::len).collect();
    assert_eq!(parts, [8, 4, 4, 4, 12], "a UUID: {job}");
    let filter = enc(&json!([{"field": "job_id", "operator": "EQUALS", "values": [job]}]));
    let before = get_tasks(&http, "adv-token", &format!("&account_id={ADVERTISER}&filtering={filter}")).await;
    let list = before["data"]["list"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    let first = &list[0]["watermark_result"];
    assert_eq!(first["task_status"], "MATERIAL_TASK_STATUS_WATERMARK_PROCESSING");
    assert_eq!(first["original_material_id"], " 789", "a leading space, as in the sample");
    assert_eq!(first["create_time"], T0.to_string(), "a string, as in the sample");
    assert_eq!(first["result_material_id"], "");
    assert_eq!(
        keys(first),
        [
            "create_time",
            "material_name",
            "material_type",
            "message",
            "original_cover_image_url",
            "original_material_id",
            "original_material_url",
            "original_material_uuid",
            "result_cover_image_url",
            "result_material_id",
            "result_material_url",
            "result_material_uuid",
            "task_id",
            "task_status",
            "update_time"
        ]
    );
    assert_eq!(before["data"]["page_info"], json!({"page": 1, "page_size": 10, "total_number": 3, "total_page": 1}));
    tokio::time::advance(Duration::from_millis(2999)).await;
    let still = get_tasks(&http, "adv-token", &format!("&filtering={filter}")).await;
    assert_eq!(
        still["data"]["list"][2]["watermark_result"]["task_status"],
        "MATERIAL_TASK_STATUS_WATERMARK_PROCESSING"
    );
    tokio::time::advance(Duration::from_millis(1)).await;
    let after = get_tasks(&http, "adv-token", &format!("&filtering={filter}&page=1&page_size=100")).await;
    let results: Vec<&Value> =
        after["data"]["list"].as_array().unwrap().iter().map(|t| &t["watermark_result"]).collect();
    assert_eq!(results[0]["task_status"], "MATERIAL_TASK_STATUS_WATERMARK_SUCCESS");
    assert!(results[0]["result_material_url"].as_str().unwrap().ends_with(".mp4"));
    assert!(!results[0]["result_cover_image_url"].as_str().unwrap().is_empty(), "videos have covers");
    assert_eq!(results[0]["update_time"], (T0 + 3).to_string());
    assert_eq!(results[1]["task_status"], "MATERIAL_TASK_STATUS_WATERMARK_FAILED", "123 is an image, not a video");
    assert_eq!(results[2]["task_status"], "MATERIAL_TASK_STATUS_WATERMARK_FAILED", "999 does not exist");
    assert!(!results[2]["message"].as_str().unwrap().is_empty());

    let image = add_task(&http, &task_body("IMAGE", &["123"], &["t"])).await;
    assert_eq!(image["code"], 0);
    let all = get_tasks(&http, "adv-token", "&page=1&page_size=2").await;
    assert_eq!(all["data"]["page_info"]["total_number"], 4, "without filtering: every task of the account");
    assert_eq!(all["data"]["page_info"]["total_page"], 2);
}

#[tokio::test]
async fn task_validation() {
    let (_emu, http) = setup(Duration::from_secs(3)).await;
    let base: Value = serde_json::from_str(&task_body("IMAGE", &["123"], &["t"])).unwrap();
    let with = |path: &[&str], v: Value| {
        let mut b = base.clone();
        let mut cur = &mut b;
        for p in &path[..path.len() - 1] {
            cur = &mut cur[*p];
        }
        cur[path[path.len() - 1]] = v;
        b.to_string()
    };
    let hundred_and_one: Vec<Value> = (0..101).map(|i| json!({"material_id": i.to_string()})).collect();
    let eleven: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
    let cases = [
        (with(&["material_type"], json!("AUDIO")), 18001),
        (with(&["material_param_type"], json!("MATERIAL_PARAM_TYPE_URL")), 18001),
        (with(&["material_detail"], json!([])), 18001),
        (with(&["material_detail"], Value::Array(hundred_and_one)), 18001),
        (with(&["task_specs", "watermark_spec", "text"], json!([])), 18001),
        (with(&["task_specs", "watermark_spec", "text"], json!(eleven)), 18001),
        (with(&["task_specs", "watermark_spec", "text"], json!(["<x>"])), 18001),
        (with(&["task_specs"], json!({})), 18001),
        (with(&["account_id"], json!(AGENCY + 5)), 12203),
        (with(&["account_id"], json!(String::from("20000001"))), 18001),
        ("{".to_owned(), 12003),
    ];
    for (body, code) in cases {
        assert_eq!(add_task(&http, &body).await["code"], code, "{body}");
    }
    let bad_gets = [
        ("&ownership_type=SHARED".to_owned(), 18001),
        ("&page=0".to_owned(), 18001),
        ("&page=100000".to_owned(), 18001),
        ("&page_size=101".to_owned(), 18001),
        (format!("&filtering={}", enc(&json!([{"field": "job_id", "operator": "IN", "values": ["a"]}]))), 18001),
        (format!("&filtering={}", enc(&json!([{"field": "task_id", "operator": "EQUALS", "values": ["a"]}]))), 18001),
        (
            format!(
                "&filtering={}",
                enc(&json!(vec![json!({"field": "job_id", "operator": "EQUALS", "values": ["a"]}); 11]))
            ),
            18001,
        ),
        ("&fields=task_id".to_owned(), 12008),
        ("&ownership_type=OWNED".to_owned(), 0),
    ];
    for (extra, code) in bad_gets {
        assert_eq!(get_tasks(&http, "adv-token", &extra).await["code"], code, "{extra}");
    }
}

#[tokio::test]
async fn agency_accounts_cannot_read_tasks_and_tokens_act_for_their_accounts_only() {
    let (_emu, http) = setup(Duration::from_secs(3)).await;
    let agency = get_tasks(&http, "agency-token", &format!("&account_id={AGENCY}")).await;
    assert_eq!(agency["code"], 12201, "advertiser accounts only");
    assert_eq!(get_tasks(&http, "adv-token", &format!("&account_id={SECOND}")).await["code"], 12203);
    assert_eq!(
        get_tasks(&http, "private-token", &format!("&account_id={SECOND}")).await["code"],
        0,
        "a private token acts for its accounts"
    );
    assert_eq!(get_tasks(&http, "private-token", "").await["code"], 18001, "several accounts: account_id is required");
    assert_eq!(get_tasks(&http, "private-token", "&account_id=99").await["code"], 12203);
    assert_eq!(get_tasks(&http, "private-token", "&account_id=abc").await["code"], 12201);
    let wm = json!({"account_id": SECOND, "source_type": "MATERIAL_SOURCE_TYPE_ID", "material_type": "IMAGE",
                    "materials": [{"material_id": "555"}], "watermark_configs": [{"text_content": "t"}]});
    let r = http.post(&format!("/v3.0/watermarks/add?{}", q("private-token")), &wm.to_string()).await;
    assert_eq!((r.json["code"].as_i64(), r.json["data"]["processing_count"].as_i64()), (Some(0), Some(1)));
    let r = http.post(&format!("/v3.0/watermarks/add?{}", q("adv-token")), &wm.to_string()).await;
    assert_eq!(r.json["code"], 12203);
}

#[tokio::test]
async fn every_answer_carries_the_trace_and_quota_headers() {
    let emu = Emulator::builder()
        .clock(Arc::new(ManualClock::new(T0)))
        .ads_account(AdsAccount::new(ADVERTISER).access_token("adv-token"))
        .faults(FaultPlan::seeded(0).script("v3.0/watermarks/get", [Fault::Http(502), Fault::Code(66045)]))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    let paths = [
        format!("/v3.0/watermarks/get?{}", q("adv-token")),
        format!("/v3.0/watermarks/get?{}", q("adv-token")),
        format!("/v3.0/watermarks/get?{}", q("adv-token")),
        format!("/v3.0/watermarks/get?{}&page_size=1000", q("adv-token")),
        format!("/v3.0/watermarks/get?{}", q("nope")),
        format!("/v3.0/nothing/here?{}", q("adv-token")),
        "/oauth/token?client_id=1".to_owned(),
    ];
    let mut statuses = Vec::new();
    for p in &paths {
        let r = http.get(p).await;
        statuses.push(r.status);
        let trace = r.headers.get("x-tsa-trace-id").map(|v| v.to_str().unwrap().to_owned());
        assert!(trace.is_some_and(|t| t.len() == 32), "{p}: trace id");
        let remaining = r.headers.get("x-ratelimit-remaining").unwrap().to_str().unwrap().to_owned();
        let (day, minute) = remaining.split_once(',').unwrap();
        assert!(day.ends_with('%') && minute.ends_with('%'), "{p}: {remaining}");
    }
    assert_eq!(statuses, [502, 200, 200, 200, 200, 200, 200]);
}

#[tokio::test(start_paused = true)]
async fn the_quota_bars_an_endpoint_for_the_penalty_and_counts_throttling() {
    let emu = Emulator::builder()
        .clock(Arc::new(ManualClock::new(T0)))
        .seed(
            tx_emulator::Seed::from_toml("[settings]\nads_quota_per_minute = 2\nads_quota_penalty_secs = 120\n")
                .unwrap(),
        )
        .ads_account(AdsAccount::new(ADVERTISER).client(CLIENT).access_token("adv-token"))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    let call = |http: &Http| {
        let path = format!("/v3.0/watermarks/get?{}", q("adv-token"));
        let http = Http { client: http.client.clone(), base: http.base.clone() };
        async move {
            let r = http.get(&path).await;
            (r.json["code"].as_i64().unwrap(), r.headers["x-ratelimit-remaining"].to_str().unwrap().to_owned())
        }
    };
    assert_eq!(call(&http).await, (0, "100%,50%".to_owned()));
    assert_eq!(call(&http).await, (0, "100%,0%".to_owned()));
    assert_eq!(call(&http).await, (11017, "100%,0%".to_owned()));
    tokio::time::advance(Duration::from_secs(60)).await;
    assert_eq!(call(&http).await.0, 11017, "barred although a new minute began");
    tokio::time::advance(Duration::from_secs(60)).await;
    assert_eq!(call(&http).await.0, 0, "the 2-minute penalty is over");
    assert_eq!(emu.stats().endpoint("v3.0/watermarks/get").throttled, 2);
}

#[tokio::test]
async fn each_attempts_nonce_and_timestamp_are_recorded() {
    let emu = Emulator::builder()
        .clock(Arc::new(ManualClock::new(T0)))
        .ads_account(AdsAccount::new(ADVERTISER).access_token("adv-token"))
        .faults(FaultPlan::seeded(0).script("v3.0/watermarks/get", [Fault::Busy]))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    for (n, ts) in [("first", T0), ("second", T0 + 1)] {
        http.get(&format!("/v3.0/watermarks/get?access_token=adv-token&timestamp={ts}&nonce={n}")).await;
    }
    http.get("/v3.0/watermarks/get?access_token=adv-token").await;
    let calls = emu.stats().endpoint("v3.0/watermarks/get").recent_calls;
    let seen: Vec<(Option<String>, Option<String>)> = calls.into_iter().map(|c| (c.nonce, c.timestamp)).collect();
    assert_eq!(
        seen,
        [
            (Some("first".to_owned()), Some(T0.to_string())),
            (Some("second".to_owned()), Some((T0 + 1).to_string())),
            (None, None)
        ],
        "the faulted attempt is recorded too"
    );
    for i in 0..40 {
        http.get(&format!("/v3.0/watermarks/get?access_token=adv-token&timestamp={T0}&nonce=many{i}")).await;
    }
    let recent = emu.stats().endpoint("v3.0/watermarks/get").recent_calls;
    assert_eq!(recent.len(), tx_emulator::stats::RECENT_CALLS);
    assert_eq!(recent.back().unwrap().nonce.as_deref(), Some("many39"));
}

#[tokio::test]
async fn the_same_texts_in_another_order_reuse_the_result() {
    let (_emu, http) = setup(Duration::ZERO).await;
    let body = |texts: &[&str]| {
        let configs: Vec<Value> = texts.iter().map(|t| json!({"text_content": t})).collect();
        json!({"account_id": ADVERTISER, "source_type": "MATERIAL_SOURCE_TYPE_ID", "material_type": "IMAGE",
               "materials": [{"material_id": "123"}], "watermark_configs": configs})
        .to_string()
    };
    let first = http.post(&format!("/v3.0/watermarks/add?{}", q("adv-token")), &body(&["a", "b"])).await.json;
    assert_eq!(first["data"]["results"][0]["status"], "success", "no delay: done at once");
    let again = http.post(&format!("/v3.0/watermarks/add?{}", q("adv-token")), &body(&["b", "a"])).await.json;
    let r = &again["data"]["results"][0];
    assert_eq!((r["status"].as_str(), r["reason"].as_str()), (Some("success"), Some("复用已有处理结果")));
    assert_eq!(r["result_material_id"], first["data"]["results"][0]["result_material_id"]);
}
