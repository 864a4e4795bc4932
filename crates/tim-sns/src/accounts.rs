//! IM accounts (`v4/im_open_login_svc/*`): import, check and delete, so an app can be
//! prepared for the relationship chain. Up to 100 accounts per request; any number per
//! call, split and merged like every batch call.

use crate::api::Api;
use crate::bulk::{Account, AccountBulk, GroupPlanner};
use crate::ids;
use crate::protocol::code::ErrorCode;
use crate::report::BatchReport;
use crate::types::wire_enum;
use crate::wire::accounts::{CheckRequest, DeleteRequest, ImportReply, ImportRequest, ResultReply, UserItem};
use futures_util::Stream;
use tx_core::Error;
use tx_core::batch::{BatchOp, WireResult};
use tx_core::bulk::Bulk;
use tx_core::pipeline::Call;

/// Accounts per `multiaccount_import`, `account_check` and `account_delete` request.
pub const MAX_ACCOUNTS_PER_ACCOUNT_REQUEST: usize = 100;

/// The code a refused import is reported with. `FailAccounts` lists refused accounts
/// without a code; this is the account-import pages' code for a refused parameter.
const IMPORT_REFUSED: i64 = 70402;

wire_enum! {
    /// Whether an account exists in the app (`AccountStatus` of `account_check`).
    pub enum AccountStatus {
        /// `Imported`: the account exists.
        Imported = "Imported",
        /// `NotImported`: it does not.
        NotImported = "NotImported",
    }
}

/// Account calls of a [`crate::Client`]. Get one with [`crate::Client::accounts`].
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'a> {
    api: &'a Api,
}

impl<'a> Accounts<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        Accounts { api }
    }

    /// Imports (creates) accounts (`multiaccount_import`). Importing an existing account
    /// succeeds. A refused account fails with 70402.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let emu = tx_emulator::Emulator::builder().tim_app(tx_emulator::TimApp::new(1400000000, "key")).start().await.unwrap();
    /// # let tim = tim_sns::Client::builder().sdk_app_id(1400000000).secret_key("key").endpoint(emu.base_url()).build()?;
    /// use tim_sns::AccountStatus;
    /// assert!(tim.accounts().import(["alice", "bob"]).await?.all_succeeded());
    /// let status = tim.accounts().check(["alice", "zoe"]).await?;
    /// assert_eq!(status.get("zoe").unwrap().value(), Some(&AccountStatus::NotImported));
    /// # Ok::<(), tx_core::Error>(()) }).unwrap();
    /// ```
    pub async fn import<I, S>(&self, ids: I) -> Result<BatchReport<()>, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let ids = ids::collect_ids("Accounts", ids)?;
        self.api.batch(&ImportOp, &ids).await
    }

    /// Whether each account exists (`account_check`).
    pub async fn check<I, S>(&self, ids: I) -> Result<BatchReport<AccountStatus>, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let ids = ids::collect_ids("CheckItem", ids)?;
        self.api.batch(&CheckOp, &ids).await
    }

    /// Deletes accounts (`account_delete`). An account that does not exist fails with
    /// 70107.
    pub async fn delete<I, S>(&self, ids: I) -> Result<BatchReport<()>, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let ids = ids::collect_ids("DeleteItem", ids)?;
        self.api.batch(&DeleteOp, &ids).await
    }
}

impl Accounts<'_> {
    /// Bulk `multiaccount_import` over a stream of accounts. See [`crate::Bulk`].
    ///
    /// ```no_run
    /// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
    /// use futures_util::stream;
    /// use tim_sns::Account;
    /// let accounts = stream::iter((0..10_000).map(|i| Ok(Account::new(format!("user{i}")))));
    /// let summary = tim.accounts().import_many(accounts).run().await?;
    /// # Ok(()) }
    /// ```
    pub fn import_many<S>(&self, accounts: S) -> AccountBulk<()>
    where
        S: Stream<Item = Result<Account, Error>> + Send + 'static,
    {
        Bulk::new(GroupPlanner::new(self.api, |_| ImportOp), accounts)
    }

    /// Bulk `account_check`: each record carries the [`AccountStatus`].
    pub fn check_many<S>(&self, accounts: S) -> AccountBulk<AccountStatus>
    where
        S: Stream<Item = Result<Account, Error>> + Send + 'static,
    {
        Bulk::new(GroupPlanner::new(self.api, |_| CheckOp), accounts)
    }

    /// Bulk `account_delete`.
    pub fn delete_many<S>(&self, accounts: S) -> AccountBulk<()>
    where
        S: Stream<Item = Result<Account, Error>> + Send + 'static,
    {
        Bulk::new(GroupPlanner::new(self.api, |_| DeleteOp), accounts)
    }
}

fn user_items<'a>(chunk: &[&'a String]) -> Vec<UserItem<'a>> {
    chunk.iter().map(|id| UserItem { user_id: id.as_str() }).collect()
}

/// `multiaccount_import`: the answer lists only the refused accounts.
pub(crate) struct ImportOp;

impl BatchOp for ImportOp {
    type Item = String;
    type Value = ();
    type Reply = ImportReply;
    type Code = ErrorCode;
    const MAX_CHUNK: usize = MAX_ACCOUNTS_PER_ACCOUNT_REQUEST;

    fn id(item: &String) -> &str {
        item
    }

    fn call(&self, chunk: &[&String]) -> Result<Call, Error> {
        let accounts = chunk.iter().map(|s| s.as_str()).collect();
        Call::post_json("v4/im_open_login_svc/multiaccount_import", &ImportRequest { accounts })
    }

    fn results(&self, chunk: &[&String], reply: ImportReply) -> Vec<WireResult<()>> {
        chunk
            .iter()
            .map(|id| match reply.fail_accounts.iter().any(|f| f == *id) {
                false => WireResult { id: (*id).clone(), code: 0, message: String::new(), value: () },
                true => WireResult {
                    id: (*id).clone(),
                    code: IMPORT_REFUSED,
                    message: "refused (listed in FailAccounts, which gives no reason)".to_owned(),
                    value: (),
                },
            })
            .collect()
    }
}

/// `account_check`.
pub(crate) struct CheckOp;

impl BatchOp for CheckOp {
    type Item = String;
    type Value = AccountStatus;
    type Reply = ResultReply;
    type Code = ErrorCode;
    const MAX_CHUNK: usize = MAX_ACCOUNTS_PER_ACCOUNT_REQUEST;

    fn id(item: &String) -> &str {
        item
    }

    fn call(&self, chunk: &[&String]) -> Result<Call, Error> {
        Call::post_json("v4/im_open_login_svc/account_check", &CheckRequest { items: user_items(chunk) })
    }

    fn results(&self, _chunk: &[&String], reply: ResultReply) -> Vec<WireResult<AccountStatus>> {
        reply
            .result_item
            .into_iter()
            .map(|r| {
                let message = crate::protocol::code::message(r.result_code, &r.result_info);
                let value = AccountStatus::from_wire(&r.account_status);
                WireResult { id: r.user_id, code: r.result_code, message, value }
            })
            .collect()
    }
}

/// `account_delete`.
pub(crate) struct DeleteOp;

impl BatchOp for DeleteOp {
    type Item = String;
    type Value = ();
    type Reply = ResultReply;
    type Code = ErrorCode;
    const MAX_CHUNK: usize = MAX_ACCOUNTS_PER_ACCOUNT_REQUEST;

    fn id(item: &String) -> &str {
        item
    }

    fn call(&self, chunk: &[&String]) -> Result<Call, Error> {
        Call::post_json("v4/im_open_login_svc/account_delete", &DeleteRequest { items: user_items(chunk) })
    }

    fn results(&self, _chunk: &[&String], reply: ResultReply) -> Vec<WireResult<()>> {
        reply
            .result_item
            .into_iter()
            .map(|r| {
                let message = crate::protocol::code::message(r.result_code, &r.result_info);
                WireResult { id: r.user_id, code: r.result_code, message, value: () }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_answer_fails_only_the_refused_accounts() {
        let sent: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let refs: Vec<&String> = sent.iter().collect();
        let reply: ImportReply = serde_json::from_str(r#"{"FailAccounts":["b"]}"#).unwrap();
        let results = ImportOp.results(&refs, reply);
        let codes: Vec<(&str, i64)> = results.iter().map(|r| (r.id.as_str(), r.code)).collect();
        assert_eq!(codes, [("a", 0), ("b", IMPORT_REFUSED), ("c", 0)]);
    }
}
