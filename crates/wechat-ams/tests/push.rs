//! The push receiver end to end: the emulator pushes signed, encrypted events over HTTP to
//! a loopback axum server that mounts `Client::receive_push`, as the documentation shows;
//! the pushed ticket then gets the component token, authorizations are exchanged, and a
//! withdrawn authorization purges its tokens.

mod common;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::post;
use common::*;
use std::time::Duration;
use tx_core::ErrorKind;
use tx_emulator::{Emulator, Seed};
use wechat_ams::Client;
use wechat_ams::push::{PushCrypto, PushEvent, PushQuery, SUCCESS_REPLY};

async fn authorization_events(
    State(wechat): State<Client>,
    Query(query): Query<PushQuery>,
    body: Bytes,
) -> Result<&'static str, StatusCode> {
    match wechat.receive_push(&query, &body).await {
        Ok(PushEvent::Authorized(a) | PushEvent::UpdateAuthorized(a)) => {
            let wechat = wechat.clone();
            tokio::spawn(async move { wechat.authorization().query_auth(a.authorization_code).await.unwrap() });
        }
        Ok(_) => {}
        Err(_) => return Err(StatusCode::BAD_REQUEST),
    }
    Ok(SUCCESS_REPLY)
}

/// Serves `wechat`'s receiver on loopback; returns its URL.
async fn serve(wechat: &Client) -> String {
    let app = Router::new().route("/wechat/events", post(authorization_events)).with_state(wechat.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/wechat/events", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// Has the emulator push `info_type` to `url`; returns its answer (with the receiver's status).
async fn push(emu: &Emulator, url: &str, info_type: &str, authorizer: Option<&str>) -> serde_json::Value {
    let mut body = serde_json::json!({"url": url, "info_type": info_type});
    if let Some(a) = authorizer {
        body["authorizer_appid"] = a.into();
    }
    control(emu, "wechat/push", body).await
}

/// A client without a starting ticket: only pushes bring one.
fn without_ticket(emu: &Emulator, clock: &tx_core::clock::ManualClock) -> Client {
    builder_without_ticket(emu, clock).build().unwrap()
}

async fn eventually(what: &str, mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..500 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{what} did not happen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pushed_ticket_is_stored_and_gets_the_component_token() {
    let (emu, clock) = start(1).await;
    let wechat = without_ticket(&emu, &clock);
    wechat.tokens().put_refresh_token(&appid(0), refresh(0)).await.unwrap();
    let url = serve(&wechat).await;
    let first = push(&emu, &url, "component_verify_ticket", None).await;
    assert_eq!((first["status"].as_u64(), first["reply"].as_str()), (Some(200), Some("success")));
    let pushed = emulator_ticket(&emu).await;
    assert_ne!(pushed, TICKET);
    let stored = wechat.tokens().ticket().await.unwrap().unwrap();
    assert_eq!(stored.value.expose(), pushed);
    assert_eq!(stored.expires_at, Some(T0 + 12 * 3600), "valid 12 h from its CreateTime");

    wechat.ams(appid(0)).category_blacklist().get().await.unwrap();
    assert_eq!(component_fetches(&emu), 1, "fetched with the pushed ticket, the only one this client has");

    push(&emu, &url, "component_verify_ticket", None).await;
    assert_eq!(
        wechat.tokens().ticket().await.unwrap().unwrap().value.expose(),
        emulator_ticket(&emu).await,
        "the latest wins"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_push_ticket_brings_a_ticket_to_the_receiver() {
    let (emu, clock) = start(0).await;
    let wechat = without_ticket(&emu, &clock);
    let url = serve(&wechat).await;
    emu.seed(&Seed { wechat_components: vec![component().push_url(&url)], ..Seed::default() }).unwrap();
    wechat.tokens().start_push_ticket().await.unwrap();
    eventually("the ticket push", async || wechat.tokens().ticket().await.unwrap().is_some()).await;
    assert_eq!(wechat.tokens().ticket().await.unwrap().unwrap().value.expose(), emulator_ticket(&emu).await);
    assert_eq!(wechat.provider().share_ratio().await.unwrap(), 40, "the component token from the pushed ticket");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorizations_are_exchanged_and_withdrawals_purge_the_tokens() {
    let (emu, clock) = start(0).await;
    let wechat = builder(&emu, &clock).build().unwrap();
    let url = serve(&wechat).await;
    let mp = appid(7);
    let event = push(&emu, &url, "authorized", Some(&mp)).await;
    assert_eq!(event["status"].as_u64(), Some(200));
    eventually("the code exchange", async || wechat.tokens().refresh_token(&mp).await.unwrap().is_some()).await;
    assert_eq!(fetches(&emu, &mp), 1);
    wechat.ams(&mp).category_blacklist().get().await.unwrap();
    assert_eq!(fetches(&emu, &mp), 1, "the exchanged token serves the call");

    // A new permission set: exchanged again, the old refresh token replaced.
    let before = wechat.tokens().refresh_token(&mp).await.unwrap().unwrap().value;
    push(&emu, &url, "updateauthorized", Some(&mp)).await;
    eventually("the second exchange", async || {
        wechat.tokens().refresh_token(&mp).await.unwrap().unwrap().value != before
    })
    .await;

    push(&emu, &url, "unauthorized", Some(&mp)).await;
    assert_eq!(wechat.tokens().refresh_token(&mp).await.unwrap(), None);
    assert_eq!(wechat.tokens().cached_authorizer(&mp).await.unwrap(), None);
    let e = wechat.ams(&mp).category_blacklist().get().await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Auth, None));
    assert!(e.message().contains("no authorizer_refresh_token is stored"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_misaddressed_pushes_are_refused() {
    let (emu, clock) = start(0).await;
    let wechat = builder(&emu, &clock).build().unwrap();
    let message = |appid: &str| {
        format!(
            "<xml><AppId><![CDATA[{appid}]]></AppId><CreateTime>{}</CreateTime><InfoType><![CDATA[component_verify_ticket]]></InfoType>\
             <ComponentVerifyTicket><![CDATA[ticket@@@forged]]></ComponentVerifyTicket></xml>",
            T0 + 60
        )
    };
    let ours = PushCrypto::new(MSG_TOKEN, AES_KEY, COMPONENT).unwrap();
    let mut forged = ours.seal(&message(COMPONENT), "1700000060", "42").unwrap();
    forged.query.msg_signature = "0".repeat(40);
    let e = wechat.receive_push(&forged.query, forged.body.as_bytes()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    let theirs = PushCrypto::new(MSG_TOKEN, AES_KEY, "wx0d0d0d0d0d0d0d0d").unwrap();
    let other = theirs.seal(&message("wx0d0d0d0d0d0d0d0d"), "1700000060", "42").unwrap();
    let e = wechat.receive_push(&other.query, other.body.as_bytes()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert!(e.to_string().contains("wx0d0d0d0d0d0d0d0d"), "{e}");
    assert_eq!(wechat.tokens().ticket().await.unwrap().unwrap().value.expose(), TICKET, "nothing stored");

    let genuine = ours.seal(&message(COMPONENT), "1700000060", "42").unwrap();
    assert!(matches!(
        wechat.receive_push(&genuine.query, genuine.body.as_bytes()).await.unwrap(),
        PushEvent::ComponentVerifyTicket { .. }
    ));
    assert_eq!(
        wechat.tokens().ticket().await.unwrap().unwrap().value.expose(),
        "ticket@@@forged",
        "a genuine push is stored"
    );

    let deaf = Client::builder().component_appid(COMPONENT).component_secret(SECRET).build().unwrap();
    let e = deaf.receive_push(&genuine.query, genuine.body.as_bytes()).await.unwrap_err();
    assert_eq!(e.field(), Some("message_token"));
}
