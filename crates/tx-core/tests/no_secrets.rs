//! No secret reaches `Debug`, `Display`, error messages or traces.
//!
//! Its own test binary: tracing caches per-callsite interest process-wide, so a scoped
//! subscriber is only reliable in a process where no other test runs concurrently.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tx_core::clock::ManualClock;
use tx_core::pipeline::{AttemptRequest, Call, Pipeline, Protocol, RawResponse};
use tx_core::rate_limit::{LocalRateLimiter, Quota, RateKey};
use tx_core::token::{Durable, Fetched, Token, TokenCache, TokenSource};
use tx_core::usersig::{UserSigSigner, decode};
use tx_core::{Error, ErrorKind, HttpConfig, RetryPolicy, Secret, Tenant, Verdict, async_trait};

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const TOKEN: &str = "ACCESS-TOKEN-abcdef123456";

#[derive(Debug)]
struct Leaky;

#[async_trait]
impl Protocol for Leaky {
    type Credential = Secret;
    fn platform(&self) -> &'static str {
        "leaky"
    }
    fn rate_key(&self, call: &Call) -> RateKey {
        RateKey::new("leaky", "app", call.endpoint())
    }
    async fn authorize(&self, _call: &Call, request: &mut AttemptRequest) -> Result<Secret, Error> {
        request.secret_query("access_token", &Secret::new(TOKEN));
        request.secret_query("usersig", &Secret::new(TOKEN));
        Ok(Secret::new(TOKEN))
    }
    async fn invalidate(&self, _call: &Call, _credential: Secret) {}
    fn decode<T: serde::de::DeserializeOwned>(&self, _call: &Call, response: &RawResponse) -> Result<T, Error> {
        serde_json::from_slice(&response.body).map_err(|e| Error::decode(e, &response.body))
    }
    fn classify(&self, _call: &Call, _error: &Error) -> Verdict {
        Verdict::Permanent
    }
}

#[derive(Debug)]
struct FixedSource;

#[tx_core::async_trait]
impl TokenSource for FixedSource {
    async fn fetch(&self, _tenant: &Tenant, _refresh: Option<&Durable>) -> Result<Fetched, Error> {
        Ok(Fetched { token: Token::new(TOKEN, 0, Duration::from_secs(60)), refresh: Some(Durable::new(TOKEN, None)) })
    }
}

#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "{what} leaks a secret: {text}");
    }
}

#[tokio::test]
async fn nothing_prints_a_secret() {
    let sink = Sink::default();
    let writer = sink.clone();
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish(),
    )
    .unwrap();

    // A call whose URL carries credentials, to a port that refuses connections.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        url::Url::parse(&format!("http://{}/", l.local_addr().unwrap())).unwrap()
    };
    let pipeline = Pipeline::builder(Leaky)
        .base_url(dead)
        .retry(RetryPolicy::default().with_max_attempts(2).with_backoff(Duration::ZERO, Duration::ZERO))
        .rate_limiter(Arc::new(LocalRateLimiter::new(Some(Quota::per_second(100)))))
        .build()
        .unwrap();
    let transport = pipeline.send::<serde_json::Value>(&Call::get("x")).await.unwrap_err();
    assert_eq!(transport.kind(), ErrorKind::Transport);

    let signer = UserSigSigner::new(1_400_000_000, KEY).with_clock(ManualClock::new(1_700_000_000));
    let sig = signer.generate("admin", Duration::from_secs(3600)).unwrap();
    let decoded = decode(sig.expose()).unwrap();
    let cache = TokenCache::builder("k", FixedSource).clock(ManualClock::new(0)).build();
    let token = cache.token(&Tenant::new("t")).await.unwrap();
    let refresh = cache.refresh_token(&Tenant::new("t")).await.unwrap();

    let errors = [
        transport,
        Error::invalid_input("client_secret", format_args!("must be 1-256 bytes")),
        Error::api(ErrorKind::Auth, 40001, &format!("invalid credential for url ?access_token={TOKEN}")),
        Error::decode("bad", format!(r#"{{"access_token":"{TOKEN}","refresh_token":"{TOKEN}"}}"#).as_bytes()),
        Error::from_http_status(502, format!("upstream said usersig={TOKEN}").as_bytes()),
        Error::auth("no token"),
        Error::throttled("quota"),
        Error::deadline_exceeded(Duration::from_secs(1)),
    ];
    let mut texts = Vec::new();
    for e in &errors {
        texts.push((format!("{:?}", e.kind()), format!("{e}")));
        texts.push((format!("{:?}", e.kind()), format!("{e:?}")));
    }
    for (name, text) in [
        ("Secret", format!("{:?} {}", Secret::new(TOKEN), Secret::new(TOKEN))),
        ("UserSigSigner", format!("{signer:?}")),
        ("UserSig", format!("{sig:?}")),
        ("DecodedUserSig", format!("{decoded:?}")),
        ("TokenCache", format!("{cache:?}")),
        ("Token", format!("{token:?}")),
        ("Durable", format!("{refresh:?}")),
        ("Pipeline", format!("{pipeline:?}")),
        ("HttpConfig", format!("{:?}", HttpConfig::default())),
    ] {
        texts.push((name.to_owned(), text));
    }
    let logs = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("access_token=***"), "traces show the redacted URL: {logs}");
    texts.push(("traces".to_owned(), logs));
    for (what, text) in texts {
        assert_clean(&what, &text, &[KEY, TOKEN, sig.expose(), decoded.signature.expose()]);
    }
}
