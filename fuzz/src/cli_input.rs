//! `cli_input`: the `tx` command's input readers on any file content: ids one per line
//! (`--from-file`) when the first byte is even, CSV pairs (`--pairs`) when it is odd; then
//! the pairs read are written as `--remaining` does and read back.
//!
//! Checks: the stream yields as many items as the check counted; every id is what the id
//! rule makes of itself (trimmed, accepted); no id (no pair) appears twice; what
//! `--remaining` writes, a resumed run reads back unchanged.

use crate::input::Input;
use std::collections::HashSet;
use std::path::PathBuf;
use tx_cli::__fuzz::{csv_pairs, id, line_ids, remaining_round_trip};

/// The id limit of TIM UserIDs.
const MAX_BYTES: usize = 32;

thread_local! {
    /// One scratch directory per thread, removed at exit; in memory where Linux offers it
    /// (`/dev/shm`), since every execution writes and reads files.
    static DIR: tempfile::TempDir = tempfile::tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .expect("a scratch directory");
}

fn dir() -> PathBuf {
    DIR.with(|d| d.path().to_path_buf())
}

fn accepted(text: &str) {
    assert_eq!(id(text, MAX_BYTES).as_deref(), Ok(text), "{text:?} is not what the id rule keeps");
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let mut input = Input::new(data);
    let dir = dir();
    if input.byte().is_multiple_of(2) {
        let Ok(ids) = line_ids(&dir, input.rest(), MAX_BYTES) else { return };
        assert!(!ids.is_empty(), "an input with no ids was accepted");
        let mut seen = HashSet::new();
        for i in &ids {
            accepted(i);
            assert!(seen.insert(i), "{i:?} repeated");
        }
    } else {
        let Ok(pairs) = csv_pairs(&dir, input.rest(), MAX_BYTES) else { return };
        assert!(!pairs.is_empty(), "an input with no pairs was accepted");
        let mut seen = HashSet::new();
        for (from, to) in &pairs {
            accepted(from);
            accepted(to);
            assert!(seen.insert((from, to)), "({from:?}, {to:?}) repeated");
        }
        assert_eq!(remaining_round_trip(&dir, &pairs, MAX_BYTES), Ok(pairs.clone()), "--remaining changes the pairs");
    }
}
