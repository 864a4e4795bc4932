//! The constant tables of RFC 1951, laid out as zlib lays them out.

pub(super) const LITERALS: usize = 256;
pub(super) const END_BLOCK: usize = 256;
pub(super) const LENGTH_CODES: usize = 29;
/// Literal/length codes: literals, end of block, length codes.
pub(super) const L_CODES: usize = LITERALS + 1 + LENGTH_CODES;
pub(super) const D_CODES: usize = 30;
pub(super) const BL_CODES: usize = 19;
/// Room for every leaf and inner node of the largest tree.
pub(super) const HEAP_SIZE: usize = 2 * L_CODES + 1;
pub(super) const MAX_BITS: usize = 15;
pub(super) const MAX_BL_BITS: usize = 7;
pub(super) const MIN_MATCH: usize = 3;
pub(super) const MAX_MATCH: usize = 258;
/// Length-3 matches further back than this are not worth their distance code.
pub(super) const TOO_FAR: usize = 4096;

pub(super) const REP_3_6: usize = 16;
pub(super) const REPZ_3_10: usize = 17;
pub(super) const REPZ_11_138: usize = 18;

pub(super) const EXTRA_LBITS: [u8; LENGTH_CODES] =
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
pub(super) const EXTRA_DBITS: [u8; D_CODES] =
    [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
pub(super) const EXTRA_BLBITS: [u8; BL_CODES] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
/// The order in which bit-length code lengths are sent.
pub(super) const BL_ORDER: [usize; BL_CODES] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/// Match length minus 3 → length code index (0..29); length 258 uses code 285 directly.
pub(super) const LENGTH_CODE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut length = 0;
    let mut code = 0;
    while code < LENGTH_CODES - 1 {
        let mut n = 0;
        while n < (1 << EXTRA_LBITS[code]) {
            table[length] = code as u8;
            length += 1;
            n += 1;
        }
        code += 1;
    }
    table[255] = (LENGTH_CODES - 1) as u8;
    table
};

/// First match length (minus 3) of each length code.
pub(super) const BASE_LENGTH: [u16; LENGTH_CODES] = {
    let mut table = [0u16; LENGTH_CODES];
    let mut length = 0;
    let mut code = 0;
    while code < LENGTH_CODES - 1 {
        table[code] = length;
        length += 1 << EXTRA_LBITS[code];
        code += 1;
    }
    table
};

/// Distance minus 1 → distance code: indices 0..256 directly, then `256 + (d >> 7)`.
pub(super) const DIST_CODE: [u8; 512] = {
    let mut table = [0u8; 512];
    let mut dist = 0;
    let mut code = 0;
    while code < 16 {
        let mut n = 0;
        while n < (1 << EXTRA_DBITS[code]) {
            table[dist] = code as u8;
            dist += 1;
            n += 1;
        }
        code += 1;
    }
    dist >>= 7;
    while code < D_CODES {
        let mut n = 0;
        while n < (1 << (EXTRA_DBITS[code] - 7)) {
            table[256 + dist] = code as u8;
            dist += 1;
            n += 1;
        }
        code += 1;
    }
    table
};

/// First distance (minus 1) of each distance code.
pub(super) const BASE_DIST: [u16; D_CODES] = {
    let mut table = [0u16; D_CODES];
    let mut dist: u32 = 0;
    let mut code = 0;
    while code < D_CODES {
        table[code] = dist as u16;
        dist += 1 << EXTRA_DBITS[code];
        code += 1;
    }
    table
};

/// The distance code of `dist` (distance minus 1).
pub(super) fn d_code(dist: usize) -> usize {
    if dist < 256 { DIST_CODE[dist] as usize } else { DIST_CODE[256 + (dist >> 7)] as usize }
}

/// Bit lengths of the fixed literal/length code (RFC 1951 §3.2.6), 288 symbols.
pub(super) const STATIC_LTREE_LEN: [u8; L_CODES + 2] = {
    let mut table = [0u8; L_CODES + 2];
    let mut n = 0;
    while n < L_CODES + 2 {
        table[n] = if n < 144 {
            8
        } else if n < 256 {
            9
        } else if n < 280 {
            7
        } else {
            8
        };
        n += 1;
    }
    table
};

/// Codes of the fixed literal/length code, bit-reversed for LSB-first output.
pub(super) const STATIC_LTREE_CODE: [u16; L_CODES + 2] = canonical_codes(&STATIC_LTREE_LEN);

/// Codes of the fixed distance code: 5 bits each, bit-reversed.
pub(super) const STATIC_DTREE_CODE: [u16; D_CODES] = {
    let mut table = [0u16; D_CODES];
    let mut n = 0;
    while n < D_CODES {
        table[n] = reverse_bits(n as u16, 5);
        n += 1;
    }
    table
};

/// Reverses the low `len` bits of `code`.
pub(super) const fn reverse_bits(code: u16, len: u8) -> u16 {
    let mut res = 0u16;
    let mut c = code;
    let mut i = 0;
    while i < len {
        res = (res << 1) | (c & 1);
        c >>= 1;
        i += 1;
    }
    res
}

/// Canonical Huffman codes (bit-reversed) for the given lengths.
const fn canonical_codes<const N: usize>(lens: &[u8; N]) -> [u16; N] {
    let mut bl_count = [0u16; MAX_BITS + 1];
    let mut n = 0;
    while n < N {
        bl_count[lens[n] as usize] += 1;
        n += 1;
    }
    bl_count[0] = 0;
    let mut next_code = [0u16; MAX_BITS + 1];
    let mut code = 0u16;
    let mut bits = 1;
    while bits <= MAX_BITS {
        code = (code + bl_count[bits - 1]) << 1;
        next_code[bits] = code;
        bits += 1;
    }
    let mut codes = [0u16; N];
    n = 0;
    while n < N {
        let len = lens[n];
        if len != 0 {
            codes[n] = reverse_bits(next_code[len as usize], len);
            next_code[len as usize] += 1;
        }
        n += 1;
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_match_rfc_1951() {
        // Length 3 → code 257 (index 0); 11..12 → 265 (8); 227..257 → 284 (27); 258 → 285 (28).
        assert_eq!(LENGTH_CODE[0], 0);
        assert_eq!(LENGTH_CODE[11 - 3], 8);
        assert_eq!(LENGTH_CODE[227 - 3], 27);
        assert_eq!(LENGTH_CODE[257 - 3], 27);
        assert_eq!(LENGTH_CODE[258 - 3], 28);
        assert_eq!(BASE_LENGTH[27], 227 - 3);
        // Distance 1 → code 0; 5..6 → 4; 24577..32768 → 29.
        assert_eq!(d_code(0), 0);
        assert_eq!(d_code(4), 4);
        assert_eq!(d_code(24576), 29);
        assert_eq!(d_code(32767), 29);
        assert_eq!(BASE_DIST[29], 24576);
        // Fixed code: literal 0 is 00110000 (8 bits), 256 is 0000000 (7 bits), 280 is 11000000.
        assert_eq!(STATIC_LTREE_CODE[0], reverse_bits(0b0011_0000, 8));
        assert_eq!(STATIC_LTREE_CODE[256], 0);
        assert_eq!(STATIC_LTREE_CODE[280], reverse_bits(0b1100_0000, 8));
        assert_eq!(STATIC_LTREE_CODE[144], reverse_bits(0b1_1001_0000, 9));
    }
}
