//! The cover ad position (actions 11–14): its status and the scenes it shows in.
//!
//! Toggling the status less than an hour after the previous toggle answers ret 2008;
//! opening an opened cover answers 2067, which an "ensure open" treats as success.

use super::{Ack, CoverStatus, OPERATION_PATH, action, de};
use serde::{Deserialize, Serialize};
use tx_core::{Error, lenient};

/// `agency_set_cover_adpos_status`: switches the cover ad on (1) or off (4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetCoverStatusRequest {
    /// [`CoverStatus::On`] or [`CoverStatus::Off`].
    pub status: CoverStatus,
}

/// `agency_set_cover_adpos_scene`: the scenes the cover ad shows in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetCoverSceneRequest {
    /// Scene ids (1000, 1001, 1007, …), sent comma-joined.
    #[serde(serialize_with = "de::serialize_scenes")]
    pub cover_scene_list: Vec<u32>,
}

/// `agency_get_cover_adpos_status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GetCoverStatusRequest {}

/// The answer of `agency_get_cover_adpos_status`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CoverAdposStatus {
    /// On (1), off (4), or never toggled (0, off).
    #[serde(default = "never_toggled")]
    pub status: CoverStatus,
    /// When the cover can next be opened, in Unix seconds (0 if now).
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub next_open_time: i64,
}

/// `agency_get_cover_adpos_scene`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GetCoverSceneRequest {}

/// The answer of `agency_get_cover_adpos_scene`: `scene_list` (documented) or
/// `cover_scene_list` (seen), a comma-joined string of scene ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "RawCoverScenes")]
#[non_exhaustive]
pub struct CoverScenes {
    /// The scene ids, in the order sent.
    pub scene_list: Vec<u32>,
}

/// Both spellings, so that an answer carrying both decodes (`scene_list` wins unless empty).
#[derive(Deserialize)]
struct RawCoverScenes {
    #[serde(default, deserialize_with = "de::scenes_from_any")]
    scene_list: Vec<u32>,
    #[serde(default, deserialize_with = "de::scenes_from_any")]
    cover_scene_list: Vec<u32>,
}

impl From<RawCoverScenes> for CoverScenes {
    fn from(raw: RawCoverScenes) -> Self {
        let scene_list = if raw.scene_list.is_empty() { raw.cover_scene_list } else { raw.scene_list };
        CoverScenes { scene_list }
    }
}

fn never_toggled() -> CoverStatus {
    CoverStatus::NeverToggled
}

fn check_status(r: &SetCoverStatusRequest) -> Result<(), Error> {
    match r.status {
        CoverStatus::On | CoverStatus::Off => Ok(()),
        other => Err(Error::invalid_input("status", format_args!("is {other}; expected 1 (on) or 4 (off)"))),
    }
}

fn check_scenes(r: &SetCoverSceneRequest) -> Result<(), Error> {
    if r.cover_scene_list.is_empty() {
        return Err(Error::invalid_input("cover_scene_list", "must not be empty"));
    }
    if let Some(i) = r.cover_scene_list.iter().position(|&s| s == 0) {
        return Err(Error::invalid_input(format!("cover_scene_list[{i}]"), "is 0, which is not a scene id"));
    }
    Ok(())
}

action!(SetCoverStatusRequest => Ack, "agency_set_cover_adpos_status", OPERATION_PATH, Authorizer, Idempotent, |r| check_status(r));
action!(SetCoverSceneRequest => Ack, "agency_set_cover_adpos_scene", OPERATION_PATH, Authorizer, Idempotent, |r| check_scenes(r));
action!(GetCoverStatusRequest => CoverAdposStatus, "agency_get_cover_adpos_status", OPERATION_PATH, Authorizer, Idempotent, |_r| Ok(()));
action!(GetCoverSceneRequest => CoverScenes, "agency_get_cover_adpos_scene", OPERATION_PATH, Authorizer, Idempotent, |_r| Ok(()));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Action;
    use tx_core::envelope::wechat::decode;

    #[test]
    fn requests() {
        let on = SetCoverStatusRequest { status: CoverStatus::On };
        assert_eq!(serde_json::to_string(&on).unwrap(), r#"{"status":1}"#);
        assert!(on.validate().is_ok() && SetCoverStatusRequest { status: CoverStatus::Off }.validate().is_ok());
        for bad in [CoverStatus::NeverToggled, CoverStatus::Other(2)] {
            assert_eq!(SetCoverStatusRequest { status: bad }.validate().unwrap_err().field(), Some("status"));
        }
        let scenes = SetCoverSceneRequest { cover_scene_list: vec![1000, 1001, 1007] };
        assert_eq!(serde_json::to_string(&scenes).unwrap(), r#"{"cover_scene_list":"1000,1001,1007"}"#);
        assert!(scenes.validate().is_ok());
        assert_eq!(
            SetCoverSceneRequest { cover_scene_list: vec![] }.validate().unwrap_err().field(),
            Some("cover_scene_list")
        );
        assert_eq!(
            SetCoverSceneRequest { cover_scene_list: vec![1000, 0] }.validate().unwrap_err().field(),
            Some("cover_scene_list[1]")
        );
    }

    #[test]
    fn status_with_err_msg_typed_as_a_boolean() {
        let s: CoverAdposStatus =
            decode(br#"{"ret":0,"err_msg":false,"status":4,"next_open_time":1700003600}"#).unwrap();
        assert_eq!((s.status, s.next_open_time), (CoverStatus::Off, 1_700_003_600));
        let never: CoverAdposStatus = decode(br#"{"status":0}"#).unwrap();
        assert!(!never.status.is_on());
        assert_eq!(decode::<CoverAdposStatus>(b"{}").unwrap().status, CoverStatus::NeverToggled);
    }

    #[test]
    fn scene_list_and_cover_scene_list_are_aliases() {
        let doc: CoverScenes = decode(br#"{"ret":0,"scene_list":"1000,1001"}"#).unwrap();
        let seen: CoverScenes = decode(br#"{"cover_scene_list":" 1000 , 1001 ,"}"#).unwrap();
        assert_eq!(doc, seen);
        assert_eq!(doc.scene_list, [1000, 1001]);
        let both: CoverScenes = decode(br#"{"scene_list":"1007","cover_scene_list":"1000"}"#).unwrap();
        assert_eq!(both.scene_list, [1007]);
        assert!(decode::<CoverScenes>(br#"{"scene_list":""}"#).unwrap().scene_list.is_empty());
        assert!(matches!(
            decode::<CoverScenes>(br#"{"scene_list":"1000,x"}"#),
            Err(tx_core::envelope::EnvelopeError::Decode(_))
        ));
    }
}
