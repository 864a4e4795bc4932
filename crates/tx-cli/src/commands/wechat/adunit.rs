//! `tx wechat ams adunit list|create|update|code`: one mini program's ad units. Create
//! and update print the unit as the service then lists it.

use super::{Ctx, check_appid, refresh, sdk};
use crate::cli::SlotArg;
use crate::exit::{self, CliError};
use crate::output::{Column, Printer, Row, Summary};
use futures_util::TryStreamExt;
use std::time::Instant;
use tx_sdk::wechat::wire::{AdUnit, CreateAdUnitRequest, GetAdUnitListRequest, Paging, UpdateAdUnitRequest};
use tx_sdk::wechat::{AdSlot, AdUnitStatus, DEFAULT_PAGE_SIZE, TmplType};

const UNITS: &[Column] = &[
    Column::new("AD_UNIT_ID", "ad_unit_id", 28),
    Column::new("NAME", "name", 16),
    Column::new("SLOT", "ad_slot", 28),
    Column::new("STATUS", "ad_unit_status", 18),
    Column::new("TYPE", "ad_unit_type", 0),
];

const CODE: &[Column] = &[Column::new("AD_UNIT_ID", "ad_unit_id", 28), Column::new("CODE", "code", 0)];

/// The API's slot of a short name.
pub fn slot(arg: SlotArg) -> AdSlot {
    match arg {
        SlotArg::Banner => AdSlot::Banner,
        SlotArg::RewardVideo => AdSlot::RewardVideo,
        SlotArg::Interstitial => AdSlot::Interstitial,
        SlotArg::VideoFeeds => AdSlot::VideoFeeds,
        SlotArg::VideoBegin => AdSlot::VideoBegin,
        SlotArg::Cover => AdSlot::Cover,
        SlotArg::Template => AdSlot::Template,
        SlotArg::Box => AdSlot::Box,
    }
}

fn unit_row(command: &str, appid: &str, u: &AdUnit) -> Row {
    Row::new("adunit", command)
        .field("authorizer_appid", appid)
        .field("ad_unit_id", u.ad_unit_id.as_str())
        .field("name", u.ad_unit_name.as_str())
        .field("ad_slot", u.ad_slot.as_str())
        .field("ad_unit_status", u.ad_unit_status.as_str())
        .field("ad_unit_type", u.ad_unit_type.as_str())
        .field("video_duration_min", u.video_duration_min)
        .field("video_duration_max", u.video_duration_max)
}

/// The mini program's AppID, checked, with a refresh token kept for it.
async fn target(ctx: &Ctx<'_>, appid: &str) -> Result<String, CliError> {
    let appid = check_appid("--appid", appid)?;
    refresh::ensure(ctx.wechat, std::iter::once(appid.clone())).await?;
    Ok(appid)
}

pub async fn list(ctx: &Ctx<'_>, appid: &str, slot_arg: Option<SlotArg>) -> Result<u8, CliError> {
    const COMMAND: &str = "wechat ams adunit list";
    let started = Instant::now();
    let appid = target(ctx, appid).await?;
    let mut request = GetAdUnitListRequest::new(Paging::new(1, DEFAULT_PAGE_SIZE));
    request.ad_slot = slot_arg.map(slot);
    let mut units = ctx.wechat.ams(appid.as_str()).adunits().list_with(request);
    let mut out = Printer::new(ctx.json, UNITS);
    let mut n = 0;
    while let Some(unit) = units.try_next().await.map_err(sdk)? {
        n += 1;
        out.record(&unit_row(COMMAND, &appid, &unit));
    }
    out.summary(&Summary::of_records(COMMAND, n, 0, started.elapsed().as_millis() as u64));
    Ok(exit::OK)
}

/// The settings of a new ad unit.
pub struct NewUnit {
    pub name: String,
    pub slot: SlotArg,
    pub video_min: Option<u32>,
    pub video_max: Option<u32>,
    pub tmpl_type: Option<i64>,
    pub tmpl_id: Option<String>,
}

/// The unit `id` as the service lists it.
async fn read_back(ctx: &Ctx<'_>, appid: &str, id: &str) -> Result<AdUnit, CliError> {
    let mut request = GetAdUnitListRequest::new(Paging::new(1, DEFAULT_PAGE_SIZE));
    request.ad_unit_id = Some(id.to_owned());
    let units: Vec<AdUnit> = ctx.wechat.ams(appid).adunits().list_with(request).try_collect().await.map_err(sdk)?;
    units
        .into_iter()
        .find(|u| u.ad_unit_id == id)
        .ok_or_else(|| CliError::service(format!("ad unit {id} is not in {appid}'s list of ad units")))
}

/// Prints one unit and the summary.
fn print_unit(ctx: &Ctx<'_>, command: &str, appid: &str, unit: &AdUnit, started: Instant) -> u8 {
    let mut out = Printer::new(ctx.json, UNITS);
    out.record(&unit_row(command, appid, unit));
    out.summary(&Summary::of_records(command, 1, 0, started.elapsed().as_millis() as u64));
    exit::OK
}

pub async fn create(ctx: &Ctx<'_>, appid: &str, spec: NewUnit) -> Result<u8, CliError> {
    const COMMAND: &str = "wechat ams adunit create";
    let started = Instant::now();
    let mut request = CreateAdUnitRequest::new(spec.name, slot(spec.slot));
    request.video_duration_min = spec.video_min;
    request.video_duration_max = spec.video_max;
    request.tmpl_type = spec.tmpl_type.map(TmplType);
    request.tmpl_id = spec.tmpl_id;
    // Checked before anything is sent (refresh-token recovery included).
    tx_sdk::wechat::wire::Action::validate(&request).map_err(sdk)?;
    let appid = target(ctx, appid).await?;
    let id = ctx.wechat.ams(appid.as_str()).adunits().create(&request).await.map_err(sdk)?;
    let unit = read_back(ctx, &appid, &id).await?;
    Ok(print_unit(ctx, COMMAND, &appid, &unit, started))
}

pub async fn update(
    ctx: &Ctx<'_>,
    appid: &str,
    id: &str,
    name: Option<String>,
    on: Option<bool>,
) -> Result<u8, CliError> {
    const COMMAND: &str = "wechat ams adunit update";
    let started = Instant::now();
    if name.is_none() && on.is_none() {
        return Err(CliError::input("nothing to change: give --name, --on or --off"));
    }
    if id.trim().is_empty() {
        return Err(CliError::input("--id must not be empty"));
    }
    let appid = target(ctx, appid).await?;
    let current = read_back(ctx, &appid, id.trim()).await?;
    let status = match on {
        Some(true) => AdUnitStatus::On,
        Some(false) => AdUnitStatus::Off,
        None => current.ad_unit_status.clone(),
    };
    let mut request = UpdateAdUnitRequest::new(id.trim(), name.unwrap_or_else(|| current.ad_unit_name.clone()), status);
    if current.ad_slot == AdSlot::RewardVideo {
        // The reward-video limits are part of the unit: sent back as they are.
        request.video_duration_min = u32::try_from(current.video_duration_min).ok().filter(|v| *v > 0);
        request.video_duration_max = u32::try_from(current.video_duration_max).ok().filter(|v| *v > 0);
    }
    ctx.wechat.ams(appid.as_str()).adunits().update(&request).await.map_err(sdk)?;
    let unit = read_back(ctx, &appid, id.trim()).await?;
    Ok(print_unit(ctx, COMMAND, &appid, &unit, started))
}

pub async fn code(ctx: &Ctx<'_>, appid: &str, id: &str) -> Result<u8, CliError> {
    const COMMAND: &str = "wechat ams adunit code";
    let started = Instant::now();
    if id.trim().is_empty() {
        return Err(CliError::input("--id must not be empty"));
    }
    let appid = target(ctx, appid).await?;
    let code = ctx.wechat.ams(appid.as_str()).adunits().code(id.trim()).await.map_err(sdk)?;
    let row = Row::new("code", COMMAND)
        .field("authorizer_appid", appid.as_str())
        .field("ad_unit_id", id.trim())
        .field("code", code);
    let mut out = Printer::new(ctx.json, CODE);
    out.record(&row);
    out.summary(&Summary::of_records(COMMAND, 1, 0, started.elapsed().as_millis() as u64));
    Ok(exit::OK)
}
