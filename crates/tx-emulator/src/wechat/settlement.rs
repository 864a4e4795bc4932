//! Settlements: `agency_get_settlement` (one mini program) and
//! `get_agency_settled_revenue` (every mini program of the provider).
//!
//! Every half-month period (order 1: days 1–15, order 2: 16 to the month's end) that
//! overlaps `start_date..=end_date` and has begun is listed, newest first; its revenue is
//! the sum of the made-up daily income (see [`super::report`]) of its days before today.
//! `sett_status`: 1 settling (the period is not over), 2 settled, 4 paying (ended more
//! than 15 days ago), 5 paid (more than 30). `revenue_all` sums every listed period,
//! `settled_revenue_all` those not settling, `penalty_all` is 0. As in the sample,
//! `mail_send_cnt` is a string and `slot_revenue[].slot_id` the slot's name.

use super::dates::{civil_from_days, days_from_civil, format};
use super::envelope::{AmsResult, fields};
use super::params::{Params, page_of};
use super::report::{SLOT_IDS, daily};
use super::state::AdUnit;
use crate::ids;
use serde_json::{Value, json};

/// A half-month period: first and last day, year, month, order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Period {
    first: i64,
    last: i64,
    year: i64,
    month: u32,
    order: u8,
}

fn period_of(day: i64) -> Period {
    let (year, month, d) = civil_from_days(day);
    if d <= 15 {
        let first = days_from_civil(year, month, 1);
        Period { first, last: first + 14, year, month, order: 1 }
    } else {
        let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
        Period { first: days_from_civil(year, month, 16), last: days_from_civil(ny, nm, 1) - 1, year, month, order: 2 }
    }
}

/// The periods overlapping `start..=end` that have begun by `today`, newest first.
fn periods(start: i64, end: i64, today: i64) -> Vec<Period> {
    let mut out = Vec::new();
    let mut p = period_of(end);
    while p.last >= start {
        if p.first <= today {
            out.push(p);
        }
        p = period_of(p.first - 1);
    }
    out
}

/// The settlement of `units` (with their stats seeds) over the requested range.
pub(crate) fn settlement(key: &str, units: &[(u64, &AdUnit)], p: &Params<'_>, today: i64) -> AmsResult {
    let (page, size) = p.page(i64::MAX)?;
    let (start, end) = p.range()?;
    let mut revenue_all = 0i64;
    let mut settled_all = 0i64;
    let entries: Vec<Value> = periods(start, end, today)
        .into_iter()
        .map(|period| {
            let mut per_slot: Vec<(&str, i64)> = Vec::new();
            for (seed, unit) in units {
                let income: i64 =
                    (period.first..=period.last.min(today - 1)).map(|d| daily(*seed, &unit.id, d, 0).income).sum();
                match per_slot.iter_mut().find(|(s, _)| *s == unit.slot) {
                    Some((_, v)) => *v += income,
                    None => per_slot.push((unit.slot.as_str(), income)),
                }
            }
            per_slot.sort_by_key(|(s, _)| SLOT_IDS.iter().position(|(n, _)| n == s));
            let revenue: i64 = per_slot.iter().map(|(_, v)| v).sum();
            let status = match today - period.last {
                d if d <= 0 => 1,
                d if d > 30 => 5,
                d if d > 15 => 4,
                _ => 2,
            };
            revenue_all += revenue;
            if status != 1 {
                settled_all += revenue;
            }
            let sett_no = format!(
                "{}{:04}{:02}{}",
                ids::hex(ids::fnv1a(key.as_bytes()), 8).to_uppercase(),
                period.year,
                period.month,
                period.order
            );
            json!({
                "date": format(period.last),
                "zone": format!("{}~{}", format(period.first), format(period.last)),
                "month": format!("{:04}{:02}", period.year, period.month),
                "order": period.order,
                "sett_status": status,
                "settled_revenue": revenue,
                "sett_no": sett_no,
                "mail_send_cnt": "0",
                "slot_revenue": per_slot.iter().map(|(s, v)| json!({"slot_id": s, "slot_settled_revenue": v})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let count = entries.len();
    Ok(fields([
        ("revenue_all", json!(revenue_all)),
        ("penalty_all", json!(0)),
        ("settled_revenue_all", json!(settled_all)),
        ("total_num", json!(count)),
        ("settlement_list", Value::Array(page_of(entries, page, size))),
    ]))
}

#[cfg(test)]
mod tests {
    use super::super::dates::parse;
    use super::*;

    #[test]
    fn four_periods_from_february_11_to_march_26() {
        let (s, e) = (parse("2024-02-11").unwrap(), parse("2024-03-26").unwrap());
        let got: Vec<(String, u8)> =
            periods(s, e, parse("2025-01-01").unwrap()).iter().map(|p| (format(p.first), p.order)).collect();
        assert_eq!(
            got,
            [
                ("2024-03-16".to_owned(), 2),
                ("2024-03-01".to_owned(), 1),
                ("2024-02-16".to_owned(), 2),
                ("2024-02-01".to_owned(), 1)
            ]
        );
        assert_eq!(format(period_of(parse("2024-02-20").unwrap()).last), "2024-02-29");
        assert_eq!(format(period_of(parse("2023-12-31").unwrap()).last), "2023-12-31");
        assert!(periods(s, e, parse("2024-03-10").unwrap()).iter().all(|p| p.first <= parse("2024-03-10").unwrap()));
    }
}
