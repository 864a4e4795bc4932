//! Warning texts on images: `watermarks/add` and `watermarks/get`, with the wait helper.

mod add;
mod bulk;
mod records;
mod report;
mod wait;

pub use bulk::{MaterialRecord, WatermarkBulk, WatermarkPlanner};
pub use records::WatermarkRecords;
pub use report::{Watermark, WatermarkCounts, WatermarkOutcome, WatermarkReport};

use crate::api::Api;
use crate::meta::Response;
use crate::wait::WaitOptions;
use crate::wire::{WatermarksGetRequest, WatermarksGetResponse};
use add::Input;
use futures_util::Stream;
use tx_core::Error;

/// Warning-text calls of a [`crate::Client`]. Get one with [`crate::Client::watermarks`].
#[derive(Debug, Clone, Copy)]
pub struct Watermarks<'a> {
    api: &'a Api,
    organization_id: Option<i64>,
}

impl<'a> Watermarks<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        Watermarks { api, organization_id: None }
    }

    /// Sends `organization_id` (the business unit, `0..=9999999999`) with every call.
    pub fn organization(mut self, organization_id: i64) -> Self {
        self.organization_id = Some(organization_id);
        self
    }

    /// Adds `texts` (1 to 10 warning texts, see [`crate::WarningText`]) to each image of
    /// `materials` of `account` (`watermarks/add`). Any number of materials: they are
    /// deduplicated (repeats listed in [`WatermarkReport::duplicates`]), sent 100 per
    /// request, concurrently within the rate limit, and merged into one report with an
    /// entry per distinct material: success (the result image), processing (the record to
    /// poll), failed (the service's reason).
    ///
    /// Material ids are trimmed (what is checked is what is sent). `Err` if the input
    /// breaks a rule (nothing is sent: the error names the field, e.g.
    /// `materials[3].material_id`) or if no request got an answer. A request is not sent
    /// again after a failure that leaves unknown whether it was applied.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let emu = tx_emulator::Emulator::builder().seed(tx_emulator::defaults::demo_seed()).start().await.unwrap();
    /// # let ads = tencent_ads::Client::builder().client_id(1110000000).client_secret("tx-emulator-demo-client-secret")
    /// #     .private_token("tx-emulator-demo-ads-token").endpoint(emu.base_url()).build()?;
    /// use tencent_ads::{WarningText, WatermarkOutcome};
    /// let report = ads.watermarks().add(20000001, ["123", "456", "999"], [WarningText::LOAN_RISK]).await?;
    /// assert_eq!(report.processing().count(), 2);
    /// let (_, missing) = report.refused().next().unwrap();
    /// assert_eq!(missing.outcome, WatermarkOutcome::Failed);
    /// assert!(missing.reason.is_some());
    /// # Ok::<(), tx_core::Error>(()) }).unwrap();
    /// ```
    pub async fn add<I, S, T, X>(self, account: i64, materials: I, texts: T) -> Result<WatermarkReport, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
        T: IntoIterator<Item = X>,
        X: Into<String>,
    {
        let input = Input::new(account, self.organization_id, materials, texts)?;
        add::add(self.api, &input).await
    }

    /// [`Watermarks::add`], then polls the records still processing (`watermarks/get`,
    /// 100 record ids a request, never one request per record) until every record is
    /// done or `wait`'s timeout passes. Polls start while later chunks are still being
    /// added; each record is polled on its own backoff (about 2 s, doubling to about 30 s),
    /// every poll within the rate limit. Records not seen done in time are
    /// [`WatermarkOutcome::TimedOut`].
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let emu = tx_emulator::Emulator::builder().seed(tx_emulator::defaults::demo_seed())
    /// #     .ads_watermark_delay(std::time::Duration::from_millis(200)).start().await.unwrap();
    /// # let ads = tencent_ads::Client::builder().client_id(1110000000).client_secret("tx-emulator-demo-client-secret")
    /// #     .private_token("tx-emulator-demo-ads-token").endpoint(emu.base_url()).build()?;
    /// use std::time::Duration;
    /// use tencent_ads::{WaitOptions, WarningText};
    /// let wait = WaitOptions::default().with_first_poll(Duration::from_millis(100));
    /// let report = ads.watermarks().add_and_wait(20000001, ["123", "456"], [WarningText::LOAN_RISK], wait).await?;
    /// assert!(report.all_succeeded());
    /// for (material, w) in report.succeeded() {
    ///     println!("{material} -> {:?}", w.result_material_url);
    /// }
    /// # Ok::<(), tx_core::Error>(()) }).unwrap();
    /// ```
    pub async fn add_and_wait<I, S, T, X>(
        self,
        account: i64,
        materials: I,
        texts: T,
        wait: WaitOptions,
    ) -> Result<WatermarkReport, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
        T: IntoIterator<Item = X>,
        X: Into<String>,
    {
        let input = Input::new(account, self.organization_id, materials, texts)?;
        wait::add_and_wait(self.api, &input, wait).await
    }

    /// [`Watermarks::add`] for a stream of any length, in bounded memory: one record per
    /// input material as its request completes (see [`WatermarkPlanner`]), a material
    /// that breaks a rule (or an input `Err` of kind `InvalidInput`) failing alone. The
    /// account, the organization and `texts` are checked here, before any input is read.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let emu = tx_emulator::Emulator::builder().seed(tx_emulator::defaults::demo_seed()).start().await.unwrap();
    /// # let ads = tencent_ads::Client::builder().client_id(1110000000).client_secret("tx-emulator-demo-client-secret")
    /// #     .private_token("tx-emulator-demo-ads-token").endpoint(emu.base_url()).build()?;
    /// use futures_util::{TryStreamExt, stream};
    /// use tencent_ads::WarningText;
    /// let materials = stream::iter(["123", "456", "123"].map(|id| Ok(id.to_owned())));
    /// let mut records = ads.watermarks().add_many(20000001, materials, [WarningText::LOAN_RISK])?.stream();
    /// while let Some(record) = records.try_next().await? {
    ///     println!("{} {:?} {}", record.index, record.item, record.outcome.status());
    /// }
    /// assert_eq!((records.summary().succeeded, records.summary().duplicates), (2, 1));
    /// # Ok::<(), tx_core::Error>(()) }).unwrap();
    /// ```
    pub fn add_many<S, T, X>(self, account: i64, materials: S, texts: T) -> Result<WatermarkBulk, Error>
    where
        S: Stream<Item = Result<String, Error>> + Send + 'static,
        T: IntoIterator<Item = X>,
        X: Into<String>,
    {
        let texts = texts.into_iter().map(Into::into).collect();
        let planner = WatermarkPlanner::new(self.api, account, self.organization_id, texts, None)?;
        Ok(WatermarkBulk::new(planner, materials))
    }

    /// [`Watermarks::add_many`], each unit of 100 then waiting for its records as
    /// [`Watermarks::add_and_wait`] does (the timeout counts from the unit's start): a
    /// material is `ok` once its text is on, and `failed` if the service refused it or it
    /// was still processing when the wait ended.
    pub fn add_many_and_wait<S, T, X>(
        self,
        account: i64,
        materials: S,
        texts: T,
        wait: WaitOptions,
    ) -> Result<WatermarkBulk, Error>
    where
        S: Stream<Item = Result<String, Error>> + Send + 'static,
        T: IntoIterator<Item = X>,
        X: Into<String>,
    {
        let texts = texts.into_iter().map(Into::into).collect();
        let planner = WatermarkPlanner::new(self.api, account, self.organization_id, texts, Some(wait))?;
        Ok(WatermarkBulk::new(planner, materials))
    }

    /// Waits for records added earlier (say, by a process that stopped): polls them at
    /// once, then as [`Watermarks::add_and_wait`] does. The report's ids are the record
    /// ids.
    ///
    /// ```no_run
    /// # async fn demo(ads: tencent_ads::Client) -> Result<(), tx_core::Error> {
    /// let report = ads.watermarks().wait(20000001, ["401", "402"], Default::default()).await?;
    /// println!("{:?}", report.counts());
    /// # Ok(()) }
    /// ```
    pub async fn wait<I, S>(self, account: i64, record_ids: I, wait: WaitOptions) -> Result<WatermarkReport, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        check_account(account, self.organization_id)?;
        let ids = record_ids_of(record_ids)?;
        wait::wait(self.api, account, self.organization_id, ids, wait).await
    }

    /// The records `record_ids` of `account` as a `Stream` (`watermarks/get` filtered by
    /// `record_id IN`, 100 ids per request, each page of 100 records). Records have no
    /// `reason` and no md5: keep the add's report to correlate them.
    ///
    /// ```no_run
    /// # async fn demo(ads: tencent_ads::Client) -> Result<(), tx_core::Error> {
    /// use futures_util::TryStreamExt;
    /// let records: Vec<_> = ads.watermarks().get(20000001, ["401", "402"]).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn get<I, S>(self, account: i64, record_ids: I) -> WatermarkRecords
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let ids: Vec<String> = record_ids.into_iter().map(|s| s.as_ref().trim().to_owned()).collect();
        records::records(self.api, account, self.organization_id, Some(ids))
    }

    /// Every record of `account` as a `Stream`, page by page (100 a page).
    ///
    /// ```no_run
    /// # async fn demo(ads: tencent_ads::Client) -> Result<(), tx_core::Error> {
    /// use futures_util::TryStreamExt;
    /// let mut records = ads.watermarks().list(20000001);
    /// while let Some(record) = records.try_next().await? {
    ///     println!("{} {}", record.record_id, record.status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(self, account: i64) -> WatermarkRecords {
        records::records(self.api, account, self.organization_id, None)
    }

    /// One page of `watermarks/get`, as asked, with the answer's metadata.
    ///
    /// ```no_run
    /// # async fn demo(ads: tencent_ads::Client) -> Result<(), tx_core::Error> {
    /// use tencent_ads::WatermarksGetRequest;
    /// let page = ads.watermarks().page(&WatermarksGetRequest::new(20000001).with_page_size(20)).await?;
    /// println!("{} of {} records, trace id {:?}", page.data.list.len(), page.data.page_info.total_number, page.meta.trace_id);
    /// # Ok(()) }
    /// ```
    pub async fn page(self, request: &WatermarksGetRequest) -> Result<Response<WatermarksGetResponse>, Error> {
        records::page(self.api, request).await
    }
}

fn check_account(account: i64, organization_id: Option<i64>) -> Result<(), Error> {
    crate::validate::check_account_id(account)?;
    crate::validate::check_organization_id(organization_id)
}

/// Record ids, trimmed and checked: at least one, none blank or with a forbidden character.
fn record_ids_of<I, S>(record_ids: I) -> Result<Vec<String>, Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let ids: Vec<String> = record_ids.into_iter().map(|s| s.as_ref().trim().to_owned()).collect();
    if ids.is_empty() {
        return Err(Error::invalid_input("record_ids", "must name at least one record"));
    }
    for (i, id) in ids.iter().enumerate() {
        crate::validate::check_value(|| format!("record_ids[{i}]"), id)?;
    }
    Ok(ids)
}
