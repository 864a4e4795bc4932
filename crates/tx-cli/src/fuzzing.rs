//! Entry points for the fuzz targets (`fuzz/`), compiled only with the `fuzzing` feature:
//! the id and CSV input readers, over the bytes of a file.

use crate::input::remaining::{Format, Remaining};
use crate::input::{CsvInput, LineInput, check_id};
use std::path::{Path, PathBuf};

/// What reading an input file gave: the items streamed after the check, or the message
/// of the first error (of the check or of the stream).
pub type Read<T> = Result<Vec<T>, String>;

/// The ids of a file holding `bytes` (as `--from-file`), each at most `max_bytes` long.
pub fn line_ids(dir: &Path, bytes: &[u8], max_bytes: usize) -> Read<String> {
    let path = write(dir, "ids.txt", bytes)?;
    let input = LineInput::open(&path, max_bytes).map_err(|e| e.to_string())?;
    let expected = input.len();
    let ids: Vec<String> =
        input.stream().map_err(|e| e.to_string())?.collect::<Result<_, _>>().map_err(|e| e.to_string())?;
    assert_eq!(ids.len() as u64, expected, "the stream yields as many ids as the check counted");
    Ok(ids)
}

/// The pairs of a CSV file holding `bytes` (as `--pairs`), each id at most `max_bytes`.
pub fn csv_pairs(dir: &Path, bytes: &[u8], max_bytes: usize) -> Read<(String, String)> {
    let path = write(dir, "pairs.csv", bytes)?;
    read_pairs(&path, max_bytes)
}

/// Writes `pairs` as `--remaining` does for a CSV input, and reads the file back as a
/// resumed run would.
pub fn remaining_round_trip(dir: &Path, pairs: &[(String, String)], max_bytes: usize) -> Read<(String, String)> {
    let path = dir.join("remaining.csv");
    let mut remaining = Remaining::create(&path, Format::Pairs).map_err(|e| e.to_string())?;
    for (from, to) in pairs {
        remaining.write(&[from, to]).map_err(|e| e.to_string())?;
    }
    remaining.finish().map_err(|e| e.to_string())?;
    read_pairs(&path, max_bytes)
}

/// The rule every id of every input mode is checked with.
pub fn id(text: &str, max_bytes: usize) -> Result<String, String> {
    check_id(text, max_bytes)
}

fn read_pairs(path: &Path, max_bytes: usize) -> Read<(String, String)> {
    let input = CsvInput::open(path, max_bytes).map_err(|e| e.to_string())?;
    let expected = input.len();
    let pairs: Vec<(String, String)> =
        input.stream().map_err(|e| e.to_string())?.collect::<Result<_, _>>().map_err(|e| e.to_string())?;
    assert_eq!(pairs.len() as u64, expected, "the stream yields as many pairs as the check counted");
    Ok(pairs)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}
