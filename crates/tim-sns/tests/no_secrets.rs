//! No secret key and no UserSig in any `Debug`, `Display` or log line.
//!
//! Its own test binary with a single test: tracing caches per-callsite interest for the
//! whole process, so a capturing subscriber is only reliable where no other test runs.

mod common;

use common::*;
use futures_util::{StreamExt, stream};
use std::sync::Arc;
use std::time::Duration;
use tim_sns::{CheckType, Client, Pair};
use tx_core::clock::ManualClock;
use tx_core::token::{MemoryTokenStore, Token, TokenStore};
use tx_core::usersig::UserSigSigner;
use tx_emulator::{Fault, FaultPlan};

#[tokio::test]
async fn no_secret_reaches_debug_display_or_logs() {
    let logs = tx_emulator::testing::LogCapture::install();

    let (b, clock) = emulator(app(["alice", "bob", "carol"]));
    let plan = FaultPlan::seeded(3)
        .script("v4/sns/black_list_check", [Fault::Http(502), Fault::Drop, Fault::Code(30006)])
        .script("v4/sns/black_list_add", [Fault::ItemCode(30007)]);
    let emu = b.faults(plan).start().await.unwrap();

    // A stale sig in a shared store: the 70001 path logs an invalidation.
    let stale = UserSigSigner::new(APP, KEY)
        .with_clock(ManualClock::new(T0 - 10_000))
        .generate(ADMIN, Duration::from_secs(3600))
        .unwrap();
    let store = Arc::new(MemoryTokenStore::new());
    store
        .put_access(
            "tim:usersig:1400000000:administrator",
            &Token { value: stale.secret().clone(), expires_at: T0 + 99_999 },
        )
        .await
        .unwrap();
    let builder_ = builder(&emu, &clock).token_store(store.clone());
    let mut shown = vec![format!("{builder_:?}")];
    let tim = builder_.build().unwrap();
    shown.push(format!("{tim:?} {tim:#?}"));

    let added = tim.blocklist().add("alice", ["bob", "carol", "ghost"]).await.unwrap();
    shown.push(format!("{added:?} {:?}", added.failed().map(|i| i.error().unwrap().to_string()).collect::<Vec<_>>()));
    let checked = tim.blocklist().check("alice", ["bob"], CheckType::Both).await.unwrap();
    shown.push(format!("{checked:?}"));
    let mut list = tim.blocklist().list("alice");
    shown.push(format!("{list:?}"));
    while let Some(e) = list.next().await {
        shown.push(format!("{:?}", e.unwrap()));
    }
    let bulk = tim.blocklist().add_many(stream::iter([Pair::new("bob", "alice"), Pair::new("", "x")]));
    shown.push(format!("{bulk:?}"));
    let mut results = bulk.stream();
    while let Some(r) = results.next().await {
        let r = r.unwrap();
        shown.push(format!("{r:?} {}", serde_json::to_string(&r).unwrap()));
    }
    shown.push(format!("{results:?}"));

    // Failures: wrong key (70009), an unreachable host, a bulk run stopped by a bad key.
    let wrong = builder(&emu, &clock).secret_key("wrong-key-0123456789").build().unwrap();
    let e = wrong.blocklist().add("alice", ["bob"]).await.unwrap_err();
    shown.push(format!("{e} {e:?}"));
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let nowhere = Client::builder()
        .sdk_app_id(APP)
        .secret_key(KEY)
        .endpoint(&refused)
        .retry(tx_core::RetryPolicy::none())
        .clock(clock.clone())
        .build()
        .unwrap();
    let e = nowhere.blocklist().check("alice", ["bob"], CheckType::Single).await.unwrap_err();
    shown.push(format!("{e} {e:?} {:?}", std::error::Error::source(&e)));
    let e = wrong.blocklist().add_many(stream::iter([("alice", "bob")])).run().await.unwrap_err();
    shown.push(format!("{e} {e:?}"));

    // Every UserSig that was used: the stale one, the one that replaced it, the wrong key's.
    let mut sigs = vec![stale.expose().to_owned(), tim.admin_usersig().await.unwrap().expose().to_owned()];
    sigs.push(wrong.admin_usersig().await.unwrap().expose().to_owned());
    sigs.push(nowhere.admin_usersig().await.unwrap().expose().to_owned());
    shown.push(format!("{:?}", tim.admin_usersig().await.unwrap()));

    let logs = logs.text();
    assert!(logs.contains("usersig=***"), "request URLs are logged, redacted: the capture works");
    assert!(logs.contains("token invalidated after rejection"), "the 70001 path ran");
    assert!(logs.contains("70009"), "the failures were logged");
    let everything = format!("{logs}\n{}", shown.join("\n"));
    for secret in [KEY, "wrong-key-0123456789"].iter().map(|s| s.to_string()).chain(sigs) {
        assert!(secret.len() > 16);
        assert!(!everything.contains(&secret), "a secret leaked: {}…", &secret[..8]);
        // Not even a percent-encoded form of a sig.
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        assert!(!everything.contains(&encoded));
    }
}
