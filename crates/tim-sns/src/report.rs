//! Per-item results of batch calls, with TIM's codes: a partial failure is data, not an
//! error. The types are tx-core's, over [`ErrorCode`].
//!
//! ```
//! # use tim_sns::{ErrorCode, KnownCode};
//! # async fn demo(report: tim_sns::BatchReport<()>) {
//! for item in report.failed() {
//!     let error = item.error().unwrap();
//!     if error.code() == Some(ErrorCode::Known(KnownCode::AccountNotFound)) {
//!         eprintln!("{} does not exist", item.id);
//!     } else {
//!         eprintln!("{}: {error}", item.id);
//!     }
//! }
//! # }
//! ```

use crate::protocol::code::ErrorCode;

/// The merged outcome of a batch call: one [`ItemResult`] per distinct input account, in
/// input order, plus the positions where the input repeated an account.
pub type BatchReport<T> = tx_core::batch::BatchReport<T, ErrorCode>;

/// The result for one distinct account of a batch call; `id` is the account.
pub type ItemResult<T> = tx_core::batch::ItemResult<T, ErrorCode>;

/// Why one item of a batch did not succeed: its own `ResultCode`, or the failure of the
/// whole request that carried it.
pub type ItemError = tx_core::batch::ItemError<ErrorCode>;

pub use tx_core::batch::Duplicate;
