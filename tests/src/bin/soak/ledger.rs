//! What the `tx` output claims about each input item, and how it compares with the
//! emulator's state.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One item record's claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// `ok`.
    Done,
    /// `failed`, and the item was certainly not applied.
    Failed,
    /// `failed` with `outcome_unknown`: it may or may not have been applied.
    FailedUnknown,
    /// `not_attempted`.
    NotAttempted,
}

impl Claim {
    /// The claim of an `item` record.
    pub fn of(record: &Value) -> Claim {
        match record["status"].as_str() {
            Some("ok") => Claim::Done,
            Some("failed") if record["error"]["outcome_unknown"] == true => Claim::FailedUnknown,
            Some("failed") => Claim::Failed,
            Some("not_attempted") => Claim::NotAttempted,
            other => panic!("an item record without a known status ({other:?}): {record}"),
        }
    }
}

/// Claims by item key, in the order the runs made them.
#[derive(Debug, Default)]
pub struct Ledger {
    claims: BTreeMap<String, Vec<Claim>>,
}

impl Ledger {
    /// Adds the claims of one run: `key` names the item a record is about.
    pub fn add_run(&mut self, records: &[Value], key: impl Fn(&Value) -> String) {
        for r in records.iter().filter(|r| r["record"] == "item") {
            self.claims.entry(key(r)).or_default().push(Claim::of(r));
        }
    }

    /// Compares with `applied` (the items the emulator holds as done) over `input`.
    pub fn tally(&self, input: &[String], applied: &BTreeSet<String>) -> Tally {
        let mut t = Tally { items: input.len() as u64, ..Tally::default() };
        for key in input {
            let claims: Vec<&Claim> = self
                .claims
                .get(key)
                .map(|c| c.iter().filter(|c| **c != Claim::NotAttempted).collect())
                .unwrap_or_default();
            let was_applied = applied.contains(key);
            match claims.as_slice() {
                [] if self.claims.contains_key(key) => {
                    t.not_attempted += 1;
                    t.wrong += u64::from(was_applied);
                }
                [] => t.lost += 1,
                [claim] => match claim {
                    Claim::Done => {
                        t.ok += 1;
                        t.wrong += u64::from(!was_applied);
                    }
                    Claim::Failed => {
                        t.failed += 1;
                        t.wrong += u64::from(was_applied);
                    }
                    Claim::FailedUnknown => {
                        t.failed_unknown += 1;
                        t.unknown_applied += u64::from(was_applied);
                    }
                    Claim::NotAttempted => unreachable!("filtered out"),
                },
                _ => t.duplicated += 1,
            }
        }
        let known: BTreeSet<&String> = input.iter().collect();
        t.wrong += applied.iter().filter(|a| !known.contains(a)).count() as u64;
        t
    }
}

/// The figures of one platform's run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Input items.
    pub items: u64,
    /// Claimed done (and checked against the state).
    pub ok: u64,
    /// Claimed failed, certainly not applied.
    pub failed: u64,
    /// Claimed failed with the outcome unknown.
    pub failed_unknown: u64,
    /// Of those, found applied.
    pub unknown_applied: u64,
    /// Never tried (the run was stopped and not resumed).
    pub not_attempted: u64,
    /// Input items with no record at all.
    pub lost: u64,
    /// Items with more than one record that is not `not_attempted`.
    pub duplicated: u64,
    /// Records the state contradicts (done but not applied, failed or not attempted but
    /// applied), and applied items that were never in the input.
    pub wrong: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn claims_are_compared_with_the_state() {
        let records = [
            json!({"record": "item", "k": "a", "status": "ok"}),
            json!({"record": "item", "k": "b", "status": "failed", "error": {"outcome_unknown": true}}),
            json!({"record": "item", "k": "c", "status": "failed", "error": {"outcome_unknown": false}}),
            json!({"record": "item", "k": "d", "status": "not_attempted"}),
            json!({"record": "item", "k": "e", "status": "ok"}),
            json!({"record": "item", "k": "e", "status": "ok"}),
            json!({"record": "summary"}),
        ];
        let mut ledger = Ledger::default();
        ledger.add_run(&records, |r| r["k"].as_str().unwrap().to_owned());
        let input: Vec<String> = ["a", "b", "c", "d", "e", "f"].map(String::from).to_vec();
        let applied: BTreeSet<String> = ["a", "b", "c", "e", "z"].map(String::from).into();
        let t = ledger.tally(&input, &applied);
        assert_eq!((t.ok, t.failed, t.failed_unknown, t.unknown_applied), (1, 1, 1, 1));
        assert_eq!((t.not_attempted, t.lost, t.duplicated), (1, 1, 1));
        assert_eq!(t.wrong, 2, "c failed but applied; z applied but never asked for");
    }
}
