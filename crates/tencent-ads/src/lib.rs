//! Tencent Ads Marketing API v3.0 (placeholder while the foundation is built).

pub mod code;

pub use code::{ErrorCode, KnownCode};
