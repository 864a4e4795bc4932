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

use crate::batch::{BatchOp, ChunkOutcome, send_chunk};
use crate::client::Client;
use crate::code::ErrorCode;
use crate::ids;
use crate::report::{ItemError, kind_name};
use futures_util::future::{self, BoxFuture, Either};
use futures_util::stream::{self, BoxStream};
use futures_util::{FutureExt, Stream, StreamExt};
use serde::Serialize;
use serde::ser::SerializeStruct;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tx_core::{Error, ErrorKind};

/// Pairs read per window by default.
pub const DEFAULT_WINDOW: usize = 10_000;

/// Requests in flight by default. At 200 calls/s and 50 ms per call about 10 are busy;
/// the rest wait for the rate limiter without holding a connection.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 32;

/// One (From, To) pair of bulk input.
///
/// ```
/// use tim_sns::Pair;
/// assert_eq!(Pair::parse_line("alice bob")?, Pair::new("alice", "bob"));
/// assert_eq!(Pair::parse_line("alice,bob")?, Pair::new("alice", "bob"));
/// assert_eq!(Pair::parse_line("  alice\tbob \r\n")?, Pair::new("alice", "bob"));
/// assert!(Pair::parse_line("alice").is_err());
/// let fan: Vec<Pair> = Pair::fan_out("alice", ["bob", "carol"]).collect();
/// assert_eq!(fan[1], Pair::new("alice", "carol"));
/// let fan: Vec<Pair> = Pair::fan_in(["bob", "carol"], "spammer").collect();
/// assert_eq!(fan[0], Pair::new("bob", "spammer"));
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Pair {
    /// The account whose list is changed or checked (`From_Account`).
    pub from: String,
    /// The other account (`To_Account`).
    pub to: String,
}

impl Pair {
    /// A pair.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Pair {
        Pair { from: from.into(), to: to.into() }
    }

    /// Parses a line `FROM TO`, `FROM,TO` or `FROM<TAB>TO` (surrounding whitespace and a
    /// line ending ignored). The ids themselves are checked when the pair is processed.
    pub fn parse_line(line: &str) -> Result<Pair, Error> {
        let line = line.trim();
        let mut parts = line.split(|c: char| c == ',' || c.is_whitespace()).filter(|p| !p.is_empty());
        match (parts.next(), parts.next(), parts.next()) {
            (Some(from), Some(to), None) => Ok(Pair::new(from, to)),
            _ => Err(Error::invalid_input("line", format_args!("{line:?} is not `FROM TO`"))),
        }
    }

    /// `from` paired with each of `to`: one account's list against many.
    pub fn fan_out<I, S>(from: impl Into<String>, to: I) -> impl Iterator<Item = Pair>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let from = from.into();
        to.into_iter().map(move |t| Pair::new(from.clone(), t))
    }

    /// Each of `from` paired with `to`: e.g. block one account for many users.
    pub fn fan_in<I, S>(from: I, to: impl Into<String>) -> impl Iterator<Item = Pair>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let to = to.into();
        from.into_iter().map(move |f| Pair::new(f, to.clone()))
    }
}

impl<A: Into<String>, B: Into<String>> From<(A, B)> for Pair {
    fn from((from, to): (A, B)) -> Pair {
        Pair::new(from, to)
    }
}

/// What bulk input may hold: pairs, tuples, or parse results (a line that did not parse
/// becomes a failed result at its index instead of stopping the run).
pub trait IntoPair {
    /// The pair, or why this input item is not one.
    fn into_pair(self) -> Result<Pair, Error>;
}

impl IntoPair for Pair {
    fn into_pair(self) -> Result<Pair, Error> {
        Ok(self)
    }
}

impl<A: Into<String>, B: Into<String>> IntoPair for (A, B) {
    fn into_pair(self) -> Result<Pair, Error> {
        Ok(self.into())
    }
}

impl<P: IntoPair> IntoPair for Result<P, Error> {
    fn into_pair(self) -> Result<Pair, Error> {
        self.and_then(IntoPair::into_pair)
    }
}

/// The outcome of one input pair.
#[derive(Debug, Clone, PartialEq)]
pub enum PairOutcome<T> {
    /// Done; for checks, the relation.
    Ok(T),
    /// Failed (its code, or the failure of its request, or a refused input).
    Failed(ItemError),
    /// The same pair appeared earlier in the window, at `first_index`; it was sent once.
    Duplicate {
        /// Where the pair first appeared.
        first_index: usize,
    },
}

/// The result of one input pair.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PairResult<T> {
    /// The pair's position in the input, from 0.
    pub index: usize,
    /// `From_Account` (empty if the input item was not a pair).
    pub from: String,
    /// `To_Account` (empty if the input item was not a pair).
    pub to: String,
    /// What happened.
    pub outcome: PairOutcome<T>,
}

impl<T> PairResult<T> {
    /// Whether the pair succeeded.
    pub fn is_ok(&self) -> bool {
        matches!(self.outcome, PairOutcome::Ok(_))
    }
}

/// One JSON object per result, for JSON-lines output:
/// `{"index":0,"from":"a","to":"b","status":"ok","value":…}`, `"status":"failed"` with
/// `"error":{kind, code, message, request_failed}`, or `"status":"duplicate"` with
/// `"first_index"`.
impl<T: Serialize> Serialize for PairResult<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("PairResult", 5)?;
        st.serialize_field("index", &self.index)?;
        st.serialize_field("from", &self.from)?;
        st.serialize_field("to", &self.to)?;
        match &self.outcome {
            PairOutcome::Ok(v) => {
                st.serialize_field("status", "ok")?;
                st.serialize_field("value", v)?;
            }
            PairOutcome::Failed(e) => {
                st.serialize_field("status", "failed")?;
                st.serialize_field("error", e)?;
            }
            PairOutcome::Duplicate { first_index } => {
                st.serialize_field("status", "duplicate")?;
                st.serialize_field("first_index", first_index)?;
            }
        }
        st.end()
    }
}

/// Running totals of a bulk run; the final one is its report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BulkSummary {
    /// Input items read so far.
    pub read: u64,
    /// Results produced so far.
    pub done: u64,
    /// Pairs that succeeded.
    pub succeeded: u64,
    /// Pairs that failed (refused input included).
    pub failed: u64,
    /// Pairs that repeated an earlier one.
    pub duplicates: u64,
    /// Input items that were not valid pairs.
    pub invalid: u64,
    /// HTTP requests made (item re-sends included).
    pub requests: u64,
    /// Failed pairs by TIM code; failures without a code are counted under their kind
    /// (`transport`, `timeout`, `invalid_input`, …) in `failures_by_kind`.
    pub failures_by_code: BTreeMap<i64, u64>,
    /// Failed pairs without a TIM code, by error kind.
    pub failures_by_kind: BTreeMap<String, u64>,
    /// Time since the run started.
    pub elapsed: Duration,
    /// Whether the run ended: input exhausted and every request answered, or aborted.
    pub finished: bool,
    /// Whether the run stopped early on a configuration error.
    pub aborted: bool,
}

impl BulkSummary {
    fn record<T>(&mut self, r: &PairResult<T>) {
        self.done += 1;
        match &r.outcome {
            PairOutcome::Ok(_) => self.succeeded += 1,
            PairOutcome::Duplicate { .. } => self.duplicates += 1,
            PairOutcome::Failed(e) => {
                self.failed += 1;
                if e.kind() == ErrorKind::InvalidInput {
                    self.invalid += 1;
                }
                match e.code() {
                    Some(c) => *self.failures_by_code.entry(c.code()).or_default() += 1,
                    None => *self.failures_by_kind.entry(kind_name(e.kind()).to_owned()).or_default() += 1,
                }
            }
        }
    }
}

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

enum Work<T> {
    Ready(PairResult<T>),
    Send { from: String, items: Vec<(usize, String)> },
}

struct Batch<T> {
    results: Vec<PairResult<T>>,
    requests: u64,
}

/// One From's targets in a window: (From, [(index, To)], first index of each To).
type Group = (String, Vec<(usize, String)>, HashMap<String, usize>);

/// Validates, dedupes and groups one window.
fn plan<T>(window: Vec<(usize, Result<Pair, Error>)>, max_chunk: usize) -> Vec<Work<T>> {
    let mut out = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut by_from: HashMap<String, usize> = HashMap::new();
    for (index, pair) in window {
        let pair = match pair.and_then(|p| check_pair(&p).map(|()| p)) {
            Ok(p) => p,
            Err(e) => {
                let (from, to) = (String::new(), String::new());
                out.push(Work::Ready(PairResult {
                    index,
                    from,
                    to,
                    outcome: PairOutcome::Failed(ItemError::invalid(&e)),
                }));
                continue;
            }
        };
        let g = match by_from.entry(pair.from.clone()) {
            Entry::Occupied(o) => *o.get(),
            Entry::Vacant(v) => {
                groups.push((pair.from.clone(), Vec::new(), HashMap::new()));
                *v.insert(groups.len() - 1)
            }
        };
        let (_, items, seen) = &mut groups[g];
        match seen.entry(pair.to.clone()) {
            Entry::Occupied(o) => out.push(Work::Ready(PairResult {
                index,
                from: pair.from,
                to: pair.to,
                outcome: PairOutcome::Duplicate { first_index: *o.get() },
            })),
            Entry::Vacant(v) => {
                v.insert(index);
                items.push((index, pair.to));
            }
        }
    }
    for (from, items, _) in groups {
        let mut items = items.into_iter().peekable();
        while items.peek().is_some() {
            let chunk: Vec<(usize, String)> = items.by_ref().take(max_chunk).collect();
            out.push(Work::Send { from: from.clone(), items: chunk });
        }
    }
    out
}

fn check_pair(p: &Pair) -> Result<(), Error> {
    ids::check_id("From_Account", &p.from)?;
    ids::check_id("To_Account", &p.to)
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

    fn window(pairs: &[(&str, &str)]) -> Vec<(usize, Result<Pair, Error>)> {
        pairs.iter().enumerate().map(|(i, p)| (i, Ok(Pair::new(p.0, p.1)))).collect()
    }

    #[test]
    fn plan_groups_by_from_splits_and_reports_duplicates_and_invalid_pairs() {
        let w = window(&[("a", "x"), ("b", "x"), ("a", "y"), ("a", "x"), ("", "z"), ("a", "z"), ("b", "y")]);
        let work: Vec<Work<()>> = plan(w, 2);
        let mut ready = Vec::new();
        let mut sends = Vec::new();
        for w in work {
            match w {
                Work::Ready(r) => ready.push((r.index, r.outcome)),
                Work::Send { from, items } => sends.push((from, items)),
            }
        }
        assert_eq!(ready[0], (3, PairOutcome::Duplicate { first_index: 0 }));
        assert_eq!(ready[1].0, 4);
        assert!(matches!(&ready[1].1, PairOutcome::Failed(e) if e.kind() == ErrorKind::InvalidInput));
        assert_eq!(
            sends,
            [
                ("a".to_owned(), vec![(0, "x".to_owned()), (2, "y".to_owned())]),
                ("a".to_owned(), vec![(5, "z".to_owned())]),
                ("b".to_owned(), vec![(1, "x".to_owned()), (6, "y".to_owned())]),
            ]
        );
    }

    #[test]
    fn results_serialize_as_json_lines() {
        let ok = PairResult { index: 0, from: "a".into(), to: "b".into(), outcome: PairOutcome::Ok(()) };
        assert_eq!(
            serde_json::to_string(&ok).unwrap(),
            r#"{"index":0,"from":"a","to":"b","status":"ok","value":null}"#
        );
        let dup: PairResult<()> = PairResult {
            index: 2,
            from: "a".into(),
            to: "b".into(),
            outcome: PairOutcome::Duplicate { first_index: 0 },
        };
        assert_eq!(
            serde_json::to_string(&dup).unwrap(),
            r#"{"index":2,"from":"a","to":"b","status":"duplicate","first_index":0}"#
        );
        let failed: PairResult<()> = PairResult {
            index: 1,
            from: "a".into(),
            to: "c".into(),
            outcome: PairOutcome::Failed(ItemError::item(30003, "Err_SNS_BlackListAdd_Account_Not_Exist")),
        };
        let v: serde_json::Value = serde_json::to_value(&failed).unwrap();
        assert_eq!(v["status"], "failed");
        assert_eq!(v["error"]["code"], 30003);
    }

    #[test]
    fn fatal_errors_are_configuration_errors() {
        assert!(is_fatal(&Error::api(ErrorKind::Auth, 70009, "x")));
        assert!(is_fatal(&Error::api(ErrorKind::Api, 30004, "x")));
        assert!(!is_fatal(&Error::api(ErrorKind::Api, 30006, "x")));
        assert!(!is_fatal(&Error::api(ErrorKind::Throttled, 60007, "x")));
    }
}
