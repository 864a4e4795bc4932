//! Ad units of a mini program.

use super::{DEFAULT_PAGE_SIZE, handler};
use crate::api::{Paged, pages};
use crate::wire::{
    AdUnit, AdUnitList, CreateAdUnitRequest, GetAdUnitCodeRequest, GetAdUnitListRequest, GetTemplateAdUnitListRequest,
    GetTmplTypeRequest, Paging, TemplateAdUnitList, TmplItem, TmplType, UpdateAdUnitRequest,
};
use futures_util::stream::BoxStream;
use tx_core::Error;

handler! {
    /// The ad units of a mini program. Get one with [`super::Ams::adunits`].
    AdUnits
}

impl AdUnits<'_> {
    /// `agency_create_adunit`: creates a unit and returns its `ad_unit_id`.
    ///
    /// **Not idempotent**: it is never repeated after a failure that leaves unknown
    /// whether it was applied (a lost reply, an internal error); list the units to find
    /// out. Refusals before processing (throttling, a stale token) are retried.
    ///
    /// ```no_run
    /// # async fn demo(wechat: wechat_ams::Client) -> Result<(), tx_core::Error> {
    /// use wechat_ams::AdSlot;
    /// use wechat_ams::wire::CreateAdUnitRequest;
    /// let mut reward = CreateAdUnitRequest::new("level complete", AdSlot::RewardVideo);
    /// reward.video_duration_min = Some(6);
    /// reward.video_duration_max = Some(30);
    /// let id = wechat.ams("wx1a1a1a1a1a1a1a1a").adunits().create(&reward).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, request: &CreateAdUnitRequest) -> Result<String, Error> {
        let created = self.send(request).await?;
        if created.ad_unit_id.is_empty() {
            return Err(Error::decode("agency_create_adunit answered no ad_unit_id", b""));
        }
        Ok(created.ad_unit_id)
    }

    /// `agency_update_adunit`: renames a unit, switches it on or off, changes its options.
    pub async fn update(&self, request: &UpdateAdUnitRequest) -> Result<(), Error> {
        self.send(request).await.map(drop)
    }

    /// `agency_get_tmpl_type`: the template type of a template unit.
    pub async fn tmpl_type(&self, ad_unit_id: &str) -> Result<TmplType, Error> {
        Ok(self.send(&GetTmplTypeRequest { ad_unit_id: ad_unit_id.to_owned() }).await?.tmpl_type)
    }

    /// `agency_get_adunit_code`: the `<ad unit-id="…"></ad>` snippet that places a unit.
    pub async fn code(&self, ad_unit_id: &str) -> Result<String, Error> {
        Ok(self.send(&GetAdUnitCodeRequest { ad_unit_id: ad_unit_id.to_owned() }).await?.code)
    }

    /// `agency_get_adunit_list`: every unit of every slot except the cover, newest first,
    /// as a Stream.
    pub fn list(&self) -> BoxStream<'static, Result<AdUnit, Error>> {
        self.list_with(GetAdUnitListRequest::new(Paging::new(1, DEFAULT_PAGE_SIZE)))
    }

    /// `agency_get_adunit_list` with filters (`ad_slot`, `ad_unit_id`), from the request's
    /// page on, with its page size.
    pub fn list_with(&self, request: GetAdUnitListRequest) -> BoxStream<'static, Result<AdUnit, Error>> {
        pages(self.api, Some(self.appid.as_str()), request)
    }

    /// One page of `agency_get_adunit_list`, with `total_num`.
    pub async fn list_page(&self, request: &GetAdUnitListRequest) -> Result<AdUnitList, Error> {
        self.send(request).await
    }

    /// `get_agency_ad_unit_list`: the template units, by template, as a Stream.
    pub fn templates(&self) -> BoxStream<'static, Result<TmplItem, Error>> {
        self.templates_with(GetTemplateAdUnitListRequest::new(Paging::new(1, DEFAULT_PAGE_SIZE)))
    }

    /// `get_agency_ad_unit_list` with filters (`tmpl_id`, `is_return_tmpl_bind_list`).
    pub fn templates_with(&self, request: GetTemplateAdUnitListRequest) -> BoxStream<'static, Result<TmplItem, Error>> {
        pages(self.api, Some(self.appid.as_str()), request)
    }

    /// One page of `get_agency_ad_unit_list`, with `total_num`.
    pub async fn templates_page(&self, request: &GetTemplateAdUnitListRequest) -> Result<TemplateAdUnitList, Error> {
        self.send(request).await
    }
}

impl Paged for GetAdUnitListRequest {
    type Item = AdUnit;
    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
    fn split(answer: AdUnitList) -> (Vec<AdUnit>, i64) {
        (answer.ad_unit, answer.total_num)
    }
}

impl Paged for GetTemplateAdUnitListRequest {
    type Item = TmplItem;
    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
    fn split(answer: TemplateAdUnitList) -> (Vec<TmplItem>, i64) {
        (answer.ad_unit_list, answer.total_num)
    }
}
