//! No client secret, token, refresh token or authorization code in any `Debug`,
//! `Display`, error or log line.
//!
//! Its own test binary with a single test: tracing caches per-callsite interest for the
//! whole process, so a capturing subscriber is only reliable where no other test runs.

mod common;

use common::*;
use tencent_ads::{Client, MaterialType, WaitOptions, WarningText, WatermarksGetRequest};
use tx_core::RetryPolicy;
use tx_emulator::{Fault, FaultPlan, Step};

#[tokio::test]
async fn no_secret_reaches_debug_display_errors_or_logs() {
    let logs = tx_emulator::testing::LogCapture::install();

    let (b, clock) = emulator();
    let plan = FaultPlan::seeded(5)
        .script(GET, [Step::Fault(Fault::Code(11000)), Step::Pass, Step::Fault(Fault::Code(11002))])
        .script(ADD, [Fault::Code(12100)]);
    let emu = b.faults(plan).ads_watermark_delay(std::time::Duration::from_millis(50)).start().await.unwrap();
    let user_token = "real-name-user-token-8f2e11";
    let builder_ = bare(&emu, &clock).user_token(user_token).access_token(B, TOKEN_B);
    let mut shown = vec![format!("{builder_:?}")];
    let ads = builder_.build().unwrap();
    shown.push(format!("{ads:?} {ads:#?} {:?} {:?}", ads.watermarks(), ads.oauth()));

    // OAuth: a code exchanged (its tokens shown through Debug), a refresh after 11000.
    let code = authorization_code(&ads, A).await;
    let auth = ads.oauth().exchange_code(code.clone(), REDIRECT).await.unwrap();
    shown.push(format!("{auth:?}"));
    let e = ads.oauth().exchange_code(code.clone(), REDIRECT).await.unwrap_err();
    shown.push(format!("{e} {e:?}"));
    let page = ads.watermarks().page(&WatermarksGetRequest::new(A)).await.unwrap();
    shown.push(format!("{page:?}"));
    let e = ads.watermarks().page(&WatermarksGetRequest::new(A)).await.unwrap_err();
    shown.push(format!("{e} {e:?}"));
    let refreshed = ads.oauth().refresh(A).await.unwrap();
    shown.push(format!("{refreshed:?} {:?}", ads.oauth().status(A).await.unwrap()));

    // Calls of both accounts, a resent nonce, a wait, a job.
    let wait = WaitOptions::default().with_first_poll(std::time::Duration::from_millis(60));
    let report =
        ads.watermarks().add_and_wait(A, ["123", "456", "nope"], [WarningText::LOAN_RISK], wait).await.unwrap();
    shown.push(format!("{report:?} {}", serde_json::to_string(report.items()).unwrap()));
    let job = ads.material_tasks().add_and_wait(B, MaterialType::Video, ["789"], ["t"], wait).await.unwrap();
    shown.push(format!("{job:?}"));

    // Failures: a wrong client secret, a token the service does not know, nowhere to connect.
    let wrong = bare(&emu, &clock).client_secret("wrong-client-secret-4b1d").build().unwrap();
    let e = wrong.oauth().exchange_code(authorization_code(&wrong, A).await, REDIRECT).await.unwrap_err();
    assert_eq!(e.code(), Some(11007));
    shown.push(format!("{e} {e:?}"));
    let unknown = bare(&emu, &clock).access_token(A, "unknown-token-value-61c0").build().unwrap();
    let e = unknown.watermarks().add(A, ["123"], ["t"]).await.unwrap_err();
    shown.push(format!("{e} {e:?}"));
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let nowhere = Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(SECRET)
        .private_token(PRIVATE)
        .endpoint(&refused)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let e = nowhere.watermarks().add(A, ["123"], ["t"]).await.unwrap_err();
    shown.push(format!("{e} {e:?} {:?}", std::error::Error::source(&e)));
    let e = nowhere.oauth().refresh(A).await.unwrap_err();
    shown.push(format!("{e} {e:?}"));

    let logs = logs.text();
    assert!(logs.contains("access_token=***"), "request URLs are logged, masked: the capture works");
    assert!(logs.contains("client_secret=***") && logs.contains("authorization_code=***"), "token calls too");
    assert!(logs.contains("11002") && logs.contains("token invalidated"), "the failure paths ran");
    let everything = format!("{logs}\n{}", shown.join("\n"));
    let mut secrets: Vec<String> = [
        SECRET,
        "wrong-client-secret-4b1d",
        TOKEN_B,
        "unknown-token-value-61c0",
        PRIVATE,
        user_token,
        code.as_str(),
        auth.access_token.expose(),
        auth.refresh_token.as_ref().unwrap().expose(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    secrets.sort();
    secrets.dedup();
    for secret in secrets {
        assert!(secret.len() >= 16, "{}", secret.len());
        assert!(!everything.contains(&secret), "a secret leaked: {}…", &secret[..6]);
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        assert!(!everything.contains(&encoded));
    }
}
