//! The cover ad position (开屏) of a mini program.

use super::{Opened, handler, opened};
use crate::wire::{
    CoverAdposStatus, CoverStatus, GetCoverSceneRequest, GetCoverStatusRequest, SetCoverSceneRequest,
    SetCoverStatusRequest,
};
use tx_core::Error;

handler! {
    /// The cover ad of a mini program: on or off, and the scenes it shows in. Toggling it
    /// less than an hour after the previous toggle answers ret 2008 (retried after an hour
    /// only if the retry policy allows such a wait). Get one with [`super::Ams::cover`].
    Cover
}

impl Cover<'_> {
    /// `agency_get_cover_adpos_status`: on, off or never toggled, and when it can next be
    /// opened.
    pub async fn status(&self) -> Result<CoverAdposStatus, Error> {
        self.send(&GetCoverStatusRequest {}).await
    }

    /// `agency_set_cover_adpos_status`: [`CoverStatus::On`] or [`CoverStatus::Off`]
    /// (anything else is refused before sending). Opening an open one answers ret 2067,
    /// an error here; see [`Cover::ensure_open`].
    pub async fn set_status(&self, status: CoverStatus) -> Result<(), Error> {
        self.send(&SetCoverStatusRequest { status }).await.map(drop)
    }

    /// Opens the cover ad unless it is open: ret 2067 is success here.
    pub async fn ensure_open(&self) -> Result<Opened, Error> {
        opened(self.send(&SetCoverStatusRequest { status: CoverStatus::On }).await)
    }

    /// `agency_get_cover_adpos_scene`: the scene ids the cover ad shows in.
    pub async fn scenes(&self) -> Result<Vec<u32>, Error> {
        Ok(self.send(&GetCoverSceneRequest {}).await?.scene_list)
    }

    /// `agency_set_cover_adpos_scene`: the scene ids (1000, 1001, 1007, …) the cover ad
    /// shows in; at least one, none 0.
    pub async fn set_scenes(&self, scenes: &[u32]) -> Result<(), Error> {
        self.send(&SetCoverSceneRequest { cover_scene_list: scenes.to_vec() }).await.map(drop)
    }
}
