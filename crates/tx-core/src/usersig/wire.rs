//! The outer layers of a UserSig, for tools that work with its JSON document directly.
//!
//! `encode` compresses a document with zlib and writes it in the UserSig base64 alphabet
//! (`+`→`*`, `/`→`-`, `=`→`_`); `decode` reverses that. Every zlib level decodes the same;
//! the bytes of a compressed stream depend on the zlib implementation, so compare
//! decoded documents, never whole UserSig strings.
//!
//! ```
//! use tx_core::usersig::{ZlibLevel, wire};
//! let doc = br#"{"TLS.ver": "2.0", "TLS.identifier": "alice"}"#;
//! let sig = wire::encode(doc, ZlibLevel::DEFAULT);
//! assert_eq!(wire::decode(&sig)?, doc);
//! # Ok::<(), tx_core::usersig::Malformed>(())
//! ```

use super::codec::{ZlibLevel, escape_decode, escape_encode, zlib_compress, zlib_decompress};
use super::error::Malformed;

/// Compresses `document` at `level` and encodes it in the UserSig alphabet.
pub fn encode(document: &[u8], level: ZlibLevel) -> String {
    escape_encode(&zlib_compress(document, level))
}

/// The JSON document inside a UserSig (inflated, at most 64 KiB), without parsing it.
pub fn decode(usersig: &str) -> Result<Vec<u8>, Malformed> {
    zlib_decompress(&escape_decode(usersig)?)
}
