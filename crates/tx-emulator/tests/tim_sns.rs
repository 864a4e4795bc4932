//! TIM relationship chain: blocklist, friends, groups, each rule with its exact code.

mod common;

use common::*;
use serde_json::{Value, json};
use tx_emulator::TimApp;

fn accounts(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user{i}")).collect()
}

fn item_codes(v: &Value, field: &str) -> Vec<i64> {
    v[field].as_array().unwrap().iter().map(|i| i["ResultCode"].as_i64().unwrap()).collect()
}

async fn relation(http: &Http, from: &str, to: &str, both: bool) -> String {
    let t = if both { "BlackCheckResult_Type_Both" } else { "BlackCheckResult_Type_Single" };
    let body = json!({"From_Account": from, "To_Account": [to], "CheckType": t}).to_string();
    let v = tim(http, "sns/black_list_check", &body).await;
    v["BlackListCheckItem"][0]["Relation"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn blocklist_add_per_item_results() {
    let (_emu, http) = tim_emulator(&["a", "b", "c"]).await;
    let v = tim(&http, "sns/black_list_add", r#"{"From_Account":"a","To_Account":["b","ghost","a","b"]}"#).await;
    assert_eq!(v["ActionStatus"], "OK");
    assert_eq!(item_codes(&v, "ResultItem"), [0, 30003, 30001, 30001]);
    assert_eq!(v["Fail_Account"], json!(["ghost", "a", "b"]));
    assert_eq!(v["ResultItem"][3]["ResultInfo"], "Err_SNS_BlackListAdd_Already_Exist");
    let ok = tim(&http, "sns/black_list_add", r#"{"From_Account":"a","To_Account":["c"]}"#).await;
    assert!(ok.get("Fail_Account").is_none());
    assert_eq!(ok["ResultItem"][0]["ResultInfo"], "");
}

#[tokio::test]
async fn blocklist_request_limits() {
    let ids = accounts(1001);
    let mut all: Vec<&str> = vec!["owner"];
    all.extend(ids.iter().map(String::as_str));
    let (_emu, http) = tim_emulator(&all).await;
    let body = json!({"From_Account": "owner", "To_Account": ids}).to_string();
    for cmd in ["sns/black_list_add", "sns/black_list_delete"] {
        let v = tim(&http, cmd, &body).await;
        assert_eq!((v["ActionStatus"].as_str(), v["ErrorCode"].as_i64()), (Some("FAIL"), Some(30001)), "{cmd}");
    }
    let check = json!({"From_Account": "owner", "To_Account": ids, "CheckType": "BlackCheckResult_Type_Both"});
    assert_eq!(tim(&http, "sns/black_list_check", &check.to_string()).await["ErrorCode"], 30001);
    let thousand = json!({"From_Account": "owner", "To_Account": &ids[..1000]}).to_string();
    let v = tim(&http, "sns/black_list_add", &thousand).await;
    assert_eq!(v["ErrorCode"], 0);
    assert!(v.get("Fail_Account").is_none(), "1000 fit");
    let over = tim(&http, "sns/black_list_add", r#"{"From_Account":"owner","To_Account":["user1000"]}"#).await;
    assert_eq!(item_codes(&over, "ResultItem"), [30013], "a blocklist holds at most 1000");
    for empty in
        [r#"{"From_Account":"owner","To_Account":[]}"#, r#"{"From_Account":"owner"}"#, r#"{"To_Account":["a"]}"#]
    {
        assert_eq!(tim(&http, "sns/black_list_add", empty).await["ErrorCode"], 30001, "{empty}");
    }
    assert_eq!(
        tim(&http, "sns/black_list_add", r#"{"From_Account":"ghost","To_Account":["owner"]}"#).await["ErrorCode"],
        30003
    );
}

#[tokio::test]
async fn blocklist_cap_is_configurable() {
    let (b, _) = tim_builder(&["a", "b", "c", "d"]);
    let emu = b.tim_app(TimApp::new(APP, KEY).blocklist_limit(2)).start().await.unwrap();
    let http = Http::new(&emu);
    let v = tim(&http, "sns/black_list_add", r#"{"From_Account":"a","To_Account":["b","c","d"]}"#).await;
    assert_eq!(item_codes(&v, "ResultItem"), [0, 0, 30013]);
    assert_eq!(v["Fail_Account"], json!(["d"]));
}

#[tokio::test]
async fn blocklist_get_pages_with_start_index() {
    let ids = accounts(5);
    let mut all = vec!["a"];
    all.extend(ids.iter().map(String::as_str));
    let (_emu, http) = tim_emulator(&all).await;
    tim(&http, "sns/black_list_add", &json!({"From_Account": "a", "To_Account": ids}).to_string()).await;
    let mut seen = Vec::new();
    let mut start = 0;
    let mut pages = 0;
    loop {
        let body = json!({"From_Account": "a", "StartIndex": start, "MaxLimited": 2, "LastSequence": 0});
        let v = tim(&http, "sns/black_list_get", &body.to_string()).await;
        assert_eq!(v["ErrorCode"], 0);
        assert_eq!(v["CurrentSequence"], 5, "one change per block");
        for item in v["BlackListItem"].as_array().unwrap() {
            assert_eq!(item["AddBlackTimeStamp"], T0);
            seen.push(item["To_Account"].as_str().unwrap().to_owned());
        }
        pages += 1;
        start = v["StartIndex"].as_u64().unwrap();
        if start == 0 {
            break;
        }
    }
    assert_eq!((seen, pages), (ids, 3), "every entry once, in blocking order");
    for bad in [
        r#"{"From_Account":"a","StartIndex":0,"MaxLimited":1001,"LastSequence":0}"#,
        r#"{"From_Account":"a","StartIndex":0,"MaxLimited":0,"LastSequence":0}"#,
        r#"{"From_Account":"a","StartIndex":0,"LastSequence":0}"#,
        r#"{"From_Account":"a","StartIndex":"0","MaxLimited":10,"LastSequence":0}"#,
    ] {
        assert_eq!(tim(&http, "sns/black_list_get", bad).await["ErrorCode"], 30001, "{bad}");
    }
}

#[tokio::test]
async fn legacy_sequence_spelling() {
    let (b, _) = tim_builder(&["a"]);
    let emu = b.tim_legacy_sequence_spelling(true).start().await.unwrap();
    let http = Http::new(&emu);
    let v = tim(&http, "sns/black_list_get", r#"{"From_Account":"a","StartIndex":0,"MaxLimited":10,"LastSequence":0}"#)
        .await;
    assert!(v.get("CurruentSequence").is_some() && v.get("CurrentSequence").is_none(), "{v}");
}

#[tokio::test]
async fn check_relations_single_and_both() {
    let (_emu, http) = tim_emulator(&["a", "b"]).await;
    assert_eq!(relation(&http, "a", "b", true).await, "BlackCheckResult_Type_NO");
    tim(&http, "sns/black_list_add", r#"{"From_Account":"b","To_Account":["a"]}"#).await;
    assert_eq!(relation(&http, "a", "b", true).await, "BlackCheckResult_Type_BWithA");
    assert_eq!(relation(&http, "a", "b", false).await, "BlackCheckResult_Type_NO", "Single ignores B's list");
    tim(&http, "sns/black_list_add", r#"{"From_Account":"a","To_Account":["b"]}"#).await;
    assert_eq!(relation(&http, "a", "b", true).await, "BlackCheckResult_Type_BothWay");
    assert_eq!(relation(&http, "a", "b", false).await, "BlackCheckResult_Type_AWithB");
    tim(&http, "sns/black_list_delete", r#"{"From_Account":"b","To_Account":["a"]}"#).await;
    assert_eq!(relation(&http, "a", "b", true).await, "BlackCheckResult_Type_AWithB");
    let bad = r#"{"From_Account":"a","To_Account":["b"],"CheckType":"Both"}"#;
    assert_eq!(tim(&http, "sns/black_list_check", bad).await["ErrorCode"], 30001);
}

#[tokio::test]
async fn delete_reports_entries_that_are_not_there() {
    let (_emu, http) = tim_emulator(&["a", "b", "c"]).await;
    tim(&http, "sns/black_list_add", r#"{"From_Account":"a","To_Account":["b"]}"#).await;
    let v = tim(&http, "sns/black_list_delete", r#"{"From_Account":"a","To_Account":["b","c","ghost"]}"#).await;
    assert_eq!(item_codes(&v, "ResultItem"), [0, 30001, 30003]);
    assert_eq!(v["Fail_Account"], json!(["c", "ghost"]));
}

async fn friend_relation(http: &Http, from: &str, to: &str) -> String {
    let body = json!({"From_Account": from, "To_Account": [to], "CheckType": "CheckResult_Type_Both"}).to_string();
    tim(http, "sns/friend_check", &body).await["InfoItem"][0]["Relation"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn blocking_ends_a_friendship_both_ways_and_bars_requests() {
    let (_emu, http) = tim_emulator(&["a", "b", "c"]).await;
    let add = r#"{"From_Account":"a","AddFriendItem":[{"To_Account":"b","AddSource":"AddSource_Type_Web"}]}"#;
    assert_eq!(item_codes(&tim(&http, "sns/friend_add", add).await, "ResultItem"), [0]);
    assert_eq!(friend_relation(&http, "a", "b").await, "CheckResult_Type_BothWay");
    tim(&http, "sns/black_list_add", r#"{"From_Account":"b","To_Account":["a"]}"#).await;
    assert_eq!(friend_relation(&http, "a", "b").await, "CheckResult_Type_NoRelation");
    assert_eq!(item_codes(&tim(&http, "sns/friend_add", add).await, "ResultItem"), [30525], "a is on b's blocklist");
    let back = r#"{"From_Account":"b","AddFriendItem":[{"To_Account":"a","AddSource":"AddSource_Type_Web"}]}"#;
    assert_eq!(
        item_codes(&tim(&http, "sns/friend_add", back).await, "ResultItem"),
        [30515],
        "a is on b's own blocklist"
    );
    tim(&http, "sns/black_list_delete", r#"{"From_Account":"b","To_Account":["a"]}"#).await;
    assert_eq!(item_codes(&tim(&http, "sns/friend_add", add).await, "ResultItem"), [0]);
}

#[tokio::test]
async fn friend_add_single_both_and_duplicates() {
    let (_emu, http) = tim_emulator(&["a", "b", "c"]).await;
    let single = r#"{"From_Account":"a","AddType":"Add_Type_Single","AddFriendItem":[{"To_Account":"b","AddSource":"AddSource_Type_Android","Remark":"bee","GroupName":"work"}]}"#;
    assert_eq!(item_codes(&tim(&http, "sns/friend_add", single).await, "ResultItem"), [0]);
    assert_eq!(friend_relation(&http, "a", "b").await, "CheckResult_Type_AWithB");
    assert_eq!(friend_relation(&http, "b", "a").await, "CheckResult_Type_BWithA");
    let again = tim(&http, "sns/friend_add", single).await;
    assert_eq!(item_codes(&again, "ResultItem"), [30001]);
    assert_eq!(again["Fail_Account"], json!(["b"]));
    let both = r#"{"From_Account":"a","AddFriendItem":[{"To_Account":"b","AddSource":"AddSource_Type_Android"},{"To_Account":"ghost","AddSource":"AddSource_Type_Android"},{"To_Account":"a","AddSource":"AddSource_Type_Android"}]}"#;
    assert_eq!(item_codes(&tim(&http, "sns/friend_add", both).await, "ResultItem"), [0, 30003, 30001]);
    assert_eq!(friend_relation(&http, "a", "b").await, "CheckResult_Type_BothWay");
    for bad in [
        r#"{"From_Account":"a","AddFriendItem":[{"To_Account":"c"}]}"#,
        r#"{"From_Account":"a","AddFriendItem":[{"To_Account":"c","AddSource":"Web"}]}"#,
        r#"{"From_Account":"a","AddType":"Both","AddFriendItem":[{"To_Account":"c","AddSource":"AddSource_Type_X"}]}"#,
        r#"{"From_Account":"a","ForceAddFlags":2,"AddFriendItem":[{"To_Account":"c","AddSource":"AddSource_Type_X"}]}"#,
        r#"{"From_Account":"a","AddFriendItem":[]}"#,
    ] {
        assert_eq!(tim(&http, "sns/friend_add", bad).await["ErrorCode"], 30001, "{bad}");
    }
}

#[tokio::test]
async fn friend_limits() {
    let (b, _) = tim_builder(&["a", "b", "c", "d"]);
    let emu = b.tim_app(TimApp::new(APP, KEY).friend_limit(1)).start().await.unwrap();
    let http = Http::new(&emu);
    let add = |to: &str| {
        json!({"From_Account": "a", "AddFriendItem": [{"To_Account": to, "AddSource": "AddSource_Type_X"}]}).to_string()
    };
    assert_eq!(item_codes(&tim(&http, "sns/friend_add", &add("b")).await, "ResultItem"), [0]);
    assert_eq!(item_codes(&tim(&http, "sns/friend_add", &add("c")).await, "ResultItem"), [30010], "a's list is full");
    let c_adds_b = r#"{"From_Account":"c","AddFriendItem":[{"To_Account":"b","AddSource":"AddSource_Type_X"}]}"#;
    assert_eq!(item_codes(&tim(&http, "sns/friend_add", c_adds_b).await, "ResultItem"), [30014], "b's list is full");
}

#[tokio::test]
async fn friend_import_get_update_delete() {
    let ids = accounts(150);
    let mut all = vec!["a"];
    all.extend(ids.iter().map(String::as_str));
    let (_emu, http) = tim_emulator(&all).await;
    let items: Vec<Value> = ids
        .iter()
        .map(|id| json!({"To_Account": id, "AddSource": "AddSource_Type_Import", "GroupName": ["g1"], "AddTime": 1_600_000_000, "CustomItem": [{"Tag": "Tag_SNS_Custom_Level", "Value": 3}]}))
        .collect();
    let v = tim(&http, "sns/friend_import", &json!({"From_Account": "a", "AddFriendItem": items}).to_string()).await;
    assert_eq!(v["ErrorCode"], 0);
    assert!(v.get("Fail_Account").is_none());
    assert_eq!(friend_relation(&http, "a", "user0").await, "CheckResult_Type_AWithB", "import is one-way");
    let page1 = tim(&http, "sns/friend_get", r#"{"From_Account":"a","StartIndex":0}"#).await;
    assert_eq!(
        (page1["FriendNum"].as_u64(), page1["CompleteFlag"].as_u64(), page1["NextStartIndex"].as_u64()),
        (Some(150), Some(0), Some(100))
    );
    assert_eq!(page1["UserDataItem"].as_array().unwrap().len(), 100);
    let first = &page1["UserDataItem"][0];
    assert_eq!(first["To_Account"], "user0");
    let tags: Vec<&str> = first["ValueItem"].as_array().unwrap().iter().map(|t| t["Tag"].as_str().unwrap()).collect();
    assert_eq!(tags, ["Tag_SNS_IM_AddSource", "Tag_SNS_IM_Group", "Tag_SNS_IM_AddTime", "Tag_SNS_Custom_Level"]);
    let page2 = tim(&http, "sns/friend_get", r#"{"From_Account":"a","StartIndex":100}"#).await;
    assert_eq!((page2["CompleteFlag"].as_u64(), page2["UserDataItem"].as_array().unwrap().len()), (Some(1), 50));
    for key in ["StandardSequence", "CustomSequence"] {
        assert!(page2[key].is_u64(), "{key}");
    }

    let update = r#"{"From_Account":"a","UpdateItem":[{"To_Account":"user1","SnsItem":[{"Tag":"Tag_SNS_IM_Remark","Value":"one"},{"Tag":"Tag_SNS_IM_Group","Value":["g2"]}]},{"To_Account":"ghost","SnsItem":[{"Tag":"Tag_SNS_IM_Remark","Value":"x"}]}]}"#;
    let v = tim(&http, "sns/friend_update", update).await;
    assert_eq!(item_codes(&v, "ResultItem"), [0, 30003]);
    let list = tim(
        &http,
        "sns/friend_get_list",
        r#"{"From_Account":"a","To_Account":["user1","a"],"TagList":["Tag_SNS_IM_Remark","Tag_SNS_IM_Group"]}"#,
    )
    .await;
    assert_eq!(
        list["InfoItem"][0]["SnsProfileItem"],
        json!([{"Tag":"Tag_SNS_IM_Remark","Value":"one"},{"Tag":"Tag_SNS_IM_Group","Value":["g2"]}])
    );
    assert_eq!(list["InfoItem"][1]["ResultCode"], 30001, "a is not its own friend");
    assert_eq!(list["Fail_Account"], json!(["a"]));
    let bad_tag = r#"{"From_Account":"a","UpdateItem":[{"To_Account":"user1","SnsItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"x"}]}]}"#;
    assert_eq!(tim(&http, "sns/friend_update", bad_tag).await["ErrorCode"], 30001);

    let del = tim(
        &http,
        "sns/friend_delete",
        r#"{"From_Account":"a","To_Account":["user0","user0"],"DeleteType":"Delete_Type_Single"}"#,
    )
    .await;
    assert_eq!(item_codes(&del, "ResultItem"), [0, 30001]);
    let all_gone = tim(&http, "sns/friend_delete_all", r#"{"From_Account":"a","DeleteType":"Delete_Type_Both"}"#).await;
    assert_eq!(all_gone["ErrorCode"], 0);
    let empty = tim(&http, "sns/friend_get", r#"{"From_Account":"a","StartIndex":0}"#).await;
    assert_eq!((empty["FriendNum"].as_u64(), empty["CompleteFlag"].as_u64()), (Some(0), Some(1)));

    let too_many: Vec<Value> =
        (0..1001).map(|i| json!({"To_Account": format!("x{i}"), "AddSource": "AddSource_Type_Import"})).collect();
    let v = tim(&http, "sns/friend_import", &json!({"From_Account": "a", "AddFriendItem": too_many}).to_string()).await;
    assert_eq!(v["ErrorCode"], 30001, "at most 1000 per import");
}

#[tokio::test]
async fn groups() {
    let (b, _) = tim_builder(&["a", "b", "c"]);
    let emu = b.tim_app(TimApp::new(APP, KEY).friends("a", ["b", "c"]).group_limit(3)).start().await.unwrap();
    let http = Http::new(&emu);
    let v =
        tim(&http, "sns/group_add", r#"{"From_Account":"a","GroupName":["g1","g2"],"To_Account":["b","ghost"]}"#).await;
    assert_eq!(v["ErrorCode"], 0);
    assert_eq!(item_codes(&v, "ResultItem"), [0, 30001]);
    let seq = v["CurrentSequence"].as_u64().unwrap();
    assert_eq!(
        tim(&http, "sns/group_add", r#"{"From_Account":"a","GroupName":["g1"]}"#).await["ErrorCode"],
        30001,
        "exists"
    );
    assert_eq!(
        tim(&http, "sns/group_add", r#"{"From_Account":"a","GroupName":["g3","g4"]}"#).await["ErrorCode"],
        30011,
        "limit 3"
    );
    assert_eq!(
        tim(&http, "sns/group_add", r#"{"From_Account":"c","GroupName":["g1","g2","g3","g4"]}"#).await["ErrorCode"],
        30011,
        "more names than the limit in one request"
    );
    let got = tim(&http, "sns/group_get", r#"{"From_Account":"a","NeedFriend":"Need_Friend_Type_Yes"}"#).await;
    assert_eq!(
        got["ResultItem"],
        json!([{"GroupName":"g1","FriendNumber":1,"To_Account":["b"]},{"GroupName":"g2","FriendNumber":1,"To_Account":["b"]}])
    );
    assert_eq!(got["CurrentSequence"].as_u64(), Some(seq));
    let no_friends =
        tim(&http, "sns/group_get", r#"{"From_Account":"a","NeedFriend":"Need_Friend_Type_No","GroupName":["g2"]}"#)
            .await;
    assert_eq!(no_friends["ResultItem"], json!([{"GroupName":"g2","FriendNumber":1}]));
    let del = tim(&http, "sns/group_delete", r#"{"From_Account":"a","GroupName":["g1"]}"#).await;
    assert!(del["CurrentSequence"].as_u64().unwrap() > seq);
    assert_eq!(tim(&http, "sns/group_delete", r#"{"From_Account":"a","GroupName":["g1"]}"#).await["ErrorCode"], 30001);
    let after = tim(&http, "sns/group_get", r#"{"From_Account":"a","NeedFriend":"Need_Friend_Type_Yes"}"#).await;
    assert_eq!(after["ResultItem"], json!([{"GroupName":"g2","FriendNumber":1,"To_Account":["b"]}]));
    assert_eq!(tim(&http, "sns/group_get", r#"{"From_Account":"a","NeedFriend":"Yes"}"#).await["ErrorCode"], 30001);
}
