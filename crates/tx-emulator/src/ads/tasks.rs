//! `POST /v3.0/material_async_tasks/add` and `GET /v3.0/material_async_tasks/get`: the
//! job-based form of warning texts, for images and videos.
//!
//! Add rules (18001 unless noted): body a JSON object (12003); `account_id` as for
//! watermarks; `organization_id` 0..=9999999999; `material_param_type`
//! `MATERIAL_PARAM_TYPE_ID`; `material_type` `IMAGE` or `VIDEO`; `material_detail` 1..=100
//! objects with a `material_id` string; `task_specs.watermark_spec.text` 1..=10 strings;
//! no forbidden characters. The answer is `{job_id}`, a UUID; each material becomes a task
//! that is `MATERIAL_TASK_STATUS_WATERMARK_PROCESSING` for the configured delay
//! (`ads_watermark_delay`, tokio time), then `…_SUCCESS` with a result, or `…_FAILED` with
//! a message when the account has no such material of that type.
//!
//! Get rules: `account_id` must be an advertiser's (an agency account answers 12201);
//! `ownership_type` `OWNED` when present; `filtering` 1..=10 items
//! `{field: "job_id", operator: "EQUALS", values: [one id]}`, all of which a task must
//! match; `page` 1..=99999 (default 1); `page_size` 1..=100 (default 10); `fields` a JSON
//! array when present (not applied). Tasks are listed in creation order. As in the
//! sample, `create_time` and `update_time` are strings of unix seconds and
//! `original_material_id` has a leading space.

use super::auth::{Caller, authenticate, param, params};
use super::envelope::{AdsError, ok};
use super::params::{account, array, body, clean, filtering, int_param, one_of, organization};
use super::state::Task;
use crate::ids;
use crate::state::{Shared, lock};
use axum::body::Body;
use axum::extract::State;
use axum::http::{Response, Uri};
use bytes::Bytes;
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::time::Instant;

const ADD: &str = "v3.0/material_async_tasks/add";
const GET: &str = "v3.0/material_async_tasks/get";
const MAX_MATERIALS: usize = 100;
const MAX_TEXTS: usize = 10;

/// A version-4-shaped UUID derived from a serial.
fn uuid(serial: u64) -> String {
    let hex = ids::hex(serial ^ 0x0b_0b, 32);
    format!("{}-{}-4{}-a{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}

/// The handler of `POST /v3.0/material_async_tasks/add`.
pub(crate) async fn add(State(shared): State<Arc<Shared>>, uri: Uri, raw: Bytes) -> Response<Body> {
    let result = authenticate(&shared, &params(uri.query()), ADD).and_then(|caller| {
        let remaining = caller.remaining.clone();
        run_add(&shared, &caller, &raw).map_err(|e| e.remaining(remaining))
    });
    result.unwrap_or_else(|e| e.respond(&shared))
}

fn run_add(shared: &Shared, caller: &Caller, raw: &[u8]) -> Result<Response<Body>, AdsError> {
    let body = body(raw)?;
    let account_id = account(caller, body.get("account_id"), false)?;
    organization(body.get("organization_id"))?;
    one_of(&body, "material_param_type", &["MATERIAL_PARAM_TYPE_ID"])?;
    let kind = one_of(&body, "material_type", &["IMAGE", "VIDEO"])?;
    let materials = array(body.get("material_detail"), "material_detail", MAX_MATERIALS)?
        .iter()
        .map(|m| clean(m.get("material_id"), "material_detail[].material_id"))
        .collect::<Result<Vec<_>, _>>()?;
    let spec = body.get("task_specs").and_then(|t| t.get("watermark_spec"));
    if spec.is_none() {
        return Err(AdsError::param("task_specs.watermark_spec is required"));
    }
    array(spec.and_then(|s| s.get("text")), "task_specs.watermark_spec.text", MAX_TEXTS)?
        .iter()
        .map(|t| clean(Some(t), "task_specs.watermark_spec.text[]"))
        .collect::<Result<Vec<_>, _>>()?;
    let job_id = uuid(shared.next_serial());
    let delay = shared.settings().ads_watermark_delay;
    let created = shared.clock.unix_now();
    let done = created.saturating_add(delay.as_secs().max(u64::from(!delay.is_zero())));
    let ready_at = Instant::now() + delay;
    let mut world = lock(&shared.ads);
    for material_id in materials {
        let material = world
            .accounts
            .get(&account_id)
            .and_then(|a| a.materials.get(material_id))
            .filter(|m| m.kind == kind)
            .cloned();
        let serial = shared.next_serial();
        world.tasks.push(Task {
            task_id: (700_000 + serial).to_string(),
            job_id: job_id.clone(),
            account_id,
            material_id: material_id.to_owned(),
            material_type: kind.to_owned(),
            material,
            ready_at,
            created,
            done,
            result_id: (800_000_000 + serial).to_string(),
        });
    }
    drop(world);
    Ok(ok(shared, json!({"job_id": job_id}), Some(&caller.remaining)))
}

/// The handler of `GET /v3.0/material_async_tasks/get`.
pub(crate) async fn get(State(shared): State<Arc<Shared>>, uri: Uri) -> Response<Body> {
    let params = params(uri.query());
    let result = authenticate(&shared, &params, GET).and_then(|caller| {
        let remaining = caller.remaining.clone();
        run_get(&shared, &caller, &params).map_err(|e| e.remaining(remaining))
    });
    result.unwrap_or_else(|e| e.respond(&shared))
}

fn run_get(shared: &Shared, caller: &Caller, params: &[(String, String)]) -> Result<Response<Body>, AdsError> {
    let query_value = |name: &str| param(params, name).map(|s| Value::String(s.to_owned()));
    let account_id = account(caller, query_value("account_id").as_ref(), true)?;
    organization(query_value("organization_id").as_ref())?;
    if param(params, "ownership_type").is_some_and(|o| o != "OWNED") {
        return Err(AdsError::param("ownership_type must be OWNED"));
    }
    let filters = filtering(param(params, "filtering"), "job_id", &["EQUALS"], 10)?;
    if let Some(f) = param(params, "fields")
        && !matches!(serde_json::from_str::<Value>(f), Ok(Value::Array(_)))
    {
        return Err(AdsError::new(12008, "fields must be a JSON array of field names.", "fields 格式错误"));
    }
    let page = int_param(params, "page", 1)?;
    let page_size = int_param(params, "page_size", 10)?;
    if !(1..=99_999).contains(&page) {
        return Err(AdsError::param("page must be 1..=99999"));
    }
    if !(1..=100).contains(&page_size) {
        return Err(AdsError::param("page_size must be 1..=100"));
    }
    let now = Instant::now();
    let world = lock(&shared.ads);
    if world.accounts.get(&account_id).is_some_and(|a| a.agency) {
        return Err(AdsError::new(
            12201,
            "account_id is invalid: material async tasks take advertiser accounts only.",
            "account_id 无效:仅支持广告主账户",
        ));
    }
    let matching: Vec<&Task> = world
        .tasks
        .iter()
        .filter(|t| t.account_id == account_id && filters.iter().all(|values| values.contains(&t.job_id)))
        .collect();
    let total = matching.len();
    let size = page_size as usize;
    let start = (page as usize - 1).saturating_mul(size).min(total);
    let list: Vec<Value> = matching[start..(start + size).min(total)].iter().map(|t| result(t, now)).collect();
    drop(world);
    let data = json!({
        "list": list,
        "page_info": {"page": page, "page_size": page_size, "total_number": total, "total_page": total.div_ceil(size)},
    });
    Ok(ok(shared, data, Some(&caller.remaining)))
}

/// One task as `{watermark_result: {…}}`.
fn result(t: &Task, now: Instant) -> Value {
    let finished = now >= t.ready_at;
    let (status, message) = match (&t.material, finished) {
        (_, false) => ("MATERIAL_TASK_STATUS_WATERMARK_PROCESSING", "处理中"),
        (Some(_), true) => ("MATERIAL_TASK_STATUS_WATERMARK_SUCCESS", ""),
        (None, true) => ("MATERIAL_TASK_STATUS_WATERMARK_FAILED", "素材不存在或不支持添加警示语"),
    };
    let success = finished && t.material.is_some();
    let video = t.material_type == "VIDEO";
    let (name, original_url) = t.material.as_ref().map(|m| (m.name.clone(), m.url.clone())).unwrap_or_default();
    let ext = if video { "mp4" } else { "jpg" };
    let cover = |id: &str| if video { format!("https://tx-emulator.invalid/covers/{id}.jpg") } else { String::new() };
    let filled = |v: String| if success { v } else { String::new() };
    json!({"watermark_result": {
        "task_id": t.task_id,
        "task_status": status,
        "message": message,
        "material_name": name,
        "material_type": t.material_type,
        "original_material_id": format!(" {}", t.material_id),
        "original_material_uuid": ids::hex(ids::fnv1a(t.material_id.as_bytes()), 32),
        "original_material_url": original_url,
        "original_cover_image_url": if t.material.is_some() { cover(&t.material_id) } else { String::new() },
        "result_material_id": filled(t.result_id.clone()),
        "result_material_uuid": filled(ids::hex(ids::fnv1a(t.result_id.as_bytes()), 32)),
        "result_material_url": filled(format!("https://tx-emulator.invalid/watermarked/{}.{ext}", t.result_id)),
        "result_cover_image_url": filled(cover(&t.result_id)),
        "create_time": t.created.to_string(),
        "update_time": if finished { t.done } else { t.created }.to_string(),
    }})
}
