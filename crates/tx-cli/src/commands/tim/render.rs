//! How batch results look: one line per item (a table row, or a JSON object with
//! `--json`), then a summary on stderr.

use crate::output::Printer;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Instant;
use tx_sdk::tim::{BatchReport, ItemError, PairOutcome, PairResult};

/// Running totals of a command, printed at the end.
pub struct Tally {
    what: &'static str,
    started: Instant,
    pub succeeded: u64,
    pub failed: u64,
    by_code: BTreeMap<String, u64>,
    pub requests: u64,
}

impl Tally {
    pub fn new(what: &'static str) -> Self {
        Tally { what, started: Instant::now(), succeeded: 0, failed: 0, by_code: BTreeMap::new(), requests: 0 }
    }

    fn fail(&mut self, e: &ItemError) {
        self.failed += 1;
        let key = e.code().map_or_else(|| format!("{:?}", e.kind()).to_lowercase(), |c| c.code().to_string());
        *self.by_code.entry(key).or_default() += 1;
    }

    /// Prints the summary line on stderr.
    pub fn finish(&self) {
        let mut line = format!("{}: {} succeeded, {} failed", self.what, self.succeeded, self.failed);
        if !self.by_code.is_empty() {
            let codes: Vec<String> = self.by_code.iter().map(|(c, n)| format!("{c} x{n}")).collect();
            line.push_str(&format!(" ({})", codes.join(", ")));
        }
        if self.requests > 0 {
            line.push_str(&format!(", {} requests", self.requests));
        }
        line.push_str(&format!(", {:.2} s", self.started.elapsed().as_secs_f64()));
        eprintln!("{line}");
    }

    /// Whether every item succeeded.
    pub fn all_ok(&self) -> bool {
        self.failed == 0
    }
}

fn detail<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Null) => String::new(),
        Ok(v) => v.to_string(),
        Err(_) => String::new(),
    }
}

/// Prints a batch report (one owner), in input order.
pub fn report<T: Serialize>(out: &mut Printer, from: &str, report: &BatchReport<T>, tally: &mut Tally) {
    tally.requests += report.requests() as u64;
    for item in report.items() {
        let mut value = serde_json::to_value(item).unwrap_or_default();
        value["from"] = serde_json::json!(from);
        value["account"] = serde_json::json!(item.id);
        match &item.result {
            Ok(v) => {
                tally.succeeded += 1;
                out.record(&value, || format!("{from}\t{}\tok\t{}", item.id, detail(v)));
            }
            Err(e) => {
                tally.fail(e);
                out.record(&value, || format!("{from}\t{}\tfailed\t{e}", item.id));
            }
        }
    }
}

/// Prints one result of a bulk run.
pub fn pair<T: Serialize>(out: &mut Printer, r: &PairResult<T>, tally: &mut Tally) {
    let value = serde_json::to_value(r).unwrap_or_default();
    let (from, to) = r.item.as_ref().map_or(("", ""), |p| (p.from.as_str(), p.to.as_str()));
    match &r.outcome {
        PairOutcome::Ok(v) => {
            tally.succeeded += 1;
            out.record(&value, || format!("{from}\t{to}\tok\t{}", detail(v)));
        }
        PairOutcome::Failed(e) => {
            tally.fail(e);
            out.record(&value, || format!("{from}\t{to}\tfailed\t{e}"));
        }
        PairOutcome::Duplicate { first_index } => {
            tally.failed += 1;
            *tally.by_code.entry("duplicate".into()).or_default() += 1;
            out.record(&value, || format!("{from}\t{to}\tduplicate\tsame as item {first_index}"));
        }
        PairOutcome::NotAttempted => {
            tally.failed += 1;
            *tally.by_code.entry("not_attempted".into()).or_default() += 1;
            out.record(&value, || format!("{from}\t{to}\tnot_attempted"));
        }
    }
}
