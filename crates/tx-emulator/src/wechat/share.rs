//! Share ratios: `set_share_ratio` and `get_share_ratio` (the provider's default, or a mini
//! program's effective ratio), `agency_set_custom_share_ratio` and
//! `agency_get_custom_share_ratio` (a mini program's own, which takes precedence).
//!
//! `share_ratio` is an integer percent 0..=100 (ret 1700 when missing or not an integer,
//! 1701 outside the range); `appid` must be the provider itself or a mini program
//! authorized to it (ret 1701 otherwise). `agency_get_custom_share_ratio` of a mini
//! program without a custom ratio answers the default.

use super::envelope::{AmsError, AmsResult, fields};
use super::params::Params;
use super::state::WechatWorld;
use serde_json::json;

fn ratio(p: &Params<'_>) -> Result<u32, AmsError> {
    let r = p.int("share_ratio")?;
    u32::try_from(r).ok().filter(|r| *r <= 100).ok_or_else(|| AmsError::invalid("share_ratio must be 0..=100"))
}

/// The effective ratio of `appid` for `component`: the provider's default for the
/// provider's own appid, else the mini program's custom ratio or the default.
fn effective(world: &WechatWorld, component: &str, appid: &str, custom_only: bool) -> Result<u32, AmsError> {
    let default = world.components.get(component).map_or(40, |c| c.share_ratio);
    if appid == component && !custom_only {
        return Ok(default);
    }
    match world.authorizers.get(appid) {
        Some(a) if a.authorized && a.component.as_deref() == Some(component) => Ok(a.share_ratio.unwrap_or(default)),
        _ => Err(AmsError::invalid(format!("appid {appid} is not authorized to this provider"))),
    }
}

/// `set_share_ratio`.
pub(crate) fn set_default(world: &mut WechatWorld, component: &str, p: &Params<'_>) -> AmsResult {
    let r = ratio(p)?;
    if let Some(c) = world.components.get_mut(component) {
        c.share_ratio = r;
    }
    Ok(Default::default())
}

/// `get_share_ratio`.
pub(crate) fn get(world: &WechatWorld, component: &str, p: &Params<'_>) -> AmsResult {
    let appid = p.text("appid")?;
    Ok(fields([("share_ratio", json!(effective(world, component, appid, false)?))]))
}

/// `agency_set_custom_share_ratio`.
pub(crate) fn set_custom(world: &mut WechatWorld, component: &str, p: &Params<'_>) -> AmsResult {
    let appid = p.text("appid")?;
    let r = ratio(p)?;
    effective(world, component, appid, true)?;
    if let Some(a) = world.authorizers.get_mut(appid) {
        a.share_ratio = Some(r);
    }
    Ok(Default::default())
}

/// `agency_get_custom_share_ratio`.
pub(crate) fn get_custom(world: &WechatWorld, component: &str, p: &Params<'_>) -> AmsResult {
    let appid = p.text("appid")?;
    Ok(fields([("share_ratio", json!(effective(world, component, appid, true)?))]))
}
