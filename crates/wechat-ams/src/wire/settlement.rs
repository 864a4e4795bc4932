//! Settlements (actions 25–26): the half-month settlement periods overlapping a date range,
//! for one mini program (token A) or the provider (token C). Money is in fen.
//!
//! `get_agency_settled_revenue` is posted to `/wxa/operationams` per the documentation;
//! one peer SDK posts it to `/wxa/getdefaultamsinfo`, so a client should let the path be
//! overridden.

use super::{DateRange, OPERATION_PATH, Paging, SettlementOrder, SettlementStatus, SlotId, action};
use crate::validate;
use serde::{Deserialize, Serialize};
use tx_core::{Error, lenient};

/// `agency_get_settlement`: a mini program's settlements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetSettlementRequest {
    /// The page.
    #[serde(flatten)]
    pub paging: Paging,
    /// The days; every half-month period that overlaps them is returned.
    #[serde(flatten)]
    pub range: DateRange,
}

/// `get_agency_settled_revenue`: the provider's settlements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetAgencySettledRevenueRequest {
    /// The page.
    #[serde(flatten)]
    pub paging: Paging,
    /// The days; every half-month period that overlaps them is returned.
    #[serde(flatten)]
    pub range: DateRange,
}

/// The answer of both settlement actions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Settlement {
    /// Total revenue, in fen (exceeds `i32`).
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub revenue_all: i64,
    /// Total penalties, in fen.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub penalty_all: i64,
    /// Total settled revenue, in fen.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub settled_revenue_all: i64,
    /// How many periods match.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub total_num: i64,
    /// This page's periods, by date descending.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub settlement_list: Vec<SettlementPeriod>,
}

/// A half-month settlement period.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct SettlementPeriod {
    /// The settlement date.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub date: String,
    /// The settlement zone.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub zone: String,
    /// The month the period belongs to.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub month: String,
    /// First or second half of the month.
    #[serde(default = "no_order")]
    pub order: SettlementOrder,
    /// Settling, settled, paying, paid.
    #[serde(default)]
    pub sett_status: SettlementStatus,
    /// Settled revenue, in fen.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub settled_revenue: i64,
    /// The settlement number.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub sett_no: String,
    /// How many mails were sent (a string in the sample).
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub mail_send_cnt: i64,
    /// Revenue per slot.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub slot_revenue: Vec<SlotRevenue>,
}

/// A slot's share of a settlement period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct SlotRevenue {
    /// The slot: its name here (`"SLOT_ID_WEAPP_BANNER"`), a number elsewhere.
    #[serde(default)]
    pub slot_id: SlotId,
    /// The slot's settled revenue, in fen.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub slot_settled_revenue: i64,
}

fn no_order() -> SettlementOrder {
    SettlementOrder::Other(0)
}

fn check(paging: &Paging, range: &DateRange) -> Result<(), Error> {
    validate::paging(paging.page, paging.page_size, None)?;
    validate::date_range(&range.start_date, &range.end_date)
}

action!(GetSettlementRequest => Settlement, "agency_get_settlement", OPERATION_PATH, Authorizer, Idempotent,
    |r| check(&r.paging, &r.range));
action!(GetAgencySettledRevenueRequest => Settlement, "get_agency_settled_revenue", OPERATION_PATH, Component, Idempotent,
    |r| check(&r.paging, &r.range));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Action, AdSlot, SettlementPhase};
    use tx_core::envelope::wechat::decode;

    #[test]
    fn requests() {
        let r = GetSettlementRequest { paging: Paging::new(1, 10), range: DateRange::new("2024-02-11", "2024-03-26") };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"page":1,"page_size":10,"start_date":"2024-02-11","end_date":"2024-03-26"}"#
        );
        assert!(r.validate().is_ok());
        let bad = GetAgencySettledRevenueRequest {
            paging: Paging::new(1, 0),
            range: DateRange::new("2024-02-11", "2024-03-26"),
        };
        assert_eq!(bad.validate().unwrap_err().field(), Some("page_size"));
    }

    #[test]
    fn money_exceeds_i32_and_counts_arrive_as_strings() {
        let body = br#"{"ret":0,"err_msg":"","revenue_all":5178368698,"penalty_all":0,"settled_revenue_all":"5178368698","total_num":4,
            "settlement_list":[{"date":"2024-03-31","zone":"zone-1","month":"202403","order":2,"sett_status":3,"settled_revenue":100,
              "sett_no":"SET123","mail_send_cnt":"2","slot_revenue":[{"slot_id":"SLOT_ID_WEAPP_BANNER","slot_settled_revenue":60},
              {"slot_id":"SLOT_ID_WEAPP_REWARD_VIDEO","slot_settled_revenue":"40"}]}]}"#;
        let s: Settlement = decode(body).unwrap();
        assert_eq!((s.revenue_all, s.settled_revenue_all, s.total_num), (5_178_368_698, 5_178_368_698, 4));
        let p = &s.settlement_list[0];
        assert_eq!(
            (p.order, p.sett_status.phase(), p.mail_send_cnt),
            (SettlementOrder::SecondHalf, SettlementPhase::Settled, 2)
        );
        assert_eq!(p.slot_revenue[0].slot_id, SlotId::Slot(AdSlot::Banner));
        assert_eq!(p.slot_revenue[1].slot_settled_revenue, 40);
        let numeric: SlotRevenue = serde_json::from_str(r#"{"slot_id":8,"slot_settled_revenue":1}"#).unwrap();
        assert_eq!(numeric.slot_id, SlotId::Id(8));
        assert!(decode::<Settlement>(b"{}").unwrap().settlement_list.is_empty());
    }
}
