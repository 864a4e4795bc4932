//! Ids one per line, from a file or stdin: checked in full, then streamed, so files of any
//! size run in bounded memory.
//!
//! Checking reads the input once and keeps an 8-byte fingerprint per id to find repeats;
//! repeated fingerprints are confirmed by a second read that compares the ids, so a
//! collision is never reported as a repeat. Stdin is spooled to a temporary file so it can
//! be checked and then read again. While streaming, every line is checked again and the
//! input is compared with what was checked (line count and a digest): an input that
//! changed underneath the run stops it rather than being read halfway.

use super::rule::check_id;
use crate::exit::CliError;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use tx_sdk::{Error, ErrorKind};

/// What an id may be: the id a line holds (trimmed), or why it is not one.
pub type Rule = fn(&str, usize) -> Result<String, String>;

/// A checked file of ids.
#[derive(Debug)]
pub struct LineInput {
    path: PathBuf,
    label: String,
    lines: u64,
    digest: u64,
    max_bytes: usize,
    rule: Rule,
    _spool: Option<tempfile::NamedTempFile>,
}

/// The lines of a file, the first without a byte-order mark, with their numbers.
fn lines(file: File) -> impl Iterator<Item = (u64, io::Result<String>)> {
    BufReader::with_capacity(64 * 1024, file).lines().enumerate().map(|(i, line)| {
        let line = if i == 0 { line.map(|l| l.strip_prefix('\u{FEFF}').map(str::to_owned).unwrap_or(l)) } else { line };
        (i as u64 + 1, line)
    })
}

fn fingerprint(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl LineInput {
    /// Opens `path` (`-` = stdin) and checks every line: an id of at most `max_bytes`
    /// bytes, no repeats.
    pub fn open(path: &Path, max_bytes: usize) -> Result<LineInput, CliError> {
        LineInput::open_with(path, max_bytes, check_id)
    }

    /// Opens `path` (`-` = stdin) and checks every line with `rule`, and for repeats.
    pub fn open_with(path: &Path, max_bytes: usize, rule: Rule) -> Result<LineInput, CliError> {
        let (file, label, spool) = spool(path)?;
        let mut input = LineInput { path: file, label, lines: 0, digest: 0, max_bytes, rule, _spool: spool };
        input.check()?;
        Ok(input)
    }

    /// The checked ids, read afresh: for a look at the input before the run (which reads
    /// it with [`LineInput::stream`]).
    pub fn ids(&self) -> Result<impl Iterator<Item = String> + '_, CliError> {
        let ids = lines(self.file()?).filter_map(|(_, line)| line.ok());
        Ok(ids.filter_map(|line| (self.rule)(&line, self.max_bytes).ok()))
    }

    /// Ids in the input.
    pub fn len(&self) -> u64 {
        self.lines
    }

    fn file(&self) -> Result<File, CliError> {
        File::open(&self.path).map_err(|e| CliError::input(format!("cannot open {}: {e}", self.label)))
    }

    fn check(&mut self) -> Result<(), CliError> {
        let mut fingerprints = Vec::new();
        let mut digest = DefaultHasher::new();
        for (line_no, line) in lines(self.file()?) {
            let line = line.map_err(|e| CliError::input(format!("{} line {line_no}: {e}", self.label)))?;
            let id = (self.rule)(&line, self.max_bytes)
                .map_err(|why| CliError::input(format!("{} line {line_no} {why}", self.label)))?;
            id.hash(&mut digest);
            fingerprints.push(fingerprint(&id));
        }
        if fingerprints.is_empty() {
            return Err(CliError::input(format!("{} holds no ids", self.label)));
        }
        self.lines = fingerprints.len() as u64;
        self.digest = digest.finish();
        fingerprints.sort_unstable();
        let repeated: HashSet<u64> = fingerprints.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
        drop(fingerprints);
        if repeated.is_empty() {
            return Ok(());
        }
        let mut first_seen: HashMap<String, u64> = HashMap::new();
        for (line_no, line) in lines(self.file()?) {
            let Ok(id) = (self.rule)(&line?, self.max_bytes) else { continue };
            if !repeated.contains(&fingerprint(&id)) {
                continue;
            }
            if let Some(first) = first_seen.insert(id.clone(), line_no) {
                return Err(CliError::input(format!(
                    "{} line {line_no} repeats line {first} ({id:?}); remove repeats",
                    self.label
                )));
            }
        }
        Ok(())
    }

    /// The ids, read as they are consumed. A line that no longer checks, a line past the
    /// checked count, or a different content is an `Err` (of a kind that stops a bulk run).
    pub fn stream(self) -> Result<impl Iterator<Item = Result<String, Error>> + Send, CliError> {
        let reader = lines(self.file()?);
        Ok(LineStream { reader, input: self, digest: DefaultHasher::new(), seen: 0, done: false })
    }
}

/// Stdin spooled to a temporary file, or the file itself.
pub(super) fn spool(path: &Path) -> Result<(PathBuf, String, Option<tempfile::NamedTempFile>), CliError> {
    if path == Path::new("-") {
        let mut spool = tempfile::NamedTempFile::new()?;
        io::copy(&mut io::stdin().lock(), spool.as_file_mut())?;
        Ok((spool.path().to_path_buf(), "stdin".to_owned(), Some(spool)))
    } else {
        Ok((path.to_path_buf(), path.display().to_string(), None))
    }
}

/// The failure of an input that changed (or could not be read) while it was streamed.
pub(super) fn changed(label: &str, why: impl std::fmt::Display) -> Error {
    Error::other(ErrorKind::Decode, format!("{label} changed while it was read: {why}"), io::Error::other("changed"))
}

struct LineStream<R> {
    reader: R,
    input: LineInput,
    digest: DefaultHasher,
    seen: u64,
    done: bool,
}

impl<R: Iterator<Item = (u64, io::Result<String>)>> Iterator for LineStream<R> {
    type Item = Result<String, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let label = &self.input.label;
        let Some((line_no, line)) = self.reader.next() else {
            self.done = true;
            if self.seen != self.input.lines || self.digest.finish() != self.input.digest {
                return Some(Err(changed(label, "its ids are not the ones checked before the run")));
            }
            return None;
        };
        let result = match line {
            Err(e) => Err(changed(label, format_args!("line {line_no}: {e}"))),
            Ok(_) if self.seen == self.input.lines => {
                Err(changed(label, format_args!("it has more than the {} lines checked", self.input.lines)))
            }
            Ok(line) => (self.input.rule)(&line, self.input.max_bytes)
                .map_err(|why| changed(label, format_args!("line {line_no} {why}"))),
        };
        match &result {
            Ok(id) => {
                self.seen += 1;
                id.hash(&mut self.digest);
            }
            Err(_) => self.done = true,
        }
        Some(result)
    }
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

    fn ids(input: LineInput) -> Vec<String> {
        input.stream().unwrap().map(Result::unwrap).collect()
    }

    #[test]
    fn checked_files_stream_their_trimmed_ids() {
        let f = file("\u{FEFF}alice\n bob \r\ncarol\n");
        let input = LineInput::open(f.path(), 32).unwrap();
        assert_eq!(input.len(), 3);
        assert_eq!(ids(input), ["alice", "bob", "carol"]);
    }

    #[test]
    fn bad_lines_and_repeats_name_the_line() {
        let err = |text: &str| LineInput::open(file(text).path(), 32).unwrap_err().to_string();
        assert!(err("alice\n\nbob\n").contains("line 2 is blank"));
        assert!(err(&format!("{}\n", "x".repeat(33))).contains("line 1 is 33 bytes long"));
        assert!(err("alice\nbo\u{0}b\n").contains("line 2 holds a control character"));
        assert!(err("alice\nbob\nalice\n").contains("line 3 repeats line 1"));
        assert!(err("").contains("holds no ids"));
    }

    #[test]
    fn an_input_that_changes_while_streamed_stops_the_stream() {
        let mut f = file("alice\nbob\n");
        let input = LineInput::open(f.path(), 32).unwrap();
        f.write_all(b"\ncarol\n").unwrap();
        let got: Vec<Result<String, Error>> = input.stream().unwrap().collect();
        assert_eq!((got[0].as_ref().unwrap(), got[1].as_ref().unwrap()), (&"alice".to_owned(), &"bob".to_owned()));
        let e = got[2].as_ref().unwrap_err();
        assert!(e.message().contains("more than the 2 lines checked"), "{e}");
        assert_ne!(e.kind(), ErrorKind::InvalidInput, "it stops the run rather than failing one item");
        assert_eq!(got.len(), 3);

        let f = file("alice\nbob\n");
        let input = LineInput::open(f.path(), 32).unwrap();
        std::fs::write(f.path(), "alice\nbeth\n").unwrap();
        let got: Vec<Result<String, Error>> = input.stream().unwrap().collect();
        assert!(got.last().unwrap().as_ref().unwrap_err().message().contains("not the ones checked"));
    }
}
