//! Records as table rows: a header, then one line per record; columns padded on a
//! terminal, tab-separated (without colour or padding) otherwise.

use super::Row;
use serde_json::Value;

/// A column: its header, the record field it shows, and its width on a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The header.
    pub header: &'static str,
    /// The record field.
    pub field: &'static str,
    /// The width on a terminal (the last column is not padded).
    pub width: usize,
}

impl Column {
    /// A column showing `field` under `header`, `width` wide on a terminal.
    pub const fn new(header: &'static str, field: &'static str, width: usize) -> Column {
        Column { header, field, width }
    }
}

pub(super) struct Table {
    columns: &'static [Column],
    aligned: bool,
    header_done: bool,
}

impl Table {
    pub fn new(columns: &'static [Column], aligned: bool) -> Table {
        Table { columns, aligned, header_done: false }
    }

    /// The header line, the first time only.
    pub fn header(&mut self) -> Option<String> {
        if self.header_done || self.columns.is_empty() {
            return None;
        }
        self.header_done = true;
        Some(self.join(self.columns.iter().map(|c| c.header.to_owned()).collect()))
    }

    pub fn line(&self, row: &Row) -> String {
        self.join(self.columns.iter().map(|c| cell(row.get(c.field))).collect())
    }

    fn join(&self, cells: Vec<String>) -> String {
        if !self.aligned {
            return cells.join("\t");
        }
        let last = cells.len().saturating_sub(1);
        let mut line = String::new();
        for (i, (cell, column)) in cells.iter().zip(self.columns).enumerate() {
            if i == last {
                line.push_str(cell);
            } else {
                let width = column.width.max(column.header.len());
                line.push_str(&format!("{cell:<width$}  "));
            }
        }
        line.trim_end().to_owned()
    }
}

/// A field as text: strings as they are, errors as `code: message`, nothing for null.
/// Tabs and line breaks become spaces, so a row stays one line.
fn cell(value: Option<&Value>) -> String {
    let text = match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(error)) if error.contains_key("message") => {
            let message = error.get("message").and_then(Value::as_str).unwrap_or_default();
            match error.get("code").and_then(Value::as_i64) {
                Some(code) => format!("{code}: {message}"),
                None => format!("{}: {message}", error.get("kind").and_then(Value::as_str).unwrap_or("error")),
            }
        }
        Some(other) => other.to_string(),
    };
    text.replace(['\t', '\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[Column] =
        &[Column::new("INDEX", "index", 5), Column::new("ID", "id", 6), Column::new("ERROR", "error", 0)];

    #[test]
    fn tab_separated_off_a_terminal_and_padded_on_one() {
        let row = Row::new("item", "x")
            .field("index", 3)
            .field("id", "bo\tb")
            .field("error", serde_json::json!({"code": 30003, "kind": "api", "message": "no such account"}));
        let mut plain = Table::new(COLUMNS, false);
        assert_eq!(plain.header().as_deref(), Some("INDEX\tID\tERROR"));
        assert_eq!(plain.header(), None, "once");
        assert_eq!(plain.line(&row), "3\tbo b\t30003: no such account");
        let aligned = Table::new(COLUMNS, true);
        assert_eq!(aligned.line(&row), "3      bo b    30003: no such account");
        let ok = Row::new("item", "x").field("index", 4).field("id", "al");
        assert_eq!(aligned.line(&ok), "4      al");
    }
}
