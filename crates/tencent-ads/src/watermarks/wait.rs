//! `add_and_wait` and `wait`: records polled with `watermarks/get`, 100 record ids a
//! request, each record on its own backoff, every poll within the rate limit, until all
//! are done or the timeout passes.
//!
//! Adds and polls overlap: a record is polled as soon as it is due, while later chunks are
//! still being added. When a poll goes out it takes the due records, earliest first, and
//! fills up to 100 with records due within the first-poll interval, so requests are full
//! whenever records are close to due. A record's first poll waits at least as long as the
//! quickest record of this wait took to be seen done (within the backoff's bounds), so
//! that under a tight quota polls are not spent on records that cannot be done yet.

use super::add::{ChunkSent, Input, answers, send_chunk};
use super::records::GET;
use super::report::{Watermark, WatermarkOutcome, WatermarkReport};
use crate::api::Api;
use crate::meta::Response;
use crate::report::{ItemError, ItemResult};
use crate::validate::MAX_FILTER_VALUES;
use crate::wait::WaitOptions;
use crate::wire::{WatermarkRecord, WatermarkStatus, WatermarksGetRequest, WatermarksGetResponse};
use futures_util::stream::{self, FuturesUnordered};
use futures_util::{Stream, StreamExt};
use std::collections::HashMap;
use std::time::Duration;
use tokio::time::Instant;
use tx_core::Error;

/// A report entry as it stands: unset until the material is answered for.
type Slot = Option<Result<Watermark, ItemError>>;

/// A record being waited for.
#[derive(Debug)]
struct Pending {
    /// Its slot in the report.
    slot: usize,
    record_id: String,
    submitted: Instant,
    /// Polls that found it unfinished.
    unfinished: u32,
    due: Instant,
}

/// The state of one wait: every slot's latest result and the records still to poll.
struct Poller {
    opts: WaitOptions,
    slots: Vec<Slot>,
    pending: Vec<Pending>,
    /// The shortest time a record of this wait took from submission to being seen done.
    quickest: Option<Duration>,
    polls: usize,
    error: Option<ItemError>,
}

impl Poller {
    fn new(slots: usize, opts: WaitOptions) -> Poller {
        Poller {
            opts,
            slots: (0..slots).map(|_| None).collect(),
            pending: Vec::new(),
            quickest: None,
            polls: 0,
            error: None,
        }
    }

    fn first_wait(&self) -> Duration {
        let first = self.opts.first_poll();
        self.quickest.map_or(first, |q| q.clamp(first, self.opts.max_interval()))
    }

    /// Takes a slot's result; a processing record is polled from now on.
    fn put(&mut self, slot: usize, result: Result<Watermark, ItemError>, now: Instant) {
        if let Ok(w) = &result
            && w.outcome == WatermarkOutcome::Processing
            && let Some(record_id) = &w.record_id
        {
            let due = now + self.first_wait();
            self.pending.push(Pending { slot, record_id: record_id.clone(), submitted: now, unfinished: 0, due });
        }
        self.slots[slot] = Some(result);
    }

    fn next_due(&self) -> Option<Instant> {
        self.pending.iter().map(|p| p.due).min()
    }

    /// Up to 100 records for one poll, if any is due: the due ones, earliest first, then
    /// those due within the first-poll interval.
    fn take_due(&mut self, now: Instant) -> Option<Vec<Pending>> {
        if !self.pending.iter().any(|p| p.due <= now) {
            return None;
        }
        let horizon = now + self.opts.first_poll();
        self.pending.sort_by_key(|p| p.due);
        let n = self.pending.iter().take(MAX_FILTER_VALUES).take_while(|p| p.due <= horizon).count();
        self.polls += 1;
        Some(self.pending.drain(..n).collect())
    }

    /// Takes in a poll's answer, or its failure.
    fn polled(&mut self, batch: Vec<Pending>, result: Result<Response<WatermarksGetResponse>, Error>, now: Instant) {
        match result {
            Ok(response) => {
                let trace = response.meta.trace_id;
                let mut records: HashMap<String, WatermarkRecord> =
                    response.data.list.into_iter().map(|r| (r.record_id.clone(), r)).collect();
                for mut p in batch {
                    let record = records.remove(&p.record_id);
                    let done = record.as_ref().is_some_and(|r| r.status.is_terminal());
                    if let (Some(record), Some(Some(Ok(w)))) = (record, self.slots.get_mut(p.slot)) {
                        w.update(record, trace.as_deref());
                    }
                    if done {
                        let took = now.saturating_duration_since(p.submitted);
                        self.quickest = Some(self.quickest.map_or(took, |q| q.min(took)));
                    } else {
                        p.unfinished += 1;
                        p.due = p.due.max(now + self.opts.interval(p.unfinished));
                        self.pending.push(p);
                    }
                }
            }
            Err(e) if e.is_retryable() => {
                let wait = e.retry_after().unwrap_or_default();
                tracing::debug!(error = %e, records = batch.len(), "poll failed; the records are polled again later");
                for mut p in batch {
                    p.due = p.due.max(now + wait.max(self.opts.interval(p.unfinished)));
                    self.pending.push(p);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "a poll failed for good: polling stops");
                self.error.get_or_insert_with(|| ItemError::request(&e));
                self.pending.extend(batch);
            }
        }
    }

    /// The results; with `expired`, records not seen done are timed out.
    fn finish(mut self, expired: bool) -> (Vec<Slot>, usize, Option<ItemError>) {
        if expired {
            for w in self.slots.iter_mut().flatten().flatten() {
                if w.outcome == WatermarkOutcome::Processing {
                    w.outcome = WatermarkOutcome::TimedOut;
                }
            }
        }
        (self.slots, self.polls, self.error)
    }
}

/// One poll of `batch`'s records.
async fn poll(
    api: &Api,
    account: i64,
    organization_id: Option<i64>,
    batch: Vec<Pending>,
) -> (Vec<Pending>, Result<Response<WatermarksGetResponse>, Error>) {
    let mut request = WatermarksGetRequest::new(account)
        .with_record_ids(batch.iter().map(|p| p.record_id.as_str()))
        .with_page_size(MAX_FILTER_VALUES as u32);
    request.organization_id = organization_id;
    let result = async {
        request.validate()?;
        api.send(&api.get_call(GET, account, &request)?).await
    }
    .await;
    (batch, result)
}

/// Runs a wait: `adds` feed results (and records to poll) until they end; polls go out
/// as records fall due, at most `batch_concurrency` at once; everything ends when no
/// record is left to poll, polling failed for good, or `deadline` passed (then in-flight
/// polls are dropped and unfinished records time out; adds in flight still complete).
async fn run<A>(
    api: &Api,
    account: i64,
    organization_id: Option<i64>,
    poller: &mut Poller,
    adds: A,
    deadline: Instant,
    mut on_add: impl FnMut(&mut Poller, ChunkSent, Instant),
) -> bool
where
    A: Stream<Item = ChunkSent>,
{
    let mut adds = std::pin::pin!(adds);
    let mut adds_open = true;
    let mut polls = FuturesUnordered::new();
    let capacity = api.batch_concurrency;
    let mut expired = false;
    loop {
        let now = Instant::now();
        if !expired && now >= deadline {
            expired = true;
            polls = FuturesUnordered::new();
        }
        let polling = !expired && poller.error.is_none();
        if polling {
            while polls.len() < capacity {
                let Some(batch) = poller.take_due(now) else { break };
                polls.push(poll(api, account, organization_id, batch));
            }
        }
        let settled = poller.pending.is_empty() || !polling;
        if !adds_open && polls.is_empty() && settled {
            return expired;
        }
        // Wake for the next due record only when a poll could go out for it.
        let wake = match poller.next_due() {
            Some(due) if polling && polls.len() < capacity => due.min(deadline),
            _ => deadline,
        };
        tokio::select! {
            sent = adds.next(), if adds_open => match sent {
                Some(sent) => on_add(poller, sent, Instant::now()),
                None => adds_open = false,
            },
            Some((batch, result)) = polls.next(), if !polls.is_empty() => poller.polled(batch, result, Instant::now()),
            () = tokio::time::sleep_until(wake), if !expired => {}
        }
    }
}

/// `add_and_wait`.
pub(crate) async fn add_and_wait(api: &Api, input: &Input, opts: WaitOptions) -> Result<WatermarkReport, Error> {
    opts.validate()?;
    let deadline = Instant::now() + opts.timeout();
    let chunks = input.chunks();
    let add_requests = chunks.len();
    let mut sends = Vec::with_capacity(add_requests);
    for chunk in chunks {
        sends.push(send_chunk(api, input, chunk, Some(deadline)));
    }
    let adds = stream::iter(sends).buffer_unordered(api.batch_concurrency);
    let mut poller = Poller::new(input.ids.len(), opts);
    let mut answered = false;
    let mut first_error = None;
    let mut reconciled = vec![false; input.ids.len()];
    let on_add = |poller: &mut Poller, (chunk, result): ChunkSent, now: Instant| match result {
        Ok(response) => {
            answered = true;
            let repeat = response.meta.after_unknown_outcome;
            for (slot, r) in answers(input, &chunk, response) {
                reconciled[slot] = repeat;
                poller.put(slot, r, now);
            }
        }
        Err(e) => {
            let err = ItemError::request(&e);
            for slot in chunk {
                poller.put(slot, Err(err.clone()), now);
            }
            first_error.get_or_insert(e);
        }
    };
    let expired = run(api, input.account, input.organization_id, &mut poller, adds, deadline, on_add).await;
    if let (false, Some(e)) = (answered, first_error) {
        return Err(e);
    }
    let (mut slots, polls, error) = poller.finish(expired);
    let items = input.items(&mut slots, &reconciled);
    Ok(WatermarkReport::new(items, input.duplicates.clone(), add_requests, polls, error))
}

/// `wait`: records already added, polled at once and then on the backoff.
pub(crate) async fn wait(
    api: &Api,
    account: i64,
    organization_id: Option<i64>,
    record_ids: Vec<String>,
    opts: WaitOptions,
) -> Result<WatermarkReport, Error> {
    opts.validate()?;
    let start = Instant::now();
    let deadline = start + opts.timeout();
    let (unique, duplicates) = tx_core::batch::dedupe(&record_ids, String::as_str);
    let mut poller = Poller::new(record_ids.len(), opts);
    for &i in &unique {
        let w = Watermark {
            outcome: WatermarkOutcome::Processing,
            status: WatermarkStatus::Processing,
            record_id: Some(record_ids[i].clone()),
            result_material_id: None,
            result_material_url: None,
            reason: None,
            material_name: None,
            material_md5: None,
            trace_id: None,
        };
        poller.slots[i] = Some(Ok(w));
        let record_id = record_ids[i].clone();
        poller.pending.push(Pending { slot: i, record_id, submitted: start, unfinished: 0, due: start });
    }
    let none = stream::empty::<ChunkSent>();
    let expired = run(api, account, organization_id, &mut poller, none, deadline, |_, _, _| {}).await;
    let (mut slots, polls, error) = poller.finish(expired);
    let items = unique
        .iter()
        .map(|&i| ItemResult::new(&record_ids[i], i, slots[i].take().unwrap_or_else(|| Err(ItemError::missing()))))
        .collect();
    Ok(WatermarkReport::new(items, duplicates, 0, polls, error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::Meta;
    use crate::wire::PageInfo;

    fn processing(record: &str) -> Result<Watermark, ItemError> {
        Ok(Watermark {
            outcome: WatermarkOutcome::Processing,
            status: WatermarkStatus::Processing,
            record_id: Some(record.to_owned()),
            result_material_id: None,
            result_material_url: None,
            reason: None,
            material_name: None,
            material_md5: None,
            trace_id: None,
        })
    }

    fn answer(records: &[(&str, WatermarkStatus)]) -> Result<Response<WatermarksGetResponse>, Error> {
        let list = records
            .iter()
            .map(|(id, status)| WatermarkRecord {
                record_id: (*id).to_owned(),
                status: status.clone(),
                original_material_id: None,
                material_name: None,
                original_material_url: None,
                result_material_id: (*status == WatermarkStatus::Success).then(|| format!("result-{id}")),
                result_material_url: None,
            })
            .collect();
        Ok(Response { data: WatermarksGetResponse { list, page_info: PageInfo::default() }, meta: Meta::default() })
    }

    #[tokio::test(start_paused = true)]
    async fn polls_take_due_records_and_fill_up_with_nearly_due_ones() {
        let mut p = Poller::new(300, WaitOptions::default());
        let t0 = Instant::now();
        for i in 0..150 {
            p.put(i, processing(&format!("r{i}")), t0);
        }
        assert!(p.take_due(t0).is_none(), "nothing is due before the first poll");
        assert!(p.take_due(t0 + Duration::from_millis(1999)).is_none());
        let later = t0 + Duration::from_secs(3);
        for i in 150..160 {
            p.put(i, processing(&format!("r{i}")), later);
        }
        for i in 160..170 {
            p.put(i, processing(&format!("r{i}")), later + Duration::from_secs(5));
        }
        let first = p.take_due(later).unwrap();
        assert_eq!(first.len(), 100);
        let second = p.take_due(later).unwrap();
        assert_eq!(second.len(), 60, "50 due, and 10 due within the first-poll interval");
        assert!(p.take_due(later).is_none(), "the rest is due later");
        assert_eq!((p.polls, p.pending.len()), (2, 10));
    }

    #[tokio::test(start_paused = true)]
    async fn backoff_per_record_and_the_first_poll_learns_from_the_quickest_record() {
        let mut p = Poller::new(3, WaitOptions::default());
        let t0 = Instant::now();
        p.put(0, processing("r0"), t0);
        let at = |s: u64| t0 + Duration::from_secs(s);
        let batch = p.take_due(at(2)).unwrap();
        p.polled(batch, answer(&[("r0", WatermarkStatus::Processing)]), at(2));
        assert_eq!(p.next_due(), Some(at(6)), "2 s, then 4 s");
        let batch = p.take_due(at(6)).unwrap();
        p.polled(batch, answer(&[]), at(6));
        assert_eq!(p.next_due(), Some(at(14)), "a record missing from the answer is polled again, 8 s later");
        let batch = p.take_due(at(14)).unwrap();
        p.polled(batch, answer(&[("r0", WatermarkStatus::Success)]), at(14));
        assert!(p.pending.is_empty());
        let w = p.slots[0].as_ref().unwrap().as_ref().unwrap();
        assert_eq!((w.outcome, w.result_material_id.as_deref()), (WatermarkOutcome::Success, Some("result-r0")));
        // Seen done 14 s after submission: later records are first polled 14 s after theirs.
        p.put(1, processing("r1"), at(20));
        assert_eq!(p.next_due(), Some(at(34)));
        p.quickest = Some(Duration::from_secs(300));
        p.put(2, processing("r2"), at(20));
        assert_eq!(p.pending.iter().map(|x| x.due).max(), Some(at(50)), "capped at the longest interval");
    }

    #[tokio::test(start_paused = true)]
    async fn failed_polls_are_retried_later_or_stop_polling() {
        let mut p = Poller::new(2, WaitOptions::default());
        let t0 = Instant::now();
        p.put(0, processing("r0"), t0);
        p.put(1, processing("r1"), t0);
        let batch = p.take_due(t0 + Duration::from_secs(2)).unwrap();
        let held = Error::throttled("held").with_retryable(true, Some(Duration::from_secs(300))).with_not_sent();
        p.polled(batch, Err(held), t0 + Duration::from_secs(2));
        assert_eq!(p.next_due(), Some(t0 + Duration::from_secs(302)), "the hold is waited out");
        let batch = p.take_due(t0 + Duration::from_secs(302)).unwrap();
        p.polled(batch, Err(Error::api(tx_core::ErrorKind::Auth, 11002, "bad token")), t0 + Duration::from_secs(302));
        assert_eq!(p.error.as_ref().and_then(ItemError::code).map(|c| c.code()), Some(11002));
        assert_eq!(p.pending.len(), 2, "kept, unfinished");
        let (slots, polls, error) = p.finish(true);
        assert_eq!(polls, 2);
        assert!(error.is_some());
        assert!(slots.iter().all(|s| s.as_ref().unwrap().as_ref().unwrap().outcome == WatermarkOutcome::TimedOut));
    }
}
