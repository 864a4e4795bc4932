//! The advertiser black list of a mini program (actions 17–18).
//!
//! A mini program blocks at most 20 official accounts, 10 iOS apps, 10 Android apps and
//! 20 mini programs or games; more gives ret 2035.

use super::{Ack, BlackListOp, BlackListType, OPERATION_PATH, action, de};
use serde::{Deserialize, Serialize};
use tx_core::{Error, lenient};

/// `agency_get_black_list`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GetBlackListRequest {}

/// The answer of `agency_get_black_list`: the blocked advertisers, by type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BlackList {
    /// Official accounts (type 1).
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub blacklist_biz: Vec<BlackListItem>,
    /// Mini programs and games (type 4).
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub blacklist_weapp: Vec<BlackListItem>,
    /// iOS apps (type 2).
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub blacklist_ios: Vec<BlackListItem>,
    /// Android apps (type 3).
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub blacklist_android: Vec<BlackListItem>,
}

/// A blocked advertiser.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "RawBlackListItem")]
#[non_exhaustive]
pub struct BlackListItem {
    /// The id, as [`BlackListType`] says.
    pub id: String,
    /// The advertiser's name.
    pub name: String,
    /// Its icon's URL: `url` in the documented table, `icon` in the sample.
    pub url: String,
}

#[derive(Deserialize)]
struct RawBlackListItem {
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    id: String,
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    name: String,
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    url: String,
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    icon: String,
}

impl From<RawBlackListItem> for BlackListItem {
    fn from(raw: RawBlackListItem) -> Self {
        let url = if raw.url.is_empty() { raw.icon } else { raw.url };
        BlackListItem { id: raw.id, name: raw.name, url }
    }
}

/// `agency_set_black_list`: blocks or unblocks advertisers.
///
/// `list` goes onto the wire as **a JSON array serialized into a string**:
///
/// ```
/// use wechat_ams::wire::{BlackListEntry, SetBlackListRequest};
/// use wechat_ams::{BlackListOp, BlackListType};
///
/// let r = SetBlackListRequest { op: BlackListOp::Block, list: vec![BlackListEntry::new(BlackListType::OfficialAccount, "gh_x")] };
/// assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"op":1,"list":"[{\"type\":1,\"id\":\"gh_x\"}]"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetBlackListRequest {
    /// Block (1) or unblock (2).
    pub op: BlackListOp,
    /// The advertisers.
    #[serde(serialize_with = "de::serialize_json_string")]
    pub list: Vec<BlackListEntry>,
}

/// An advertiser to block or unblock.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BlackListEntry {
    /// What kind of advertiser (`type` on the wire).
    #[serde(rename = "type")]
    pub kind: BlackListType,
    /// Its id, as [`BlackListType`] says.
    #[serde(deserialize_with = "lenient::string_from_any")]
    pub id: String,
}

impl BlackListEntry {
    /// The advertiser `id` of `kind`.
    pub fn new(kind: BlackListType, id: impl Into<String>) -> Self {
        BlackListEntry { kind, id: id.into() }
    }
}

fn check_set(r: &SetBlackListRequest) -> Result<(), Error> {
    if !r.op.is_known() {
        return Err(Error::invalid_input("op", format_args!("is {}; expected 1 (block) or 2 (unblock)", r.op)));
    }
    if r.list.is_empty() {
        return Err(Error::invalid_input("list", "must not be empty"));
    }
    check_entries("list", &r.list, r.op == BlackListOp::Block)
}

/// Checks advertisers under `field`: known types, ids not empty, and, when they are to be
/// blocked, no more of one type than its cap.
pub(crate) fn check_entries(field: &str, entries: &[BlackListEntry], block: bool) -> Result<(), Error> {
    for (i, entry) in entries.iter().enumerate() {
        if !entry.kind.is_known() {
            return Err(Error::invalid_input(
                format!("{field}[{i}].type"),
                format_args!(
                    "is {}; expected 1 (official account), 2 (iOS app), 3 (Android app) or 4 (mini program)",
                    entry.kind
                ),
            ));
        }
        if entry.id.trim().is_empty() {
            return Err(Error::invalid_input(format!("{field}[{i}].id"), "must not be empty"));
        }
    }
    if block {
        for kind in BlackListType::ALL {
            let n = entries.iter().filter(|e| e.kind == *kind).count();
            let limit = kind.limit().unwrap_or(usize::MAX);
            if n > limit {
                return Err(Error::invalid_input(
                    field.to_owned(),
                    format_args!("blocks {n} advertisers of type {kind}; at most {limit} of that type can be blocked"),
                ));
            }
        }
    }
    Ok(())
}

action!(GetBlackListRequest => BlackList, "agency_get_black_list", OPERATION_PATH, Authorizer, Idempotent, |_r| Ok(()));
action!(SetBlackListRequest => Ack, "agency_set_black_list", OPERATION_PATH, Authorizer, Idempotent, |r| check_set(r));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Action;
    use tx_core::envelope::wechat::decode;

    fn entries(kind: BlackListType, n: usize) -> Vec<BlackListEntry> {
        (0..n).map(|i| BlackListEntry::new(kind, format!("id{i}"))).collect()
    }

    #[test]
    fn the_list_is_a_json_array_inside_a_string() {
        let r = SetBlackListRequest {
            op: BlackListOp::Unblock,
            list: vec![
                BlackListEntry::new(BlackListType::IosApp, "1234567"),
                BlackListEntry::new(BlackListType::AndroidApp, "com.example.app"),
            ],
        };
        let json: serde_json::Value = serde_json::to_value(&r).unwrap();
        assert_eq!(json["op"], 2);
        let inner = json["list"].as_str().expect("list is a string");
        assert_eq!(inner, r#"[{"type":2,"id":"1234567"},{"type":3,"id":"com.example.app"}]"#);
        let back: Vec<BlackListEntry> = serde_json::from_str(inner).unwrap();
        assert_eq!(back, r.list);
    }

    #[test]
    fn caps_per_type_apply_to_blocking() {
        for (kind, cap) in [
            (BlackListType::OfficialAccount, 20),
            (BlackListType::IosApp, 10),
            (BlackListType::AndroidApp, 10),
            (BlackListType::MiniProgram, 20),
        ] {
            assert!(SetBlackListRequest { op: BlackListOp::Block, list: entries(kind, cap) }.validate().is_ok());
            let over = SetBlackListRequest { op: BlackListOp::Block, list: entries(kind, cap + 1) };
            let e = over.validate().unwrap_err();
            assert_eq!(e.field(), Some("list"));
            assert!(e.to_string().contains(&format!("at most {cap}")), "{e}");
            assert!(SetBlackListRequest { op: BlackListOp::Unblock, list: entries(kind, cap + 1) }.validate().is_ok());
        }
        let mut mixed = entries(BlackListType::IosApp, 10);
        mixed.extend(entries(BlackListType::AndroidApp, 10));
        assert!(SetBlackListRequest { op: BlackListOp::Block, list: mixed }.validate().is_ok());
    }

    #[test]
    fn refusals_name_the_field() {
        let one = || vec![BlackListEntry::new(BlackListType::OfficialAccount, "gh_x")];
        assert_eq!(
            SetBlackListRequest { op: BlackListOp::Other(3), list: one() }.validate().unwrap_err().field(),
            Some("op")
        );
        assert_eq!(
            SetBlackListRequest { op: BlackListOp::Block, list: vec![] }.validate().unwrap_err().field(),
            Some("list")
        );
        let mut bad = one();
        bad.push(BlackListEntry::new(BlackListType::Other(5), "x"));
        assert_eq!(
            SetBlackListRequest { op: BlackListOp::Block, list: bad }.validate().unwrap_err().field(),
            Some("list[1].type")
        );
        let empty_id = vec![BlackListEntry::new(BlackListType::MiniProgram, " ")];
        assert_eq!(
            SetBlackListRequest { op: BlackListOp::Block, list: empty_id }.validate().unwrap_err().field(),
            Some("list[0].id")
        );
    }

    #[test]
    fn url_and_icon_are_aliases() {
        let body = br#"{"ret":0,"blacklist_biz":[{"id":"gh_10f6c3c3ac5a","name":"An account","url":"https://u/1"}],
            "blacklist_weapp":[{"id":"gh_abc","name":"A game","icon":"https://u/2"}],
            "blacklist_ios":{"id":1234567,"name":"An app"}}"#;
        let list: BlackList = decode(body).unwrap();
        assert_eq!(list.blacklist_biz[0].url, "https://u/1");
        assert_eq!(list.blacklist_weapp[0].url, "https://u/2");
        assert_eq!(list.blacklist_ios[0].id, "1234567");
        assert!(list.blacklist_android.is_empty());
        let both: BlackListItem = serde_json::from_str(r#"{"url":"a","icon":"b"}"#).unwrap();
        assert_eq!(both.url, "a");
    }
}
