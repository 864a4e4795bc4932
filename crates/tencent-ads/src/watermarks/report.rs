//! What became of each material of `watermarks().add` and `add_and_wait`.

use crate::report::{BatchReport, Duplicate, ItemError, ItemResult};
use crate::wire::{WatermarkAddResult, WatermarkRecord, WatermarkStatus};
use serde::Serialize;

/// Where a material's warning text stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WatermarkOutcome {
    /// Done: [`Watermark::result_material_id`] and [`Watermark::result_material_url`] name
    /// the image with the text (an earlier result reused, or processing finished).
    Success,
    /// Queued: poll [`Watermark::record_id`]. After `add_and_wait`, polling stopped early
    /// (see [`WatermarkReport::poll_error`]).
    Processing,
    /// The service refused the material (missing, not an image, not supported); see
    /// [`Watermark::reason`].
    Failed,
    /// The record was deleted.
    Deleted,
    /// `add_and_wait` only: still processing when the wait timed out.
    TimedOut,
}

impl WatermarkOutcome {
    fn of(status: &WatermarkStatus) -> WatermarkOutcome {
        match status {
            WatermarkStatus::Success => WatermarkOutcome::Success,
            WatermarkStatus::Failed => WatermarkOutcome::Failed,
            WatermarkStatus::Deleted => WatermarkOutcome::Deleted,
            // `processing`, and statuses this crate does not know: not terminal.
            _ => WatermarkOutcome::Processing,
        }
    }
}

/// One material's warning-text record, as the service last reported it. Unfilled values
/// (`""` on the wire) are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Watermark {
    /// Where the material stands.
    pub outcome: WatermarkOutcome,
    /// The record's `status` as the service sent it (it may be one this crate does not
    /// know, which counts as processing).
    pub status: WatermarkStatus,
    /// The record, to poll with `watermarks().get`.
    pub record_id: Option<String>,
    /// The image with the text, once done.
    pub result_material_id: Option<String>,
    /// The URL of the image with the text, once done.
    pub result_material_url: Option<String>,
    /// The service's free-text note from `watermarks/add` (reused an earlier result;
    /// submitted, query later; missing or not supported).
    pub reason: Option<String>,
    /// The material's name.
    pub material_name: Option<String>,
    /// The material's md5, its unique key (`watermarks/add` only).
    pub material_md5: Option<String>,
    /// `X-TSA-Trace-Id` of the request that last reported on the material.
    pub trace_id: Option<String>,
}

impl Watermark {
    pub(crate) fn from_add(r: WatermarkAddResult, trace_id: Option<&str>) -> Watermark {
        Watermark {
            outcome: WatermarkOutcome::of(&r.status),
            status: r.status,
            record_id: r.record_id,
            result_material_id: r.result_material_id,
            result_material_url: r.result_material_url,
            reason: r.reason,
            material_name: r.material_name,
            material_md5: r.original_material_md5,
            trace_id: trace_id.map(str::to_owned),
        }
    }

    /// Takes in what a `watermarks/get` record says (it has no reason and no md5: those of
    /// the add are kept).
    pub(crate) fn update(&mut self, r: WatermarkRecord, trace_id: Option<&str>) {
        self.outcome = WatermarkOutcome::of(&r.status);
        self.status = r.status;
        self.result_material_id = r.result_material_id.or(self.result_material_id.take());
        self.result_material_url = r.result_material_url.or(self.result_material_url.take());
        self.material_name = r.material_name.or(self.material_name.take());
        self.trace_id = trace_id.map(str::to_owned).or(self.trace_id.take());
    }

    /// Whether the outcome is final (success, failed, deleted).
    pub fn is_terminal(&self) -> bool {
        matches!(self.outcome, WatermarkOutcome::Success | WatermarkOutcome::Failed | WatermarkOutcome::Deleted)
    }
}

/// How many materials ended how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct WatermarkCounts {
    /// [`WatermarkOutcome::Success`].
    pub success: usize,
    /// [`WatermarkOutcome::Processing`].
    pub processing: usize,
    /// [`WatermarkOutcome::Failed`] and [`WatermarkOutcome::Deleted`].
    pub refused: usize,
    /// [`WatermarkOutcome::TimedOut`].
    pub timed_out: usize,
    /// Materials whose request failed as a whole.
    pub request_failed: usize,
}

/// The outcome of `watermarks().add` or `add_and_wait`: one entry per distinct material
/// id, in input order. An entry is `Ok(`[`Watermark`]`)` when the service answered for
/// the material (whatever the answer: success, processing, failed), `Err(`[`ItemError`]`)`
/// when the request carrying it failed as a whole.
///
/// ```no_run
/// # async fn demo(ads: tencent_ads::Client) -> Result<(), tx_core::Error> {
/// use tencent_ads::{WarningText, WatermarkOutcome};
/// let report = ads.watermarks().add(20000001, ["123", "456", "999"], [WarningText::LOAN_RISK]).await?;
/// for (material, w) in report.answered() {
///     match w.outcome {
///         WatermarkOutcome::Success => println!("{material}: {:?}", w.result_material_url),
///         WatermarkOutcome::Processing => println!("{material}: poll record {:?}", w.record_id),
///         _ => println!("{material}: {:?} ({:?})", w.outcome, w.reason),
///     }
/// }
/// for item in report.request_failures() {
///     eprintln!("{}: {}", item.id, item.error().unwrap());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WatermarkReport {
    batch: BatchReport<Watermark>,
    add_requests: usize,
    poll_requests: usize,
    poll_error: Option<ItemError>,
}

impl WatermarkReport {
    pub(crate) fn new(
        items: Vec<ItemResult<Watermark>>,
        duplicates: Vec<Duplicate>,
        add_requests: usize,
        poll_requests: usize,
        poll_error: Option<ItemError>,
    ) -> WatermarkReport {
        let batch = BatchReport::new(items, duplicates, add_requests + poll_requests);
        WatermarkReport { batch, add_requests, poll_requests, poll_error }
    }

    /// Every distinct material's result, in input order.
    pub fn items(&self) -> &[ItemResult<Watermark>] {
        self.batch.items()
    }

    /// The result for `material_id`.
    pub fn get(&self, material_id: &str) -> Option<&ItemResult<Watermark>> {
        self.batch.get(material_id)
    }

    /// The materials the service answered for, with their record.
    pub fn answered(&self) -> impl Iterator<Item = (&str, &Watermark)> {
        self.items().iter().filter_map(|i| i.value().map(|w| (i.id.as_str(), w)))
    }

    /// The materials with `outcome`.
    pub fn with_outcome(&self, outcome: WatermarkOutcome) -> impl Iterator<Item = (&str, &Watermark)> {
        self.answered().filter(move |(_, w)| w.outcome == outcome)
    }

    /// The materials whose text is on (outcome [`WatermarkOutcome::Success`]).
    pub fn succeeded(&self) -> impl Iterator<Item = (&str, &Watermark)> {
        self.with_outcome(WatermarkOutcome::Success)
    }

    /// The materials still processing.
    pub fn processing(&self) -> impl Iterator<Item = (&str, &Watermark)> {
        self.with_outcome(WatermarkOutcome::Processing)
    }

    /// The materials the service refused, or whose record was deleted.
    pub fn refused(&self) -> impl Iterator<Item = (&str, &Watermark)> {
        self.answered().filter(|(_, w)| matches!(w.outcome, WatermarkOutcome::Failed | WatermarkOutcome::Deleted))
    }

    /// The materials still processing when `add_and_wait` timed out.
    pub fn timed_out(&self) -> impl Iterator<Item = (&str, &Watermark)> {
        self.with_outcome(WatermarkOutcome::TimedOut)
    }

    /// The materials whose request failed as a whole.
    pub fn request_failures(&self) -> impl Iterator<Item = &ItemResult<Watermark>> {
        self.batch.failed()
    }

    /// Whether every material has its text on.
    pub fn all_succeeded(&self) -> bool {
        self.items().iter().all(|i| i.value().is_some_and(|w| w.outcome == WatermarkOutcome::Success))
    }

    /// How many materials ended how.
    pub fn counts(&self) -> WatermarkCounts {
        let mut c = WatermarkCounts::default();
        for item in self.items() {
            match item.value().map(|w| w.outcome) {
                None => c.request_failed += 1,
                Some(WatermarkOutcome::Success) => c.success += 1,
                Some(WatermarkOutcome::Processing) => c.processing += 1,
                Some(WatermarkOutcome::Failed | WatermarkOutcome::Deleted) => c.refused += 1,
                Some(WatermarkOutcome::TimedOut) => c.timed_out += 1,
            }
        }
        c
    }

    /// Repeated material ids of the input (sent once, reported here).
    pub fn duplicates(&self) -> &[Duplicate] {
        self.batch.duplicates()
    }

    /// The number of distinct materials.
    pub fn len(&self) -> usize {
        self.batch.len()
    }

    /// Whether the report holds no material.
    pub fn is_empty(&self) -> bool {
        self.batch.is_empty()
    }

    /// `watermarks/add` requests made: one per 100 distinct materials.
    pub fn add_requests(&self) -> usize {
        self.add_requests
    }

    /// `watermarks/get` requests made to poll (up to 100 records each).
    pub fn poll_requests(&self) -> usize {
        self.poll_requests
    }

    /// All requests made (the pipeline's own retries not counted).
    pub fn requests(&self) -> usize {
        self.batch.requests()
    }

    /// Why `add_and_wait` stopped polling before the records finished, if it did: a poll
    /// failed in a way that retrying cannot fix (a refused token, say). The records it did
    /// not see finish are reported [`WatermarkOutcome::Processing`].
    pub fn poll_error(&self) -> Option<&ItemError> {
        self.poll_error.as_ref()
    }

    /// The report as tx-core's generic batch report.
    pub fn batch(&self) -> &BatchReport<Watermark> {
        &self.batch
    }

    /// Takes the generic batch report.
    pub fn into_batch(self) -> BatchReport<Watermark> {
        self.batch
    }
}
