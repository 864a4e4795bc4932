//! What the handlers send calls with: the pipeline and how many chunks go at once.

use crate::protocol::TimProtocol;
use crate::protocol::code::ErrorCode;
use crate::report::BatchReport;
use serde::de::DeserializeOwned;
use tx_core::Error;
use tx_core::batch::{self, BatchOp};
use tx_core::pipeline::{Call, Pipeline};

/// A client's pipeline and batch settings. Cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Api {
    pub pipeline: Pipeline<TimProtocol>,
    pub batch_concurrency: usize,
}

impl Api {
    /// Sends one call and returns its decoded data.
    pub async fn send<T: DeserializeOwned>(&self, call: &Call) -> Result<T, Error> {
        Ok(self.pipeline.send(call).await?.data)
    }

    /// Runs a batch call over validated `items`.
    pub async fn batch<B: BatchOp<Code = ErrorCode>>(
        &self,
        op: &B,
        items: &[B::Item],
    ) -> Result<BatchReport<B::Value>, Error> {
        batch::run(&self.pipeline, self.batch_concurrency, op, items).await
    }
}
