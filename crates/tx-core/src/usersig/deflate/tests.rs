use super::block::Trees;
use super::*;
use sha2::{Digest, Sha256};

fn hex_decode(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Vectors from CPython's zlib 1.2.13 (`xtask/scripts/zlib-vectors.py 11 200`): level,
/// input, and the length and SHA-256 of zlib's output.
const VECTORS: &str = include_str!("zlib_vectors.txt");

#[test]
fn output_is_byte_identical_to_zlib() {
    let mut deflater = Deflater::new();
    let mut checked = 0;
    for (line_no, line) in VECTORS.lines().enumerate() {
        let mut parts = line.split(' ');
        let level: u8 = parts.next().unwrap().parse().unwrap();
        let input = hex_decode(parts.next().unwrap());
        let len: usize = parts.next().unwrap().parse().unwrap();
        let sha = parts.next().unwrap();
        let mut out = Vec::new();
        assert!(deflater.compress(&input, level, Trees::Exact, &mut out));
        assert_eq!(
            (out.len(), hex(&Sha256::digest(&out))),
            (len, sha.to_owned()),
            "vector {} (level {level}, {} input bytes) differs from zlib",
            line_no + 1,
            input.len()
        );
        checked += 1;
    }
    assert_eq!(checked, 200);
}

/// Geometric symbol frequencies push the literal code past 15 bits, so zlib's length-limit
/// repair runs; the output must still be zlib's, byte for byte (hashes from CPython's zlib
/// over the same generator).
#[test]
fn length_limit_repair_matches_zlib() {
    let mut x: u64 = 12345;
    let data: Vec<u8> = (0..12_000)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let r = (x >> 32) as u32;
            (r.leading_zeros() * 2 + (r & 1)).min(40) as u8 + b'A'
        })
        .collect();
    let mut d = Deflater::new();
    for (level, len, sha) in [
        (6, 5586, "9853e2557bfaf4d13b9564643c0774b839b52c33a90b63f44cecdc62fc18a823"),
        (9, 5587, "4377cbabbaf921e7b3f351ba65adbc4072610e7c9a83c76d9487d1c45e1d722f"),
        (1, 5785, "e2b78054f0f24718f4301fbc69bca61313236a29c253cdf6122714f2619363eb"),
    ] {
        let mut out = Vec::new();
        d.compress(&data, level, Trees::Exact, &mut out);
        assert_eq!((out.len(), hex(&Sha256::digest(&out))), (len, sha.to_owned()), "level {level}");
        let mut fast = Vec::new();
        d.compress(&data, level, Trees::Fast, &mut fast);
        assert_eq!(crate::usersig::codec::zlib_decompress(&fast).unwrap(), data);
    }
}

#[test]
fn known_small_outputs() {
    // zlib.compress(b"", 6), zlib.compress(b"a", 0), zlib.compress(b"hello hello hello", 9)
    let mut d = Deflater::new();
    let mut run = |input: &[u8], level| {
        let mut out = Vec::new();
        d.compress(input, level, Trees::Exact, &mut out);
        hex(&out)
    };
    assert_eq!(run(b"", 6), "789c030000000001");
    assert_eq!(run(b"a", 0), "7801010100feff6100620062");
    assert_eq!(run(b"hello hello hello", 9), "78dacb48cdc9c957c84090003a2e067d");
}

#[test]
fn output_inflates_back_for_every_level() {
    let mut d = Deflater::new();
    let doc = br#"{"TLS.ver":"2.0","TLS.identifier":"administrator","TLS.sdkappid":1400000000,"TLS.expire":86400,"TLS.time":1700000000,"TLS.sig":"LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="}"#;
    for level in 0..=9 {
        let mut out = Vec::new();
        assert!(d.compress(doc, level, Trees::Exact, &mut out));
        assert_eq!(crate::usersig::codec::zlib_decompress(&out).unwrap(), doc);
    }
}

#[test]
fn refuses_what_it_does_not_model() {
    let mut d = Deflater::new();
    let mut out = Vec::new();
    assert!(!d.compress(&vec![0; MAX_INPUT + 1], 6, Trees::Exact, &mut out));
    assert!(!d.compress(b"x", 10, Trees::Exact, &mut out));
    assert!(out.is_empty());
}

#[test]
fn reuse_across_many_documents_stays_exact() {
    // Past the 65 535th document the generation stamps wrap and the heads are cleared.
    let mut d = Deflater::new();
    let mut first = Vec::new();
    d.compress(b"abcabcabcabc-xyz-abcabc", 6, Trees::Exact, &mut first);
    for i in 0..70_000u32 {
        let mut out = Vec::new();
        d.compress(&i.to_le_bytes(), 6, Trees::Exact, &mut out);
    }
    let mut again = Vec::new();
    d.compress(b"abcabcabcabc-xyz-abcabc", 6, Trees::Exact, &mut again);
    assert_eq!(first, again);
}

#[test]
fn fast_trees_give_valid_streams_of_the_same_size_class() {
    let mut d = Deflater::new();
    let mut identical = 0;
    let mut total = 0;
    for line in VECTORS.lines() {
        let mut parts = line.split(' ');
        let level: u8 = parts.next().unwrap().parse().unwrap();
        let input = hex_decode(parts.next().unwrap());
        let zlib_len: usize = parts.next().unwrap().parse().unwrap();
        let mut exact = Vec::new();
        d.compress(&input, level, Trees::Exact, &mut exact);
        let mut fast = Vec::new();
        assert!(d.compress(&input, level, Trees::Fast, &mut fast));
        assert_eq!(crate::usersig::codec::zlib_decompress(&fast).unwrap(), input);
        assert!(fast.len() <= zlib_len + 2, "fast {} vs zlib {zlib_len}", fast.len());
        identical += usize::from(fast == exact);
        total += 1;
    }
    eprintln!("fast trees byte-identical to zlib on {identical} of {total} vectors");
}

/// Documents that share prefixes, as consecutive UserSigs do: resuming the previous parse
/// must give exactly what a fresh encoder gives.
#[test]
fn resuming_a_shared_prefix_changes_nothing() {
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |bound: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % bound as u64) as usize
    };
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut reused = Deflater::new();
    let mut docs = 0;
    for round in 0..400 {
        let identifier = ["xiaojun", "administrator", "a", "user_0001"][next(4)];
        let time = 1_700_000_000 + next(100_000);
        let sig: String = (0..43).map(|_| alphabet[next(64)] as char).collect();
        let base = format!(
            r#"{{"TLS.ver":"2.0","TLS.identifier":"{identifier}","TLS.sdkappid":1400000000,"TLS.expire":86400,"TLS.time":{time},"TLS.sig":"{sig}="}}"#
        );
        let mut variants = vec![base.clone().into_bytes()];
        // Same prefix, edits further and further in; a shorter and a longer document.
        for cut in [base.len() - 1, base.len() - 30, base.len() / 2, 10, 1] {
            let mut v = base.clone().into_bytes();
            v[cut] = b'#';
            variants.push(v);
        }
        variants.push(base.as_bytes()[..base.len() - 5].to_vec());
        variants.push([base.as_bytes(), b"xyzxyz"].concat());
        variants.push(base.repeat(3).into_bytes());
        let level = if round % 10 == 0 { 9 } else { 6 };
        let trees = if round % 3 == 0 { Trees::Exact } else { Trees::Fast };
        for v in &variants {
            let mut resumed = Vec::new();
            reused.compress(v, level, trees, &mut resumed);
            let mut fresh = Vec::new();
            Deflater::new().compress(v, level, trees, &mut fresh);
            assert_eq!(resumed, fresh, "round {round}, level {level}, {} bytes", v.len());
            docs += 1;
        }
    }
    assert_eq!(docs, 400 * 9);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Skewed byte distributions, from nearly uniform to a few dominant symbols.
    fn skewed() -> impl Strategy<Value = Vec<u8>> {
        (1u32..40, proptest::collection::vec(any::<u16>(), 0..3000)).prop_map(|(shape, raw)| {
            raw.into_iter().map(|r| ((u32::from(r) % 1000).pow(2) / (shape * 400 + 1)) as u8).collect()
        })
    }

    /// Geometric symbol frequencies in random order: the literal code's optimal depth goes
    /// past 15 bits, so the length-limit repair runs.
    fn geometric() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u32>(), 4000..15000)
            .prop_map(|raw| raw.into_iter().map(|r| (r.leading_zeros() * 2 + (r & 1)).min(40) as u8 + b'A').collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn every_mode_and_level_inflates_back(input in prop_oneof![skewed(), geometric(), proptest::collection::vec(any::<u8>(), 0..2000)], level in 0u8..=9) {
            let mut d = Deflater::new();
            for trees in [Trees::Exact, Trees::Fast] {
                let mut out = Vec::new();
                prop_assert!(d.compress(&input, level, trees, &mut out));
                prop_assert_eq!(crate::usersig::codec::zlib_decompress(&out).unwrap(), input.clone());
            }
        }
    }
}
