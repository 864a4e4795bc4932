//! WeChat third-party platform: tickets, the authorization flow, token quotas and
//! rotation, and encrypted pushes to a loopback receiver.

mod common;

use common::{Http, T0, keys};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tx_emulator::wechat_crypto::{aes_key, decrypt, signature};
use tx_emulator::{Emulator, EmulatorBuilder, ManualClock, Seed, WechatAuthorizer, WechatComponent};

const TOKEN: &str = "spamtest";
const AES: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

fn component() -> WechatComponent {
    WechatComponent::new("wxcomponent", "secret", "ticket@@@seed").message_keys(TOKEN, AES)
}

fn builder(clock: &ManualClock) -> EmulatorBuilder {
    Emulator::builder()
        .clock(Arc::new(clock.clone()))
        .wechat_component(component())
        .wechat_authorizer(WechatAuthorizer::new("wxmini").component("wxcomponent").refresh_token("refresh@@@1"))
}

async fn setup_with(seed: &str) -> (Emulator, Http, ManualClock) {
    let clock = ManualClock::new(T0);
    let emu = builder(&clock).seed(Seed::from_toml(seed).unwrap()).start().await.unwrap();
    let http = Http::new(&emu);
    (emu, http, clock)
}

async fn component_token(http: &Http, ticket: &str) -> Value {
    let body =
        json!({"component_appid": "wxcomponent", "component_appsecret": "secret", "component_verify_ticket": ticket});
    http.post("/cgi-bin/component/api_component_token", &body.to_string()).await.json
}

async fn fresh_component_token(http: &Http) -> String {
    component_token(http, "ticket@@@seed").await["component_access_token"].as_str().unwrap().to_owned()
}

async fn event(http: &Http, body: Value) -> Value {
    let r = http.post("/_emulator/wechat/event", &body.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json
}

async fn refresh(http: &Http, ctoken: &str, refresh: &str) -> Value {
    let body =
        json!({"component_appid": "wxcomponent", "authorizer_appid": "wxmini", "authorizer_refresh_token": refresh});
    http.post(&format!("/cgi-bin/component/api_authorizer_token?component_access_token={ctoken}"), &body.to_string())
        .await
        .json
}

fn code(v: &Value) -> i64 {
    v.get("errcode").or_else(|| v.get("ret")).and_then(Value::as_i64).unwrap_or(0)
}

#[test]
fn the_published_test_vector_decrypts_with_the_public_helpers() {
    let encrypted = "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";
    let (msg, appid) = decrypt(&aes_key(AES).unwrap(), encrypted).unwrap();
    assert_eq!(appid, "wx2c2769f8efd9abc2");
    assert!(msg.contains("<ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>"), "{msg}");
    assert_eq!(signature(&[TOKEN, "1409735669", "1320562132", encrypted]), "5d197aaffba7e9b25a30732f161a50dee96bd5fa");
}

#[tokio::test]
async fn tickets_rotate_the_latest_always_works_a_replaced_one_for_12_hours() {
    let (_emu, http, clock) = setup_with("").await;
    let first = event(&http, json!({"info_type": "component_verify_ticket"})).await;
    let t1 = first["ticket"].as_str().unwrap().to_owned();
    assert_ne!(t1, "ticket@@@seed");
    let latest = http.get("/_emulator/wechat/ticket?component_appid=wxcomponent").await.json;
    assert_eq!(latest["component_verify_ticket"], t1.as_str());
    assert_eq!(code(&component_token(&http, &t1).await), 0);
    assert_eq!(code(&component_token(&http, "ticket@@@seed").await), 0, "the replaced ticket still works");
    clock.advance(3600);
    let t2 = event(&http, json!({"info_type": "component_verify_ticket"})).await["ticket"].as_str().unwrap().to_owned();
    clock.advance(43_200 - 3600);
    assert_eq!(code(&component_token(&http, "ticket@@@seed").await), 61005, "12 h after it was replaced");
    assert_eq!(code(&component_token(&http, &t1).await), 0, "t1 was replaced an hour later");
    assert_eq!(code(&component_token(&http, &t2).await), 0);
    clock.advance(10 * 86_400);
    assert_eq!(code(&component_token(&http, &t2).await), 0, "the latest always works");
    assert_eq!(code(&component_token(&http, "ticket@@@made-up").await), 61006);
}

#[tokio::test]
async fn authorized_pushes_carry_single_use_codes_for_query_auth() {
    let (emu, http, clock) = setup_with("").await;
    let ctoken = fresh_component_token(&http).await;
    let pre = http
        .post(
            &format!("/cgi-bin/component/api_create_preauthcode?component_access_token={ctoken}"),
            r#"{"component_appid":"wxcomponent"}"#,
        )
        .await
        .json;
    assert_eq!(keys(&pre), ["expires_in", "pre_auth_code"]);
    assert_eq!(pre["expires_in"], 1800);

    let ev = event(&http, json!({"info_type": "authorized", "authorizer_appid": "wxfresh"})).await;
    let code_value = ev["authorization_code"].as_str().unwrap().to_owned();
    assert_eq!(ev["authorization_code_expired_time"], T0 + 3600);
    assert!(
        ev["xml"]
            .as_str()
            .unwrap()
            .contains(&format!("<AuthorizationCode><![CDATA[{code_value}]]></AuthorizationCode>"))
    );
    let query_auth = |c: &str| {
        let http = Http { client: http.client.clone(), base: http.base.clone() };
        let path = format!("/cgi-bin/component/api_query_auth?component_access_token={ctoken}");
        let body = json!({"component_appid": "wxcomponent", "authorization_code": c}).to_string();
        async move { http.post(&path, &body).await.json }
    };
    let info = query_auth(&code_value).await;
    let auth = &info["authorization_info"];
    assert_eq!(
        keys(auth),
        ["authorizer_access_token", "authorizer_appid", "authorizer_refresh_token", "expires_in", "func_info"]
    );
    assert_eq!((auth["authorizer_appid"].as_str(), auth["expires_in"].as_u64()), (Some("wxfresh"), Some(7200)));
    let atoken = auth["authorizer_access_token"].as_str().unwrap();
    let r = http.post(&format!("/wxa/operationams?action=agency_get_black_list&access_token={atoken}"), "{}").await;
    assert_eq!(code(&r.json), 0, "the new authorizer's token works: {}", r.text);
    assert_eq!(code(&query_auth(&code_value).await), 61009, "codes are single use");
    assert_eq!(emu.stats().token_fetches("authorizer_access_token", "wxfresh"), 1, "exactly one fetch");

    let late = event(&http, json!({"info_type": "updateauthorized", "authorizer_appid": "wxfresh"})).await;
    clock.advance(3600);
    let ctoken2 = fresh_component_token(&http).await;
    let expired = http
        .post(
            &format!("/cgi-bin/component/api_query_auth?component_access_token={ctoken2}"),
            &json!({"component_appid": "wxcomponent", "authorization_code": late["authorization_code"]}).to_string(),
        )
        .await
        .json;
    assert_eq!(code(&expired), 61010);
    assert_eq!(code(&query_auth("made-up").await), 61009, "an unknown code");
}

#[tokio::test]
async fn refresh_tokens_rotate_when_configured_and_the_old_one_lasts_5_minutes() {
    let (_emu, http, clock) =
        setup_with("[settings]\nwechat_rotate_refresh_token = true\nwechat_token_lifetime_secs = 86400\n").await;
    let ctoken = fresh_component_token(&http).await;
    let first = refresh(&http, &ctoken, "refresh@@@1").await;
    let r2 = first["authorizer_refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r2, "refresh@@@1", "rotated");
    clock.advance(299);
    let again = refresh(&http, &ctoken, "refresh@@@1").await;
    assert_eq!(code(&again), 0, "the replaced refresh token works for 5 minutes");
    let r3 = again["authorizer_refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r3, r2, "every refresh rotates");
    clock.advance(1);
    assert_eq!(code(&refresh(&http, &ctoken, "refresh@@@1").await), 61023);
    assert_eq!(code(&refresh(&http, &ctoken, &r2).await), 0, "r2 was replaced 1 s ago");
    assert_eq!(code(&refresh(&http, &ctoken, "refresh@@@made-up").await), 61023);
}

#[tokio::test]
async fn without_rotation_the_refresh_token_stays_and_old_access_tokens_die_after_the_overlap() {
    let (emu, http, clock) = setup_with("").await;
    let ctoken = fresh_component_token(&http).await;
    let a1 = refresh(&http, &ctoken, "refresh@@@1").await;
    assert_eq!(a1["authorizer_refresh_token"], "refresh@@@1");
    let t1 = a1["authorizer_access_token"].as_str().unwrap().to_owned();
    let t2 = refresh(&http, &ctoken, "refresh@@@1").await["authorizer_access_token"].as_str().unwrap().to_owned();
    let call = |t: String| {
        let http = Http { client: http.client.clone(), base: http.base.clone() };
        async move {
            code(
                &http
                    .post(&format!("/wxa/operationams?action=agency_get_black_list&access_token={t}"), "{}")
                    .await
                    .json,
            )
        }
    };
    assert_eq!(call(t1.clone()).await, 0);
    clock.advance(300);
    assert_eq!((call(t1).await, call(t2).await), (40001, 0));
    assert_eq!(emu.stats().token_fetches("authorizer_access_token", "wxmini"), 2);
    assert_eq!(emu.stats().token_fetches("component_access_token", "wxcomponent"), 1);
}

#[tokio::test]
async fn a_daily_quota_per_kind_and_appid_answers_45009() {
    let (emu, http, clock) = setup_with("[settings]\nwechat_token_daily_quota = 2\n").await;
    assert_eq!(code(&component_token(&http, "ticket@@@seed").await), 0);
    let ctoken = fresh_component_token(&http).await;
    let over = component_token(&http, "ticket@@@seed").await;
    assert_eq!(code(&over), 45009);
    assert!(over["errmsg"].as_str().unwrap().contains("rid: "));
    assert_eq!(code(&refresh(&http, &ctoken, "refresh@@@1").await), 0, "authorizer tokens count apart");
    assert_eq!(code(&refresh(&http, &ctoken, "refresh@@@1").await), 0);
    assert_eq!(code(&refresh(&http, &ctoken, "refresh@@@1").await), 45009);
    // T0 is 06:13 in Beijing; the next Beijing day begins 17 h 47 min later.
    clock.advance(17 * 3600 + 47 * 60);
    assert_eq!(code(&component_token(&http, "ticket@@@seed").await), 0, "a new day");
    let stats = emu.stats().endpoint("cgi-bin/component/api_component_token");
    assert_eq!((stats.errors.get(&45009).copied(), stats.throttled), (Some(1), 1));
}

#[tokio::test(start_paused = true)]
async fn a_per_minute_limit_per_component_answers_45011() {
    let (_emu, http, _) = setup_with("[settings]\nwechat_token_fetch_per_minute = 2\n").await;
    let ctoken = fresh_component_token(&http).await;
    assert_eq!(code(&refresh(&http, &ctoken, "refresh@@@1").await), 0);
    assert_eq!(code(&refresh(&http, &ctoken, "refresh@@@1").await), 45011, "component and authorizer fetches share it");
    assert_eq!(code(&component_token(&http, "ticket@@@seed").await), 45011);
    tokio::time::advance(Duration::from_secs(60)).await;
    assert_eq!(code(&refresh(&http, &ctoken, "refresh@@@1").await), 0);
}

#[tokio::test]
async fn the_authorizer_list_pages_and_an_unauthorized_event_revokes() {
    let clock = ManualClock::new(T0);
    let mut b = builder(&clock);
    for i in 1..=4 {
        b = b.wechat_authorizer(
            WechatAuthorizer::new(format!("wxa{i}")).component("wxcomponent").access_token(format!("tok{i}")),
        );
    }
    let emu = b.start().await.unwrap();
    let http = Http::new(&emu);
    let ctoken = fresh_component_token(&http).await;
    let list = |offset: i64, count: i64| {
        let http = Http { client: http.client.clone(), base: http.base.clone() };
        let path = format!("/cgi-bin/component/api_get_authorizer_list?component_access_token={ctoken}");
        let body = json!({"component_appid": "wxcomponent", "offset": offset, "count": count}).to_string();
        async move { http.post(&path, &body).await.json }
    };
    let page = list(0, 2).await;
    assert_eq!(page["total_count"], 5);
    assert_eq!(page["list"].as_array().unwrap().len(), 2);
    assert_eq!(keys(&page["list"][0]), ["auth_time", "authorizer_appid", "refresh_token"]);
    assert_eq!(page["list"][0]["auth_time"], T0);
    let rest = list(2, 500).await;
    assert_eq!(rest["list"].as_array().unwrap().len(), 3);
    let mini = rest["list"].as_array().unwrap().iter().find(|i| i["authorizer_appid"] == "wxmini").unwrap().clone();
    assert_eq!(mini["refresh_token"], "refresh@@@1", "a lost refresh token is recovered here");
    assert_eq!(code(&list(0, 0).await), 40097);
    assert_eq!(code(&list(0, 501).await), 40097);
    assert_eq!(code(&list(-1, 10).await), 40097);

    let ev = event(&http, json!({"info_type": "unauthorized", "authorizer_appid": "wxa1"})).await;
    assert!(ev["xml"].as_str().unwrap().contains("<InfoType><![CDATA[unauthorized]]></InfoType>"));
    let r = http.post("/wxa/operationams?action=agency_get_black_list&access_token=tok1", "{}").await;
    assert_eq!(code(&r.json), 40001, "its tokens died with the authorization");
    assert_eq!(list(0, 500).await["total_count"], 4);
    let bad =
        http.post("/_emulator/wechat/event", r#"{"info_type":"unauthorized","authorizer_appid":"wxnobody"}"#).await;
    assert_eq!(bad.status, 400);
    let bad = http.post("/_emulator/wechat/event", r#"{"info_type":"authorized"}"#).await;
    assert_eq!(bad.status, 400, "authorized needs an authorizer_appid");
    let bad = http.post("/_emulator/wechat/event", r#"{"info_type":"nonsense"}"#).await;
    assert_eq!(bad.status, 400);
}

/// A receiver on loopback that records what it is sent and answers `success`.
async fn receiver() -> (String, mpsc::UnboundedReceiver<(String, String)>) {
    use axum::routing::post;
    let (tx, rx) = mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/wechat/events",
        post(move |uri: axum::http::Uri, body: String| {
            let tx = tx.clone();
            async move {
                let _ = tx.send((uri.query().unwrap_or_default().to_owned(), body));
                "success"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/wechat/events?app=1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, rx)
}

/// Checks a received push and returns the decrypted message.
fn open(query: &str, body: &str) -> String {
    let q: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    assert_eq!(q["app"], "1", "the URL's own query is kept");
    assert_eq!(q["encrypt_type"], "aes");
    let encrypted = body.split("<Encrypt><![CDATA[").nth(1).unwrap().split("]]>").next().unwrap();
    assert!(body.starts_with("<xml><AppId><![CDATA[wxcomponent]]></AppId>"), "{body}");
    assert_eq!(q["msg_signature"], signature(&[TOKEN, &q["timestamp"], &q["nonce"], encrypted]));
    assert_eq!(q["signature"], signature(&[TOKEN, &q["timestamp"], &q["nonce"]]));
    let (msg, appid) = decrypt(&aes_key(AES).unwrap(), encrypted).unwrap();
    assert_eq!(appid, "wxcomponent");
    msg
}

#[tokio::test]
async fn pushes_are_encrypted_signed_and_sent_to_loopback_only() {
    let (_emu, http, _) = setup_with("").await;
    let (url, mut rx) = receiver().await;
    let r = http
        .post("/_emulator/wechat/push", &json!({"url": url, "info_type": "component_verify_ticket"}).to_string())
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!((r.json["status"].as_u64(), r.json["reply"].as_str()), (Some(200), Some("success")));
    let (query, body) = rx.recv().await.unwrap();
    assert_eq!(body, r.json["body"].as_str().unwrap(), "what was sent is what the event shows");
    let msg = open(&query, &body);
    assert_eq!(msg, r.json["xml"].as_str().unwrap());
    let ticket = r.json["ticket"].as_str().unwrap();
    assert!(msg.contains(&format!("<ComponentVerifyTicket><![CDATA[{ticket}]]></ComponentVerifyTicket>")), "{msg}");
    assert!(msg.contains(&format!("<CreateTime>{T0}</CreateTime>")));
    assert_eq!(code(&component_token(&http, ticket).await), 0, "the pushed ticket works");

    for far in ["http://10.0.0.1/events", "http://example.com/events", "https://127.0.0.1/events", "ftp://127.0.0.1/"] {
        let r = http
            .post("/_emulator/wechat/push", &json!({"url": far, "info_type": "component_verify_ticket"}).to_string())
            .await;
        assert_eq!(r.status, 400, "{far}: {}", r.text);
    }
    let latest = http.get("/_emulator/wechat/ticket?component_appid=wxcomponent").await.json;
    assert_eq!(latest["component_verify_ticket"], ticket, "a refused push changes nothing");
}

#[tokio::test]
async fn start_push_ticket_pushes_to_the_configured_url() {
    let (url, mut rx) = receiver().await;
    let clock = ManualClock::new(T0);
    let emu = Emulator::builder()
        .clock(Arc::new(clock.clone()))
        .wechat_component(component().push_url(url))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    let bad = http
        .post(
            "/cgi-bin/component/api_start_push_ticket",
            r#"{"component_appid":"wxcomponent","component_secret":"nope"}"#,
        )
        .await;
    assert_eq!(code(&bad.json), 40125);
    let ok = http
        .post(
            "/cgi-bin/component/api_start_push_ticket",
            r#"{"component_appid":"wxcomponent","component_secret":"secret"}"#,
        )
        .await;
    assert_eq!(ok.json, json!({"errcode": 0, "errmsg": "ok"}));
    let (query, body) = rx.recv().await.unwrap();
    let msg = open(&query, &body);
    let latest = http.get("/_emulator/wechat/ticket?component_appid=wxcomponent").await.json;
    let ticket = latest["component_verify_ticket"].as_str().unwrap();
    assert!(msg.contains(ticket), "the pushed ticket is the latest");
}

#[tokio::test(start_paused = true)]
async fn tickets_are_pushed_periodically() {
    let (url, mut rx) = receiver().await;
    let seed = Seed::from_toml("[settings]\nwechat_push_interval_secs = 600\n").unwrap();
    let emu = Emulator::builder()
        .clock(Arc::new(ManualClock::new(T0)))
        .seed(seed)
        .wechat_component(component().push_url(url))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    assert!(rx.try_recv().is_err(), "nothing before the first period");
    tokio::time::advance(Duration::from_secs(600)).await;
    let (query, body) = rx.recv().await.unwrap();
    let msg = open(&query, &body);
    let ticket = msg.split("<ComponentVerifyTicket><![CDATA[").nth(1).unwrap().split("]]>").next().unwrap();
    assert_ne!(ticket, "ticket@@@seed", "a new ticket");
    assert_eq!(code(&component_token(&http, ticket).await), 0, "the pushed ticket works");
}
