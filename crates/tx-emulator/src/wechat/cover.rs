//! The cover ad position (开屏): `agency_set_cover_adpos_status`,
//! `agency_get_cover_adpos_status`, `agency_set_cover_adpos_scene`,
//! `agency_get_cover_adpos_scene`.
//!
//! Status 1 = on, 4 = off, 0 before the first toggle. Turning it on when it is on answers
//! ret 2067; a toggle less than `wechat_cover_toggle_interval` (1 h) after the previous one
//! answers ret 2008; `next_open_time` is when the next toggle is allowed (0 when it is
//! now). Scenes are a comma-joined string of integer scene ids (ret 1701 on a part that is
//! not one); the get answers `scene_list`, the spelling of the documentation.

use super::envelope::{AmsError, AmsResult, fields};
use super::params::Params;
use super::state::Authorizer;
use crate::seed::Settings;
use serde_json::json;

/// `agency_set_cover_adpos_status`.
pub(crate) fn set_status(a: &mut Authorizer, p: &Params<'_>, now: u64, settings: &Settings) -> AmsResult {
    let status = p.int("status")?;
    if status != 1 && status != 4 {
        return Err(AmsError::invalid("status must be 1 (on) or 4 (off)"));
    }
    if status == 1 && a.cover.status == 1 {
        return Err(AmsError::new(2067, "the cover ad is already opened"));
    }
    if status == i64::from(a.cover.status) || (status == 4 && a.cover.status == 0) {
        return Ok(Default::default());
    }
    let interval = settings.wechat_cover_toggle_interval.as_secs();
    if a.cover.toggled_at.is_some_and(|t| now < t.saturating_add(interval)) {
        return Err(AmsError::new(2008, "the cover ad was toggled less than an hour ago"));
    }
    a.cover.status = status as u8;
    a.cover.toggled_at = Some(now);
    Ok(Default::default())
}

/// `agency_get_cover_adpos_status`: `{status, next_open_time}`.
pub(crate) fn get_status(a: &Authorizer, now: u64, settings: &Settings) -> AmsResult {
    let next = a
        .cover
        .toggled_at
        .map(|t| t.saturating_add(settings.wechat_cover_toggle_interval.as_secs()))
        .filter(|t| *t > now)
        .unwrap_or(0);
    Ok(fields([("status", json!(a.cover.status)), ("next_open_time", json!(next))]))
}

/// `agency_set_cover_adpos_scene`.
pub(crate) fn set_scene(a: &mut Authorizer, p: &Params<'_>) -> AmsResult {
    let text = p.string("cover_scene_list")?;
    let scenes = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<u32>().map_err(|_| AmsError::invalid(format!("scene {s:?} is not a scene id"))))
        .collect::<Result<Vec<_>, _>>()?;
    a.cover.scenes = scenes;
    Ok(Default::default())
}

/// `agency_get_cover_adpos_scene`: `{scene_list}`.
pub(crate) fn get_scene(a: &Authorizer) -> AmsResult {
    let list: Vec<String> = a.cover.scenes.iter().map(u32::to_string).collect();
    Ok(fields([("scene_list", json!(list.join(",")))]))
}
