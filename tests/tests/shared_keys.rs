//! Keys of different apps never collide in a shared Redis, and none holds a secret.

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tim_sns::CheckType;
use tx_core::Secret;
use tx_core::token::Token;
use tx_core::usersig::UserSigSigner;
use tx_emulator::{Emulator, TimApp};
use tx_tests::redis_server::RedisServer;

const APPS: [(u32, &str); 2] =
    [(1_400_000_000, "first-app-secret-key-0123"), (1_400_000_001, "second-app-secret-key-4567")];

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tim_apps_keep_their_own_usersigs_and_quotas() {
    let redis = RedisServer::start();
    let mut emu = Emulator::builder();
    for (app, key) in APPS {
        emu = emu.tim_app(TimApp::new(app, key).admin("administrator").accounts(["alice", "bob"]));
    }
    let emu = emu.start().await.unwrap();
    for (app, key) in APPS {
        let tim = tim_sns::Client::builder()
            .sdk_app_id(app)
            .secret_key(key)
            .endpoint(emu.base_url())
            .shared_state(redis.url())
            .build()
            .unwrap();
        tim.blocklist().check("alice", ["bob"], CheckType::Both).await.unwrap();
    }
    let keys = redis.keys();
    for (app, key) in APPS {
        // Each app's admin UserSig under its own key, signed with its own secret key.
        let name = format!("tx:access:tim:usersig:{app}:administrator");
        let sig: String = redis::cmd("HGET").arg(&name).arg("v").query(&mut redis.connection()).unwrap();
        UserSigSigner::new(app, key).verify(&sig, "administrator").unwrap();
        assert!(keys.iter().all(|k| !k.contains(key) && !k.contains(&sig)), "no secret in a key name: {keys:?}");
    }
    for k in &keys {
        let apps = APPS.iter().filter(|(app, _)| k.contains(&app.to_string())).count();
        assert_eq!(apps, 1, "{k} names exactly one app");
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn two_components_never_see_each_others_tokens_for_the_same_mini_program() {
    let redis = RedisServer::start();
    let mini_program = "wxa1a1000000000000";
    let components = ["wx0c0c0c0c0c0c0c0c", "wx0d0d0d0d0d0d0d0d"];
    let mut clients = Vec::new();
    for (i, component) in components.iter().enumerate() {
        let wechat = wechat_ams::Client::builder()
            .component_appid(*component)
            .component_secret("component-secret")
            .endpoint("http://127.0.0.1:9/") // nothing is sent
            .shared_state(redis.url())
            .build()
            .unwrap();
        let token = Token::new(format!("token-of-component-{i}"), now(), Duration::from_secs(7200));
        wechat.tokens().put_authorizer(mini_program, token, Some(Secret::new(format!("refresh-{i}")))).await.unwrap();
        wechat.tokens().set_ticket(format!("ticket-{i}"), 0).await.unwrap();
        clients.push(wechat);
    }
    for (i, wechat) in clients.iter().enumerate() {
        assert_eq!(
            wechat.tokens().authorizer(mini_program).await.unwrap().value.expose(),
            format!("token-of-component-{i}")
        );
        let refresh = wechat.tokens().refresh_token(mini_program).await.unwrap().unwrap();
        assert_eq!(refresh.value.expose(), format!("refresh-{i}"));
        assert_eq!(wechat.tokens().ticket().await.unwrap().unwrap().value.expose(), format!("ticket-{i}"));
    }
    let mut expected: Vec<String> = components
        .iter()
        .flat_map(|c| {
            [
                format!("tx:access:wechat:authorizer:{c}:{mini_program}"),
                format!("tx:durable:wechat:authorizer:{c}:{mini_program}"),
                format!("tx:durable:wechat:ticket:{c}"),
            ]
        })
        .collect();
    expected.sort();
    assert_eq!(redis.keys(), expected);
}
