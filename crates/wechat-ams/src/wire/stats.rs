//! Ad statistics (actions 21–24): per slot and per unit for one mini program (token A), and
//! across the provider's mini programs with the provider's share (token C).
//!
//! Actions 23 and 24 take the component token per the documentation; one peer SDK sends
//! the authorizer token instead.
//!
//! Money is in fen. In actions 21 and 22, `income` (sample) and `publisher_income` (table)
//! are one field; in 23 and 24, `income`, `publisher_income` and `agency_income` are three.

use super::{AdSlot, DateRange, GET_DEFAULT_PATH, OPERATION_PATH, Paging, SlotId, action, de};
use crate::validate::{self, MAX_DETAIL_PAGE_SIZE};
use serde::{Deserialize, Serialize};
use tx_core::{Error, lenient};

macro_rules! stats_request {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        pub struct $name {
            /// The page.
            #[serde(flatten)]
            pub paging: Paging,
            /// The days.
            #[serde(flatten)]
            pub range: DateRange,
            /// Only this slot.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub ad_slot: Option<AdSlot>,
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl $name {
            /// A page of the days in `range`, every slot.
            pub fn new(paging: Paging, range: DateRange) -> Self {
                $name { paging, range, ad_slot: None, $($field: None,)* }
            }
        }
    };
}

stats_request! {
    /// `agency_get_adpos_genenral` (the API's spelling): per-slot statistics of a mini program.
    GetAdposGeneralRequest {}
}

stats_request! {
    /// `agency_get_adunit_general`: per-unit statistics of a mini program.
    GetAdUnitGeneralRequest {
        /// Only this unit.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub ad_unit_id: Option<String>,
    }
}

stats_request! {
    /// `get_agency_ads_stat`: statistics across the provider's mini programs.
    GetAgencyAdsStatRequest {}
}

stats_request! {
    /// `get_agency_ads_detail`: per-unit statistics across the provider's mini programs
    /// (`page_size` ≤ 200).
    GetAgencyAdsDetailRequest {}
}

/// One row of a mini program's statistics (actions 21 and 22).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "RawStatRow")]
#[non_exhaustive]
pub struct StatRow {
    /// The slot.
    pub ad_slot: AdSlot,
    /// The day, `yyyy-mm-dd`.
    pub date: String,
    /// Successful ad requests.
    pub req_succ_count: i64,
    /// Exposures.
    pub exposure_count: i64,
    /// Exposures per successful request.
    pub exposure_rate: f64,
    /// Clicks.
    pub click_count: i64,
    /// Clicks per exposure.
    pub click_rate: f64,
    /// The publisher's income, in fen: `publisher_income` (table) or `income` (sample).
    pub publisher_income: i64,
    /// Income per thousand exposures.
    pub ecpm: f64,
    /// The slot's id (in `agency_get_adpos_genenral`'s list).
    pub slot_id: Option<SlotId>,
}

#[derive(Deserialize)]
struct RawStatRow {
    #[serde(default)]
    ad_slot: Option<AdSlot>,
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    date: String,
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    req_succ_count: i64,
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    exposure_count: i64,
    #[serde(default, deserialize_with = "de::f64_from_any")]
    exposure_rate: f64,
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    click_count: i64,
    #[serde(default, deserialize_with = "de::f64_from_any")]
    click_rate: f64,
    #[serde(default, deserialize_with = "lenient::opt_i64_from_any")]
    publisher_income: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64_from_any")]
    income: Option<i64>,
    #[serde(default, deserialize_with = "de::f64_from_any")]
    ecpm: f64,
    #[serde(default)]
    slot_id: Option<SlotId>,
}

impl From<RawStatRow> for StatRow {
    fn from(r: RawStatRow) -> Self {
        StatRow {
            ad_slot: r.ad_slot.unwrap_or(AdSlot::Unknown(String::new())),
            date: r.date,
            req_succ_count: r.req_succ_count,
            exposure_count: r.exposure_count,
            exposure_rate: r.exposure_rate,
            click_count: r.click_count,
            click_rate: r.click_rate,
            publisher_income: r.publisher_income.or(r.income).unwrap_or(0),
            ecpm: r.ecpm,
            slot_id: r.slot_id,
        }
    }
}

/// One row of the provider's statistics (actions 23 and 24).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AgencyStatRow {
    /// The slot.
    #[serde(default = "no_slot")]
    pub ad_slot: AdSlot,
    /// The day, `yyyy-mm-dd`.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub date: String,
    /// Successful ad requests.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub req_succ_count: i64,
    /// Exposures (a string in one table).
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub exposure_count: i64,
    /// Exposures per successful request.
    #[serde(default, deserialize_with = "de::f64_from_any")]
    pub exposure_rate: f64,
    /// Clicks.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub click_count: i64,
    /// Clicks per exposure.
    #[serde(default, deserialize_with = "de::f64_from_any")]
    pub click_rate: f64,
    /// Total income, in fen.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub income: i64,
    /// The publisher's (merchant's) share, in fen.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub publisher_income: i64,
    /// The provider's share, in fen (typed as a boolean in one table).
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub agency_income: i64,
    /// Income per thousand exposures (typed as a boolean in one table).
    #[serde(default, deserialize_with = "de::f64_from_any")]
    pub ecpm: f64,
    /// Unique users exposed (summary of `get_agency_ads_stat`).
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub exposure_uv: i64,
    /// Unique users who opened (summary of `get_agency_ads_stat`).
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub open_uv: i64,
}

/// The answer of `agency_get_adpos_genenral`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AdposGeneral {
    /// Rows by date descending, then `slot_id` ascending.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub list: Vec<StatRow>,
    /// The totals (one row; sent as an object or an array).
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub summary: Vec<StatRow>,
    /// How many rows match.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub total_num: i64,
}

/// The answer of `agency_get_adunit_general`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AdUnitGeneral {
    /// One entry per unit.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub list: Vec<AdUnitStats>,
    /// How many entries match.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub total_num: i64,
}

/// A unit's statistics in `agency_get_adunit_general`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AdUnitStats {
    /// The unit.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub ad_unit_id: String,
    /// Its name.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub ad_unit_name: String,
    /// Its rows (sent as an array or an object).
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub stat_item: Vec<StatRow>,
}

/// The answer of `get_agency_ads_stat`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AgencyAdsStat {
    /// The totals, with `exposure_uv` and `open_uv` (one row; an object or an array).
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub summary: Vec<AgencyStatRow>,
    /// Rows by date descending.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub list: Vec<AgencyStatRow>,
    /// How many rows match.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub total_num: i64,
}

/// The answer of `get_agency_ads_detail`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AgencyAdsDetail {
    /// One entry per unit.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub list: Vec<AgencyAdUnitStats>,
    /// How many entries match.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub total_num: i64,
}

/// A unit's statistics in `get_agency_ads_detail`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AgencyAdUnitStats {
    /// The unit.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub ad_unit_id: String,
    /// Its name.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub ad_unit_name: String,
    /// Its mini program.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub appid: String,
    /// Its rows (sent as an array or an object).
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub stat_item: Vec<AgencyStatRow>,
}

fn no_slot() -> AdSlot {
    AdSlot::Unknown(String::new())
}

fn check(
    paging: &Paging,
    range: &DateRange,
    ad_slot: Option<&AdSlot>,
    max_page_size: Option<u32>,
) -> Result<(), Error> {
    validate::paging(paging.page, paging.page_size, max_page_size)?;
    validate::date_range(&range.start_date, &range.end_date)?;
    if let Some(slot) = ad_slot
        && !slot.is_plausible()
    {
        return Err(Error::invalid_input("ad_slot", format_args!("is {:?}, which is not an ad slot", slot.as_str())));
    }
    Ok(())
}

action!(GetAdposGeneralRequest => AdposGeneral, "agency_get_adpos_genenral", OPERATION_PATH, Authorizer, Idempotent,
    |r| check(&r.paging, &r.range, r.ad_slot.as_ref(), None));
action!(GetAdUnitGeneralRequest => AdUnitGeneral, "agency_get_adunit_general", OPERATION_PATH, Authorizer, Idempotent, |r| {
    check(&r.paging, &r.range, r.ad_slot.as_ref(), None)?;
    match &r.ad_unit_id {
        Some(id) => validate::required("ad_unit_id", id),
        None => Ok(()),
    }
});
action!(GetAgencyAdsStatRequest => AgencyAdsStat, "get_agency_ads_stat", GET_DEFAULT_PATH, Component, Idempotent,
    |r| check(&r.paging, &r.range, r.ad_slot.as_ref(), None));
action!(GetAgencyAdsDetailRequest => AgencyAdsDetail, "get_agency_ads_detail", GET_DEFAULT_PATH, Component, Idempotent,
    |r| check(&r.paging, &r.range, r.ad_slot.as_ref(), Some(MAX_DETAIL_PAGE_SIZE)));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Action;
    use tx_core::envelope::wechat::decode;

    fn range() -> DateRange {
        DateRange::new("2024-02-11", "2024-03-26")
    }

    #[test]
    fn requests_and_their_rules() {
        let mut r = GetAdUnitGeneralRequest::new(Paging::new(1, 50), range());
        r.ad_slot = Some(AdSlot::Banner);
        r.ad_unit_id = Some("adunit-1".into());
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"page":1,"page_size":50,"start_date":"2024-02-11","end_date":"2024-03-26","ad_slot":"SLOT_ID_WEAPP_BANNER","ad_unit_id":"adunit-1"}"#
        );
        assert!(r.validate().is_ok());
        assert_eq!(
            serde_json::to_string(&GetAdposGeneralRequest::new(Paging::new(1, 10), range())).unwrap(),
            r#"{"page":1,"page_size":10,"start_date":"2024-02-11","end_date":"2024-03-26"}"#
        );
        assert!(GetAgencyAdsDetailRequest::new(Paging::new(1, 200), range()).validate().is_ok());
        assert_eq!(
            GetAgencyAdsDetailRequest::new(Paging::new(1, 201), range()).validate().unwrap_err().field(),
            Some("page_size")
        );
        assert!(GetAgencyAdsStatRequest::new(Paging::new(1, 5000), range()).validate().is_ok());
        let backwards = DateRange::new("2024-03-26", "2024-02-11");
        assert_eq!(
            GetAgencyAdsStatRequest::new(Paging::new(1, 5), backwards).validate().unwrap_err().field(),
            Some("end_date")
        );
        let bad_date = DateRange::new("2024/02/11", "2024-03-26");
        assert_eq!(
            GetAdposGeneralRequest::new(Paging::new(1, 5), bad_date).validate().unwrap_err().field(),
            Some("start_date")
        );
        let mut bad_slot = GetAgencyAdsStatRequest::new(Paging::new(1, 5), range());
        bad_slot.ad_slot = Some(AdSlot::from_wire("banner"));
        assert_eq!(bad_slot.validate().unwrap_err().field(), Some("ad_slot"));
    }

    #[test]
    fn income_and_publisher_income_are_one_field_in_21_and_22() {
        let body = br#"{"ret":0,"total_num":1,
            "list":[{"ad_slot":"SLOT_ID_WEAPP_BANNER","date":"2024-03-26","req_succ_count":100,"exposure_count":"80","exposure_rate":0.8,
                     "click_count":4,"click_rate":"0.05","income":1234,"ecpm":15.4,"slot_id":8}],
            "summary":{"req_succ_count":100,"publisher_income":1234,"ecpm":true}}"#;
        let g: AdposGeneral = decode(body).unwrap();
        let row = &g.list[0];
        assert_eq!((row.exposure_count, row.click_rate, row.publisher_income), (80, 0.05, 1234));
        assert_eq!(row.slot_id, Some(SlotId::Id(8)));
        assert_eq!(g.summary.len(), 1);
        assert_eq!((g.summary[0].publisher_income, g.summary[0].ecpm), (1234, 1.0));
        assert_eq!(g.summary[0].slot_id, None);
        let both: StatRow = serde_json::from_str(r#"{"income":1,"publisher_income":2}"#).unwrap();
        assert_eq!(both.publisher_income, 2);

        let unit: AdUnitGeneral = decode(
            br#"{"list":[{"ad_unit_id":"adunit-1","ad_unit_name":"home","stat_item":{"date":"2024-03-26","publisher_income":"99"}}],"total_num":"1"}"#,
        )
        .unwrap();
        assert_eq!(unit.total_num, 1);
        assert_eq!(unit.list[0].stat_item[0].publisher_income, 99);
    }

    #[test]
    fn income_publisher_income_and_agency_income_are_three_fields_in_23_and_24() {
        let body = br#"{"summary":[{"income":1000,"publisher_income":600,"agency_income":400,"exposure_uv":"31","open_uv":7,"exposure_count":"5178368698"}],
            "list":[{"date":"2024-03-26","ad_slot":"SLOT_ID_WEAPP_COVER","income":10,"publisher_income":6,"agency_income":4}],"total_num":1}"#;
        let s: AgencyAdsStat = decode(body).unwrap();
        let sum = &s.summary[0];
        assert_eq!((sum.income, sum.publisher_income, sum.agency_income), (1000, 600, 400));
        assert_eq!((sum.exposure_uv, sum.open_uv, sum.exposure_count), (31, 7, 5_178_368_698));
        assert_eq!(s.list[0].ad_slot, AdSlot::Cover);

        let detail: AgencyAdsDetail = decode(
            br#"{"list":[{"ad_unit_id":"adunit-2","appid":"wx2c2769f8efd9abc2","stat_item":[{"agency_income":12,"ecpm":3.5}]}],"total_num":1}"#,
        )
        .unwrap();
        assert_eq!(detail.list[0].appid, "wx2c2769f8efd9abc2");
        assert_eq!((detail.list[0].stat_item[0].agency_income, detail.list[0].stat_item[0].ecpm), (12, 3.5));
        let empty: AgencyAdsDetail = decode(br#"{"ret":0}"#).unwrap();
        assert!(empty.list.is_empty());
    }
}
