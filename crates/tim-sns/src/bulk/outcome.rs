//! Bulk output: one result per input pair, and the running totals.

use crate::report::{ItemError, kind_name};
use serde::Serialize;
use serde::ser::SerializeStruct;
use std::collections::BTreeMap;
use std::time::Duration;
use tx_core::ErrorKind;

/// The outcome of one input pair.
///
/// ```
/// use tim_sns::{PairOutcome, Relation};
/// let o: PairOutcome<Relation> = PairOutcome::Duplicate { first_index: 3 };
/// assert!(!matches!(o, PairOutcome::Ok(_)));
/// ```
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

/// The result of one input pair, as a [`crate::BulkStream`] yields it.
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use futures_util::{stream, TryStreamExt};
/// use tim_sns::PairOutcome;
/// let mut results = tim.blocklist().add_many(stream::iter([("alice", "bob")])).stream();
/// while let Some(r) = results.try_next().await? {
///     if let PairOutcome::Failed(e) = &r.outcome {
///         eprintln!("line {}: {} -> {}: {e}", r.index + 1, r.from, r.to);
///     }
/// }
/// # Ok(()) }
/// ```
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
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
/// use futures_util::stream;
/// let summary = tim.blocklist().add_many(stream::iter([("alice", "bob")])).run().await?;
/// println!("{} ok, {} failed, {} requests in {:?}", summary.succeeded, summary.failed, summary.requests, summary.elapsed);
/// for (code, n) in &summary.failures_by_code {
///     println!("  {} x {n}", tim_sns::ErrorCode::from(*code));
/// }
/// # Ok(()) }
/// ```
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
    pub(crate) fn record<T>(&mut self, r: &PairResult<T>) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
