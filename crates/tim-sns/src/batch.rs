//! The one implementation of batch calls: dedupe, split into the endpoint's maximum
//! chunks, send the chunks concurrently (the pipeline's rate limiter paces them), re-send
//! items that failed with a retryable code, and merge everything into one report in
//! input order.
//!
//! An endpoint plugs in through [`BatchOp`]: how to name an item's account, how to build
//! the request for a chunk, and how to read per-item outcomes from the answer.

use crate::client::Client;
use crate::code;
use crate::report::{BatchReport, Duplicate, ItemError, ItemResult};
use futures_util::StreamExt;
use futures_util::stream;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use tx_core::pipeline::Call;
use tx_core::{Error, Verdict};

/// One per-item outcome of an answer.
#[derive(Debug)]
pub(crate) struct WireResult<V> {
    pub account: String,
    pub code: i64,
    pub info: String,
    pub value: V,
}

/// A batch endpoint.
pub(crate) trait BatchOp: Sync {
    /// What the caller passes per item (an id, a friend to add, …).
    type Item: Sync;
    /// What a successful item yields (`()`, a relation, tags, …).
    type Value: Send;
    /// The decoded answer.
    type Reply: DeserializeOwned + Send;
    /// The most items one request may carry.
    const MAX_CHUNK: usize;

    /// The account an item is about; items are deduplicated and matched back by it.
    fn account(item: &Self::Item) -> &str;
    /// The request for one chunk.
    fn call(&self, chunk: &[&Self::Item]) -> Result<Call, Error>;
    /// The per-item outcomes of an answer.
    fn results(reply: Self::Reply) -> Vec<WireResult<Self::Value>>;
}

/// Positions of the distinct accounts of `items`, and the repeats.
pub(crate) fn dedupe<T>(items: &[T], account: impl Fn(&T) -> &str) -> (Vec<usize>, Vec<Duplicate>) {
    let mut unique = Vec::with_capacity(items.len());
    let mut duplicates = Vec::new();
    if items.len() <= 16 {
        // Small batches (the common single-id call) need no hash map.
        for (i, item) in items.iter().enumerate() {
            let a = account(item);
            match unique.iter().find(|&&u| account(&items[u]) == a) {
                None => unique.push(i),
                Some(&first) => duplicates.push(Duplicate { account: a.to_owned(), index: i, first_index: first }),
            }
        }
        return (unique, duplicates);
    }
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match first.entry(account(item)) {
            Entry::Vacant(v) => {
                v.insert(i);
                unique.push(i);
            }
            Entry::Occupied(o) => {
                duplicates.push(Duplicate { account: account(item).to_owned(), index: i, first_index: *o.get() })
            }
        }
    }
    (unique, duplicates)
}

/// Runs a batch call over `items` (already validated) and merges the report.
///
/// Returns `Err` only if no chunk got an answer (the call as a whole failed); otherwise
/// the items of a failed chunk carry that chunk's error.
pub(crate) async fn run<B: BatchOp>(
    client: &Client,
    op: &B,
    items: &[B::Item],
) -> Result<BatchReport<B::Value>, Error> {
    let (unique, duplicates) = dedupe(items, B::account);
    if unique.len() <= B::MAX_CHUNK {
        // One request: no need for the concurrent machinery.
        let (_, outcome) = send_indexed(client, op, items, &unique).await;
        let done = outcome?;
        let mut slots: Vec<Option<Result<B::Value, ItemError>>> = (0..items.len()).map(|_| None).collect();
        for (i, r) in done.results {
            slots[i] = Some(r);
        }
        return Ok(merge::<B>(items, unique, slots, duplicates, done.requests));
    }
    // Collected first: a lazy `map` closure held across the await trips rustc's
    // higher-ranked lifetime check when the future must be `Send`.
    let mut sends = Vec::with_capacity(unique.len().div_ceil(B::MAX_CHUNK));
    for chunk in unique.chunks(B::MAX_CHUNK) {
        sends.push(send_indexed(client, op, items, chunk));
    }
    let mut outcomes: Vec<Sent<'_, B::Value>> =
        stream::iter(sends).buffer_unordered(client.batch_concurrency()).collect().await;
    if outcomes.iter().all(|(_, r)| r.is_err()) {
        let first = outcomes.drain(..).find_map(|(_, r)| r.err());
        return Err(first.unwrap_or_else(|| Error::invalid_input("items", "must not be empty")));
    }
    let mut slots: Vec<Option<Result<B::Value, ItemError>>> = (0..items.len()).map(|_| None).collect();
    let mut requests = 0;
    for (chunk, outcome) in outcomes {
        match outcome {
            Ok(done) => {
                requests += done.requests;
                for (i, r) in done.results {
                    slots[i] = Some(r);
                }
            }
            Err(e) => {
                requests += 1;
                let err = ItemError::request(&e);
                for &i in chunk {
                    slots[i] = Some(Err(err.clone()));
                }
            }
        }
    }
    Ok(merge::<B>(items, unique, slots, duplicates, requests))
}

/// One result per distinct account, in input order.
fn merge<B: BatchOp>(
    items: &[B::Item],
    unique: Vec<usize>,
    mut slots: Vec<Option<Result<B::Value, ItemError>>>,
    duplicates: Vec<Duplicate>,
    requests: usize,
) -> BatchReport<B::Value> {
    let items = unique
        .into_iter()
        .map(|i| ItemResult {
            account: B::account(&items[i]).to_owned(),
            index: i,
            result: slots[i].take().unwrap_or_else(|| Err(ItemError::missing())),
        })
        .collect();
    BatchReport { items, duplicates, requests }
}

async fn send_indexed<'a, B: BatchOp>(
    client: &'a Client,
    op: &'a B,
    items: &'a [B::Item],
    chunk: &'a [usize],
) -> Sent<'a, B::Value> {
    let refs: Vec<(usize, &B::Item)> = chunk.iter().map(|&i| (i, &items[i])).collect();
    (chunk, send_chunk(client, op, refs).await)
}

/// A chunk's input positions and what sending it gave.
type Sent<'a, V> = (&'a [usize], Result<ChunkOutcome<V>, Error>);

/// The per-item results of one chunk, by input position.
pub(crate) struct ChunkOutcome<V> {
    pub results: Vec<(usize, Result<V, ItemError>)>,
    pub requests: usize,
}

/// Sends one chunk; items that fail with a retryable `ResultCode` are re-sent after a
/// backoff, up to the retry policy's attempt limit. `Err` if the first request failed as
/// a whole (the pipeline has already retried it as the policy allows).
pub(crate) async fn send_chunk<B: BatchOp>(
    client: &Client,
    op: &B,
    mut pending: Vec<(usize, &B::Item)>,
) -> Result<ChunkOutcome<B::Value>, Error> {
    let policy = client.pipeline().retry_policy();
    let mut results = Vec::with_capacity(pending.len());
    let mut pass = 0;
    while !pending.is_empty() {
        pass += 1;
        let refs: Vec<&B::Item> = pending.iter().map(|(_, item)| *item).collect();
        let sent = match op.call(&refs) {
            Ok(call) => client.pipeline().send::<B::Reply>(&call).await,
            Err(e) => Err(e),
        };
        let reply = match sent {
            Ok(response) => response.data,
            Err(e) if pass == 1 => return Err(e),
            Err(e) => {
                let err = ItemError::request(&e);
                results.extend(pending.drain(..).map(|(i, _)| (i, Err(err.clone()))));
                break;
            }
        };
        let mut answers = Answers::new(B::results(reply));
        let mut again = Vec::new();
        for (i, item) in pending.drain(..) {
            match answers.take(B::account(item)) {
                None => results.push((i, Err(ItemError::missing()))),
                Some(r) if r.code == 0 => results.push((i, Ok(r.value))),
                Some(r) if pass < policy.get_max_attempts() && item_retryable(r.code) => again.push((i, item)),
                Some(r) => results.push((i, Err(ItemError::item(r.code, &r.info)))),
            }
        }
        if !again.is_empty() {
            let ceiling = policy.backoff_ceiling(pass);
            tokio::time::sleep(ceiling.mul_f64(fastrand::f64())).await;
        }
        pending = again;
    }
    Ok(ChunkOutcome { results, requests: pass as usize })
}

fn item_retryable(code: i64) -> bool {
    matches!(code::verdict(code), Verdict::Retry { .. } | Verdict::Throttled { after: None })
}

/// Per-item answers, looked up by account. Small answers are searched linearly.
struct Answers<V> {
    list: Vec<Option<WireResult<V>>>,
    index: Option<HashMap<String, usize>>,
}

impl<V> Answers<V> {
    fn new(results: Vec<WireResult<V>>) -> Self {
        let index = (results.len() > 16).then(|| {
            let mut m = HashMap::with_capacity(results.len());
            for (i, r) in results.iter().enumerate() {
                m.entry(r.account.clone()).or_insert(i);
            }
            m
        });
        Answers { list: results.into_iter().map(Some).collect(), index }
    }

    fn take(&mut self, account: &str) -> Option<WireResult<V>> {
        let at = match &self.index {
            Some(m) => *m.get(account)?,
            None => self.list.iter().position(|r| r.as_ref().is_some_and(|r| r.account == account))?,
        };
        self.list[at].take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedupe_keeps_first_positions_and_reports_repeats() {
        let items = ["a", "b", "a", "c", "b", "a"];
        let (unique, dups) = dedupe(&items, |s| s);
        assert_eq!(unique, [0, 1, 3]);
        let d: Vec<(&str, usize, usize)> = dups.iter().map(|d| (d.account.as_str(), d.index, d.first_index)).collect();
        assert_eq!(d, [("a", 2, 0), ("b", 4, 1), ("a", 5, 0)]);
    }

    #[test]
    fn answers_are_found_by_account_small_and_large() {
        for n in [3, 40] {
            let results: Vec<WireResult<usize>> = (0..n)
                .map(|i| WireResult { account: format!("u{i}"), code: 0, info: String::new(), value: i })
                .collect();
            let mut a = Answers::new(results);
            assert_eq!(a.take("u2").map(|r| r.value), Some(2));
            assert!(a.take("u2").is_none(), "taken once");
            assert!(a.take("nobody").is_none());
        }
    }

    #[test]
    fn item_retry_follows_the_classification() {
        for c in [30006, 30007, 30008, 60007] {
            assert!(item_retryable(c), "{c}");
        }
        for c in [30001, 30003, 30013, 70001, 70050] {
            assert!(!item_retryable(c), "{c}");
        }
    }
}
