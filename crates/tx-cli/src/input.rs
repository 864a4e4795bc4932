//! Ids and pairs from arguments, files or stdin: validated in full before anything is sent,
//! then streamed, so files of any size run in bounded memory.
//!
//! Validation reads the input once and keeps only a 64-bit fingerprint per entry (8 bytes)
//! to find duplicates; fingerprints that repeat are resolved by a second read that compares
//! the actual lines, so a collision is never reported as a duplicate. Stdin is first spooled to a temporary file so it can be
//! validated and then read again.

use crate::error::CliError;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

/// A validated line-oriented input.
#[derive(Debug)]
pub struct LineInput {
    path: PathBuf,
    label: String,
    lines: u64,
    _spool: Option<tempfile::NamedTempFile>,
}

/// What one line must look like.
pub trait LineRule: Sync {
    /// The entry a line holds (after trimming), or why it is invalid.
    fn check(&self, line: &str) -> Result<String, String>;
}

/// One UserID per line: not blank, at most `max_bytes` bytes.
pub struct IdRule {
    /// The UserID length limit.
    pub max_bytes: usize,
}

impl LineRule for IdRule {
    fn check(&self, line: &str) -> Result<String, String> {
        let id = line.trim();
        if id.is_empty() {
            return Err("is blank; put one UserID per line".into());
        }
        if id.len() > self.max_bytes {
            return Err(format!("holds a {}-byte UserID; the limit is {}", id.len(), self.max_bytes));
        }
        Ok(id.to_owned())
    }
}

/// A `From_Account,To_Account` CSV row; a first row `From_Account,To_Account` is a header.
pub struct PairRule {
    /// The UserID length limit.
    pub max_bytes: usize,
}

impl LineRule for PairRule {
    fn check(&self, line: &str) -> Result<String, String> {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let [from, to] = fields[..] else {
            return Err(format!("has {} fields; expected From_Account,To_Account", fields.len()));
        };
        for (name, id) in [("From_Account", from), ("To_Account", to)] {
            if id.is_empty() {
                return Err(format!("has an empty {name}"));
            }
            if id.len() > self.max_bytes {
                return Err(format!("has a {}-byte {name}; the limit is {}", id.len(), self.max_bytes));
            }
        }
        Ok(format!("{from},{to}"))
    }
}

impl LineInput {
    /// Opens `path` (`-` = stdin), validates every line with `rule`, and refuses duplicates.
    /// `header` is a first line to skip if present verbatim (e.g. a CSV header).
    pub fn open(path: &Path, rule: &dyn LineRule, header: Option<&str>) -> Result<LineInput, CliError> {
        let (file, label, spool) = if path == Path::new("-") {
            let mut spool = tempfile::NamedTempFile::new()?;
            io::copy(&mut io::stdin().lock(), spool.as_file_mut())?;
            (spool.path().to_path_buf(), "stdin".to_owned(), Some(spool))
        } else {
            (path.to_path_buf(), path.display().to_string(), None)
        };
        let mut input = LineInput { path: file, label, lines: 0, _spool: spool };
        input.validate(rule, header)?;
        Ok(input)
    }

    /// Entries in the input.
    pub fn len(&self) -> u64 {
        self.lines
    }

    fn reader(&self) -> Result<BufReader<File>, CliError> {
        File::open(&self.path)
            .map(|f| BufReader::with_capacity(64 * 1024, f))
            .map_err(|e| CliError::input(format!("cannot open {}: {e}", self.label)))
    }

    fn validate(&mut self, rule: &dyn LineRule, header: Option<&str>) -> Result<(), CliError> {
        let mut fingerprints = Vec::new();
        for (i, line) in self.reader()?.lines().enumerate() {
            let line_no = i as u64 + 1;
            let line = line.map_err(|e| CliError::input(format!("{} line {line_no}: {e}", self.label)))?;
            if line_no == 1 && header.is_some_and(|h| line.trim() == h) {
                continue;
            }
            let entry =
                rule.check(&line).map_err(|why| CliError::input(format!("{} line {line_no} {why}", self.label)))?;
            fingerprints.push(fingerprint(&entry));
        }
        if fingerprints.is_empty() {
            return Err(CliError::input(format!("{} holds no entries", self.label)));
        }
        self.lines = fingerprints.len() as u64;
        fingerprints.sort_unstable();
        let repeated: HashSet<u64> = fingerprints.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
        drop(fingerprints);
        if repeated.is_empty() {
            return Ok(());
        }
        // Only entries whose fingerprint repeats are held, to compare them for real.
        let mut first_seen: HashMap<String, u64> = HashMap::new();
        for (i, line) in self.reader()?.lines().enumerate() {
            let line_no = i as u64 + 1;
            let line = line?;
            if line_no == 1 && header.is_some_and(|h| line.trim() == h) {
                continue;
            }
            let Ok(entry) = rule.check(&line) else { continue };
            if !repeated.contains(&fingerprint(&entry)) {
                continue;
            }
            if let Some(first) = first_seen.insert(entry.clone(), line_no) {
                return Err(CliError::input(format!(
                    "{} line {line_no} repeats line {first} ({entry:?}); remove duplicates",
                    self.label
                )));
            }
        }
        Ok(())
    }

    /// The entries, in order, read lazily.
    pub fn entries<'a>(&self, rule: &'a dyn LineRule, header: Option<&'a str>) -> Result<Entries<'a>, CliError> {
        Ok(Entries { lines: self.reader()?.lines(), rule, header, line_no: 0 })
    }
}

/// The entries of a validated input.
pub struct Entries<'a> {
    lines: io::Lines<BufReader<File>>,
    rule: &'a dyn LineRule,
    header: Option<&'a str>,
    line_no: u64,
}

impl Iterator for Entries<'_> {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        loop {
            let line = self.lines.next()?.ok()?;
            self.line_no += 1;
            if self.line_no == 1 && self.header.is_some_and(|h| line.trim() == h) {
                continue;
            }
            // Validated before: a line that fails now changed underneath us; stop there.
            return self.rule.check(&line).ok();
        }
    }
}

fn fingerprint(entry: &str) -> u64 {
    let mut h = DefaultHasher::new();
    entry.hash(&mut h);
    h.finish()
}

/// Checks ids given as arguments: the same rules, with positions instead of line numbers.
pub fn check_args(ids: &[String], rule: &dyn LineRule) -> Result<Vec<String>, CliError> {
    let mut seen = HashMap::new();
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            let entry = rule.check(id).map_err(|why| CliError::input(format!("argument {} {why}", i + 1)))?;
            if let Some(first) = seen.insert(entry.clone(), i + 1) {
                return Err(CliError::input(format!("argument {} repeats argument {first} ({entry:?})", i + 1)));
            }
            Ok(entry)
        })
        .collect()
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

    const IDS: IdRule = IdRule { max_bytes: 32 };

    #[test]
    fn valid_files_stream_their_entries() {
        let f = file("alice\n bob \r\ncarol\n");
        let input = LineInput::open(f.path(), &IDS, None).unwrap();
        assert_eq!(input.len(), 3);
        assert_eq!(input.entries(&IDS, None).unwrap().collect::<Vec<_>>(), ["alice", "bob", "carol"]);
    }

    #[test]
    fn blank_lines_long_ids_and_duplicates_name_the_line() {
        let err = |text: &str| LineInput::open(file(text).path(), &IDS, None).unwrap_err().to_string();
        assert!(err("alice\n\nbob\n").contains("line 2 is blank"), "{}", err("alice\n\nbob\n"));
        assert!(err(&format!("{}\n", "x".repeat(33))).contains("line 1 holds a 33-byte UserID"));
        let dup = err("alice\nbob\nalice\n");
        assert!(dup.contains("line 3 repeats line 1"), "{dup}");
        assert!(err("").contains("holds no entries"));
    }

    #[test]
    fn csv_pairs_with_a_header() {
        let rule = PairRule { max_bytes: 32 };
        let f = file("From_Account,To_Account\nalice,bob\ncarol, dave\n");
        let input = LineInput::open(f.path(), &rule, Some("From_Account,To_Account")).unwrap();
        assert_eq!(
            input.entries(&rule, Some("From_Account,To_Account")).unwrap().collect::<Vec<_>>(),
            ["alice,bob", "carol,dave"]
        );
        let bad = LineInput::open(file("alice,bob\nalice\n").path(), &rule, None).unwrap_err().to_string();
        assert!(bad.contains("line 2 has 1 fields"), "{bad}");
        let empty = LineInput::open(file("alice,\n").path(), &rule, None).unwrap_err().to_string();
        assert!(empty.contains("line 1 has an empty To_Account"), "{empty}");
    }

    #[test]
    fn arguments_follow_the_same_rules() {
        assert_eq!(check_args(&["a".into(), "b".into()], &IDS).unwrap(), ["a", "b"]);
        let e = check_args(&["a".into(), "".into()], &IDS).unwrap_err().to_string();
        assert!(e.contains("argument 2 is blank"), "{e}");
        let e = check_args(&["a".into(), "a".into()], &IDS).unwrap_err().to_string();
        assert!(e.contains("argument 2 repeats argument 1"), "{e}");
    }
}
