//! Warning texts on a stream of materials of one account, on tx-core's bulk runner
//! ([`tx_core::bulk`]): bounded memory, bounded requests in flight, one record per input
//! material however the run ends. Built by [`super::Watermarks::add_many`] and
//! [`super::Watermarks::add_many_and_wait`].
//!
//! The [`WatermarkPlanner`] checks each material id of a window (a bad one becomes a failed
//! record before anything is sent), turns repeats into `duplicate` records, and groups the
//! rest into units of 100, one `watermarks/add` each; with a wait, a unit then polls its
//! records (`watermarks/get`) until they are done or the wait's timeout passes.
//!
//! A material ends `ok` when its text is on (or, without a wait, when the service took it:
//! done or processing, see [`Watermark::outcome`]) and `failed` when the service refused it
//! (its reason is the error's message), when it was still processing at the end of the
//! wait (`timeout`), or when its request failed. A failure that dooms every later request
//! (a refused token or client id) stops the run: every material not sent is
//! `not_attempted`.

use super::add::{self, Input};
use super::report::{Watermark, WatermarkOutcome, WatermarkReport};
use super::wait;
use crate::api::Api;
use crate::code::ErrorCode;
use crate::report::ItemError;
use crate::validate::{self, MAX_MATERIALS_PER_REQUEST};
use crate::wait::WaitOptions;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::sync::Arc;
use tx_core::bulk::{Bulk, Outcome, Planner, Record, UnitOutcome, Work};
use tx_core::{Error, ErrorKind};

/// A streamed warning-text run over one account's materials, ready to start:
/// `.max_in_flight(n)`, `.on_progress(f)`, `.stop_handle()`, then `.stream()` or `.run()`.
pub type WatermarkBulk = Bulk<WatermarkPlanner>;

/// The record of one input material: its index, its id, and what became of it.
pub type MaterialRecord = Record<String, Watermark, ErrorCode>;

/// The Ads planner of warning-text runs: units of up to 100 distinct materials.
pub struct WatermarkPlanner {
    api: Api,
    account: i64,
    organization_id: Option<i64>,
    texts: Arc<Vec<String>>,
    wait: Option<WaitOptions>,
}

impl fmt::Debug for WatermarkPlanner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WatermarkPlanner")
            .field("account", &self.account)
            .field("texts", &self.texts.len())
            .field("wait", &self.wait)
            .finish_non_exhaustive()
    }
}

impl WatermarkPlanner {
    /// Checks what applies to the whole run (the account, the organization, the texts,
    /// the wait) before any input is read.
    pub(super) fn new(
        api: &Api,
        account: i64,
        organization_id: Option<i64>,
        texts: Vec<String>,
        wait: Option<WaitOptions>,
    ) -> Result<WatermarkPlanner, Error> {
        // A one-material input checks the account, the organization and the texts as an add does.
        Input::new(account, organization_id, ["0"], texts.iter().cloned())?;
        if let Some(w) = &wait {
            w.validate()?;
        }
        Ok(WatermarkPlanner { api: api.clone(), account, organization_id, texts: Arc::new(texts), wait })
    }
}

impl Planner for WatermarkPlanner {
    type Item = String;
    type Value = Watermark;
    type Code = ErrorCode;

    fn plan(&self, window: Vec<(usize, Result<String, Error>)>) -> Vec<Work<String, Watermark, ErrorCode>> {
        let mut work = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut unit = Vec::with_capacity(MAX_MATERIALS_PER_REQUEST);
        for (index, item) in window {
            let id = match item {
                Ok(id) => id.trim().to_owned(),
                Err(e) => {
                    work.push(Work::Done(Record::new(index, None, Outcome::Failed(ItemError::invalid(&e)))));
                    continue;
                }
            };
            if let Err(e) = validate::check_value(|| format!("materials[{index}].material_id"), &id) {
                work.push(Work::Done(Record::new(index, Some(id), Outcome::Failed(ItemError::invalid(&e)))));
                continue;
            }
            match seen.entry(id.clone()) {
                Entry::Occupied(first) => {
                    let first_index = *first.get();
                    work.push(Work::Done(Record::new(index, Some(id), Outcome::Duplicate { first_index })));
                }
                Entry::Vacant(v) => {
                    v.insert(index);
                    unit.push((index, id));
                    if unit.len() == MAX_MATERIALS_PER_REQUEST {
                        work.push(Work::Run(std::mem::take(&mut unit)));
                    }
                }
            }
        }
        if !unit.is_empty() {
            work.push(Work::Run(unit));
        }
        work
    }

    fn run(&self, unit: Vec<(usize, String)>) -> BoxFuture<'static, UnitOutcome<String, Watermark, ErrorCode>> {
        let (api, account, organization_id) = (self.api.clone(), self.account, self.organization_id);
        let (texts, wait) = (Arc::clone(&self.texts), self.wait);
        async move {
            let ids = unit.iter().map(|(_, id)| id.as_str());
            let report = match Input::new(account, organization_id, ids, texts.iter().cloned()) {
                Ok(input) => match wait {
                    Some(opts) => wait::add_and_wait(&api, &input, opts).await,
                    None => add::add(&api, &input).await,
                },
                Err(e) => Err(e),
            };
            match report {
                Ok(report) => records(unit, &report, wait),
                Err(e) => {
                    let failure = if e.kind() == ErrorKind::InvalidInput {
                        ItemError::invalid(&e)
                    } else {
                        ItemError::request(&e)
                    };
                    let records = unit
                        .into_iter()
                        .map(|(index, id)| Record::new(index, Some(id), Outcome::Failed(failure.clone())))
                        .collect();
                    let requests = u64::from(e.kind() != ErrorKind::InvalidInput && !e.request_not_sent());
                    UnitOutcome { records, requests, fatal: is_fatal(&e).then_some(e) }
                }
            }
        }
        .boxed()
    }
}

/// The records of a unit from its report (whose items are the unit's, in order).
fn records(
    unit: Vec<(usize, String)>,
    report: &WatermarkReport,
    wait: Option<WaitOptions>,
) -> UnitOutcome<String, Watermark, ErrorCode> {
    let records = unit
        .into_iter()
        .zip(report.items())
        .map(|((index, id), item)| {
            let outcome = match (item.value(), item.error()) {
                (Some(w), _) => outcome(w, wait, report.poll_error()),
                (None, Some(e)) => Outcome::Failed(e.clone()),
                (None, None) => Outcome::Failed(ItemError::missing()),
            };
            // A success found by repeating an add whose reply was lost (the service's dedup).
            Record::new(index, Some(id), outcome).with_reconciled(item.reconciled)
        })
        .collect();
    UnitOutcome { records, requests: report.requests() as u64, fatal: None }
}

/// What a material's last known state makes of its record.
fn outcome(w: &Watermark, wait: Option<WaitOptions>, poll_error: Option<&ItemError>) -> Outcome<Watermark, ErrorCode> {
    let record = w.record_id.as_deref().unwrap_or("(none)");
    match w.outcome {
        WatermarkOutcome::Success => Outcome::Ok(w.clone()),
        WatermarkOutcome::Processing if wait.is_none() => Outcome::Ok(w.clone()),
        WatermarkOutcome::Processing => match poll_error {
            Some(e) => Outcome::Failed(e.clone()),
            None => Outcome::Failed(ItemError::without_code(
                ErrorKind::Timeout,
                format!("still processing when polling ended (record {record})"),
            )),
        },
        WatermarkOutcome::TimedOut => {
            let after = wait.map(|w| w.timeout().as_secs()).unwrap_or_default();
            Outcome::Failed(ItemError::without_code(
                ErrorKind::Timeout,
                format!("still processing when the wait ended after {after} s (record {record}): poll it later"),
            ))
        }
        WatermarkOutcome::Failed | WatermarkOutcome::Deleted => {
            let reason = w.reason.clone().unwrap_or_else(|| format!("the service answered {}", w.status));
            Outcome::Failed(ItemError::without_code(ErrorKind::Api, reason))
        }
    }
}

/// Whether a whole-request failure means no later request can succeed either: the
/// credentials or the client id were refused, or the account needs a new authorization.
fn is_fatal(e: &Error) -> bool {
    e.kind() == ErrorKind::Auth
        || e.code().map(ErrorCode::from).is_some_and(|c| c.is_ban_risk() || c.needs_reauthorization())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fatal_errors_are_credential_errors() {
        assert!(is_fatal(&Error::api(ErrorKind::Auth, 11002, "x")));
        assert!(is_fatal(&Error::api(ErrorKind::Api, 11007, "x")));
        assert!(is_fatal(&Error::api(ErrorKind::Api, 11012, "x")));
        assert!(!is_fatal(&Error::api(ErrorKind::Throttled, 11017, "x")));
        assert!(!is_fatal(&Error::api(ErrorKind::Api, 66045, "x")));
    }
}
