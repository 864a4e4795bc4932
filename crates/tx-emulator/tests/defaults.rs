//! The bare emulator (no seed file) serves the apps the README and CLI examples use.

mod common;

use common::{Http, sig_at, tim_path_as};
use serde_json::{Value, json};
use tx_emulator::defaults::*;
use tx_emulator::wechat_crypto::{aes_key, decrypt};
use tx_emulator::{Emulator, cli::demo_seed};

async fn bare() -> (Emulator, Http) {
    let emu = Emulator::builder().seed(demo_seed()).start().await.unwrap();
    let http = Http::new(&emu);
    (emu, http)
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

#[tokio::test]
async fn tim_demo_accounts_exist() {
    let (_emu, http) = bare().await;
    let sig = sig_at(TIM_SDKAPPID, TIM_KEY, TIM_ADMIN, now(), 3600);
    let mut items: Vec<Value> = ["alice", "bob", "carol", "dave", "erin", "mallory", "spammer", "user0", "user99"]
        .iter()
        .map(|u| json!({ "UserID": u }))
        .collect();
    items.push(json!({"UserID": "user100"}));
    assert_eq!(TIM_SDKAPPID, common::APP);
    let path = tim_path_as("im_open_login_svc/account_check", TIM_ADMIN, &sig);
    let r = http.post(&path, &json!({ "CheckItem": items }).to_string()).await;
    let statuses: Vec<&str> =
        r.json["ResultItem"].as_array().unwrap().iter().map(|i| i["AccountStatus"].as_str().unwrap()).collect();
    assert_eq!(statuses[..9], ["Imported"; 9]);
    assert_eq!(statuses[9], "NotImported");
}

#[tokio::test]
async fn the_wechat_demo_component_and_authorizers_work() {
    let (_emu, http) = bare().await;
    let body = json!({"component_appid": WECHAT_COMPONENT, "component_appsecret": WECHAT_SECRET, "component_verify_ticket": WECHAT_TICKET});
    let ctoken =
        http.post("/cgi-bin/component/api_component_token", &body.to_string()).await.json["component_access_token"]
            .as_str()
            .unwrap()
            .to_owned();
    let refresh = json!({"component_appid": WECHAT_COMPONENT, "authorizer_appid": "wxa000000000000003",
                         "authorizer_refresh_token": "refreshtoken@@@tx-emulator-demo-3"});
    let a = http
        .post(&format!("/cgi-bin/component/api_authorizer_token?component_access_token={ctoken}"), &refresh.to_string())
        .await
        .json;
    let atoken = a["authorizer_access_token"].as_str().unwrap();
    let units = http
        .post(
            &format!("/wxa/operationams?action=agency_get_adunit_list&access_token={atoken}"),
            r#"{"page":1,"page_size":10}"#,
        )
        .await
        .json;
    assert_eq!((units["ret"].as_i64(), units["total_num"].as_i64()), (Some(0), Some(2)), "{units}");
    let seeded = http
        .post("/wxa/operationams?action=agency_get_mp_amscategory_blacklist&access_token=tx-emulator-demo-authorizer-token-1", "{}")
        .await
        .json;
    assert_eq!(seeded["ams_category"], "CHESS|LOAN");
    let list = http
        .post(
            &format!("/cgi-bin/component/api_get_authorizer_list?component_access_token={ctoken}"),
            &json!({"component_appid": WECHAT_COMPONENT, "offset": 0, "count": 100}).to_string(),
        )
        .await
        .json;
    assert_eq!(list["total_count"], 5);
    let ev = http.post("/_emulator/wechat/event", r#"{"info_type":"component_verify_ticket"}"#).await.json;
    let encrypted =
        ev["body"].as_str().unwrap().split("<Encrypt><![CDATA[").nth(1).unwrap().split("]]>").next().unwrap();
    let (msg, appid) = decrypt(&aes_key(WECHAT_AES_KEY).unwrap(), encrypted).unwrap();
    assert_eq!((msg.as_str(), appid.as_str()), (ev["xml"].as_str().unwrap(), WECHAT_COMPONENT));
}

#[tokio::test]
async fn the_ads_demo_app_has_the_sample_materials() {
    let (_emu, http) = bare().await;
    let body = json!({"account_id": 20_000_001u64, "source_type": "MATERIAL_SOURCE_TYPE_ID", "material_type": "IMAGE",
                      "materials": [{"material_id": "123"}, {"material_id": "456"}],
                      "watermark_configs": [{"text_content": "年化利率(复利)2%-22%"}]});
    let path = format!("/v3.0/watermarks/add?access_token={ADS_PRIVATE_TOKEN}&timestamp={}&nonce=demo1", now());
    let r = http.post(&path, &body.to_string()).await.json;
    assert_eq!(r["data"]["processing_count"], 2, "{r}");
    assert_eq!(r["data"]["results"][0]["material_name"], "图片 1");
    assert_eq!(r["data"]["results"][1]["original_material_md5"], "8c471927c56a2095aa9374a287b62d80");
    let agency = format!(
        "/v3.0/material_async_tasks/get?access_token={ADS_PRIVATE_TOKEN}&timestamp={}&nonce=demo2&account_id=10000001",
        now()
    );
    assert_eq!(http.get(&agency).await.json["code"], 12201, "10000001 is the agency account");
}
