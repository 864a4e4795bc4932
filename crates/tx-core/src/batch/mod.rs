//! Batch calls, written once for every platform: dedupe, split into the endpoint's maximum
//! chunks, send the chunks concurrently (the pipeline's rate limiter paces them), re-send
//! items that failed with a retryable code, and merge everything into one report in input
//! order, where every input id appears exactly once (repeats are listed, not dropped).
//!
//! An endpoint plugs in through [`BatchOp`]: the id of an item, the request for a chunk,
//! and the per-item outcomes of an answer.

mod report;

pub use report::{BatchReport, Duplicate, ItemError, ItemResult};

use crate::error::Error;
use crate::open_enum::PlatformCode;
use crate::pipeline::{Call, Pipeline, Protocol};
use crate::retry::{Decision, History, Verdict};
use futures_util::StreamExt;
use futures_util::stream;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// One per-item outcome of an answer, as the platform reports it.
#[derive(Debug)]
pub struct WireResult<V> {
    /// The item's id.
    pub id: String,
    /// Its code; 0 is success.
    pub code: i64,
    /// The platform's message for the code (empty on success).
    pub message: String,
    /// What a successful item yields.
    pub value: V,
}

/// A batch endpoint.
pub trait BatchOp: Sync {
    /// What the caller passes per item (an id, a friend to add, …).
    type Item: Sync;
    /// What a successful item yields (`()`, a relation, a record, …).
    type Value: Send;
    /// The decoded answer.
    type Reply: DeserializeOwned + Send;
    /// The platform's codes.
    type Code: PlatformCode;
    /// The most items one request may carry.
    const MAX_CHUNK: usize;

    /// The id of an item; items are deduplicated and matched back by it.
    fn id(item: &Self::Item) -> &str;
    /// The request for one chunk.
    fn call(&self, chunk: &[&Self::Item]) -> Result<Call, Error>;
    /// The per-item outcomes of the answer to `chunk` (an answer may list only the items
    /// that failed).
    fn results(&self, chunk: &[&Self::Item], reply: Self::Reply) -> Vec<WireResult<Self::Value>>;

    /// Whether `code`, answered for an item by a repeat of a request whose first attempt
    /// may have been applied, says the item is already in the state this call sets (an
    /// add's "already exists", a delete's "not there"). Such an item counts as a success,
    /// reported as reconciled. Never true for an op that creates something new each time.
    fn already_applied(&self, item: &Self::Item, code: Self::Code) -> bool {
        let _ = (item, code);
        false
    }
}

/// The per-item results of one chunk, by input position.
#[derive(Debug)]
pub struct ChunkOutcome<V, C> {
    /// (input position, result) of every item of the chunk.
    pub results: Vec<(usize, Result<V, ItemError<C>>)>,
    /// Requests sent: the first, plus re-sends of items with retryable codes.
    pub requests: usize,
    /// Input positions whose success was reconciled ([`BatchOp::already_applied`]).
    pub reconciled: Vec<usize>,
}

/// Positions of the distinct ids of `items`, and the repeats.
pub fn dedupe<T>(items: &[T], id: impl Fn(&T) -> &str) -> (Vec<usize>, Vec<Duplicate>) {
    let mut unique = Vec::with_capacity(items.len());
    let mut duplicates = Vec::new();
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match first.entry(id(item)) {
            Entry::Vacant(v) => {
                v.insert(i);
                unique.push(i);
            }
            Entry::Occupied(o) => duplicates.push(Duplicate::new(id(item), i, *o.get())),
        }
    }
    (unique, duplicates)
}

/// Runs a batch call over `items` (already validated): at most `concurrency` chunks in
/// flight, one report in input order.
///
/// Returns `Err` only if no chunk got an answer (the call as a whole failed); otherwise
/// the items of a failed chunk carry that chunk's error.
pub async fn run<P: Protocol, B: BatchOp>(
    pipeline: &Pipeline<P>,
    concurrency: usize,
    op: &B,
    items: &[B::Item],
) -> Result<BatchReport<B::Value, B::Code>, Error> {
    let (unique, duplicates) = dedupe(items, B::id);
    // Collected first: a lazy `map` closure held across the await trips rustc's
    // higher-ranked lifetime check when the caller's future must be `Send`.
    let mut sends = Vec::with_capacity(unique.len().div_ceil(B::MAX_CHUNK));
    for chunk in unique.chunks(B::MAX_CHUNK) {
        sends.push(send_positions(pipeline, op, items, chunk));
    }
    let outcomes: Vec<_> = stream::iter(sends).buffer_unordered(concurrency.max(1)).collect().await;
    let all_failed = outcomes.iter().all(|(_, outcome)| outcome.is_err());
    let mut slots: Vec<Option<ItemOutcome<B::Value, B::Code>>> = (0..items.len()).map(|_| None).collect();
    let mut requests = 0;
    let mut reconciled = Vec::new();
    for (chunk, outcome) in outcomes {
        match outcome {
            Ok(done) => {
                requests += done.requests;
                reconciled.extend(done.reconciled);
                for (i, r) in done.results {
                    slots[i] = Some(r);
                }
            }
            // No chunk got an answer: the call failed as a whole.
            Err(e) if all_failed => return Err(e),
            Err(e) => {
                requests += 1;
                let err = ItemError::request(&e);
                for &i in chunk {
                    slots[i] = Some(Err(err.clone()));
                }
            }
        }
    }
    reconciled.sort_unstable();
    let results = unique
        .into_iter()
        .map(|i| {
            let result =
                ItemResult::new(B::id(&items[i]), i, slots[i].take().unwrap_or_else(|| Err(ItemError::missing())));
            result.with_reconciled(reconciled.binary_search(&i).is_ok())
        })
        .collect();
    Ok(BatchReport::new(results, duplicates, requests))
}

/// Sends the items of `items` at `chunk`'s positions; returns the positions with the outcome.
async fn send_positions<'a, P: Protocol, B: BatchOp>(
    pipeline: &'a Pipeline<P>,
    op: &'a B,
    items: &'a [B::Item],
    chunk: &'a [usize],
) -> ChunkSent<'a, B::Value, B::Code> {
    let pending: Vec<(usize, &B::Item)> = chunk.iter().map(|&i| (i, &items[i])).collect();
    (chunk, send_chunk(pipeline, op, pending).await)
}

/// One item's value or why it failed.
type ItemOutcome<V, C> = Result<V, ItemError<C>>;

/// An item to re-send: its position, the item, and the retryable answer it got.
type Resend<'a, I, V> = (usize, &'a I, WireResult<V>);

/// A chunk's input positions and what sending it gave.
type ChunkSent<'a, V, C> = (&'a [usize], Result<ChunkOutcome<V, C>, Error>);

/// Sends one chunk; items that fail with a retryable code are re-sent after the retry
/// policy's backoff, within its attempt limit and deadline. `Err` if the first request
/// failed as a whole (the pipeline has already retried it as the policy allows).
pub async fn send_chunk<P: Protocol, B: BatchOp>(
    pipeline: &Pipeline<P>,
    op: &B,
    mut pending: Vec<(usize, &B::Item)>,
) -> Result<ChunkOutcome<B::Value, B::Code>, Error> {
    let policy = pipeline.retry_policy();
    let start = tokio::time::Instant::now();
    let mut results = Vec::with_capacity(pending.len());
    let mut reconciled = Vec::new();
    // Whether any request of this chunk so far may have been applied without our knowing.
    let mut ambiguous = false;
    let mut pass = 0;
    while !pending.is_empty() {
        pass += 1;
        let refs: Vec<&B::Item> = pending.iter().map(|(_, item)| *item).collect();
        let call = op.call(&refs)?;
        let reply = match pipeline.send::<B::Reply>(&call).await {
            Ok(response) => {
                ambiguous |= response.meta.after_unknown_outcome;
                response.data
            }
            Err(e) if pass == 1 => return Err(e),
            Err(e) => {
                let err = ItemError::request(&e).with_outcome_unknown(ambiguous);
                results.extend(pending.drain(..).map(|(i, _)| (i, Err(err.clone()))));
                break;
            }
        };
        let mut answers = Answers::new(op.results(&refs, reply));
        let mut again: Vec<Resend<'_, B::Item, B::Value>> = Vec::new();
        for (i, item) in pending.drain(..) {
            match answers.take(B::id(item)) {
                None => results.push((i, Err(ItemError::missing().with_outcome_unknown(ambiguous)))),
                Some(r) if r.code == 0 => results.push((i, Ok(r.value))),
                Some(r) if ambiguous && op.already_applied(item, B::Code::from(r.code)) => {
                    reconciled.push(i);
                    results.push((i, Ok(r.value)));
                }
                Some(r) if retry_class(B::Code::from(r.code).verdict()) => again.push((i, item, r)),
                Some(r) => results.push((i, Err(ItemError::item(r.code, r.message).with_outcome_unknown(ambiguous)))),
            }
        }
        let Some((_, _, first)) = again.first() else { break };
        let verdict = B::Code::from(first.code).verdict();
        let error = Error::api(crate::ErrorKind::Api, first.code, &first.message);
        let history = History { attempt: pass, elapsed: start.elapsed(), ..History::default() };
        match policy.decide(verdict, &error, call.idempotency(), history) {
            Decision::RetryAfter(wait) => {
                tokio::time::sleep(wait).await;
                pending = again.into_iter().map(|(i, item, _)| (i, item)).collect();
            }
            _ => {
                let failed = again
                    .into_iter()
                    .map(|(i, _, r)| (i, Err(ItemError::item(r.code, r.message).with_outcome_unknown(ambiguous))));
                results.extend(failed);
            }
        }
    }
    Ok(ChunkOutcome { results, requests: pass as usize, reconciled })
}

/// Item codes worth re-sending the item for: transient failures and throttling without a
/// prescribed wait (a prescribed one, like TIM's 70050 after a minute, is reported).
fn retry_class(verdict: Verdict) -> bool {
    matches!(verdict, Verdict::Retry { .. } | Verdict::Throttled { after: None })
}

/// Per-item answers, looked up by id.
struct Answers<V> {
    list: Vec<Option<WireResult<V>>>,
    index: HashMap<String, usize>,
}

impl<V> Answers<V> {
    fn new(results: Vec<WireResult<V>>) -> Self {
        let mut index = HashMap::with_capacity(results.len());
        for (i, r) in results.iter().enumerate() {
            index.entry(r.id.clone()).or_insert(i);
        }
        Answers { list: results.into_iter().map(Some).collect(), index }
    }

    fn take(&mut self, id: &str) -> Option<WireResult<V>> {
        let at = *self.index.get(id)?;
        self.list[at].take()
    }
}

#[cfg(test)]
mod tests;
