//! Friend groups: `v4/sns/group_{add,delete,get}`.

use crate::api::Api;
use crate::friends::NeedFriend;
use crate::ids;
use crate::report::{BatchReport, ItemError, ItemResult};
use crate::wire::groups::{AddReply, AddRequest, DeleteRequest, GetReply, GetRequest, SequenceReply};
use serde::Serialize;
use tx_core::batch::WireResult;
use tx_core::pipeline::Call;
use tx_core::{Error, Idempotency};

/// Group names per request (`GroupName`), and groups per account by default.
pub const MAX_GROUPS_PER_REQUEST: usize = 100;

/// Accounts per `group_add` request (`To_Account`).
pub const MAX_GROUP_MEMBERS_PER_REQUEST: usize = 1000;

/// The answer of [`Groups::add`] (see there for an example).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GroupAdded {
    /// `CurrentSequence` of `from`'s groups after the call.
    pub sequence: u64,
    /// The outcome per friend put in the new groups (empty if none was given).
    pub members: BatchReport<()>,
}

/// One friend group, from [`Groups::get`] (see there for an example).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FriendGroup {
    /// `GroupName`.
    pub name: String,
    /// `FriendNumber`.
    pub friend_count: u64,
    /// `To_Account`: the members, when asked for with [`NeedFriend::Yes`].
    pub members: Vec<String>,
}

/// The answer of [`Groups::get`].
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
/// use tim_sns::NeedFriend;
/// let list = tim.groups().get("alice", NeedFriend::No, Some(["work"])).await?;
/// let work = list.groups.iter().find(|g| g.name == "work").map_or(0, |g| g.friend_count);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GroupList {
    /// The groups.
    pub groups: Vec<FriendGroup>,
    /// `CurrentSequence`.
    pub sequence: u64,
}

/// Friend group calls of a [`Client`]. Get one with [`Client::groups`].
///
/// Group calls are not split into chunks: a second `group_add` for the same new group
/// would fail with 30001 (the group exists), so at most 100 names and 1000 members are
/// accepted per call, and more is refused before any I/O.
#[derive(Debug, Clone, Copy)]
pub struct Groups<'a> {
    api: &'a Api,
}

impl<'a> Groups<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        Groups { api }
    }

    /// Creates groups in `from`'s list (`group_add`) and puts the friends in `members`
    /// in all of them. The whole call fails with 30001 if a group exists, 30011 past the
    /// group limit. Not retried after an ambiguous failure (a retry would answer 30001).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let emu = tx_emulator::Emulator::builder()
    /// #     .tim_app(tx_emulator::TimApp::new(1400000000, "key").friends("alice", ["bob"]))
    /// #     .start().await.unwrap();
    /// # let tim = tim_sns::Client::builder().sdk_app_id(1400000000).secret_key("key").endpoint(emu.base_url()).build()?;
    /// let added = tim.groups().add("alice", ["chess"], ["bob"]).await?;
    /// assert!(added.members.all_succeeded());
    /// # Ok::<(), tx_core::Error>(()) }).unwrap();
    /// ```
    pub async fn add<N, M, S, T>(&self, from: &str, names: N, members: M) -> Result<GroupAdded, Error>
    where
        N: IntoIterator<Item = S>,
        S: AsRef<str>,
        M: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        ids::check_from(from)?;
        let names = ids::collect_names("GroupName", names, MAX_GROUPS_PER_REQUEST)?;
        let members: Vec<String> = members.into_iter().map(|m| m.as_ref().to_owned()).collect();
        if members.len() > MAX_GROUP_MEMBERS_PER_REQUEST {
            return Err(Error::invalid_input(
                "To_Account",
                format_args!("has {} entries; at most {MAX_GROUP_MEMBERS_PER_REQUEST} are allowed", members.len()),
            ));
        }
        for (i, m) in members.iter().enumerate() {
            ids::check_id(format!("To_Account[{i}]"), m)?;
        }
        let (unique, duplicates) = tx_core::batch::dedupe(&members, |s| s.as_str());
        let to: Vec<String> = unique.iter().map(|&i| members[i].clone()).collect();
        let body = AddRequest { from, names: &names, to: (!to.is_empty()).then_some(&to[..]) };
        let call = Call::post_json("v4/sns/group_add", &body)?.with_idempotency(Idempotency::NotIdempotent);
        let reply: AddReply = self.api.send(&call).await?;
        let mut answers: Vec<WireResult<()>> = reply.items.into_iter().map(|r| r.into_wire(())).collect();
        let items = unique
            .into_iter()
            .map(|i| {
                let account = members[i].clone();
                let result = match answers.iter().position(|a| a.id == account) {
                    Some(at) => match answers.swap_remove(at) {
                        a if a.code == 0 => Ok(()),
                        a => Err(ItemError::item(a.code, a.message)),
                    },
                    None => Err(ItemError::missing()),
                };
                ItemResult::new(account, i, result)
            })
            .collect();
        let requests = 1;
        Ok(GroupAdded { sequence: reply.sequence, members: BatchReport::new(items, duplicates, requests) })
    }

    /// Deletes groups from `from`'s list (`group_delete`); their friends stay friends.
    /// Fails with 30001 if a group does not exist. Returns the new `CurrentSequence`.
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// let sequence = tim.groups().delete("alice", ["chess"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete<N, S>(&self, from: &str, names: N) -> Result<u64, Error>
    where
        N: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        ids::check_from(from)?;
        let names = ids::collect_names("GroupName", names, MAX_GROUPS_PER_REQUEST)?;
        let call = Call::post_json("v4/sns/group_delete", &DeleteRequest { from, names: &names })?
            .with_idempotency(Idempotency::NotIdempotent);
        Ok(self.api.send::<SequenceReply>(&call).await?.sequence)
    }

    /// `from`'s groups (`group_get`): all of them, or those named in `names`; with their
    /// members if `need_friend` is [`NeedFriend::Yes`].
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// use tim_sns::NeedFriend;
    /// let list = tim.groups().get("alice", NeedFriend::Yes, None::<Vec<String>>).await?;
    /// for g in list.groups {
    ///     println!("{}: {:?}", g.name, g.members);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get<N, S>(&self, from: &str, need_friend: NeedFriend, names: Option<N>) -> Result<GroupList, Error>
    where
        N: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        ids::check_from(from)?;
        if !need_friend.is_known() {
            return Err(Error::invalid_input(
                "NeedFriend",
                format_args!("{:?} is not one of Need_Friend_Type_Yes, Need_Friend_Type_No", need_friend.as_str()),
            ));
        }
        let names = names.map(|n| ids::collect_names("GroupName", n, MAX_GROUPS_PER_REQUEST)).transpose()?;
        let body = GetRequest { from, need_friend: need_friend.as_str(), names: names.as_deref() };
        let reply: GetReply = self.api.send(&Call::post_json("v4/sns/group_get", &body)?).await?;
        Ok(GroupList {
            groups: reply
                .items
                .into_iter()
                .map(|g| FriendGroup { name: g.name, friend_count: g.friend_number, members: g.members })
                .collect(),
            sequence: reply.sequence,
        })
    }
}
