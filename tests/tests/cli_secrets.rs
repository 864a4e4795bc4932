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
