//! Tencent Ads Marketing API v3.0 (its I/O-free foundation is being built).

pub mod code;
pub mod texts;
pub mod validate;

pub use code::{ErrorCode, KnownCode};
pub use texts::{AnnualRate, Industry, WarningText};
