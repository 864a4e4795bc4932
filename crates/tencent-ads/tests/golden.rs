//! Golden tests over HTTP: seed 002's literal request is what reaches the server, byte for
//! byte, and its literal response is what the caller gets; the documented GET query; the
//! seed's request against the emulator gives the seed's answer.

mod common;

use common::*;
use futures_util::TryStreamExt;
use tencent_ads::{Client, WatermarkOutcome, WatermarkStatus};
use tx_core::clock::ManualClock;

const ACCOUNT: i64 = 5_178_368_698;

/// Seed 002's request example, as the seed has it.
const SEED_002_REQUEST: &str = include_str!("fixtures/seed_002_request.json");

/// Seed 002's response example, as the seed has it.
const SEED_002_RESPONSE: &str = include_str!("fixtures/seed_002_response.json");

/// The reference's `watermarks/get` answer.
const GET_RESPONSE: &str = r#"{"code": 0, "message": "", "message_cn": "", "data": {
"list": [{"record_id": "401", "status": "success", "original_material_id": "123", "material_name": "图片 1",
  "original_material_url": "", "result_material_id": "3174075314", "result_material_url": "https://example.com/b.jpg"},
 {"record_id": " 402 ", "status": "processing", "original_material_id": "456", "material_name": "图片 2",
  "original_material_url": "", "result_material_id": "", "result_material_url": ""}],
"page_info": {"page": 1, "page_size": 100, "total_number": 2, "total_page": 1}}}"#;

/// The seed's JSON without its line breaks and the space after each colon: the compact
/// form a client sends, keys in the seed's order.
fn compact(seed: &str) -> String {
    seed.lines().map(|l| l.replacen("\": ", "\":", 1)).collect()
}

fn client_for(url: &str) -> Client {
    Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(SECRET)
        .access_token(ACCOUNT, TOKEN_A)
        .endpoint(url)
        .clock(ManualClock::new(T0))
        .retry(fast_retry())
        .http_client(http())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_seeds_request_is_sent_byte_for_byte_and_its_response_decoded() {
    let (url, seen) = capture(SEED_002_RESPONSE).await;
    let ads = client_for(&url);
    let report = ads.watermarks().add(ACCOUNT, ["123", "456"], ["年化利率(复利)2%-22%"]).await.unwrap();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/v3.0/watermarks/add"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    // "<ACCOUNT_ID>" only quotes a placeholder: the integer goes unquoted.
    let expected = compact(SEED_002_REQUEST).replace("\"<ACCOUNT_ID>\"", &ACCOUNT.to_string());
    assert_eq!(String::from_utf8(r.body.clone()).unwrap(), expected);
    // The global parameters, in the query, and nothing else.
    let keys: Vec<&str> = r.query.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["access_token", "timestamp", "nonce"]);
    assert_eq!((r.param("access_token"), r.param("timestamp")), (Some(TOKEN_A), Some("1700000000")));
    let nonce = r.param("nonce").unwrap();
    assert!(nonce.len() == 32 && nonce.bytes().all(|b| b.is_ascii_hexdigit()), "{nonce}");

    assert_eq!((report.len(), report.add_requests(), report.poll_requests()), (2, 1, 0));
    for ((material, w), (id, name, record)) in
        report.answered().zip([("123", "图片 1", "401"), ("456", "图片 2", "402")])
    {
        assert_eq!(material, id);
        assert_eq!((w.outcome, &w.status), (WatermarkOutcome::Processing, &WatermarkStatus::Processing));
        assert_eq!(w.record_id.as_deref(), Some(record));
        assert_eq!(w.material_name.as_deref(), Some(name));
        assert_eq!(w.material_md5.as_deref(), Some("8c471927c56a2095aa9374a287b62d80"));
        assert_eq!(w.reason.as_deref(), Some("已提交处理,请稍后查询结果"));
        // "" on the wire is None in the model.
        assert_eq!((w.result_material_id.as_deref(), w.result_material_url.as_deref()), (None, None));
        assert_eq!(w.trace_id.as_deref(), Some("5c1b7a2e9f"), "the X-TSA-Trace-Id of the answer");
    }
}

#[tokio::test]
async fn the_documented_get_query_and_answer() {
    let (url, seen) = capture(GET_RESPONSE).await;
    let ads = client_for(&url);
    let records: Vec<_> = ads.watermarks().get(ACCOUNT, ["401", " 402 "]).try_collect().await.unwrap();
    let seen = seen.lock().unwrap().clone();
    let r = &seen[0];
    assert_eq!((r.method.as_str(), r.path.as_str(), r.body.len()), ("GET", "/v3.0/watermarks/get", 0));
    let query: Vec<(&str, &str)> = r.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        &query[..4],
        [
            ("account_id", "5178368698"),
            ("filtering", r#"[{"field":"record_id","operator":"IN","values":["401","402"]}]"#),
            ("page", "1"),
            ("page_size", "100"),
        ]
    );
    assert_eq!(query[4..].iter().map(|(k, _)| *k).collect::<Vec<_>>(), ["access_token", "timestamp", "nonce"]);
    assert_eq!(records.len(), 2);
    assert_eq!((records[0].record_id.as_str(), &records[0].status), ("401", &WatermarkStatus::Success));
    assert_eq!(records[0].result_material_id.as_deref(), Some("3174075314"));
    assert_eq!(records[0].original_material_url, None);
    assert_eq!(records[1].record_id, "402", "ids are trimmed");
    assert_eq!(records[1].result_material_url, None);

    // One page with its metadata.
    let page = ads.watermarks().page(&tencent_ads::WatermarksGetRequest::new(ACCOUNT)).await.unwrap();
    assert_eq!(page.meta.trace_id.as_deref(), Some("5c1b7a2e9f"));
    let quota = page.meta.quota_left.unwrap();
    assert_eq!((quota.day_percent, quota.minute_percent), (Some(50), Some(50)));
}

#[tokio::test]
async fn the_seeds_request_on_the_emulator_gets_the_seeds_answer() {
    let emu = tx_emulator::Emulator::builder().seed(tx_emulator::defaults::demo_seed()).start().await.unwrap();
    let ads = Client::builder()
        .client_id(tx_emulator::defaults::ADS_CLIENT_ID)
        .client_secret(tx_emulator::defaults::ADS_SECRET)
        .private_token(tx_emulator::defaults::ADS_PRIVATE_TOKEN)
        .endpoint(emu.base_url())
        .build()
        .unwrap();
    let report = ads.watermarks().add(20_000_001, ["123", "456"], ["年化利率(复利)2%-22%"]).await.unwrap();
    let answered: Vec<_> = report.answered().collect();
    assert_eq!(answered.len(), 2);
    for ((material, w), name) in answered.into_iter().zip(["图片 1", "图片 2"]) {
        assert!(["123", "456"].contains(&material));
        assert_eq!(w.outcome, WatermarkOutcome::Processing);
        assert_eq!(w.material_name.as_deref(), Some(name));
        assert_eq!(w.material_md5.as_deref(), Some("8c471927c56a2095aa9374a287b62d80"));
        assert_eq!(w.reason.as_deref(), Some("已提交处理,请稍后查询结果"));
        assert!(w.record_id.is_some() && w.result_material_id.is_none() && w.trace_id.is_some());
    }
}
