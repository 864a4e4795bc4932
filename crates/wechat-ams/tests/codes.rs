//! Every class of code against the emulator: the AMS `ret` classes of reference §6 and the
//! gateway `errcode` classes of §8, natural (the emulator's own rules) or injected (its
//! fault scripts), and what the client does with each: retry, hold, refresh once, resend
//! once, or surface at once.

mod common;

use common::*;
use std::time::Duration;
use tx_core::ErrorKind;
use tx_emulator::{Fault, FaultPlan, SettingsPatch, Step, WechatAuthorizer};
use wechat_ams::wire::CreateAdUnitRequest;
use wechat_ams::{AdSlot, CategorySet, Opened};

const GET: &str = "agency_get_mp_amscategory_blacklist";

fn script(endpoint: &str, steps: impl IntoIterator<Item = Step>) -> FaultPlan {
    FaultPlan::seeded(1).script(endpoint, steps)
}

fn code(c: i64) -> Step {
    Step::Fault(Fault::Code(c))
}

async fn get(wechat: &wechat_ams::Client, i: usize) -> Result<CategorySet, tx_core::Error> {
    wechat.ams(appid(i)).category_blacklist().get().await
}

#[tokio::test]
async fn internal_errors_and_busy_gateways_are_retried() {
    let (b, clock) = emulator([authorizer(0)]);
    let emu = b.faults(script(&op(GET), [code(-202), Step::Fault(Fault::Busy), Step::Pass])).start().await.unwrap();
    let wechat = client(&emu, &clock, 1).await;
    assert!(get(&wechat, 0).await.unwrap().is_empty());
    let stats = emu.stats().endpoint(&op(GET));
    assert_eq!((stats.requests, stats.errors.get(&-202), stats.errors.get(&-1)), (3, Some(&1), Some(&1)));
}

#[tokio::test]
async fn a_create_is_never_repeated_after_an_ambiguous_failure() {
    let create = op("agency_create_adunit");
    let (b, clock) = emulator([authorizer(0)]);
    let plan = script(&create, [Step::Fault(Fault::AppliedDrop), code(-202), Step::Fault(Fault::AppliedHttp(502))]);
    let emu = b.faults(plan).start().await.unwrap();
    let wechat = client(&emu, &clock, 1).await;
    let units = wechat.ams(appid(0)).adunits();
    let request = CreateAdUnitRequest::new("banner", AdSlot::Banner);
    let lost = units.create(&request).await.unwrap_err();
    assert_eq!(lost.kind(), ErrorKind::Transport, "{lost}");
    assert_eq!(requests(&emu, &create), 1, "a lost reply is not resent");
    let internal = units.create(&request).await.unwrap_err();
    assert_eq!(internal.code(), Some(-202));
    assert_eq!(requests(&emu, &create), 2, "an internal error is not resent");
    let gateway = units.create(&request).await.unwrap_err();
    assert_eq!(gateway.http_status(), Some(502));
    assert_eq!(requests(&emu, &create), 3);
    use futures_util::TryStreamExt;
    let made: Vec<_> = units.list().try_collect().await.unwrap();
    assert_eq!(made.len(), 2, "the lost reply and the 502 were applied; the -202 was not");
}

#[tokio::test(start_paused = true)]
async fn a_create_refused_for_frequency_is_retried_after_the_wait() {
    let create = op("agency_create_adunit");
    let (b, clock) = emulator([authorizer(0)]);
    let emu = b.faults(script(&create, [code(1737)])).start().await.unwrap();
    let wechat = client(&emu, &clock, 1).await;
    let start = tokio::time::Instant::now();
    let id = wechat.ams(appid(0)).adunits().create(&CreateAdUnitRequest::new("b", AdSlot::Banner)).await.unwrap();
    assert!(id.starts_with("adunit-"));
    assert!(start.elapsed() >= Duration::from_secs(60), "held for the minute 1737 asks");
    assert_eq!(requests(&emu, &create), 2);
}

#[tokio::test]
async fn an_idempotent_write_is_resent_after_a_lost_reply() {
    let set = op("agency_set_mp_amscategory_blacklist");
    let (b, clock) = emulator([authorizer(0)]);
    let emu = b.faults(script(&set, [Step::Fault(Fault::AppliedDrop)])).start().await.unwrap();
    let wechat = client(&emu, &clock, 1).await;
    let wanted: CategorySet = "CHESS|LOAN".parse().unwrap();
    wechat.ams(appid(0)).category_blacklist().set(&wanted).await.unwrap();
    assert_eq!(requests(&emu, &set), 2);
    assert_eq!(get(&wechat, 0).await.unwrap(), wanted);
}

#[tokio::test]
async fn permanent_ams_codes_surface_at_once_with_their_kind_and_hint() {
    let cases: [(i64, ErrorKind, Option<&str>); 9] = [
        (1700, ErrorKind::Api, None),
        (1701, ErrorKind::Api, None),
        (1735, ErrorKind::Api, None),
        (1736, ErrorKind::Auth, Some("different third-party platform")),
        (1807, ErrorKind::Api, Some("agency_create_publisher")),
        (2009, ErrorKind::Api, Some("agency_create_publisher")),
        (2013, ErrorKind::Api, None),
        (2035, ErrorKind::Api, None),
        (2056, ErrorKind::Api, None),
    ];
    let (b, clock) = emulator([authorizer(0)]);
    let emu = b.faults(script(&op(GET), cases.iter().map(|c| code(c.0)))).start().await.unwrap();
    let wechat = client(&emu, &clock, 1).await;
    for (n, (ret, kind, hint)) in cases.into_iter().enumerate() {
        let e = get(&wechat, 0).await.unwrap_err();
        assert_eq!((e.code(), e.kind(), e.is_retryable()), (Some(ret), kind, false), "{e}");
        if let Some(hint) = hint {
            assert!(e.message().contains(hint), "{e}");
        }
        assert_eq!(e.endpoint(), Some(GET));
        assert_eq!(requests(&emu, &op(GET)), n as u64 + 1, "{ret} was not resent");
    }
}

#[tokio::test(start_paused = true)]
async fn operating_too_fast_holds_one_mini_programs_action_for_a_minute() {
    let (b, clock) = emulator([authorizer(0), authorizer(1)]);
    let emu = b.wechat_ams_rate_limit(Some(1), Duration::from_secs(60)).start().await.unwrap();
    let wechat = client(&emu, &clock, 2).await;
    get(&wechat, 0).await.unwrap();
    let start = tokio::time::Instant::now();
    let (held, other) = tokio::join!(get(&wechat, 0), async {
        tokio::time::sleep(Duration::from_millis(10)).await;
        let t = tokio::time::Instant::now();
        (get(&wechat, 1).await, t.elapsed())
    });
    held.unwrap();
    assert!(start.elapsed() >= Duration::from_secs(60));
    let (other, other_wait) = other;
    other.unwrap();
    assert!(other_wait < Duration::from_secs(1), "another mini program's key is not held: {other_wait:?}");
    let stats = emu.stats().endpoint(&op(GET));
    assert_eq!((stats.requests, stats.throttled), (4, 1));
}

#[tokio::test]
async fn waits_of_an_hour_are_surfaced_not_slept() {
    let (b, clock) = emulator([authorizer(0).publisher(false)]);
    let patch = SettingsPatch { wechat_publisher_settle_secs: Some(3600), ..SettingsPatch::default() };
    let emu = b.seed(settings(patch)).start().await.unwrap();
    let wechat = client(&emu, &clock, 1).await;
    assert_eq!(wechat.ams(appid(0)).publisher().ensure_open().await.unwrap(), Opened::Now);
    let e = get(&wechat, 0).await.unwrap_err();
    assert_eq!(
        (e.code(), e.kind(), e.retry_after()),
        (Some(2068), ErrorKind::Throttled, Some(Duration::from_secs(3600)))
    );
    assert!(e.is_retryable());
    assert_eq!(requests(&emu, &op(GET)), 1);
}

#[tokio::test]
async fn token_errors_refresh_once_and_resend_once() {
    for token_error in [40001, 40014, 42001] {
        let (b, clock) = emulator([authorizer(0)]);
        let emu = b.faults(script(&op(GET), [code(token_error)])).start().await.unwrap();
        let wechat = client(&emu, &clock, 1).await;
        let first = wechat.tokens().authorizer(&appid(0)).await.unwrap();
        get(&wechat, 0).await.unwrap();
        let second = wechat.tokens().cached_authorizer(&appid(0)).await.unwrap().unwrap();
        assert_ne!(first.value, second.value, "{token_error}: refreshed");
        assert_eq!((fetches(&emu, &appid(0)), requests(&emu, &op(GET))), (2, 2), "{token_error}");
    }
}

#[tokio::test]
async fn a_token_error_that_persists_is_surfaced_after_one_refresh() {
    let (b, clock) = emulator([authorizer(0)]);
    let emu = b.faults(script(&op(GET), [code(40001), code(40001), code(40001)])).start().await.unwrap();
    let wechat = client(&emu, &clock, 1).await;
    let e = get(&wechat, 0).await.unwrap_err();
    assert_eq!((e.code(), e.kind()), (Some(40001), ErrorKind::Auth));
    assert!(e.message().contains("several instances"), "the hint: {e}");
    assert_eq!((fetches(&emu, &appid(0)), requests(&emu, &op(GET))), (2, 2), "never a loop");
}

#[tokio::test]
async fn a_refused_refresh_token_says_how_to_recover_and_is_recovered() {
    let (emu, clock) = start(1).await;
    let wechat = builder(&emu, &clock).build().unwrap();
    wechat.tokens().put_refresh_token(&appid(0), "refreshtoken@@@lost").await.unwrap();
    let e = get(&wechat, 0).await.unwrap_err();
    assert_eq!((e.code(), e.kind(), e.is_retryable()), (Some(61023), ErrorKind::Auth, false));
    assert!(e.message().contains(&appid(0)) && e.message().contains("recover_refresh_tokens"), "{e}");
    assert_eq!(requests(&emu, &component_api("api_authorizer_token")), 1, "not retried");
    assert_eq!(requests(&emu, &op(GET)), 0);
    assert_eq!(wechat.tokens().recover_refresh_tokens().await.unwrap(), 1);
    assert_eq!(wechat.tokens().refresh_token(&appid(0)).await.unwrap().unwrap().value.expose(), refresh(0));
    get(&wechat, 0).await.unwrap();
}

#[tokio::test]
async fn ticket_errors_say_to_wait_for_a_push() {
    let (emu, clock) = start(1).await;
    let wechat = client(&emu, &clock, 1).await;
    wechat.tokens().set_ticket("ticket@@@not-issued", T0 as i64).await.unwrap();
    let e = get(&wechat, 0).await.unwrap_err();
    assert_eq!((e.code(), e.kind()), (Some(61006), ErrorKind::Auth));
    assert!(e.message().contains("api_start_push_ticket") && e.message().contains("component_access_token"), "{e}");
    assert_eq!(requests(&emu, &component_api("api_component_token")), 1);
    assert_eq!(emu.stats().total_requests(), 1, "nothing else was sent");
}

#[tokio::test]
async fn an_expired_ticket_says_to_wait_for_a_push() {
    // WeChat pushed newer tickets this client never received; 12 h later its ticket is dead.
    let (emu, clock) = start(1).await;
    let wechat = client(&emu, &clock, 1).await;
    control(&emu, "wechat/event", serde_json::json!({"info_type": "component_verify_ticket"})).await;
    clock.advance(12 * 3600 + 1);
    let e = get(&wechat, 0).await.unwrap_err();
    assert_eq!((e.code(), e.kind(), e.is_retryable()), (Some(61005), ErrorKind::Auth, false));
    assert!(e.message().contains("api_start_push_ticket"), "{e}");
    assert_eq!(requests(&emu, &component_api("api_component_token")), 1);
}

#[tokio::test]
async fn configuration_errors_are_permanent() {
    // A wrong AppSecret.
    let (emu, clock) = start(1).await;
    let wrong = builder(&emu, &clock).component_secret("not-the-secret").build().unwrap();
    wrong.tokens().put_refresh_token(&appid(0), refresh(0)).await.unwrap();
    let e = get(&wrong, 0).await.unwrap_err();
    assert_eq!((e.code(), e.kind()), (Some(40125), ErrorKind::Auth));
    assert_eq!(requests(&emu, &component_api("api_component_token")), 1);

    // A mini program authorized to another platform.
    let other = WechatAuthorizer::new(appid(1)).component("wx0d0d0d0d0d0d0d0d").refresh_token(refresh(1));
    let (b, clock) = emulator([authorizer(0), other]);
    let emu = b.start().await.unwrap();
    let wechat = client(&emu, &clock, 2).await;
    let e = get(&wechat, 1).await.unwrap_err();
    assert_eq!((e.code(), e.kind()), (Some(61003), ErrorKind::Auth));
    assert_eq!(requests(&emu, &component_api("api_authorizer_token")), 1);

    // Gateway refusals of the call itself.
    for (errcode, hint) in [(48001, "token kind"), (61007, ""), (61004, "allow-list")] {
        let (b, clock) = emulator([authorizer(0)]);
        let emu = b.faults(script(&op(GET), [code(errcode)])).start().await.unwrap();
        let wechat = client(&emu, &clock, 1).await;
        let e = get(&wechat, 0).await.unwrap_err();
        assert_eq!((e.code(), e.kind(), e.is_retryable()), (Some(errcode), ErrorKind::Auth, false));
        assert!(e.message().contains(hint), "{e}");
        assert_eq!(requests(&emu, &op(GET)), 1);
    }
}

#[tokio::test]
async fn the_daily_token_quota_is_surfaced() {
    let (b, clock) = emulator([authorizer(0)]);
    // The second token of the day is refused: the token the first call got is rejected
    // (40001), and its refresh meets the quota.
    let plan = script(&op(GET), [Step::Pass, code(40001)]);
    let emu = b.wechat_token_daily_quota(Some(1)).faults(plan).start().await.unwrap();
    let wechat = client(&emu, &clock, 1).await;
    get(&wechat, 0).await.unwrap();
    let e = get(&wechat, 0).await.unwrap_err();
    assert_eq!((e.code(), e.kind(), e.is_retryable()), (Some(45009), ErrorKind::Throttled, false));
    assert!(e.message().contains("authorizer_access_token"), "{e}");
    assert_eq!(requests(&emu, &component_api("api_authorizer_token")), 2);
    assert_eq!((requests(&emu, &op(GET)), component_fetches(&emu)), (2, 1));
}

#[tokio::test(start_paused = true)]
async fn the_minute_token_quota_holds_and_retries() {
    let (b, clock) = emulator([authorizer(0), authorizer(1)]);
    let emu = b.wechat_token_fetch_per_minute(Some(2)).start().await.unwrap();
    let wechat = client(&emu, &clock, 2).await;
    get(&wechat, 0).await.unwrap(); // the component's fetch and the first authorizer's
    let start = tokio::time::Instant::now();
    get(&wechat, 1).await.unwrap();
    assert!(start.elapsed() >= Duration::from_secs(60));
    let stats = emu.stats().endpoint(&component_api("api_authorizer_token"));
    assert_eq!((stats.requests, stats.errors.get(&45011)), (3, Some(&1)));
}
