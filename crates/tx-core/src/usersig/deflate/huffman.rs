//! Length-limited Huffman codes, built exactly as zlib builds them (a heap ordered by
//! frequency then depth, the overflow repair of `gen_bitlen`, canonical codes), so that the
//! compressed bytes equal zlib's.

use super::tables::{HEAP_SIZE, MAX_BITS};

/// A tree under construction: leaves `0..elems`, inner nodes after them.
pub(super) struct Tree {
    pub freq: [u32; HEAP_SIZE],
    /// zlib's `dl` union: a node's parent while the tree is built, its code length after
    /// (0 for unused leaves).
    pub dl: [u16; HEAP_SIZE],
    pub code: [u16; HEAP_SIZE],
    /// Which leaves have a non-zero frequency, set by [`Tree::prepare`]. Small documents
    /// use a few dozen of the 286 literal/length codes; walking this instead of every code
    /// is much of the speed-up over zlib.
    pub used: [u64; 5],
    /// The largest used leaf.
    pub max_code: usize,
}

impl Tree {
    pub(super) fn new() -> Self {
        Tree { freq: [0; HEAP_SIZE], dl: [0; HEAP_SIZE], code: [0; HEAP_SIZE], used: [0; 5], max_code: 0 }
    }

    /// Forgets the frequencies of leaves `0..elems`.
    pub(super) fn clear(&mut self, elems: usize) {
        self.freq[..elems].fill(0);
    }

    /// Counts one occurrence of leaf `n`.
    #[inline]
    pub(super) fn count(&mut self, n: usize) {
        self.freq[n] += 1;
    }

    /// Marks the used leaves among `0..elems` and zeroes their code lengths, before a build.
    pub(super) fn prepare(&mut self, elems: usize) {
        self.used = [0; 5];
        // A word at a time in a register: OR-ing into memory bit by bit would chain every
        // iteration through a store and a reload.
        for (word, chunk) in self.used.iter_mut().zip(self.freq[..elems].chunks(64)) {
            *word = chunk.iter().enumerate().fold(0u64, |acc, (bit, &f)| acc | (u64::from(f != 0) << bit));
        }
        self.dl[..elems].fill(0);
    }

    /// Adds leaf `n` with frequency 1 (deflate's rule of at least two codes).
    fn force(&mut self, n: usize) {
        self.freq[n] += 1;
        self.used[n >> 6] |= 1 << (n & 63);
    }

    /// The code length of leaf `n`.
    #[inline]
    pub(super) fn len(&self, n: usize) -> u16 {
        self.dl[n]
    }

    /// Calls `f` with each maximal run of equal code lengths over leaves `0..=max_code`,
    /// as (length, count).
    #[inline(always)]
    pub(super) fn for_each_length_run(&self, mut f: impl FnMut(u16, usize)) {
        let (mut pos, mut run_len, mut run) = (0usize, 0u16, 0usize);
        for_each_bit(&self.used, |n| {
            let len = self.dl[n];
            if n == pos && len == run_len && run > 0 {
                run += 1;
            } else {
                if run > 0 {
                    f(run_len, run);
                }
                if n > pos {
                    f(0, n - pos);
                }
                run_len = len;
                run = 1;
            }
            pos = n + 1;
        });
        if run > 0 {
            f(run_len, run);
        }
    }
}

/// Calls `f` with the index of every set bit, in increasing order.
#[inline(always)]
pub(super) fn for_each_bit(words: &[u64; 5], mut f: impl FnMut(usize)) {
    for (w, &word) in words.iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            f(w * 64 + bits.trailing_zeros() as usize);
            bits &= bits - 1;
        }
    }
}

/// What distinguishes the literal/length, distance and bit-length trees.
pub(super) struct Desc {
    /// Code lengths of the fixed code, to price a fixed-code block (none for bit lengths).
    pub static_len: Option<&'static [u8]>,
    /// Extra bits of every code (zlib's `extra_bits` shifted by `extra_base`).
    pub extra_by_code: &'static [u8],
    pub elems: usize,
    pub max_length: usize,
}

/// The scratch space of tree building, shared by the three trees of a block.
pub(super) struct Builder {
    fast: Box<FastScratch>,
    /// Entries are `key << 16 | node` with `key = freq << 8 | depth`: zlib's
    /// `smaller(n, m)` is then `key(n) <= key(m)`, read from the heap itself. Sized to a
    /// power of two so that masked indices need no bounds checks.
    heap: [u64; HEAP_SLOTS],
    heap_len: usize,
    heap_max: usize,
    bl_count: [u16; MAX_BITS + 1],
    /// Bits of the block with the dynamic trees (zlib's `opt_len`), wrapping like zlib's `ulg`.
    pub opt_len: u64,
    /// Bits of the block with the fixed trees (zlib's `static_len`).
    pub static_len: u64,
}

const HEAP_SLOTS: usize = 1024;
const SLOT_MASK: usize = HEAP_SLOTS - 1;

/// A heap entry: `(freq << 8 | depth) << 16 | node`.
#[inline(always)]
fn entry(freq: u32, depth: u64, node: usize) -> u64 {
    ((u64::from(freq) << 8 | depth) << 16) | node as u64
}

#[inline(always)]
fn depth_of(entry: u64) -> u64 {
    (entry >> 16) & 0xff
}

#[inline(always)]
fn node_of(entry: u64) -> usize {
    (entry & 0xffff) as usize
}

impl Builder {
    pub(super) fn new() -> Self {
        Builder {
            fast: Box::new(FastScratch {
                leaves: [0; L_CODES_MAX],
                sorted: [0; L_CODES_MAX],
                inner: [0; L_CODES_MAX],
                parent: [0; 2 * L_CODES_MAX],
                depth: [0; L_CODES_MAX],
                lens: [0; L_CODES_MAX],
            }),
            heap: [0; HEAP_SLOTS],
            heap_len: 0,
            heap_max: 0,
            bl_count: [0; MAX_BITS + 1],
            opt_len: 0,
            static_len: 0,
        }
    }

    /// zlib's `pqdownheap`, with `smaller(n, m)` as `key(n) <= key(m)`.
    ///
    /// A sift-down is a chain of dependent loads, one per level. This walks two levels per
    /// step, loading the grandchildren together with the children so the second level's
    /// loads do not wait for the first level's comparison. Slots past the end are read and
    /// ignored, which keeps child selection branch-free.
    #[inline]
    fn pqdownheap(&mut self, mut k: usize) {
        let len = self.heap_len;
        let heap = &mut self.heap;
        let key = |e: u64| e >> 16;
        let at = |heap: &[u64; HEAP_SLOTS], i: usize| heap[i & SLOT_MASK];
        let v = at(heap, k);
        let v_key = key(v);
        loop {
            let c = 2 * k;
            if c > len {
                break;
            }
            let (l, r) = (at(heap, c), at(heap, c + 1));
            let g = [at(heap, 2 * c), at(heap, 2 * c + 1), at(heap, 2 * c + 2), at(heap, 2 * c + 3)];
            let go_right = (c < len) & (key(r) <= key(l));
            let j = c + usize::from(go_right);
            let child = if go_right { r } else { l };
            if v_key <= key(child) {
                break;
            }
            heap[k & SLOT_MASK] = child;
            k = j;

            let c = 2 * k;
            if c > len {
                break;
            }
            let (l, r) = if go_right { (g[2], g[3]) } else { (g[0], g[1]) };
            let go_right = (c < len) & (key(r) <= key(l));
            let j = c + usize::from(go_right);
            let child = if go_right { r } else { l };
            if v_key <= key(child) {
                break;
            }
            heap[k & SLOT_MASK] = child;
            k = j;
        }
        heap[k & SLOT_MASK] = v;
    }

    /// Builds the Huffman tree of `tree`'s frequencies, sets code lengths and codes, and
    /// adds the block's cost to `opt_len` and `static_len`.
    pub(super) fn build(&mut self, tree: &mut Tree, desc: &Desc) {
        let mut max_code: isize = -1;
        self.heap_len = 0;
        self.heap_max = HEAP_SIZE;
        let used = tree.used;
        for_each_bit(&used, |n| {
            self.heap_len += 1;
            self.heap[self.heap_len] = entry(tree.freq[n], 0, n);
            max_code = n as isize;
        });
        // Deflate needs at least two codes: force a second one, as zlib does.
        while self.heap_len < 2 {
            let node = if max_code < 2 {
                max_code += 1;
                max_code as usize
            } else {
                0
            };
            self.heap_len += 1;
            tree.force(node);
            self.heap[self.heap_len] = entry(tree.freq[node], 0, node);
            self.opt_len = self.opt_len.wrapping_sub(1);
            if let Some(stree) = desc.static_len {
                self.static_len = self.static_len.wrapping_sub(u64::from(stree[node]));
            }
        }
        let max_code = max_code as usize;
        tree.max_code = max_code;

        for n in (1..=self.heap_len / 2).rev() {
            self.pqdownheap(n);
        }
        let mut node = desc.elems;
        loop {
            let n_entry = self.heap[1];
            self.heap[1] = self.heap[self.heap_len];
            self.heap_len -= 1;
            self.pqdownheap(1);
            let m_entry = self.heap[1];
            let (n, m) = (node_of(n_entry), node_of(m_entry));

            // Sorted by frequency for gen_bitlen; the upper part keeps plain node ids.
            self.heap_max -= 1;
            self.heap[self.heap_max] = n as u64;
            self.heap_max -= 1;
            self.heap[self.heap_max] = m as u64;

            tree.freq[node] = tree.freq[n] + tree.freq[m];
            let depth = depth_of(n_entry).max(depth_of(m_entry)) + 1;
            tree.dl[n] = node as u16;
            tree.dl[m] = node as u16;
            self.heap[1] = entry(tree.freq[node], depth, node);
            node += 1;
            self.pqdownheap(1);
            if self.heap_len < 2 {
                break;
            }
        }
        self.heap_max -= 1;
        self.heap[self.heap_max] = node_of(self.heap[1]) as u64;

        self.gen_bitlen(tree, desc, max_code);
        gen_codes(tree, &self.bl_count);
    }

    fn gen_bitlen(&mut self, tree: &mut Tree, desc: &Desc, max_code: usize) {
        let max_length = desc.max_length;
        self.bl_count = [0; MAX_BITS + 1];
        tree.dl[self.heap[self.heap_max] as usize] = 0;
        let mut overflow: i32 = 0;
        let (mut opt_len, mut static_len) = (self.opt_len, self.static_len);
        // Leaves and inner nodes interleave unpredictably in frequency order, so leaves are
        // counted with masks rather than a branch.
        for h in self.heap_max + 1..HEAP_SIZE {
            let n = self.heap[h] as usize;
            let mut bits = usize::from(tree.dl[usize::from(tree.dl[n])]) + 1;
            if bits > max_length {
                bits = max_length;
                overflow += 1;
            }
            tree.dl[n] = bits as u16;
            let leaf = n <= max_code;
            let code = if leaf { n } else { 0 };
            self.bl_count[bits] += u16::from(leaf);
            let f = if leaf { u64::from(tree.freq[n]) } else { 0 };
            let xbits = usize::from(desc.extra_by_code[code]);
            opt_len = opt_len.wrapping_add(f * (bits + xbits) as u64);
            if let Some(stree) = desc.static_len {
                static_len = static_len.wrapping_add(f * (usize::from(stree[code]) + xbits) as u64);
            }
        }
        self.opt_len = opt_len;
        self.static_len = static_len;
        if overflow == 0 {
            return;
        }
        repair_overflow(&mut self.bl_count, max_length, overflow);
        let mut h = HEAP_SIZE;
        for bits in (1..=max_length).rev() {
            let mut n = self.bl_count[bits];
            while n != 0 {
                h -= 1;
                let m = self.heap[h] as usize;
                if m > max_code {
                    continue;
                }
                if usize::from(tree.dl[m]) != bits {
                    let delta = (bits as u64).wrapping_sub(u64::from(tree.dl[m]));
                    self.opt_len = self.opt_len.wrapping_add(delta.wrapping_mul(u64::from(tree.freq[m])));
                    tree.dl[m] = bits as u16;
                }
                n -= 1;
            }
        }
    }
}

impl Builder {
    /// Optimal code lengths by the two-queue method (leaves sorted by frequency, inner nodes
    /// in creation order), with zlib's conventions: at least two codes, a leaf wins a tie
    /// against an inner node, zlib's length-limit repair, and the same cost accounting.
    /// Equal-frequency leaves may be ordered differently from zlib's heap, so the lengths,
    /// and the bytes, can differ from zlib's; the cost of the code does not.
    pub(super) fn build_fast(&mut self, tree: &mut Tree, desc: &Desc) {
        let fast = &mut *self.fast;
        let leaves = &mut fast.leaves;
        let mut count = 0;
        let mut max_code: isize = -1;
        let used = tree.used;
        let mut max_freq = 0;
        for_each_bit(&used, |n| {
            leaves[count] = (tree.freq[n] << 9) | n as u32;
            max_freq = max_freq.max(tree.freq[n]);
            count += 1;
            max_code = n as isize;
        });
        let mut forced = false;
        while count < 2 {
            forced = true;
            let node = if max_code < 2 {
                max_code += 1;
                max_code as usize
            } else {
                0
            };
            tree.force(node);
            leaves[count] = (1 << 9) | node as u32;
            count += 1;
            self.opt_len = self.opt_len.wrapping_sub(1);
            if let Some(stree) = desc.static_len {
                self.static_len = self.static_len.wrapping_sub(u64::from(stree[node]));
            }
        }
        let max_code = max_code as usize;
        tree.max_code = max_code;
        // Forced codes are appended out of symbol order; only then is a full sort needed.
        sort_by_frequency(&mut leaves[..count], max_freq.max(1) as usize, !forced, &mut fast.sorted);
        fast.sorted[count] = u32::MAX; // sentinel: never taken before a real node
        let leaves = &fast.sorted[..=count];

        // Inner node i has weight `inner[i]`; `parent` holds, per leaf (sorted index) and per
        // inner node (offset by `count`), the inner node it hangs from.
        let (inner, parent, depth, lens) = (&mut fast.inner, &mut fast.parent, &mut fast.depth, &mut fast.lens);
        let (mut next_leaf, mut head) = (0usize, 0usize);
        for i in 0..count - 1 {
            let mut weight = 0;
            for _ in 0..2 {
                let leaf = leaves[next_leaf] >> 9;
                if head >= i || leaf <= inner[head] {
                    weight += leaf;
                    parent[next_leaf] = i as u16;
                    next_leaf += 1;
                } else {
                    weight += inner[head];
                    parent[count + head] = i as u16;
                    head += 1;
                }
            }
            inner[i] = weight;
        }
        depth[count - 2] = 0;
        for i in (0..count.saturating_sub(2)).rev() {
            depth[i] = depth[usize::from(parent[count + i])] + 1;
        }
        self.bl_count = [0; MAX_BITS + 1];
        // zlib counts every clamped node, inner ones included: the repair depends on it.
        let mut overflow = depth[..count - 1].iter().filter(|&&d| usize::from(d) > desc.max_length).count() as i32;
        for (k, len) in lens[..count].iter_mut().enumerate() {
            let mut bits = usize::from(depth[usize::from(parent[k])]) + 1;
            if bits > desc.max_length {
                bits = desc.max_length;
                overflow += 1;
            }
            *len = bits as u8;
            self.bl_count[bits] += 1;
        }
        if overflow > 0 {
            let max_length = desc.max_length;
            repair_overflow(&mut self.bl_count, max_length, overflow);
            // The longest codes go to the least frequent leaves, as zlib reassigns them.
            let mut k = 0;
            for bits in (1..=max_length).rev() {
                for _ in 0..self.bl_count[bits] {
                    lens[k] = bits as u8;
                    k += 1;
                }
            }
        }
        let (mut opt_len, mut static_len) = (self.opt_len, self.static_len);
        for (k, &leaf) in leaves[..count].iter().enumerate() {
            let n = (leaf & 0x1ff) as usize;
            let f = u64::from(leaf >> 9);
            let bits = usize::from(lens[k]);
            let xbits = usize::from(desc.extra_by_code[n]);
            tree.dl[n] = bits as u16;
            opt_len = opt_len.wrapping_add(f * (bits + xbits) as u64);
            if let Some(stree) = desc.static_len {
                static_len = static_len.wrapping_add(f * (usize::from(stree[n]) + xbits) as u64);
            }
        }
        self.opt_len = opt_len;
        self.static_len = static_len;
        gen_codes(tree, &self.bl_count);
    }
}

/// The most leaves a tree has (literal/length codes).
const L_CODES_MAX: usize = 288;

/// Scratch space of [`Builder::build_fast`], kept between documents.
struct FastScratch {
    leaves: [u32; L_CODES_MAX],
    sorted: [u32; L_CODES_MAX],
    inner: [u32; L_CODES_MAX],
    parent: [u16; 2 * L_CODES_MAX],
    depth: [u8; L_CODES_MAX],
    lens: [u8; L_CODES_MAX],
}

/// Sorts `freq << 9 | symbol` keys by frequency, then symbol: a counting sort when the
/// input is in symbol order and every frequency (at most `max_freq`) is below 256, as in
/// small documents.
fn sort_by_frequency(keys: &mut [u32], max_freq: usize, in_symbol_order: bool, out: &mut [u32; L_CODES_MAX]) {
    let n = keys.len();
    if in_symbol_order && max_freq < 256 {
        let mut counts = [0u16; 257];
        for k in keys.iter() {
            counts[(k >> 9) as usize + 1] += 1;
        }
        for f in 1..=max_freq {
            counts[f] += counts[f - 1];
        }
        for &k in keys.iter() {
            let slot = &mut counts[(k >> 9) as usize];
            out[usize::from(*slot)] = k;
            *slot += 1;
        }
    } else {
        keys.sort_unstable();
        out[..n].copy_from_slice(keys);
    }
}

/// zlib's repair of code lengths over `max_length`: `overflow` leaves were clamped to it;
/// move leaves down from shorter lengths until the counts describe a complete code again.
fn repair_overflow(bl_count: &mut [u16; MAX_BITS + 1], max_length: usize, mut overflow: i32) {
    loop {
        let mut bits = max_length - 1;
        while bl_count[bits] == 0 {
            bits -= 1;
        }
        bl_count[bits] -= 1;
        bl_count[bits + 1] += 2;
        bl_count[max_length] -= 1;
        overflow -= 2;
        if overflow <= 0 {
            break;
        }
    }
}

fn gen_codes(tree: &mut Tree, bl_count: &[u16; MAX_BITS + 1]) {
    let mut next_code = [0u16; MAX_BITS + 1];
    let mut code: u32 = 0;
    for bits in 1..=MAX_BITS {
        code = (code + u32::from(bl_count[bits - 1])) << 1;
        next_code[bits] = code as u16;
    }
    let used = tree.used;
    for_each_bit(&used, |n| {
        let len = usize::from(tree.dl[n]);
        tree.code[n] = next_code[len].reverse_bits() >> (16 - len);
        next_code[len] += 1;
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usersig::deflate::tables::L_CODES;

    /// Fibonacci frequencies make the optimal code deeper than deflate allows, so both
    /// builders must run zlib's length-limit repair and still produce a complete code.
    #[test]
    fn over_long_codes_are_repaired_into_a_complete_code() {
        let mut fib = vec![1u32, 1];
        while fib.len() < 25 {
            fib.push(fib[fib.len() - 1] + fib[fib.len() - 2]);
        }
        let desc = Desc { static_len: None, extra_by_code: &[0; L_CODES], elems: L_CODES, max_length: MAX_BITS };
        for fast in [false, true] {
            let mut tree = Tree::new();
            for (i, &f) in fib.iter().enumerate() {
                tree.freq[i * 7] = f;
            }
            tree.prepare(L_CODES);
            let mut b = Builder::new();
            if fast {
                b.build_fast(&mut tree, &desc);
            } else {
                b.build(&mut tree, &desc);
            }
            let lens: Vec<u16> = (0..fib.len()).map(|i| tree.len(i * 7)).collect();
            assert!(lens.iter().all(|&l| (1..=15).contains(&l)), "fast {fast}: {lens:?}");
            assert_eq!(lens.iter().filter(|&&l| l == 15).count() % 2, 0, "fast {fast}: {lens:?}");
            let kraft: f64 = lens.iter().map(|&l| 2f64.powi(-i32::from(l))).sum();
            assert!((kraft - 1.0).abs() < 1e-12, "fast {fast}: Kraft sum {kraft}, {lens:?}");
            // The rarest symbols get the longest codes.
            assert!(lens.windows(2).all(|w| w[0] >= w[1]), "fast {fast}: {lens:?}");
        }
    }
}
