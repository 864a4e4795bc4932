//! Golden fixtures: the literal JSON examples of seed 002 (`watermarks/add`), byte for byte,
//! and the documented examples of the other endpoints as the reference quotes them.

use super::*;
use crate::query::query_pairs;
use serde_json::{Value, json};
use tx_core::envelope::{EnvelopeError, ads};

/// Seed 002's request example. `"<ACCOUNT_ID>"` only quotes a placeholder: the API takes an
/// integer.
const SEED_002_REQUEST: &str = include_str!("../../tests/fixtures/seed_002_request.json");

/// Seed 002's response example.
const SEED_002_RESPONSE: &str = include_str!("../../tests/fixtures/seed_002_response.json");

const ACCOUNT_ID: i64 = 5_178_368_698;

#[test]
fn seed_002_request_is_what_we_send() {
    let mut expected: Value = serde_json::from_str(SEED_002_REQUEST).unwrap();
    expected["account_id"] = json!(ACCOUNT_ID);
    let request = WatermarksAddRequest::new(ACCOUNT_ID, ["123", "456"], ["年化利率(复利)2%-22%"]);
    request.validate().unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap(), expected);
    // The account id is an unquoted integer on the wire.
    let text = serde_json::to_string(&request).unwrap();
    assert!(text.starts_with(r#"{"account_id":5178368698,"source_type":"MATERIAL_SOURCE_TYPE_ID""#), "{text}");
}

#[test]
fn seed_002_response_decodes_through_the_ads_envelope() {
    let data: WatermarksAddResponse = ads::decode(SEED_002_RESPONSE.as_bytes()).unwrap();
    assert_eq!((data.total_count, data.processing_count, data.success_count, data.failed_count), (2, 2, 0, 0));
    assert_eq!(data.results.len(), 2);
    for (r, (id, name, record)) in data.results.iter().zip([("123", "图片 1", "401"), ("456", "图片 2", "402")]) {
        assert_eq!(r.original_material_id, id);
        assert_eq!(r.original_material_md5.as_deref(), Some("8c471927c56a2095aa9374a287b62d80"));
        assert_eq!(r.material_name.as_deref(), Some(name));
        assert_eq!(r.record_id.as_deref(), Some(record));
        assert_eq!(r.status, WatermarkStatus::Processing);
        assert!(!r.status.is_terminal());
        // Unfilled values are "" on the wire and None in the model.
        assert_eq!((r.result_material_id.as_deref(), r.result_material_url.as_deref()), (None, None));
        assert_eq!(r.reason.as_deref(), Some("已提交处理,请稍后查询结果"));
    }
}

#[test]
fn a_failure_body_is_the_envelope_failure() {
    let body = br#"{"code": 12100, "message": "nonce used, trace_id: 7c1f00aa", "data": {"results": 5}}"#;
    match ads::decode::<WatermarksAddResponse>(body) {
        Err(EnvelopeError::Failure(f)) => {
            assert!(crate::ErrorCode::from(f.code).is_replay());
            assert_eq!(f.request_id.as_deref(), Some("7c1f00aa"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn watermarks_get_query_is_the_documented_one() {
    // The reference's examples: `fields=["record_id","status"]`,
    // `filtering=[{"field":"record_id","operator":"IN","values":["113"]}]`.
    let request = WatermarksGetRequest::new(ACCOUNT_ID).with_record_ids(["113"]).with_fields(["record_id", "status"]);
    request.validate().unwrap();
    let pairs = query_pairs(&request).unwrap();
    let text: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.expose())).collect();
    assert_eq!(
        text,
        [
            ("account_id", "5178368698"),
            ("filtering", r#"[{"field":"record_id","operator":"IN","values":["113"]}]"#),
            ("page", "1"),
            ("page_size", "100"),
            ("fields", r#"["record_id","status"]"#),
        ]
    );
    let no_paging = query_pairs(&WatermarksGetRequest::new(1).with_page(0).with_organization_id(42)).unwrap();
    let text: Vec<(&str, &str)> = no_paging.iter().map(|(k, v)| (*k, v.expose())).collect();
    assert_eq!(text, [("account_id", "1"), ("organization_id", "42"), ("page", "0"), ("page_size", "100")]);
}

#[test]
fn material_tasks_get_query_is_the_documented_one() {
    let request = MaterialTasksGetRequest::new(ACCOUNT_ID)
        .with_job_id("5d2a5771-a827-4e9a-bb83-39f539d9caba")
        .with_page_size(10)
        .with_ownership_type(OwnershipType::Owned);
    request.validate().unwrap();
    let pairs = query_pairs(&request).unwrap();
    let text: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.expose())).collect();
    assert_eq!(
        text,
        [
            ("account_id", "5178368698"),
            ("ownership_type", "OWNED"),
            (
                "filtering",
                r#"[{"field":"job_id","operator":"EQUALS","values":["5d2a5771-a827-4e9a-bb83-39f539d9caba"]}]"#
            ),
            ("page", "1"),
            ("page_size", "10"),
        ]
    );
}

#[test]
fn watermarks_get_answer_as_documented() {
    let body = r#"{"code": 0, "message": "", "message_cn": "", "data": {
        "list": [{"record_id": "113", "status": "success", "original_material_id": "3174074841",
          "material_name": "新对话 (15)", "original_material_url": "http://wxsnsencsvp.wxs.qq.com/141/20204/snscosdownload/SH/reserved/a.jpg",
          "result_material_id": "3174075314", "result_material_url": "http://wxsnsencsvp.wxs.qq.com/141/20204/snscosdownload/SH/reserved/b.jpg"}],
        "page_info": {"page": 1, "page_size": 10, "total_number": 1, "total_page": 1}}}"#;
    let data: WatermarksGetResponse = ads::decode(body.as_bytes()).unwrap();
    let r = &data.list[0];
    assert_eq!((r.record_id.as_str(), &r.status), ("113", &WatermarkStatus::Success));
    assert_eq!(r.original_material_id.as_deref(), Some("3174074841"));
    assert_eq!(r.material_name.as_deref(), Some("新对话 (15)"));
    assert_eq!(r.result_material_id.as_deref(), Some("3174075314"));
    assert!(r.result_material_url.as_deref().is_some_and(|u| u.ends_with("/b.jpg")));
    assert_eq!((data.page_info.total_number, data.page_info.has_next()), (1, false));
}

#[test]
fn material_tasks_answers_as_documented() {
    let add: MaterialTasksAddResponse = ads::decode(
        br#"{"code": 0, "message": "", "message_cn": "", "data": {"job_id": "949cb7b5-5249-4ab8-a27e-d2ae081137f8"}}"#,
    )
    .unwrap();
    assert_eq!(add.job_id, "949cb7b5-5249-4ab8-a27e-d2ae081137f8");

    // The documented sample sends a padded id and string timestamps.
    let body = r#"{"code": 0, "message": "", "message_cn": "", "data": {"list": [{"watermark_result": {
        "task_id": "1167", "task_status": "MATERIAL_TASK_STATUS_WATERMARK_SUCCESS", "message": "成功",
        "material_name": "素材名称", "material_type": "IMAGE", "original_material_id": " 123",
        "original_material_uuid": "1a84c6799b0db4588e21e7a621f690c8",
        "original_material_url": "http://wxsnsencsvp.wxs.qq.com/141/20204/snscosdownload/SH/reserved/123.jpg",
        "original_cover_image_url": "", "result_material_id": "456",
        "result_material_uuid": "73cfa05b504d0b0445a9f7b6743404d4",
        "result_material_url": "http://wxsnsencsvp.wxs.qq.com/141/20204/snscosdownload/SH/reserved/456.jpg",
        "result_cover_image_url": "", "create_time": "1768358050", "update_time": "1768358053"}}],
        "page_info": {"page": 1, "page_size": 10, "total_number": 1, "total_page": 1}}}"#;
    let data: MaterialTasksGetResponse = ads::decode(body.as_bytes()).unwrap();
    let w = data.list[0].watermark_result.as_ref().unwrap();
    assert_eq!(w.task_id, "1167");
    assert_eq!(w.task_status, TaskStatus::WatermarkSuccess);
    assert!(w.task_status.is_terminal());
    assert_eq!(w.message.as_deref(), Some("成功"));
    assert_eq!(w.material_type, Some(MaterialType::Image));
    assert_eq!(w.original_material_id.as_deref(), Some("123"));
    assert_eq!(w.original_material_uuid.as_deref(), Some("1a84c6799b0db4588e21e7a621f690c8"));
    assert_eq!((w.original_cover_image_url.as_deref(), w.result_cover_image_url.as_deref()), (None, None));
    assert_eq!(w.result_material_id.as_deref(), Some("456"));
    assert_eq!(w.result_material_uuid.as_deref(), Some("73cfa05b504d0b0445a9f7b6743404d4"));
    assert!(w.result_material_url.as_deref().is_some_and(|u| u.ends_with("/456.jpg")));
    assert_eq!((w.create_time, w.update_time), (Some(1_768_358_050), Some(1_768_358_053)));
    assert_eq!(data.page_info.page_size, 10);
}
