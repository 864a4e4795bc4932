//! A secret given by flag or environment never appears in any output, logs included, even
//! when a server echoes it back inside its error text.

use std::sync::{Arc, Mutex};
use tx_tests::{ADMIN, APP, KEY, Tx, emulator};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_output_shows_the_key_or_a_usersig() {
    let emu = emulator(&["alice", "bob"]).await;
    let url = emu.base_url().to_owned();
    let app = APP.to_string();
    let by_flag = |args: &[&str]| {
        let mut all =
            vec!["-vv", "tim", "--sdk-app-id", &app, "--secret-key", KEY, "--admin", ADMIN, "--endpoint", &url];
        all.extend_from_slice(args);
        Tx::new(all)
    };
    let runs = vec![
        by_flag(&["blocklist", "add", "--from", "alice", "bob", "mallory"]).run_async().await,
        by_flag(&["--json", "blocklist", "check", "--from", "alice", "bob"]).run_async().await,
        Tx::new(["usersig", "--json", "gen", "--identifier", "alice"]).tim_env(&url).run_async().await,
        Tx::new(["-vv", "tim", "blocklist", "list", "--from", "alice"]).tim_env(&url).run_async().await,
        Tx::new(["-vv", "tim", "--secret-key", "wrong-key-123456", "blocklist", "list", "--from", "alice"])
            .tim_env(&url)
            .run_async()
            .await,
        Tx::new(["tim", "--help"]).tim_env(&url).run_async().await,
    ];
    let mut logged_a_url = false;
    for run in &runs {
        let all = run.all_output();
        assert!(!all.contains(KEY), "the key leaked: {all}");
        assert!(!all.contains("wrong-key-123456"), "the key leaked: {all}");
        // Every UserSig in a logged URL is masked.
        for (i, _) in all.match_indices("usersig=") {
            logged_a_url = true;
            assert!(all[i..].starts_with("usersig=***"), "an unmasked UserSig: {}", &all[i..(i + 40).min(all.len())]);
        }
        if !all.contains("\"record\":\"usersig\"") {
            assert!(!all.contains("eJ"), "something that looks like a UserSig (zlib base64) leaked: {all}");
        }
    }
    assert!(logged_a_url, "-vv logs the (redacted) request URLs");
    assert_eq!(runs[4].code, 3);
    emu.shutdown().await;
}

/// Every value the token journal of `state` holds (tokens, refresh tokens, tickets).
fn kept_values(state: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(state.join("tokens.jsonl")).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["value"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_wechat_or_ads_output_shows_a_secret_a_token_or_a_code() {
    use tx_emulator::defaults as d;
    use tx_tests::{ads_authorization_code, platforms_emulator, wechat_push};
    let emu = platforms_emulator(std::time::Duration::from_millis(100)).await;
    let url = emu.base_url().to_owned();
    let state = tempfile::tempdir().unwrap();
    let wechat_with = |secret: &str, args: &[&str]| {
        let mut all = vec!["-vv", "wechat", "--component-secret", secret];
        all.extend_from_slice(args);
        Tx::new(all)
            .env("WECHAT_COMPONENT_APPID", d::WECHAT_COMPONENT)
            .env("WECHAT_COMPONENT_TOKEN", d::WECHAT_TOKEN)
            .env("WECHAT_COMPONENT_AES_KEY", d::WECHAT_AES_KEY)
            .env("WECHAT_ENDPOINT", &url)
            .env("TX_STATE_DIR", state.path())
    };
    let ads_with = |secret: &str, args: &[&str]| {
        let mut all = vec!["-vv", "ads", "--client-secret", secret];
        all.extend_from_slice(args);
        Tx::new(all)
            .env("ADS_CLIENT_ID", d::ADS_CLIENT_ID.to_string())
            .env("ADS_ENDPOINT", &url)
            .env("TX_STATE_DIR", state.path())
    };
    let wechat = |args: &[&str]| wechat_with(d::WECHAT_SECRET, args);
    let ads = |args: &[&str]| ads_with(d::ADS_SECRET, args);
    let ticket = wechat_push(&url, "component_verify_ticket", None).await;
    let authorized = wechat_push(&url, "authorized", Some("wxa000000000000004")).await;
    let code = ads_authorization_code(&url, 20_000_001).await;
    let fresh = tempfile::tempdir().unwrap();
    let runs = vec![
        wechat(&["ticket"]).stdin(ticket.to_string()).run_async().await,
        wechat(&["--json", "ticket"]).stdin(authorized.to_string()).run_async().await,
        wechat(&["--json", "ticket"]).stdin(authorized.to_string()).run_async().await,
        wechat(&["--json", "token", "--fetch", "--authorizer", "wxa000000000000001"]).run_async().await,
        wechat(&["ams", "category", "get", "--appid", "wxa000000000000001", "--appid", "wxa000000000000099"])
            .run_async()
            .await,
        wechat(&["--json", "ams", "adunit", "list", "--appid", "wxa000000000000004"]).run_async().await,
        wechat_with("wrong-secret-123456", &["ams", "category", "get", "--appid", "wxa000000000000002"])
            .env("WECHAT_COMPONENT_VERIFY_TICKET", ticket["ticket"].as_str().unwrap())
            .env("TX_STATE_DIR", fresh.path())
            .run_async()
            .await,
        wechat(&["--help"]).run_async().await,
        ads(&["oauth", "exchange", "--redirect-uri", "https://example.com/callback", &code]).run_async().await,
        ads(&["--json", "oauth", "exchange", "--redirect-uri", "https://example.com/callback", &code])
            .run_async()
            .await,
        ads(&["--json", "oauth", "refresh", "--account", "20000001"]).run_async().await,
        ads(&["watermark", "add", "--account", "20000001", "--preset", "loan-risk", "--material", "123", "--wait"])
            .run_async()
            .await,
        ads(&["--json", "watermark", "add", "--account", "20000002", "--preset", "loan-risk", "--material", "123"])
            .env("ADS_ACCESS_TOKEN", d::ADS_PRIVATE_TOKEN)
            .run_async()
            .await,
        ads_with("wrong-secret-654321", &["oauth", "refresh", "--account", "20000001"]).run_async().await,
    ];
    let mut secrets: Vec<String> =
        [d::WECHAT_SECRET, d::WECHAT_TOKEN, d::WECHAT_AES_KEY, d::ADS_SECRET, d::ADS_PRIVATE_TOKEN]
            .map(str::to_owned)
            .to_vec();
    secrets.extend(["wrong-secret-123456".to_owned(), "wrong-secret-654321".to_owned(), code.clone()]);
    for key in ["ticket", "authorization_code", "pre_auth_code"] {
        secrets.extend(ticket[key].as_str().into_iter().chain(authorized[key].as_str()).map(str::to_owned));
    }
    let kept = kept_values(state.path());
    assert!(kept.len() >= 8, "the journal holds the ticket and the tokens: {}", kept.len());
    secrets.extend(kept);
    let mut logged_a_url = false;
    for run in &runs {
        let all = run.all_output();
        for secret in &secrets {
            assert!(!all.contains(secret.as_str()), "a secret leaked ({}…): {all}", &secret[..secret.len().min(6)]);
        }
        logged_a_url |= all.contains("access_token=***") || all.contains("component_access_token=***");
        assert!(!all.contains("Some(") && !all.contains("Secret("), "no Rust Debug text: {all}");
    }
    assert!(logged_a_url, "-vv logs the (redacted) request URLs");
    assert_eq!((runs[6].code, runs[13].code), (3, 3), "the wrong secrets were refused: {:?} {:?}", runs[6], runs[13]);
    emu.shutdown().await;
}

/// A TIM look-alike that echoes the request's UserSig and the whole query string in its
/// error text, bare (no `usersig=` before the value for masking by name to find), as
/// a careless gateway might. Returns its base URL and the UserSigs it saw.
async fn echoing_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sigs = Arc::clone(&seen);
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
        let sigs = Arc::clone(&sigs);
        async move {
            let query = uri.query().unwrap_or_default().to_owned();
            let sig = query.split('&').find_map(|kv| kv.strip_prefix("usersig=")).unwrap_or_default().to_owned();
            sigs.lock().unwrap().push(sig.clone());
            let echo = format!("signature {sig} rejected (query was {})", query.replace("usersig=", "sig "));
            axum::Json(serde_json::json!({
                "ActionStatus": "FAIL", "ErrorCode": 70003, "ErrorInfo": echo,
                "ResultItem": [{"To_Account": "bob", "ResultCode": 30001, "ResultInfo": format!("item saw {sig}")}]
            }))
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_a_server_echoes_are_masked_by_value() {
    let (url, seen) = echoing_server().await;
    let runs = vec![
        Tx::new(["-vv", "tim", "--json", "blocklist", "add", "--from", "alice", "bob"]).tim_env(&url).run_async().await,
        Tx::new(["-vv", "tim", "blocklist", "list", "--from", "alice"]).tim_env(&url).run_async().await,
    ];
    let sigs = seen.lock().unwrap().clone();
    assert!(!sigs.is_empty() && sigs.iter().all(|s| s.len() > 20), "the server saw UserSigs: {sigs:?}");
    for run in &runs {
        let all = run.all_output();
        assert!(all.contains("rejected"), "the server's message is shown: {all}");
        for sig in &sigs {
            assert!(!all.contains(sig.as_str()), "an echoed UserSig leaked: {all}");
        }
        assert!(!all.contains(KEY), "the key leaked: {all}");
    }
}
