//! Umbrella crate for tx: re-exports the platform clients behind features.
//!
//! Not yet implemented: the re-exports arrive with the umbrella issue. Until then, depend on
//! `tx-core` directly.
