//! Emitting one block: pricing stored, fixed and dynamic encodings as zlib's
//! `_tr_flush_block` does, then writing the cheapest.

use super::bits::BitWriter;
use super::huffman::{Builder, Desc, Tree};
use super::tables::*;

/// A literal (`dist == 0`, `lc` = byte) or a match (`dist` ≥ 1, `lc` = length − 3).
#[derive(Clone, Copy)]
pub(super) struct Sym {
    pub dist: u16,
    pub lc: u8,
}

const L_DESC: Desc =
    Desc { static_len: Some(&STATIC_LTREE_LEN), extra_by_code: &L_EXTRA_BY_CODE, elems: L_CODES, max_length: MAX_BITS };
const D_DESC: Desc =
    Desc { static_len: Some(&[5; D_CODES]), extra_by_code: &EXTRA_DBITS, elems: D_CODES, max_length: MAX_BITS };
const BL_DESC: Desc = Desc { static_len: None, extra_by_code: &EXTRA_BLBITS, elems: BL_CODES, max_length: MAX_BL_BITS };

/// Extra bits per literal/length code: none for literals and end of block.
const L_EXTRA_BY_CODE: [u8; L_CODES] = {
    let mut table = [0u8; L_CODES];
    let mut code = 0;
    while code < LENGTH_CODES {
        table[LITERALS + 1 + code] = EXTRA_LBITS[code];
        code += 1;
    }
    table
};

/// How Huffman code lengths are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Trees {
    /// zlib's heap, tie for tie: the output is byte-identical to zlib's.
    Exact,
    /// Optimal lengths by the two-queue method: the same cost, several times faster, but
    /// equal-frequency symbols may get each other's code lengths.
    Fast,
}

/// The per-block state: symbol frequencies, trees and tree-building scratch.
pub(super) struct BlockCoder {
    pub ltree: Tree,
    pub dtree: Tree,
    bltree: Tree,
    builder: Builder,
    pub trees: Trees,
    /// The code lengths of the literal/length tree then the distance tree, run-length
    /// encoded: counted to build the bit-length tree, then sent.
    len_codes: Vec<LenCode>,
}

impl BlockCoder {
    pub(super) fn new() -> Self {
        BlockCoder {
            ltree: Tree::new(),
            dtree: Tree::new(),
            bltree: Tree::new(),
            builder: Builder::new(),
            trees: Trees::Exact,
            len_codes: Vec::with_capacity(2 * L_CODES),
        }
    }

    fn build(&mut self, which: usize) {
        let (tree, desc) = match which {
            0 => (&mut self.ltree, &L_DESC),
            1 => (&mut self.dtree, &D_DESC),
            _ => (&mut self.bltree, &BL_DESC),
        };
        tree.prepare(desc.elems);
        match self.trees {
            Trees::Exact => self.builder.build(tree, desc),
            Trees::Fast => self.builder.build_fast(tree, desc),
        }
    }

    /// zlib's `init_block`.
    pub(super) fn start(&mut self) {
        self.ltree.clear(L_CODES);
        self.dtree.clear(D_CODES);
        self.bltree.clear(BL_CODES);
        self.ltree.count(END_BLOCK);
        self.builder.opt_len = 0;
        self.builder.static_len = 0;
    }

    /// Counts a symbol already in the list (when resuming a parse).
    pub(super) fn recount(&mut self, sym: Sym) {
        if sym.dist == 0 {
            self.ltree.count(usize::from(sym.lc));
        } else {
            self.ltree.count(usize::from(LENGTH_CODE[usize::from(sym.lc)]) + LITERALS + 1);
            self.dtree.count(d_code(usize::from(sym.dist) - 1));
        }
    }

    #[inline]
    pub(super) fn tally_literal(&mut self, syms: &mut Vec<Sym>, byte: u8) {
        syms.push(Sym { dist: 0, lc: byte });
        self.ltree.count(usize::from(byte));
    }

    #[inline]
    pub(super) fn tally_match(&mut self, syms: &mut Vec<Sym>, dist: usize, len_minus_3: usize) {
        syms.push(Sym { dist: dist as u16, lc: len_minus_3 as u8 });
        self.ltree.count(usize::from(LENGTH_CODE[len_minus_3]) + LITERALS + 1);
        self.dtree.count(d_code(dist - 1));
    }

    /// Writes the block holding `syms` (whose source bytes are `stored`), as zlib would.
    pub(super) fn flush(&mut self, w: &mut BitWriter<'_>, syms: &[Sym], stored: &[u8], last: bool) {
        self.build(0);
        self.build(1);
        let max_blindex = self.build_bl_tree();

        let mut opt_lenb = (self.builder.opt_len.wrapping_add(3 + 7)) >> 3;
        let static_lenb = (self.builder.static_len.wrapping_add(3 + 7)) >> 3;
        if static_lenb <= opt_lenb {
            opt_lenb = static_lenb;
        }
        let last_bit = u32::from(last);
        if stored.len() as u64 + 4 <= opt_lenb {
            w.put(last_bit, 3);
            w.align();
            let len = stored.len() as u16;
            w.bytes(&len.to_le_bytes());
            w.bytes(&(!len).to_le_bytes());
            w.bytes(stored);
        } else if static_lenb == opt_lenb {
            w.put((1 << 1) + last_bit, 3);
            compress_block(
                w,
                syms,
                |c| (STATIC_LTREE_CODE[c], STATIC_LTREE_LEN[c].into()),
                |c| (STATIC_DTREE_CODE[c], 5),
            );
        } else {
            w.put((2 << 1) + last_bit, 3);
            self.send_all_trees(w, max_blindex + 1);
            let (lt, dt) = (&self.ltree, &self.dtree);
            compress_block(w, syms, |c| (lt.code[c], lt.dl[c]), |c| (dt.code[c], dt.dl[c]));
        }
        self.start();
        if last {
            w.align();
        }
    }

    fn build_bl_tree(&mut self) -> usize {
        self.len_codes.clear();
        run_length_encode(&self.ltree, &mut self.len_codes);
        run_length_encode(&self.dtree, &mut self.len_codes);
        for c in &self.len_codes {
            self.bltree.count(usize::from(c.code));
        }
        self.build(2);
        let mut max_blindex = BL_CODES - 1;
        while max_blindex >= 3 {
            if self.bltree.len(BL_ORDER[max_blindex]) != 0 {
                break;
            }
            max_blindex -= 1;
        }
        self.builder.opt_len = self.builder.opt_len.wrapping_add(3 * (max_blindex as u64 + 1) + 5 + 5 + 4);
        max_blindex
    }

    fn send_all_trees(&self, w: &mut BitWriter<'_>, blcodes: usize) {
        let lcodes = self.ltree.max_code + 1;
        let dcodes = self.dtree.max_code + 1;
        w.put((lcodes - 257) as u32, 5);
        w.put((dcodes - 1) as u32, 5);
        w.put((blcodes - 4) as u32, 4);
        for &code in &BL_ORDER[..blcodes] {
            w.put(u32::from(self.bltree.len(code)), 3);
        }
        for c in &self.len_codes {
            let code = usize::from(c.code);
            w.put(u32::from(self.bltree.code[code]), u32::from(self.bltree.dl[code]));
            if code >= REP_3_6 {
                w.put(u32::from(c.extra), REPEAT_EXTRA_BITS[code - REP_3_6]);
            }
        }
    }
}

/// One code of the run-length encoded code lengths: a length 0..=15, or a repeat code
/// (16, 17, 18) with its extra-bits value.
#[derive(Clone, Copy)]
pub(super) struct LenCode {
    code: u8,
    extra: u8,
}

/// Extra bits of the repeat codes 16, 17 and 18.
const REPEAT_EXTRA_BITS: [u32; 3] = [2, 3, 7];

/// zlib's `scan_tree`/`send_tree` grouping of `tree`'s code lengths, appended to `out`,
/// computed per run of equal lengths instead of per code: a run of zeros goes in groups of
/// up to 138; a run of a non-zero length sends its first group of up to 7 as "the length,
/// then repeat it", later groups of up to 6 as repeats; groups too short to repeat are
/// sent plainly.
fn run_length_encode(tree: &Tree, out: &mut Vec<LenCode>) {
    let plain = |out: &mut Vec<LenCode>, len: usize, count: usize| {
        out.extend(std::iter::repeat_n(LenCode { code: len as u8, extra: 0 }, count));
    };
    tree.for_each_length_run(|len, run| {
        let len = usize::from(len);
        let mut remaining = run;
        let mut first = true;
        while remaining > 0 {
            let (max_count, min_count) = match (len, first) {
                (0, _) => (138, 3),
                (_, true) => (7, 4),
                (_, false) => (6, 3),
            };
            let count = remaining.min(max_count);
            if count < min_count {
                plain(out, len, count);
            } else if len != 0 {
                let repeats = if first {
                    plain(out, len, 1);
                    count - 1
                } else {
                    count
                };
                out.push(LenCode { code: REP_3_6 as u8, extra: (repeats - 3) as u8 });
            } else if count <= 10 {
                out.push(LenCode { code: REPZ_3_10 as u8, extra: (count - 3) as u8 });
            } else {
                out.push(LenCode { code: REPZ_11_138 as u8, extra: (count - 11) as u8 });
            }
            remaining -= count;
            first = false;
        }
    });
}

fn compress_block(
    w: &mut BitWriter<'_>,
    syms: &[Sym],
    ltree: impl Fn(usize) -> (u16, u16),
    dtree: impl Fn(usize) -> (u16, u16),
) {
    let send = |w: &mut BitWriter<'_>, (code, len): (u16, u16)| w.put(u32::from(code), u32::from(len));
    for sym in syms {
        if sym.dist == 0 {
            send(w, ltree(usize::from(sym.lc)));
            continue;
        }
        let lc = usize::from(sym.lc);
        let code = usize::from(LENGTH_CODE[lc]);
        send(w, ltree(code + LITERALS + 1));
        let extra = u32::from(EXTRA_LBITS[code]);
        if extra != 0 {
            w.put((lc - usize::from(BASE_LENGTH[code])) as u32, extra);
        }
        let dist = usize::from(sym.dist) - 1;
        let code = d_code(dist);
        send(w, dtree(code));
        let extra = u32::from(EXTRA_DBITS[code]);
        if extra != 0 {
            w.put((dist - usize::from(BASE_DIST[code])) as u32, extra);
        }
    }
    send(w, ltree(END_BLOCK));
}
