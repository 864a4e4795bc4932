//! Statistics and settlements of a mini program.

use super::{DEFAULT_PAGE_SIZE, handler};
use crate::api::{Paged, pages};
use crate::wire::{
    AdUnitGeneral, AdUnitStats, AdposGeneral, DateRange, GetAdUnitGeneralRequest, GetAdposGeneralRequest,
    GetSettlementRequest, Paging, Settlement, SettlementPeriod, StatRow,
};
use futures_util::stream::BoxStream;
use tx_core::Error;

handler! {
    /// What a mini program earns: statistics per ad slot and per ad unit, and its
    /// half-month settlements (money in fen). Each has a Stream of every page's items
    /// (`…`), a Stream from a request of your own (`…_with`: filters, first page, page
    /// size) and a single page with its totals (`…_page`). Get one with
    /// [`super::Ams::stats`].
    Stats
}

impl Stats<'_> {
    /// `agency_get_adpos_genenral`: rows per day and slot over `range`, newest first.
    ///
    /// ```no_run
    /// # async fn demo(wechat: wechat_ams::Client) -> Result<(), tx_core::Error> {
    /// use futures_util::TryStreamExt;
    /// use wechat_ams::wire::DateRange;
    /// let rows: Vec<_> = wechat.ams("wx1a1a1a1a1a1a1a1a").stats()
    ///     .adpos(DateRange::new("2024-03-01", "2024-03-31"))
    ///     .try_collect().await?;
    /// let income: i64 = rows.iter().map(|r| r.publisher_income).sum();
    /// # Ok(()) }
    /// ```
    pub fn adpos(&self, range: DateRange) -> BoxStream<'static, Result<StatRow, Error>> {
        self.adpos_with(GetAdposGeneralRequest::new(Paging::new(1, DEFAULT_PAGE_SIZE), range))
    }

    /// `agency_get_adpos_genenral` from a request of your own (e.g. one `ad_slot`).
    pub fn adpos_with(&self, request: GetAdposGeneralRequest) -> BoxStream<'static, Result<StatRow, Error>> {
        pages(self.api, Some(self.appid.as_str()), request)
    }

    /// One page of `agency_get_adpos_genenral`, with its `summary` and `total_num`.
    pub async fn adpos_page(&self, request: &GetAdposGeneralRequest) -> Result<AdposGeneral, Error> {
        self.send(request).await
    }

    /// `agency_get_adunit_general`: each unit's rows over `range`.
    pub fn adunits(&self, range: DateRange) -> BoxStream<'static, Result<AdUnitStats, Error>> {
        self.adunits_with(GetAdUnitGeneralRequest::new(Paging::new(1, DEFAULT_PAGE_SIZE), range))
    }

    /// `agency_get_adunit_general` from a request of your own (e.g. one `ad_unit_id`).
    pub fn adunits_with(&self, request: GetAdUnitGeneralRequest) -> BoxStream<'static, Result<AdUnitStats, Error>> {
        pages(self.api, Some(self.appid.as_str()), request)
    }

    /// One page of `agency_get_adunit_general`, with `total_num`.
    pub async fn adunits_page(&self, request: &GetAdUnitGeneralRequest) -> Result<AdUnitGeneral, Error> {
        self.send(request).await
    }

    /// `agency_get_settlement`: the half-month periods overlapping `range`, newest first.
    pub fn settlements(&self, range: DateRange) -> BoxStream<'static, Result<SettlementPeriod, Error>> {
        self.settlements_with(GetSettlementRequest { paging: Paging::new(1, DEFAULT_PAGE_SIZE), range })
    }

    /// `agency_get_settlement` from a request of your own.
    pub fn settlements_with(
        &self,
        request: GetSettlementRequest,
    ) -> BoxStream<'static, Result<SettlementPeriod, Error>> {
        pages(self.api, Some(self.appid.as_str()), request)
    }

    /// One page of `agency_get_settlement`, with the totals (`revenue_all`, …).
    pub async fn settlement_page(&self, request: &GetSettlementRequest) -> Result<Settlement, Error> {
        self.send(request).await
    }
}

impl Paged for GetAdposGeneralRequest {
    type Item = StatRow;
    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
    fn split(answer: AdposGeneral) -> (Vec<StatRow>, i64) {
        (answer.list, answer.total_num)
    }
}

impl Paged for GetAdUnitGeneralRequest {
    type Item = AdUnitStats;
    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
    fn split(answer: AdUnitGeneral) -> (Vec<AdUnitStats>, i64) {
        (answer.list, answer.total_num)
    }
}

impl Paged for GetSettlementRequest {
    type Item = SettlementPeriod;
    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
    fn split(answer: Settlement) -> (Vec<SettlementPeriod>, i64) {
        (answer.settlement_list, answer.total_num)
    }
}
