//! No AppSecret, message token, EncodingAESKey, ticket, access token, refresh token or
//! authorization code in any `Debug`, `Display`, error, record or log line.
//!
//! Its own test binary with a single test: tracing caches per-callsite interest for the
//! whole process, so a capturing subscriber is only reliable where no other test runs.

mod common;

use common::*;
use futures_util::{StreamExt, stream};
use tx_emulator::{Fault, FaultPlan};
use wechat_ams::push::PushQuery;
use wechat_ams::{CategorySet, Client};

/// The query and body of an event the emulator built (not sent).
async fn event(emu: &tx_emulator::Emulator, body: serde_json::Value) -> (serde_json::Value, PushQuery, String) {
    let ev = control(emu, "wechat/event", body).await;
    let pairs: serde_json::Map<String, serde_json::Value> =
        url::form_urlencoded::parse(ev["query"].as_str().unwrap().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned().into()))
            .collect();
    let query: PushQuery = serde_json::from_value(pairs.into()).unwrap();
    let body = ev["body"].as_str().unwrap().to_owned();
    (ev, query, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_debug_display_errors_records_or_logs() {
    let logs = tx_emulator::testing::LogCapture::install();

    let (b, clock) = emulator((0..4).map(authorizer));
    let plan = FaultPlan::seeded(3).script(
        op("agency_get_mp_amscategory_blacklist"),
        [Fault::Http(502), Fault::Drop, Fault::Code(40001), Fault::Code(61004)],
    );
    let emu = b.wechat_rotate_refresh_token(true).faults(plan).start().await.unwrap();
    let wechat = client(&emu, &clock, 3).await;
    let mut secrets: Vec<String> = vec![SECRET.into(), TICKET.into(), MSG_TOKEN.into(), AES_KEY.into()];
    secrets.extend((0..4).map(refresh));
    let mut shown: Vec<String> = Vec::new();

    // Retries, a transport failure, a refresh after 40001, then a configuration error.
    shown.push(format!("{:?}", wechat.ams(appid(0)).category_blacklist().get().await));
    shown.push(format!("{:?}", wechat.ams(appid(0)).category_blacklist().get().await));
    for i in 0..3 {
        let _ = wechat.ams(appid(i)).category_blacklist().get().await;
        secrets.push(wechat.tokens().refresh_token(&appid(i)).await.unwrap().unwrap().value.expose().to_owned());
        secrets.push(wechat.tokens().cached_authorizer(&appid(i)).await.unwrap().unwrap().value.expose().to_owned());
    }
    secrets.push(wechat.tokens().cached_component().await.unwrap().unwrap().value.expose().to_owned());

    // Pushes: a ticket, an authorization exchanged, a forged push refused.
    let (ev, query, body) = event(&emu, serde_json::json!({"info_type": "component_verify_ticket"})).await;
    secrets.push(ev["ticket"].as_str().unwrap().into());
    shown.push(format!("{:?}", wechat.receive_push(&query, body.as_bytes()).await));
    let (ev, query, body) =
        event(&emu, serde_json::json!({"info_type": "authorized", "authorizer_appid": appid(9)})).await;
    secrets.extend(["authorization_code", "pre_auth_code"].map(|k| ev[k].as_str().unwrap().to_owned()));
    let pushed = wechat.receive_push(&query, body.as_bytes()).await;
    shown.push(format!("{pushed:?}"));
    let info = wechat.authorization().query_auth(ev["authorization_code"].as_str().unwrap()).await.unwrap();
    secrets
        .extend([info.authorizer_access_token.expose().to_owned(), info.authorizer_refresh_token.expose().to_owned()]);
    shown.push(format!("{info:?}"));
    let mut forged = query.clone();
    forged.msg_signature = "0".repeat(40);
    shown.push(format!("{:?}", wechat.receive_push(&forged, body.as_bytes()).await));
    let pre = wechat.authorization().pre_auth_code().await.unwrap();
    secrets.push(pre.pre_auth_code.expose().to_owned());
    shown.push(format!("{pre:?}"));

    // A refused refresh token, a wrong AppSecret, a stale ticket.
    wechat.tokens().put_refresh_token(&appid(3), "refreshtoken@@@refused-secret").await.unwrap();
    secrets.push("refreshtoken@@@refused-secret".into());
    let e = wechat.ams(appid(3)).category_blacklist().get().await.unwrap_err();
    shown.extend([format!("{e:?}"), e.to_string()]);
    let wrong = builder(&emu, &clock).component_secret("wrong-secret-value").build().unwrap();
    secrets.push("wrong-secret-value".into());
    let e = wrong.provider().share_ratio().await.unwrap_err();
    shown.extend([format!("{e:?}"), e.to_string()]);
    wrong.tokens().set_ticket("ticket@@@stale-secret", 1).await.unwrap();
    secrets.push("ticket@@@stale-secret".into());

    // A fleet run's records and summary.
    let run = wechat
        .fleet()
        .ensure_category_blacklist(stream::iter((0..4).map(appid)), "CHESS".parse::<CategorySet>().unwrap())
        .unwrap();
    let mut records = run.stream();
    while let Some(r) = records.next().await {
        match r {
            Ok(record) => shown.extend([serde_json::to_string(&record).unwrap(), format!("{record:?}")]),
            Err(e) => shown.push(format!("{e:?} {e}")),
        }
    }
    shown.push(format!("{:?}", records.summary()));

    // The client, its builder, its handlers.
    let b = builder(&emu, &clock);
    shown.extend([format!("{b:?}"), format!("{wechat:?} {wechat:#?}"), format!("{:?}", wechat.tokens())]);
    let wechat_again: Client = b.build().unwrap();
    shown.push(format!("{:?} {:?}", wechat_again.ams(appid(0)), wechat_again.fleet()));

    let logs = logs.text();
    assert!(
        logs.contains("token refreshed") && logs.contains("component_verify_ticket stored"),
        "the logs were captured"
    );
    assert!(logs.contains("access_token=***"), "URLs are logged redacted");
    let everything = format!("{logs}\n{}", shown.join("\n"));
    for secret in &secrets {
        assert!(!secret.is_empty());
        assert!(!everything.contains(secret.as_str()), "{secret:?} leaked:\n{}", excerpt(&everything, secret));
    }
}

fn excerpt(text: &str, needle: &str) -> String {
    text.lines().filter(|l| l.contains(needle)).take(3).collect::<Vec<_>>().join("\n")
}
