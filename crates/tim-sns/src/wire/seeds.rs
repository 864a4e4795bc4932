//! Golden fixtures: the literal JSON examples of the seed documents, decoded and encoded
//! by the wire types (seed 001 `black_list_check`, seed 003 `black_list_add`).

use super::CheckRequest;
use super::blocklist::CheckReply;
use super::{AccountsRequest, ItemsReply};
use crate::Relation;
use crate::blocklist::{AccountsOp, CheckOp};
use crate::protocol::code::{ErrorCode, KnownCode};
use crate::protocol::decode;
use serde_json::{Value, json};
use tx_core::batch::BatchOp;

const SEED_001_REQUEST: &str = r#"{
    "From_Account":"id",
    "To_Account":["id1","id2","id3","id4","id5"],
    "CheckType":"BlackCheckResult_Type_Both"
}"#;

const SEED_001_RESPONSE: &str = r#"{
    "BlackListCheckItem": [
        {
            "To_Account": "id1",
            "Relation": "BlackCheckResult_Type_BothWay",
            "ResultCode": 0,
            "ResultInfo": ""
        },
        {
            "To_Account": "id2",
            "Relation": "BlackCheckResult_Type_AWithB",
            "ResultCode": 0,
            "ResultInfo": ""
        },
        {
            "To_Account": "id3",
            "Relation": "BlackCheckResult_Type_BWithA",
            "ResultCode": 0,
            "ResultInfo": ""
        },
        {
            "To_Account": "id4",
            "Relation": "BlackCheckResult_Type_NO",
            "ResultCode": 0,
            "ResultInfo": ""
        },
        {
            "To_Account": "id5",
            "Relation": "BlackCheckResult_Type_NO",
            "ResultCode": 30007,
            "ResultInfo": "Err_SNS_BlackListCheck_Check_Reverse_BlackList_Fail"
        }
    ],
    "Fail_Account": ["id5"],
    "ActionStatus": "OK",
    "ErrorCode": 0,
    "ErrorInfo": "",
    "ErrorDisplay": ""
}"#;

const SEED_003_REQUEST: &str = r#"{"From_Account":"id","To_Account":["id1","id2","id3"]}"#;

const SEED_003_RESPONSE: &str = r#"{"ResultItem":[{"To_Account":"id1","ResultCode":0,"ResultInfo":""},{"To_Account":"id2","ResultCode":30001,"ResultInfo":"Err_SNS_BlackListAdd_Already_Exist"},{"To_Account":"id3","ResultCode":30002,"ResultInfo":"Err_SNS_BlackListAdd_SdkAppId_Illegal"}],"Fail_Account":["id2","id3"],"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":""}"#;

fn same_json(encoded: &impl serde::Serialize, literal: &str) {
    let ours: Value = serde_json::to_value(encoded).unwrap();
    let theirs: Value = serde_json::from_str(literal).unwrap();
    assert_eq!(ours, theirs);
}

#[test]
fn seed_001_black_list_check() {
    let request = CheckRequest {
        from: "id",
        to: vec!["id1", "id2", "id3", "id4", "id5"],
        check_type: crate::CheckType::Both.blocklist_wire().unwrap(),
    };
    same_json(&request, SEED_001_REQUEST);
    let ids: Vec<String> = ["id1", "id2", "id3", "id4", "id5"].map(String::from).to_vec();
    let refs: Vec<&String> = ids.iter().collect();
    let call = CheckOp { from: "id".into(), check_type: "BlackCheckResult_Type_Both" }.call(&refs).unwrap();
    same_json(&serde_json::from_slice::<Value>(call.body().unwrap()).unwrap(), SEED_001_REQUEST);

    let reply: CheckReply = decode(SEED_001_RESPONSE.as_bytes()).unwrap();
    assert_eq!(reply.fail_account, ["id5"]);
    assert_eq!(reply.invalid_account, None);
    let op = CheckOp { from: "id".into(), check_type: "BlackCheckResult_Type_Both" };
    let items = op.results(&refs, reply);
    let got: Vec<(&str, &Relation, i64)> = items.iter().map(|i| (i.id.as_str(), &i.value, i.code)).collect();
    assert_eq!(
        got,
        [
            ("id1", &Relation::BothWay, 0),
            ("id2", &Relation::AWithB, 0),
            ("id3", &Relation::BWithA, 0),
            ("id4", &Relation::No, 0),
            ("id5", &Relation::No, 30007),
        ]
    );
    assert_eq!(items[4].message, "Err_SNS_BlackListCheck_Check_Reverse_BlackList_Fail");
    assert!(ErrorCode::from(items[4].code).is_retryable(), "30007: retry later");
}

#[test]
fn seed_001_with_the_older_item_name() {
    let legacy = SEED_001_RESPONSE
        .replace("BlackListCheckItem", "ResultItem")
        .replace(r#""Fail_Account": ["id5"],"#, r#""Fail_Account": ["id5"], "Invalid_Account": [],"#);
    let reply: CheckReply = decode(legacy.as_bytes()).unwrap();
    assert_eq!(reply.invalid_account, Some(vec![]));
    let op = CheckOp { from: "id".into(), check_type: "BlackCheckResult_Type_Both" };
    assert_eq!(op.results(&[], reply).len(), 5);
}

#[test]
fn seed_003_black_list_add() {
    same_json(&AccountsRequest { from: "id", to: vec!["id1", "id2", "id3"] }, SEED_003_REQUEST);
    let ids: Vec<String> = ["id1", "id2", "id3"].map(String::from).to_vec();
    let refs: Vec<&String> = ids.iter().collect();
    let call = AccountsOp::add("id".into()).call(&refs).unwrap();
    assert_eq!(call.endpoint(), "v4/sns/black_list_add");
    assert_eq!(std::str::from_utf8(call.body().unwrap()).unwrap(), SEED_003_REQUEST, "byte for byte");

    let reply: ItemsReply = decode(SEED_003_RESPONSE.as_bytes()).unwrap();
    assert_eq!(reply.fail_account, ["id2", "id3"]);
    let items = AccountsOp::add("id".into()).results(&refs, reply);
    let got: Vec<(&str, Option<ErrorCode>)> =
        items.iter().map(|i| (i.id.as_str(), (i.code != 0).then(|| ErrorCode::from(i.code)))).collect();
    assert_eq!(
        got,
        [
            ("id1", None),
            ("id2", Some(ErrorCode::Known(KnownCode::InvalidParameter))),
            ("id3", Some(ErrorCode::Known(KnownCode::SdkAppIdMismatch))),
        ]
    );
    assert_eq!(items[1].message, "Err_SNS_BlackListAdd_Already_Exist");
}

#[test]
fn black_list_get_reads_both_sequence_spellings() {
    use super::blocklist::GetReply;
    for field in ["CurrentSequence", "CurruentSequence"] {
        let body = json!({
            "BlackListItem": [{"To_Account": "id1", "AddBlackTimeStamp": 1700000000}],
            "StartIndex": 0, field: 7, "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""
        });
        let reply: GetReply = decode(body.to_string().as_bytes()).unwrap();
        assert_eq!(reply.sequence(), Some(7), "{field}");
        assert_eq!(reply.items[0].added_at, 1_700_000_000);
    }
    let none: GetReply = decode(br#"{"ActionStatus":"OK","ErrorCode":0}"#).unwrap();
    assert_eq!((none.sequence(), none.items.len(), none.start_index), (None, 0, 0));
}
