//! The job-based form of warning texts, for images and videos:
//! `material_async_tasks/add` and `material_async_tasks/get`, with the wait helper.

use crate::api::Api;
use crate::meta::{Meta, Response};
use crate::report::ItemError;
use crate::validate;
use crate::wait::WaitOptions;
use crate::wire::{
    MaterialTasksAddRequest, MaterialTasksAddResponse, MaterialTasksGetRequest, MaterialTasksGetResponse, MaterialType,
    WatermarkTaskResult,
};
use futures_util::stream::{self, BoxStream};
use futures_util::{StreamExt, future};
use tokio::time::Instant;
use tx_core::paging::{self, Page};
use tx_core::{Error, Idempotency};

const ADD: &str = "material_async_tasks/add";
const GET: &str = "material_async_tasks/get";

/// The tasks of a job as a `Stream`, fetched page by page as it is polled. From
/// [`MaterialTasks::get`]; input that breaks a rule is the stream's first (and only) item.
pub type TaskResults = BoxStream<'static, Result<WatermarkTaskResult, Error>>;

/// What a wait for a job saw: the job's tasks as last polled.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JobReport {
    /// The job.
    pub job_id: String,
    /// Its tasks (one per material), as last polled.
    pub tasks: Vec<WatermarkTaskResult>,
    /// How many tasks the job has, when known (the materials of `add_and_wait`).
    pub expected_tasks: Option<usize>,
    /// Whether the wait timed out before every task was done.
    pub timed_out: bool,
    /// `material_async_tasks/get` requests made.
    pub polls: usize,
    /// Why polling stopped early, if a poll failed in a way retrying cannot fix.
    pub poll_error: Option<ItemError>,
    /// The metadata of the last answer (trace id, quota left).
    pub meta: Option<Meta>,
}

impl JobReport {
    /// The tasks that finished with the text on.
    pub fn succeeded(&self) -> impl Iterator<Item = &WatermarkTaskResult> {
        self.tasks.iter().filter(|t| t.task_status == crate::TaskStatus::WatermarkSuccess)
    }

    /// The tasks that ended otherwise (failed, exception, deleted).
    pub fn failed(&self) -> impl Iterator<Item = &WatermarkTaskResult> {
        self.tasks
            .iter()
            .filter(|t| t.task_status.is_terminal() && t.task_status != crate::TaskStatus::WatermarkSuccess)
    }

    /// The tasks not done (still processing, or a status that is not final).
    pub fn pending(&self) -> impl Iterator<Item = &WatermarkTaskResult> {
        self.tasks.iter().filter(|t| !t.task_status.is_terminal())
    }

    /// Whether every task is done (and, when the job's size is known, all were seen).
    pub fn is_complete(&self) -> bool {
        complete(&self.tasks, self.expected_tasks)
    }

    /// The task of `material_id`.
    pub fn task_for(&self, material_id: &str) -> Option<&WatermarkTaskResult> {
        self.tasks.iter().find(|t| t.original_material_id.as_deref() == Some(material_id))
    }
}

fn complete(tasks: &[WatermarkTaskResult], expected: Option<usize>) -> bool {
    !tasks.is_empty() && tasks.len() >= expected.unwrap_or(1) && tasks.iter().all(|t| t.task_status.is_terminal())
}

/// Material-task calls of a [`crate::Client`]. Get one with
/// [`crate::Client::material_tasks`].
#[derive(Debug, Clone, Copy)]
pub struct MaterialTasks<'a> {
    api: &'a Api,
    organization_id: Option<i64>,
}

impl<'a> MaterialTasks<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        MaterialTasks { api, organization_id: None }
    }

    /// Sends `organization_id` (the business unit, `0..=9999999999`) with every call.
    pub fn organization(mut self, organization_id: i64) -> Self {
        self.organization_id = Some(organization_id);
        self
    }

    /// Starts a job adding `texts` (1 to 10) to each of `materials` (1 to 100 images or
    /// videos, by `material_type`) of `account` (`material_async_tasks/add`); the answer
    /// is the job id. Not sent again after a failure that leaves unknown whether the job
    /// was created.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let emu = tx_emulator::Emulator::builder().seed(tx_emulator::defaults::demo_seed()).start().await.unwrap();
    /// # let ads = tencent_ads::Client::builder().client_id(1110000000).client_secret("tx-emulator-demo-client-secret")
    /// #     .private_token("tx-emulator-demo-ads-token").endpoint(emu.base_url()).build()?;
    /// use tencent_ads::{MaterialType, WarningText};
    /// let job = ads.material_tasks().add(20000001, MaterialType::Video, ["789"], [WarningText::LOAN_RISK]).await?;
    /// assert_eq!(job.data.len(), 36, "a UUID");
    /// # Ok::<(), tx_core::Error>(()) }).unwrap();
    /// ```
    pub async fn add<I, S, T, X>(
        self,
        account: i64,
        material_type: MaterialType,
        materials: I,
        texts: T,
    ) -> Result<Response<String>, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
        T: IntoIterator<Item = X>,
        X: Into<String>,
    {
        let ids: Vec<String> = materials.into_iter().map(|s| s.as_ref().trim().to_owned()).collect();
        let mut request = MaterialTasksAddRequest::new(account, material_type, ids, texts);
        request.organization_id = self.organization_id;
        request.validate()?;
        let call = self.api.post_call(ADD, account, &request, Idempotency::NotIdempotent)?;
        let answer = self.api.send::<MaterialTasksAddResponse>(&call).await?;
        if answer.data.job_id.is_empty() {
            let e = Error::decode("the answer carries no job_id", b"").with_endpoint(ADD);
            return Err(e.with_request_id(answer.meta.trace_id.unwrap_or_default()));
        }
        Ok(Response { data: answer.data.job_id, meta: answer.meta })
    }

    /// The tasks of `job_id` as a `Stream`, page by page (100 a page).
    ///
    /// ```no_run
    /// # async fn demo(ads: tencent_ads::Client) -> Result<(), tx_core::Error> {
    /// use futures_util::TryStreamExt;
    /// let tasks: Vec<_> = ads.material_tasks().get(20000001, "5d2a5771-a827-4e9a-bb83-39f539d9caba").try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn get(self, account: i64, job_id: &str) -> TaskResults {
        let job_id = job_id.trim().to_owned();
        let (api, organization_id) = (self.api.clone(), self.organization_id);
        let first = MaterialTasksGetRequest::new(account).with_job_id(job_id.clone());
        if let Err(e) = first.validate().and_then(|()| validate::check_organization_id(organization_id)) {
            return stream::once(future::ready(Err(e))).boxed();
        }
        paging::items(1, move |page_number| {
            let (api, job_id) = (api.clone(), job_id.clone());
            async move {
                let number = u32::try_from(page_number)
                    .map_err(|_| Error::invalid_input("page", "ran past the largest page number"))?;
                let mut request = MaterialTasksGetRequest::new(account).with_job_id(job_id).with_page(number);
                request.organization_id = organization_id;
                let data = page(&api, &request).await?.data;
                let next = data.page_info.has_next().then_some(page_number + 1);
                Ok(Page { items: data.list.into_iter().filter_map(|t| t.watermark_result).collect(), next })
            }
        })
    }

    /// One page of `material_async_tasks/get`, as asked, with the answer's metadata.
    pub async fn page(self, request: &MaterialTasksGetRequest) -> Result<Response<MaterialTasksGetResponse>, Error> {
        page(self.api, request).await
    }

    /// Polls `job_id` (one request a poll, every page of it) on the backoff of `wait`
    /// until every task is done or the timeout passes.
    ///
    /// ```no_run
    /// # async fn demo(ads: tencent_ads::Client) -> Result<(), tx_core::Error> {
    /// let report = ads.material_tasks().wait(20000001, "5d2a5771-a827-4e9a-bb83-39f539d9caba", Default::default()).await?;
    /// println!("{} done, {} pending", report.succeeded().count(), report.pending().count());
    /// # Ok(()) }
    /// ```
    pub async fn wait(self, account: i64, job_id: &str, wait: WaitOptions) -> Result<JobReport, Error> {
        self.poll_job(account, job_id.trim().to_owned(), None, wait, Instant::now()).await
    }

    /// [`MaterialTasks::add`], then [`MaterialTasks::wait`] for the job.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let emu = tx_emulator::Emulator::builder().seed(tx_emulator::defaults::demo_seed())
    /// #     .ads_watermark_delay(std::time::Duration::from_millis(200)).start().await.unwrap();
    /// # let ads = tencent_ads::Client::builder().client_id(1110000000).client_secret("tx-emulator-demo-client-secret")
    /// #     .private_token("tx-emulator-demo-ads-token").endpoint(emu.base_url()).build()?;
    /// use std::time::Duration;
    /// use tencent_ads::{MaterialType, WaitOptions, WarningText};
    /// let wait = WaitOptions::default().with_first_poll(Duration::from_millis(100));
    /// let report = ads.material_tasks().add_and_wait(20000001, MaterialType::Image, ["123", "456"], [WarningText::LOAN_RISK], wait).await?;
    /// assert!(report.is_complete());
    /// assert_eq!(report.succeeded().count(), 2);
    /// # Ok::<(), tx_core::Error>(()) }).unwrap();
    /// ```
    pub async fn add_and_wait<I, S, T, X>(
        self,
        account: i64,
        material_type: MaterialType,
        materials: I,
        texts: T,
        wait: WaitOptions,
    ) -> Result<JobReport, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
        T: IntoIterator<Item = X>,
        X: Into<String>,
    {
        wait.validate()?;
        let start = Instant::now();
        let ids: Vec<String> = materials.into_iter().map(|s| s.as_ref().trim().to_owned()).collect();
        let expected = ids.len();
        let job = self.add(account, material_type, ids, texts).await?;
        self.poll_job(account, job.data, Some(expected), wait, start).await
    }

    async fn poll_job(
        self,
        account: i64,
        job_id: String,
        expected: Option<usize>,
        wait: WaitOptions,
        start: Instant,
    ) -> Result<JobReport, Error> {
        wait.validate()?;
        let mut request = MaterialTasksGetRequest::new(account).with_job_id(job_id.clone());
        request.organization_id = self.organization_id;
        request.validate()?;
        let deadline = start + wait.timeout();
        let mut report = JobReport {
            job_id,
            tasks: Vec::new(),
            expected_tasks: expected,
            timed_out: false,
            polls: 0,
            poll_error: None,
            meta: None,
        };
        let mut due = Instant::now() + if expected.is_some() { wait.first_poll() } else { Default::default() };
        let mut unfinished = 0;
        loop {
            if due >= deadline {
                report.timed_out = true;
                return Ok(report);
            }
            tokio::time::sleep_until(due).await;
            let polled = tokio::time::timeout_at(deadline, self.all_tasks(&request, &mut report)).await;
            let now = Instant::now();
            match polled {
                Err(_elapsed) => {
                    report.timed_out = true;
                    return Ok(report);
                }
                Ok(Ok(tasks)) => {
                    report.tasks = tasks;
                    if complete(&report.tasks, expected) {
                        return Ok(report);
                    }
                    unfinished += 1;
                    due = now + wait.interval(unfinished);
                }
                Ok(Err(e)) if e.is_retryable() => {
                    tracing::debug!(error = %e, "job poll failed; polling again later");
                    due = now + e.retry_after().unwrap_or_default().max(wait.interval(unfinished));
                }
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "a job poll failed for good: polling stops");
                    report.poll_error = Some(ItemError::request(&e));
                    return Ok(report);
                }
            }
        }
    }

    /// Every task of the job: one request per page (one page for a job of up to 100).
    async fn all_tasks(
        self,
        first: &MaterialTasksGetRequest,
        report: &mut JobReport,
    ) -> Result<Vec<WatermarkTaskResult>, Error> {
        let mut tasks = Vec::new();
        let mut request = first.clone();
        loop {
            report.polls += 1;
            let answer = page(self.api, &request).await?;
            report.meta = Some(answer.meta);
            tasks.extend(answer.data.list.into_iter().filter_map(|t| t.watermark_result));
            if !answer.data.page_info.has_next() {
                return Ok(tasks);
            }
            request.page += 1;
        }
    }
}

async fn page(api: &Api, request: &MaterialTasksGetRequest) -> Result<Response<MaterialTasksGetResponse>, Error> {
    request.validate()?;
    validate::check_organization_id(request.organization_id)?;
    api.send(&api.get_call(GET, request.account_id, request)?).await
}
