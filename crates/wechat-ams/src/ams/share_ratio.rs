//! The provider's share of one mini program's ad income (component token).

use super::handler;
use crate::wire::{GetCustomShareRatioRequest, GetShareRatioRequest, SetCustomShareRatioRequest};
use tx_core::Error;

handler! {
    /// The provider's share of one mini program's ad income, in percent (40: the provider
    /// gets 40 %, the merchant 60 %). These actions take the component token and name the
    /// mini program in their body. A set takes effect once the merchant confirms it in the
    /// authorization flow. Get one with [`super::Ams::share_ratio`].
    ShareRatio
}

impl ShareRatio<'_> {
    /// `agency_get_custom_share_ratio`: the mini program's custom ratio.
    pub async fn get(&self) -> Result<i64, Error> {
        Ok(self.send(&GetCustomShareRatioRequest { appid: self.appid().to_owned() }).await?.share_ratio)
    }

    /// `agency_set_custom_share_ratio`: sets the mini program's ratio (0 to 100), which
    /// takes precedence over the provider's default.
    pub async fn set(&self, percent: u32) -> Result<(), Error> {
        self.send(&SetCustomShareRatioRequest { appid: self.appid().to_owned(), share_ratio: percent }).await.map(drop)
    }

    /// `get_share_ratio` with the mini program's AppID: the ratio in effect (its custom
    /// one, else the provider's default).
    pub async fn effective(&self) -> Result<i64, Error> {
        Ok(self.send(&GetShareRatioRequest { appid: self.appid().to_owned() }).await?.share_ratio)
    }
}
