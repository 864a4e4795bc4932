//! Per-item results of batch calls: a partial failure is data, not an error.

use crate::code::{self, ErrorCode};
use serde::Serialize;
use serde::ser::SerializeStruct;
use std::fmt;
use tx_core::{Error, ErrorKind};

/// Why one item of a batch did not succeed: its own `ResultCode`, or the failure of the
/// whole request that carried it.
///
/// ```
/// # use tim_sns::{ErrorCode, KnownCode};
/// # async fn demo(report: tim_sns::BatchReport<()>) {
/// for item in report.failed() {
///     let error = item.error().unwrap();
///     if error.code() == Some(ErrorCode::Known(KnownCode::AccountNotFound)) {
///         eprintln!("{} does not exist", item.account);
///     } else {
///         eprintln!("{}: {error}", item.account);
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemError {
    kind: ErrorKind,
    code: Option<ErrorCode>,
    message: String,
    whole_request: bool,
    retryable: bool,
}

impl ItemError {
    /// A per-item `ResultCode` with its `ResultInfo`.
    pub(crate) fn item(code: i64, info: &str) -> ItemError {
        ItemError {
            kind: ErrorKind::Api,
            code: Some(ErrorCode::from(code)),
            message: code::message(code, info),
            whole_request: false,
            retryable: ErrorCode::from(code).is_retryable(),
        }
    }

    /// The request carrying the item failed as a whole.
    pub(crate) fn request(error: &Error) -> ItemError {
        ItemError {
            kind: error.kind(),
            code: error.code().map(ErrorCode::from),
            message: error.message().to_owned(),
            whole_request: true,
            retryable: error.is_retryable(),
        }
    }

    /// The answer held no result for the item.
    pub(crate) fn missing() -> ItemError {
        ItemError {
            kind: ErrorKind::Decode,
            code: None,
            message: "the answer holds no result for this account".to_owned(),
            whole_request: false,
            retryable: false,
        }
    }

    /// The item broke an input rule (bulk input is validated item by item).
    pub(crate) fn invalid(error: &Error) -> ItemError {
        ItemError {
            kind: ErrorKind::InvalidInput,
            code: None,
            message: error.message().to_owned(),
            whole_request: false,
            retryable: false,
        }
    }

    /// The kind of failure: [`ErrorKind::Api`] for a per-item code, the request's kind when
    /// the whole request failed, [`ErrorKind::InvalidInput`] for refused bulk input.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The TIM code (`ResultCode`, or the request's `ErrorCode`), if there was one.
    pub fn code(&self) -> Option<ErrorCode> {
        self.code
    }

    /// The message (`ResultInfo` or the request's error). Never match on it: the server's
    /// strings are inconsistent.
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
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => write!(f, "{}: {}", self.kind, self.message),
        }
    }
}

impl std::error::Error for ItemError {}

impl Serialize for ItemError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ItemError", 4)?;
        st.serialize_field("kind", &kind_name(self.kind))?;
        st.serialize_field("code", &self.code.map(ErrorCode::code))?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("request_failed", &self.whole_request)?;
        st.end()
    }
}

pub(crate) fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidInput => "invalid_input",
        ErrorKind::Auth => "auth",
        ErrorKind::Throttled => "throttled",
        ErrorKind::Api => "api",
        ErrorKind::Transport => "transport",
        ErrorKind::Timeout => "timeout",
        ErrorKind::Decode => "decode",
        _ => "other",
    }
}

/// The result for one distinct account of a batch call.
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
/// use tim_sns::CheckType;
/// let report = tim.blocklist().check("alice", ["bob", "carol"], CheckType::Both).await?;
/// for item in report.items() {
///     match &item.result {
///         Ok(relation) => println!("#{} {}: {relation}", item.index, item.account),
///         Err(e) => println!("#{} {}: failed, {e}", item.index, item.account),
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ItemResult<T> {
    /// The account (`To_Account`, or the item's account for friend items).
    pub account: String,
    /// Its position in the input (the first one, if the input repeated it).
    pub index: usize,
    /// Its value (e.g. a [`crate::Relation`]) or why it failed.
    pub result: Result<T, ItemError>,
}

impl<T> ItemResult<T> {
    /// Whether the item succeeded.
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }

    /// The value, if the item succeeded.
    pub fn value(&self) -> Option<&T> {
        self.result.as_ref().ok()
    }

    /// The failure, if the item failed.
    pub fn error(&self) -> Option<&ItemError> {
        self.result.as_ref().err()
    }

    /// The failure's code, if the item failed with one.
    pub fn code(&self) -> Option<ErrorCode> {
        self.error().and_then(ItemError::code)
    }
}

impl<T: Serialize> Serialize for ItemResult<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ItemResult", 4)?;
        st.serialize_field("index", &self.index)?;
        st.serialize_field("account", &self.account)?;
        st.serialize_field("ok", &self.result.is_ok())?;
        match &self.result {
            Ok(v) => st.serialize_field("value", v)?,
            Err(e) => st.serialize_field("error", e)?,
        }
        st.end()
    }
}

/// A repeated account in the input of a batch call: it was sent once, and its result is
/// the one at `first_index`.
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
/// let report = tim.blocklist().delete("alice", ["bob", "bob"]).await?;
/// let d = &report.duplicates()[0];
/// assert_eq!((d.account.as_str(), d.index, d.first_index), ("bob", 1, 0));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Duplicate {
    /// The repeated account.
    pub account: String,
    /// Where it was repeated.
    pub index: usize,
    /// Where it first appeared.
    pub first_index: usize,
}

/// The merged outcome of a batch call: one [`ItemResult`] per distinct input account, in
/// input order, plus the positions where the input repeated an account.
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
/// let report = tim.blocklist().add("alice", ["bob", "carol", "bob"]).await?;
/// assert_eq!(report.len(), 2); // bob and carol, once each
/// assert_eq!(report.duplicates()[0].index, 2);
/// for item in report.failed() {
///     eprintln!("{} -> {}", item.account, item.error().unwrap());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BatchReport<T> {
    pub(crate) items: Vec<ItemResult<T>>,
    pub(crate) duplicates: Vec<Duplicate>,
    pub(crate) requests: usize,
}

impl<T> BatchReport<T> {
    /// Every distinct account's result, in input order.
    pub fn items(&self) -> &[ItemResult<T>] {
        &self.items
    }

    /// Takes the results.
    pub fn into_items(self) -> Vec<ItemResult<T>> {
        self.items
    }

    /// The results that succeeded.
    pub fn succeeded(&self) -> impl Iterator<Item = &ItemResult<T>> {
        self.items.iter().filter(|i| i.is_ok())
    }

    /// The results that failed.
    pub fn failed(&self) -> impl Iterator<Item = &ItemResult<T>> {
        self.items.iter().filter(|i| !i.is_ok())
    }

    /// Whether every item succeeded.
    pub fn all_succeeded(&self) -> bool {
        self.items.iter().all(ItemResult::is_ok)
    }

    /// The result for `account`.
    pub fn get(&self, account: &str) -> Option<&ItemResult<T>> {
        self.items.iter().find(|i| i.account == account)
    }

    /// Repeated accounts of the input (sent once, reported here rather than dropped).
    pub fn duplicates(&self) -> &[Duplicate] {
        &self.duplicates
    }

    /// The number of distinct accounts.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_errors_describe_themselves() {
        let e = ItemError::item(30001, "Err_SNS_BlackListAdd_Already_Exist");
        assert_eq!(e.to_string(), "30001 (bad request parameter): Err_SNS_BlackListAdd_Already_Exist");
        assert!(!e.is_retryable() && !e.is_request_failure());
        assert!(ItemError::item(30007, "").is_retryable());
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], 30001);
        assert_eq!(json["kind"], "api");
        let r = ItemResult { account: "bob".into(), index: 3, result: Ok::<_, ItemError>(()) };
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"index":3,"account":"bob","ok":true,"value":null}"#);
    }
}
