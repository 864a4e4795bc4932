//! TIM request conventions: query parameters, UserSig verification, admin identity, body.

mod common;

use common::*;
use std::time::Duration;

async fn code(http: &Http, path: &str, body: &str) -> i64 {
    let r = http.post(path, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    if r.json["ErrorCode"] != 0 {
        assert_eq!(r.json["ActionStatus"], "FAIL");
    }
    r.json["ErrorCode"].as_i64().unwrap()
}

const BODY: &str = r#"{"From_Account":"alice","StartIndex":0,"MaxLimited":10,"LastSequence":0}"#;

#[tokio::test]
async fn a_valid_admin_call_succeeds() {
    let (_emu, http) = tim_emulator(&["alice"]).await;
    assert_eq!(code(&http, &tim_path("sns/black_list_get"), BODY).await, 0);
}

#[tokio::test]
async fn usersig_failures_map_to_their_codes() {
    let (b, clock) = tim_builder(&["alice"]);
    let emu = b.tim_app(tx_emulator::TimApp::new(1_400_000_001, "other-key")).start().await.unwrap();
    let http = Http::new(&emu);
    let cmd = "sns/black_list_get";
    let wrong_key = sig_at(APP, "not-the-key", ADMIN, T0, 86_400);
    assert_eq!(code(&http, &tim_path_as(cmd, ADMIN, &wrong_key), BODY).await, 70009);
    let alices = sig_at(APP, KEY, "alice", T0, 86_400);
    assert_eq!(code(&http, &tim_path_as(cmd, ADMIN, &alices), BODY).await, 70013);
    let other_app = sig_at(1_400_000_001, "other-key", ADMIN, T0, 86_400);
    assert_eq!(code(&http, &tim_path_as(cmd, ADMIN, &other_app), BODY).await, 70014);
    assert_eq!(code(&http, &tim_path_as(cmd, ADMIN, "not*a*usersig"), BODY).await, 70003);
    assert_eq!(code(&http, &tim_path_as(cmd, ADMIN, "eJyrVkrOzy0oSi0uTk1RslIqLU4tUqoFAEm2Bxw_"), BODY).await, 70003);
    let short = sig_at(APP, KEY, ADMIN, T0, 60);
    assert_eq!(code(&http, &tim_path_as(cmd, ADMIN, &short), BODY).await, 0);
    clock.advance(60);
    assert_eq!(code(&http, &tim_path_as(cmd, ADMIN, &short), BODY).await, 0, "valid through time + expire");
    clock.advance(1);
    assert_eq!(code(&http, &tim_path_as(cmd, ADMIN, &short), BODY).await, 70001);
}

#[tokio::test]
async fn a_new_key_invalidates_remembered_usersigs() {
    let (emu, http) = tim_emulator(&["alice"]).await;
    let path = tim_path("sns/black_list_get");
    assert_eq!(code(&http, &path, BODY).await, 0);
    assert_eq!(code(&http, &path, BODY).await, 0, "the second time from memory");
    let seed = tx_emulator::Seed {
        tim_apps: vec![tx_emulator::TimApp::new(APP, "rotated-key").admin(ADMIN)],
        ..Default::default()
    };
    emu.seed(&seed).unwrap();
    assert_eq!(code(&http, &path, BODY).await, 70009, "signed with the old key");
}

#[tokio::test]
async fn query_parameters_are_required() {
    let (_emu, http) = tim_emulator(&["alice"]).await;
    let s = sig(ADMIN);
    let base = "/v4/sns/black_list_get?";
    let cases = [
        (format!("identifier={ADMIN}&usersig={s}&random=1&contenttype=json"), 60012),
        (format!("sdkappid=abc&identifier={ADMIN}&usersig={s}&random=1&contenttype=json"), 60002),
        (format!("sdkappid=1400009999&identifier={ADMIN}&usersig={s}&random=1&contenttype=json"), 70020),
        (format!("sdkappid={APP}&usersig={s}&random=1&contenttype=json"), 60004),
        (format!("sdkappid={APP}&identifier={ADMIN}&random=1&contenttype=json"), 60005),
        (format!("sdkappid={APP}&identifier={ADMIN}&usersig={s}&contenttype=json"), 60002),
        (format!("sdkappid={APP}&identifier={ADMIN}&usersig={s}&random=-1&contenttype=json"), 60002),
        (format!("sdkappid={APP}&identifier={ADMIN}&usersig={s}&random=1"), 60002),
        (format!("sdkappid={APP}&identifier={ADMIN}&usersig={s}&random=1&contenttype=JSON"), 60002),
        (format!("sdkappid={APP}&identifier={ADMIN}&usersig={s}&random=4294967295&contenttype=json"), 0),
    ];
    for (query, expected) in cases {
        assert_eq!(code(&http, &format!("{base}{query}"), BODY).await, expected, "{query}");
    }
}

#[tokio::test]
async fn only_admins_may_call() {
    let (_emu, http) = tim_emulator(&["alice"]).await;
    let alice = sig("alice");
    assert_eq!(code(&http, &tim_path_as("sns/black_list_get", "alice", &alice), BODY).await, 30004);
    let import = tim_path_as("im_open_login_svc/account_import", "alice", &alice);
    assert_eq!(code(&http, &import, r#"{"UserID":"bob"}"#).await, 70403);
}

#[tokio::test]
async fn the_body_must_be_a_json_object() {
    let (_emu, http) = tim_emulator(&["alice"]).await;
    let path = tim_path("sns/black_list_get");
    assert_eq!(code(&http, &path, "").await, 60003);
    assert_eq!(code(&http, &path, "  \n").await, 60003);
    assert_eq!(code(&http, &path, "{not json").await, 60003);
    assert_eq!(code(&http, &path, "[1,2]").await, 60003);
    assert_eq!(code(&http, &path, "{}").await, 30001, "an object without the required fields");
}

#[tokio::test]
async fn unknown_commands_and_methods() {
    let (_emu, http) = tim_emulator(&["alice"]).await;
    assert_eq!(code(&http, &tim_path("sns/no_such_command"), "{}").await, 60009);
    let r = http.get(&tim_path("sns/black_list_get")).await;
    assert_eq!((r.status, r.json["ErrorCode"].as_i64()), (200, Some(60002)));
}

#[tokio::test]
async fn accounts_are_imported_over_the_wire() {
    let (_emu, http) = tim_emulator(&[]).await;
    let import = tim_path("im_open_login_svc/account_import");
    assert_eq!(code(&http, &import, r#"{"UserID":"alice","Nick":"Alice"}"#).await, 0);
    assert_eq!(code(&http, &import, r#"{"UserID":"alice"}"#).await, 0, "importing again is fine");
    assert_eq!(code(&http, &import, &format!(r#"{{"UserID":"{}"}}"#, "x".repeat(33))).await, 70402);
    assert_eq!(code(&http, &import, r#"{"Nick":"nobody"}"#).await, 70402);
    let multi = http
        .post(
            &tim_path("im_open_login_svc/multiaccount_import"),
            &format!(r#"{{"Accounts":["bob","carol","{}"]}}"#, "y".repeat(40)),
        )
        .await;
    assert_eq!(multi.json["ErrorCode"], 0);
    assert_eq!(multi.json["FailAccounts"], serde_json::json!(["y".repeat(40)]));
    let too_many: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let body = serde_json::json!({ "Accounts": too_many }).to_string();
    assert_eq!(code(&http, &tim_path("im_open_login_svc/multiaccount_import"), &body).await, 70402);
    let check = tim(
        &http,
        "sns/black_list_check",
        r#"{"From_Account":"alice","To_Account":["bob","carol"],"CheckType":"BlackCheckResult_Type_Single"}"#,
    )
    .await;
    assert!(check.get("Fail_Account").is_none(), "imported accounts exist: {check}");
}

#[tokio::test]
async fn accounts_are_checked_and_deleted_over_the_wire() {
    let (_emu, http) = tim_emulator(&["alice", "bob"]).await;
    let check =
        tim(&http, "im_open_login_svc/account_check", r#"{"CheckItem":[{"UserID":"alice"},{"UserID":"nobody"}]}"#)
            .await;
    assert_eq!(check["ErrorCode"], 0);
    assert_eq!(
        check["ResultItem"],
        serde_json::json!([
            {"UserID": "alice", "ResultCode": 0, "ResultInfo": "", "AccountStatus": "Imported"},
            {"UserID": "nobody", "ResultCode": 0, "ResultInfo": "", "AccountStatus": "NotImported"},
        ])
    );
    let delete =
        tim(&http, "im_open_login_svc/account_delete", r#"{"DeleteItem":[{"UserID":"bob"},{"UserID":"nobody"}]}"#)
            .await;
    assert_eq!(
        delete["ResultItem"],
        serde_json::json!([
            {"ResultCode": 0, "ResultInfo": "", "UserID": "bob"},
            {"ResultCode": 70107, "ResultInfo": "Err_TLS_PT_Open_Login_Account_Not_Exist", "UserID": "nobody"},
        ])
    );
    let after = tim(&http, "im_open_login_svc/account_check", r#"{"CheckItem":[{"UserID":"bob"}]}"#).await;
    assert_eq!(after["ResultItem"][0]["AccountStatus"], "NotImported");
    let hundred_and_one: Vec<_> = (0..101).map(|i| serde_json::json!({"UserID": format!("u{i}")})).collect();
    for (cmd, field) in [("account_check", "CheckItem"), ("account_delete", "DeleteItem")] {
        let path = tim_path(&format!("im_open_login_svc/{cmd}"));
        let body = serde_json::json!({ field: hundred_and_one }).to_string();
        assert_eq!(code(&http, &path, &body).await, 70402, "{cmd}: more than 100 items");
        assert_eq!(code(&http, &path, &format!(r#"{{"{field}":[]}}"#)).await, 70402, "{cmd}: empty");
        assert_eq!(code(&http, &path, &format!(r#"{{"{field}":[{{"Nick":"x"}}]}}"#)).await, 70402, "{cmd}: no UserID");
        assert_eq!(code(&http, &path, "{}").await, 70402, "{cmd}: no items");
    }
}

#[tokio::test(start_paused = true)]
async fn rate_limit_per_app_and_command_in_one_second_windows() {
    let (b, _) = tim_builder(&["alice"]);
    let emu = b.tim_rate_limit(Some(3)).start().await.unwrap();
    let http = Http::new(&emu);
    let path = tim_path("sns/black_list_get");
    for _ in 0..3 {
        assert_eq!(code(&http, &path, BODY).await, 0);
    }
    assert_eq!(code(&http, &path, BODY).await, 60007);
    assert_eq!(code(&http, &path, BODY).await, 60007);
    let other = r#"{"From_Account":"alice","To_Account":["alice"],"CheckType":"BlackCheckResult_Type_Single"}"#;
    assert_eq!(code(&http, &tim_path("sns/black_list_check"), other).await, 0, "another command has its own count");
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(code(&http, &path, BODY).await, 0, "the next window starts afresh");
    let stats = emu.stats().endpoint("v4/sns/black_list_get");
    assert_eq!((stats.requests, stats.ok, stats.errors.get(&60007).copied()), (6, 4, Some(2)));
}

#[tokio::test(start_paused = true)]
async fn rate_limit_can_be_turned_off() {
    let (b, _) = tim_builder(&["alice"]);
    let emu = b.tim_rate_limit(None).start().await.unwrap();
    let http = Http::new(&emu);
    for _ in 0..250 {
        assert_eq!(code(&http, &tim_path("sns/black_list_get"), BODY).await, 0);
    }
}

#[tokio::test(start_paused = true)]
async fn the_default_rate_limit_is_200_per_second() {
    let (emu, http) = tim_emulator(&["alice"]).await;
    let path = tim_path("sns/black_list_get");
    for _ in 0..200 {
        assert_eq!(code(&http, &path, BODY).await, 0);
    }
    assert_eq!(code(&http, &path, BODY).await, 60007);
    drop(emu);
}
