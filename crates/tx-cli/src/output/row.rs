//! Records and summaries as the output contract shapes them.

use crate::exit;
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::Value;
use std::collections::BTreeMap;
use tx_sdk::batch::ItemError;
use tx_sdk::bulk::BulkSummary;
use tx_sdk::{ErrorKind, PlatformCode};

/// One record: `{"record": kind, "command": …, fields…}`, fields in the order added.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    fields: Vec<(&'static str, Value)>,
}

impl Row {
    /// A record of `kind` (`item`, `entry`, `friend`, `usersig`, …) from `command`.
    pub fn new(kind: &'static str, command: &str) -> Row {
        Row { fields: vec![("record", Value::from(kind)), ("command", Value::from(command))] }
    }

    /// Adds a field.
    pub fn field(mut self, name: &'static str, value: impl Into<Value>) -> Row {
        self.fields.push((name, value.into()));
        self
    }

    /// Adds a time as two fields: `name` in RFC 3339 (UTC) and `{name}_unix`.
    pub fn time(self, name: &'static str, name_unix: &'static str, unix: u64) -> Row {
        self.field(name, super::time::rfc3339(unix)).field(name_unix, unix)
    }

    /// Adds an item error as `error: {code, kind, message, outcome_unknown}`.
    pub fn error<C: PlatformCode>(self, e: &ItemError<C>) -> Row {
        let code = e.code().map(PlatformCode::code);
        self.field("error", error_value(code, e.kind(), e.message(), e.outcome_unknown()))
    }

    /// The value of a field.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// `{"code": …, "kind": …, "message": …, "outcome_unknown": …}`.
pub fn error_value(code: Option<i64>, kind: ErrorKind, message: &str, outcome_unknown: bool) -> Value {
    serde_json::json!({"code": code, "kind": kind.as_str(), "message": message, "outcome_unknown": outcome_unknown})
}

impl Serialize for Row {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.fields.len()))?;
        for (name, value) in &self.fields {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// The last record of a command: what happened to its items, and the exit code.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    record: &'static str,
    command: String,
    total: u64,
    ok: u64,
    reconciled: u64,
    failed: u64,
    duplicate: u64,
    not_attempted: u64,
    requests: u64,
    elapsed_ms: u64,
    complete: bool,
    stopped: Option<String>,
    failures: BTreeMap<String, u64>,
    exit_code: u8,
}

impl Summary {
    /// The summary of a bulk run.
    pub fn of_run(command: &str, s: &BulkSummary, stopped: Option<String>, exit_code: u8) -> Summary {
        let mut failures: BTreeMap<String, u64> = s.failures_by_kind.clone().into_iter().collect();
        failures.extend(s.failures_by_code.iter().map(|(code, n)| (code.to_string(), *n)));
        Summary {
            record: "summary",
            command: command.to_owned(),
            total: s.done,
            ok: s.succeeded,
            reconciled: s.reconciled,
            failed: s.failed,
            duplicate: s.duplicates,
            not_attempted: s.not_attempted,
            requests: s.requests,
            elapsed_ms: s.elapsed.as_millis() as u64,
            complete: stopped.is_none(),
            stopped,
            failures,
            exit_code,
        }
    }

    /// The summary of a command whose records are all ok (a listing, a signature).
    pub fn of_records(command: &str, records: u64, requests: u64, elapsed_ms: u64) -> Summary {
        Summary {
            record: "summary",
            command: command.to_owned(),
            total: records,
            ok: records,
            reconciled: 0,
            failed: 0,
            duplicate: 0,
            not_attempted: 0,
            requests,
            elapsed_ms,
            complete: true,
            stopped: None,
            failures: BTreeMap::new(),
            exit_code: exit::OK,
        }
    }

    /// Counts the failure of a command with one record (a UserSig that did not verify).
    pub fn with_failure(mut self, what: &str, exit_code: u8) -> Summary {
        self.ok = 0;
        self.failed = self.total;
        self.failures.insert(what.to_owned(), self.total);
        self.exit_code = exit_code;
        self
    }

    /// Counts `failed` of the records as failures of `what` (tasks that did not end well).
    pub fn with_failures(mut self, failed: u64, what: &str, exit_code: u8) -> Summary {
        let failed = failed.min(self.total);
        self.ok = self.total - failed;
        self.failed = failed;
        self.failures.insert(what.to_owned(), failed);
        self.exit_code = exit_code;
        self
    }

    /// The exit code.
    pub fn exit_code(&self) -> u8 {
        self.exit_code
    }

    /// One line for people.
    pub fn human(&self) -> String {
        let mut line = format!("{}: {} ok", self.command, self.ok);
        if self.reconciled > 0 {
            line.push_str(&format!(" ({} reconciled)", self.reconciled));
        }
        line.push_str(&format!(", {} failed", self.failed));
        if !self.failures.is_empty() {
            let parts: Vec<String> = self.failures.iter().map(|(c, n)| format!("{c} x{n}")).collect();
            line.push_str(&format!(" ({})", parts.join(", ")));
        }
        if self.duplicate > 0 {
            line.push_str(&format!(", {} duplicate", self.duplicate));
        }
        if self.not_attempted > 0 {
            line.push_str(&format!(", {} not attempted", self.not_attempted));
        }
        if self.requests > 0 {
            line.push_str(&format!(", {} requests", self.requests));
        }
        line.push_str(&format!(", {:.2} s", self.elapsed_ms as f64 / 1000.0));
        if let Some(why) = &self.stopped {
            line.push_str(&format!("; stopped early: {why}"));
        }
        line
    }
}
