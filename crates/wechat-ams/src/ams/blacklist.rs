//! The advertiser black list of a mini program.

use super::handler;
use crate::wire::{BlackList, BlackListEntry, BlackListOp, GetBlackListRequest, SetBlackListRequest};
use tx_core::Error;

handler! {
    /// The advertisers a mini program refuses ads from: official accounts (at most 20),
    /// iOS apps (10), Android apps (10), mini programs and games (20). Blocking past a cap
    /// answers ret 2035 and changes nothing; a block that would exceed a cap by itself is
    /// refused before sending. Get one with [`super::Ams::black_list`]; for many mini
    /// programs see [`crate::Fleet::ensure_black_list`].
    AdvertiserBlackList
}

impl AdvertiserBlackList<'_> {
    /// `agency_get_black_list`: the blocked advertisers, by type.
    pub async fn get(&self) -> Result<BlackList, Error> {
        self.send(&GetBlackListRequest {}).await
    }

    /// `agency_set_black_list` with op 1: blocks `entries` (blocked ones stay blocked).
    ///
    /// ```no_run
    /// # async fn demo(wechat: wechat_ams::Client) -> Result<(), tx_core::Error> {
    /// use wechat_ams::BlackListType;
    /// use wechat_ams::wire::BlackListEntry;
    /// wechat.ams("wx1a1a1a1a1a1a1a1a").black_list()
    ///     .block(vec![BlackListEntry::new(BlackListType::OfficialAccount, "gh_0123456789ab")])
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn block(&self, entries: Vec<BlackListEntry>) -> Result<(), Error> {
        self.send(&SetBlackListRequest { op: BlackListOp::Block, list: entries }).await.map(drop)
    }

    /// `agency_set_black_list` with op 2: unblocks `entries`.
    pub async fn unblock(&self, entries: Vec<BlackListEntry>) -> Result<(), Error> {
        self.send(&SetBlackListRequest { op: BlackListOp::Unblock, list: entries }).await.map(drop)
    }
}
