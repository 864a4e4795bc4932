//! The outer layers of a UserSig: zlib, base64 and the URL-safe character substitution.

use super::error::Malformed;
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};
use std::cell::RefCell;

/// Largest inflated document accepted when decoding; real ones are a few hundred bytes.
const MAX_DOCUMENT: usize = 64 * 1024;

/// Standard alphabet, padding optional on decode (some encoders drop it).
const LENIENT_STANDARD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A zlib compression level, 0 (stored) to 9.
///
/// The official Python, Node, Java, PHP and C# libraries use [`ZlibLevel::DEFAULT`] (6),
/// C++ uses 1 and Go (since 2024-11) uses 0. Every level decodes the same way, so the
/// server accepts all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZlibLevel(u8);

impl ZlibLevel {
    /// Level 0: stored blocks, no compression; the fastest to produce.
    pub const STORED: ZlibLevel = ZlibLevel(0);
    /// Level 1, as the official C++ library uses.
    pub const FAST: ZlibLevel = ZlibLevel(1);
    /// Level 6, zlib's default, as the official Python and Node libraries use.
    pub const DEFAULT: ZlibLevel = ZlibLevel(6);

    /// A level from 0 to 9; `None` above 9.
    pub fn new(level: u32) -> Option<ZlibLevel> {
        u8::try_from(level).ok().filter(|l| *l <= 9).map(ZlibLevel)
    }

    /// The numeric level.
    pub fn get(self) -> u32 {
        u32::from(self.0)
    }
}

impl Default for ZlibLevel {
    fn default() -> Self {
        ZlibLevel::DEFAULT
    }
}

thread_local! {
    /// One deflate state per thread, reset between documents. A new state is a few hundred
    /// KiB; allocating and freeing one per signature can make the allocator return memory
    /// to the system and fault it back in every time, which costs ten times the signing
    /// (see `cargo xtask bench usersig`).
    static COMPRESSOR: RefCell<Option<(ZlibLevel, Compress)>> = const { RefCell::new(None) };
}

/// Compresses `input` into a zlib stream (RFC 1950) at `level`.
pub(crate) fn zlib_compress(input: &[u8], level: ZlibLevel) -> Vec<u8> {
    COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let compressor = match &mut *cell {
            Some((l, c)) if *l == level => {
                c.reset();
                c
            }
            slot => &mut slot.insert((level, Compress::new(Compression::new(level.get()), true))).1,
        };
        let mut out = Vec::with_capacity(input.len() + 64);
        loop {
            let consumed = compressor.total_in() as usize;
            let status = compressor
                .compress_vec(&input[consumed..], &mut out, FlushCompress::Finish)
                .expect("deflate accepts any input");
            if status == Status::StreamEnd {
                return out;
            }
            out.reserve(out.capacity().max(64));
        }
    })
}

/// Inflates a zlib stream, refusing documents larger than 64 KiB.
pub(crate) fn zlib_decompress(input: &[u8]) -> Result<Vec<u8>, Malformed> {
    let mut inflater = Decompress::new(true);
    let mut out = Vec::with_capacity(input.len() * 4 + 64);
    loop {
        let (in_before, out_before) = (inflater.total_in(), inflater.total_out());
        let status = inflater
            .decompress_vec(&input[in_before as usize..], &mut out, FlushDecompress::None)
            .map_err(|_| Malformed::Zlib)?;
        if status == Status::StreamEnd {
            return Ok(out);
        }
        if out.len() >= MAX_DOCUMENT {
            return Err(Malformed::TooLarge);
        }
        if out.len() == out.capacity() {
            out.reserve(out.capacity().min(MAX_DOCUMENT));
        } else if inflater.total_in() == in_before && inflater.total_out() == out_before {
            // Input exhausted before the end of the stream: truncated.
            return Err(Malformed::Zlib);
        }
    }
}

/// Standard base64 with padding, as the HMAC and userbuf fields use.
pub(crate) fn base64_encode(input: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(input)
}

/// Decodes standard base64, padding optional.
pub(crate) fn base64_decode(input: &str) -> Result<Vec<u8>, Malformed> {
    LENIENT_STANDARD.decode(input.trim()).map_err(|_| Malformed::Base64)
}

/// The UserSig alphabet: standard base64 with `+`→`*` and `/`→`-` (padding `=`→`_`).
const USERSIG_ALPHABET: base64::alphabet::Alphabet =
    match base64::alphabet::Alphabet::new("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-") {
        Ok(a) => a,
        Err(_) => panic!("the UserSig alphabet is 64 distinct printable bytes"),
    };

const USERSIG_ENGINE: GeneralPurpose = GeneralPurpose::new(
    &USERSIG_ALPHABET,
    GeneralPurposeConfig::new().with_encode_padding(false).with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// Base64-encodes `input` in the UserSig alphabet, padding with `_`.
pub(crate) fn escape_encode(input: &[u8]) -> String {
    let mut s = String::with_capacity(input.len().div_ceil(3) * 4);
    USERSIG_ENGINE.encode_string(input, &mut s);
    match input.len() % 3 {
        1 => s.push_str("__"),
        2 => s.push('_'),
        _ => {}
    }
    s
}

/// Reverses [`escape_encode`]; the `_` padding is optional.
pub(crate) fn escape_decode(usersig: &str) -> Result<Vec<u8>, Malformed> {
    let trimmed = usersig.trim();
    if trimmed.is_empty() {
        return Err(Malformed::Empty);
    }
    USERSIG_ENGINE.decode(trimmed.trim_end_matches('_')).map_err(|_| Malformed::Base64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_round_trips() {
        let doc = br#"{"TLS.ver":"2.0","TLS.identifier":"xiaojun"}"#;
        for level in 0..=9 {
            let out = zlib_compress(doc, ZlibLevel::new(level).unwrap());
            assert_eq!(out[0] & 0x0f, 8, "zlib header announces deflate");
            assert_eq!(zlib_decompress(&out).unwrap(), doc);
        }
    }

    #[test]
    fn levels_above_nine_do_not_exist() {
        assert_eq!(ZlibLevel::new(10), None);
        assert_eq!(ZlibLevel::new(9).map(ZlibLevel::get), Some(9));
    }

    #[test]
    fn escaping_uses_the_usersig_alphabet() {
        let bytes = [0xfb, 0xff, 0xfe, 0x01];
        let escaped = escape_encode(&bytes);
        assert_eq!(escaped, "*--*AQ__");
        assert_eq!(escape_decode(&escaped).unwrap(), bytes);
        assert_eq!(escape_decode("*--*AQ").unwrap(), bytes, "padding is optional");
    }

    #[test]
    fn rejects_what_is_not_a_usersig() {
        assert_eq!(escape_decode(""), Err(Malformed::Empty));
        assert_eq!(escape_decode("abc+def"), Err(Malformed::Base64));
        assert_eq!(zlib_decompress(b"not zlib"), Err(Malformed::Zlib));
        // Raw deflate and gzip are not zlib streams.
        assert_eq!(zlib_decompress(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), Err(Malformed::Zlib));
    }

    #[test]
    fn truncated_streams_are_rejected() {
        let mut out = zlib_compress(&[b'a'; 300], ZlibLevel::DEFAULT);
        out.truncate(out.len() - 3);
        assert_eq!(zlib_decompress(&out), Err(Malformed::Zlib));
    }

    #[test]
    fn bombs_are_refused() {
        let out = zlib_compress(&vec![0u8; 1 << 20], ZlibLevel::new(9).unwrap());
        assert_eq!(zlib_decompress(&out), Err(Malformed::TooLarge));
    }
}
