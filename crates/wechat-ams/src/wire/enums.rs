//! The enums of the AMS wire, open to values this crate does not know.

use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use tx_core::lenient;

/// Declares a numeric enum of the wire with an `Other(i64)` variant: `ALL`, `code`,
/// `is_known`, `From<i64>`, `Display` (the number) and serde as a number (decoded leniently:
/// numeric strings accepted).
///
/// Unlike [`tx_core::open_code_enum!`], these are values, not result codes: they have no
/// retry verdict.
macro_rules! open_num_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this crate does not know, kept as the server sent it.
            Other(i64),
        }

        impl $name {
            /// Every known value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The number on the wire.
            pub const fn code(self) -> i64 {
                match self {
                    $( $name::$variant => $code, )*
                    $name::Other(code) => code,
                }
            }

            /// Whether this is a value this crate knows.
            pub const fn is_known(self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl From<i64> for $name {
            fn from(code: i64) -> Self {
                match code {
                    $( $code => $name::$variant, )*
                    other => $name::Other(other),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.code())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                lenient::i64_from_any(d).map($name::from)
            }
        }
    };
}

tx_core::open_str_enum! {
    /// An ad slot (`type` when creating an ad unit, `ad_slot` elsewhere).
    ///
    /// Older material adds `SLOT_ID_BIZ_*` slots of official accounts; they are kept as
    /// [`AdSlot::Unknown`] and accepted by validation when they look like slot names
    /// ([`AdSlot::is_plausible`]).
    pub enum AdSlot {
        /// Banner.
        Banner = "SLOT_ID_WEAPP_BANNER",
        /// Reward video.
        RewardVideo = "SLOT_ID_WEAPP_REWARD_VIDEO",
        /// Interstitial.
        Interstitial = "SLOT_ID_WEAPP_INTERSTITIAL",
        /// Video feeds.
        VideoFeeds = "SLOT_ID_WEAPP_VIDEO_FEEDS",
        /// Pre-roll video.
        VideoBegin = "SLOT_ID_WEAPP_VIDEO_BEGIN",
        /// Cover (full-screen on opening).
        Cover = "SLOT_ID_WEAPP_COVER",
        /// Native template.
        Template = "SLOT_ID_WEAPP_TEMPLATE",
        /// Grid box (older material).
        Box = "SLOT_ID_WEAPP_BOX",
    }
}

impl AdSlot {
    /// Whether the value can be a slot name: a known slot, or an unknown value shaped like
    /// one (`SLOT_ID_` then upper-case letters, digits and `_`). Validation refuses the rest
    /// (`banner`, `""`).
    pub fn is_plausible(&self) -> bool {
        match self {
            AdSlot::Unknown(s) => {
                s.len() > "SLOT_ID_".len()
                    && s.starts_with("SLOT_ID_")
                    && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            }
            _ => true,
        }
    }
}

tx_core::open_str_enum! {
    /// An ad unit's status. Requests send the string (`AD_UNIT_STATUS_ON`/`_OFF`); lists
    /// send 1 (on) or 2 (off), sometimes the string, and both decode here.
    pub enum AdUnitStatus {
        /// Serving.
        On = "AD_UNIT_STATUS_ON",
        /// Stopped.
        Off = "AD_UNIT_STATUS_OFF",
    }
}

/// Deserializes an [`AdUnitStatus`] from 1, 2, `"1"`, `"2"` or the status string.
pub(crate) fn ad_unit_status_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<AdUnitStatus, D::Error> {
    lenient::map_str_from_any(d, |s| match s {
        "1" => AdUnitStatus::On,
        "2" => AdUnitStatus::Off,
        other => AdUnitStatus::from_wire(other),
    })
}

open_num_enum! {
    /// The cover ad position's status: 1 on, 4 off. A 0 appears before the first toggle
    /// and means off.
    pub enum CoverStatus {
        /// Never toggled (0): off.
        NeverToggled = 0,
        /// On (1).
        On = 1,
        /// Off (4).
        Off = 4,
    }
}

impl CoverStatus {
    /// Whether the cover ad is on.
    pub fn is_on(self) -> bool {
        self == CoverStatus::On
    }
}

open_num_enum! {
    /// The type of a black-listed advertiser, and what its `id` holds.
    pub enum BlackListType {
        /// An official account: its WeChat id or original id (`gh_…`). At most 20.
        OfficialAccount = 1,
        /// An iOS app: its APPID. At most 10.
        IosApp = 2,
        /// An Android app: its app-store package name. At most 10.
        AndroidApp = 3,
        /// A mini program or mini game: its original id. At most 20.
        MiniProgram = 4,
    }
}

impl BlackListType {
    /// How many advertisers of this type a mini program can block (exceeding it gives ret
    /// 2035); `None` for an unknown type.
    pub fn limit(self) -> Option<usize> {
        match self {
            BlackListType::OfficialAccount | BlackListType::MiniProgram => Some(20),
            BlackListType::IosApp | BlackListType::AndroidApp => Some(10),
            BlackListType::Other(_) => None,
        }
    }
}

open_num_enum! {
    /// What `agency_set_black_list` does with its entries.
    pub enum BlackListOp {
        /// Block them (1).
        Block = 1,
        /// Unblock them (2).
        Unblock = 2,
    }
}

open_num_enum! {
    /// Which half of the month a settlement period covers.
    pub enum SettlementOrder {
        /// The 1st to the 15th (1).
        FirstHalf = 1,
        /// The 16th to the end of the month (2).
        SecondHalf = 2,
    }
}

/// A settlement period's status (`sett_status`), as sent: 1 settling, 2 and 3 settled,
/// 4 paying, 5 paid. Both settled codes are kept apart (the documents do not say how they
/// differ); [`SettlementStatus::phase`] groups them.
///
/// ```
/// use wechat_ams::{SettlementPhase, SettlementStatus};
/// assert_eq!(SettlementStatus(3).phase(), SettlementPhase::Settled);
/// assert_eq!(SettlementStatus(9).phase(), SettlementPhase::Unknown);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct SettlementStatus(pub i64);

impl SettlementStatus {
    /// What the status means.
    pub fn phase(self) -> SettlementPhase {
        match self.0 {
            1 => SettlementPhase::Settling,
            2 | 3 => SettlementPhase::Settled,
            4 => SettlementPhase::Paying,
            5 => SettlementPhase::Paid,
            _ => SettlementPhase::Unknown,
        }
    }
}

impl<'de> Deserialize<'de> for SettlementStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::i64_from_any(d).map(SettlementStatus)
    }
}

/// The phase of a settlement period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SettlementPhase {
    /// Being settled (1).
    Settling,
    /// Settled (2 or 3).
    Settled,
    /// Being paid (4).
    Paying,
    /// Paid (5).
    Paid,
    /// A status this crate does not know.
    Unknown,
}

/// A native template type (`tmpl_type`).
///
/// The documents give numbers without names: create and update accept
/// [`TmplType::ACCEPTED`]; `agency_get_tmpl_type` may also return 5, 14, 15, 23, 100002,
/// 100004, 100005 and 100006.
///
/// ```
/// use wechat_ams::TmplType;
/// assert!(TmplType(100001).is_accepted());
/// assert!(!TmplType(5).is_accepted());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct TmplType(pub i64);

impl TmplType {
    /// The template types `agency_create_adunit` and `agency_update_adunit` accept.
    pub const ACCEPTED: &'static [i64] = &[2, 3, 4, 6, 7, 9, 10, 11, 12, 13, 20, 100001, 100003];

    /// Whether create and update accept this type.
    pub fn is_accepted(self) -> bool {
        TmplType::ACCEPTED.contains(&self.0)
    }
}

impl<'de> Deserialize<'de> for TmplType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::i64_from_any(d).map(TmplType)
    }
}

/// A `slot_id`: a number in the data APIs, the slot's name in settlement `slot_revenue`.
///
/// ```
/// use wechat_ams::{AdSlot, SlotId};
/// assert_eq!(serde_json::from_str::<SlotId>("1030436212907001")?, SlotId::Id(1030436212907001));
/// assert_eq!(serde_json::from_str::<SlotId>(r#""8""#)?, SlotId::Id(8));
/// assert_eq!(serde_json::from_str::<SlotId>(r#""SLOT_ID_WEAPP_BANNER""#)?, SlotId::Slot(AdSlot::Banner));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SlotId {
    /// A numeric slot id.
    Id(i64),
    /// A slot name.
    Slot(AdSlot),
}

impl Default for SlotId {
    fn default() -> Self {
        SlotId::Slot(AdSlot::Unknown(String::new()))
    }
}

impl<'de> Deserialize<'de> for SlotId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::map_str_from_any(d, |s| match s.parse::<i64>() {
            Ok(n) => SlotId::Id(n),
            Err(_) => SlotId::Slot(AdSlot::from_wire(s)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_enums_are_open_and_lenient() {
        assert_eq!(serde_json::from_str::<BlackListType>("4").unwrap(), BlackListType::MiniProgram);
        assert_eq!(serde_json::from_str::<BlackListType>(r#""2""#).unwrap(), BlackListType::IosApp);
        assert_eq!(serde_json::from_str::<BlackListType>("7").unwrap(), BlackListType::Other(7));
        assert_eq!(serde_json::to_string(&BlackListType::Other(7)).unwrap(), "7");
        assert_eq!(serde_json::to_string(&BlackListOp::Unblock).unwrap(), "2");
        assert_eq!(BlackListType::ALL.iter().map(|t| t.limit().unwrap()).collect::<Vec<_>>(), [20, 10, 10, 20]);
        assert_eq!(BlackListType::Other(9).limit(), None);
        assert!(!BlackListOp::from(3).is_known());
        assert_eq!(SettlementOrder::from(2).to_string(), "2");
    }

    #[test]
    fn cover_status_zero_is_off() {
        let s: CoverStatus = serde_json::from_str("0").unwrap();
        assert_eq!(s, CoverStatus::NeverToggled);
        assert!(!s.is_on());
        assert!(CoverStatus::from(1).is_on() && !CoverStatus::from(4).is_on());
        assert_eq!(serde_json::to_string(&CoverStatus::Off).unwrap(), "4");
    }

    #[test]
    fn ad_unit_status_reads_numbers_and_strings() {
        #[derive(Deserialize)]
        struct P(#[serde(deserialize_with = "ad_unit_status_from_any")] AdUnitStatus);
        let read = |j: &str| serde_json::from_str::<P>(j).unwrap().0;
        assert_eq!(read("1"), AdUnitStatus::On);
        assert_eq!(read(r#""2""#), AdUnitStatus::Off);
        assert_eq!(read(r#""AD_UNIT_STATUS_ON""#), AdUnitStatus::On);
        assert_eq!(read("3"), AdUnitStatus::Unknown("3".into()));
        assert_eq!(serde_json::to_string(&AdUnitStatus::Off).unwrap(), r#""AD_UNIT_STATUS_OFF""#);
    }

    #[test]
    fn slots() {
        assert!(AdSlot::Banner.is_plausible());
        assert!(AdSlot::from_wire("SLOT_ID_BIZ_BOTTOM").is_plausible());
        for bad in ["", "banner", "SLOT_ID_", "SLOT_ID_weapp", "SLOT_ID_A B"] {
            assert!(!AdSlot::from_wire(bad).is_plausible(), "{bad:?}");
        }
        assert_eq!(
            serde_json::from_str::<SlotId>(r#""SLOT_ID_BIZ_X""#).unwrap(),
            SlotId::Slot(AdSlot::Unknown("SLOT_ID_BIZ_X".into()))
        );
    }

    #[test]
    fn settlement_phases() {
        let phases: Vec<_> = (0..=6).map(|c| SettlementStatus(c).phase()).collect();
        use SettlementPhase::*;
        assert_eq!(phases, [Unknown, Settling, Settled, Settled, Paying, Paid, Unknown]);
        assert_eq!(serde_json::from_str::<SettlementStatus>(r#""5""#).unwrap(), SettlementStatus(5));
    }
}
