//! The batch engine with a platform that is not TIM: "widgets", painted in chunks of 3,
//! with codes of their own, over real HTTP.

use super::*;
use crate::ErrorKind;
use crate::pipeline::{AttemptRequest, RawResponse};
use crate::rate_limit::RateKey;
use crate::retry::{Jitter, RetryPolicy};
use async_trait::async_trait;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[allow(dead_code)] // the example platform does not use every generated method
mod codes {
    use crate::retry::Verdict;

    crate::open_code_enum! {
        /// Widget codes.
        pub enum KnownWidgetCode;
        /// Any widget code.
        pub enum WidgetCode;
        classify = |code| match code {
            9 => Verdict::Retry { after: None },
            _ => Verdict::Permanent,
        };
        {
            /// 7: no such widget.
            NoSuchWidget = 7, "no such widget";
            /// 9: the paint shop is busy.
            Busy = 9, "busy";
        }
    }
}
use codes::*;

#[derive(Default)]
struct Shop {
    /// The ids of every request, in arrival order.
    requests: Mutex<Vec<Vec<String>>>,
    busy_seen: Mutex<HashSet<String>>,
}

/// `{"ids": [...]}` → one result per id: `missing-*` 7, `busy-*` 9 the first time,
/// `drop-*` left out of the answer, `down` fails the whole request; others painted.
async fn paint(State(shop): State<Arc<Shop>>, Json(body): Json<Value>) -> Json<Value> {
    let ids: Vec<String> = serde_json::from_value(body["ids"].clone()).unwrap();
    shop.requests.lock().unwrap().push(ids.clone());
    if ids.iter().any(|id| id == "down") {
        return Json(json!({"code": 500, "message": "shop closed"}));
    }
    let mut results = Vec::new();
    for id in ids {
        let code = if id.starts_with("missing-") {
            7
        } else if id.starts_with("busy-") && shop.busy_seen.lock().unwrap().insert(id.clone()) {
            9
        } else if id.starts_with("drop-") {
            continue;
        } else {
            0
        };
        results.push(json!({"id": id, "code": code, "message": if code == 0 { "" } else { "nope" }, "size": id.len()}));
    }
    Json(json!({"code": 0, "data": {"results": results}}))
}

#[derive(Debug)]
struct Widgets;

#[derive(Deserialize)]
struct Envelope {
    code: i64,
    #[serde(default)]
    message: String,
    data: Option<Value>,
}

#[async_trait]
impl Protocol for Widgets {
    type Credential = ();

    fn platform(&self) -> &'static str {
        "widget"
    }

    fn rate_key(&self, call: &Call) -> RateKey {
        RateKey::new("widget", "shop", call.endpoint())
    }

    async fn authorize(&self, _call: &Call, _request: &mut AttemptRequest) -> Result<(), Error> {
        Ok(())
    }

    async fn invalidate(&self, _call: &Call, _credential: ()) {}

    fn decode<T: DeserializeOwned>(&self, _call: &Call, response: &RawResponse) -> Result<T, Error> {
        let env: Envelope = serde_json::from_slice(&response.body).map_err(|e| Error::decode(e, &response.body))?;
        if env.code != 0 {
            return Err(Error::api(ErrorKind::Api, env.code, &env.message));
        }
        serde_json::from_value(env.data.unwrap_or_default()).map_err(|e| Error::decode(e, &response.body))
    }

    fn classify(&self, _call: &Call, error: &Error) -> Verdict {
        error.code().map_or(Verdict::Permanent, |c| WidgetCode::from(c).verdict())
    }
}

struct PaintOp;

#[derive(Deserialize)]
struct PaintReply {
    results: Vec<PaintResult>,
}

#[derive(Deserialize)]
struct PaintResult {
    id: String,
    code: i64,
    message: String,
    size: usize,
}

impl BatchOp for PaintOp {
    type Item = String;
    type Value = usize;
    type Reply = PaintReply;
    type Code = WidgetCode;
    const MAX_CHUNK: usize = 3;

    fn id(item: &String) -> &str {
        item
    }

    fn call(&self, chunk: &[&String]) -> Result<Call, Error> {
        Call::post_json("widgets/paint", &json!({ "ids": chunk }))
    }

    fn results(&self, _chunk: &[&Self::Item], reply: PaintReply) -> Vec<WireResult<usize>> {
        reply
            .results
            .into_iter()
            .map(|r| WireResult { id: r.id, code: r.code, message: r.message, value: r.size })
            .collect()
    }
}

fn shop() -> (Pipeline<Widgets>, Arc<Shop>) {
    let shop = Arc::new(Shop::default());
    let app = axum::Router::new().route("/api/widgets/paint", axum::routing::post(paint)).with_state(Arc::clone(&shop));
    let url = crate::testing::serve(app);
    let policy = RetryPolicy::default()
        .with_jitter(Jitter::None)
        .with_backoff(Duration::from_millis(5), Duration::from_millis(20))
        .with_max_attempts(2);
    (Pipeline::builder(Widgets).base_url(url).retry(policy).build().unwrap(), shop)
}

fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn every_input_id_appears_once_in_input_order_with_its_own_code() {
    let (pipeline, shop) = shop();
    let items = strings(&["a", "missing-1", "busy-1", "a", "drop-1", "bb", "busy-2", "ccc", "missing-1"]);
    let report = run(&pipeline, 2, &PaintOp, &items).await.unwrap();

    let ids: Vec<(&str, usize)> = report.items().iter().map(|i| (i.id.as_str(), i.index)).collect();
    assert_eq!(ids, [("a", 0), ("missing-1", 1), ("busy-1", 2), ("drop-1", 4), ("bb", 5), ("busy-2", 6), ("ccc", 7)]);
    let dups: Vec<(&str, usize, usize)> =
        report.duplicates().iter().map(|d| (d.id.as_str(), d.index, d.first_index)).collect();
    assert_eq!(dups, [("a", 3, 0), ("missing-1", 8, 1)]);

    assert_eq!(report.get("a").unwrap().value(), Some(&1));
    assert_eq!(report.get("ccc").unwrap().value(), Some(&3));
    let missing = report.get("missing-1").unwrap().error().unwrap();
    assert_eq!(missing.code(), Some(WidgetCode::Known(KnownWidgetCode::NoSuchWidget)));
    assert!(!missing.is_request_failure() && !missing.is_retryable());
    assert_eq!(missing.to_string(), "7 (no such widget): nope");
    // A retryable item code is re-sent, alone, and succeeds.
    assert_eq!(report.get("busy-1").unwrap().value(), Some(&6));
    assert_eq!(report.get("busy-2").unwrap().value(), Some(&6));
    assert_eq!(report.get("drop-1").unwrap().error().unwrap().kind(), ErrorKind::Decode);

    let requests = shop.requests.lock().unwrap().clone();
    assert!(requests.iter().all(|r| r.len() <= 3), "{requests:?}");
    // Three chunks of the seven distinct ids, plus one re-send per chunk holding a busy id.
    assert_eq!(requests.len(), 5, "{requests:?}");
    assert_eq!(report.requests(), 5);
    let json = serde_json::to_value(report.get("missing-1").unwrap()).unwrap();
    assert_eq!(json["error"]["code"], 7);
}

#[tokio::test]
async fn a_failed_chunk_fails_its_items_and_only_a_total_failure_is_an_error() {
    let (pipeline, _) = shop();
    let items = strings(&["a", "b", "c", "down", "d"]);
    let report = run(&pipeline, 4, &PaintOp, &items).await.unwrap();
    assert!(report.get("a").unwrap().is_ok());
    for id in ["down", "d"] {
        let e = report.get(id).unwrap().error().unwrap();
        assert!(e.is_request_failure(), "{e}");
        assert_eq!(e.code().map(WidgetCode::code), Some(500));
    }
    let e = run(&pipeline, 4, &PaintOp, &strings(&["down"])).await.unwrap_err();
    assert_eq!(e.code(), Some(500));
}

#[test]
fn dedupe_keeps_first_positions_and_reports_repeats() {
    let items = ["a", "b", "a", "c", "b", "a"];
    let (unique, dups) = dedupe(&items, |s| s);
    assert_eq!(unique, [0, 1, 3]);
    let d: Vec<(&str, usize, usize)> = dups.iter().map(|d| (d.id.as_str(), d.index, d.first_index)).collect();
    assert_eq!(d, [("a", 2, 0), ("b", 4, 1), ("a", 5, 0)]);
}

#[test]
fn answers_are_found_by_id_once() {
    let results: Vec<WireResult<usize>> =
        (0..40).map(|i| WireResult { id: format!("u{i}"), code: 0, message: String::new(), value: i }).collect();
    let mut a = Answers::new(results);
    assert_eq!(a.take("u2").map(|r| r.value), Some(2));
    assert!(a.take("u2").is_none(), "taken once");
    assert!(a.take("nobody").is_none());
}
