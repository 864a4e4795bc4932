//! Fault injection: statuses, dropped connections, slow replies, platform codes, scripts,
//! determinism from the seed, and the counters that record them.

mod common;

use common::*;
use std::time::Duration;
use tx_emulator::{AdsAccount, Emulator, Fault, FaultPlan, Step, WechatAuthorizer};

const BODY: &str = r#"{"From_Account":"alice","StartIndex":0,"MaxLimited":10,"LastSequence":0}"#;

/// What a client sees: an HTTP status, a platform code, or a dropped connection.
#[derive(Debug, PartialEq, Eq, Clone)]
enum Seen {
    Status(u16),
    Code(i64),
    Dropped,
}

async fn call(http: &Http, path: &str, body: &str) -> Seen {
    match http.try_post(path, body).await {
        Err(e) => {
            assert!(!e.is_timeout() && !e.is_status(), "{e}");
            Seen::Dropped
        }
        Ok(r) if r.status != 200 => Seen::Status(r.status),
        Ok(r) => Seen::Code(
            r.json
                .get("ErrorCode")
                .or_else(|| r.json.get("ret"))
                .or_else(|| r.json.get("code"))
                .and_then(|c| c.as_i64())
                .unwrap_or(0),
        ),
    }
}

async fn run_plan(plan: FaultPlan, n: usize) -> Vec<Seen> {
    let (b, _) = tim_builder(&["alice"]);
    let emu = b.tim_rate_limit(None).faults(plan).start().await.unwrap();
    let http = Http::new(&emu);
    let mut seen = Vec::new();
    for _ in 0..n {
        seen.push(call(&http, &tim_path("sns/black_list_get"), BODY).await);
    }
    seen
}

#[tokio::test]
async fn scripted_sequences_play_in_order_then_normal_service() {
    let plan = FaultPlan::seeded(1).script(
        "v4/sns/black_list_get",
        [
            Fault::Http(502).into(),
            Fault::Http(503).into(),
            Fault::Drop.into(),
            Fault::Code(30007).into(),
            Step::Pass,
            Fault::Busy.into(),
        ],
    );
    let (b, _) = tim_builder(&["alice"]);
    let emu = b.faults(plan).start().await.unwrap();
    let http = Http::new(&emu);
    let path = tim_path("sns/black_list_get");
    let mut seen = Vec::new();
    for _ in 0..7 {
        seen.push(call(&http, &path, BODY).await);
    }
    assert_eq!(
        seen,
        [
            Seen::Status(502),
            Seen::Status(503),
            Seen::Dropped,
            Seen::Code(30007),
            Seen::Code(0),
            Seen::Code(30006),
            Seen::Code(0)
        ]
    );
    let stats = emu.stats().endpoint("v4/sns/black_list_get");
    assert_eq!(stats.requests, 7);
    assert_eq!(stats.ok, 2);
    assert_eq!(stats.http_errors.get(&502), Some(&1));
    assert_eq!(stats.http_errors.get(&503), Some(&1));
    assert_eq!(stats.errors.get(&30007), Some(&1));
    assert_eq!(stats.errors.get(&30006), Some(&1));
    for label in ["http_502", "http_503", "drop", "code_30007", "busy"] {
        assert_eq!(stats.faults.get(label), Some(&1), "{label}");
    }
}

#[tokio::test]
async fn a_dropped_connection_gets_no_response_at_all() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (b, _) = tim_builder(&["alice"]);
    let emu = b.faults(FaultPlan::seeded(0).script("v4/sns/black_list_get", [Fault::Drop])).start().await.unwrap();
    let mut tcp = tokio::net::TcpStream::connect(emu.local_addr()).await.unwrap();
    let req = format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{BODY}",
        tim_path("sns/black_list_get"),
        BODY.len()
    );
    tcp.write_all(req.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let n = tcp.read_to_end(&mut buf).await.unwrap_or(0);
    assert_eq!(n, 0, "closed without a byte: {:?}", String::from_utf8_lossy(&buf));
}

#[tokio::test]
async fn rates_are_deterministic_for_a_seed() {
    let plan = |seed| {
        FaultPlan::seeded(seed)
            .rate("v4/sns/black_list_get", Fault::Code(30006), 0.2)
            .rate("tim", Fault::Http(503), 0.1)
            .rate("*", Fault::Drop, 0.1)
    };
    let a = run_plan(plan(42), 60).await;
    let b = run_plan(plan(42), 60).await;
    assert_eq!(a, b, "same seed, same outcomes");
    let c = run_plan(plan(7), 60).await;
    assert_ne!(a, c, "another seed, other outcomes");
    let count = |v: &[Seen], s: &Seen| v.iter().filter(|x| *x == s).count();
    assert!(count(&a, &Seen::Code(30006)) > 0 && count(&a, &Seen::Status(503)) > 0 && count(&a, &Seen::Dropped) > 0);
    assert!(count(&a, &Seen::Code(0)) > 20, "most requests pass: {a:?}");
}

#[tokio::test]
async fn rate_one_faults_everything_and_rate_zero_nothing() {
    assert!(
        run_plan(FaultPlan::seeded(3).rate("*", Fault::Http(502), 1.0), 10)
            .await
            .iter()
            .all(|s| *s == Seen::Status(502))
    );
    assert!(
        run_plan(FaultPlan::seeded(3).rate("*", Fault::Http(502), 0.0), 10).await.iter().all(|s| *s == Seen::Code(0))
    );
    let other = FaultPlan::seeded(3).rate("v4/sns/friend_get", Fault::Http(502), 1.0);
    assert!(run_plan(other, 5).await.iter().all(|s| *s == Seen::Code(0)), "rates for another endpoint do not apply");
}

#[tokio::test(start_paused = true)]
async fn slow_replies_and_fixed_latency_use_tokio_time() {
    let (b, _) = tim_builder(&["alice"]);
    let emu = b
        .latency(Duration::from_millis(50))
        .faults(FaultPlan::seeded(0).script("v4/sns/black_list_get", [Fault::Slow(Duration::from_secs(30))]))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    let start = tokio::time::Instant::now();
    assert_eq!(call(&http, &tim_path("sns/black_list_get"), BODY).await, Seen::Code(0));
    assert!(start.elapsed() >= Duration::from_millis(30_050), "{:?}", start.elapsed());
    let start = tokio::time::Instant::now();
    assert_eq!(call(&http, &tim_path("sns/black_list_get"), BODY).await, Seen::Code(0));
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(50) && took < Duration::from_secs(30), "{took:?}");
    let control = tokio::time::Instant::now();
    http.get("/_emulator/stats").await;
    assert!(control.elapsed() < Duration::from_millis(50), "the control API is not delayed");
    assert_eq!(emu.stats().endpoint("v4/sns/black_list_get").faults.get("slow"), Some(&1));
}

#[tokio::test]
async fn item_faults_fail_the_last_item_only() {
    let (b, _) = tim_builder(&["a", "b", "c"]);
    let emu = b
        .faults(FaultPlan::seeded(0).rate("v4/sns/black_list_add", Fault::ItemCode(30006), 1.0))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    let v = tim(&http, "sns/black_list_add", r#"{"From_Account":"a","To_Account":["b","c"]}"#).await;
    assert_eq!(v["ResultItem"][0]["ResultCode"], 0);
    assert_eq!(v["ResultItem"][1]["ResultCode"], 30006);
    assert_eq!(v["Fail_Account"], serde_json::json!(["c"]));
    let check = tim(
        &http,
        "sns/black_list_check",
        r#"{"From_Account":"a","To_Account":["b","c"],"CheckType":"BlackCheckResult_Type_Single"}"#,
    )
    .await;
    assert_eq!(
        check["BlackListCheckItem"][1]["Relation"], "BlackCheckResult_Type_NO",
        "the failed item was not applied"
    );
    let stats = emu.stats().endpoint("v4/sns/black_list_add");
    assert_eq!((stats.ok, stats.item_errors.get(&30006).copied()), (1, Some(1)));
}

#[tokio::test]
async fn wechat_and_ads_codes_use_their_envelopes() {
    let emu = Emulator::builder()
        .wechat_authorizer(WechatAuthorizer::new("wxa").access_token("wx-token"))
        .ads_account(AdsAccount::new(1).access_token("ads-token"))
        .faults(
            FaultPlan::seeded(0)
                .script(
                    "wxa/operationams?action=agency_get_black_list",
                    [Fault::Code(-202), Fault::Busy, Fault::Code(1737)],
                )
                .script("v3.0/watermarks/get", [Fault::Busy, Fault::Code(11017)]),
        )
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    let wx = "/wxa/operationams?action=agency_get_black_list&access_token=wx-token";
    let r = http.post(wx, "{}").await;
    assert_eq!(r.json["ret"], -202);
    let r = http.post(wx, "{}").await;
    assert_eq!(r.json["errcode"], -1, "system busy is a gateway code");
    assert!(r.json["errmsg"].as_str().unwrap().contains("rid: "));
    assert_eq!(http.post(wx, "{}").await.json["ret"], 1737);
    assert_eq!(http.post(wx, "{}").await.json["ret"], 0);
    let ads = "/v3.0/watermarks/get?access_token=ads-token&timestamp=0&nonce=n1";
    let r = http.get(ads).await;
    assert_eq!(r.json["code"], 66045);
    assert!(r.json["message"].as_str().unwrap().contains("trace_id: "));
    assert_eq!(http.get(ads).await.json["code"], 11017);
}

#[tokio::test]
async fn invalid_plans_are_refused() {
    let err = Emulator::builder().faults(FaultPlan::seeded(0).rate("*", Fault::Drop, 2.0)).start().await;
    assert!(err.is_err());
    let emu = Emulator::builder().start().await.unwrap();
    assert!(emu.set_faults(FaultPlan::seeded(0).script("oauth/token", [Fault::Http(200)])).is_err());
}

#[tokio::test]
async fn applied_then_dropped_or_spoiled_replies_still_change_the_state() {
    let (b, _) = tim_builder(&["alice", "bob", "carol"]);
    let plan = FaultPlan::seeded(0).script("v4/sns/black_list_add", [Fault::AppliedDrop, Fault::AppliedHttp(503)]);
    let emu = b.faults(plan).start().await.unwrap();
    let http = Http::new(&emu);
    let add = tim_path("sns/black_list_add");
    assert_eq!(call(&http, &add, r#"{"From_Account":"alice","To_Account":["bob"]}"#).await, Seen::Dropped);
    assert_eq!(call(&http, &add, r#"{"From_Account":"alice","To_Account":["carol"]}"#).await, Seen::Status(503));
    let list = tim(&http, "sns/black_list_get", BODY).await;
    let blocked: Vec<&str> =
        list["BlackListItem"].as_array().unwrap().iter().map(|i| i["To_Account"].as_str().unwrap()).collect();
    assert_eq!(blocked, ["bob", "carol"], "both blocks are in place although no client saw an answer");
    let again = tim(&http, "sns/black_list_add", r#"{"From_Account":"alice","To_Account":["bob"]}"#).await;
    assert_eq!(again["ResultItem"][0]["ResultCode"], 30001, "a retry finds the block already there");
    let stats = emu.stats().endpoint("v4/sns/black_list_add");
    assert_eq!(stats.faults.get("applied_drop"), Some(&1));
    assert_eq!(stats.faults.get("applied_http_503"), Some(&1));
    assert_eq!(stats.http_errors.get(&503), Some(&1));
}

#[tokio::test]
async fn applied_faults_cover_wechat_and_ads_and_come_from_the_seed_and_control_api() {
    let seed = tx_emulator::Seed::from_toml(
        r#"
[[wechat_authorizers]]
authorizer_appid = "wxa"
authorizer_access_token = "wx-token"

[faults]
seed = 1
scripts = { "wxa/operationams?action=agency_set_mp_amscategory_blacklist" = ["applied_drop"] }
"#,
    )
    .unwrap();
    let emu =
        Emulator::builder().seed(seed).ads_account(AdsAccount::new(1).access_token("ads-token")).start().await.unwrap();
    let http = Http::new(&emu);
    let set = "/wxa/operationams?action=agency_set_mp_amscategory_blacklist&access_token=wx-token";
    assert_eq!(call(&http, set, r#"{"ams_category":"LOAN"}"#).await, Seen::Dropped);
    let get = "/wxa/operationams?action=agency_get_mp_amscategory_blacklist&access_token=wx-token";
    assert_eq!(http.post(get, "{}").await.json["ams_category"], "LOAN");

    let plan = serde_json::json!({"scripts": {"v3.0/watermarks/get": [{"applied_http": 502}, "applied_drop"]}});
    assert_eq!(http.post("/_emulator/faults", &plan.to_string()).await.status, 200);
    let ads = |n: &str| format!("/v3.0/watermarks/get?access_token=ads-token&timestamp={}&nonce={n}", now());
    assert_eq!(http.get(&ads("x1")).await.status, 502);
    assert!(http.client.get(format!("{}{}", http.base, ads("x2"))).send().await.is_err());
    let stats = emu.stats().endpoint("v3.0/watermarks/get");
    assert_eq!(stats.faults.get("applied_http_502"), Some(&1));
    assert_eq!(stats.faults.get("applied_drop"), Some(&1));
    let bad = http.post("/_emulator/faults", r#"{"scripts":{"oauth/token":[{"applied_http":404}]}}"#).await;
    assert_eq!(bad.status, 400, "applied_http takes 5xx only");
    let slow = http
        .post(
            "/_emulator/faults",
            r#"{"rates":[{"target":"*","fault":{"slow_ms":18446744073709551615},"probability":1}]}"#,
        )
        .await;
    assert_eq!(slow.status, 400, "a slow fault is at most 10 minutes: {}", slow.text);
    assert!(slow.text.contains("600000"));
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

#[tokio::test]
async fn every_wechat_and_ads_path_takes_faults_with_its_platform_codes() {
    let emu = Emulator::builder()
        .seed(tx_emulator::cli::demo_seed())
        .faults(FaultPlan::seeded(0).rate("wechat", Fault::Busy, 1.0).rate("ads", Fault::Busy, 1.0))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    let wechat = [
        "/cgi-bin/component/api_component_token",
        "/cgi-bin/component/api_authorizer_token",
        "/cgi-bin/component/api_create_preauthcode",
        "/cgi-bin/component/api_query_auth",
        "/cgi-bin/component/api_get_authorizer_list",
        "/cgi-bin/component/api_start_push_ticket",
        "/wxa/operationams?action=agency_create_adunit",
        "/wxa/getdefaultamsinfo?action=get_agency_ads_detail",
    ];
    for path in wechat {
        let r = http.post(path, "{}").await;
        assert_eq!(r.json["errcode"], -1, "{path}: {}", r.text);
    }
    let ads = ["/v3.0/material_async_tasks/get", "/v3.0/watermarks/get", "/oauth/token"];
    for path in ads {
        let r = http.get(path).await;
        assert_eq!(r.json["code"], 66045, "{path}: {}", r.text);
    }
    let r = http.post("/v3.0/material_async_tasks/add", "{}").await;
    assert_eq!(r.json["code"], 66045);
    let plan = FaultPlan::seeded(0).script("wxa/operationams?action=agency_get_black_list", [Fault::Code(-202)]);
    emu.set_faults(plan).unwrap();
    let r = http.post("/wxa/operationams?action=agency_get_black_list&access_token=x", "{}").await;
    assert_eq!(r.json["ret"], -202);
}
