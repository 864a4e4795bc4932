//! Moderation at scale: a stream of (From, To) pairs in, a stream of per-pair results
//! out, in bounded memory, with bounded requests in flight, within the rate limit.
//!
//! How a bulk run works:
//! 1. Input pairs are numbered and read in *windows* of at most [`Bulk::window`] pairs
//!    (fewer when the input is slow, e.g. a terminal: whatever is ready is taken).
//! 2. In a window, each pair is validated (a refused pair becomes a failed result),
//!    repeats of a (From, To) pair become [`PairOutcome::Duplicate`] results, and the rest
//!    are grouped by From and split into requests of at most 1000 targets.
//! 3. At most [`Bulk::max_in_flight`] requests are in flight; the client's rate limiter
//!    paces them. Items failing with retryable codes are re-sent as in batch calls.
//! 4. Results stream out as requests complete (each carries its input index), a progress
//!    callback sees running totals, and the stream's [`BulkStream::summary`] holds them.
//!
//! A request that fails as a whole fails its items, except when the failure says the
//! configuration is wrong (bad key, unknown SDKAppID, wrong region, not an admin): then
//! the stream yields that error and ends, rather than failing a million items one by one.
//!
//! Memory holds one window plus the requests in flight, whatever the input's length.
//! Duplicates are found within a window; a repeat further apart is sent again (for an
//! add, the server then answers it with 30001, already exists).

mod outcome;
mod pair;
mod plan;

pub use outcome::{BulkSummary, PairOutcome, PairResult};
pub use pair::{IntoPair, Pair};

use crate::batch::{BatchOp, ChunkOutcome, send_chunk};
use crate::client::Client;
use crate::code::ErrorCode;
use crate::report::ItemError;
use futures_util::future::{self, BoxFuture, Either};
use futures_util::stream::{self, BoxStream};
use futures_util::{FutureExt, Stream, StreamExt};
use plan::{Work, plan};
use std::collections::HashMap;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tx_core::{Error, ErrorKind};

/// Pairs read per window by default.
pub const DEFAULT_WINDOW: usize = 10_000;

/// Requests in flight by default. At 200 calls/s and 50 ms per call about 10 are busy;
/// the rest wait for the rate limiter without holding a connection.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 32;

type Progress = Arc<dyn Fn(&BulkSummary) + Send + Sync>;

/// Sends one From's chunk: erases the endpoint's batch op.
type SendChunk<T> = Arc<
    dyn Fn(Client, String, Vec<(usize, String)>) -> BoxFuture<'static, Result<ChunkOutcome<T>, Error>> + Send + Sync,
>;

/// A bulk run, ready to start. Built by [`crate::Blocklist::add_many`],
/// [`crate::Blocklist::delete_many`] and [`crate::Blocklist::check_many`].
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use futures_util::{stream, TryStreamExt};
/// use tim_sns::Pair;
///
/// // Block one spammer for a million users, printing one JSON line per pair.
/// let users = (0..1_000_000).map(|i| format!("user{i}"));
/// let mut results = tim
///     .blocklist()
///     .add_many(stream::iter(Pair::fan_in(users, "spammer")))
///     .max_in_flight(32)
///     .on_progress(|s| eprint!("\r{} done, {} failed", s.done, s.failed))
///     .stream();
/// while let Some(result) = results.try_next().await? {
///     println!("{}", serde_json::to_string(&result)?);
/// }
/// let summary = results.summary();
/// eprintln!("\n{} succeeded, {} failed in {:?}", summary.succeeded, summary.failed, summary.elapsed);
/// # Ok(()) }
/// ```
#[must_use = "a bulk run does nothing until streamed or run"]
pub struct Bulk<T> {
    client: Client,
    input: BoxStream<'static, Result<Pair, Error>>,
    send: SendChunk<T>,
    max_chunk: usize,
    window: usize,
    max_in_flight: usize,
    progress: Option<Progress>,
}

impl<T> fmt::Debug for Bulk<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bulk")
            .field("client", &self.client)
            .field("max_chunk", &self.max_chunk)
            .field("window", &self.window)
            .field("max_in_flight", &self.max_in_flight)
            .field("progress", &self.progress.is_some())
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Bulk<T> {
    pub(crate) fn new<S, P, B, F>(client: &Client, input: S, op: F) -> Bulk<T>
    where
        S: Stream<Item = P> + Send + 'static,
        P: IntoPair + 'static,
        B: BatchOp<Item = String, Value = T> + Send + 'static,
        F: Fn(String) -> B + Send + Sync + 'static,
    {
        let send: SendChunk<T> = Arc::new(move |client: Client, from: String, items: Vec<(usize, String)>| {
            let op = op(from);
            async move {
                let refs: Vec<(usize, &String)> = items.iter().map(|(i, to)| (*i, to)).collect();
                send_chunk(&client, &op, refs).await
            }
            .boxed()
        });
        Bulk {
            client: client.clone(),
            input: input.map(IntoPair::into_pair).boxed(),
            send,
            max_chunk: B::MAX_CHUNK,
            window: DEFAULT_WINDOW,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            progress: None,
        }
    }

    /// Pairs read (and grouped) at a time, at least 1 (default [`DEFAULT_WINDOW`]).
    /// Bigger windows group more targets of one From into a request and find more
    /// duplicates; memory grows with it.
    pub fn window(mut self, pairs: usize) -> Self {
        self.window = pairs.max(1);
        self
    }

    /// Requests in flight at once, at least 1 (default [`DEFAULT_MAX_IN_FLIGHT`]).
    pub fn max_in_flight(mut self, requests: usize) -> Self {
        self.max_in_flight = requests.max(1);
        self
    }

    /// Called with the running totals after every answered request.
    pub fn on_progress(mut self, f: impl Fn(&BulkSummary) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// Starts the run: per-pair results as a stream, in completion order (each carries its
    /// input index). The stream yields an `Err` and ends if the configuration is wrong.
    pub fn stream(self) -> BulkStream<T> {
        let summary = Arc::new(Mutex::new(BulkSummary::default()));
        let start = tokio::time::Instant::now();
        let Bulk { client, input, send, max_chunk, window, max_in_flight, progress } = self;
        let read = Arc::clone(&summary);
        let work = input
            .enumerate()
            .inspect(move |_| lock(&read).read += 1)
            .ready_chunks(window)
            .flat_map(move |w| stream::iter(plan(w, max_chunk)))
            .map(move |work| match work {
                Work::Ready(r) => Either::Left(future::ready(Ok(Batch { results: vec![r], requests: 0 }))),
                Work::Send { from, items } => Either::Right(run_chunk(client.clone(), Arc::clone(&send), from, items)),
            })
            .buffer_unordered(max_in_flight);
        let totals = Arc::clone(&summary);
        let mut stopped = false;
        let results = work
            .map(move |batch| {
                let mut s = lock(&totals);
                s.elapsed = start.elapsed();
                let out = match batch {
                    Ok(b) => {
                        s.requests += b.requests;
                        for r in &b.results {
                            s.record(r);
                        }
                        Either::Left(stream::iter(b.results.into_iter().map(Ok)))
                    }
                    Err(e) => {
                        s.requests += 1;
                        s.aborted = true;
                        s.finished = true;
                        Either::Right(stream::once(future::ready(Err(e))))
                    }
                };
                if let Some(p) = &progress {
                    let snapshot = s.clone();
                    drop(s);
                    p(&snapshot);
                }
                out
            })
            .flatten()
            .take_while(move |r| {
                let keep = !stopped;
                stopped |= r.is_err();
                future::ready(keep)
            });
        let finished = Arc::clone(&summary);
        let results = results
            .map(Some)
            .chain(stream::once(future::lazy(move |_| {
                let mut s = lock(&finished);
                s.finished = true;
                s.elapsed = start.elapsed();
                None
            })))
            .filter_map(future::ready)
            .boxed();
        BulkStream { inner: results, summary }
    }

    /// Runs to the end without keeping per-pair results, and returns the summary. A
    /// configuration error stops the run and is returned.
    pub async fn run(self) -> Result<BulkSummary, Error> {
        let mut s = self.stream();
        while let Some(r) = s.next().await {
            r?;
        }
        Ok(s.summary())
    }
}

fn lock(m: &Mutex<BulkSummary>) -> std::sync::MutexGuard<'_, BulkSummary> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The results of a bulk run as they complete. See [`Bulk`].
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
/// use futures_util::{stream, StreamExt};
/// let mut results = tim.blocklist().add_many(stream::iter([("alice", "bob")])).stream();
/// while let Some(r) = results.next().await {
///     let r = r?; // Err only for a configuration error, which ends the run
///     # let _ = r;
/// }
/// assert!(results.summary().finished);
/// # Ok(()) }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct BulkStream<T> {
    inner: BoxStream<'static, Result<PairResult<T>, Error>>,
    summary: Arc<Mutex<BulkSummary>>,
}

impl<T> fmt::Debug for BulkStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkStream").field("summary", &*lock(&self.summary)).finish_non_exhaustive()
    }
}

impl<T> BulkStream<T> {
    /// The running totals (final once the stream has ended).
    pub fn summary(&self) -> BulkSummary {
        lock(&self.summary).clone()
    }
}

impl<T> Stream for BulkStream<T> {
    type Item = Result<PairResult<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().inner.poll_next_unpin(cx)
    }
}

/// The results of one answered request (or one result reported without a request).
struct Batch<T> {
    results: Vec<PairResult<T>>,
    requests: u64,
}

/// Whether a whole-request failure means no later request can succeed either.
fn is_fatal(e: &Error) -> bool {
    e.kind() == ErrorKind::Auth || e.code().is_some_and(|c| ErrorCode::from(c).is_configuration_error())
}

async fn run_chunk<T>(
    client: Client,
    send: SendChunk<T>,
    from: String,
    items: Vec<(usize, String)>,
) -> Result<Batch<T>, Error> {
    let positions: Vec<usize> = items.iter().map(|(i, _)| *i).collect();
    let outcome = send(client, from.clone(), items.clone()).await;
    let (results, requests) = match outcome {
        Ok(o) => (o.results, o.requests as u64),
        Err(e) if is_fatal(&e) => return Err(e),
        Err(e) => {
            let err = ItemError::request(&e);
            (positions.iter().map(|&i| (i, Err(err.clone()))).collect(), 1)
        }
    };
    let mut to_by_index: HashMap<usize, String> = items.into_iter().collect();
    let results = results
        .into_iter()
        .map(|(index, r)| PairResult {
            index,
            from: from.clone(),
            to: to_by_index.remove(&index).unwrap_or_default(),
            outcome: match r {
                Ok(v) => PairOutcome::Ok(v),
                Err(e) => PairOutcome::Failed(e),
            },
        })
        .collect();
    Ok(Batch { results, requests })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fatal_errors_are_configuration_errors() {
        assert!(is_fatal(&Error::api(ErrorKind::Auth, 70009, "x")));
        assert!(is_fatal(&Error::api(ErrorKind::Api, 30004, "x")));
        assert!(!is_fatal(&Error::api(ErrorKind::Api, 30006, "x")));
        assert!(!is_fatal(&Error::api(ErrorKind::Throttled, 60007, "x")));
    }
}
