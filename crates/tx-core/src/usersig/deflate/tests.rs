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
        assert!(deflater.compress(&input, level, &mut out));
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

#[test]
fn known_small_outputs() {
    // zlib.compress(b"", 6), zlib.compress(b"a", 0), zlib.compress(b"hello hello hello", 9)
    let mut d = Deflater::new();
    let mut run = |input: &[u8], level| {
        let mut out = Vec::new();
        d.compress(input, level, &mut out);
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
        assert!(d.compress(doc, level, &mut out));
        assert_eq!(crate::usersig::codec::zlib_decompress(&out).unwrap(), doc);
    }
}

#[test]
fn refuses_what_it_does_not_model() {
    let mut d = Deflater::new();
    let mut out = Vec::new();
    assert!(!d.compress(&vec![0; MAX_INPUT + 1], 6, &mut out));
    assert!(!d.compress(b"x", 10, &mut out));
    assert!(out.is_empty());
}

#[test]
fn reuse_across_many_documents_stays_exact() {
    // Past the 65 535th document the generation stamps wrap and the heads are cleared.
    let mut d = Deflater::new();
    let mut first = Vec::new();
    d.compress(b"abcabcabcabc-xyz-abcabc", 6, &mut first);
    for i in 0..70_000u32 {
        let mut out = Vec::new();
        d.compress(&i.to_le_bytes(), 6, &mut out);
    }
    let mut again = Vec::new();
    d.compress(b"abcabcabcabc-xyz-abcabc", 6, &mut again);
    assert_eq!(first, again);
}
