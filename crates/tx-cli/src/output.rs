//! Results on stdout: human lines by default, one JSON object per line with `--json`.
//! A closed pipe (`tx … | head`) ends output quietly.

use std::io::{self, BufWriter, Stdout, Write};

/// Writes results.
pub struct Printer {
    json: bool,
    out: BufWriter<Stdout>,
    closed: bool,
}

impl Printer {
    /// A printer for stdout.
    pub fn new(json: bool) -> Self {
        Printer { json, out: BufWriter::new(io::stdout()), closed: false }
    }

    /// One result: `value` as a JSON line, or the text `human` makes.
    pub fn record(&mut self, value: &serde_json::Value, human: impl FnOnce() -> String) {
        if self.json {
            let line = value.to_string();
            self.write(&line);
        } else {
            let text = human();
            self.write(&text);
        }
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
