//! `POST /v3.0/watermarks/add` and `GET /v3.0/watermarks/get`.
//!
//! Add rules (18001 unless noted): body a JSON object (12003); `account_id` an integer
//! (or a string of digits; otherwise 12201) equal to the token's account (12203);
//! `organization_id` 0..=9999999999; `source_type` `MATERIAL_SOURCE_TYPE_ID`;
//! `material_type` `IMAGE`; `materials` 1..=100 objects whose `material_id` is a
//! non-empty JSON string; `watermark_configs` 1..=10 objects with a non-empty
//! `text_content`.
//!
//! Each material gets a record: an image of the account's library goes `processing` and
//! turns `success` after the configured delay (tokio time), with a result id and URL; a
//! material the account lacks, or a video, is `failed` at once with a reason; a material
//! already done with the same texts is `success` at once, reusing the result. (Asked
//! again while the first is still processing, the new record finishes with it.)
//!
//! Get rules: `filtering` a JSON array of `{field: "record_id", operator: "EQUALS" (one
//! value) | "IN", values: [string]}` (18001); `page` ≥ 0, 0 = everything on one page
//! (default 1); `page_size` 1..=100 (default 20); `fields` a JSON array of field names
//! (12008 if not, 12009 for an unknown name).

use super::auth::{Caller, authenticate, param, params};
use super::envelope::{AdsError, ok};
use super::state::{Record, Status};
use crate::state::{Shared, lock};
use axum::body::Body;
use axum::extract::State;
use axum::http::{Response, Uri};
use bytes::Bytes;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use tokio::time::Instant;

const ADD: &str = "v3.0/watermarks/add";
const GET: &str = "v3.0/watermarks/get";
const MAX_MATERIALS: usize = 100;
const MAX_CONFIGS: usize = 10;
const MAX_PAGE_SIZE: i64 = 100;
const REUSED: &str = "复用已有处理结果";
const SUBMITTED: &str = "已提交处理,请稍后查询结果";
const MISSING: &str = "素材不存在或不支持添加警示语";

/// Parses `account_id` (a JSON integer or digits in a string) and checks it is the
/// caller's.
fn check_account(value: Option<&Value>, caller: &Caller) -> Result<(), AdsError> {
    let id = match value {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        Some(_) => None,
    };
    match id {
        None => Err(AdsError::new(12201, "account_id is invalid.", "account_id 无效")),
        Some(id) if id != caller.account_id => {
            Err(AdsError::new(12203, "You have no permission on this account.", "您没有该账户的操作权限"))
        }
        Some(_) => Ok(()),
    }
}

fn check_organization(value: Option<&Value>) -> Result<(), AdsError> {
    match value {
        None | Some(Value::Null) => Ok(()),
        Some(v) => match v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())) {
            Some(n) if n <= 9_999_999_999 => Ok(()),
            _ => Err(AdsError::param("organization_id must be an integer in 0..=9999999999")),
        },
    }
}

fn required_enum(body: &Map<String, Value>, name: &str, allowed: &str) -> Result<(), AdsError> {
    match body.get(name) {
        Some(Value::String(s)) if s == allowed => Ok(()),
        Some(v) => Err(AdsError::param(format!("{name} {v} is not a valid value; allowed: {allowed}"))),
        None => Err(AdsError::param(format!("{name} is required"))),
    }
}

fn array<'a>(body: &'a Map<String, Value>, name: &str, max: usize) -> Result<&'a Vec<Value>, AdsError> {
    match body.get(name) {
        Some(Value::Array(v)) if v.is_empty() => Err(AdsError::param(format!("{name} must have at least 1 item"))),
        Some(Value::Array(v)) if v.len() > max => Err(AdsError::param(format!("{name} must have at most {max} items"))),
        Some(Value::Array(v)) => Ok(v),
        Some(_) => Err(AdsError::param(format!("{name} must be an array"))),
        None => Err(AdsError::param(format!("{name} is required"))),
    }
}

fn string_field<'a>(item: &'a Value, list: &str, name: &str) -> Result<&'a str, AdsError> {
    match item.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim()),
        Some(Value::String(_)) => Err(AdsError::param(format!("{list}[].{name} must not be empty"))),
        Some(_) => Err(AdsError::param(format!("{list}[].{name} must be a string"))),
        None => Err(AdsError::param(format!("{list}[].{name} is required"))),
    }
}

/// The handler of `POST /v3.0/watermarks/add`.
pub(crate) async fn add(State(shared): State<Arc<Shared>>, uri: Uri, raw: Bytes) -> Response<Body> {
    match run_add(&shared, &uri, &raw) {
        Ok(r) => r,
        Err(e) => e.respond(&shared),
    }
}

fn run_add(shared: &Shared, uri: &Uri, raw: &[u8]) -> Result<Response<Body>, AdsError> {
    let caller = authenticate(shared, &params(uri.query()), ADD)?;
    let body: Map<String, Value> = match serde_json::from_slice(raw) {
        Ok(Value::Object(m)) => m,
        _ => return Err(AdsError::new(12003, "The request body is not valid JSON.", "请求体不是合法的 JSON")),
    };
    check_account(body.get("account_id"), &caller)?;
    check_organization(body.get("organization_id"))?;
    required_enum(&body, "source_type", "MATERIAL_SOURCE_TYPE_ID")?;
    required_enum(&body, "material_type", "IMAGE")?;
    let materials = array(&body, "materials", MAX_MATERIALS)?
        .iter()
        .map(|m| string_field(m, "materials", "material_id"))
        .collect::<Result<Vec<_>, _>>()?;
    let texts = array(&body, "watermark_configs", MAX_CONFIGS)?
        .iter()
        .map(|c| string_field(c, "watermark_configs", "text_content"))
        .collect::<Result<Vec<_>, _>>()?;
    let texts_key = texts.join("\u{1f}");
    let delay = shared.settings().ads_watermark_delay;
    let now = Instant::now();
    let mut world = lock(&shared.ads);
    let mut results = Vec::with_capacity(materials.len());
    let (mut processing, mut success, mut failed) = (0, 0, 0);
    for material_id in materials {
        let record_id = (shared.next_serial() + 400).to_string();
        let material = world.accounts.get(&caller.account_id).and_then(|a| a.materials.get(material_id)).cloned();
        let (record, reason) = match material {
            Some(m) if m.kind == "IMAGE" => {
                let key = (caller.account_id, material_id.to_owned(), texts_key.clone());
                let earlier = world.dedup.get(&key).map(|i| world.records[*i].clone());
                let mut record = Record {
                    record_id,
                    account_id: caller.account_id,
                    material_id: material_id.to_owned(),
                    md5: m.md5.clone(),
                    name: m.name.clone(),
                    original_url: m.url.clone(),
                    status: Status::Processing { ready_at: now + delay },
                    result_id: String::new(),
                    result_url: String::new(),
                };
                match earlier {
                    Some(e) => {
                        record.status = e.status_now(now);
                        record.result_id = e.result_id;
                        record.result_url = e.result_url;
                    }
                    None => {
                        let serial = shared.next_serial();
                        record.result_id = (900_000_000 + serial).to_string();
                        record.result_url = format!("https://tx-emulator.invalid/watermarked/{}.jpg", record.result_id);
                        let index = world.records.len();
                        world.dedup.insert(key, index);
                    }
                }
                let reason = if record.status == Status::Success { REUSED } else { SUBMITTED };
                (record, reason)
            }
            other => {
                let record = Record {
                    record_id,
                    account_id: caller.account_id,
                    material_id: material_id.to_owned(),
                    md5: other.as_ref().map(|m| m.md5.clone()).unwrap_or_default(),
                    name: other.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
                    original_url: other.as_ref().map(|m| m.url.clone()).unwrap_or_default(),
                    status: Status::Failed,
                    result_id: String::new(),
                    result_url: String::new(),
                };
                (record, MISSING)
            }
        };
        let status = record.status_now(now);
        match status {
            Status::Processing { .. } => processing += 1,
            Status::Success => success += 1,
            Status::Failed => failed += 1,
        }
        let done = status == Status::Success;
        results.push(json!({
            "original_material_id": record.material_id,
            "original_material_md5": record.md5,
            "material_name": record.name,
            "record_id": record.record_id,
            "status": status_name(status),
            "result_material_id": if done { record.result_id.as_str() } else { "" },
            "result_material_url": if done { record.result_url.as_str() } else { "" },
            "reason": reason,
        }));
        world.records.push(record);
    }
    let data = json!({
        "total_count": results.len(),
        "processing_count": processing,
        "success_count": success,
        "failed_count": failed,
        "results": results,
    });
    Ok(ok(shared, data, Some(&caller.remaining)))
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Processing { .. } => "processing",
        Status::Success => "success",
        Status::Failed => "failed",
    }
}

const FIELDS: [&str; 7] = [
    "record_id",
    "status",
    "original_material_id",
    "material_name",
    "original_material_url",
    "result_material_id",
    "result_material_url",
];

struct Filter {
    values: Vec<String>,
}

fn parse_filtering(text: Option<&str>) -> Result<Vec<Filter>, AdsError> {
    let Some(text) = text else { return Ok(Vec::new()) };
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Err(AdsError::param("filtering must be a JSON array"));
    };
    items
        .iter()
        .map(|item| {
            let field = item.get("field").and_then(Value::as_str);
            if field != Some("record_id") {
                return Err(AdsError::param("filtering[].field must be record_id"));
            }
            let values: Vec<String> = match item.get("values") {
                Some(Value::Array(v)) if !v.is_empty() => v
                    .iter()
                    .map(|x| x.as_str().map(|s| s.trim().to_owned()))
                    .collect::<Option<_>>()
                    .ok_or_else(|| AdsError::param("filtering[].values must hold strings"))?,
                _ => return Err(AdsError::param("filtering[].values must be a non-empty array")),
            };
            match item.get("operator").and_then(Value::as_str) {
                Some("EQUALS") if values.len() == 1 => Ok(Filter { values }),
                Some("EQUALS") => Err(AdsError::param("filtering operator EQUALS takes exactly one value")),
                Some("IN") => Ok(Filter { values }),
                _ => Err(AdsError::param("filtering[].operator must be EQUALS or IN")),
            }
        })
        .collect()
}

fn parse_fields(text: Option<&str>) -> Result<Vec<&'static str>, AdsError> {
    let Some(text) = text else { return Ok(FIELDS.to_vec()) };
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Err(AdsError::new(12008, "fields must be a JSON array of field names.", "fields 格式错误"));
    };
    items
        .iter()
        .map(|v| {
            let name =
                v.as_str().ok_or_else(|| AdsError::new(12008, "fields must hold strings.", "fields 格式错误"))?;
            FIELDS.iter().find(|f| **f == name).copied().ok_or_else(|| {
                AdsError::new(12009, format!("fields: unknown field {name}."), format!("fields 中的字段 {name} 不存在"))
            })
        })
        .collect()
}

fn int_param(params: &[(String, String)], name: &str, default: i64) -> Result<i64, AdsError> {
    match param(params, name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| AdsError::param(format!("{name} must be an integer"))),
    }
}

/// The handler of `GET /v3.0/watermarks/get`.
pub(crate) async fn get(State(shared): State<Arc<Shared>>, uri: Uri) -> Response<Body> {
    match run_get(&shared, &uri) {
        Ok(r) => r,
        Err(e) => e.respond(&shared),
    }
}

fn run_get(shared: &Shared, uri: &Uri) -> Result<Response<Body>, AdsError> {
    let params = params(uri.query());
    let caller = authenticate(shared, &params, GET)?;
    let account = param(&params, "account_id").map(|s| Value::String(s.to_owned()));
    check_account(account.as_ref(), &caller)?;
    let organization = param(&params, "organization_id").map(|s| Value::String(s.to_owned()));
    check_organization(organization.as_ref())?;
    let filters = parse_filtering(param(&params, "filtering"))?;
    let fields = parse_fields(param(&params, "fields"))?;
    let page = int_param(&params, "page", 1)?;
    let page_size = int_param(&params, "page_size", 20)?;
    if page < 0 {
        return Err(AdsError::param("page must be 0 (no paging) or more"));
    }
    if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
        return Err(AdsError::param(format!("page_size must be 1..={MAX_PAGE_SIZE}")));
    }
    let now = Instant::now();
    let world = lock(&shared.ads);
    let matching: Vec<&Record> = world
        .records
        .iter()
        .filter(|r| r.account_id == caller.account_id)
        .filter(|r| filters.iter().all(|f| f.values.contains(&r.record_id)))
        .collect();
    let total = matching.len();
    let size = page_size as usize;
    let shown: &[&Record] = if page == 0 {
        &matching
    } else {
        let start = (page as usize - 1).saturating_mul(size).min(total);
        &matching[start..(start + size).min(total)]
    };
    let list: Vec<Value> = shown
        .iter()
        .map(|r| {
            let status = r.status_now(now);
            let done = status == Status::Success;
            let mut m = Map::new();
            for f in &fields {
                let v = match *f {
                    "record_id" => r.record_id.clone(),
                    "status" => status_name(status).to_owned(),
                    "original_material_id" => r.material_id.clone(),
                    "material_name" => r.name.clone(),
                    "original_material_url" => r.original_url.clone(),
                    "result_material_id" if done => r.result_id.clone(),
                    "result_material_url" if done => r.result_url.clone(),
                    _ => String::new(),
                };
                m.insert((*f).to_owned(), Value::String(v));
            }
            Value::Object(m)
        })
        .collect();
    let data = json!({
        "list": list,
        "page_info": {
            "page": page,
            "page_size": page_size,
            "total_number": total,
            "total_page": total.div_ceil(size),
        },
    });
    drop(world);
    Ok(ok(shared, data, Some(&caller.remaining)))
}
