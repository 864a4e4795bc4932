//! `tx wechat ams stats` and `tx wechat ams settlement`: a mini program's figures over a
//! date range, page by page (the SDK's Streams), one record per row. Money is in fen.

use super::{Ctx, check_appid, refresh, sdk};
use crate::cli::{DatesArgs, SettlementArgs, StatsArgs, StatsBy};
use crate::exit::{self, CliError};
use crate::output::{Column, Printer, Row, Summary};
use futures_util::TryStreamExt;
use std::time::Instant;
use tx_sdk::wechat::wire::{DateRange, SlotRevenue, StatRow};
use tx_sdk::wechat::{SettlementPhase, SlotId, validate};

const STATS: &[Column] = &[
    Column::new("DATE", "date", 10),
    Column::new("SLOT", "ad_slot", 28),
    Column::new("AD_UNIT_ID", "ad_unit_id", 24),
    Column::new("REQUESTS", "req_succ_count", 9),
    Column::new("EXPOSURES", "exposure_count", 9),
    Column::new("CLICKS", "click_count", 7),
    Column::new("INCOME_FEN", "publisher_income", 10),
    Column::new("ECPM", "ecpm", 0),
];

const SETTLEMENTS: &[Column] = &[
    Column::new("DATE", "date", 21),
    Column::new("MONTH", "month", 7),
    Column::new("ORDER", "order", 5),
    Column::new("PHASE", "sett_phase", 8),
    Column::new("REVENUE_FEN", "settled_revenue", 11),
    Column::new("SETT_NO", "sett_no", 0),
];

/// The checked date range of `--from` and `--to`.
fn range(dates: &DatesArgs) -> Result<DateRange, CliError> {
    let (from, to) = (dates.from.trim(), dates.to.trim());
    validate::date_range(from, to).map_err(|e| {
        let flag = if e.field() == Some("end_date") { "--to" } else { "--from" };
        let rule = e.message().trim_start_matches("start_date ").trim_start_matches("end_date ");
        CliError::input(format!("{flag} {}", rule.replace("start_date", "--from")))
    })?;
    Ok(DateRange::new(from, to))
}

fn slot_id(id: &SlotId) -> String {
    match id {
        SlotId::Id(n) => n.to_string(),
        SlotId::Slot(slot) => slot.as_str().to_owned(),
    }
}

fn stat_row(command: &str, appid: &str, unit: Option<(&str, &str)>, r: &StatRow) -> Row {
    let (unit_id, unit_name) = match unit {
        Some((id, name)) => (Some(id), Some(name)),
        None => (None, None),
    };
    Row::new("stat", command)
        .field("authorizer_appid", appid)
        .field("date", r.date.as_str())
        .field("ad_slot", r.ad_slot.as_str())
        .field("slot_id", r.slot_id.as_ref().map(slot_id))
        .field("ad_unit_id", unit_id)
        .field("ad_unit_name", unit_name)
        .field("req_succ_count", r.req_succ_count)
        .field("exposure_count", r.exposure_count)
        .field("exposure_rate", r.exposure_rate)
        .field("click_count", r.click_count)
        .field("click_rate", r.click_rate)
        .field("publisher_income", r.publisher_income)
        .field("ecpm", r.ecpm)
}

pub async fn stats(ctx: &Ctx<'_>, args: &StatsArgs) -> Result<u8, CliError> {
    const COMMAND: &str = "wechat ams stats";
    let started = Instant::now();
    let appid = check_appid("--appid", &args.appid.appid)?;
    let range = range(&args.dates)?;
    refresh::ensure(ctx.wechat, std::iter::once(appid.clone())).await?;
    let stats = ctx.wechat.ams(appid.as_str()).stats();
    let mut out = Printer::new(ctx.json, STATS);
    let mut n = 0;
    match args.by {
        StatsBy::Slot => {
            let mut rows = stats.adpos(range);
            while let Some(r) = rows.try_next().await.map_err(sdk)? {
                n += 1;
                out.record(&stat_row(COMMAND, &appid, None, &r));
            }
        }
        StatsBy::Unit => {
            let mut units = stats.adunits(range);
            while let Some(unit) = units.try_next().await.map_err(sdk)? {
                for r in &unit.stat_item {
                    n += 1;
                    out.record(&stat_row(COMMAND, &appid, Some((&unit.ad_unit_id, &unit.ad_unit_name)), r));
                }
            }
        }
    }
    out.summary(&Summary::of_records(COMMAND, n, 0, started.elapsed().as_millis() as u64));
    Ok(exit::OK)
}

fn phase(p: SettlementPhase) -> &'static str {
    match p {
        SettlementPhase::Settling => "settling",
        SettlementPhase::Settled => "settled",
        SettlementPhase::Paying => "paying",
        SettlementPhase::Paid => "paid",
        _ => "unknown",
    }
}

fn revenue(r: &SlotRevenue) -> serde_json::Value {
    serde_json::json!({"slot_id": slot_id(&r.slot_id), "slot_settled_revenue": r.slot_settled_revenue})
}

pub async fn settlement(ctx: &Ctx<'_>, args: &SettlementArgs) -> Result<u8, CliError> {
    const COMMAND: &str = "wechat ams settlement";
    let started = Instant::now();
    let appid = check_appid("--appid", &args.appid.appid)?;
    let range = range(&args.dates)?;
    refresh::ensure(ctx.wechat, std::iter::once(appid.clone())).await?;
    let mut periods = ctx.wechat.ams(appid.as_str()).stats().settlements(range);
    let mut out = Printer::new(ctx.json, SETTLEMENTS);
    let mut n = 0;
    while let Some(p) = periods.try_next().await.map_err(sdk)? {
        n += 1;
        let row = Row::new("settlement", COMMAND)
            .field("authorizer_appid", appid.as_str())
            .field("date", p.date.as_str())
            .field("zone", p.zone.as_str())
            .field("month", p.month.as_str())
            .field("order", p.order.code())
            .field("sett_status", p.sett_status.0)
            .field("sett_phase", phase(p.sett_status.phase()))
            .field("settled_revenue", p.settled_revenue)
            .field("sett_no", p.sett_no.as_str())
            .field("mail_send_cnt", p.mail_send_cnt)
            .field("slot_revenue", p.slot_revenue.iter().map(revenue).collect::<Vec<_>>());
        out.record(&row);
    }
    out.summary(&Summary::of_records(COMMAND, n, 0, started.elapsed().as_millis() as u64));
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_ranges_name_the_flag() {
        let dates = |from: &str, to: &str| DatesArgs { from: from.into(), to: to.into() };
        assert!(range(&dates("2024-03-01", "2024-03-31")).is_ok());
        assert!(range(&dates("2024-3-1", "2024-03-31")).unwrap_err().to_string().starts_with("--from is \"2024-3-1\""));
        let e = range(&dates("2024-03-31", "2024-03-01")).unwrap_err().to_string();
        assert!(e.starts_with("--to is 2024-03-01, before --from 2024-03-31"), "{e}");
    }
}
