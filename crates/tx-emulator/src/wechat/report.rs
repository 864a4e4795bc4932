//! Ad statistics: `agency_get_adpos_genenral` (per slot, sic), `agency_get_adunit_general`
//! (per unit), and the provider's `get_agency_ads_stat` and `get_agency_ads_detail`.
//!
//! The figures are made up, deterministically: each ad unit's day is a hash of the mini
//! program's `stats_seed`, the unit id and the date, so the same state and dates always
//! give the same numbers. Only days before today (Beijing time, on the emulator's clock)
//! have data. Rows are sorted by date descending (then `slot_id` ascending); money is in
//! fen (i64); rates and eCPM are f64. `slot_id` is a number here; the emulator numbers
//! the slots 1 (banner) to 8 (cover) in the order of [`SLOT_IDS`]. Actions 21 and 22
//! spell the publisher's money `income` (as the samples do); actions 23 and 24 carry
//! `income`, `publisher_income` and `agency_income` (split by the share ratio).

use super::dates;
use super::envelope::{AmsError, AmsResult, fields};
use super::params::{Params, page_of};
use super::state::{AdUnit, Authorizer, WechatWorld};
use crate::ids;
use serde_json::{Map, Value, json};

/// The numeric `slot_id` of each slot in the statistics.
pub(crate) const SLOT_IDS: [(&str, u64); 8] = [
    ("SLOT_ID_WEAPP_BANNER", 1),
    ("SLOT_ID_WEAPP_REWARD_VIDEO", 2),
    ("SLOT_ID_WEAPP_INTERSTITIAL", 3),
    ("SLOT_ID_WEAPP_VIDEO_FEEDS", 4),
    ("SLOT_ID_WEAPP_VIDEO_BEGIN", 5),
    ("SLOT_ID_WEAPP_TEMPLATE", 6),
    ("SLOT_ID_WEAPP_BOX", 7),
    ("SLOT_ID_WEAPP_COVER", 8),
];

/// The largest `page_size` of `get_agency_ads_detail`.
const DETAIL_MAX_PAGE: i64 = 200;

pub(crate) fn slot_id(slot: &str) -> u64 {
    SLOT_IDS.iter().find(|(s, _)| *s == slot).map_or(0, |(_, id)| *id)
}

/// One day's (or a sum of days') figures.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Figures {
    pub req: u64,
    pub exposure: u64,
    pub click: u64,
    /// Fen.
    pub income: i64,
    /// The provider's part, fen.
    pub agency: i64,
}

impl Figures {
    pub fn add(&mut self, o: &Figures) {
        self.req += o.req;
        self.exposure += o.exposure;
        self.click += o.click;
        self.income += o.income;
        self.agency += o.agency;
    }

    fn rate(part: u64, whole: u64) -> f64 {
        if whole == 0 { 0.0 } else { (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0 }
    }

    /// The StatRow numbers; with `split`, `income` is the total and `publisher_income` and
    /// `agency_income` its parts.
    fn row(&self, split: bool) -> Map<String, Value> {
        let ecpm =
            if self.exposure == 0 { 0.0 } else { (self.income as f64 / self.exposure as f64 * 1000.0).round() / 100.0 };
        let mut m = fields([
            ("req_succ_count", json!(self.req)),
            ("exposure_count", json!(self.exposure)),
            ("exposure_rate", json!(Figures::rate(self.exposure, self.req))),
            ("click_count", json!(self.click)),
            ("click_rate", json!(Figures::rate(self.click, self.exposure))),
            ("income", json!(self.income)),
            ("ecpm", json!(ecpm)),
        ]);
        if split {
            m.insert("publisher_income".to_owned(), json!(self.income - self.agency));
            m.insert("agency_income".to_owned(), json!(self.agency));
        }
        m
    }
}

/// The made-up figures of one unit on one day; `ratio` is the provider's percent.
pub(crate) fn daily(seed: u64, unit: &str, day: i64, ratio: u32) -> Figures {
    let h = ids::mix64(seed ^ ids::fnv1a(unit.as_bytes()) ^ ids::mix64(day as u64));
    let req = 1_000 + h % 50_000;
    let exposure = req * (60 + (h >> 16) % 35) / 100;
    let click = exposure * ((h >> 24) % 50) / 1_000;
    let income = (exposure * (50 + (h >> 32) % 400) / 100) as i64;
    Figures { req, exposure, click, income, agency: income * i64::from(ratio) / 100 }
}

/// The days of `start..=end` that have data (before `today`), newest first.
pub(crate) fn days(start: i64, end: i64, today: i64) -> impl Iterator<Item = i64> {
    (start..=end.min(today - 1)).rev()
}

fn slot_filter<'a>(p: &Params<'a>) -> Result<Option<&'a str>, AmsError> {
    let s = p.opt_string("ad_slot")?.filter(|s| !s.is_empty());
    if let Some(s) = s
        && slot_id(s) == 0
    {
        return Err(AmsError::invalid(format!("unknown ad slot {s:?}")));
    }
    Ok(s)
}

/// A unit of some mini program, with what its figures need.
struct Unit<'a> {
    appid: &'a str,
    seed: u64,
    ratio: u32,
    unit: &'a AdUnit,
}

fn units_of<'a>(appid: &'a str, a: &'a Authorizer, ratio: u32) -> impl Iterator<Item = Unit<'a>> {
    a.ad_units.iter().rev().map(move |unit| Unit { appid, seed: a.stats_seed, ratio, unit })
}

/// The units of every mini program authorized to `component`, by appid.
fn provider_units<'a>(world: &'a WechatWorld, component: &str) -> Vec<Unit<'a>> {
    let default = world.components.get(component).map_or(40, |c| c.share_ratio);
    let mut mine: Vec<(&String, &Authorizer)> =
        world.authorizers.iter().filter(|(_, a)| a.authorized && a.component.as_deref() == Some(component)).collect();
    mine.sort_by_key(|(id, _)| *id);
    mine.into_iter().flat_map(|(id, a)| units_of(id, a, a.share_ratio.unwrap_or(default))).collect()
}

/// Rows per (day desc, slot asc) summed over `units`, and their sum.
fn slot_rows(units: &[Unit<'_>], start: i64, end: i64, today: i64, split: bool) -> (Vec<Value>, Figures) {
    let mut slots: Vec<&str> = units.iter().map(|u| u.unit.slot.as_str()).collect();
    slots.sort_by_key(|s| slot_id(s));
    slots.dedup();
    let mut rows = Vec::new();
    let mut total = Figures::default();
    for day in days(start, end, today) {
        for slot in &slots {
            let mut f = Figures::default();
            for u in units.iter().filter(|u| u.unit.slot == *slot) {
                f.add(&daily(u.seed, &u.unit.id, day, u.ratio));
            }
            total.add(&f);
            let mut row = f.row(split);
            row.insert("ad_slot".to_owned(), json!(slot));
            row.insert("date".to_owned(), json!(dates::format(day)));
            row.insert("slot_id".to_owned(), json!(slot_id(slot)));
            rows.push(Value::Object(row));
        }
    }
    (rows, total)
}

/// A unit's rows per day, newest first.
fn unit_rows(u: &Unit<'_>, start: i64, end: i64, today: i64, split: bool) -> Vec<Value> {
    days(start, end, today)
        .map(|day| {
            let mut row = daily(u.seed, &u.unit.id, day, u.ratio).row(split);
            row.insert("ad_slot".to_owned(), json!(u.unit.slot));
            row.insert("date".to_owned(), json!(dates::format(day)));
            Value::Object(row)
        })
        .collect()
}

/// `agency_get_adpos_genenral`: `{list, summary, total_num}`.
pub(crate) fn adpos_general(appid: &str, a: &Authorizer, p: &Params<'_>, today: i64) -> AmsResult {
    let (page, size) = p.page(i64::MAX)?;
    let (start, end) = p.range()?;
    let slot = slot_filter(p)?;
    let units: Vec<Unit<'_>> = units_of(appid, a, 0).filter(|u| slot.is_none_or(|s| u.unit.slot == s)).collect();
    let (rows, total) = slot_rows(&units, start, end, today, false);
    let count = rows.len();
    Ok(fields([
        ("list", Value::Array(page_of(rows, page, size))),
        ("summary", Value::Object(total.row(false))),
        ("total_num", json!(count)),
    ]))
}

/// `agency_get_adunit_general`: `{list: [{ad_unit_id, ad_unit_name, stat_item: [rows]}],
/// total_num}`, one item per unit, newest unit first.
pub(crate) fn adunit_general(appid: &str, a: &Authorizer, p: &Params<'_>, today: i64) -> AmsResult {
    let (page, size) = p.page(i64::MAX)?;
    let (start, end) = p.range()?;
    let slot = slot_filter(p)?;
    let id = p.opt_string("ad_unit_id")?.filter(|s| !s.is_empty());
    let units: Vec<Unit<'_>> = units_of(appid, a, 0)
        .filter(|u| slot.is_none_or(|s| u.unit.slot == s) && id.is_none_or(|id| u.unit.id == id))
        .collect();
    let count = units.len();
    let list: Vec<Value> = page_of(units, page, size)
        .iter()
        .map(|u| {
            json!({"ad_unit_id": u.unit.id, "ad_unit_name": u.unit.name,
                   "stat_item": unit_rows(u, start, end, today, false)})
        })
        .collect();
    Ok(fields([("list", Value::Array(list)), ("total_num", json!(count))]))
}

/// `get_agency_ads_stat`: `{list, summary (+ exposure_uv, open_uv), total_num}` over every
/// mini program of the provider.
pub(crate) fn ads_stat(world: &WechatWorld, component: &str, p: &Params<'_>, today: i64) -> AmsResult {
    let (page, size) = p.page(i64::MAX)?;
    let (start, end) = p.range()?;
    let slot = slot_filter(p)?;
    let units: Vec<Unit<'_>> =
        provider_units(world, component).into_iter().filter(|u| slot.is_none_or(|s| u.unit.slot == s)).collect();
    let (rows, total) = slot_rows(&units, start, end, today, true);
    let count = rows.len();
    let mut summary = total.row(true);
    summary.insert("exposure_uv".to_owned(), json!(total.exposure / 3));
    summary.insert("open_uv".to_owned(), json!(total.req / 4));
    Ok(fields([
        ("list", Value::Array(page_of(rows, page, size))),
        ("summary", Value::Object(summary)),
        ("total_num", json!(count)),
    ]))
}

/// `get_agency_ads_detail`: `{list: [{ad_unit_id, ad_unit_name, appid, stat_item:
/// [rows]}], total_num}`, one item per unit of every mini program; `page_size` ≤ 200.
pub(crate) fn ads_detail(world: &WechatWorld, component: &str, p: &Params<'_>, today: i64) -> AmsResult {
    let (page, size) = p.page(DETAIL_MAX_PAGE)?;
    let (start, end) = p.range()?;
    let slot = slot_filter(p)?;
    let units: Vec<Unit<'_>> =
        provider_units(world, component).into_iter().filter(|u| slot.is_none_or(|s| u.unit.slot == s)).collect();
    let count = units.len();
    let list: Vec<Value> = page_of(units, page, size)
        .iter()
        .map(|u| {
            json!({"ad_unit_id": u.unit.id, "ad_unit_name": u.unit.name, "appid": u.appid,
                   "stat_item": unit_rows(u, start, end, today, true)})
        })
        .collect();
    Ok(fields([("list", Value::Array(list)), ("total_num", json!(count))]))
}

/// Every unit of `a` with its stats seed, for settlements.
pub(crate) fn own_units(a: &Authorizer) -> Vec<(u64, &AdUnit)> {
    a.ad_units.iter().map(|u| (a.stats_seed, u)).collect()
}

/// Every unit of the provider's mini programs with their stats seeds, for settlements.
pub(crate) fn all_units<'a>(world: &'a WechatWorld, component: &str) -> Vec<(u64, &'a AdUnit)> {
    provider_units(world, component).into_iter().map(|u| (u.seed, u.unit)).collect()
}
