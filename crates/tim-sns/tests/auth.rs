//! The admin UserSig: minted, cached, renewed ahead of expiry, replaced after 70001; the
//! query every request carries; configuration errors.

mod common;

use common::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tim_sns::{CheckType, Client, ClientBuilder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tx_core::clock::ManualClock;
use tx_core::token::{Durable, MemoryTokenStore, Token, TokenStore};
use tx_core::usersig::UserSigSigner;
use tx_core::{Error, ErrorKind, Secret, async_trait};
use tx_emulator::{Fault, FaultPlan, TimApp};

const SIG_KEY: &str = "tim:usersig:1400000000:administrator";

/// A token store that counts writes (one per minted UserSig).
#[derive(Debug, Default)]
struct CountingStore {
    inner: MemoryTokenStore,
    puts: AtomicUsize,
}

#[async_trait]
impl TokenStore for CountingStore {
    async fn access(&self, key: &str) -> Result<Option<Token>, Error> {
        self.inner.access(key).await
    }
    async fn put_access(&self, key: &str, token: &Token) -> Result<(), Error> {
        self.puts.fetch_add(1, Ordering::SeqCst);
        self.inner.put_access(key, token).await
    }
    async fn remove_access_if(&self, key: &str, value: &Secret) -> Result<bool, Error> {
        self.inner.remove_access_if(key, value).await
    }
    async fn durable(&self, key: &str) -> Result<Option<Durable>, Error> {
        self.inner.durable(key).await
    }
    async fn put_durable(&self, key: &str, value: &Durable) -> Result<(), Error> {
        self.inner.put_durable(key, value).await
    }
    async fn remove(&self, key: &str) -> Result<(), Error> {
        self.inner.remove(key).await
    }
}

impl CountingStore {
    async fn sig(&self) -> Token {
        self.inner.access(SIG_KEY).await.unwrap().expect("a cached UserSig")
    }
}

async fn check(tim: &Client) -> Result<(), Error> {
    tim.blocklist().check("alice", ["bob"], CheckType::Single).await.map(|_| ())
}

#[tokio::test]
async fn concurrent_first_calls_mint_one_usersig() {
    let (emu, clock) = start(app(["alice", "bob"])).await;
    let store = Arc::new(CountingStore::default());
    let tim = builder(&emu, &clock).token_store(store.clone()).build().unwrap();
    let calls: Vec<_> = (0..20).map(|_| check(&tim)).collect();
    for r in futures_util::future::join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(store.puts.load(Ordering::SeqCst), 1, "one mint for 20 concurrent calls");
    let sig = store.sig().await;
    let decoded = UserSigSigner::new(APP, KEY).with_clock(clock.clone()).verify(sig.value.expose(), ADMIN).unwrap();
    assert_eq!((decoded.time, decoded.expire), (T0, 86_400), "24 h by default, on the injected clock");
    assert_eq!(tim.admin_usersig().await.unwrap(), sig.value);
}

#[tokio::test]
async fn the_usersig_is_renewed_ahead_of_expiry() {
    let (emu, clock) = start(app(["alice", "bob"])).await;
    let store = Arc::new(CountingStore::default());
    let tim =
        builder(&emu, &clock).token_store(store.clone()).usersig_lifetime(Duration::from_secs(3600)).build().unwrap();
    check(&tim).await.unwrap();
    let first = store.sig().await;

    clock.advance(3000); // 600 s left: still fresh (renewal starts at a tenth, 360 s)
    check(&tim).await.unwrap();
    assert_eq!(store.sig().await, first);

    clock.advance(300); // 300 s left: this call uses it, and a renewal starts in the background
    check(&tim).await.unwrap();
    let mut renewed = store.sig().await;
    for _ in 0..500 {
        if renewed != first {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        renewed = store.sig().await;
    }
    assert_ne!(renewed, first, "renewed in the background");
    assert_eq!(renewed.expires_at, T0 + 3300 + 3600 + 1);

    clock.advance(400); // past the first sig's expiry
    check(&tim).await.unwrap();
    assert_eq!(store.puts.load(Ordering::SeqCst), 2);
    let stats = emu.stats().endpoint("v4/sns/black_list_check");
    assert!(stats.errors.is_empty(), "no call ever went out with an expired sig: {stats:?}");
}

#[tokio::test]
async fn an_expired_usersig_is_replaced_before_use() {
    let (emu, clock) = start(app(["alice", "bob"])).await;
    let store = Arc::new(CountingStore::default());
    let tim = builder(&emu, &clock).token_store(store.clone()).build().unwrap();
    check(&tim).await.unwrap();
    clock.advance(2 * 86_400);
    check(&tim).await.unwrap();
    assert_eq!(store.puts.load(Ordering::SeqCst), 2);
    assert!(emu.stats().endpoint("v4/sns/black_list_check").errors.is_empty());
}

#[tokio::test]
async fn on_70001_a_new_usersig_is_minted_and_the_call_retried_once() {
    let (emu, clock) = start(app(["alice", "bob"])).await;
    // A sig that expired long ago, cached as if it were valid (e.g. by another process
    // with a wrong clock): the server answers 70001.
    let stale = UserSigSigner::new(APP, KEY)
        .with_clock(ManualClock::new(T0 - 10_000))
        .generate(ADMIN, Duration::from_secs(3600))
        .unwrap();
    let store = Arc::new(CountingStore::default());
    store.inner.put_access(SIG_KEY, &Token { value: stale.secret().clone(), expires_at: T0 + 86_400 }).await.unwrap();
    let tim = builder(&emu, &clock).token_store(store.clone()).retry(tx_core::RetryPolicy::none()).build().unwrap();
    check(&tim).await.unwrap();
    let stats = emu.stats().endpoint("v4/sns/black_list_check");
    assert_eq!((stats.requests, stats.ok, stats.errors.get(&70001).copied()), (2, 1, Some(1)));
    assert_ne!(store.sig().await.value, *stale.secret(), "the rejected sig was replaced");

    // Rejected again after the refresh: no loop, one refresh only.
    emu.set_faults(FaultPlan::seeded(1).rate("v4/sns/black_list_check", Fault::Code(70001), 1.0)).unwrap();
    emu.clear_stats();
    let e = check(&tim).await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.attempts()), (ErrorKind::Auth, Some(70001), 2));
    assert_eq!(requests(&emu, "black_list_check"), 2);
}

#[tokio::test]
async fn configuration_errors_are_not_retried_and_point_at_region_or_key() {
    let (emu, clock) = start(app(["alice", "bob"])).await;
    let wrong_key = builder(&emu, &clock).secret_key("not-the-key").build().unwrap();
    let e = check(&wrong_key).await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.attempts()), (ErrorKind::Auth, Some(70009), 1));
    assert!(e.message().contains("region") && e.message().contains("secret key"), "{e}");

    let wrong_app = builder(&emu, &clock).sdk_app_id(1_400_000_001).build().unwrap();
    let e = check(&wrong_app).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Auth, Some(70020)));
    assert!(e.message().contains("region"), "{e}");
    assert!(!e.is_retryable());

    let not_admin = builder(&emu, &clock).admin("alice").build().unwrap();
    let e = check(&not_admin).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Api, Some(30004)));
    assert_eq!(requests(&emu, "black_list_check"), 3, "one request each, no retry");
}

#[tokio::test]
async fn admin_identifiers_are_percent_encoded() {
    let admin = "ops admin+1&x=y";
    let (emu, clock) = start(TimApp::new(APP, KEY).admin(admin).accounts(["alice", "bob"])).await;
    let tim = builder(&emu, &clock).admin(admin).build().unwrap();
    check(&tim).await.unwrap();
    assert_eq!(tim.admin(), admin);
}

#[tokio::test]
async fn from_env_reaches_the_emulator() {
    let emu = tx_emulator::Emulator::builder()
        .tim_app(TimApp::new(APP, KEY).accounts(["alice", "bob"]))
        .start()
        .await
        .unwrap();
    let vars = [
        ("TIM_SDK_APP_ID", APP.to_string()),
        ("TIM_SECRET_KEY", KEY.to_owned()),
        ("TIM_ADMIN", ADMIN.to_owned()),
        ("TIM_ENDPOINT", emu.base_url().to_owned()),
        ("TIM_RATE_LIMIT", "100".to_owned()),
    ];
    let lookup = move |k: &str| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
    let config = tx_core::config::Config::from_lookup(lookup);
    let tim = ClientBuilder::from_config(&config).unwrap().http_client(http()).build().unwrap();
    check(&tim).await.unwrap();
    assert_eq!(tim.region(), None);
}

#[tokio::test]
async fn connection_failures_switch_to_the_backup_endpoint() {
    let (emu, clock) = start(app(["alice", "bob"])).await;
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let tim = builder(&emu, &clock).endpoint(&refused).backup_endpoint(emu.base_url()).build().unwrap();
    check(&tim).await.unwrap();
    assert_eq!(tim.base_url().as_str(), format!("{}/", emu.base_url()));
    check(&tim).await.unwrap();
    assert_eq!(requests(&emu, "black_list_check"), 2);
}

/// One HTTP/1.1 request as a small capture server saw it.
#[derive(Debug)]
struct Seen {
    head: String,
    body: String,
}

/// A tiny HTTP server that records requests and answers a TIM success for `bob`.
async fn capture_server() -> (String, tokio::sync::mpsc::UnboundedReceiver<Seen>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                loop {
                    let mut chunk = [0u8; 4096];
                    let head_end = loop {
                        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break p + 4;
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
                    let len: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap())
                        })
                        .unwrap_or(0);
                    while buf.len() < head_end + len {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let body = String::from_utf8_lossy(&buf[head_end..head_end + len]).into_owned();
                    buf.drain(..head_end + len);
                    let _ = tx.send(Seen { head, body });
                    let reply = r#"{"ResultItem":[{"To_Account":"bob","ResultCode":0,"ResultInfo":""}],"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":""}"#;
                    let resp = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{reply}",
                        reply.len()
                    );
                    if socket.write_all(resp.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, rx)
}

#[tokio::test]
async fn every_request_carries_the_query_credentials_and_a_fresh_random() {
    let (url, mut seen) = capture_server().await;
    let admin = "ops admin&x";
    let clock = ManualClock::new(T0);
    let tim = Client::builder()
        .sdk_app_id(APP)
        .secret_key(KEY)
        .admin(admin)
        .endpoint(&url)
        .clock(clock.clone())
        .http_client(http())
        .build()
        .unwrap();
    let mut randoms = Vec::new();
    for _ in 0..3 {
        let report = tim.blocklist().add("alice", ["bob"]).await.unwrap();
        assert!(report.all_succeeded());
        let req = seen.recv().await.unwrap();
        let request_line = req.head.lines().next().unwrap().to_owned();
        assert!(request_line.starts_with("POST /v4/sns/black_list_add?"), "{request_line}");
        assert!(req.head.to_ascii_lowercase().contains("content-type: application/json"), "{}", req.head);
        let target = request_line.split(' ').nth(1).unwrap();
        let parsed = url::Url::parse(&format!("http://h{target}")).unwrap();
        let pairs: Vec<(String, String)> =
            parsed.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["sdkappid", "identifier", "usersig", "contenttype", "random"]);
        assert_eq!(pairs[0].1, APP.to_string());
        assert_eq!(pairs[1].1, admin, "decodes back to the admin");
        assert!(!target.contains("ops admin&x"), "percent-encoded on the wire: {target}");
        UserSigSigner::new(APP, KEY).with_clock(clock.clone()).verify(&pairs[2].1, admin).unwrap();
        assert_eq!(pairs[3].1, "json");
        randoms.push(pairs[4].1.parse::<u32>().unwrap());
        let body: serde_json::Value = serde_json::from_str(&req.body).unwrap();
        assert_eq!(body, serde_json::json!({"From_Account": "alice", "To_Account": ["bob"]}));
    }
    let distinct: std::collections::HashSet<u32> = randoms.iter().copied().collect();
    assert_eq!(distinct.len(), 3, "a fresh random per request: {randoms:?}");
}
