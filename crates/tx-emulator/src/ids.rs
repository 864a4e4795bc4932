//! Deterministic mixing for fault decisions, tokens and ids.
//!
//! The emulator never draws from an OS random source: everything that looks random is a
//! hash of a seed and a counter, so a run can be replayed.

/// SplitMix64's finalizer: a bijective mix of 64 bits.
pub(crate) fn mix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// FNV-1a over bytes: a hash that is the same on every platform and in every run
/// (unlike `std`'s randomly keyed hasher).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// A number in `[0, 1)` determined by `seed`, `stream` and `n`.
pub(crate) fn unit(seed: u64, stream: u64, n: u64) -> f64 {
    let x = mix64(seed ^ mix64(stream ^ mix64(n)));
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// `len` lowercase hex characters derived from `n`.
pub(crate) fn hex(n: u64, len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut i = 0u64;
    while out.len() < len {
        let word = mix64(n.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ i);
        for shift in (0..64).step_by(4).rev() {
            if out.len() == len {
                break;
            }
            let digit = ((word >> shift) & 0xf) as u32;
            out.push(char::from_digit(digit, 16).unwrap_or('0'));
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_is_in_range_and_reproducible() {
        for n in 0..1000 {
            let u = unit(42, 7, n);
            assert!((0.0..1.0).contains(&u));
            assert_eq!(u, unit(42, 7, n));
        }
        assert_ne!(unit(42, 7, 0), unit(43, 7, 0));
    }

    #[test]
    fn hex_has_the_asked_length() {
        assert_eq!(hex(1, 32).len(), 32);
        assert_eq!(hex(1, 7).len(), 7);
        assert_ne!(hex(1, 32), hex(2, 32));
        assert!(hex(9, 40).chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
