//! The outer layers of a UserSig, for tools that work with its JSON document directly.
//!
//! `encode` compresses a document with zlib and writes it in the UserSig base64 alphabet
//! (`+`→`*`, `/`→`-`, `=`→`_`); `decode` reverses that. Up to 16 000 bytes, `encode`'s zlib
//! output is byte-identical to stock zlib's (as used by CPython and PHP), so re-encoding a
//! document taken from an official library's UserSig at that library's level reproduces
//! the UserSig exactly.
//!
//! [`UserSigSigner`](super::UserSigSigner) does the same parse and block choice as zlib at
//! its level but builds its Huffman codes by a faster method: equally short, though symbols
//! of equal frequency may swap code lengths, so its bytes can differ from zlib's (and from
//! `encode`'s). Every level and either encoder verifies the same.
//!
//! ```
//! use tx_core::usersig::{ZlibLevel, wire};
//! let doc = br#"{"TLS.ver": "2.0", "TLS.identifier": "alice"}"#;
//! let sig = wire::encode(doc, ZlibLevel::DEFAULT);
//! assert_eq!(wire::decode(&sig)?, doc);
//! # Ok::<(), tx_core::usersig::Malformed>(())
//! ```

use super::codec::{Trees, ZlibLevel, escape_decode, escape_encode, zlib_compress, zlib_decompress};
use super::error::Malformed;

/// Compresses `document` at `level` and encodes it in the UserSig alphabet.
pub fn encode(document: &[u8], level: ZlibLevel) -> String {
    encode_with(document, level, Trees::Exact)
}

/// [`encode`] with the signer's faster Huffman construction.
pub(crate) fn encode_with(document: &[u8], level: ZlibLevel, trees: Trees) -> String {
    COMPRESSED.with(|cell| {
        let mut compressed = cell.borrow_mut();
        compressed.clear();
        zlib_compress(document, level, trees, &mut compressed);
        let sig = escape_encode(&compressed);
        compressed.truncate(0);
        compressed.shrink_to(super::codec::KEPT_BUFFER);
        sig
    })
}

thread_local! {
    // Reused across signatures: one allocation fewer per UserSig.
    static COMPRESSED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The JSON document inside a UserSig (inflated, at most 64 KiB), without parsing it.
pub fn decode(usersig: &str) -> Result<Vec<u8>, Malformed> {
    zlib_decompress(&escape_decode(usersig)?)
}
