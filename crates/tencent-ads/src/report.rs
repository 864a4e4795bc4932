//! Per-item results of batch calls, with the Ads codes: a partial failure is data, not an
//! error. The types are tx-core's, over [`ErrorCode`].

use crate::code::ErrorCode;

/// The merged outcome of a batch call: one [`ItemResult`] per distinct input id, in input
/// order, plus the positions where the input repeated an id.
pub type BatchReport<T> = tx_core::batch::BatchReport<T, ErrorCode>;

/// The result for one distinct id of a batch call.
pub type ItemResult<T> = tx_core::batch::ItemResult<T, ErrorCode>;

/// Why one item of a batch got no answer: the failure of the whole request that carried
/// it (its code, when the service sent one), or an answer that held nothing for it.
pub type ItemError = tx_core::batch::ItemError<ErrorCode>;

pub use tx_core::batch::Duplicate;
