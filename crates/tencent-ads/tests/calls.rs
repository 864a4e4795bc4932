//! The conventions of every call, checked from the emulator's side (or a loopback
//! capture): fresh nonce and timestamp on every attempt, input refused before any I/O,
//! the optional `user_token`, and what is retried and what is not.

mod common;

use common::*;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tencent_ads::{Client, ErrorCode, MaterialType, WarningText};
use tx_core::clock::{Clock, ManualClock};
use tx_core::{ErrorKind, Idempotency, RetryPolicy};
use tx_emulator::{Fault, FaultPlan, Step};

/// A clock that gives out the times it was given, then stays at the last.
#[derive(Debug, Clone)]
struct Script(Arc<Mutex<VecDeque<u64>>>);

impl Script {
    fn new(times: impl IntoIterator<Item = u64>) -> Script {
        Script(Arc::new(Mutex::new(times.into_iter().collect())))
    }
}

impl Clock for Script {
    fn unix_now(&self) -> u64 {
        let mut q = self.0.lock().unwrap();
        if q.len() > 1 { q.pop_front().unwrap() } else { *q.front().unwrap() }
    }
}

async fn with_faults(plan: FaultPlan) -> (tx_emulator::Emulator, ManualClock) {
    let (b, clock) = emulator();
    (b.faults(plan).start().await.unwrap(), clock)
}

fn timestamps(emu: &tx_emulator::Emulator, endpoint: &str) -> Vec<String> {
    recent(emu, endpoint).into_iter().map(|c| c.timestamp.unwrap()).collect()
}

fn nonces(emu: &tx_emulator::Emulator, endpoint: &str) -> Vec<String> {
    recent(emu, endpoint).into_iter().map(|c| c.nonce.unwrap()).collect()
}

fn distinct(values: &[String]) -> bool {
    let set: std::collections::HashSet<&String> = values.iter().collect();
    set.len() == values.len()
}

#[tokio::test]
async fn every_retry_carries_a_new_nonce_and_the_clocks_current_timestamp() {
    let steps: [Step; 3] = [Fault::Busy.into(), Fault::Http(503).into(), Fault::Drop.into()];
    let (emu, _) = with_faults(FaultPlan::seeded(1).script(GET, steps)).await;
    // The client's clock moves one second per reading, so each attempt's timestamp differs.
    let ads = builder(&emu, &ManualClock::new(T0)).clock(Script::new(T0..T0 + 100)).build().unwrap();
    let page = ads.watermarks().page(&tencent_ads::WatermarksGetRequest::new(A)).await.unwrap();
    assert_eq!(page.meta.attempts, 4);
    let (nonces, timestamps) = (nonces(&emu, GET), timestamps(&emu, GET));
    assert_eq!(nonces.len(), 4, "the emulator saw all four attempts");
    assert!(distinct(&nonces), "{nonces:?}");
    assert!(nonces.iter().all(|n| n.len() == 32 && n.bytes().all(|b| b.is_ascii_hexdigit())));
    let secs: Vec<u64> = timestamps.iter().map(|t| t.parse().unwrap()).collect();
    assert!(secs.windows(2).all(|w| w[0] < w[1]), "read from the clock on every attempt: {secs:?}");
}

#[tokio::test]
async fn a_refused_timestamp_is_resent_with_a_fresh_one_even_for_an_add() {
    let (emu, _) = start().await;
    // The first reading is 400 s ahead of the emulator (refused, 12101), the next ones right.
    let ads = builder(&emu, &ManualClock::new(T0)).clock(Script::new([T0 + 400, T0])).build().unwrap();
    let report = ads.watermarks().add(A, ["123"], [WarningText::LOAN_RISK]).await.unwrap();
    assert_eq!(report.processing().count(), 1);
    assert_eq!(timestamps(&emu, ADD), ["1700000400", "1700000000"]);
    assert!(distinct(&nonces(&emu, ADD)));
    assert_eq!(emu.stats().endpoint(ADD).errors.get(&12101), Some(&1));
}

#[tokio::test]
async fn a_refused_nonce_is_resent_once_even_for_an_add() {
    let (emu, clock) = with_faults(FaultPlan::seeded(1).script(ADD, [Fault::Code(12100)])).await;
    let ads = client(&emu, &clock);
    let report = ads.watermarks().add(A, ["123", "456"], [WarningText::LOAN_RISK]).await.unwrap();
    assert_eq!(report.processing().count(), 2);
    assert_eq!(requests(&emu, ADD), 2);
    assert!(distinct(&nonces(&emu, ADD)));
    // Twice refused: given up after the one resend.
    let (emu, clock) = with_faults(FaultPlan::seeded(1).script(ADD, [Fault::Code(12100), Fault::Code(12100)])).await;
    let e = client(&emu, &clock).watermarks().add(A, ["123"], [WarningText::LOAN_RISK]).await.unwrap_err();
    assert_eq!((e.code(), e.attempts()), (Some(12100), 2));
    assert_eq!(requests(&emu, ADD), 2);
}

#[tokio::test]
async fn a_timestamp_refused_twice_is_a_clock_skew_error_that_says_so() {
    let (emu, _) = start().await;
    let skewed = ManualClock::new(T0 + 400);
    let ads = builder(&emu, &skewed).build().unwrap();
    let e = ads.watermarks().add(A, ["123"], [WarningText::LOAN_RISK]).await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.attempts()), (ErrorKind::Auth, Some(12101), 2));
    assert!(ErrorCode::from(12101).is_clock_skew());
    assert!(e.message().contains("clock skew") && e.message().contains("1700000400"), "{e}");
    assert!(e.request_id().is_some(), "the trace id is kept: {e:?}");
    assert_eq!(requests(&emu, ADD), 2, "one resend, then the error");
    assert_eq!(timestamps(&emu, ADD), ["1700000400", "1700000400"]);
}

#[tokio::test]
async fn input_breaking_a_rule_is_refused_before_any_request() {
    let (emu, clock) = start().await;
    let ads = client(&emu, &clock);
    let w = ads.watermarks();
    let none: [&str; 0] = [];
    let eleven: Vec<String> = (0..11).map(|i| format!("text {i}")).collect();
    let cases = [
        (w.add(A, ["12/3"], [WarningText::LOAN_RISK]).await.unwrap_err(), "materials[0].material_id"),
        (w.add(A, ["1", "2", "3\n4"], [WarningText::LOAN_RISK]).await.unwrap_err(), "materials[2].material_id"),
        (w.add(A, none, [WarningText::LOAN_RISK]).await.unwrap_err(), "materials"),
        (w.add(A, ["1"], ["ok", "<b>bold</b>"]).await.unwrap_err(), "watermark_configs[1].text_content"),
        (w.add(A, ["1"], eleven.clone()).await.unwrap_err(), "watermark_configs"),
        (w.add(A, ["1"], none).await.unwrap_err(), "watermark_configs"),
        (w.add(0, ["1"], ["t"]).await.unwrap_err(), "account_id"),
        (w.organization(10_000_000_000).add(A, ["1"], ["t"]).await.unwrap_err(), "organization_id"),
        (w.add_and_wait(A, ["1'"], ["t"], Default::default()).await.unwrap_err(), "materials[0].material_id"),
        (w.wait(A, ["401", "4&02"], Default::default()).await.unwrap_err(), "record_ids[1]"),
        (futures_util::TryStreamExt::try_next(&mut w.get(A, ["40\\1"])).await.unwrap_err(), "record_ids[0]"),
        (
            ads.material_tasks().add(A, MaterialType::Image, ["1"], ["a\"b"]).await.unwrap_err(),
            "task_specs.watermark_spec.text[0]",
        ),
        (ads.material_tasks().add(A, MaterialType::Image, ids(101), ["t"]).await.unwrap_err(), "material_detail"),
        (
            ads.get::<serde_json::Value>(A, "watermarks/get", &serde_json::json!({"fields": ["a>b"]}))
                .await
                .unwrap_err(),
            "params.fields[0]",
        ),
        (
            ads.post::<serde_json::Value>(A, "x/add", &serde_json::json!({"name": "a\tb"}), Idempotency::NotIdempotent)
                .await
                .unwrap_err(),
            "body.name",
        ),
        (ads.oauth().exchange_code("code", "https://example.com:8443/cb").await.unwrap_err(), "redirect_uri"),
    ];
    for (e, field) in cases {
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some(field)), "{e}");
        assert!(e.request_not_sent());
    }
    assert_eq!(emu.stats().total_requests(), 0, "nothing reached the emulator");
    // `/` is allowed in texts, which the prescribed ones contain.
    assert!(w.add(A, ["123"], [WarningText::LOAN_LIMIT_AND_TIMING]).await.is_ok());
}

#[tokio::test]
async fn more_than_100_materials_are_split_and_merged_in_input_order() {
    let (emu, clock) = start().await;
    let ads = client(&emu, &clock);
    let mut input = ids(250);
    input.insert(10, "nope".into());
    input.push("m3".into());
    let report = ads.watermarks().add(A, &input, [WarningText::LOAN_RISK]).await.unwrap();
    assert_eq!((report.len(), report.add_requests(), requests(&emu, ADD)), (251, 3, 3));
    let order: Vec<&str> = report.items().iter().map(|i| i.id.as_str()).collect();
    assert_eq!(order, input[..251].iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!((report.processing().count(), report.refused().count()), (250, 1));
    assert_eq!(report.duplicates().len(), 1);
    assert_eq!((report.duplicates()[0].index, report.duplicates()[0].first_index), (251, 3));
}

#[tokio::test]
async fn the_user_token_is_sent_when_configured() {
    let (url, seen) =
        capture(r#"{"code":0,"message":"","data":{"list":[],"page_info":{"page":1,"total_page":1}}}"#).await;
    let ads = Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(SECRET)
        .private_token(PRIVATE)
        .user_token("real-name-user-token-77")
        .endpoint(&url)
        .http_client(http())
        .build()
        .unwrap();
    ads.watermarks().page(&tencent_ads::WatermarksGetRequest::new(A)).await.unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0].param("user_token"), Some("real-name-user-token-77"));
    assert_eq!(seen[0].param("access_token"), Some(PRIVATE));
}

#[tokio::test]
async fn busy_answers_and_server_errors_are_retried_for_reads() {
    let steps: [Step; 5] = [
        Fault::Busy.into(),
        Fault::Code(60000).into(),
        Fault::Code(12700).into(),
        Fault::Http(502).into(),
        Fault::Drop.into(),
    ];
    let (emu, clock) = with_faults(FaultPlan::seeded(1).script(GET, steps)).await;
    let ads = builder(&emu, &clock).retry(fast_retry().with_max_attempts(6)).build().unwrap();
    let page = ads.watermarks().page(&tencent_ads::WatermarksGetRequest::new(A)).await.unwrap();
    assert_eq!((page.meta.attempts, requests(&emu, GET)), (6, 6));
}

#[tokio::test]
async fn task_creates_are_not_sent_again_after_a_failure_that_may_have_applied_them() {
    for fault in [Fault::AppliedDrop, Fault::AppliedHttp(503), Fault::Busy, Fault::Http(502), Fault::Drop] {
        let (emu, clock) = with_faults(FaultPlan::seeded(1).script(TASK_ADD, [fault.clone()])).await;
        let e = client(&emu, &clock).material_tasks().add(A, MaterialType::Video, ["789"], ["t"]).await.unwrap_err();
        assert_eq!((e.attempts(), requests(&emu, TASK_ADD)), (1, 1), "{fault:?}");
        assert!(!e.request_not_sent(), "{fault:?}");
    }
}

#[tokio::test]
async fn a_warning_text_add_whose_reply_was_lost_is_repeated_and_the_dedup_reconciles_it() {
    for fault in [Fault::AppliedDrop, Fault::AppliedHttp(503)] {
        let (emu, clock) = with_faults(FaultPlan::seeded(1).script(ADD, [fault.clone()])).await;
        let ads = client(&emu, &clock);
        let report = ads.watermarks().add(A, ["123", "456"], [WarningText::LOAN_RISK]).await.unwrap();
        assert_eq!(requests(&emu, ADD), 2, "{fault:?}");
        assert!(report.items().iter().all(|i| i.is_ok() && i.reconciled), "{fault:?}: {report:?}");
    }
    // A failure that proves nothing was applied is not a reconciliation.
    let (emu, clock) = with_faults(FaultPlan::seeded(1).script(ADD, [Fault::Busy])).await;
    let report = client(&emu, &clock).watermarks().add(A, ["123"], [WarningText::LOAN_RISK]).await.unwrap();
    assert!(report.items().iter().all(|i| i.is_ok() && !i.reconciled), "{report:?}");
}

#[tokio::test]
async fn creates_are_retried_when_refused_before_processing() {
    // A module frequency limit refuses before processing: retried.
    let (emu, clock) = with_faults(FaultPlan::seeded(1).script(ADD, [Fault::Code(50018)])).await;
    let report = client(&emu, &clock).watermarks().add(A, ["123"], [WarningText::LOAN_RISK]).await.unwrap();
    assert_eq!((report.processing().count(), requests(&emu, ADD)), (1, 2));
    // A refused connection proves nothing was sent: retried on the backup host.
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", l.local_addr().unwrap())
    };
    let (emu, clock) = start().await;
    let ads = builder(&emu, &clock).endpoint(&refused).backup_endpoint(emu.base_url()).build().unwrap();
    let report = ads.watermarks().add(A, ["123"], [WarningText::LOAN_RISK]).await.unwrap();
    assert_eq!((report.processing().count(), requests(&emu, ADD)), (1, 1));
}

#[tokio::test]
async fn permanent_answers_are_not_retried() {
    let codes = [18001, 12203, 64018, 11018, 99999];
    let (emu, clock) = with_faults(FaultPlan::seeded(1).script(GET, codes.map(Fault::Code))).await;
    let ads = client(&emu, &clock);
    for code in codes {
        let e = ads.watermarks().page(&tencent_ads::WatermarksGetRequest::new(A)).await.unwrap_err();
        assert_eq!((e.code(), e.attempts()), (Some(code), 1), "{e}");
        assert!(!e.is_retryable());
    }
    assert_eq!(requests(&emu, GET), codes.len() as u64);
}

#[tokio::test]
async fn host_overrides_route_one_endpoint_elsewhere() {
    let (emu, clock) = start().await;
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", l.local_addr().unwrap())
    };
    let ads = builder(&emu, &clock)
        .endpoint(&refused)
        .host("watermarks/get", emu.base_url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(ads.host("watermarks/get").as_str(), format!("{}/", emu.base_url().trim_end_matches('/')));
    assert!(ads.watermarks().page(&tencent_ads::WatermarksGetRequest::new(A)).await.is_ok());
    let e = ads.watermarks().add(A, ["123"], [WarningText::LOAN_RISK]).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert_eq!((requests(&emu, GET), requests(&emu, ADD)), (1, 0));
}

#[tokio::test]
async fn any_endpoint_through_the_generic_calls() {
    let (emu, clock) = start().await;
    let ads = client(&emu, &clock);
    let added: tencent_ads::Response<serde_json::Value> = ads
        .post(
            A,
            "watermarks/add",
            &serde_json::json!({"source_type": "MATERIAL_SOURCE_TYPE_ID", "material_type": "IMAGE",
                "materials": [{"material_id": "123"}], "watermark_configs": [{"text_content": "贷款有风险，借款需谨慎"}]}),
            Idempotency::NotIdempotent,
        )
        .await
        .unwrap();
    assert_eq!(added.data["total_count"], 1);
    assert!(added.meta.trace_id.is_some() && added.meta.quota_left.is_some());
    let got: tencent_ads::Response<serde_json::Value> = ads
        .get(A, "watermarks/get", &serde_json::json!({"page": 1, "page_size": 10, "fields": ["record_id", "status"]}))
        .await
        .unwrap();
    assert_eq!(got.data["list"].as_array().unwrap().len(), 1);
    assert_eq!(got.data["list"][0].as_object().unwrap().len(), 2, "fields went as a JSON array");
    let e = ads.get::<serde_json::Value>(A, "nothing/here", &serde_json::json!({})).await.unwrap_err();
    assert_eq!(e.code(), Some(12007));
}
