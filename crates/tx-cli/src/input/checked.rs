//! An input file checked in full before a run, then streamed: files of any size run in
//! bounded memory, and what is checked is what is sent.
//!
//! Checking reads the input once and keeps an 8-byte fingerprint per item to find repeats;
//! repeated fingerprints are confirmed by a second read that compares the items, so a
//! collision is never reported as a repeat. Stdin is spooled to a temporary file so it can
//! be checked and then read again. While streaming, every record is checked again and the
//! input is compared with what was checked (item count and a digest): an input that
//! changed underneath the run stops it rather than being read halfway.

use crate::exit::CliError;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use tx_sdk::{Error, ErrorKind};

/// How one kind of input file reads: numbered records, each an item or why it is not one.
pub trait Format: Copy + Send + 'static {
    /// One checked item.
    type Item: Hash + Eq + Clone + Send;
    /// What the items are called in messages: `ids`, `pairs`.
    const ITEMS: &'static str;
    /// The records of `file` with their line numbers.
    fn records(self, file: File) -> impl Iterator<Item = (u64, Result<Self::Item, Bad>)> + Send;
    /// An item as a message shows it.
    fn show(item: &Self::Item) -> String;
}

/// Why a record is not an item.
#[derive(Debug)]
pub enum Bad {
    /// The file could not be read there.
    Unreadable(String),
    /// The record breaks a rule of the format.
    Invalid(String),
}

/// Written after `line N`: `line 3: stream did not contain valid UTF-8`, `line 3 is blank`.
impl fmt::Display for Bad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bad::Unreadable(e) => write!(f, ": {e}"),
            Bad::Invalid(why) => write!(f, " {why}"),
        }
    }
}

/// A checked input file of `F`'s items.
#[derive(Debug)]
pub struct Checked<F> {
    path: PathBuf,
    label: String,
    items: u64,
    digest: u64,
    format: F,
    _spool: Option<tempfile::NamedTempFile>,
}

fn fingerprint(item: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    item.hash(&mut h);
    h.finish()
}

impl<F: Format> Checked<F> {
    /// Opens `path` (`-` = stdin) and checks every record, and that no item repeats.
    pub fn open_as(path: &Path, format: F) -> Result<Checked<F>, CliError> {
        let (file, label, spool) = spool(path)?;
        let mut input = Checked { path: file, label, items: 0, digest: 0, format, _spool: spool };
        input.check()?;
        Ok(input)
    }

    /// Items in the input.
    pub fn len(&self) -> u64 {
        self.items
    }

    /// The checked items, read afresh: for a look at the input before the run (which reads
    /// it with [`Checked::stream`]).
    pub fn items(&self) -> Result<impl Iterator<Item = F::Item> + use<F>, CliError> {
        Ok(self.format.records(self.file()?).filter_map(|(_, item)| item.ok()))
    }

    fn file(&self) -> Result<File, CliError> {
        File::open(&self.path).map_err(|e| CliError::input(format!("cannot open {}: {e}", self.label)))
    }

    fn check(&mut self) -> Result<(), CliError> {
        let mut fingerprints = Vec::new();
        let mut digest = DefaultHasher::new();
        for (line, item) in self.format.records(self.file()?) {
            let item = item.map_err(|bad| CliError::input(format!("{} line {line}{bad}", self.label)))?;
            item.hash(&mut digest);
            fingerprints.push(fingerprint(&item));
        }
        if fingerprints.is_empty() {
            return Err(CliError::input(format!("{} holds no {}", self.label, F::ITEMS)));
        }
        self.items = fingerprints.len() as u64;
        self.digest = digest.finish();
        fingerprints.sort_unstable();
        let repeated: HashSet<u64> = fingerprints.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
        drop(fingerprints);
        if repeated.is_empty() {
            return Ok(());
        }
        let mut first_seen: HashMap<F::Item, u64> = HashMap::new();
        for (line, item) in self.format.records(self.file()?) {
            let Ok(item) = item else { continue };
            if !repeated.contains(&fingerprint(&item)) {
                continue;
            }
            if let Some(first) = first_seen.insert(item.clone(), line) {
                return Err(CliError::input(format!(
                    "{} line {line} repeats line {first} ({}); remove repeats",
                    self.label,
                    F::show(&item)
                )));
            }
        }
        Ok(())
    }

    /// The items, read as they are consumed. A record that no longer checks, a record past
    /// the checked count, or a different content is an `Err` (of a kind that stops a bulk
    /// run), and the last item of the stream.
    pub fn stream(self) -> Result<impl Iterator<Item = Result<F::Item, Error>> + Send, CliError> {
        let mut records = self.format.records(self.file()?);
        let mut digest = DefaultHasher::new();
        let (mut seen, mut done) = (0u64, false);
        Ok(std::iter::from_fn(move || {
            if done {
                return None;
            }
            let label = &self.label;
            let result = match records.next() {
                None => {
                    done = true;
                    if seen == self.items && digest.finish() == self.digest {
                        return None;
                    }
                    Err(changed(label, format_args!("its {} are not the ones checked before the run", F::ITEMS)))
                }
                Some((line, Err(bad @ Bad::Unreadable(_)))) => Err(changed(label, format_args!("line {line}{bad}"))),
                Some(_) if seen == self.items => {
                    Err(changed(label, format_args!("it has more than the {} {} checked", self.items, F::ITEMS)))
                }
                Some((line, Err(bad))) => Err(changed(label, format_args!("line {line}{bad}"))),
                Some((_, Ok(item))) => Ok(item),
            };
            match &result {
                Ok(item) => {
                    seen += 1;
                    item.hash(&mut digest);
                }
                Err(_) => done = true,
            }
            Some(result)
        }))
    }
}

/// Stdin spooled to a temporary file, or the file itself.
fn spool(path: &Path) -> Result<(PathBuf, String, Option<tempfile::NamedTempFile>), CliError> {
    if path == Path::new("-") {
        let mut spool = tempfile::NamedTempFile::new()?;
        io::copy(&mut io::stdin().lock(), spool.as_file_mut())?;
        Ok((spool.path().to_path_buf(), "stdin".to_owned(), Some(spool)))
    } else {
        Ok((path.to_path_buf(), path.display().to_string(), None))
    }
}

/// The failure of an input that changed (or could not be read) while it was streamed.
fn changed(label: &str, why: impl fmt::Display) -> Error {
    Error::other(ErrorKind::Decode, format!("{label} changed while it was read: {why}"), io::Error::other("changed"))
}
