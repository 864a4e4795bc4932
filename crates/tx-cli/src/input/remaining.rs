//! `--remaining FILE`: the items a run never tried, in the input's format, to run again.

use crate::exit::CliError;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// How the remaining items are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One id per line (the input was ids, with `--from` given separately).
    Ids,
    /// CSV `From_Account,To_Account` with a header.
    Pairs,
}

/// The file of remaining items: created (empty) when the run starts, so that after the
/// run it holds exactly the items not attempted.
pub struct Remaining {
    path: PathBuf,
    format: Format,
    out: csv::Writer<BufWriter<File>>,
    written: u64,
}

impl Remaining {
    /// Creates (or empties) `path`.
    pub fn create(path: &Path, format: Format) -> Result<Remaining, CliError> {
        let file = File::create(path)
            .map_err(|e| CliError::input(format!("cannot write --remaining {}: {e}", path.display())))?;
        let mut out = csv::WriterBuilder::new().has_headers(false).from_writer(BufWriter::new(file));
        if format == Format::Pairs {
            out.write_record(["From_Account", "To_Account"]).map_err(|e| write_error(path, e))?;
        }
        Ok(Remaining { path: path.to_path_buf(), format, out, written: 0 })
    }

    /// Writes one item: its fields (`[id]` or `[from, to]`).
    pub fn write(&mut self, fields: &[&str]) -> Result<(), CliError> {
        let fields = match self.format {
            Format::Ids => &fields[fields.len().saturating_sub(1)..],
            Format::Pairs => fields,
        };
        self.out.write_record(fields).map_err(|e| write_error(&self.path, e))?;
        self.written += 1;
        Ok(())
    }

    /// Flushes; returns how many items were written.
    pub fn finish(mut self) -> Result<u64, CliError> {
        self.out.flush().map_err(|e| CliError::input(format!("cannot write {}: {e}", self.path.display())))?;
        Ok(self.written)
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn write_error(path: &Path, e: csv::Error) -> CliError {
    CliError::input(format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_pairs_in_the_input_format() {
        let dir = tempfile::tempdir().unwrap();
        let ids = dir.path().join("ids.txt");
        let mut r = Remaining::create(&ids, Format::Ids).unwrap();
        r.write(&["alice", "bob"]).unwrap();
        r.write(&["alice", "carol"]).unwrap();
        assert_eq!(r.finish().unwrap(), 2);
        assert_eq!(std::fs::read_to_string(&ids).unwrap(), "bob\ncarol\n");
        let pairs = dir.path().join("pairs.csv");
        let mut r = Remaining::create(&pairs, Format::Pairs).unwrap();
        r.write(&["a,b", "c"]).unwrap();
        r.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&pairs).unwrap(), "From_Account,To_Account\n\"a,b\",c\n");
    }
}
