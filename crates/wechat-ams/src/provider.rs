//! The platform's own AMS figures and settings, with the component token. Get a handle
//! with [`crate::Client::provider`].

use crate::ams::DEFAULT_PAGE_SIZE;
use crate::api::{Api, Paged, pages};
use crate::wire::{
    AgencyAdUnitStats, AgencyAdsDetail, AgencyAdsStat, AgencyStatRow, DateRange, GetAgencyAdsDetailRequest,
    GetAgencyAdsStatRequest, GetAgencySettledRevenueRequest, GetShareRatioRequest, Paging, SetShareRatioRequest,
    Settlement, SettlementPeriod,
};
use futures_util::stream::BoxStream;
use tx_core::Error;

/// The provider-level AMS actions (1, 2, 23, 24, 26): the default share ratio, statistics
/// across every mini program with the provider's share, and the provider's settlements.
/// Streams, `…_with` and `…_page` work as in [`crate::Stats`].
#[derive(Debug, Clone, Copy)]
pub struct Provider<'a> {
    api: &'a Api,
}

impl<'a> Provider<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        Provider { api }
    }

    /// `get_share_ratio` with the component's AppID: the default share ratio in percent.
    pub async fn share_ratio(&self) -> Result<i64, Error> {
        let request = GetShareRatioRequest { appid: self.api.component_appid().to_owned() };
        Ok(self.api.send(None, &request).await?.share_ratio)
    }

    /// `set_share_ratio`: the default share ratio (0 to 100 percent); it takes effect for
    /// a mini program once its merchant confirms it.
    pub async fn set_share_ratio(&self, percent: u32) -> Result<(), Error> {
        self.api.send(None, &SetShareRatioRequest { share_ratio: percent }).await.map(drop)
    }

    /// `get_agency_ads_stat`: rows per day across the provider's mini programs.
    pub fn ads_stats(&self, range: DateRange) -> BoxStream<'static, Result<AgencyStatRow, Error>> {
        self.ads_stats_with(GetAgencyAdsStatRequest::new(Paging::new(1, DEFAULT_PAGE_SIZE), range))
    }

    /// `get_agency_ads_stat` from a request of your own.
    pub fn ads_stats_with(&self, request: GetAgencyAdsStatRequest) -> BoxStream<'static, Result<AgencyStatRow, Error>> {
        pages(self.api, None, request)
    }

    /// One page of `get_agency_ads_stat`, with its `summary` (`exposure_uv`, `open_uv`).
    pub async fn ads_stats_page(&self, request: &GetAgencyAdsStatRequest) -> Result<AgencyAdsStat, Error> {
        self.api.send(None, request).await
    }

    /// `get_agency_ads_detail`: each ad unit of each mini program, with its rows.
    pub fn ads_detail(&self, range: DateRange) -> BoxStream<'static, Result<AgencyAdUnitStats, Error>> {
        self.ads_detail_with(GetAgencyAdsDetailRequest::new(Paging::new(1, DEFAULT_PAGE_SIZE), range))
    }

    /// `get_agency_ads_detail` from a request of your own (`page_size` at most 200).
    pub fn ads_detail_with(
        &self,
        request: GetAgencyAdsDetailRequest,
    ) -> BoxStream<'static, Result<AgencyAdUnitStats, Error>> {
        pages(self.api, None, request)
    }

    /// One page of `get_agency_ads_detail`.
    pub async fn ads_detail_page(&self, request: &GetAgencyAdsDetailRequest) -> Result<AgencyAdsDetail, Error> {
        self.api.send(None, request).await
    }

    /// `get_agency_settled_revenue`: the provider's half-month periods overlapping `range`.
    pub fn settled_revenue(&self, range: DateRange) -> BoxStream<'static, Result<SettlementPeriod, Error>> {
        self.settled_revenue_with(GetAgencySettledRevenueRequest { paging: Paging::new(1, DEFAULT_PAGE_SIZE), range })
    }

    /// `get_agency_settled_revenue` from a request of your own.
    pub fn settled_revenue_with(
        &self,
        request: GetAgencySettledRevenueRequest,
    ) -> BoxStream<'static, Result<SettlementPeriod, Error>> {
        pages(self.api, None, request)
    }

    /// One page of `get_agency_settled_revenue`, with the totals.
    pub async fn settled_revenue_page(&self, request: &GetAgencySettledRevenueRequest) -> Result<Settlement, Error> {
        self.api.send(None, request).await
    }
}

impl Paged for GetAgencyAdsStatRequest {
    type Item = AgencyStatRow;
    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
    fn split(answer: AgencyAdsStat) -> (Vec<AgencyStatRow>, i64) {
        (answer.list, answer.total_num)
    }
}

impl Paged for GetAgencyAdsDetailRequest {
    type Item = AgencyAdUnitStats;
    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
    fn split(answer: AgencyAdsDetail) -> (Vec<AgencyAdUnitStats>, i64) {
        (answer.list, answer.total_num)
    }
}

impl Paged for GetAgencySettledRevenueRequest {
    type Item = SettlementPeriod;
    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
    fn split(answer: Settlement) -> (Vec<SettlementPeriod>, i64) {
        (answer.settlement_list, answer.total_num)
    }
}
