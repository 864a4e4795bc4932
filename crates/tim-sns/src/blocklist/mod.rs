//! The blocklist: `v4/sns/black_list_{add,delete,check,get}`.
//!
//! Blocking semantics (server side): if A and B are friends, either blocking the other
//! ends the friendship both ways; while either blocks the other, neither can send a
//! friend request; a mutual block stops messages both ways; if only A blocks B, A can
//! still message B but B cannot message A. A blocklist holds at most 1000 accounts
//! (30013 past that).

mod add;
mod check;
mod list;

pub use add::MAX_ACCOUNTS_PER_REQUEST;
pub use check::Relation;
pub use list::{BlockListPage, BlockListStream, BlockedAccount};

use crate::api::Api;
use crate::bulk::{Bulk, IntoPair, PairPlanner};
use crate::ids;
use crate::report::BatchReport;
use crate::types::CheckType;
pub(crate) use add::AccountsOp;
pub(crate) use check::CheckOp;
use futures_util::{Stream, StreamExt};
use tx_core::Error;

/// Blocklist calls of a [`crate::Client`]. Get one with [`crate::Client::blocklist`].
#[derive(Debug, Clone, Copy)]
pub struct Blocklist<'a> {
    api: &'a Api,
}

impl<'a> Blocklist<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        Blocklist { api }
    }

    /// Puts `ids` on `from`'s blocklist (`black_list_add`). Any number of ids: they are
    /// split into requests of 1000, sent concurrently within the rate limit, and merged.
    ///
    /// `Err` if the input breaks a rule (no I/O then) or if no request got an answer;
    /// otherwise every distinct id has a result in the report. Typical item codes: 30001
    /// (already blocked, or blocking oneself), 30003 (no such account), 30013 (list full).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let emu = tx_emulator::Emulator::builder()
    /// #     .tim_app(tx_emulator::TimApp::new(1400000000, "key").accounts(["alice", "bob", "carol"]))
    /// #     .start().await.unwrap();
    /// # let tim = tim_sns::Client::builder().sdk_app_id(1400000000).secret_key("key").endpoint(emu.base_url()).build()?;
    /// use tim_sns::KnownCode;
    /// let report = tim.blocklist().add("alice", ["bob", "nobody", "carol"]).await?;
    /// assert_eq!(report.succeeded().count(), 2);
    /// let failed = report.get("nobody").unwrap();
    /// assert_eq!(failed.code(), Some(KnownCode::AccountNotFound.into()));
    /// # Ok::<(), tx_core::Error>(()) }).unwrap();
    /// ```
    pub async fn add<I, S>(&self, from: &str, ids: I) -> Result<BatchReport<()>, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        ids::check_from(from)?;
        let ids = ids::collect_ids("To_Account", ids)?;
        self.api.batch(&AccountsOp::add(from.to_owned()), &ids).await
    }

    /// Takes `ids` off `from`'s blocklist (`black_list_delete`); batched like
    /// [`Blocklist::add`]. An id that was not blocked fails with 30001.
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// let report = tim.blocklist().delete("alice", ["bob"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete<I, S>(&self, from: &str, ids: I) -> Result<BatchReport<()>, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        ids::check_from(from)?;
        let ids = ids::collect_ids("To_Account", ids)?;
        self.api.batch(&AccountsOp::delete(from.to_owned()), &ids).await
    }

    /// The [`Relation`] of `from` with each of `ids` (`black_list_check`); batched like
    /// [`Blocklist::add`]. A failed item has no relation (the server's is not trustworthy).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let emu = tx_emulator::Emulator::builder()
    /// #     .tim_app(tx_emulator::TimApp::new(1400000000, "key").accounts(["alice", "bob"]).block("bob", ["alice"]))
    /// #     .start().await.unwrap();
    /// # let tim = tim_sns::Client::builder().sdk_app_id(1400000000).secret_key("key").endpoint(emu.base_url()).build()?;
    /// use tim_sns::{CheckType, Relation};
    /// let report = tim.blocklist().check("alice", ["bob"], CheckType::Both).await?;
    /// assert_eq!(report.get("bob").unwrap().value(), Some(&Relation::BWithA));
    /// # Ok::<(), tx_core::Error>(()) }).unwrap();
    /// ```
    pub async fn check<I, S>(&self, from: &str, ids: I, check_type: CheckType) -> Result<BatchReport<Relation>, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        ids::check_from(from)?;
        let check_type = check_type.blocklist_wire()?;
        let ids = ids::collect_ids("To_Account", ids)?;
        self.api.batch(&CheckOp { from: from.to_owned(), check_type }, &ids).await
    }

    /// `from`'s blocklist as a `Stream` of entries, page by page (`black_list_get`).
    /// Nothing is sent until the stream is polled.
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// use futures_util::TryStreamExt;
    /// let blocked: Vec<_> = tim.blocklist().list("alice").try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self, from: &str) -> BlockListStream {
        BlockListStream::new(self.api, from)
    }

    /// One page of `from`'s blocklist: up to `page_size` (1..=1000) entries from
    /// `start_index` (0 for the first page, then the previous page's `next_start_index`).
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// let page = tim.blocklist().page("alice", 0, 100).await?;
    /// println!("{} entries, sequence {:?}", page.entries.len(), page.sequence);
    /// # Ok(()) }
    /// ```
    pub async fn page(&self, from: &str, start_index: u64, page_size: u32) -> Result<BlockListPage, Error> {
        list::page(self.api, from, start_index, page_size).await
    }

    /// Bulk `black_list_add` over a stream of (From, To) pairs: bounded memory and
    /// requests in flight, per-pair results as a stream, a progress callback and a final
    /// summary. See [`Bulk`].
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let users: Vec<String> = (0..50).map(|i| format!("user{i}")).collect();
    /// # let emu = tx_emulator::Emulator::builder()
    /// #     .tim_app(tx_emulator::TimApp::new(1400000000, "key").accounts(users.clone()).accounts(["spammer"]))
    /// #     .start().await.unwrap();
    /// # let tim = tim_sns::Client::builder().sdk_app_id(1400000000).secret_key("key").endpoint(emu.base_url()).build()?;
    /// use futures_util::stream;
    /// use tim_sns::Pair;
    /// let summary = tim.blocklist().add_many(stream::iter(Pair::fan_in(users, "spammer"))).run().await?;
    /// assert_eq!((summary.succeeded, summary.failed), (50, 0));
    /// # Ok::<(), tx_core::Error>(()) }).unwrap();
    /// ```
    pub fn add_many<S, P>(&self, pairs: S) -> Bulk<()>
    where
        S: Stream<Item = P> + Send + 'static,
        P: IntoPair + 'static,
    {
        Bulk::new(PairPlanner::new(self.api, AccountsOp::add), pairs.map(IntoPair::into_pair))
    }

    /// Bulk `black_list_delete` over (From, To) pairs; see [`Blocklist::add_many`].
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// use futures_util::stream;
    /// let pairs = stream::iter([("alice", "bob"), ("carol", "bob")]);
    /// let summary = tim.blocklist().delete_many(pairs).run().await?;
    /// # Ok(()) }
    /// ```
    pub fn delete_many<S, P>(&self, pairs: S) -> Bulk<()>
    where
        S: Stream<Item = P> + Send + 'static,
        P: IntoPair + 'static,
    {
        Bulk::new(PairPlanner::new(self.api, AccountsOp::delete), pairs.map(IntoPair::into_pair))
    }

    /// Bulk `black_list_check` over (From, To) pairs; each result carries the
    /// [`Relation`]. An unknown `check_type` is refused here, before any input is read.
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// use futures_util::{stream, TryStreamExt};
    /// use tim_sns::{CheckType, Pair, PairOutcome, Relation};
    /// let pairs = stream::iter(Pair::fan_out("alice", ["bob", "carol"]));
    /// let mut results = tim.blocklist().check_many(pairs, CheckType::Single)?.stream();
    /// while let Some(r) = results.try_next().await? {
    ///     if let (PairOutcome::Ok(Relation::AWithB), Some(pair)) = (&r.outcome, &r.item) {
    ///         println!("{} blocks {}", pair.from, pair.to);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn check_many<S, P>(&self, pairs: S, check_type: CheckType) -> Result<Bulk<Relation>, Error>
    where
        S: Stream<Item = P> + Send + 'static,
        P: IntoPair + 'static,
    {
        let check_type = check_type.blocklist_wire()?;
        let planner = PairPlanner::new(self.api, move |from| CheckOp { from, check_type });
        Ok(Bulk::new(planner, pairs.map(IntoPair::into_pair)))
    }
}
