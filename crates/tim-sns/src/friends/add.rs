//! `friend_add` and `friend_import`.

use super::types::{AddSource, AddType, ImportedFriend, NewFriend, known};
use crate::api::Api;
use crate::ids;
use crate::protocol::code::ErrorCode;
use crate::report::BatchReport;
use crate::wire::ItemsReply;
use crate::wire::friends::{AddItem, AddRequest, ImportItem, ImportRequest, TagValueRef};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use std::future::IntoFuture;
use tx_core::Error;
use tx_core::batch::{BatchOp, WireResult};
use tx_core::pipeline::Call;

/// Friends per `friend_add` request. The per-request count is not documented; 100 keeps
/// requests small (the documented `friend_get_list` advice) and is what this crate sends.
pub const MAX_ADD_PER_REQUEST: usize = 100;

/// Friends per `friend_import` request (documented: at most 1000).
pub const MAX_IMPORT_PER_REQUEST: usize = 1000;

pub(crate) fn items_results(reply: ItemsReply) -> Vec<WireResult<()>> {
    reply.result_item.into_iter().map(|r| r.into_wire(())).collect()
}

struct AddOp<'a> {
    from: &'a str,
    add_type: Option<&'a str>,
    force: Option<u8>,
}

impl BatchOp for AddOp<'_> {
    type Item = NewFriend;
    type Value = ();
    type Reply = ItemsReply;
    type Code = ErrorCode;
    const MAX_CHUNK: usize = MAX_ADD_PER_REQUEST;

    fn id(item: &NewFriend) -> &str {
        &item.account
    }

    fn call(&self, chunk: &[&NewFriend]) -> Result<Call, Error> {
        let items = chunk
            .iter()
            .map(|f| AddItem {
                to: &f.account,
                add_source: f.add_source.as_str(),
                remark: f.remark.as_deref(),
                group: f.group.as_deref(),
                wording: f.wording.as_deref(),
            })
            .collect();
        let body = AddRequest { from: self.from, items, add_type: self.add_type, force_add_flags: self.force };
        Call::post_json("v4/sns/friend_add", &body)
    }

    fn results(&self, _chunk: &[&Self::Item], reply: ItemsReply) -> Vec<WireResult<()>> {
        items_results(reply)
    }
    fn already_applied(&self, item: &NewFriend, code: ErrorCode) -> bool {
        code.settles_relation_write(self.from, &item.account)
    }
}

/// `friend_add` of plain ids, all with one source, added both ways without confirmation
/// (the bulk form).
pub(crate) struct AddIdsOp {
    pub from: String,
    pub add_source: AddSource,
}

impl BatchOp for AddIdsOp {
    type Item = String;
    type Value = ();
    type Reply = ItemsReply;
    type Code = ErrorCode;
    const MAX_CHUNK: usize = MAX_ADD_PER_REQUEST;

    fn id(item: &String) -> &str {
        item
    }

    fn call(&self, chunk: &[&String]) -> Result<Call, Error> {
        let items = chunk
            .iter()
            .map(|to| AddItem { to, add_source: self.add_source.as_str(), remark: None, group: None, wording: None })
            .collect();
        let body = AddRequest { from: &self.from, items, add_type: Some("Add_Type_Both"), force_add_flags: Some(1) };
        Call::post_json("v4/sns/friend_add", &body)
    }

    fn results(&self, _chunk: &[&Self::Item], reply: ItemsReply) -> Vec<WireResult<()>> {
        items_results(reply)
    }
    fn already_applied(&self, item: &String, code: ErrorCode) -> bool {
        code.settles_relation_write(&self.from, item)
    }
}

/// A `friend_add` call, ready to be awaited. Built by [`crate::Friends::add`].
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
/// use tim_sns::{AddSource, AddType, NewFriend};
/// let report = tim
///     .friends()
///     .add("alice", [NewFriend::new("bob", AddSource::new("Web"))])
///     .add_type(AddType::Single)
///     .force(true)
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "does nothing unless awaited"]
pub struct FriendAdd<'a> {
    pub(crate) api: &'a Api,
    pub(crate) from: String,
    pub(crate) friends: Vec<NewFriend>,
    pub(crate) add_type: Option<AddType>,
    pub(crate) force: Option<bool>,
}

impl FriendAdd<'_> {
    /// `AddType` (the server's default is [`AddType::Both`]).
    pub fn add_type(mut self, add_type: AddType) -> Self {
        self.add_type = Some(add_type);
        self
    }

    /// `ForceAddFlags`: add even if the target asks to confirm requests.
    pub fn force(mut self, force: bool) -> Self {
        self.force = Some(force);
        self
    }

    async fn send(self) -> Result<BatchReport<()>, Error> {
        ids::check_from(&self.from)?;
        if self.friends.is_empty() {
            return Err(Error::invalid_input("AddFriendItem", "must not be empty"));
        }
        for (i, f) in self.friends.iter().enumerate() {
            ids::check_id(format!("AddFriendItem[{i}].To_Account"), &f.account)?;
            f.add_source.check_with(|| format!("AddFriendItem[{i}].AddSource"))?;
        }
        let add_type = match &self.add_type {
            Some(t) => Some(known("AddType", t.as_str(), t.is_known(), "Add_Type_Single, Add_Type_Both")?),
            None => None,
        };
        let op = AddOp { from: &self.from, add_type, force: self.force.map(u8::from) };
        self.api.batch(&op, &self.friends).await
    }
}

impl<'a> IntoFuture for FriendAdd<'a> {
    type Output = Result<BatchReport<()>, Error>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        self.send().boxed()
    }
}

struct ImportOp<'a> {
    from: &'a str,
}

impl BatchOp for ImportOp<'_> {
    type Item = ImportedFriend;
    type Value = ();
    type Reply = ItemsReply;
    type Code = ErrorCode;
    const MAX_CHUNK: usize = MAX_IMPORT_PER_REQUEST;

    fn id(item: &ImportedFriend) -> &str {
        &item.account
    }

    fn call(&self, chunk: &[&ImportedFriend]) -> Result<Call, Error> {
        let items = chunk
            .iter()
            .map(|f| ImportItem {
                to: &f.account,
                add_source: f.add_source.as_str(),
                remark: f.remark.as_deref(),
                remark_time: f.remark_time,
                groups: &f.groups,
                wording: f.wording.as_deref(),
                added_at: f.added_at,
                custom: f.custom.iter().map(|c| TagValueRef { tag: c.tag.as_str(), value: &c.value }).collect(),
            })
            .collect();
        Call::post_json("v4/sns/friend_import", &ImportRequest { from: self.from, items })
    }

    fn results(&self, _chunk: &[&Self::Item], reply: ItemsReply) -> Vec<WireResult<()>> {
        items_results(reply)
    }
    fn already_applied(&self, item: &ImportedFriend, code: ErrorCode) -> bool {
        code.settles_relation_write(self.from, &item.account)
    }
}

pub(crate) async fn import(api: &Api, from: &str, friends: Vec<ImportedFriend>) -> Result<BatchReport<()>, Error> {
    ids::check_from(from)?;
    if friends.is_empty() {
        return Err(Error::invalid_input("AddFriendItem", "must not be empty"));
    }
    for (i, f) in friends.iter().enumerate() {
        ids::check_id(format!("AddFriendItem[{i}].To_Account"), &f.account)?;
        f.add_source.check_with(|| format!("AddFriendItem[{i}].AddSource"))?;
        if let Some(g) = f.groups.iter().position(String::is_empty) {
            return Err(Error::invalid_input(format!("AddFriendItem[{i}].GroupName[{g}]"), "must not be empty"));
        }
        for (c, tag) in f.custom.iter().enumerate() {
            let field = format!("AddFriendItem[{i}].CustomItem[{c}].Tag");
            match &tag.tag {
                super::Tag::Custom(_) => tag.tag.check(&field)?,
                other => {
                    return Err(Error::invalid_input(
                        field,
                        format_args!("{other} is not a custom tag (Tag_SNS_Custom_…)"),
                    ));
                }
            }
        }
    }
    api.batch(&ImportOp { from }, &friends).await
}
