//! The publisher (流量主) of a mini program.

use super::{Opened, handler, opened};
use crate::wire::{CheckCanOpenPublisherRequest, CreatePublisherRequest};
use tx_core::Error;

handler! {
    /// The publisher (流量主) of a mini program: every other AMS action answers ret 1807 or
    /// 2009 until it is open. Get one with [`super::Ams::publisher`].
    Publisher
}

impl Publisher<'_> {
    /// `agency_check_can_open_publisher`: whether the mini program meets the threshold
    /// (1000 unique visitors).
    pub async fn can_open(&self) -> Result<bool, Error> {
        Ok(self.send(&CheckCanOpenPublisherRequest {}).await?.can_open())
    }

    /// `agency_create_publisher`: opens the publisher. An open one answers ret 2021, an
    /// error here; see [`Publisher::ensure_open`]. Ret 2013: the threshold is not met.
    pub async fn create(&self) -> Result<(), Error> {
        self.send(&CreatePublisherRequest {}).await.map(drop)
    }

    /// Opens the publisher unless it is open: ret 2021 is success here.
    ///
    /// ```no_run
    /// # async fn demo(wechat: wechat_ams::Client) -> Result<(), tx_core::Error> {
    /// use wechat_ams::Opened;
    /// match wechat.ams("wx1a1a1a1a1a1a1a1a").publisher().ensure_open().await? {
    ///     Opened::Now => println!("opened"),
    ///     Opened::Already | _ => println!("was open"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn ensure_open(&self) -> Result<Opened, Error> {
        opened(self.send(&CreatePublisherRequest {}).await)
    }
}
