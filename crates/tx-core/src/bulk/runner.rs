//! The state machine of a bulk run: read windows, plan, run units, account for everything.

use super::record::{BulkSummary, Outcome, Record, StopReason};
use super::{Planner, Progress, UnitOutcome, Work, is_item_error};
use crate::batch::ItemError;
use crate::error::Error;
use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream, Fuse, FuturesUnordered};
use futures_util::{FutureExt, Stream, StreamExt};
use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::sync::Notify;
use tokio::time::Instant;

type RecordOf<P> = Record<<P as Planner>::Item, <P as Planner>::Value, <P as Planner>::Code>;
type UnitFuture<P> = BoxFuture<'static, UnitOutcome<<P as Planner>::Item, <P as Planner>::Value, <P as Planner>::Code>>;

/// Stops a bulk run from outside: no new unit starts, the units in flight finish, and
/// every item not sent gets a `not_attempted` record. Cheap to clone.
///
/// ```no_run
/// # async fn demo(run: tx_core::bulk::Bulk<impl tx_core::bulk::Planner>) {
/// let stop = run.stop_handle();
/// tokio::spawn(async move {
///     // e.g. tokio::signal::ctrl_c().await, or a time budget:
///     tokio::time::sleep(std::time::Duration::from_secs(600)).await;
///     stop.stop();
/// });
/// let summary = run.run().await;
/// # }
/// ```
#[derive(Clone, Default)]
pub struct StopHandle {
    inner: Arc<StopInner>,
}

#[derive(Default)]
struct StopInner {
    stopped: AtomicBool,
    notify: Notify,
}

impl fmt::Debug for StopHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StopHandle").field("stopped", &self.is_stopped()).finish()
    }
}

impl StopHandle {
    /// Asks the run to stop.
    pub fn stop(&self) {
        self.inner.stopped.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    /// Whether the run was asked to stop.
    pub fn is_stopped(&self) -> bool {
        self.inner.stopped.load(Ordering::SeqCst)
    }

    async fn wait(&self) {
        loop {
            let notified = self.inner.notify.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            if self.is_stopped() {
                return;
            }
            notified.await;
        }
    }
}

/// The records of a bulk run as they complete. See [`super::Bulk`].
#[must_use = "streams do nothing unless polled"]
pub struct BulkStream<P: Planner> {
    inner: BoxStream<'static, Result<RecordOf<P>, Error>>,
    summary: Arc<Mutex<BulkSummary>>,
    stop: StopHandle,
}

impl<P: Planner> fmt::Debug for BulkStream<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkStream").field("summary", &*lock(&self.summary)).finish_non_exhaustive()
    }
}

impl<P: Planner> BulkStream<P> {
    pub(super) fn start(
        planner: Arc<P>,
        input: BoxStream<'static, Result<P::Item, Error>>,
        window: usize,
        max_in_flight: usize,
        progress: Option<Progress>,
        stop: StopHandle,
    ) -> Self {
        let summary = Arc::new(Mutex::new(BulkSummary::default()));
        let run = Run {
            planner,
            input: input.fuse(),
            next_index: 0,
            input_done: false,
            window,
            max_in_flight,
            queue: VecDeque::new(),
            in_flight: FuturesUnordered::new(),
            out: VecDeque::new(),
            stopping: false,
            fatal: None,
            summary: Arc::clone(&summary),
            progress,
            stop: stop.clone(),
            start: Instant::now(),
            ended: false,
        };
        let inner = stream::unfold(run, |mut run| async move {
            let item = run.next().await?;
            Some((item, run))
        })
        .boxed();
        BulkStream { inner, summary, stop }
    }

    /// The running totals (final once the stream has ended).
    pub fn summary(&self) -> BulkSummary {
        lock(&self.summary).clone()
    }

    /// A handle that stops the run.
    pub fn stop_handle(&self) -> StopHandle {
        self.stop.clone()
    }
}

impl<P: Planner> Stream for BulkStream<P> {
    type Item = Result<RecordOf<P>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().inner.poll_next_unpin(cx)
    }
}

fn lock(m: &Mutex<BulkSummary>) -> std::sync::MutexGuard<'_, BulkSummary> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

struct Run<P: Planner> {
    planner: Arc<P>,
    input: Fuse<BoxStream<'static, Result<P::Item, Error>>>,
    next_index: usize,
    input_done: bool,
    window: usize,
    max_in_flight: usize,
    /// Planned work of the current window, not started yet.
    queue: VecDeque<Work<P::Item, P::Value, P::Code>>,
    in_flight: FuturesUnordered<UnitFuture<P>>,
    /// Records counted but not yet yielded.
    out: VecDeque<RecordOf<P>>,
    stopping: bool,
    /// The fatal error, yielded after the last record.
    fatal: Option<Error>,
    summary: Arc<Mutex<BulkSummary>>,
    progress: Option<Progress>,
    stop: StopHandle,
    start: Instant,
    ended: bool,
}

impl<P: Planner> Run<P> {
    async fn next(&mut self) -> Option<Result<RecordOf<P>, Error>> {
        loop {
            if let Some(record) = self.out.pop_front() {
                return Some(Ok(record));
            }
            if self.ended {
                return self.fatal.take().map(Err);
            }
            if !self.stopping && self.stop.is_stopped() {
                self.begin_stop(StopReason::Stopped, None);
            }
            if self.stopping {
                self.wind_down().await;
                continue;
            }
            while self.in_flight.len() < self.max_in_flight
                && let Some(work) = self.queue.pop_front()
            {
                match work {
                    Work::Done(record) => self.emit(record),
                    Work::Run(unit) => self.in_flight.push(self.planner.run(unit)),
                }
            }
            if !self.out.is_empty() {
                continue;
            }
            let want_input = self.queue.is_empty() && !self.input_done;
            if !want_input && self.in_flight.is_empty() && self.queue.is_empty() {
                return self.finish();
            }
            tokio::select! {
                biased;
                () = self.stop.wait() => self.begin_stop(StopReason::Stopped, None),
                Some(outcome) = self.in_flight.next(), if !self.in_flight.is_empty() => self.absorb(outcome),
                first = self.input.next(), if want_input => self.take_window(first),
            }
        }
    }

    /// After a stop: the queue is not started, units in flight finish, unread input is
    /// read to its end; everything not sent becomes `not_attempted`.
    async fn wind_down(&mut self) {
        if let Some(work) = self.queue.pop_front() {
            match work {
                Work::Done(record) => self.emit(record),
                Work::Run(unit) => {
                    for (index, item) in unit {
                        self.emit(Record::new(index, Some(item), Outcome::NotAttempted));
                    }
                }
            }
        } else if let Some(outcome) = self.in_flight.next().await {
            self.absorb(outcome);
        } else if !self.input_done {
            match self.input.next().await {
                None => self.input_done = true,
                Some(Ok(item)) => {
                    let index = self.number();
                    self.emit(Record::new(index, Some(item), Outcome::NotAttempted));
                }
                Some(Err(e)) if is_item_error(&e) => {
                    let index = self.number();
                    self.emit(Record::new(index, None, Outcome::Failed(ItemError::invalid(&e))));
                }
                Some(Err(e)) => {
                    // The rest of the input cannot be read: its items cannot be named.
                    self.input_done = true;
                    tracing::warn!(error = %e, "bulk input failed while winding down");
                }
            }
        } else {
            self.finish_in_place();
        }
    }

    /// Reads one window: `first`, then whatever else is ready, up to the window size.
    fn take_window(&mut self, first: Option<Result<P::Item, Error>>) {
        let mut window = Vec::new();
        let mut next = first;
        loop {
            match next {
                None => {
                    self.input_done = true;
                    break;
                }
                Some(Err(e)) if !is_item_error(&e) => {
                    self.input_done = true;
                    self.begin_stop(StopReason::InputFailed(e.to_string()), Some(e));
                    break;
                }
                Some(item) => {
                    let index = self.number();
                    window.push((index, item));
                }
            }
            if window.len() >= self.window {
                break;
            }
            match self.input.next().now_or_never() {
                Some(item) => next = item,
                None => break,
            }
        }
        if !window.is_empty() {
            self.queue.extend(self.planner.plan(window));
        }
    }

    fn number(&mut self) -> usize {
        let index = self.next_index;
        self.next_index += 1;
        lock(&self.summary).read += 1;
        index
    }

    fn absorb(&mut self, outcome: UnitOutcome<P::Item, P::Value, P::Code>) {
        lock(&self.summary).requests += outcome.requests;
        for record in outcome.records {
            self.emit(record);
        }
        if let Some(e) = outcome.fatal {
            self.begin_stop(StopReason::Fatal(e.to_string()), Some(e));
        }
        self.report_progress();
    }

    fn begin_stop(&mut self, reason: StopReason, fatal: Option<Error>) {
        if !self.stopping {
            self.stopping = true;
            lock(&self.summary).stopped = Some(reason);
            self.fatal = fatal;
        }
    }

    /// Counts `record` and queues it for yielding.
    fn emit(&mut self, record: RecordOf<P>) {
        {
            let mut s = lock(&self.summary);
            s.record(&record);
            s.elapsed = self.start.elapsed();
        }
        self.out.push_back(record);
    }

    fn report_progress(&self) {
        if let Some(progress) = &self.progress {
            let snapshot = lock(&self.summary).clone();
            progress(&snapshot);
        }
    }

    fn finish_in_place(&mut self) {
        if !self.ended {
            self.ended = true;
            {
                let mut s = lock(&self.summary);
                s.finished = true;
                s.elapsed = self.start.elapsed();
            }
            self.report_progress();
        }
    }

    /// Ends the run: the fatal error, if any, is the last item.
    fn finish(&mut self) -> Option<Result<RecordOf<P>, Error>> {
        self.finish_in_place();
        self.fatal.take().map(Err)
    }
}
