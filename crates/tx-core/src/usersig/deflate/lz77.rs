//! Finding matches the way zlib's `deflate_fast` (levels 1–3) and `deflate_slow`
//! (levels 4–9, lazy evaluation) do: the same 15-bit rolling hash, the same chains, the
//! same limits, so the same matches.

use super::block::{BlockCoder, Sym};
use super::tables::{MAX_MATCH, MIN_MATCH, TOO_FAR};

const HASH_BITS: u32 = 15;
const HASH_SIZE: usize = 1 << HASH_BITS;
const HASH_MASK: u32 = (HASH_SIZE - 1) as u32;
/// Chain end; position 0 doubles as it, so zlib never matches against position 0.
const NIL: usize = 0;

/// zlib's configuration table: (good_length, max_lazy, nice_length, max_chain).
pub(super) const CONFIG: [(usize, usize, usize, usize); 10] = [
    (0, 0, 0, 0),
    (4, 4, 8, 4),
    (4, 5, 16, 8),
    (4, 6, 32, 32),
    (4, 4, 16, 16),
    (8, 16, 32, 32),
    (8, 16, 128, 128),
    (8, 32, 128, 256),
    (32, 128, 258, 1024),
    (32, 258, 258, 4096),
];

/// Hash heads and chains, reused across documents.
///
/// zlib keeps one head per 15-bit hash value and clears all 32 Ki of them for every
/// stream, which is what makes it slow on tiny inputs. Here the same table (with 0 as
/// zlib's NIL, which is why position 0 is never matched) is cleared after each document
/// by zeroing only the heads that document set.
pub(super) struct Matcher {
    heads: Box<[u16; HASH_SIZE]>,
    prev: Vec<u16>,
    /// zlib's hash of the three bytes at each position, computed up front.
    hashes: Vec<u16>,
    /// Positions below this have been inserted, in increasing order.
    inserted: usize,
}

impl Matcher {
    pub(super) fn new() -> Self {
        let heads: Box<[u16; HASH_SIZE]> =
            vec![0u16; HASH_SIZE].into_boxed_slice().try_into().expect("HASH_SIZE slots");
        Matcher { heads, prev: Vec::new(), hashes: Vec::new(), inserted: 0 }
    }

    /// Prepares for a document of `len` bytes in `w`, keeping the insertions of positions
    /// below `keep` (which must see the same bytes as before) and undoing the others.
    fn begin(&mut self, w: &[u8], len: usize, keep: usize) {
        if keep == 0 {
            // Every slot the previous document set is the hash of one of its positions.
            for &h in &self.hashes[..self.inserted] {
                self.heads[usize::from(h)] = 0;
            }
        } else {
            // Undo later insertions newest first: each restores the head it replaced.
            for pos in (keep..self.inserted).rev() {
                self.heads[usize::from(self.hashes[pos])] = self.prev[pos];
            }
        }
        self.inserted = self.inserted.min(keep);
        self.hashes.truncate(keep);
        self.hashes.extend(
            w[keep..len + 2]
                .windows(3)
                .map(|b| (((u32::from(b[0]) << 10) ^ (u32::from(b[1]) << 5) ^ u32::from(b[2])) & HASH_MASK) as u16),
        );
        self.prev.truncate(keep);
        self.prev.resize(len, 0);
    }

    /// zlib's INSERT_STRING: links `pos` into its chain and returns the previous head.
    #[inline]
    fn insert(&mut self, pos: usize) -> usize {
        let slot = &mut self.heads[usize::from(self.hashes[pos]) & (HASH_SIZE - 1)];
        let head = *slot;
        *slot = pos as u16;
        self.prev[pos] = head;
        self.inserted = pos + 1;
        usize::from(head)
    }
}

/// The state of a lazy parse at the top of one step, and what it has depended on so far:
/// a later document that agrees with this one on every byte up to `reach` (and on the
/// length, if `length_bound`) reaches the same state and may resume from it.
/// Positions fit in 16 bits (documents are at most `MAX_INPUT` bytes), which keeps the
/// per-step record small.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Checkpoint {
    strstart: u16,
    syms: u16,
    match_length: u16,
    match_start: u16,
    /// The highest byte index any decision before this point read, plus one.
    reach: u16,
    match_available: bool,
    /// Whether a decision before this point depended on the document's length.
    length_bound: bool,
}

impl Checkpoint {
    /// The start of a parse.
    pub(super) fn start() -> Self {
        Checkpoint { match_length: (MIN_MATCH - 1) as u16, ..Checkpoint::default() }
    }

    /// Whether a document sharing its first `common` bytes with this one, of the same
    /// length or not, parses identically up to this point.
    pub(super) fn holds_for(&self, common: usize, same_length: bool) -> bool {
        usize::from(self.reach) <= common && (same_length || !self.length_bound)
    }

    /// How many symbols were emitted before this point.
    pub(super) fn symbols(&self) -> usize {
        usize::from(self.syms)
    }

    /// Where the parse stands.
    pub(super) fn position(&self) -> usize {
        usize::from(self.strstart)
    }
}

/// One document's parse. `w` is the input followed by at least 258 zero bytes, as zlib's
/// window is zeroed past the data.
pub(super) struct Parse<'a> {
    pub w: &'a [u8],
    pub n: usize,
    pub level: usize,
    pub matcher: &'a mut Matcher,
    pub coder: &'a mut BlockCoder,
    pub syms: &'a mut Vec<Sym>,
    match_start: usize,
    reach: usize,
    length_bound: bool,
}

impl<'a> Parse<'a> {
    /// A parse of `w[..n]` that resumes at `from` (whose insertions and symbols the
    /// matcher and `syms` still hold).
    pub(super) fn new(
        w: &'a [u8],
        n: usize,
        level: usize,
        from: &Checkpoint,
        matcher: &'a mut Matcher,
        coder: &'a mut BlockCoder,
        syms: &'a mut Vec<Sym>,
    ) -> Self {
        matcher.begin(w, n, from.position());
        Parse {
            w,
            n,
            level,
            matcher,
            coder,
            syms,
            match_start: usize::from(from.match_start),
            reach: usize::from(from.reach),
            length_bound: from.length_bound,
        }
    }

    #[inline]
    fn insert(&mut self, pos: usize) -> usize {
        self.reach = self.reach.max(pos + MIN_MATCH);
        self.matcher.insert(pos)
    }

    /// zlib's `longest_match`: the longest match at `strstart` better than `prev_length`
    /// along the chain from `cur_match`, limited to the lookahead.
    fn longest_match(&mut self, mut cur_match: usize, strstart: usize, prev_length: usize, lookahead: usize) -> usize {
        let (good, _, nice, max_chain) = CONFIG[self.level];
        let w = self.w;
        let mut chain = max_chain;
        let mut best_len = prev_length;
        let mut nice_match = nice;
        if prev_length >= good {
            chain >>= 2;
        }
        if nice_match > lookahead {
            nice_match = lookahead;
            self.length_bound = true;
        }
        let scan = &w[strstart..strstart + MAX_MATCH + 1];
        let mut far = best_len;
        loop {
            let m = &w[cur_match..cur_match + MAX_MATCH + 1];
            if m[best_len] == scan[best_len]
                && m[best_len - 1] == scan[best_len - 1]
                && m[0] == scan[0]
                && m[1] == scan[1]
            {
                // Equal hashes and equal first two bytes imply an equal third byte.
                let mut len = MIN_MATCH;
                while len < MAX_MATCH && scan[len] == m[len] {
                    len += 1;
                }
                far = far.max(len);
                if len > best_len {
                    self.match_start = cur_match;
                    best_len = len;
                    if len >= nice_match {
                        break;
                    }
                }
            }
            far = far.max(best_len);
            cur_match = usize::from(self.matcher.prev[cur_match]);
            chain -= 1;
            if cur_match == NIL || chain == 0 {
                break;
            }
        }
        self.reach = self.reach.max(strstart + far + 1);
        if best_len > lookahead {
            self.length_bound = true;
        }
        best_len.min(lookahead)
    }

    /// zlib's `deflate_slow`: lazy matching, from `from`, recording a checkpoint per step.
    pub(super) fn slow(&mut self, from: &Checkpoint, checkpoints: &mut Vec<Checkpoint>) {
        let max_lazy = CONFIG[self.level].1;
        let n = self.n;
        let mut strstart = from.position();
        let mut lookahead = n - strstart;
        let mut match_available = from.match_available;
        let mut match_length = usize::from(from.match_length);
        while lookahead > 0 {
            // Every value fits: positions and symbol counts stay below MAX_INPUT, and
            // `reach` below MAX_INPUT + MAX_MATCH + 1.
            checkpoints.push(Checkpoint {
                strstart: strstart as u16,
                syms: self.syms.len() as u16,
                match_length: match_length as u16,
                match_start: self.match_start as u16,
                reach: self.reach as u16,
                match_available,
                length_bound: self.length_bound,
            });
            let hash_head = if lookahead >= MIN_MATCH {
                self.insert(strstart)
            } else {
                self.length_bound = true;
                NIL
            };
            let prev_length = match_length;
            let prev_match = self.match_start;
            match_length = MIN_MATCH - 1;
            if hash_head != NIL && prev_length < max_lazy {
                match_length = self.longest_match(hash_head, strstart, prev_length, lookahead);
                if match_length == MIN_MATCH && strstart - self.match_start > TOO_FAR {
                    match_length = MIN_MATCH - 1;
                }
            }
            if prev_length >= MIN_MATCH && match_length <= prev_length {
                let max_insert = strstart + lookahead - MIN_MATCH;
                self.coder.tally_match(self.syms, strstart - 1 - prev_match, prev_length - MIN_MATCH);
                lookahead -= prev_length - 1;
                for _ in 0..prev_length - 2 {
                    strstart += 1;
                    if strstart <= max_insert {
                        self.insert(strstart);
                    } else {
                        self.length_bound = true;
                    }
                }
                match_available = false;
                match_length = MIN_MATCH - 1;
                strstart += 1;
            } else if match_available {
                self.reach = self.reach.max(strstart);
                self.coder.tally_literal(self.syms, self.w[strstart - 1]);
                strstart += 1;
                lookahead -= 1;
            } else {
                match_available = true;
                strstart += 1;
                lookahead -= 1;
            }
        }
        if match_available {
            self.coder.tally_literal(self.syms, self.w[strstart - 1]);
        }
    }

    /// zlib's `deflate_fast`: greedy matching (always from the start).
    pub(super) fn fast(&mut self) {
        let max_insert_length = CONFIG[self.level].1;
        let (mut strstart, mut lookahead) = (0usize, self.n);
        let mut match_length = MIN_MATCH - 1;
        while lookahead > 0 {
            let hash_head = if lookahead >= MIN_MATCH { self.insert(strstart) } else { NIL };
            if hash_head != NIL {
                match_length = self.longest_match(hash_head, strstart, MIN_MATCH - 1, lookahead);
            }
            if match_length >= MIN_MATCH {
                self.coder.tally_match(self.syms, strstart - self.match_start, match_length - MIN_MATCH);
                lookahead -= match_length;
                if match_length <= max_insert_length && lookahead >= MIN_MATCH {
                    for _ in 0..match_length - 1 {
                        strstart += 1;
                        self.insert(strstart);
                    }
                    strstart += 1;
                } else {
                    strstart += match_length;
                }
                match_length = 0;
            } else {
                self.coder.tally_literal(self.syms, self.w[strstart]);
                lookahead -= 1;
                strstart += 1;
            }
        }
    }
}
