//! Moderation at scale: a stream of (From, To) pairs in, a stream of per-pair records
//! out, on tx-core's bulk runner ([`tx_core::bulk`]): bounded memory, bounded requests in
//! flight, within the rate limit, every pair accounted for however the run ends.
//!
//! TIM's part is the [`PairPlanner`]: in a window, each pair is validated (a refused pair
//! becomes a failed record), repeats of a (From, To) pair become duplicates, and the rest
//! are grouped by From and split into requests of at most 1000 targets. Items failing with
//! retryable codes are re-sent as in batch calls.
//!
//! A request that fails as a whole fails its pairs, except when the failure says the
//! configuration is wrong (bad key, unknown SDKAppID, wrong region, not an admin): then
//! the run stops, every pair not sent is reported `not_attempted`, and the stream yields
//! that error last.
//!
//! Memory holds one window plus the requests in flight, whatever the input's length.
//! Duplicates are found within a window; a repeat further apart is sent again (for an
//! add, the server then answers it with 30001, already exists).

mod pair;
mod plan;

pub use pair::{Account, BulkItem, IntoPair, Pair};
pub use tx_core::bulk::{BulkSummary, DEFAULT_MAX_IN_FLIGHT, DEFAULT_WINDOW, StopHandle, StopReason};

use crate::api::Api;
use crate::protocol::code::ErrorCode;
use crate::report::ItemError;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use std::fmt;
use std::sync::Arc;
use tx_core::batch::{self, BatchOp, ChunkOutcome};
use tx_core::bulk::{Outcome, Planner, Record, UnitOutcome, Work};
use tx_core::{Error, ErrorKind};

/// A bulk run over (From, To) pairs, ready to start. Built by
/// [`crate::Blocklist::add_many`], [`crate::Blocklist::delete_many`] and
/// [`crate::Blocklist::check_many`].
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
pub type Bulk<T> = tx_core::bulk::Bulk<PairPlanner<T>>;

/// The records of a bulk run as they complete. See [`Bulk`].
pub type BulkStream<T> = tx_core::bulk::BulkStream<PairPlanner<T>>;

/// The record of one input pair: its index, the pair, what happened.
pub type PairResult<T> = Record<Pair, T, ErrorCode>;

/// TIM's planner of (From, To) pair runs.
pub type PairPlanner<T> = GroupPlanner<Pair, T>;

/// A bulk run over accounts, built by [`crate::Accounts::import_many`] and its kin.
pub type AccountBulk<T> = tx_core::bulk::Bulk<GroupPlanner<Account, T>>;

/// The record of one input account.
pub type AccountResult<T> = Record<Account, T, ErrorCode>;

/// What happened to one input pair: `Ok`, `Failed`, `Duplicate` or `NotAttempted`.
pub type PairOutcome<T> = Outcome<T, ErrorCode>;

/// Sends one From's targets: the endpoint's batch op, erased.
type SendChunk<T> = Arc<
    dyn Fn(Api, String, Vec<(usize, String)>) -> BoxFuture<'static, Result<ChunkOutcome<T, ErrorCode>, Error>>
        + Send
        + Sync,
>;

/// TIM's planner of bulk runs: group items (by From for pairs), split each group into the
/// endpoint's maximum, one request per chunk.
pub struct GroupPlanner<I, T> {
    api: Api,
    send: SendChunk<T>,
    max_chunk: usize,
    items: std::marker::PhantomData<fn(I)>,
}

impl<I, T> fmt::Debug for GroupPlanner<I, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupPlanner").field("max_chunk", &self.max_chunk).finish_non_exhaustive()
    }
}

impl<I: BulkItem, T: Send + 'static> GroupPlanner<I, T> {
    /// A planner sending each group's targets with the batch op `op(group)`.
    pub(crate) fn new<B, F>(api: &Api, op: F) -> Self
    where
        B: BatchOp<Item = String, Value = T, Code = ErrorCode> + Send + 'static,
        F: Fn(String) -> B + Send + Sync + 'static,
    {
        let send: SendChunk<T> = Arc::new(move |api: Api, from: String, items: Vec<(usize, String)>| {
            let op = op(from);
            async move {
                let pending: Vec<(usize, &String)> = items.iter().map(|(i, to)| (*i, to)).collect();
                batch::send_chunk(&api.pipeline, &op, pending).await
            }
            .boxed()
        });
        GroupPlanner { api: api.clone(), send, max_chunk: B::MAX_CHUNK, items: std::marker::PhantomData }
    }
}

impl<I: BulkItem, T: Send + 'static> Planner for GroupPlanner<I, T> {
    type Item = I;
    type Value = T;
    type Code = ErrorCode;

    fn plan(&self, window: Vec<(usize, Result<I, Error>)>) -> Vec<Work<I, T, ErrorCode>> {
        plan::plan(window, self.max_chunk)
    }

    fn run(&self, unit: Vec<(usize, I)>) -> BoxFuture<'static, UnitOutcome<I, T, ErrorCode>> {
        let (api, send) = (self.api.clone(), Arc::clone(&self.send));
        async move {
            let from = unit.first().map(|(_, p)| p.group().to_owned()).unwrap_or_default();
            let targets: Vec<(usize, String)> = unit.iter().map(|(i, p)| (*i, p.target().to_owned())).collect();
            let mut pairs: std::collections::HashMap<usize, I> = unit.into_iter().collect();
            let mut take = |index: usize| pairs.remove(&index);
            let mut sent = send(api.clone(), from.clone(), targets.clone()).await;
            let mut confirmations = 0;
            if let Err(e) = &sent
                && is_fatal(e)
            {
                // One such answer is not proof: a fault, or a signature refused while the
                // clocks disagree, can fail even a fresh signature once. Ask again after a
                // pause before giving up on every later call.
                tracing::debug!(error = %e, "a failure that would stop the run; confirming it");
                tokio::time::sleep(FATAL_CONFIRMATION_PAUSE).await;
                sent = send(api, from, targets).await;
                confirmations = 1;
            }
            match sent {
                Ok(done) => UnitOutcome {
                    requests: done.requests as u64 + confirmations,
                    records: done
                        .results
                        .into_iter()
                        .map(|(index, r)| {
                            Record::new(index, take(index), r.map_or_else(Outcome::Failed, Outcome::Ok))
                                .with_reconciled(done.reconciled.contains(&index))
                        })
                        .collect(),
                    fatal: None,
                },
                Err(e) => {
                    let failure = ItemError::request(&e);
                    let records = pairs
                        .into_iter()
                        .map(|(index, pair)| Record::new(index, Some(pair), Outcome::Failed(failure.clone())))
                        .collect();
                    UnitOutcome { records, requests: 1 + confirmations, fatal: is_fatal(&e).then_some(e) }
                }
            }
        }
        .boxed()
    }
}

/// How long to wait before asking again to confirm a failure that would stop the run.
const FATAL_CONFIRMATION_PAUSE: std::time::Duration = std::time::Duration::from_secs(1);

/// Whether a whole-request failure means no later request can succeed either.
fn is_fatal(e: &Error) -> bool {
    e.kind() == ErrorKind::Auth || e.code().is_some_and(|c| ErrorCode::from(c).is_configuration_error())
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
