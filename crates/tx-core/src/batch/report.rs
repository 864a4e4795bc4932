//! Per-item results of batch calls: a partial failure is data, not an error.

use crate::error::{Error, ErrorKind};
use crate::open_enum::PlatformCode;
use serde::Serialize;
use serde::ser::SerializeStruct;
use std::fmt;

/// Why one item of a batch did not succeed: its own code, or the failure of the whole
/// request that carried it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemError<C> {
    kind: ErrorKind,
    code: Option<C>,
    message: String,
    whole_request: bool,
    retryable: bool,
    outcome_unknown: bool,
}

impl<C: PlatformCode> ItemError<C> {
    /// The item's own code with the platform's message for it.
    pub fn item(code: i64, message: impl Into<String>) -> Self {
        let code = C::from(code);
        ItemError {
            kind: ErrorKind::Api,
            code: Some(code),
            message: crate::redact::text(&message.into()),
            whole_request: false,
            retryable: code.is_retryable(),
            outcome_unknown: false,
        }
    }

    /// The request carrying the item failed as a whole.
    pub fn request(error: &Error) -> Self {
        ItemError {
            kind: error.kind(),
            code: error.code().map(C::from),
            message: error.message().to_owned(),
            whole_request: true,
            retryable: error.is_retryable(),
            outcome_unknown: error.outcome_unknown(),
        }
    }

    /// The answer held no result for the item.
    pub fn missing() -> Self {
        Self::without_code(ErrorKind::Decode, "the answer holds no result for this item")
    }

    /// The item broke an input rule (streamed input is validated item by item).
    pub fn invalid(error: &Error) -> Self {
        Self::without_code(ErrorKind::InvalidInput, error.message())
    }

    /// A failure with no platform code (e.g. a record that did not finish in time).
    pub fn without_code(kind: ErrorKind, message: impl Into<String>) -> Self {
        ItemError {
            kind,
            code: None,
            message: crate::redact::text(&message.into()),
            whole_request: false,
            retryable: false,
            outcome_unknown: false,
        }
    }

    /// The kind of failure: [`ErrorKind::Api`] for an item's own code, the request's kind
    /// when the whole request failed, [`ErrorKind::InvalidInput`] for refused input.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The platform code (the item's, or the request's), if there was one.
    pub fn code(&self) -> Option<C> {
        self.code
    }

    /// The message. Never match on it: the servers' strings are inconsistent.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the whole request carrying this item failed (rather than this item alone).
    pub fn is_request_failure(&self) -> bool {
        self.whole_request
    }

    /// Whether trying the item again later may succeed.
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }

    /// Whether the item may have been applied although it failed: a request carrying it
    /// got no answer (a lost reply, a timeout, a gateway error). Check before trying it
    /// again if applying it twice matters.
    pub fn outcome_unknown(&self) -> bool {
        self.outcome_unknown
    }

    /// Marks the failure as possibly applied (see [`ItemError::outcome_unknown`]).
    pub fn with_outcome_unknown(mut self, unknown: bool) -> Self {
        self.outcome_unknown |= unknown;
        self
    }
}

impl<C: fmt::Display> fmt::Display for ItemError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => write!(f, "{}: {}", self.kind, self.message),
        }
    }
}

impl<C: fmt::Debug + fmt::Display> std::error::Error for ItemError<C> {}

/// `{"kind": "api", "code": 30001, "message": "…", "request_failed": false,
/// "outcome_unknown": false}`.
impl<C: PlatformCode> Serialize for ItemError<C> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ItemError", 5)?;
        st.serialize_field("kind", self.kind.as_str())?;
        st.serialize_field("code", &self.code.map(PlatformCode::code))?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("request_failed", &self.whole_request)?;
        st.serialize_field("outcome_unknown", &self.outcome_unknown)?;
        st.end()
    }
}

/// The result for one distinct item of a batch call.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ItemResult<T, C> {
    /// The item's id (a `To_Account`, a material id, an authorizer appid).
    pub id: String,
    /// Its position in the input (the first one, if the input repeated it).
    pub index: usize,
    /// Its value or why it failed.
    pub result: Result<T, ItemError<C>>,
    /// A success settled by reconciliation: a repeat of a request whose first attempt may
    /// have been applied found the item already in the requested state.
    pub reconciled: bool,
}

impl<T, C: PlatformCode> ItemResult<T, C> {
    /// A result.
    pub fn new(id: impl Into<String>, index: usize, result: Result<T, ItemError<C>>) -> Self {
        ItemResult { id: id.into(), index, result, reconciled: false }
    }

    /// Marks a success as reconciled (see [`ItemResult::reconciled`]); a failure stays
    /// unmarked.
    pub fn with_reconciled(mut self, reconciled: bool) -> Self {
        self.reconciled = reconciled && self.result.is_ok();
        self
    }

    /// Whether the item succeeded.
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }

    /// The value, if the item succeeded.
    pub fn value(&self) -> Option<&T> {
        self.result.as_ref().ok()
    }

    /// The failure, if the item failed.
    pub fn error(&self) -> Option<&ItemError<C>> {
        self.result.as_ref().err()
    }

    /// The failure's code, if the item failed with one.
    pub fn code(&self) -> Option<C> {
        self.error().and_then(ItemError::code)
    }
}

/// `{"index": 3, "id": "bob", "ok": true, "value": …, "reconciled": false}` or `…"ok": false, "error": {…}`.
impl<T: Serialize, C: PlatformCode> Serialize for ItemResult<T, C> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ItemResult", 5)?;
        st.serialize_field("index", &self.index)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("ok", &self.result.is_ok())?;
        match &self.result {
            Ok(v) => {
                st.serialize_field("value", v)?;
                st.serialize_field("reconciled", &self.reconciled)?;
            }
            Err(e) => st.serialize_field("error", e)?,
        }
        st.end()
    }
}

/// A repeated id in the input of a batch call: it was sent once, and its result is the
/// one at `first_index`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Duplicate {
    /// The repeated id.
    pub id: String,
    /// Where it was repeated.
    pub index: usize,
    /// Where it first appeared.
    pub first_index: usize,
}

impl Duplicate {
    /// A repeat of `id` at `index`, first seen at `first_index`.
    pub fn new(id: impl Into<String>, index: usize, first_index: usize) -> Self {
        Duplicate { id: id.into(), index, first_index }
    }
}

/// The merged outcome of a batch call: one [`ItemResult`] per distinct input id, in input
/// order, plus the positions where the input repeated an id.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchReport<T, C> {
    items: Vec<ItemResult<T, C>>,
    duplicates: Vec<Duplicate>,
    requests: usize,
}

impl<T, C: PlatformCode> BatchReport<T, C> {
    /// A report of `items` (in input order), `duplicates`, after `requests` requests.
    pub fn new(items: Vec<ItemResult<T, C>>, duplicates: Vec<Duplicate>, requests: usize) -> Self {
        BatchReport { items, duplicates, requests }
    }

    /// Every distinct id's result, in input order.
    pub fn items(&self) -> &[ItemResult<T, C>] {
        &self.items
    }

    /// Takes the results.
    pub fn into_items(self) -> Vec<ItemResult<T, C>> {
        self.items
    }

    /// The results that succeeded.
    pub fn succeeded(&self) -> impl Iterator<Item = &ItemResult<T, C>> {
        self.items.iter().filter(|i| i.is_ok())
    }

    /// The results that failed.
    pub fn failed(&self) -> impl Iterator<Item = &ItemResult<T, C>> {
        self.items.iter().filter(|i| !i.is_ok())
    }

    /// Whether every item succeeded.
    pub fn all_succeeded(&self) -> bool {
        self.items.iter().all(ItemResult::is_ok)
    }

    /// The result for `id`.
    pub fn get(&self, id: &str) -> Option<&ItemResult<T, C>> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Repeated ids of the input (sent once, reported here rather than dropped).
    pub fn duplicates(&self) -> &[Duplicate] {
        &self.duplicates
    }

    /// The number of distinct ids.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the report holds no item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// HTTP requests the call made: one per chunk, plus re-sends of items that failed
    /// with a retryable code (retries of whole requests inside the pipeline not counted).
    pub fn requests(&self) -> usize {
        self.requests
    }
}
