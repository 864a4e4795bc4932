//! Friends: `v4/sns/friend_{add,import,update,delete,delete_all,check,get,get_list}`.

mod add;
mod check;
mod delete;
mod get;
mod get_list;
mod types;
mod update;

pub use add::{FriendAdd, MAX_ADD_PER_REQUEST, MAX_IMPORT_PER_REQUEST};
pub use check::MAX_CHECK_PER_REQUEST;
pub use delete::MAX_DELETE_PER_REQUEST;
pub use get::{FriendPage, FriendStream};
pub use get_list::MAX_GET_LIST_PER_REQUEST;
pub use types::{
    ADD_SOURCE_PREFIX, AddSource, AddType, CUSTOM_TAG_PREFIX, DeleteType, Friend, FriendRelation, FriendUpdate,
    ImportedFriend, NeedFriend, NewFriend, Tag, TagValue,
};
pub use update::MAX_UPDATE_PER_REQUEST;

use crate::api::Api;
use crate::bulk::{Bulk, IntoPair, PairPlanner};
use crate::ids;
use crate::report::BatchReport;
use crate::types::CheckType;
use futures_util::{Stream, StreamExt};
use tx_core::Error;

/// Friend calls of a [`crate::Client`]. Get one with [`crate::Client::friends`].
///
/// Every batch call takes any number of items, validates them before any I/O, splits them
/// into the endpoint's request size, and merges one report (see [`BatchReport`]).
#[derive(Debug, Clone, Copy)]
pub struct Friends<'a> {
    api: &'a Api,
}

impl<'a> Friends<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        Friends { api }
    }

    /// Adds friends to `from`'s list (`friend_add`), mutually unless
    /// [`FriendAdd::add_type`] says [`AddType::Single`]. Await the returned builder.
    /// Blocklists stop it per item (30515, 30525).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let emu = tx_emulator::Emulator::builder()
    /// #     .tim_app(tx_emulator::TimApp::new(1400000000, "key").accounts(["alice", "bob"]))
    /// #     .start().await.unwrap();
    /// # let tim = tim_sns::Client::builder().sdk_app_id(1400000000).secret_key("key").endpoint(emu.base_url()).build()?;
    /// use tim_sns::{AddSource, NewFriend};
    /// let report = tim.friends().add("alice", [NewFriend::new("bob", AddSource::new("Web")).remark("Bob")]).await?;
    /// assert!(report.all_succeeded());
    /// # Ok::<(), tx_core::Error>(()) }).unwrap();
    /// ```
    pub fn add(&self, from: &str, friends: impl IntoIterator<Item = NewFriend>) -> FriendAdd<'a> {
        FriendAdd {
            api: self.api,
            from: from.to_owned(),
            friends: friends.into_iter().collect(),
            add_type: None,
            force: None,
        }
    }

    /// Imports friends into `from`'s list without verification, one-way
    /// (`friend_import`, 1000 per request).
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// use tim_sns::{AddSource, ImportedFriend};
    /// let report = tim.friends().import("alice", [ImportedFriend::new("bob", AddSource::new("Import"))]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn import(
        &self,
        from: &str,
        friends: impl IntoIterator<Item = ImportedFriend>,
    ) -> Result<BatchReport<()>, Error> {
        add::import(self.api, from, friends.into_iter().collect()).await
    }

    /// Changes friends' relationship data (`friend_update`): remark, groups, wording and
    /// custom tags.
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// use tim_sns::FriendUpdate;
    /// let report = tim.friends().update("alice", [FriendUpdate::new("bob").remark("Robert")]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(
        &self,
        from: &str,
        updates: impl IntoIterator<Item = FriendUpdate>,
    ) -> Result<BatchReport<()>, Error> {
        update::update(self.api, from, updates.into_iter().collect()).await
    }

    /// Removes `ids` from `from`'s friend list (`friend_delete`), from both lists with
    /// [`DeleteType::Both`].
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// use tim_sns::DeleteType;
    /// let report = tim.friends().delete("alice", ["bob"], DeleteType::Both).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete<I, S>(&self, from: &str, ids: I, delete_type: DeleteType) -> Result<BatchReport<()>, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        ids::check_from(from)?;
        let ids = ids::collect_ids("To_Account", ids)?;
        delete::delete(self.api, from, ids, &delete_type).await
    }

    /// Empties `from`'s friend list (`friend_delete_all`); with [`DeleteType::Both`],
    /// `from` also leaves each friend's list.
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// tim.friends().delete_all("alice", tim_sns::DeleteType::Single).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_all(&self, from: &str, delete_type: DeleteType) -> Result<(), Error> {
        delete::delete_all(self.api, from, &delete_type).await
    }

    /// The [`FriendRelation`] of `from` with each of `ids` (`friend_check`).
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// use tim_sns::{CheckType, FriendRelation};
    /// let report = tim.friends().check("alice", ["bob"], CheckType::Both).await?;
    /// let mutual = report.get("bob").and_then(|r| r.value()) == Some(&FriendRelation::BothWay);
    /// # Ok(()) }
    /// ```
    pub async fn check<I, S>(
        &self,
        from: &str,
        ids: I,
        check_type: CheckType,
    ) -> Result<BatchReport<FriendRelation>, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        ids::check_from(from)?;
        let check_type = check_type.friend_wire()?;
        let ids = ids::collect_ids("To_Account", ids)?;
        self.api.batch(&check::CheckOp { from: from.to_owned(), check_type }, &ids).await
    }

    /// `from`'s whole friend list as a `Stream` (`friend_get`, paged by the server).
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// use futures_util::TryStreamExt;
    /// let mut friends = tim.friends().get("alice");
    /// while let Some(friend) = friends.try_next().await? {
    ///     println!("{} ({:?})", friend.account, friend.remark());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get(&self, from: &str) -> FriendStream {
        FriendStream::new(self.api, from)
    }

    /// One page of `friend_get` from `start_index` (0 first, then the previous page's
    /// `next_start_index`), optionally with the `(StandardSequence, CustomSequence)` the
    /// caller already has.
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// let page = tim.friends().get_page("alice", 0, None).await?;
    /// println!("{} friends in all", page.friend_count);
    /// # Ok(()) }
    /// ```
    pub async fn get_page(
        &self,
        from: &str,
        start_index: u64,
        sequences: Option<(u64, u64)>,
    ) -> Result<FriendPage, Error> {
        get::page(self.api, from, start_index, sequences).await
    }

    /// The chosen `tags` of each friend in `ids` (`friend_get_list`, 100 per request).
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// use tim_sns::Tag;
    /// let report = tim.friends().get_list("alice", ["bob"], [Tag::Remark, Tag::Group]).await?;
    /// if let Some(bob) = report.get("bob").and_then(|r| r.value()) {
    ///     println!("{:?} in {:?}", bob.remark(), bob.groups());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get_list<I, S>(
        &self,
        from: &str,
        ids: I,
        tags: impl IntoIterator<Item = Tag>,
    ) -> Result<BatchReport<Friend>, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        ids::check_from(from)?;
        let ids = ids::collect_ids("To_Account", ids)?;
        let tags: Vec<Tag> = tags.into_iter().collect();
        if tags.is_empty() {
            return Err(Error::invalid_input("TagList", "must not be empty"));
        }
        for (i, t) in tags.iter().enumerate() {
            t.check(&format!("TagList[{i}]"))?;
        }
        let tags = tags.iter().map(|t| t.as_str().to_owned()).collect();
        self.api.batch(&get_list::GetListOp { from, tags }, &ids).await
    }

    /// Bulk `friend_add` over (From, To) pairs: both ways, without confirmation, every
    /// friend with `add_source`. See [`crate::Bulk`].
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// use futures_util::stream;
    /// use tim_sns::AddSource;
    /// let pairs = stream::iter([("alice", "bob"), ("carol", "dave")]);
    /// let summary = tim.friends().add_many(pairs, AddSource::new("Import"))?.run().await?;
    /// # Ok(()) }
    /// ```
    pub fn add_many<S, P>(&self, pairs: S, add_source: AddSource) -> Result<Bulk<()>, Error>
    where
        S: Stream<Item = P> + Send + 'static,
        P: IntoPair + 'static,
    {
        add_source.check_with(|| "AddSource".to_owned())?;
        let op = move |from| add::AddIdsOp { from, add_source: add_source.clone() };
        Ok(Bulk::new(PairPlanner::new(self.api, op), pairs.map(IntoPair::into_pair)))
    }

    /// Bulk `friend_delete` over (From, To) pairs. See [`crate::Bulk`].
    pub fn delete_many<S, P>(&self, pairs: S, delete_type: DeleteType) -> Result<Bulk<()>, Error>
    where
        S: Stream<Item = P> + Send + 'static,
        P: IntoPair + 'static,
    {
        let delete_type = delete::delete_wire(&delete_type)?;
        let op = move |from| delete::DeleteOp { from, delete_type };
        Ok(Bulk::new(PairPlanner::new(self.api, op), pairs.map(IntoPair::into_pair)))
    }

    /// Bulk `friend_check` over (From, To) pairs; each record carries the
    /// [`FriendRelation`]. See [`crate::Bulk`].
    pub fn check_many<S, P>(&self, pairs: S, check_type: CheckType) -> Result<Bulk<FriendRelation>, Error>
    where
        S: Stream<Item = P> + Send + 'static,
        P: IntoPair + 'static,
    {
        let check_type = check_type.friend_wire()?;
        let op = move |from| check::CheckOp { from, check_type };
        Ok(Bulk::new(PairPlanner::new(self.api, op), pairs.map(IntoPair::into_pair)))
    }
}
