//! Friend items and the friend API's string enums.

use crate::types::wire_enum;
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use tx_core::Error;

/// The prefix of every `AddSource`.
pub const ADD_SOURCE_PREFIX: &str = "AddSource_Type_";

/// The prefix of custom friend tags.
pub const CUSTOM_TAG_PREFIX: &str = "Tag_SNS_Custom_";

/// Where a friend request came from: `AddSource_Type_` followed by a suffix of your
/// choosing (e.g. `AddSource_Type_Android`).
///
/// ```
/// use tim_sns::AddSource;
/// assert_eq!(AddSource::new("Web").as_str(), "AddSource_Type_Web");
/// assert_eq!(AddSource::new("AddSource_Type_Web").as_str(), "AddSource_Type_Web");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct AddSource(String);

impl AddSource {
    /// `AddSource_Type_{suffix}`; a value that already has the prefix is kept as is.
    pub fn new(suffix: impl AsRef<str>) -> AddSource {
        let s = suffix.as_ref();
        if s.starts_with(ADD_SOURCE_PREFIX) {
            AddSource(s.to_owned())
        } else {
            AddSource(format!("{ADD_SOURCE_PREFIX}{s}"))
        }
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn check_with(&self, field: impl FnOnce() -> String) -> Result<(), Error> {
        if self.0.len() == ADD_SOURCE_PREFIX.len() {
            return Err(Error::invalid_input(field(), "needs a suffix after AddSource_Type_"));
        }
        Ok(())
    }
}

impl fmt::Display for AddSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

wire_enum! {
    /// `friend_add`'s `AddType`: one-way or mutual (the server's default).
    ///
    /// ```
    /// use tim_sns::AddType;
    /// assert_eq!(AddType::Single.as_str(), "Add_Type_Single");
    /// assert_eq!(AddType::from_wire("Add_Type_Both"), AddType::Both);
    /// ```
    pub enum AddType {
        /// `Add_Type_Single`: B goes on A's list only.
        Single = "Add_Type_Single",
        /// `Add_Type_Both`: each goes on the other's list.
        Both = "Add_Type_Both",
    }
}

wire_enum! {
    /// `friend_delete`'s and `friend_delete_all`'s `DeleteType`.
    ///
    /// ```
    /// use tim_sns::DeleteType;
    /// assert_eq!(DeleteType::Both.to_string(), "Delete_Type_Both");
    /// ```
    pub enum DeleteType {
        /// `Delete_Type_Single`: B leaves A's list only.
        Single = "Delete_Type_Single",
        /// `Delete_Type_Both`: each leaves the other's list.
        Both = "Delete_Type_Both",
    }
}

wire_enum! {
    /// The friend relation of A (`From_Account`) and B, from `friend_check`.
    ///
    /// ```
    /// use tim_sns::FriendRelation;
    /// assert_eq!(FriendRelation::from_wire("CheckResult_Type_BothWay"), FriendRelation::BothWay);
    /// assert!(!FriendRelation::from_wire("CheckResult_Type_Later").is_known());
    /// ```
    pub enum FriendRelation {
        /// `CheckResult_Type_NoRelation`: neither has the other (Single mode: B is not on
        /// A's list).
        NoRelation = "CheckResult_Type_NoRelation",
        /// `CheckResult_Type_AWithB`: B is on A's list (Both mode: A is not on B's).
        AWithB = "CheckResult_Type_AWithB",
        /// `CheckResult_Type_BWithA` (Both mode): A is on B's list, B is not on A's.
        BWithA = "CheckResult_Type_BWithA",
        /// `CheckResult_Type_BothWay` (Both mode): each is on the other's list.
        BothWay = "CheckResult_Type_BothWay",
    }
}

wire_enum! {
    /// `group_get`'s `NeedFriend`: whether to list each group's members.
    ///
    /// ```
    /// use tim_sns::NeedFriend;
    /// assert_eq!(NeedFriend::Yes.as_str(), "Need_Friend_Type_Yes");
    /// ```
    pub enum NeedFriend {
        /// `Need_Friend_Type_Yes`.
        Yes = "Need_Friend_Type_Yes",
        /// `Need_Friend_Type_No`.
        No = "Need_Friend_Type_No",
    }
}

/// Refuses an `Unknown` value of a request enum.
pub(crate) fn known<'a>(field: &'static str, value: &'a str, is_known: bool, allowed: &str) -> Result<&'a str, Error> {
    if is_known {
        Ok(value)
    } else {
        Err(Error::invalid_input(field, format_args!("{value:?} is not one of {allowed}")))
    }
}

/// A friend data tag: a standard one, or a custom `Tag_SNS_Custom_*` tag.
///
/// ```
/// use tim_sns::Tag;
/// assert_eq!(Tag::from_wire("Tag_SNS_IM_Remark"), Tag::Remark);
/// assert_eq!(Tag::custom("Level").as_str(), "Tag_SNS_Custom_Level");
/// assert_eq!(Tag::from_wire("Tag_SNS_Custom_Level"), Tag::Custom("Tag_SNS_Custom_Level".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Tag {
    /// `Tag_SNS_IM_AddSource`.
    AddSource,
    /// `Tag_SNS_IM_Remark`.
    Remark,
    /// `Tag_SNS_IM_Group`: the friend's groups, an array of names.
    Group,
    /// `Tag_SNS_IM_AddWording`.
    AddWording,
    /// `Tag_SNS_IM_AddTime`.
    AddTime,
    /// `Tag_SNS_IM_RemarkTime`.
    RemarkTime,
    /// A custom tag, full name included (`Tag_SNS_Custom_…`).
    Custom(String),
    /// A tag this crate does not know, kept as sent.
    Unknown(String),
}

impl Tag {
    /// A custom tag: `Tag_SNS_Custom_{name}` (a name that has the prefix is kept).
    pub fn custom(name: impl AsRef<str>) -> Tag {
        let n = name.as_ref();
        if n.starts_with(CUSTOM_TAG_PREFIX) {
            Tag::Custom(n.to_owned())
        } else {
            Tag::Custom(format!("{CUSTOM_TAG_PREFIX}{n}"))
        }
    }

    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            Tag::AddSource => "Tag_SNS_IM_AddSource",
            Tag::Remark => "Tag_SNS_IM_Remark",
            Tag::Group => "Tag_SNS_IM_Group",
            Tag::AddWording => "Tag_SNS_IM_AddWording",
            Tag::AddTime => "Tag_SNS_IM_AddTime",
            Tag::RemarkTime => "Tag_SNS_IM_RemarkTime",
            Tag::Custom(s) | Tag::Unknown(s) => s,
        }
    }

    /// The tag for a wire name.
    pub fn from_wire(s: &str) -> Tag {
        match s {
            "Tag_SNS_IM_AddSource" => Tag::AddSource,
            "Tag_SNS_IM_Remark" => Tag::Remark,
            "Tag_SNS_IM_Group" => Tag::Group,
            "Tag_SNS_IM_AddWording" => Tag::AddWording,
            "Tag_SNS_IM_AddTime" => Tag::AddTime,
            "Tag_SNS_IM_RemarkTime" => Tag::RemarkTime,
            custom if custom.starts_with(CUSTOM_TAG_PREFIX) => Tag::Custom(custom.to_owned()),
            other => Tag::Unknown(other.to_owned()),
        }
    }

    /// Checks a tag for use in a request: custom tags need a name after the prefix;
    /// unknown tags are refused.
    pub(crate) fn check(&self, field: &str) -> Result<(), Error> {
        match self {
            Tag::Custom(s) if !s.starts_with(CUSTOM_TAG_PREFIX) || s.len() == CUSTOM_TAG_PREFIX.len() => {
                Err(Error::invalid_input(field.to_owned(), format_args!("{s:?} is not Tag_SNS_Custom_ and a name")))
            }
            Tag::Unknown(s) => Err(Error::invalid_input(field.to_owned(), format_args!("{s:?} is not a known tag"))),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Tag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A tag with its value (a string, a number or an array, depending on the tag).
///
/// ```
/// use tim_sns::{Tag, TagValue};
/// let groups = TagValue::new(Tag::Group, serde_json::json!(["work"]));
/// assert_eq!(serde_json::to_string(&groups)?, r#"{"tag":"Tag_SNS_IM_Group","value":["work"]}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TagValue {
    /// The tag.
    pub tag: Tag,
    /// Its value.
    pub value: Value,
}

impl TagValue {
    /// A tag with a value.
    pub fn new(tag: Tag, value: impl Into<Value>) -> TagValue {
        TagValue { tag, value: value.into() }
    }
}

/// A friend to add with [`crate::Friends::add`] (`friend_add`'s `AddFriendItem`).
///
/// ```
/// use tim_sns::{AddSource, NewFriend};
/// let f = NewFriend::new("bob", AddSource::new("Web")).remark("Bobby").group("work").wording("hi!");
/// assert_eq!(f.account, "bob");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewFriend {
    /// `To_Account`.
    pub account: String,
    /// `AddSource` (required).
    pub add_source: AddSource,
    /// `Remark`.
    pub remark: Option<String>,
    /// `GroupName`: one group (friend_add takes a single name).
    pub group: Option<String>,
    /// `AddWording`: the request message.
    pub wording: Option<String>,
}

impl NewFriend {
    /// A friend with its source.
    pub fn new(account: impl Into<String>, add_source: AddSource) -> NewFriend {
        NewFriend { account: account.into(), add_source, remark: None, group: None, wording: None }
    }

    /// Sets `Remark`.
    pub fn remark(mut self, remark: impl Into<String>) -> Self {
        self.remark = Some(remark.into());
        self
    }

    /// Sets `GroupName`.
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// Sets `AddWording`.
    pub fn wording(mut self, wording: impl Into<String>) -> Self {
        self.wording = Some(wording.into());
        self
    }
}

/// A friend to import with [`crate::Friends::import`] (`friend_import`'s
/// `AddFriendItem`): no verification, one-way, with times and custom data.
///
/// ```
/// use tim_sns::{AddSource, ImportedFriend};
/// let f = ImportedFriend::new("bob", AddSource::new("Import"))
///     .groups(["work", "chess"])
///     .added_at(1_600_000_000)
///     .custom("Level", 3);
/// assert_eq!(f.custom.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ImportedFriend {
    /// `To_Account`.
    pub account: String,
    /// `AddSource` (required).
    pub add_source: AddSource,
    /// `Remark`.
    pub remark: Option<String>,
    /// `RemarkTime` (unix seconds).
    pub remark_time: Option<u64>,
    /// `GroupName`: any number of groups.
    pub groups: Vec<String>,
    /// `AddWording`.
    pub wording: Option<String>,
    /// `AddTime` (unix seconds).
    pub added_at: Option<u64>,
    /// `CustomItem`: custom tags (`Tag_SNS_Custom_*`) and values.
    pub custom: Vec<TagValue>,
}

impl ImportedFriend {
    /// A friend with its source.
    pub fn new(account: impl Into<String>, add_source: AddSource) -> ImportedFriend {
        ImportedFriend {
            account: account.into(),
            add_source,
            remark: None,
            remark_time: None,
            groups: Vec::new(),
            wording: None,
            added_at: None,
            custom: Vec::new(),
        }
    }

    /// Sets `Remark` and, optionally, `RemarkTime`.
    pub fn remark(mut self, remark: impl Into<String>) -> Self {
        self.remark = Some(remark.into());
        self
    }

    /// Sets `RemarkTime`.
    pub fn remark_time(mut self, unix_secs: u64) -> Self {
        self.remark_time = Some(unix_secs);
        self
    }

    /// Sets `GroupName`.
    pub fn groups<I: IntoIterator<Item = S>, S: Into<String>>(mut self, groups: I) -> Self {
        self.groups = groups.into_iter().map(Into::into).collect();
        self
    }

    /// Sets `AddWording`.
    pub fn wording(mut self, wording: impl Into<String>) -> Self {
        self.wording = Some(wording.into());
        self
    }

    /// Sets `AddTime`.
    pub fn added_at(mut self, unix_secs: u64) -> Self {
        self.added_at = Some(unix_secs);
        self
    }

    /// Adds a custom tag (`Tag_SNS_Custom_{name}`) with its value.
    pub fn custom(mut self, name: impl AsRef<str>, value: impl Into<Value>) -> Self {
        self.custom.push(TagValue::new(Tag::custom(name), value));
        self
    }
}

/// Changes to one friend's data for [`crate::Friends::update`] (`friend_update`'s
/// `UpdateItem`).
///
/// ```
/// use tim_sns::FriendUpdate;
/// let u = FriendUpdate::new("bob").remark("Robert").groups(["family"]).custom("Level", 4);
/// assert_eq!(u.changes.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FriendUpdate {
    /// `To_Account`.
    pub account: String,
    /// `SnsItem`: tags and their new values.
    pub changes: Vec<TagValue>,
}

impl FriendUpdate {
    /// No changes yet.
    pub fn new(account: impl Into<String>) -> FriendUpdate {
        FriendUpdate { account: account.into(), changes: Vec::new() }
    }

    /// Sets `Tag_SNS_IM_Remark`.
    pub fn remark(self, remark: impl Into<String>) -> Self {
        self.set(Tag::Remark, remark.into())
    }

    /// Sets `Tag_SNS_IM_Group` (replacing the friend's groups).
    pub fn groups<I: IntoIterator<Item = S>, S: Into<String>>(self, groups: I) -> Self {
        let groups: Vec<String> = groups.into_iter().map(Into::into).collect();
        self.set(Tag::Group, groups)
    }

    /// Sets `Tag_SNS_IM_AddWording`.
    pub fn wording(self, wording: impl Into<String>) -> Self {
        self.set(Tag::AddWording, wording.into())
    }

    /// Sets a custom tag `Tag_SNS_Custom_{name}`.
    pub fn custom(self, name: impl AsRef<str>, value: impl Into<Value>) -> Self {
        self.set(Tag::custom(name), value)
    }

    /// Sets any tag.
    pub fn set(mut self, tag: Tag, value: impl Into<Value>) -> Self {
        self.changes.push(TagValue::new(tag, value));
        self
    }
}

/// A friend with its relationship data, from [`crate::Friends::get`] or
/// [`crate::Friends::get_list`].
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
/// use futures_util::TryStreamExt;
/// let mut friends = tim.friends().get("alice");
/// while let Some(f) = friends.try_next().await? {
///     println!("{} via {:?}, groups {:?}, level {:?}", f.account, f.add_source(), f.groups(), f.custom("Level"));
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Friend {
    /// The friend (`To_Account`).
    pub account: String,
    /// The tags and values the server sent.
    pub values: Vec<TagValue>,
}

impl Friend {
    /// The value of `tag`, if sent.
    pub fn value(&self, tag: &Tag) -> Option<&Value> {
        self.values.iter().find(|v| &v.tag == tag).map(|v| &v.value)
    }

    /// `Tag_SNS_IM_AddSource`.
    pub fn add_source(&self) -> Option<&str> {
        self.value(&Tag::AddSource).and_then(Value::as_str)
    }

    /// `Tag_SNS_IM_Remark`.
    pub fn remark(&self) -> Option<&str> {
        self.value(&Tag::Remark).and_then(Value::as_str)
    }

    /// `Tag_SNS_IM_Group`: the friend's groups (empty if none).
    pub fn groups(&self) -> Vec<&str> {
        self.value(&Tag::Group)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// `Tag_SNS_IM_AddWording`.
    pub fn wording(&self) -> Option<&str> {
        self.value(&Tag::AddWording).and_then(Value::as_str)
    }

    /// `Tag_SNS_IM_AddTime` (unix seconds).
    pub fn added_at(&self) -> Option<u64> {
        self.value(&Tag::AddTime).and_then(as_u64)
    }

    /// `Tag_SNS_IM_RemarkTime` (unix seconds).
    pub fn remark_time(&self) -> Option<u64> {
        self.value(&Tag::RemarkTime).and_then(as_u64)
    }

    /// A custom tag's value (`Tag_SNS_Custom_{name}`).
    pub fn custom(&self, name: &str) -> Option<&Value> {
        self.value(&Tag::custom(name))
    }
}

fn as_u64(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_sources() {
        for t in [Tag::AddSource, Tag::Remark, Tag::Group, Tag::AddWording, Tag::AddTime, Tag::RemarkTime] {
            assert_eq!(Tag::from_wire(t.as_str()), t);
            assert!(t.check("t").is_ok());
        }
        assert!(Tag::Custom("Tag_SNS_Custom_".into()).check("t").is_err());
        assert!(Tag::Custom("Level".into()).check("t").is_err());
        assert!(Tag::Unknown("Tag_X".into()).check("t").is_err());
        assert!(Tag::custom("Level").check("t").is_ok());
        assert!(AddSource::new("").check_with(|| "s".into()).is_err());
        assert!(AddSource::new("Web").check_with(|| "s".into()).is_ok());
        assert_eq!(AddType::from_wire("Add_Type_Both"), AddType::Both);
        assert_eq!(DeleteType::Single.as_str(), "Delete_Type_Single");
        assert_eq!(
            FriendRelation::from_wire("CheckResult_Type_Weird"),
            FriendRelation::Unknown("CheckResult_Type_Weird".into())
        );
    }

    #[test]
    fn friend_accessors() {
        let f = Friend {
            account: "bob".into(),
            values: vec![
                TagValue::new(Tag::AddSource, "AddSource_Type_Web"),
                TagValue::new(Tag::Group, serde_json::json!(["a", "b"])),
                TagValue::new(Tag::AddTime, 1_700_000_000u64),
                TagValue::new(Tag::custom("Level"), 3),
            ],
        };
        assert_eq!(f.add_source(), Some("AddSource_Type_Web"));
        assert_eq!(f.groups(), ["a", "b"]);
        assert_eq!(f.added_at(), Some(1_700_000_000));
        assert_eq!(f.custom("Level"), Some(&serde_json::json!(3)));
        assert_eq!(f.remark(), None);
    }
}
