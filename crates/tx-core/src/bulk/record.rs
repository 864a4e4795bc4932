//! What a bulk run says about each input item, and its running totals.

use crate::batch::ItemError;
use crate::error::ErrorKind;
use crate::open_enum::PlatformCode;
use serde::Serialize;
use serde::ser::SerializeMap;
use std::collections::BTreeMap;
use std::time::Duration;

/// What happened to one input item.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<V, C> {
    /// Done; the value (a relation, a record, `()`).
    Ok(V),
    /// Failed: its own code, the failure of its request, or refused input.
    Failed(ItemError<C>),
    /// The same item appeared earlier in its window, at `first_index`; it was sent once.
    Duplicate {
        /// Where the item first appeared.
        first_index: usize,
    },
    /// Never sent: the run stopped first (a fatal error, a signal, unreadable input).
    NotAttempted,
}

impl<V, C> Outcome<V, C> {
    /// The status name of the output contract: `ok`, `failed`, `duplicate`,
    /// `not_attempted`.
    pub fn status(&self) -> &'static str {
        match self {
            Outcome::Ok(_) => "ok",
            Outcome::Failed(_) => "failed",
            Outcome::Duplicate { .. } => "duplicate",
            Outcome::NotAttempted => "not_attempted",
        }
    }
}

/// The result of one input item, as a bulk stream yields it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Record<I, V, C> {
    /// The item's position in the input, from 0.
    pub index: usize,
    /// The item, unless the input held something that was not one.
    pub item: Option<I>,
    /// What happened.
    pub outcome: Outcome<V, C>,
    /// A success settled by reconciliation: a repeat of a request whose first attempt may
    /// have been applied found the item already in the requested state.
    pub reconciled: bool,
}

impl<I, V, C> Record<I, V, C> {
    /// A record.
    pub fn new(index: usize, item: Option<I>, outcome: Outcome<V, C>) -> Self {
        Record { index, item, outcome, reconciled: false }
    }

    /// Marks a success as reconciled (see [`Record::reconciled`]); other outcomes stay
    /// unmarked.
    pub fn with_reconciled(mut self, reconciled: bool) -> Self {
        self.reconciled = reconciled && matches!(self.outcome, Outcome::Ok(_));
        self
    }

    /// Whether the item succeeded.
    pub fn is_ok(&self) -> bool {
        matches!(self.outcome, Outcome::Ok(_))
    }
}

/// One JSON object per record: `{"index":0, <the item's fields>, "status":"ok","value":…,"reconciled":false}`,
/// `"status":"failed"` with `"error":{kind, code, message, request_failed}`,
/// `"status":"duplicate"` with `"first_index"`, or `"status":"not_attempted"`.
impl<I: Serialize, V: Serialize, C: PlatformCode> Serialize for Record<I, V, C> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("index", &self.index)?;
        if let Some(item) = &self.item {
            match serde_json::to_value(item).map_err(serde::ser::Error::custom)? {
                serde_json::Value::Object(fields) => {
                    for (key, value) in &fields {
                        map.serialize_entry(key, value)?;
                    }
                }
                other => map.serialize_entry("item", &other)?,
            }
        }
        map.serialize_entry("status", self.outcome.status())?;
        match &self.outcome {
            Outcome::Ok(v) => {
                map.serialize_entry("value", v)?;
                map.serialize_entry("reconciled", &self.reconciled)?;
            }
            Outcome::Failed(e) => map.serialize_entry("error", e)?,
            Outcome::Duplicate { first_index } => map.serialize_entry("first_index", first_index)?,
            Outcome::NotAttempted => {}
        }
        map.end()
    }
}

/// Why a run stopped before every item was tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", content = "message", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StopReason {
    /// A failure that dooms every later call (bad key, wrong app, wrong region).
    Fatal(String),
    /// Stopped from outside ([`crate::bulk::StopHandle::stop`], e.g. on a signal).
    Stopped,
    /// The input could not be read to its end.
    InputFailed(String),
}

/// Running totals of a bulk run; the final one is its report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BulkSummary {
    /// Input items read so far.
    pub read: u64,
    /// Records produced so far.
    pub done: u64,
    /// Items that succeeded.
    pub succeeded: u64,
    /// Of those, successes settled by reconciliation ([`Record::reconciled`]).
    pub reconciled: u64,
    /// Items that failed (refused input included).
    pub failed: u64,
    /// Items that repeated an earlier one.
    pub duplicates: u64,
    /// Items never sent because the run stopped.
    pub not_attempted: u64,
    /// Input items that were refused before sending.
    pub invalid: u64,
    /// HTTP requests made (item re-sends included).
    pub requests: u64,
    /// Failed items by platform code.
    pub failures_by_code: BTreeMap<i64, u64>,
    /// Failed items without a platform code, by error kind (`transport`, `timeout`,
    /// `invalid_input`, …).
    pub failures_by_kind: BTreeMap<String, u64>,
    /// Time since the run started.
    pub elapsed: Duration,
    /// Whether the run ended: every item read has its record.
    pub finished: bool,
    /// Why the run stopped before trying every item, if it did.
    pub stopped: Option<StopReason>,
}

impl BulkSummary {
    /// Whether every item was tried (the run was not stopped).
    pub fn is_complete(&self) -> bool {
        self.finished && self.stopped.is_none()
    }

    pub(crate) fn record<I, V, C: PlatformCode>(&mut self, r: &Record<I, V, C>) {
        self.done += 1;
        match &r.outcome {
            Outcome::Ok(_) => {
                self.succeeded += 1;
                self.reconciled += u64::from(r.reconciled);
            }
            Outcome::Duplicate { .. } => self.duplicates += 1,
            Outcome::NotAttempted => self.not_attempted += 1,
            Outcome::Failed(e) => {
                self.failed += 1;
                if e.kind() == ErrorKind::InvalidInput {
                    self.invalid += 1;
                }
                match e.code() {
                    Some(c) => *self.failures_by_code.entry(c.code()).or_default() += 1,
                    None => *self.failures_by_kind.entry(e.kind().as_str().to_owned()).or_default() += 1,
                }
            }
        }
    }
}
