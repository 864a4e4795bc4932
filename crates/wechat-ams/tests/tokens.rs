//! The token lifecycle against the emulator: one refresh for a thousand callers, one
//! refresh and one resend after a stale token, refresh tokens that survive a restart,
//! many authorizers without cross-talk, the component token refreshed ahead of expiry,
//! the externally managed mode, and the authorization flow.

mod common;

use common::*;
use futures_util::TryStreamExt;
use futures_util::future::join_all;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tx_core::clock::ManualClock;
use tx_core::token::{Credentials, MemoryTokenStore, Token, TokenStore};
use tx_core::{Error, ErrorKind, Secret, Tenant, async_trait};
use tx_emulator::{Fault, FaultPlan, Seed, SettingsPatch, WechatComponent};
use wechat_ams::{AmsCategory, AuthType, CategorySet, Client};

const GET: &str = "agency_get_mp_amscategory_blacklist";

async fn get(wechat: &Client, appid: &str) -> Result<CategorySet, Error> {
    wechat.ams(appid).category_blacklist().get().await
}

/// `n` calls of `appid`, each on a task of its own, released together.
async fn concurrently(wechat: &Client, appid: &str, n: usize) -> Vec<Result<CategorySet, Error>> {
    let start = Arc::new(tokio::sync::Barrier::new(n));
    let tasks = (0..n).map(|_| {
        let (wechat, appid, start) = (wechat.clone(), appid.to_owned(), Arc::clone(&start));
        tokio::spawn(async move {
            start.wait().await;
            get(&wechat, &appid).await
        })
    });
    join_all(tasks.collect::<Vec<_>>()).await.into_iter().map(Result::unwrap).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_with_an_expired_token_make_one_refresh() {
    let (b, clock) = emulator([authorizer(0).access_token("seeded-token-0")]);
    let emu = b.start().await.unwrap();
    let wechat = builder(&emu, &clock).build().unwrap();
    let expired = Token { value: Secret::new("seeded-token-0"), expires_at: T0 - 1 };
    wechat.tokens().put_authorizer(&appid(0), expired, Some(Secret::new(refresh(0)))).await.unwrap();
    let results = concurrently(&wechat, &appid(0), 1000).await;
    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
    assert_eq!(fetches(&emu, &appid(0)), 1, "exactly one refresh");
    assert_eq!(component_fetches(&emu), 1);
    assert_eq!(requests(&emu, &op(GET)), 1000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_rejected_as_expired_make_one_refresh_and_one_resend_each() {
    // The emulator's clock runs two hours ahead of the client's: every call with the
    // token the client still holds valid is answered 42001.
    // The refresh is slow, so that many rejections arrive while it is in flight.
    let (b, _) = emulator([authorizer(0).access_token("seeded-token-0")]);
    let server_clock = ManualClock::new(T0);
    let slow = FaultPlan::seeded(1).script(
        component_api("api_authorizer_token"),
        [tx_emulator::Step::Fault(Fault::Slow(Duration::from_millis(300)))],
    );
    let emu = b.clock(Arc::new(server_clock.clone())).faults(slow).start().await.unwrap();
    let client_clock = ManualClock::new(T0);
    let wechat = builder(&emu, &client_clock).build().unwrap();
    let held = Token::new("seeded-token-0", T0, Duration::from_secs(7200));
    wechat.tokens().put_authorizer(&appid(0), held, Some(Secret::new(refresh(0)))).await.unwrap();
    server_clock.advance(7300);
    let results = concurrently(&wechat, &appid(0), 1000).await;
    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
    assert_eq!(fetches(&emu, &appid(0)), 1, "one refresh for a thousand rejections");
    // However many calls went out with the old token before the new one was there (that
    // depends on scheduling), each rejected call was resent exactly once.
    let stats = emu.stats().endpoint(&op(GET));
    let rejected = stats.errors.get(&42001).copied().unwrap_or(0);
    assert!(rejected >= 1);
    assert_eq!(stats.requests, 1000 + rejected, "one resend per rejection");
}

#[tokio::test]
async fn a_stale_token_costs_one_refresh_and_one_resend() {
    let (b, clock) = emulator([authorizer(0)]);
    let emu = b.wechat_token_overlap(Duration::ZERO).start().await.unwrap();
    let a = client(&emu, &clock, 1).await;
    let b = client(&emu, &clock, 1).await; // another instance, with its own cache
    get(&a, &appid(0)).await.unwrap();
    get(&b, &appid(0)).await.unwrap(); // B's refresh kills A's token at once
    assert_eq!(fetches(&emu, &appid(0)), 2);
    let before = emu.stats().endpoint(&op(GET));
    get(&a, &appid(0)).await.unwrap();
    let after = emu.stats().endpoint(&op(GET));
    assert_eq!(after.requests - before.requests, 2, "one resend");
    assert_eq!(after.errors.get(&40001), Some(&1));
    assert_eq!(fetches(&emu, &appid(0)), 3, "one refresh");
    get(&a, &appid(0)).await.unwrap();
    assert_eq!((fetches(&emu, &appid(0)), emu.stats().endpoint(&op(GET)).requests), (3, after.requests + 1));
}

#[tokio::test]
async fn a_rotated_refresh_token_survives_a_restart_of_the_client() {
    let (b, clock) = emulator([authorizer(0)]);
    let patch = SettingsPatch { wechat_refresh_token_overlap_secs: Some(0), ..SettingsPatch::default() };
    let emu = b.wechat_rotate_refresh_token(true).seed(settings(patch)).start().await.unwrap();
    let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
    let key = format!("{}:{}", wechat_ams::authorizer_namespace(COMPONENT), appid(0));

    let first = builder(&emu, &clock).token_store(store.clone()).build().unwrap();
    first.tokens().put_refresh_token(&appid(0), refresh(0)).await.unwrap();
    get(&first, &appid(0)).await.unwrap();
    let rotated = store.durable(&key).await.unwrap().unwrap().value;
    assert_ne!(rotated.expose(), refresh(0), "rotated, and stored before the call returned");
    drop(first);

    // A restart two hours later: the access token has expired, the first refresh token is dead.
    clock.advance(7200);
    let second = builder(&emu, &clock).token_store(store.clone()).build().unwrap();
    get(&second, &appid(0)).await.unwrap();
    assert_eq!(fetches(&emu, &appid(0)), 2);
    let latest: Vec<_> = second.authorization().authorizers().try_collect().await.unwrap();
    assert_eq!(store.durable(&key).await.unwrap().unwrap().value, latest[0].refresh_token, "the latest is stored");

    // Without the stored one, the first refresh token is refused.
    let forgetful = client(&emu, &clock, 1).await;
    assert_eq!(get(&forgetful, &appid(0)).await.unwrap_err().code(), Some(61023));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_authorizers_concurrently_without_cross_talk() {
    let n = 30;
    let set_of = |i: usize| -> CategorySet {
        AmsCategory::ALL
            .iter()
            .enumerate()
            .filter(|(bit, _)| i & (1 << (bit % 5)) != 0)
            .map(|(_, c)| c.clone())
            .collect()
    };
    let (b, clock) = emulator((0..n).map(|i| authorizer(i).ams_category(set_of(i).to_string())));
    let emu = b.start().await.unwrap();
    let wechat = client(&emu, &clock, n).await;
    let calls = (0..n).flat_map(|i| (0..10).map(move |_| i)).map(|i| {
        let wechat = wechat.clone();
        async move { (i, get(&wechat, &appid(i)).await) }
    });
    for (i, result) in join_all(calls).await {
        assert_eq!(result.unwrap(), set_of(i), "mini program {i} got its own list");
    }
    let mut tokens = HashSet::new();
    for i in 0..n {
        assert_eq!(fetches(&emu, &appid(i)), 1, "one fetch for {i}");
        tokens.insert(wechat.tokens().cached_authorizer(&appid(i)).await.unwrap().unwrap().value);
    }
    assert_eq!(tokens.len(), n, "a token of its own each");
    assert_eq!(component_fetches(&emu), 1);
}

#[tokio::test]
async fn the_component_token_is_refreshed_ahead_of_expiry_in_the_background() {
    let (emu, clock) = start(1).await;
    let wechat = client(&emu, &clock, 1).await;
    let first = wechat.tokens().component().await.unwrap();
    clock.advance(7200 - 200); // within the 5 minutes of refresh ahead, usable still
    assert_eq!(wechat.tokens().component().await.unwrap(), first, "the current token is served at once");
    // Poll for the swap: the background refresh stores the new token when its answer is in.
    let mut second = first.clone();
    for _ in 0..500 {
        second = wechat.tokens().cached_component().await.unwrap().unwrap();
        if second != first {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_ne!(second.value, first.value, "refreshed in the background");
    assert_eq!(component_fetches(&emu), 2);
    assert_eq!(wechat.tokens().component().await.unwrap(), second, "swapped once fetched");
}

#[tokio::test]
async fn without_a_ticket_nothing_is_sent() {
    let (emu, clock) = start(1).await;
    let wechat = builder_without_ticket(&emu, &clock).build().unwrap();
    wechat.tokens().put_refresh_token(&appid(0), refresh(0)).await.unwrap();
    let e = get(&wechat, &appid(0)).await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.request_not_sent()), (ErrorKind::Auth, None, true));
    assert!(e.message().contains("receive_push") && e.message().contains("start_push_ticket"), "{e}");
    assert_eq!(emu.stats().total_requests(), 0);
    assert_eq!(wechat.tokens().ticket().await.unwrap(), None);
}

/// A central token service: hands out the tokens it holds, and records rejections.
#[derive(Debug, Default)]
struct Central {
    tokens: Mutex<Vec<(Tenant, Vec<&'static str>)>>,
    asked: Mutex<u32>,
    rejected: Mutex<Vec<(Tenant, String)>>,
}

#[async_trait]
impl Credentials for Central {
    async fn token(&self, tenant: &Tenant) -> Result<Token, Error> {
        *self.asked.lock().unwrap() += 1;
        let tokens = self.tokens.lock().unwrap();
        let (_, values) =
            tokens.iter().find(|(t, _)| t == tenant).ok_or_else(|| Error::auth(format!("no token for {tenant}")))?;
        Ok(Token { value: Secret::new(values[0]), expires_at: u64::MAX })
    }

    async fn invalidate(&self, tenant: &Tenant, failed: &Secret) {
        self.rejected.lock().unwrap().push((tenant.clone(), failed.expose().to_owned()));
        let mut tokens = self.tokens.lock().unwrap();
        if let Some((_, values)) = tokens.iter_mut().find(|(t, _)| t == tenant)
            && values.len() > 1
            && values[0] == failed.expose()
        {
            values.remove(0);
        }
    }
}

#[tokio::test]
async fn externally_managed_tokens_are_asked_for_and_told_of_rejections() {
    let component = WechatComponent::new(COMPONENT, SECRET, TICKET).access_token("central-component-1");
    let (b, clock) = emulator([authorizer(0).access_token("central-a0-1"), authorizer(0).access_token("central-a0-2")]);
    let plan =
        FaultPlan::seeded(1).script(op(GET), [tx_emulator::Step::Pass, tx_emulator::Step::Fault(Fault::Code(40001))]);
    let emu =
        b.seed(Seed { wechat_components: vec![component], ..Seed::default() }).faults(plan).start().await.unwrap();
    let central = Arc::new(Central::default());
    central.tokens.lock().unwrap().extend([
        (Tenant::new(COMPONENT), vec!["central-component-1"]),
        (Tenant::new(appid(0)), vec!["central-a0-1", "central-a0-2"]),
    ]);
    let wechat = Client::builder()
        .component_appid(COMPONENT)
        .component_credentials(central.clone())
        .authorizer_credentials(central.clone())
        .endpoint(emu.base_url())
        .clock(clock.clone())
        .retry(fast_retry())
        .http_client(http())
        .build()
        .unwrap();
    get(&wechat, &appid(0)).await.unwrap();
    assert_eq!(wechat.provider().share_ratio().await.unwrap(), 40, "the component token from the service");
    get(&wechat, &appid(0)).await.unwrap(); // 40001, then the service's next token
    assert_eq!(*central.rejected.lock().unwrap(), [(Tenant::new(appid(0)), "central-a0-1".to_owned())]);
    assert_eq!(requests(&emu, &op(GET)), 3);
    assert_eq!(emu.stats().token_fetches.len(), 0, "no token was fetched from WeChat");
    assert_eq!(*central.asked.lock().unwrap(), 4);
    assert_eq!(wechat.tokens().refresh_token(&appid(0)).await.unwrap_err().field(), Some("authorizer_credentials"));
    assert_eq!(wechat.tokens().cached_authorizer(&appid(0)).await.unwrap(), None);
    assert_eq!(wechat.tokens().start_push_ticket().await.unwrap_err().field(), Some("component_secret"));
}

#[tokio::test]
async fn an_authorization_code_is_exchanged_and_its_tokens_stored() {
    let (emu, clock) = start(0).await;
    let wechat = builder(&emu, &clock).build().unwrap();
    let event =
        control(&emu, "wechat/event", serde_json::json!({"info_type": "authorized", "authorizer_appid": appid(5)}))
            .await;
    let code = event["authorization_code"].as_str().unwrap().to_owned();
    let info = wechat.authorization().query_auth(code.clone()).await.unwrap();
    assert_eq!((info.authorizer_appid.as_str(), info.expires_in), (appid(5).as_str(), 7200));
    assert!(!info.func_info.is_empty());
    assert_eq!(wechat.tokens().refresh_token(&appid(5)).await.unwrap().unwrap().value, info.authorizer_refresh_token);
    get(&wechat, &appid(5)).await.unwrap();
    assert_eq!(fetches(&emu, &appid(5)), 1, "the exchanged token is used as it is");
    let again = wechat.authorization().query_auth(code).await.unwrap_err();
    assert_eq!(again.code(), Some(61009), "a code is single-use");
    assert_eq!(requests(&emu, &component_api("api_query_auth")), 2);
}

#[tokio::test]
async fn the_pre_auth_code_makes_the_authorization_pages() {
    let (emu, clock) = start(0).await;
    let wechat = builder(&emu, &clock).build().unwrap();
    let pre = wechat.authorization().pre_auth_code().await.unwrap();
    assert!(pre.pre_auth_code.expose().starts_with("preauthcode@@@") && pre.expires_in > 0);
    let url = wechat
        .authorization()
        .authorization_url(&pre.pre_auth_code, "https://example.com/done", AuthType::MiniProgram)
        .unwrap();
    let parsed = url::Url::parse(&url).unwrap();
    let q: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    assert_eq!(parsed.path(), "/cgi-bin/componentloginpage");
    assert!(q.contains(&("pre_auth_code".into(), pre.pre_auth_code.expose().to_owned())));
    assert!(q.contains(&("auth_type".into(), "2".into())) && q.contains(&("component_appid".into(), COMPONENT.into())));
    let mobile = wechat
        .authorization()
        .mobile_authorization_url(&pre.pre_auth_code, "https://example.com/done", AuthType::Both, Some(&appid(1)))
        .unwrap();
    assert!(mobile.starts_with(
        "https://open.weixin.qq.com/wxaopen/safe/bindcomponent?action=bindcomponent&no_scan=1&component_appid="
    ));
    assert!(mobile.ends_with("#wechat_redirect") && mobile.contains("auth_type=3") && mobile.contains(&appid(1)));
    let bad = wechat.authorization().authorization_url(&pre.pre_auth_code, "/relative", AuthType::MiniProgram);
    assert_eq!(bad.unwrap_err().field(), Some("redirect_uri"));
}

#[tokio::test]
async fn the_authorizer_list_is_read_page_by_page() {
    let (emu, clock) = start(1001).await;
    let wechat = builder(&emu, &clock).build().unwrap();
    let all: Vec<_> = wechat.authorization().authorizers().try_collect().await.unwrap();
    assert_eq!(all.len(), 1001);
    assert_eq!(all.iter().map(|a| a.authorizer_appid.as_str()).collect::<HashSet<_>>().len(), 1001);
    assert_eq!(requests(&emu, &component_api("api_get_authorizer_list")), 3, "pages of 500");
    assert_eq!(wechat.tokens().recover_refresh_tokens().await.unwrap(), 1001);
    assert_eq!(wechat.tokens().refresh_token(&appid(1000)).await.unwrap().unwrap().value.expose(), refresh(1000));
}
