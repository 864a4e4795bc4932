//! (From, To) pairs from CSV, read with the `csv` crate: quoted fields, a header row in any
//! case or spacing, a UTF-8 byte-order mark and CRLF line ends are all fine. Checked and
//! streamed by [`super::checked`].

use super::checked::{Bad, Checked, Format};
use super::rule::check_id;
use crate::exit::CliError;
use std::fs::File;
use std::path::Path;

/// Two ids a row, `From_Account,To_Account`, after an optional header row.
#[derive(Debug, Clone, Copy)]
pub struct CsvPairs {
    max_bytes: usize,
}

impl Format for CsvPairs {
    type Item = (String, String);
    const ITEMS: &'static str = "pairs";

    fn records(self, file: File) -> impl Iterator<Item = (u64, Result<(String, String), Bad>)> + Send {
        rows(file).map(move |row| match row {
            Ok((line, record)) => (line, pair(&record, self.max_bytes).map_err(Bad::Invalid)),
            Err((line, e)) => (line, Err(Bad::Unreadable(e))),
        })
    }

    fn show((from, to): &(String, String)) -> String {
        format!("{from},{to}")
    }
}

/// A checked CSV file of pairs.
pub type CsvInput = Checked<CsvPairs>;

impl CsvInput {
    /// Opens `path` (`-` = stdin) and checks every row: two ids, no repeated pair.
    pub fn open(path: &Path, max_bytes: usize) -> Result<CsvInput, CliError> {
        Checked::open_as(path, CsvPairs { max_bytes })
    }
}

/// Whether a row is the header `From_Account,To_Account` (in any case, with or without
/// spaces, `_` or `-`; `from,to` too).
fn is_header(record: &csv::StringRecord) -> bool {
    let norm = |s: &str| s.chars().filter(|c| !matches!(c, ' ' | '_' | '-')).collect::<String>().to_lowercase();
    let fields: Vec<String> = record.iter().map(norm).collect();
    matches!(fields.as_slice(), [f, t] if (f == "fromaccount" || f == "from") && (t == "toaccount" || t == "to"))
}

/// The rows of a CSV file: `(line, fields)` or the error with its line.
fn rows(file: File) -> impl Iterator<Item = Result<(u64, csv::StringRecord), (u64, String)>> {
    let reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(file);
    let mut first = true;
    reader.into_records().filter_map(move |record| {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Some(Err((line, e.to_string())));
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let record = if first { strip_bom(record) } else { record };
        let header = first && is_header(&record);
        first = false;
        (!header).then_some(Ok((line, record)))
    })
}

fn strip_bom(record: csv::StringRecord) -> csv::StringRecord {
    match record.get(0) {
        Some(f) if f.starts_with('\u{FEFF}') => {
            let mut fields: Vec<String> = record.iter().map(str::to_owned).collect();
            fields[0] = fields[0].trim_start_matches('\u{FEFF}').to_owned();
            csv::StringRecord::from(fields)
        }
        _ => record,
    }
}

/// The pair a row holds, checked, or why it is not one.
fn pair(record: &csv::StringRecord, max_bytes: usize) -> Result<(String, String), String> {
    if record.len() != 2 {
        return Err(format!("has {} fields; expected From_Account,To_Account", record.len()));
    }
    let from = check_id(&record[0], max_bytes).map_err(|why| format!("From_Account {why}"))?;
    let to = check_id(&record[1], max_bytes).map_err(|why| format!("To_Account {why}"))?;
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    fn pairs(text: &str) -> Result<Vec<(String, String)>, String> {
        let f = file(text);
        let input = CsvInput::open(f.path(), 32).map_err(|e| e.to_string())?;
        Ok(input.stream().unwrap().map(Result::unwrap).collect())
    }

    fn p(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn quotes_headers_boms_and_crlf() {
        assert_eq!(pairs("alice,bob\ncarol,dave\n").unwrap(), [p("alice", "bob"), p("carol", "dave")]);
        assert_eq!(pairs("\u{FEFF}From_Account,To_Account\r\nalice,bob\r\n").unwrap(), [p("alice", "bob")]);
        assert_eq!(pairs(" from account , TO-ACCOUNT\nalice,bob\n").unwrap(), [p("alice", "bob")]);
        assert_eq!(pairs("\"a,b\",\"c \"\"d\"\"\"\n").unwrap(), [p("a,b", "c \"d\"")]);
        assert_eq!(pairs("\u{FEFF}alice,bob\n").unwrap(), [p("alice", "bob")], "a BOM before data");
        assert_eq!(pairs(" alice ,\tbob\n").unwrap(), [p("alice", "bob")], "what is checked is what is sent");
    }

    #[test]
    fn malformed_rows_name_their_line() {
        assert!(pairs("alice,bob\nalice\n").unwrap_err().contains("line 2 has 1 fields"));
        assert!(pairs("alice,bob\ncarol,\n").unwrap_err().contains("line 2 To_Account is blank"));
        assert!(pairs("alice,bob\nx,y\nalice,bob\n").unwrap_err().contains("line 3 repeats line 1"));
        assert!(pairs("a,\u{200B}b\n").unwrap_err().contains("line 1 To_Account holds a zero-width space"));
        assert!(pairs("From_Account,To_Account\n").unwrap_err().contains("holds no pairs"));
        assert!(pairs("a,b\n\"c,d\n").is_err(), "an unterminated quote");
    }
}
