//! WeChat AMS: publisher, share ratios, ad units, the cover position, statistics and
//! settlements, the per-action rate limit.

mod common;

use common::{Http, T0, keys};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tx_emulator::{Emulator, EmulatorBuilder, ManualClock, WechatAdUnit, WechatAuthorizer, WechatComponent};

fn builder(clock: &ManualClock) -> EmulatorBuilder {
    Emulator::builder()
        .clock(Arc::new(clock.clone()))
        .wechat_component(WechatComponent::new("wxcomponent", "secret", "ticket@@@1").access_token("ctoken"))
        .wechat_authorizer(WechatAuthorizer::new("wxmini").component("wxcomponent").access_token("atoken"))
        .wechat_authorizer(
            WechatAuthorizer::new("wxnew").component("wxcomponent").access_token("ntoken").publisher(false),
        )
        .wechat_authorizer(
            WechatAuthorizer::new("wxsmall")
                .component("wxcomponent")
                .access_token("stoken")
                .publisher(false)
                .can_open_publisher(false),
        )
        .wechat_authorizer(WechatAuthorizer::new("wxstranger").component("wxelsewhere").access_token("xtoken"))
}

async fn setup() -> (Emulator, Http, ManualClock) {
    let clock = ManualClock::new(T0);
    let emu = builder(&clock).start().await.unwrap();
    let http = Http::new(&emu);
    (emu, http, clock)
}

async fn op(http: &Http, action: &str, token: &str, body: Value) -> Value {
    let r = http.post(&format!("/wxa/operationams?action={action}&access_token={token}"), &body.to_string()).await;
    assert_eq!(r.status, 200);
    r.json
}

async fn provider(http: &Http, path: &str, action: &str, body: Value) -> Value {
    http.post(&format!("/wxa/{path}?action={action}&access_token=ctoken"), &body.to_string()).await.json
}

fn ret(v: &Value) -> i64 {
    v.get("ret").or_else(|| v.get("errcode")).and_then(Value::as_i64).unwrap_or(0)
}

#[tokio::test]
async fn opening_the_publisher() {
    let (_emu, http, _) = setup().await;
    let check = |t: &'static str| {
        let http = Http { client: http.client.clone(), base: http.base.clone() };
        async move { op(&http, "agency_check_can_open_publisher", t, json!({})).await }
    };
    assert_eq!(check("ntoken").await, json!({"ret": 0, "err_msg": "", "status": 1}));
    assert_eq!(check("stoken").await["status"], 0, "below the threshold");
    let blocked = op(&http, "agency_get_adunit_list", "ntoken", json!({"page": 1, "page_size": 10})).await;
    assert_eq!(ret(&blocked), 1807, "not opened yet");
    assert_eq!(ret(&op(&http, "agency_create_publisher", "stoken", json!({})).await), 2013);
    assert_eq!(ret(&op(&http, "agency_create_publisher", "ntoken", json!({})).await), 0);
    assert_eq!(ret(&op(&http, "agency_create_publisher", "ntoken", json!({})).await), 2021, "already opened");
    assert_eq!(ret(&op(&http, "agency_create_publisher", "atoken", json!({})).await), 2021);
    let open = op(&http, "agency_get_adunit_list", "ntoken", json!({"page": 1, "page_size": 10})).await;
    assert_eq!((ret(&open), open["total_num"].as_i64()), (0, Some(0)));
}

#[tokio::test]
async fn a_publisher_opened_recently_answers_2068_when_configured() {
    let clock = ManualClock::new(T0);
    let seed = tx_emulator::Seed::from_toml("[settings]\nwechat_publisher_settle_secs = 3600\n").unwrap();
    let emu = builder(&clock).seed(seed).start().await.unwrap();
    let http = Http::new(&emu);
    assert_eq!(ret(&op(&http, "agency_create_publisher", "ntoken", json!({})).await), 0);
    let list = json!({"page": 1, "page_size": 10});
    assert_eq!(ret(&op(&http, "agency_get_adunit_list", "ntoken", list.clone()).await), 2068);
    assert_eq!(
        ret(&op(&http, "agency_get_adunit_list", "atoken", list.clone()).await),
        0,
        "seeded publishers are settled"
    );
    clock.advance(3600);
    assert_eq!(ret(&op(&http, "agency_get_adunit_list", "ntoken", list).await), 0);
}

#[tokio::test]
async fn share_ratios_default_and_custom() {
    let (_emu, http, _) = setup().await;
    let get = |appid: &str| json!({ "appid": appid });
    let default = provider(&http, "getdefaultamsinfo", "get_share_ratio", get("wxcomponent")).await;
    assert_eq!(default, json!({"ret": 0, "err_msg": "", "share_ratio": 40}));
    assert_eq!(ret(&provider(&http, "setdefaultamsinfo", "set_share_ratio", json!({"share_ratio": 30})).await), 0);
    assert_eq!(provider(&http, "getdefaultamsinfo", "get_share_ratio", get("wxcomponent")).await["share_ratio"], 30);
    assert_eq!(provider(&http, "getdefaultamsinfo", "get_share_ratio", get("wxmini")).await["share_ratio"], 30);
    let set = json!({"appid": "wxmini", "share_ratio": 55});
    assert_eq!(ret(&provider(&http, "setdefaultamsinfo", "agency_set_custom_share_ratio", set).await), 0);
    assert_eq!(provider(&http, "getdefaultamsinfo", "get_share_ratio", get("wxmini")).await["share_ratio"], 55);
    let custom = provider(&http, "getdefaultamsinfo", "agency_get_custom_share_ratio", get("wxmini")).await;
    assert_eq!(custom["share_ratio"], 55);
    assert_eq!(provider(&http, "getdefaultamsinfo", "get_share_ratio", get("wxnew")).await["share_ratio"], 30);
    let cases = [
        ("setdefaultamsinfo", "set_share_ratio", json!({"share_ratio": 101}), 1701),
        ("setdefaultamsinfo", "set_share_ratio", json!({"share_ratio": "30"}), 1700),
        ("setdefaultamsinfo", "set_share_ratio", json!({}), 1700),
        ("setdefaultamsinfo", "agency_set_custom_share_ratio", json!({"appid": "wxstranger", "share_ratio": 1}), 1701),
        ("setdefaultamsinfo", "agency_set_custom_share_ratio", json!({"share_ratio": 1}), 1700),
        ("getdefaultamsinfo", "get_share_ratio", json!({"appid": "wxnobody"}), 1701),
        ("getdefaultamsinfo", "agency_get_custom_share_ratio", json!({"appid": "wxcomponent"}), 1701),
    ];
    for (path, action, body, code) in cases {
        assert_eq!(ret(&provider(&http, path, action, body.clone()).await), code, "{action} {body}");
    }
    let wrong =
        http.post("/wxa/getdefaultamsinfo?action=get_share_ratio&access_token=atoken", r#"{"appid":"wxmini"}"#).await;
    assert_eq!(wrong.json["errcode"], 48001, "provider actions take the component token");
}

#[tokio::test]
async fn ad_units_are_created_listed_updated_and_coded() {
    let (_emu, http, _) = setup().await;
    let create = |body: Value| {
        let http = Http { client: http.client.clone(), base: http.base.clone() };
        async move { op(&http, "agency_create_adunit", "atoken", body).await }
    };
    let banner = create(json!({"name": "首页横幅", "type": "SLOT_ID_WEAPP_BANNER"})).await;
    assert_eq!(keys(&banner), ["ad_unit_id", "err_msg", "ret"]);
    let banner_id = banner["ad_unit_id"].as_str().unwrap().to_owned();
    assert!(banner_id.starts_with("adunit-"));
    let reward = create(json!({"name": "激励", "type": "SLOT_ID_WEAPP_REWARD_VIDEO", "video_duration_min": 6, "video_duration_max": 30})).await;
    assert_eq!(ret(&reward), 0);
    let t1 = create(json!({"name": "模板一", "type": "SLOT_ID_WEAPP_TEMPLATE", "tmpl_id": "1001"})).await;
    let t2 =
        create(json!({"name": "模板二", "type": "SLOT_ID_WEAPP_TEMPLATE", "tmpl_id": "1001", "tmpl_type": 3})).await;
    let t3 = create(json!({"name": "模板三", "type": "SLOT_ID_WEAPP_TEMPLATE", "tmpl_type": 2})).await;
    assert_eq!((ret(&t1), ret(&t2), ret(&t3)), (0, 0, 0));
    let refused = [
        (json!({"type": "SLOT_ID_WEAPP_BANNER"}), 1700),
        (json!({"name": "x"}), 1700),
        (json!({"name": " ", "type": "SLOT_ID_WEAPP_BANNER"}), 1701),
        (json!({"name": "x", "type": "SLOT_ID_WEAPP_NOPE"}), 1701),
        (json!({"name": "x", "type": "SLOT_ID_WEAPP_COVER"}), 1701),
        (json!({"name": "x", "type": "SLOT_ID_WEAPP_TEMPLATE"}), 1700),
        (json!({"name": "x", "type": "SLOT_ID_WEAPP_TEMPLATE", "tmpl_type": 5}), 1701),
        (json!({"name": "x", "type": "SLOT_ID_WEAPP_REWARD_VIDEO", "video_duration_min": 5}), 1701),
        (json!({"name": "x", "type": "SLOT_ID_WEAPP_REWARD_VIDEO", "video_duration_max": 45}), 1701),
    ];
    for (body, code) in refused {
        assert_eq!(ret(&create(body.clone()).await), code, "{body}");
    }

    let list = op(&http, "agency_get_adunit_list", "atoken", json!({"page": 1, "page_size": 2})).await;
    assert_eq!(list["total_num"], 5);
    let first = &list["ad_unit"][0];
    assert_eq!(first["ad_unit_name"], "模板三", "newest first");
    assert_eq!(list["ad_unit"].as_array().unwrap().len(), 2);
    let page3 = op(&http, "agency_get_adunit_list", "atoken", json!({"page": 3, "page_size": 2})).await;
    assert_eq!(page3["ad_unit"][0]["ad_unit_id"], banner_id.as_str());
    let item = &page3["ad_unit"][0];
    assert_eq!(
        keys(item),
        [
            "ad_slot",
            "ad_unit_id",
            "ad_unit_name",
            "ad_unit_size",
            "ad_unit_status",
            "ad_unit_type",
            "appid",
            "video_duration_max",
            "video_duration_min"
        ]
    );
    assert_eq!(item["ad_unit_size"], json!([{"height": 166, "width": 582}]), "an array, as in the sample");
    assert_eq!((item["ad_unit_status"].as_i64(), item["appid"].as_str()), (Some(1), Some("wxmini")));
    let rewards = op(
        &http,
        "agency_get_adunit_list",
        "atoken",
        json!({"page": 1, "page_size": 10, "ad_slot": "SLOT_ID_WEAPP_REWARD_VIDEO"}),
    )
    .await;
    assert_eq!(rewards["total_num"], 1);
    assert_eq!(rewards["ad_unit"][0]["ad_unit_type"], "AD_UNIT_TYPE_REWARED_VIDEO", "sic");
    assert_eq!(rewards["ad_unit"][0]["video_duration_max"], 30);
    let one =
        op(&http, "agency_get_adunit_list", "atoken", json!({"page": 1, "page_size": 10, "ad_unit_id": banner_id}))
            .await;
    assert_eq!(one["total_num"], 1);
    assert_eq!(ret(&op(&http, "agency_get_adunit_list", "atoken", json!({"page": 0, "page_size": 10})).await), 1701);
    assert_eq!(ret(&op(&http, "agency_get_adunit_list", "atoken", json!({"page_size": 10})).await), 1700);

    let update = |body: Value| {
        let http = Http { client: http.client.clone(), base: http.base.clone() };
        async move { op(&http, "agency_update_adunit", "atoken", body).await }
    };
    assert_eq!(ret(&update(json!({"name": "横幅", "ad_unit_id": banner_id, "status": "AD_UNIT_STATUS_OFF"})).await), 0);
    let after =
        op(&http, "agency_get_adunit_list", "atoken", json!({"page": 1, "page_size": 10, "ad_unit_id": banner_id}))
            .await;
    assert_eq!(
        (after["ad_unit"][0]["ad_unit_status"].as_i64(), after["ad_unit"][0]["ad_unit_name"].as_str()),
        (Some(2), Some("横幅"))
    );
    assert_eq!(
        ret(&update(json!({"name": "x", "ad_unit_id": "adunit-nope", "status": "AD_UNIT_STATUS_ON"})).await),
        1701
    );
    assert_eq!(ret(&update(json!({"name": "x", "ad_unit_id": banner_id, "status": "ON"})).await), 1701);
    assert_eq!(ret(&update(json!({"name": "x", "ad_unit_id": banner_id})).await), 1700);

    let tmpl_of = |id: &str| json!({ "ad_unit_id": id });
    let t3_id = t3["ad_unit_id"].as_str().unwrap();
    assert_eq!(op(&http, "agency_get_tmpl_type", "atoken", tmpl_of(t3_id)).await["tmpl_type"], 2);
    assert_eq!(
        op(&http, "agency_get_tmpl_type", "atoken", tmpl_of(t2["ad_unit_id"].as_str().unwrap())).await["tmpl_type"],
        3
    );
    assert_eq!(ret(&op(&http, "agency_get_tmpl_type", "atoken", tmpl_of(&banner_id)).await), 1701);
    let code = op(&http, "agency_get_adunit_code", "atoken", tmpl_of(&banner_id)).await;
    assert_eq!(code["code"], format!("<ad unit-id=\"{banner_id}\"></ad>"));
    assert_eq!(ret(&op(&http, "agency_get_adunit_code", "atoken", json!({})).await), 1700);

    let tmpl = |extra: Value| {
        let mut body = json!({"page": 1, "page_size": 10, "ad_slot": "SLOT_ID_WEAPP_TEMPLATE"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let http = Http { client: http.client.clone(), base: http.base.clone() };
        async move { op(&http, "get_agency_ad_unit_list", "atoken", body).await }
    };
    let all = tmpl(json!({})).await;
    assert_eq!(all["total_num"], 3);
    assert_eq!(
        all["ad_unit_list"][1],
        json!({"tmpl_id": "1001", "ad_unit_name": "模板二", "slot_id": "SLOT_ID_WEAPP_TEMPLATE", "tmpl_bind_total_num": 2})
    );
    let bound = tmpl(json!({"tmpl_id": "1001", "is_return_tmpl_bind_list": 1})).await;
    assert_eq!(bound["total_num"], 2);
    assert_eq!(bound["ad_unit_list"][0]["tmpl_bind_list"].as_array().unwrap().len(), 2);
    assert_eq!(ret(&tmpl(json!({"is_return_tmpl_bind_list": 2})).await), 1701);
    let banner_slot = op(
        &http,
        "get_agency_ad_unit_list",
        "atoken",
        json!({"page": 1, "page_size": 10, "ad_slot": "SLOT_ID_WEAPP_BANNER"}),
    )
    .await;
    assert_eq!(ret(&banner_slot), 1701);
}

#[tokio::test]
async fn the_cover_position_toggles_at_most_hourly() {
    let (_emu, http, clock) = setup().await;
    let status = |s: i64| json!({ "status": s });
    assert_eq!(
        op(&http, "agency_get_cover_adpos_status", "atoken", json!({})).await,
        json!({"ret": 0, "err_msg": "", "status": 0, "next_open_time": 0})
    );
    assert_eq!(ret(&op(&http, "agency_set_cover_adpos_status", "atoken", status(1)).await), 0);
    let on = op(&http, "agency_get_cover_adpos_status", "atoken", json!({})).await;
    assert_eq!((on["status"].as_i64(), on["next_open_time"].as_u64()), (Some(1), Some(T0 + 3600)));
    assert_eq!(ret(&op(&http, "agency_set_cover_adpos_status", "atoken", status(1)).await), 2067, "already on");
    assert_eq!(ret(&op(&http, "agency_set_cover_adpos_status", "atoken", status(4)).await), 2008, "toggled < 1 h ago");
    clock.advance(3599);
    assert_eq!(ret(&op(&http, "agency_set_cover_adpos_status", "atoken", status(4)).await), 2008);
    clock.advance(1);
    assert_eq!(ret(&op(&http, "agency_set_cover_adpos_status", "atoken", status(4)).await), 0);
    assert_eq!(op(&http, "agency_get_cover_adpos_status", "atoken", json!({})).await["status"], 4);
    assert_eq!(ret(&op(&http, "agency_set_cover_adpos_status", "atoken", status(4)).await), 0, "off again is a no-op");
    assert_eq!(ret(&op(&http, "agency_set_cover_adpos_status", "atoken", status(2)).await), 1701);
    assert_eq!(ret(&op(&http, "agency_set_cover_adpos_status", "atoken", json!({})).await), 1700);

    let scenes = json!({"cover_scene_list": "1000, 1001,1007"});
    assert_eq!(ret(&op(&http, "agency_set_cover_adpos_scene", "atoken", scenes).await), 0);
    assert_eq!(op(&http, "agency_get_cover_adpos_scene", "atoken", json!({})).await["scene_list"], "1000,1001,1007");
    assert_eq!(
        ret(&op(&http, "agency_set_cover_adpos_scene", "atoken", json!({"cover_scene_list": "1000,abc"})).await),
        1701
    );
    assert_eq!(
        ret(&op(&http, "agency_set_cover_adpos_scene", "atoken", json!({"cover_scene_list": [1000]})).await),
        1700
    );
}

/// An emulator whose mini program has a banner and a reward unit.
async fn with_units() -> (Emulator, Http, ManualClock) {
    let clock = ManualClock::new(T0);
    let authorizer = WechatAuthorizer::new("wxunits")
        .component("wxcomponent")
        .access_token("utoken")
        .stats_seed(7)
        .ad_unit(WechatAdUnit::new("横幅", "SLOT_ID_WEAPP_BANNER").id("adunit-banner"))
        .ad_unit(WechatAdUnit::new("激励", "SLOT_ID_WEAPP_REWARD_VIDEO").id("adunit-reward"));
    let long = Duration::from_secs(30 * 86_400);
    let emu = builder(&clock).wechat_token_lifetime(long).wechat_authorizer(authorizer).start().await.unwrap();
    let http = Http::new(&emu);
    (emu, http, clock)
}

fn range(start: &str, end: &str, page: i64, size: i64) -> Value {
    json!({"page": page, "page_size": size, "start_date": start, "end_date": end})
}

#[tokio::test]
async fn statistics_are_deterministic_dated_and_paged() {
    let (_emu, http, _) = with_units().await;
    // T0 is 2023-11-15 in Beijing: the 10th to the 14th have data, the 15th on do not.
    let all = op(&http, "agency_get_adpos_genenral", "utoken", range("2023-11-10", "2023-11-20", 1, 100)).await;
    assert_eq!(ret(&all), 0);
    assert_eq!(all["total_num"], 10);
    let rows = all["list"].as_array().unwrap();
    let order: Vec<(String, i64)> =
        rows.iter().map(|r| (r["date"].as_str().unwrap().to_owned(), r["slot_id"].as_i64().unwrap())).collect();
    assert_eq!(order[0], ("2023-11-14".to_owned(), 1));
    assert_eq!(order[1], ("2023-11-14".to_owned(), 2));
    assert_eq!(order[9], ("2023-11-10".to_owned(), 2));
    assert_eq!(
        keys(&rows[0]),
        [
            "ad_slot",
            "click_count",
            "click_rate",
            "date",
            "ecpm",
            "exposure_count",
            "exposure_rate",
            "income",
            "req_succ_count",
            "slot_id"
        ]
    );
    let income_sum: i64 = rows.iter().map(|r| r["income"].as_i64().unwrap()).sum();
    assert_eq!(all["summary"]["income"].as_i64(), Some(income_sum));
    assert!(rows.iter().all(|r| r["exposure_count"].as_u64() <= r["req_succ_count"].as_u64()));
    let again = op(&http, "agency_get_adpos_genenral", "utoken", range("2023-11-10", "2023-11-20", 1, 100)).await;
    assert_eq!(again, all, "the same state and dates give the same figures");
    let page2 = op(&http, "agency_get_adpos_genenral", "utoken", range("2023-11-10", "2023-11-20", 2, 3)).await;
    assert_eq!(page2["list"].as_array().unwrap(), &rows[3..6]);
    let banner = op(&http, "agency_get_adpos_genenral", "utoken", json!({"page": 1, "page_size": 100, "start_date": "2023-11-10", "end_date": "2023-11-20", "ad_slot": "SLOT_ID_WEAPP_BANNER"})).await;
    assert_eq!(banner["total_num"], 5);

    let units = op(&http, "agency_get_adunit_general", "utoken", range("2023-11-10", "2023-11-20", 1, 10)).await;
    assert_eq!(units["total_num"], 2);
    assert_eq!(units["list"][0]["ad_unit_id"], "adunit-reward", "newest unit first");
    assert_eq!(units["list"][1]["stat_item"].as_array().unwrap().len(), 5);
    let mut slot_row = rows[0].clone();
    slot_row.as_object_mut().unwrap().remove("slot_id");
    assert_eq!(units["list"][1]["stat_item"][0], slot_row, "one banner unit: its row is the slot's row");

    let cases = [
        (range("2023-11-20", "2023-11-10", 1, 10), 1701),
        (range("2023-11-31", "2023-12-01", 1, 10), 1701),
        (range("2023/11/01", "2023-12-01", 1, 10), 1701),
        (range("2022-01-01", "2023-11-10", 1, 10), 1701),
        (json!({"page": 1, "page_size": 10, "start_date": "2023-11-10"}), 1700),
        (json!({"page_size": 10, "start_date": "2023-11-10", "end_date": "2023-11-11"}), 1700),
        (
            json!({"page": 1, "page_size": 10, "start_date": "2023-11-10", "end_date": "2023-11-11", "ad_slot": "SLOT_X"}),
            1701,
        ),
    ];
    for (body, code) in cases {
        assert_eq!(ret(&op(&http, "agency_get_adpos_genenral", "utoken", body.clone()).await), code, "{body}");
    }
}

#[tokio::test]
async fn provider_statistics_split_income_by_the_share_ratio() {
    let (_emu, http, _) = with_units().await;
    let stat =
        provider(&http, "getdefaultamsinfo", "get_agency_ads_stat", range("2023-11-10", "2023-11-14", 1, 100)).await;
    assert_eq!((ret(&stat), stat["total_num"].as_i64()), (0, Some(10)));
    for row in stat["list"].as_array().unwrap() {
        let (income, publisher, agency) = (
            row["income"].as_i64().unwrap(),
            row["publisher_income"].as_i64().unwrap(),
            row["agency_income"].as_i64().unwrap(),
        );
        assert_eq!(publisher + agency, income);
        assert!(agency > 0 && agency < publisher, "40% to the provider");
    }
    for field in ["exposure_uv", "open_uv", "agency_income", "publisher_income"] {
        assert!(stat["summary"].get(field).is_some(), "{field}");
    }
    let own = op(&http, "agency_get_adpos_genenral", "utoken", range("2023-11-10", "2023-11-14", 1, 100)).await;
    assert_eq!(stat["summary"]["income"], own["summary"]["income"], "only wxunits has units");

    let detail =
        provider(&http, "getdefaultamsinfo", "get_agency_ads_detail", range("2023-11-10", "2023-11-14", 1, 200)).await;
    assert_eq!(detail["total_num"], 2);
    assert_eq!(detail["list"][0]["appid"], "wxunits");
    assert!(detail["list"][0]["stat_item"][0].get("agency_income").is_some());
    let too_big =
        provider(&http, "getdefaultamsinfo", "get_agency_ads_detail", range("2023-11-10", "2023-11-14", 1, 201)).await;
    assert_eq!(ret(&too_big), 1701, "page_size ≤ 200");
}

#[tokio::test]
async fn settlements_list_half_month_periods_newest_first() {
    let (_emu, http, clock) = with_units().await;
    let before = op(&http, "agency_get_settlement", "utoken", range("2023-09-11", "2023-11-20", 1, 10)).await;
    assert_eq!(before["total_num"], 5, "on the 15th the second half of November has not begun");
    clock.advance(86_400);
    let s = op(&http, "agency_get_settlement", "utoken", range("2023-09-11", "2023-11-20", 1, 10)).await;
    assert_eq!(ret(&s), 0);
    assert_eq!(s["total_num"], 6, "on the 16th it has");
    let list = s["settlement_list"].as_array().unwrap();
    let periods: Vec<(String, i64, i64)> = list
        .iter()
        .map(|p| {
            (p["month"].as_str().unwrap().to_owned(), p["order"].as_i64().unwrap(), p["sett_status"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(
        periods,
        [
            ("202311".to_owned(), 2, 1),
            ("202311".to_owned(), 1, 2),
            ("202310".to_owned(), 2, 4),
            ("202310".to_owned(), 1, 5),
            ("202309".to_owned(), 2, 5),
            ("202309".to_owned(), 1, 5)
        ]
    );
    assert_eq!(list[0]["mail_send_cnt"], "0", "a string, as in the sample");
    assert_eq!(list[1]["slot_revenue"][0]["slot_id"], "SLOT_ID_WEAPP_BANNER");
    let revenue: i64 = list.iter().map(|p| p["settled_revenue"].as_i64().unwrap()).sum();
    assert_eq!(s["revenue_all"].as_i64(), Some(revenue));
    assert_eq!(s["settled_revenue_all"].as_i64(), Some(revenue - list[0]["settled_revenue"].as_i64().unwrap()));
    assert_eq!(s["penalty_all"], 0);
    let provider_wide = http
        .post(
            "/wxa/operationams?action=get_agency_settled_revenue&access_token=ctoken",
            &range("2023-09-11", "2023-11-20", 1, 10).to_string(),
        )
        .await
        .json;
    assert_eq!(provider_wide["revenue_all"], s["revenue_all"]);
    let paged = op(&http, "agency_get_settlement", "utoken", range("2023-09-11", "2023-11-20", 2, 2)).await;
    assert_eq!(paged["settlement_list"].as_array().unwrap(), &list[2..4]);
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_per_authorizer_and_action_answers_1737() {
    let clock = ManualClock::new(T0);
    let seed =
        tx_emulator::Seed::from_toml("[settings]\nwechat_ams_rate_limit = 2\nwechat_ams_rate_window_secs = 60\n")
            .unwrap();
    let emu = builder(&clock).seed(seed).start().await.unwrap();
    let http = Http::new(&emu);
    let get = |t: &'static str| {
        let http = Http { client: http.client.clone(), base: http.base.clone() };
        async move { ret(&op(&http, "agency_get_black_list", t, json!({})).await) }
    };
    assert_eq!((get("atoken").await, get("atoken").await, get("atoken").await), (0, 0, 1737));
    assert_eq!(get("ntoken").await, 1807, "another authorizer has its own budget (and no publisher)");
    assert_eq!(
        ret(&op(&http, "agency_get_mp_amscategory_blacklist", "atoken", json!({})).await),
        0,
        "another action too"
    );
    tokio::time::advance(Duration::from_secs(60)).await;
    assert_eq!(get("atoken").await, 0, "a new window");
    let stats = emu.stats().endpoint("wxa/operationams?action=agency_get_black_list");
    assert_eq!((stats.errors.get(&1737).copied(), stats.throttled), (Some(1), 1));
}
