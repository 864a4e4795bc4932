//! What `tx` prints: one record per line on stdout, as a JSON object with `--json` or as a
//! table row otherwise, and a summary (a last JSON object, or a line on stderr). The shapes
//! are a contract, documented in `docs/cli-output.md`.
//!
//! A closed pipe (`tx … | head`) ends output quietly.

mod row;
mod table;
pub mod time;

pub use row::{Row, Summary, error_value};
pub use table::Column;

use std::io::{self, BufWriter, IsTerminal, Stdout, Write};
use table::Table;

/// Writes records and the summary.
pub struct Printer {
    json: bool,
    table: Table,
    out: BufWriter<Stdout>,
    closed: bool,
}

impl Printer {
    /// A printer of JSON lines, or of a table with `columns` (aligned on a terminal,
    /// tab-separated otherwise).
    pub fn new(json: bool, columns: &'static [Column]) -> Self {
        Printer {
            json,
            table: Table::new(columns, io::stdout().is_terminal()),
            out: BufWriter::new(io::stdout()),
            closed: false,
        }
    }

    /// Whether records are JSON.
    pub fn json(&self) -> bool {
        self.json
    }

    /// One record.
    pub fn record(&mut self, row: &Row) {
        let line = if self.json { serde_json::to_string(row).unwrap_or_default() } else { self.table.line(row) };
        if let Some(header) = (!self.json).then(|| self.table.header()).flatten() {
            self.write(&header);
        }
        self.write(&line);
    }

    /// The summary: the last JSON object, or a line on stderr.
    pub fn summary(&mut self, summary: &Summary) {
        if self.json {
            let line = serde_json::to_string(summary).unwrap_or_default();
            self.write(&line);
        } else {
            self.flush();
            eprintln!("{}", summary.human());
        }
        self.flush();
    }

    fn write(&mut self, line: &str) {
        if self.closed {
            return;
        }
        if writeln!(self.out, "{line}").is_err() {
            self.closed = true;
        }
    }

    /// Flushes what is buffered.
    pub fn flush(&mut self) {
        if !self.closed && self.out.flush().is_err() {
            self.closed = true;
        }
    }
}

impl Drop for Printer {
    fn drop(&mut self) {
        self.flush();
    }
}
