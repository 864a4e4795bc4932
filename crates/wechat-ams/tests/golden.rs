//! Golden tests: what goes onto the wire is the literal examples of seed 000 and the
//! reference (captured by a loopback server), and their answers, corrupted as published or
//! in the reference's tolerated shapes, decode as they should. Then seed 000 against the
//! emulator.

mod common;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, Uri};
use common::*;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tx_core::ErrorKind;
use wechat_ams::wire::BlackListEntry;
use wechat_ams::{AmsCategory, BlackListType, CategorySet, Client};

/// Seed 000's request sample, with its corrupted value and trailing space repaired.
const SEED_000_REQUEST: &str = r#"{
    "ams_category": "CHESS|ADULT_SUPPLIES|MEDICAL_HEALTH|INSURANCE|SECURITES|LOAN|LIVING_SERVICES_BEAUTY|LIVING_SERVICES_ENTERTAINMENT|LIVING_SERVICES_OTHERS|FOOD_INDUSTRY|RETAIL_AND_GENERAL_MERCHANDISE|FOOD_AND_DRINK|TECHNICAL_SERVICE"
}"#;

/// Seed 000's response sample as published: not JSON.
const SEED_000_RESPONSE: &str =
    "{\n    \"ret\": 0,\n    初始值_msg\": \"\", // Returns only when an interface call fails\n} ";

#[derive(Debug, Clone)]
struct Captured {
    path: String,
    query: Vec<(String, String)>,
    body: String,
}

#[derive(Clone, Default)]
struct Capture {
    seen: Arc<Mutex<Vec<Captured>>>,
    /// Answers to AMS actions, in order; `{"ret":0}` when none is left.
    answers: Arc<Mutex<VecDeque<&'static str>>>,
}

async fn record(State(c): State<Capture>, method: Method, uri: Uri, body: Bytes) -> String {
    assert_eq!(method, Method::POST);
    let query = url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()).into_owned().collect();
    let path = uri.path().to_owned();
    c.seen.lock().unwrap().push(Captured {
        path: path.clone(),
        query,
        body: String::from_utf8(body.to_vec()).unwrap(),
    });
    match path.as_str() {
        "/cgi-bin/component/api_component_token" => r#"{"component_access_token":"cap-component","expires_in":7200}"#.into(),
        "/cgi-bin/component/api_authorizer_token" => {
            r#"{"authorizer_access_token":"cap-authorizer","expires_in":7200,"authorizer_refresh_token":"refresh@@@cap"}"#.into()
        }
        _ => c.answers.lock().unwrap().pop_front().unwrap_or(r#"{"ret":0}"#).to_owned(),
    }
}

async fn capture() -> (Client, Capture) {
    let c = Capture::default();
    let app = Router::new().fallback(record).with_state(c.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let wechat = Client::builder()
        .component_appid(COMPONENT)
        .component_secret(SECRET)
        .component_verify_ticket(TICKET)
        .endpoint(base)
        .retry(tx_core::RetryPolicy::none())
        .http_client(http())
        .build()
        .unwrap();
    wechat.tokens().put_refresh_token(&appid(0), refresh(0)).await.unwrap();
    (wechat, c)
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap()
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[tokio::test]
async fn what_we_send_is_the_seed_and_the_reference() {
    let (wechat, c) = capture().await;
    let mp = wechat.ams(appid(0));
    mp.category_blacklist().set(&CategorySet::all()).await.unwrap();
    mp.black_list().block(vec![BlackListEntry::new(BlackListType::OfficialAccount, "gh_x")]).await.unwrap();
    mp.publisher().can_open().await.unwrap();
    let seen = c.seen.lock().unwrap().clone();
    let paths: Vec<_> = seen.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/cgi-bin/component/api_component_token",
            "/cgi-bin/component/api_authorizer_token",
            "/wxa/operationams",
            "/wxa/operationams",
            "/wxa/operationams"
        ]
    );
    // The token calls: the component token with the secret and the ticket; the authorizer
    // token with the refresh token, the component token in the query.
    assert!(seen[0].query.is_empty());
    assert_eq!(
        json(&seen[0].body),
        serde_json::json!({"component_appid": COMPONENT, "component_appsecret": SECRET, "component_verify_ticket": TICKET})
    );
    assert_eq!(seen[1].query, pairs(&[("component_access_token", "cap-component")]));
    assert_eq!(
        json(&seen[1].body),
        serde_json::json!({"component_appid": COMPONENT, "authorizer_appid": appid(0), "authorizer_refresh_token": refresh(0)})
    );
    // Seed 000, byte for byte as JSON, with the action and the authorizer's token.
    assert_eq!(
        seen[2].query,
        pairs(&[("action", "agency_set_mp_amscategory_blacklist"), ("access_token", "cap-authorizer")])
    );
    assert_eq!(json(&seen[2].body), json(SEED_000_REQUEST));
    assert!(!seen[2].body.contains(' '), "no spaces: {}", seen[2].body);
    // The reference's black-list example: a JSON array serialized into a string.
    assert_eq!(seen[3].body, r#"{"op":1,"list":"[{\"type\":1,\"id\":\"gh_x\"}]"}"#);
    // An action without fields sends {}.
    assert_eq!((seen[4].query[0].1.as_str(), seen[4].body.as_str()), ("agency_check_can_open_publisher", "{}"));
    // The rotated refresh token the answer carried is stored.
    assert_eq!(wechat.tokens().refresh_token(&appid(0)).await.unwrap().unwrap().value.expose(), "refresh@@@cap");
}

#[tokio::test]
async fn answers_decode_as_published_and_in_every_tolerated_shape() {
    let (wechat, c) = capture().await;
    c.answers.lock().unwrap().extend([
        SEED_000_RESPONSE,
        r#"{"ret":0,"err_msg":""}"#,
        r#"{}"#,
        r#"{"ret":0,"err_msg":true,"ams_category":"CHESS|LOAN "}"#,
        r#"{"base_resp":{"ret":2035,"err_msg":"over the limit"}}"#,
        r#"{"errcode":0,"errmsg":"ok","ret":"1807","err_msg":"invalid publisher"}"#,
        r#"{"errcode":48001,"errmsg":"api unauthorized rid: 6541a2b3-05c1d2e3-7f6a5b4c"}"#,
    ]);
    let categories = wechat.ams(appid(0)).category_blacklist();
    let set = CategorySet::from_iter([AmsCategory::Chess]);
    let e = categories.set(&set).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "the seed's response is not JSON: {e}");
    assert!(e.body_snippet().unwrap().contains("初始值_msg"));
    categories.set(&set).await.unwrap();
    categories.set(&set).await.unwrap(); // ret and err_msg absent on success
    assert_eq!(categories.get().await.unwrap().to_string(), "CHESS|LOAN", "err_msg a boolean, a trailing space");
    assert_eq!(categories.set(&set).await.unwrap_err().code(), Some(2035), "base_resp merged");
    assert_eq!(categories.set(&set).await.unwrap_err().code(), Some(1807), "errcode 0 is not enough");
    let e = categories.set(&set).await.unwrap_err();
    assert_eq!((e.code(), e.request_id()), (Some(48001), Some("6541a2b3-05c1d2e3-7f6a5b4c")));
}

#[tokio::test]
async fn seed_000_against_the_emulator() {
    let (emu, clock) = start(1).await;
    let wechat = client(&emu, &clock, 1).await;
    let categories = wechat.ams(appid(0)).category_blacklist();
    let published: serde_json::Value = json(SEED_000_REQUEST);
    let sample: CategorySet = published["ams_category"].as_str().unwrap().parse().unwrap();
    assert_eq!(sample, CategorySet::all());
    categories.set(&sample).await.unwrap();
    let back = categories.get().await.unwrap();
    assert_eq!(back.to_string(), published["ams_category"], "the documented order, SECURITES sic");

    // The sample as published (a corrupted value, a trailing space) is refused before I/O.
    let corrupted: CategorySet = "CHESS|FOOD_AND_初始值|TECHNICAL_SERVICE ".parse().unwrap();
    let before = emu.stats().total_requests();
    let e = categories.set(&corrupted).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("ams_category")));
    assert!(e.to_string().contains("FOOD_AND_初始值"));
    assert_eq!(emu.stats().total_requests(), before);
}
