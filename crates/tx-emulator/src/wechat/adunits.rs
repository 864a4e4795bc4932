//! Ad units: `agency_create_adunit`, `agency_update_adunit`, `agency_get_tmpl_type`,
//! `get_agency_ad_unit_list` (template units), `agency_get_adunit_list` (every slot but
//! the cover) and `agency_get_adunit_code`.
//!
//! Rules: `type` / `ad_slot` one of the documented slots (the cover is managed by the cover
//! actions: ret 1701); a template unit needs `tmpl_type` or `tmpl_id` (ret 1700), and
//! `tmpl_type` is one of 2, 3, 4, 6, 7, 9, 10, 11, 12, 13, 20, 100001, 100003 (1701);
//! `video_duration_min` is 6 and `video_duration_max` 15, 30, 60 or 86400 (1701); the
//! update `status` is `AD_UNIT_STATUS_ON` / `_OFF` (1701); an unknown `ad_unit_id` is
//! ret 1701. Lists are newest first. The list items carry the quirks of the official
//! samples: `ad_unit_size` is an array of `{height, width}` and `ad_unit_status` a number
//! (1 on, 2 off).

use super::envelope::{AmsError, AmsResult, fields};
use super::params::{Params, page_of};
use super::state::{AdUnit, Authorizer, new_ad_unit_id};
use serde_json::{Value, json};

/// The ad slots a unit may be created in, with their list `ad_unit_type` and size.
const SLOTS: [(&str, &str, (u32, u32)); 8] = [
    ("SLOT_ID_WEAPP_BANNER", "AD_UNIT_TYPE_BANNER", (166, 582)),
    ("SLOT_ID_WEAPP_REWARD_VIDEO", "AD_UNIT_TYPE_REWARED_VIDEO", (1280, 720)),
    ("SLOT_ID_WEAPP_INTERSTITIAL", "AD_UNIT_TYPE_INTERSTITIAL", (600, 600)),
    ("SLOT_ID_WEAPP_VIDEO_FEEDS", "AD_UNIT_TYPE_VIDEO_FEEDS", (360, 640)),
    ("SLOT_ID_WEAPP_VIDEO_BEGIN", "AD_UNIT_TYPE_VIDEO_BEGIN", (360, 640)),
    ("SLOT_ID_WEAPP_TEMPLATE", "AD_UNIT_TYPE_TEMPLATE", (0, 0)),
    ("SLOT_ID_WEAPP_BOX", "AD_UNIT_TYPE_BOX", (0, 0)),
    ("SLOT_ID_WEAPP_COVER", "AD_UNIT_TYPE_COVER", (1920, 1080)),
];
pub(crate) const TEMPLATE: &str = "SLOT_ID_WEAPP_TEMPLATE";
const COVER: &str = "SLOT_ID_WEAPP_COVER";
const TMPL_TYPES: [i64; 13] = [2, 3, 4, 6, 7, 9, 10, 11, 12, 13, 20, 100_001, 100_003];
const VIDEO_MAX: [i64; 4] = [15, 30, 60, 86_400];

fn slot(name: &str) -> Result<&'static (&'static str, &'static str, (u32, u32)), AmsError> {
    SLOTS.iter().find(|(s, _, _)| *s == name).ok_or_else(|| AmsError::invalid(format!("unknown ad slot {name:?}")))
}

/// The optional template and video fields shared by create and update.
fn options(p: &Params<'_>, unit: &mut AdUnit) -> Result<(), AmsError> {
    if let Some(t) = p.opt_int("tmpl_type")? {
        if !TMPL_TYPES.contains(&t) {
            return Err(AmsError::invalid(format!("tmpl_type {t} is not accepted")));
        }
        unit.tmpl_type = Some(t as u32);
    }
    match p.0.get("tmpl_id") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if !s.trim().is_empty() => unit.tmpl_id = Some(s.trim().to_owned()),
        Some(Value::Number(n)) => unit.tmpl_id = Some(n.to_string()),
        Some(_) => return Err(AmsError::invalid("tmpl_id must be a template id")),
    }
    if let Some(min) = p.opt_int("video_duration_min")? {
        if min != 6 {
            return Err(AmsError::invalid("video_duration_min must be 6"));
        }
        unit.video_min = Some(6);
    }
    if let Some(max) = p.opt_int("video_duration_max")? {
        if !VIDEO_MAX.contains(&max) {
            return Err(AmsError::invalid("video_duration_max must be 15, 30, 60 or 86400"));
        }
        unit.video_max = Some(max as u32);
    }
    if unit.slot == TEMPLATE && unit.tmpl_type.is_none() && unit.tmpl_id.is_none() {
        return Err(AmsError::missing("a template ad unit needs tmpl_type or tmpl_id"));
    }
    Ok(())
}

/// `agency_create_adunit`: `{ad_unit_id}`.
pub(crate) fn create(a: &mut Authorizer, p: &Params<'_>, serial: u64) -> AmsResult {
    let name = p.text("name")?;
    let kind = p.string("type")?;
    slot(kind)?;
    if kind == COVER {
        return Err(AmsError::invalid("the cover ad position is set with agency_set_cover_adpos_status"));
    }
    let mut unit = AdUnit {
        id: new_ad_unit_id(serial),
        name: name.trim().to_owned(),
        slot: kind.to_owned(),
        on: true,
        tmpl_type: None,
        tmpl_id: None,
        video_min: None,
        video_max: None,
    };
    options(p, &mut unit)?;
    let id = unit.id.clone();
    a.ad_units.push(unit);
    Ok(fields([("ad_unit_id", json!(id))]))
}

fn find<'a>(a: &'a mut Authorizer, p: &Params<'_>) -> Result<&'a mut AdUnit, AmsError> {
    let id = p.string("ad_unit_id")?;
    a.ad_units.iter_mut().find(|u| u.id == id).ok_or_else(|| AmsError::invalid(format!("no ad unit {id:?}")))
}

/// `agency_update_adunit`: name, status and the optional fields; nothing changes on error.
pub(crate) fn update(a: &mut Authorizer, p: &Params<'_>) -> AmsResult {
    let name = p.text("name")?;
    let on = match p.string("status")? {
        "AD_UNIT_STATUS_ON" => true,
        "AD_UNIT_STATUS_OFF" => false,
        other => return Err(AmsError::invalid(format!("status {other:?} is not AD_UNIT_STATUS_ON or _OFF"))),
    };
    let unit = find(a, p)?;
    let mut next = unit.clone();
    next.name = name.trim().to_owned();
    next.on = on;
    options(p, &mut next)?;
    *unit = next;
    Ok(Default::default())
}

/// `agency_get_tmpl_type`: `{tmpl_type}` of a template unit (one made from a `tmpl_id`
/// alone reports 2).
pub(crate) fn tmpl_type(a: &mut Authorizer, p: &Params<'_>) -> AmsResult {
    let unit = find(a, p)?;
    if unit.slot != TEMPLATE {
        return Err(AmsError::invalid("not a template ad unit"));
    }
    Ok(fields([("tmpl_type", json!(unit.tmpl_type.unwrap_or(2)))]))
}

/// `agency_get_adunit_code`: `{code}`, the `<ad>` snippet.
pub(crate) fn code(a: &mut Authorizer, p: &Params<'_>) -> AmsResult {
    let unit = find(a, p)?;
    Ok(fields([("code", json!(format!("<ad unit-id=\"{}\"></ad>", unit.id)))]))
}

/// An ad unit as the lists show it.
pub(crate) fn item(appid: &str, u: &AdUnit) -> Value {
    let (_, kind, (height, width)) = slot(&u.slot).copied().unwrap_or(("", "AD_UNIT_TYPE_UNKNOWN", (0, 0)));
    json!({
        "ad_slot": u.slot,
        "ad_unit_id": u.id,
        "ad_unit_name": u.name,
        "ad_unit_size": [{"height": height, "width": width}],
        "ad_unit_status": if u.on { 1 } else { 2 },
        "ad_unit_type": kind,
        "appid": appid,
        "video_duration_min": u.video_min.unwrap_or(0),
        "video_duration_max": u.video_max.unwrap_or(0),
    })
}

/// `agency_get_adunit_list`: `{ad_unit, total_num}`, every slot but the cover, newest
/// first, filtered by `ad_slot` and `ad_unit_id`.
pub(crate) fn list(appid: &str, a: &Authorizer, p: &Params<'_>) -> AmsResult {
    let (page, size) = p.page(i64::MAX)?;
    let slot_filter = p.opt_string("ad_slot")?.filter(|s| !s.is_empty());
    if let Some(s) = slot_filter {
        slot(s)?;
    }
    let id_filter = p.opt_string("ad_unit_id")?.filter(|s| !s.is_empty());
    let units: Vec<&AdUnit> = a
        .ad_units
        .iter()
        .rev()
        .filter(|u| u.slot != COVER)
        .filter(|u| slot_filter.is_none_or(|s| u.slot == s))
        .filter(|u| id_filter.is_none_or(|id| u.id == id))
        .collect();
    let total = units.len();
    let shown: Vec<Value> = page_of(units, page, size).into_iter().map(|u| item(appid, u)).collect();
    Ok(fields([("ad_unit", Value::Array(shown)), ("total_num", json!(total))]))
}

/// `get_agency_ad_unit_list`: template units, one item each (`tmpl_id`, `ad_unit_name`,
/// `slot_id`, `tmpl_bind_total_num`: the units sharing its template, and with
/// `is_return_tmpl_bind_list` = 1 `tmpl_bind_list`: those units), newest first.
pub(crate) fn template_list(appid: &str, a: &Authorizer, p: &Params<'_>) -> AmsResult {
    let (page, size) = p.page(i64::MAX)?;
    let requested = p.string("ad_slot")?;
    if requested != TEMPLATE {
        return Err(AmsError::invalid("ad_slot must be SLOT_ID_WEAPP_TEMPLATE"));
    }
    let tmpl_filter = match p.0.get("tmpl_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err(AmsError::missing("tmpl_id must be a string")),
    };
    let with_list = match p.opt_int("is_return_tmpl_bind_list")? {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(AmsError::invalid("is_return_tmpl_bind_list must be 0 or 1")),
    };
    let units: Vec<&AdUnit> = a
        .ad_units
        .iter()
        .rev()
        .filter(|u| u.slot == TEMPLATE)
        .filter(|u| tmpl_filter.as_ref().is_none_or(|t| u.tmpl_id.as_ref() == Some(t)))
        .collect();
    let total = units.len();
    let shown: Vec<Value> = page_of(units, page, size)
        .into_iter()
        .map(|u| {
            let bound: Vec<&AdUnit> = match &u.tmpl_id {
                Some(t) => a.ad_units.iter().rev().filter(|x| x.tmpl_id.as_ref() == Some(t)).collect(),
                None => vec![u],
            };
            let mut v = json!({
                "tmpl_id": u.tmpl_id.clone().unwrap_or_default(),
                "ad_unit_name": u.name,
                "slot_id": TEMPLATE,
                "tmpl_bind_total_num": bound.len(),
            });
            if with_list {
                v["tmpl_bind_list"] = Value::Array(bound.iter().map(|b| item(appid, b)).collect());
            }
            v
        })
        .collect();
    Ok(fields([("ad_unit_list", Value::Array(shown)), ("total_num", json!(total))]))
}
