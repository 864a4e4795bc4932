//! A zlib encoder for small documents whose output is byte-identical to zlib's at every
//! level (default strategy, window bits 15, memory level 8).
//!
//! Why not a crate: a UserSig document is about 200 bytes, and every zlib-compatible
//! encoder available (miniz_oxide, zlib, zlib-rs, libdeflate) spends most of its time
//! resetting hash tables sized for megabytes, 4–12 µs per signature on our machines, which
//! alone costs more than the official Node library's whole signature. This encoder runs
//! zlib's own algorithm (same hash, chains, lazy matching, Huffman trees and block choice)
//! over state that needs no clearing, and is checked byte for byte against zlib.
//!
//! Documents above [`MAX_INPUT`] bytes are left to the caller's general-purpose encoder:
//! beyond it zlib starts splitting blocks and sliding its window, which this does not model.

mod bits;
mod block;
mod huffman;
mod lz77;
mod tables;

use bits::BitWriter;
pub(crate) use block::Trees;
use block::{BlockCoder, Sym};
use lz77::{Checkpoint, Matcher, Parse};
use tables::MAX_MATCH;

/// The largest input encoded here (fewer symbols than zlib's 16 383-symbol block buffer).
pub(crate) const MAX_INPUT: usize = 16_000;

/// Reusable state; one per thread.
pub(crate) struct Deflater {
    window: Vec<u8>,
    matcher: Matcher,
    coder: BlockCoder,
    syms: Vec<Sym>,
    /// The previous lazy parse's checkpoints, if the matcher and `syms` still hold it.
    checkpoints: Vec<Checkpoint>,
    /// Length and level of the document the checkpoints belong to.
    previous: Option<(usize, u8)>,
}

impl Deflater {
    pub(crate) fn new() -> Self {
        Deflater {
            window: Vec::new(),
            matcher: Matcher::new(),
            coder: BlockCoder::new(),
            syms: Vec::new(),
            checkpoints: Vec::new(),
            previous: None,
        }
    }

    /// Where to start parsing `input`: the last checkpoint of the previous document that
    /// `input` is bound to reach too (documents such as UserSigs share long prefixes), or
    /// the start. Truncates the checkpoints, symbols and matcher state to it.
    fn resume_point(&mut self, input: &[u8], level: u8) -> Checkpoint {
        let Some((prev_len, prev_level)) = self.previous.take() else {
            self.checkpoints.clear();
            return Checkpoint::start();
        };
        if prev_level != level {
            self.checkpoints.clear();
            return Checkpoint::start();
        }
        let common = common_prefix(input, &self.window[..prev_len]);
        let same_length = prev_len == input.len();
        let keep = self.checkpoints.partition_point(|c| c.holds_for(common, same_length));
        self.checkpoints.truncate(keep);
        match self.checkpoints.pop() {
            Some(cp) => {
                self.syms.truncate(cp.symbols());
                cp
            }
            None => Checkpoint::start(),
        }
    }

    /// Appends the zlib stream of `input` at `level` (0–9) to `out`, building Huffman
    /// codes as `trees` says. Returns `false`, and writes nothing, if `input` is longer
    /// than [`MAX_INPUT`].
    pub(crate) fn compress(&mut self, input: &[u8], level: u8, trees: Trees, out: &mut Vec<u8>) -> bool {
        if input.len() > MAX_INPUT || level > 9 {
            return false;
        }
        out.extend_from_slice(&header(level));
        if level == 0 {
            stored_block(input, out);
        } else {
            let from = if level >= 4 { self.resume_point(input, level) } else { Checkpoint::start() };
            if from.position() == 0 {
                self.syms.clear();
                self.checkpoints.clear();
            }
            self.window.clear();
            self.window.extend_from_slice(input);
            self.window.resize(input.len() + MAX_MATCH + 8, 0);
            self.coder.trees = trees;
            self.coder.start();
            for &sym in &self.syms {
                self.coder.recount(sym);
            }
            let mut parse = Parse::new(
                &self.window,
                input.len(),
                usize::from(level),
                &from,
                &mut self.matcher,
                &mut self.coder,
                &mut self.syms,
            );
            if level <= 3 {
                parse.fast();
                self.previous = None;
            } else {
                parse.slow(&from, &mut self.checkpoints);
                self.previous = Some((input.len(), level));
            }
            let mut w = BitWriter::new(out);
            self.coder.flush(&mut w, &self.syms, input, true);
        }
        out.extend_from_slice(&adler32(input).to_be_bytes());
        true
    }
}

/// The two-byte zlib header: deflate, 32 KiB window, the level's FLEVEL, FCHECK.
fn header(level: u8) -> [u8; 2] {
    let flags: u16 = match level {
        0 | 1 => 0,
        2..=5 => 1,
        6 => 2,
        _ => 3,
    };
    let mut h: u16 = (8 + ((15 - 8) << 4)) << 8;
    h |= flags << 6;
    h += 31 - (h % 31);
    h.to_be_bytes()
}

/// Level 0: one final stored block, as zlib's `deflate_stored` emits for small input.
fn stored_block(input: &[u8], out: &mut Vec<u8>) {
    let len = input.len() as u16;
    out.push(1);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(input);
}

/// The length of the longest common prefix, compared eight bytes at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let words = a[..n].chunks_exact(8).zip(b[..n].chunks_exact(8));
    let mut i = 0;
    for (x, y) in words {
        if x != y {
            break;
        }
        i += 8;
    }
    i + a[i..n].iter().zip(&b[i..n]).take_while(|(x, y)| x == y).count()
}

fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 is the most bytes before `b` can overflow 32 bits.
    for chunk in data.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests;
