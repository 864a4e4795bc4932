//! Policy across a fleet of mini programs: a stream of authorizer AppIDs in, one record
//! per authorizer out, on tx-core's bulk runner ([`tx_core::bulk`]): bounded memory,
//! bounded calls in flight, every authorizer accounted for however the run ends.
//!
//! WeChat's part is the [`FleetPlanner`]: a window of AppIDs is checked (a malformed one
//! becomes a failed record before anything is sent) and deduplicated (a repeat becomes a
//! `duplicate` record), and each remaining authorizer is one unit: **read its current
//! state, write only where it differs**. The units of a window run concurrently, up to
//! [`Bulk::max_in_flight`](tx_core::bulk::Bulk::max_in_flight); each authorizer's
//! calls count against its own rate keys, so a fleet run never trips one mini program's
//! "operating too fast" (ret 1737) by fanning out, and a 1737 holds only that key.
//!
//! Tokens: each authorizer's token is fetched once (the cache's single flight) and reused
//! by its read and its write; the component token is fetched once for the whole run.
//!
//! Failures are per authorizer (`failed` with the code and the step), except those that
//! doom every later call: the IP allow-list (61004), the AppSecret (40125), the ticket
//! (61005, 61006), or a component token that cannot be had. Then the run stops: the units
//! in flight finish, every authorizer not tried is `not_attempted`, and the stream yields
//! that error last.
//!
//! The run holds one window of AppIDs (default 10 000) plus the units in flight, whatever
//! the input's length. The client keeps a little per authorizer it has called, for as long
//! as it lives: its token and refresh token in the token store (which is their purpose),
//! and a token-cache slot and a rate-limiter key of a few hundred bytes in this process.

mod blacklist;
mod direct;

pub use blacklist::{BlackListChange, BlackListPolicy, RefusedEntry};
pub use direct::{ReadBlackList, ReadCategories, WriteCategories};

use crate::ams::CategoryChange;
use crate::api::{Api, Counted};
use crate::category::CategorySet;
use crate::client::Client;
use crate::code::ErrorCode;
use crate::validate;
use futures_util::future::BoxFuture;
use futures_util::{FutureExt, Stream, StreamExt};
use serde::Serialize;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::sync::Arc;
use tx_core::batch::ItemError;
use tx_core::bulk::{Bulk, Outcome, Planner, Record, UnitOutcome, Work};
use tx_core::token::Credentials;
use tx_core::{Error, ErrorKind, Tenant};

/// One authorizer of a fleet run. Serialized as `{"authorizer_appid": "wx…"}`, so that a
/// record reads `{"index":0,"authorizer_appid":"wx…","status":"ok","value":{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Authorizer {
    /// The mini program's AppID.
    pub authorizer_appid: String,
}

impl Authorizer {
    /// The authorizer `appid` (checked when the run reaches it).
    pub fn new(appid: impl Into<String>) -> Self {
        Authorizer { authorizer_appid: appid.into() }
    }
}

impl From<&str> for Authorizer {
    fn from(appid: &str) -> Self {
        Authorizer::new(appid.trim())
    }
}

impl From<String> for Authorizer {
    fn from(appid: String) -> Self {
        Authorizer::new(appid.trim())
    }
}

/// What fleet input may hold: AppIDs, [`Authorizer`]s, or parse results (an input line
/// that did not parse becomes a failed record at its index instead of stopping the run).
pub trait IntoAuthorizer {
    /// The authorizer, or why this input item is not one.
    fn into_authorizer(self) -> Result<Authorizer, Error>;
}

impl IntoAuthorizer for Authorizer {
    fn into_authorizer(self) -> Result<Authorizer, Error> {
        Ok(self)
    }
}

impl IntoAuthorizer for String {
    fn into_authorizer(self) -> Result<Authorizer, Error> {
        Ok(self.into())
    }
}

impl IntoAuthorizer for &str {
    fn into_authorizer(self) -> Result<Authorizer, Error> {
        Ok(self.into())
    }
}

impl<A: IntoAuthorizer> IntoAuthorizer for Result<A, Error> {
    fn into_authorizer(self) -> Result<Authorizer, Error> {
        self.and_then(IntoAuthorizer::into_authorizer)
    }
}

/// A policy a fleet run applies to each authorizer: read, compare, write what differs.
/// Implemented by [`CategorySet`] (the category black list) and [`BlackListPolicy`] (the
/// advertiser black list).
pub trait Policy: fmt::Debug + Send + Sync + 'static {
    /// What applying it to one authorizer yields.
    type Value: Send + 'static;

    /// Applies the policy to `appid`: the value, with the attempts the calls made (on
    /// failure too).
    #[doc(hidden)]
    fn apply(self: Arc<Self>, cx: FleetContext, appid: String) -> BoxFuture<'static, Counted<Self::Value>>;
}

/// What a [`Policy`] is applied with: the client's pipeline (opaque).
#[derive(Debug, Clone)]
pub struct FleetContext {
    api: Api,
}

impl Policy for CategorySet {
    type Value = CategoryChange;

    fn apply(self: Arc<Self>, cx: FleetContext, appid: String) -> BoxFuture<'static, Counted<CategoryChange>> {
        async move { crate::ams::category::ensure(&cx.api, &appid, &self).await }.boxed()
    }
}

/// A fleet run, ready to start: `.max_in_flight(n)`, `.window(n)`, `.on_progress(f)`,
/// `.stop_handle()`, then `.stream()` (records as they complete) or `.run()` (the
/// summary). See [`tx_core::bulk::Bulk`].
pub type FleetBulk<P> = Bulk<FleetPlanner<P>>;

/// The record of one authorizer: its index, the authorizer, and `Ok(value)`, `Failed`,
/// `Duplicate` or `NotAttempted`.
pub type FleetRecord<V> = Record<Authorizer, V, ErrorCode>;

/// WeChat's planner of fleet runs: one unit per distinct, well-formed authorizer.
pub struct FleetPlanner<P> {
    api: Api,
    component: Arc<dyn Credentials>,
    component_tenant: Tenant,
    policy: Arc<P>,
}

impl<P: fmt::Debug> fmt::Debug for FleetPlanner<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FleetPlanner").field("policy", &self.policy).finish_non_exhaustive()
    }
}

impl<P: Policy> Planner for FleetPlanner<P> {
    type Item = Authorizer;
    type Value = P::Value;
    type Code = ErrorCode;

    fn plan(&self, window: Vec<(usize, Result<Authorizer, Error>)>) -> Vec<Work<Authorizer, P::Value, ErrorCode>> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut work = Vec::with_capacity(window.len());
        for (index, item) in window {
            let authorizer = match item {
                Ok(a) => a,
                Err(e) => {
                    work.push(Work::Done(Record::new(index, None, Outcome::Failed(ItemError::invalid(&e)))));
                    continue;
                }
            };
            if let Err(e) = check(&authorizer.authorizer_appid, self.component_tenant.as_str()) {
                work.push(Work::Done(Record::new(index, Some(authorizer), Outcome::Failed(ItemError::invalid(&e)))));
                continue;
            }
            match seen.entry(authorizer.authorizer_appid.clone()) {
                Entry::Occupied(first) => {
                    let first_index = *first.get();
                    work.push(Work::Done(Record::new(index, Some(authorizer), Outcome::Duplicate { first_index })));
                }
                Entry::Vacant(v) => {
                    v.insert(index);
                    work.push(Work::Run(vec![(index, authorizer)]));
                }
            }
        }
        work
    }

    fn run(&self, unit: Vec<(usize, Authorizer)>) -> BoxFuture<'static, UnitOutcome<Authorizer, P::Value, ErrorCode>> {
        let api = self.api.clone();
        let policy = Arc::clone(&self.policy);
        let component = Arc::clone(&self.component);
        let component_tenant = self.component_tenant.clone();
        async move {
            let mut outcome = UnitOutcome { records: Vec::with_capacity(unit.len()), requests: 0, fatal: None };
            for (index, authorizer) in unit {
                if outcome.fatal.is_some() {
                    outcome.records.push(Record::new(index, Some(authorizer), Outcome::NotAttempted));
                    continue;
                }
                match Arc::clone(&policy)
                    .apply(FleetContext { api: api.clone() }, authorizer.authorizer_appid.clone())
                    .await
                {
                    Ok((value, attempts)) => {
                        outcome.requests += u64::from(attempts);
                        outcome.records.push(Record::new(index, Some(authorizer), Outcome::Ok(value)));
                    }
                    Err((e, attempts)) => {
                        outcome.requests += u64::from(attempts);
                        let failure = ItemError::request(&e);
                        outcome.records.push(Record::new(index, Some(authorizer), Outcome::Failed(failure)));
                        outcome.fatal = fatal(e, &*component, &component_tenant).await;
                    }
                }
            }
            outcome
        }
        .boxed()
    }
}

/// A well-formed authorizer AppID that is not the component's own.
fn check(appid: &str, component: &str) -> Result<(), Error> {
    validate::appid("authorizer_appid", appid)?;
    if appid == component {
        return Err(Error::invalid_input("authorizer_appid", "is the component's own AppID"));
    }
    Ok(())
}

/// Codes that fail every call of the component alike: the IP allow-list, the AppSecret,
/// the ticket.
const DOOMS_EVERY_CALL: [i64; 4] = [61004, 40125, 61005, 61006];

/// Whether `e` dooms every later call of the run: a code that fails every call alike, or a
/// credential failure whose cause is the component token (probed: served from the cache
/// when it is fine, so an authorizer's own credential failure costs nothing).
async fn fatal(e: Error, component: &dyn Credentials, tenant: &Tenant) -> Option<Error> {
    if e.code().is_some_and(|c| DOOMS_EVERY_CALL.contains(&c)) {
        return Some(e);
    }
    if e.kind() != ErrorKind::Auth {
        return None;
    }
    component.token(tenant).await.err()
}

/// Policy across many mini programs. Get one with [`Client::fleet`].
#[derive(Debug, Clone, Copy)]
pub struct Fleet<'a> {
    client: &'a Client,
}

impl<'a> Fleet<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Fleet { client }
    }

    fn planner<P: Policy>(&self, policy: P) -> FleetPlanner<P> {
        let inner = self.client.inner();
        FleetPlanner {
            api: inner.api.clone(),
            component: Arc::clone(&inner.component),
            component_tenant: inner.component_tenant.clone(),
            policy: Arc::new(policy),
        }
    }

    /// Ensures that every authorizer of `authorizers` blocks exactly `categories`: reads
    /// each one's category black list and writes `categories` only where it differs. One
    /// record per authorizer: `ok` with [`CategoryChange::Unchanged`] or
    /// [`CategoryChange::Changed`] (before → after), `failed` with the code and the step,
    /// `duplicate`, or `not_attempted`.
    ///
    /// `categories` is checked first (a value that is not one of the 13 is refused here,
    /// before any input is read); each AppID when its window is planned.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # use tx_emulator::{Emulator, WechatAuthorizer, WechatComponent};
    /// # let mut emu = Emulator::builder().wechat_component(WechatComponent::new("wx0c0c0c0c0c0c0c0c", "s", "ticket@@@1"));
    /// # for i in 0..4 {
    /// #     let a = WechatAuthorizer::new(format!("wx1a1a1a1a1a1a1a1{i}")).component("wx0c0c0c0c0c0c0c0c").refresh_token(format!("r@@@{i}"));
    /// #     emu = emu.wechat_authorizer(if i % 2 == 0 { a.ams_category("CHESS|LOAN") } else { a });
    /// # }
    /// # let emu = emu.start().await.unwrap();
    /// # let wechat = wechat_ams::Client::builder().component_appid("wx0c0c0c0c0c0c0c0c").component_secret("s")
    /// #     .component_verify_ticket("ticket@@@1").endpoint(emu.base_url()).build()?;
    /// # wechat.tokens().recover_refresh_tokens().await?;
    /// use futures_util::{TryStreamExt, stream};
    /// use wechat_ams::{AmsCategory, CategorySet};
    ///
    /// let policy = CategorySet::from_iter([AmsCategory::Chess, AmsCategory::Loan]);
    /// let appids = (0..4).map(|i| format!("wx1a1a1a1a1a1a1a1{i}"));
    /// let mut records = wechat.fleet().ensure_category_blacklist(stream::iter(appids), policy)?.stream();
    /// let mut changed = 0;
    /// while let Some(record) = records.try_next().await? {
    ///     println!("{}", serde_json::to_string(&record).unwrap());
    ///     changed += matches!(&record.outcome, tx_core::bulk::Outcome::Ok(c) if c.is_changed()) as usize;
    /// }
    /// assert_eq!((changed, records.summary().succeeded), (2, 4));
    /// # Ok::<(), Box<dyn std::error::Error>>(()) }).unwrap();
    /// ```
    pub fn ensure_category_blacklist<S, A>(
        &self,
        authorizers: S,
        categories: CategorySet,
    ) -> Result<FleetBulk<CategorySet>, Error>
    where
        S: Stream<Item = A> + Send + 'static,
        A: IntoAuthorizer + 'static,
    {
        categories.validate("ams_category")?;
        Ok(Bulk::new(self.planner(categories), authorizers.map(IntoAuthorizer::into_authorizer)))
    }

    /// Reads the category black list of every authorizer of `authorizers`: one call each,
    /// one record each (`ok` with the set it blocks, `failed`, `duplicate` or
    /// `not_attempted`), as [`Fleet::ensure_category_blacklist`] runs.
    pub fn category_blacklists<S, A>(&self, authorizers: S) -> FleetBulk<ReadCategories>
    where
        S: Stream<Item = A> + Send + 'static,
        A: IntoAuthorizer + 'static,
    {
        Bulk::new(self.planner(ReadCategories), authorizers.map(IntoAuthorizer::into_authorizer))
    }

    /// Replaces the category black list of every authorizer of `authorizers` with
    /// `categories`, without reading it first: one write each. Prefer
    /// [`Fleet::ensure_category_blacklist`], which writes only where the set differs; this
    /// is for when the write itself is wanted. `categories` is checked first.
    pub fn set_category_blacklist<S, A>(
        &self,
        authorizers: S,
        categories: CategorySet,
    ) -> Result<FleetBulk<WriteCategories>, Error>
    where
        S: Stream<Item = A> + Send + 'static,
        A: IntoAuthorizer + 'static,
    {
        categories.validate("ams_category")?;
        let policy = WriteCategories::new(categories);
        Ok(Bulk::new(self.planner(policy), authorizers.map(IntoAuthorizer::into_authorizer)))
    }

    /// Reads the advertiser black list of every authorizer of `authorizers`: one call
    /// each; the value is the blocked entries, by type then id.
    pub fn black_lists<S, A>(&self, authorizers: S) -> FleetBulk<ReadBlackList>
    where
        S: Stream<Item = A> + Send + 'static,
        A: IntoAuthorizer + 'static,
    {
        Bulk::new(self.planner(ReadBlackList), authorizers.map(IntoAuthorizer::into_authorizer))
    }

    /// Ensures the advertiser black list of every authorizer of `authorizers`: reads each
    /// one's list, unblocks the policy's `unblock` entries it holds, and blocks the
    /// `block` entries it lacks, as far as the per-type caps allow (20 official accounts,
    /// 10 iOS apps, 10 Android apps, 20 mini programs). An entry that would exceed its
    /// type's cap is not sent and is listed in [`BlackListChange::refused`] with code 2035,
    /// as is every entry of a block the server refuses with 2035. One record per
    /// authorizer, as for [`Fleet::ensure_category_blacklist`].
    ///
    /// `policy` is checked first ([`BlackListPolicy::validate`]).
    pub fn ensure_black_list<S, A>(
        &self,
        authorizers: S,
        policy: BlackListPolicy,
    ) -> Result<FleetBulk<BlackListPolicy>, Error>
    where
        S: Stream<Item = A> + Send + 'static,
        A: IntoAuthorizer + 'static,
    {
        policy.validate()?;
        Ok(Bulk::new(self.planner(policy), authorizers.map(IntoAuthorizer::into_authorizer)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorizers_from_strings_are_trimmed() {
        assert_eq!(Authorizer::from(" wx0123456789abcdef\r\n").authorizer_appid, "wx0123456789abcdef");
        assert_eq!(String::from("wx1").into_authorizer().unwrap(), Authorizer::new("wx1"));
        let bad: Result<&str, Error> = Err(Error::invalid_input("line 3", "is empty"));
        assert_eq!(bad.into_authorizer().unwrap_err().field(), Some("line 3"));
        assert_eq!(
            serde_json::to_string(&Authorizer::new("wx0123456789abcdef")).unwrap(),
            r#"{"authorizer_appid":"wx0123456789abcdef"}"#
        );
        assert_eq!(check("wx0c0c0c0c0c0c0c0c", "wx0c0c0c0c0c0c0c0c").unwrap_err().field(), Some("authorizer_appid"));
        assert!(check("wx0123456789abcdef", "wx0c0c0c0c0c0c0c0c").is_ok());
        assert!(check("gh_x", "wx0c0c0c0c0c0c0c0c").is_err());
    }
}
