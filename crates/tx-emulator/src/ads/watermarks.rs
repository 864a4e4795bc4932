//! `POST /v3.0/watermarks/add` and `GET /v3.0/watermarks/get`.
//!
//! Add rules (18001 unless noted): body a JSON object (12003); `account_id` a JSON integer,
//! one of the token's accounts (12203; see [`super::params::account`]);
//! `organization_id` 0..=9999999999; `source_type` `MATERIAL_SOURCE_TYPE_ID`;
//! `material_type` `IMAGE`; `materials` 1..=100 objects whose `material_id` is a
//! non-empty JSON string; `watermark_configs` 1..=10 objects with a non-empty
//! `text_content`; no value holds a forbidden character (`< > & ' " \` TAB LF CR; `/` is
//! allowed in texts, which the documented texts need).
//!
//! Each material gets a record: an image of the account's library goes `processing` and
//! turns `success` after the configured delay (tokio time), with a result id and URL; a
//! material the account lacks, or a video, is `failed` at once with a reason; a material
//! already done with the same set of texts (in any order) is `success` at once, reusing
//! the result. (Asked again while the first is still processing, the new record finishes
//! with it.)
//!
//! Get rules: `filtering` a JSON array of `{field: "record_id", operator: "EQUALS" (one
//! value) | "IN", values: [string]}` (18001); `page` ≥ 0, 0 = everything on one page
//! (default 1); `page_size` 1..=100 (default 20); `fields` a JSON array of field names
//! (12008 if not, 12009 for an unknown name).

use super::auth::{authenticate, param, params};
use super::envelope::{AdsError, ok};
use super::params::{account, array, body, clean, fields, filtering, int_param, one_of, organization};
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

/// The handler of `POST /v3.0/watermarks/add`.
pub(crate) async fn add(State(shared): State<Arc<Shared>>, uri: Uri, raw: Bytes) -> Response<Body> {
    match run_add(&shared, &uri, &raw) {
        Ok(r) => r,
        Err(e) => e.respond(&shared),
    }
}

fn run_add(shared: &Shared, uri: &Uri, raw: &[u8]) -> Result<Response<Body>, AdsError> {
    let caller = authenticate(shared, &params(uri.query()), ADD)?;
    let remaining = caller.remaining.clone();
    add_for(shared, &caller, raw).map_err(|e| e.remaining(remaining))
}

fn add_for(shared: &Shared, caller: &super::auth::Caller, raw: &[u8]) -> Result<Response<Body>, AdsError> {
    let body: Map<String, Value> = body(raw)?;
    let account_id = account(caller, body.get("account_id"), false)?;
    organization(body.get("organization_id"))?;
    one_of(&body, "source_type", &["MATERIAL_SOURCE_TYPE_ID"])?;
    one_of(&body, "material_type", &["IMAGE"])?;
    let materials = array(body.get("materials"), "materials", MAX_MATERIALS)?
        .iter()
        .map(|m| clean(m.get("material_id"), "materials[].material_id"))
        .collect::<Result<Vec<_>, _>>()?;
    let mut texts = array(body.get("watermark_configs"), "watermark_configs", MAX_CONFIGS)?
        .iter()
        .map(|c| clean(c.get("text_content"), "watermark_configs[].text_content"))
        .collect::<Result<Vec<_>, _>>()?;
    texts.sort_unstable();
    texts.dedup();
    let texts_key = texts.join("\u{1f}");
    let delay = shared.settings().ads_watermark_delay;
    let now = Instant::now();
    let mut world = lock(&shared.ads);
    let mut results = Vec::with_capacity(materials.len());
    let (mut processing, mut success, mut failed) = (0, 0, 0);
    for material_id in materials {
        let record_id = (shared.next_serial() + 400).to_string();
        let material = world.accounts.get(&account_id).and_then(|a| a.materials.get(material_id)).cloned();
        let (record, reason) = match material {
            Some(m) if m.kind == "IMAGE" => {
                let key = (account_id, material_id.to_owned(), texts_key.clone());
                let earlier = world.dedup.get(&key).map(|i| world.records[*i].clone());
                let mut record = Record {
                    record_id,
                    account_id,
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
                    account_id,
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
    let remaining = caller.remaining.clone();
    get_for(shared, &caller, &params).map_err(|e| e.remaining(remaining))
}

fn get_for(
    shared: &Shared,
    caller: &super::auth::Caller,
    params: &[(String, String)],
) -> Result<Response<Body>, AdsError> {
    let query_value = |name: &str| param(params, name).map(|s| Value::String(s.to_owned()));
    let account_id = account(caller, query_value("account_id").as_ref(), true)?;
    organization(query_value("organization_id").as_ref())?;
    let filters = filtering(param(params, "filtering"), "record_id", &["EQUALS", "IN"], usize::MAX)?;
    let fields = fields(param(params, "fields"), &FIELDS)?;
    let page = int_param(params, "page", 1)?;
    let page_size = int_param(params, "page_size", 20)?;
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
        .filter(|r| r.account_id == account_id)
        .filter(|r| filters.iter().all(|values| values.contains(&r.record_id)))
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
