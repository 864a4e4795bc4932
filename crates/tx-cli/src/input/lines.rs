//! Ids one per line, from a file or stdin, checked and streamed by [`super::checked`].

use super::checked::{Bad, Checked, Format};
use super::rule::check_id;
use crate::exit::CliError;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// What an id may be: the id a line holds (trimmed), or why it is not one.
pub type Rule = fn(&str, usize) -> Result<String, String>;

/// One id per line, each checked by a rule; a byte-order mark before the first is dropped.
#[derive(Debug, Clone, Copy)]
pub struct IdLines {
    max_bytes: usize,
    rule: Rule,
}

impl Format for IdLines {
    type Item = String;
    const ITEMS: &'static str = "ids";

    fn records(self, file: File) -> impl Iterator<Item = (u64, Result<String, Bad>)> + Send {
        BufReader::with_capacity(64 * 1024, file).lines().enumerate().map(move |(i, line)| {
            let id = match line {
                Err(e) => Err(Bad::Unreadable(e.to_string())),
                Ok(line) => {
                    let line = if i == 0 { line.strip_prefix('\u{FEFF}').unwrap_or(&line) } else { &line };
                    (self.rule)(line, self.max_bytes).map_err(Bad::Invalid)
                }
            };
            (i as u64 + 1, id)
        })
    }

    fn show(id: &String) -> String {
        format!("{id:?}")
    }
}

/// A checked file of ids.
pub type LineInput = Checked<IdLines>;

impl LineInput {
    /// Opens `path` (`-` = stdin) and checks every line: an id of at most `max_bytes`
    /// bytes, no repeats.
    pub fn open(path: &Path, max_bytes: usize) -> Result<LineInput, CliError> {
        LineInput::open_with(path, max_bytes, check_id)
    }

    /// Opens `path` (`-` = stdin) and checks every line with `rule`, and for repeats.
    pub fn open_with(path: &Path, max_bytes: usize, rule: Rule) -> Result<LineInput, CliError> {
        Checked::open_as(path, IdLines { max_bytes, rule })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use tx_sdk::{Error, ErrorKind};

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
        assert!(e.message().contains("more than the 2 ids checked"), "{e}");
        assert_ne!(e.kind(), ErrorKind::InvalidInput, "it stops the run rather than failing one item");
        assert_eq!(got.len(), 3);

        let f = file("alice\nbob\n");
        let input = LineInput::open(f.path(), 32).unwrap();
        std::fs::write(f.path(), "alice\nbeth\n").unwrap();
        let got: Vec<Result<String, Error>> = input.stream().unwrap().collect();
        assert!(got.last().unwrap().as_ref().unwrap_err().message().contains("not the ones checked"));
    }
}
