//! WeChat: component and authorizer tokens (lifetime, overlap, codes) and the AMS
//! category and advertiser blacklists.

mod common;

use common::T0;
use common::{Http, keys};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tx_emulator::{Emulator, ManualClock, WechatAuthorizer, WechatComponent};

async fn setup() -> (Emulator, Http, ManualClock) {
    let clock = ManualClock::new(T0);
    let emu = Emulator::builder()
        .clock(Arc::new(clock.clone()))
        .wechat_token_lifetime(Duration::from_secs(7200))
        .wechat_token_overlap(Duration::from_secs(300))
        .wechat_component(WechatComponent::new("wxcomponent", "component-secret", "ticket@@@1"))
        .wechat_authorizer(
            WechatAuthorizer::new("wxmini")
                .component("wxcomponent")
                .access_token("seeded-token")
                .refresh_token("refresh@@@1"),
        )
        .wechat_authorizer(WechatAuthorizer::new("wxclosed").access_token("closed-token").publisher(false))
        .start()
        .await
        .unwrap();
    let http = Http::new(&emu);
    (emu, http, clock)
}

fn op(action: &str, token: &str) -> String {
    format!("/wxa/operationams?action={action}&access_token={token}")
}

async fn component_token(http: &Http) -> String {
    let body = json!({"component_appid": "wxcomponent", "component_appsecret": "component-secret", "component_verify_ticket": "ticket@@@1"});
    let r = http.post("/cgi-bin/component/api_component_token", &body.to_string()).await;
    assert_eq!(r.json["expires_in"], 7200, "{}", r.text);
    r.json["component_access_token"].as_str().unwrap().to_owned()
}

async fn refresh(http: &Http, component: &str) -> Value {
    let body = json!({"component_appid": "wxcomponent", "authorizer_appid": "wxmini", "authorizer_refresh_token": "refresh@@@1"});
    http.post(&format!("/cgi-bin/component/api_authorizer_token?component_access_token={component}"), &body.to_string())
        .await
        .json
}

async fn errcode(http: &Http, token: &str) -> i64 {
    let v = http.post(&op("agency_get_mp_amscategory_blacklist", token), "{}").await.json;
    v.get("errcode").or_else(|| v.get("ret")).and_then(Value::as_i64).unwrap()
}

#[tokio::test]
async fn component_token_rules() {
    let (_emu, http, _) = setup().await;
    let path = "/cgi-bin/component/api_component_token";
    let cases = [
        (json!({"component_appsecret": "component-secret", "component_verify_ticket": "ticket@@@1"}), 41002),
        (
            json!({"component_appid": "wxother", "component_appsecret": "component-secret", "component_verify_ticket": "ticket@@@1"}),
            40013,
        ),
        (json!({"component_appid": "wxcomponent", "component_verify_ticket": "ticket@@@1"}), 41004),
        (
            json!({"component_appid": "wxcomponent", "component_appsecret": "wrong", "component_verify_ticket": "ticket@@@1"}),
            40125,
        ),
        (
            json!({"component_appid": "wxcomponent", "component_appsecret": "component-secret", "component_verify_ticket": "old"}),
            61006,
        ),
    ];
    for (body, code) in cases {
        let r = http.post(path, &body.to_string()).await;
        assert_eq!(r.json["errcode"], code, "{body}");
        assert!(r.json["errmsg"].as_str().unwrap().contains("rid: "));
    }
    assert_eq!(http.post(path, "not json").await.json["errcode"], 47001);
    let token = component_token(&http).await;
    assert!(!token.is_empty());
}

#[tokio::test]
async fn authorizer_tokens_expire_and_overlap() {
    let (_emu, http, clock) = setup().await;
    assert_eq!(errcode(&http, "seeded-token").await, 0);
    assert_eq!(errcode(&http, "made-up").await, 40001);
    let r = http.post("/wxa/operationams?action=agency_get_mp_amscategory_blacklist", "{}").await;
    assert_eq!(r.json["errcode"], 41001);

    let component = component_token(&http).await;
    let first = refresh(&http, &component).await;
    assert_eq!(keys(&first), ["authorizer_access_token", "authorizer_refresh_token", "expires_in"]);
    assert_eq!(first["authorizer_refresh_token"], "refresh@@@1");
    let t1 = first["authorizer_access_token"].as_str().unwrap().to_owned();
    assert_eq!(errcode(&http, &t1).await, 0);
    clock.advance(100);
    let t2 = refresh(&http, &component).await["authorizer_access_token"].as_str().unwrap().to_owned();
    assert_ne!(t1, t2);
    assert_eq!(errcode(&http, &t1).await, 0, "the replaced token still works during the overlap");
    assert_eq!(errcode(&http, "seeded-token").await, 0, "so does the one before it");
    clock.advance(299);
    assert_eq!(errcode(&http, &t1).await, 0);
    clock.advance(1);
    assert_eq!(errcode(&http, &t1).await, 40001, "after the overlap it is no longer the latest");
    assert_eq!(errcode(&http, "seeded-token").await, 40001);
    assert_eq!(errcode(&http, &t2).await, 0);
    clock.advance(7200 - 300 - 1);
    assert_eq!(errcode(&http, &t2).await, 0);
    clock.advance(1);
    assert_eq!(errcode(&http, &t2).await, 42001, "expired after its lifetime");
    let r = refresh(&http, &component).await;
    assert_eq!(r["errcode"], 42001, "the component token expired too");
}

#[tokio::test]
async fn authorizer_token_rules() {
    let (_emu, http, _) = setup().await;
    let component = component_token(&http).await;
    let path = format!("/cgi-bin/component/api_authorizer_token?component_access_token={component}");
    let cases = [
        (
            json!({"component_appid": "wxcomponent", "authorizer_appid": "wxmini", "authorizer_refresh_token": "stale"}),
            61023,
        ),
        (
            json!({"component_appid": "wxcomponent", "authorizer_appid": "wxclosed", "authorizer_refresh_token": "x"}),
            61003,
        ),
        (
            json!({"component_appid": "wxother", "authorizer_appid": "wxmini", "authorizer_refresh_token": "refresh@@@1"}),
            61003,
        ),
    ];
    for (body, code) in cases {
        assert_eq!(http.post(&path, &body.to_string()).await.json["errcode"], code, "{body}");
    }
    let r = http.post("/cgi-bin/component/api_authorizer_token?component_access_token=seeded-token", "{}").await;
    assert_eq!(r.json["errcode"], 48001, "an authorizer token is the wrong kind here");
    let r = http.post(&op("agency_get_black_list", &component), "{}").await;
    assert_eq!(r.json["errcode"], 48001, "a component token is the wrong kind for operationams");
}

#[tokio::test]
async fn category_blacklist_rules() {
    let (_emu, http, _) = setup().await;
    let set = |v: Value| json!({ "ams_category": v }).to_string();
    let path = op("agency_set_mp_amscategory_blacklist", "seeded-token");
    let get = op("agency_get_mp_amscategory_blacklist", "seeded-token");
    assert_eq!(http.post(&path, &set(json!(" LOAN|CHESS |LOAN"))).await.json, json!({"ret": 0, "err_msg": ""}));
    let v = http.post(&get, "{}").await.json;
    assert_eq!(v, json!({"ret": 0, "err_msg": "", "ams_category": "CHESS|LOAN"}));
    for bad in ["SECURITIES", "chess", "CHESS,LOAN", "CHESS|GAMBLING"] {
        assert_eq!(http.post(&path, &set(json!(bad))).await.json["ret"], 1701, "{bad}");
    }
    assert_eq!(http.post(&path, &set(json!(["CHESS"]))).await.json["ret"], 1700);
    assert_eq!(http.post(&path, "{}").await.json["ret"], 1700);
    assert_eq!(http.post(&get, "{}").await.json["ams_category"], "CHESS|LOAN", "refused sets change nothing");
    assert_eq!(http.post(&path, &set(json!("SECURITES"))).await.json["ret"], 0);
    assert_eq!(http.post(&get, "{}").await.json["ams_category"], "SECURITES", "set replaces the whole set");
    assert_eq!(http.post(&path, &set(json!(""))).await.json["ret"], 0);
    assert_eq!(http.post(&get, "{}").await.json["ams_category"], "");
    assert_eq!(http.post(&path, "").await.json["errcode"], 47001, "the body is never empty");
    assert_eq!(http.get(&get).await.json["errcode"], 43002);
    let closed = http.post(&op("agency_get_mp_amscategory_blacklist", "closed-token"), "{}").await;
    assert_eq!(closed.json["ret"], 1807, "流量主 not opened");
}

#[tokio::test]
async fn advertiser_blacklist_rules() {
    let (_emu, http, _) = setup().await;
    let set = op("agency_set_black_list", "seeded-token");
    let get = op("agency_get_black_list", "seeded-token");
    let list = |items: Vec<Value>| Value::String(Value::Array(items).to_string());
    let body = json!({"op": 1, "list": list(vec![json!({"type": 1, "id": "gh_1"}), json!({"type": 2, "id": "123456"}), json!({"type": 4, "id": "gh_mini"})])});
    assert_eq!(http.post(&set, &body.to_string()).await.json, json!({"ret": 0, "err_msg": ""}));
    let v = http.post(&get, "{}").await.json;
    assert_eq!(v["ret"], 0);
    assert_eq!(v["blacklist_biz"], json!([{"id": "gh_1", "name": "", "icon": ""}]));
    assert_eq!(v["blacklist_ios"][0]["id"], "123456");
    assert_eq!(v["blacklist_android"], json!([]));
    assert_eq!(v["blacklist_weapp"][0]["id"], "gh_mini");

    let ios: Vec<Value> = (0..10).map(|i| json!({"type": 2, "id": format!("app{i}")})).collect();
    let r = http.post(&set, &json!({"op": 1, "list": list(ios)}).to_string()).await;
    assert_eq!(r.json["ret"], 2035, "11 iOS apps exceed the cap of 10");
    assert_eq!(http.post(&get, "{}").await.json["blacklist_ios"].as_array().unwrap().len(), 1, "nothing applied");
    let biz: Vec<Value> = (0..19).map(|i| json!({"type": 1, "id": format!("gh_b{i}")})).collect();
    assert_eq!(
        http.post(&set, &json!({"op": 1, "list": list(biz)}).to_string()).await.json["ret"],
        0,
        "20 accounts fit"
    );

    let unblock = json!({"op": 2, "list": list(vec![json!({"type": 1, "id": "gh_1"})])});
    assert_eq!(http.post(&set, &unblock.to_string()).await.json["ret"], 0);
    assert_eq!(http.post(&get, "{}").await.json["blacklist_biz"].as_array().unwrap().len(), 19);

    let cases = [
        (json!({"op": 1, "list": [{"type": 1, "id": "gh_x"}]}), 1700),
        (json!({"list": "[]"}), 1700),
        (json!({"op": 1}), 1700),
        (json!({"op": 3, "list": "[]"}), 1701),
        (json!({"op": 1, "list": "not json"}), 1701),
        (json!({"op": 1, "list": "[{\"type\":5,\"id\":\"x\"}]"}), 1701),
        (json!({"op": 1, "list": "[{\"type\":1,\"id\":\" \"}]"}), 1701),
    ];
    for (body, code) in cases {
        assert_eq!(http.post(&set, &body.to_string()).await.json["ret"], code, "{body}");
    }
}

#[tokio::test]
async fn unknown_actions_and_wrong_paths_answer_1700() {
    let (_emu, http, _) = setup().await;
    assert_eq!(http.post(&op("no_such_action", "seeded-token"), "{}").await.json["ret"], 1700);
    let component = component_token(&http).await;
    let r = http
        .post(&format!("/wxa/operationams?action=get_share_ratio&access_token={component}"), r#"{"appid":"wxmini"}"#)
        .await;
    assert_eq!(r.json["ret"], 1700, "get_share_ratio is served on /wxa/getdefaultamsinfo");
    let r = http.post("/wxa/getdefaultamsinfo?action=get_share_ratio&access_token=seeded-token", "{}").await;
    assert_eq!(r.json["errcode"], 48001);
}
