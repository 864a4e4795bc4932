//! Tencent Ads Marketing API v3.0 client: watermarks (warning text on ad images),
//! material async tasks and OAuth 2.0 tokens.
//!
//! Not yet implemented: this crate is filled by a later issue.
