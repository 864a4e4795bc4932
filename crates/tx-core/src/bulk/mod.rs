//! Work at scale: a stream of items in, one record per item out, in bounded memory, with
//! bounded requests in flight, within the rate limit. Written once; a platform supplies
//! only the [`Planner`].
//!
//! How a run works:
//! 1. Input items are numbered and read in *windows* of at most [`Bulk::window`] items
//!    (fewer when the input is slow: whatever is ready is taken).
//! 2. The planner turns a window into work: records known at once (refused input,
//!    repeats) and *units* to run (a request's worth of items: TIM pairs of one From,
//!    one WeChat authorizer, Ads materials of one account).
//! 3. At most [`Bulk::max_in_flight`] units run at once; the client's rate limiter paces
//!    their requests. Records stream out as units complete (each carries its input index),
//!    a progress callback sees running totals, and [`BulkStream::summary`] holds them.
//!
//! **Every item read appears in exactly one record, however the run ends.** When a unit
//! reports a failure that dooms every later call (bad key, wrong app), when
//! [`StopHandle::stop`] is called (a signal), or when the input fails to be read: no new
//! unit starts, the units in flight finish and report, and every item not sent (planned,
//! or still unread) gets a [`Outcome::NotAttempted`] record. The stream then yields the
//! fatal error (if any) as its last item. An input `Err` whose kind is
//! [`ErrorKind::InvalidInput`] is that item's failure, not the input's: the run goes on.

mod record;
mod runner;

pub use record::{BulkSummary, Outcome, Record, StopReason};
pub use runner::{BulkStream, StopHandle};

use crate::error::{Error, ErrorKind};
use crate::open_enum::PlatformCode;
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt};
use std::fmt;
use std::sync::Arc;

/// Items read per window by default.
pub const DEFAULT_WINDOW: usize = 10_000;

/// Units in flight by default. At 200 calls/s and 50 ms per call about 10 are busy; the
/// rest wait for the rate limiter without holding a connection.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 32;

/// What a planner decides about part of a window.
#[derive(Debug)]
pub enum Work<I, V, C> {
    /// A record known without sending anything (refused input, a repeat).
    Done(Record<I, V, C>),
    /// Items to send together, numbered by input position.
    Run(Vec<(usize, I)>),
}

/// What running a unit gave.
#[derive(Debug)]
pub struct UnitOutcome<I, V, C> {
    /// One record per item of the unit.
    pub records: Vec<Record<I, V, C>>,
    /// HTTP requests the unit made.
    pub requests: u64,
    /// A failure that dooms every later call: the run stops after this unit.
    pub fatal: Option<Error>,
}

/// A platform's part in a bulk run: how a window becomes work, and how a unit runs.
pub trait Planner: Send + Sync + 'static {
    /// An input item (a pair, an authorizer appid, a material).
    type Item: Send + 'static;
    /// What a successful item yields.
    type Value: Send + 'static;
    /// The platform's codes.
    type Code: PlatformCode;

    /// Validates, dedupes and groups one window of numbered input. Every item of the
    /// window must appear in exactly one `Work`.
    fn plan(&self, window: Vec<(usize, Result<Self::Item, Error>)>) -> Vec<Work<Self::Item, Self::Value, Self::Code>>;

    /// Runs one unit; every item of it must appear in exactly one record of the outcome.
    fn run(
        &self,
        unit: Vec<(usize, Self::Item)>,
    ) -> BoxFuture<'static, UnitOutcome<Self::Item, Self::Value, Self::Code>>;
}

type Progress = Arc<dyn Fn(&BulkSummary) + Send + Sync>;

/// A bulk run, ready to start. Platform crates build it (e.g. `tim.blocklist().add_many(…)`).
#[must_use = "a bulk run does nothing until streamed or run"]
pub struct Bulk<P: Planner> {
    planner: Arc<P>,
    input: BoxStream<'static, Result<P::Item, Error>>,
    window: usize,
    max_in_flight: usize,
    progress: Option<Progress>,
    stop: StopHandle,
}

impl<P: Planner> fmt::Debug for Bulk<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bulk")
            .field("window", &self.window)
            .field("max_in_flight", &self.max_in_flight)
            .field("progress", &self.progress.is_some())
            .finish_non_exhaustive()
    }
}

impl<P: Planner> Bulk<P> {
    /// A run of `planner` over `input`.
    pub fn new<S>(planner: P, input: S) -> Bulk<P>
    where
        S: Stream<Item = Result<P::Item, Error>> + Send + 'static,
    {
        Bulk {
            planner: Arc::new(planner),
            input: input.boxed(),
            window: DEFAULT_WINDOW,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            progress: None,
            stop: StopHandle::default(),
        }
    }

    /// Items read (and grouped) at a time, at least 1 (default [`DEFAULT_WINDOW`]).
    /// Bigger windows group more items into a request and find more duplicates; memory
    /// grows with it.
    pub fn window(mut self, items: usize) -> Self {
        self.window = items.max(1);
        self
    }

    /// Units in flight at once, at least 1 (default [`DEFAULT_MAX_IN_FLIGHT`]).
    pub fn max_in_flight(mut self, units: usize) -> Self {
        self.max_in_flight = units.max(1);
        self
    }

    /// Called with the running totals after every completed unit.
    pub fn on_progress(mut self, f: impl Fn(&BulkSummary) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// A handle that stops the run from outside (e.g. on SIGINT), keeping every item
    /// accounted for. Take it before starting the run.
    pub fn stop_handle(&self) -> StopHandle {
        self.stop.clone()
    }

    /// Starts the run: records as a stream, in completion order (each carries its input
    /// index). After every record, a fatal error, if any, is the last item.
    pub fn stream(self) -> BulkStream<P> {
        BulkStream::start(self.planner, self.input, self.window, self.max_in_flight, self.progress, self.stop)
    }

    /// Runs to the end without keeping the records, and returns the summary; a fatal
    /// error is returned instead (after every item was accounted for).
    pub async fn run(self) -> Result<BulkSummary, Error> {
        let mut s = self.stream();
        while let Some(r) = s.next().await {
            r?;
        }
        Ok(s.summary())
    }
}

/// Whether an input `Err` is about the item alone (the run goes on) or about the input.
fn is_item_error(e: &Error) -> bool {
    e.kind() == ErrorKind::InvalidInput
}

#[cfg(test)]
mod tests;
