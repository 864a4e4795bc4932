//! WeChat third-party platform: mini-program ad (AMS) agency actions.

mod category;
mod code;

pub use category::{AmsCategory, CategorySet};
pub use code::{ErrorCode, KnownCode};
