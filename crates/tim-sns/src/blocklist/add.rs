//! `black_list_add` and `black_list_delete`: a `From_Account` and up to 1000 `To_Account`
//! per request, one `ResultItem` per target.

use crate::protocol::code::ErrorCode;
use crate::wire::{AccountsRequest, ItemsReply};
use tx_core::Error;
use tx_core::batch::{BatchOp, WireResult};
use tx_core::pipeline::Call;

/// The most `To_Account` entries of one `black_list_add`/`_delete`/`_check` request.
pub const MAX_ACCOUNTS_PER_REQUEST: usize = 1000;

/// Adds to or deletes from `from`'s blocklist.
#[derive(Debug)]
pub(crate) struct AccountsOp {
    pub endpoint: &'static str,
    pub from: String,
}

impl AccountsOp {
    pub fn add(from: String) -> Self {
        AccountsOp { endpoint: "v4/sns/black_list_add", from }
    }

    pub fn delete(from: String) -> Self {
        AccountsOp { endpoint: "v4/sns/black_list_delete", from }
    }
}

impl BatchOp for AccountsOp {
    type Item = String;
    type Value = ();
    type Reply = ItemsReply;
    type Code = ErrorCode;
    const MAX_CHUNK: usize = MAX_ACCOUNTS_PER_REQUEST;

    fn id(item: &String) -> &str {
        item
    }

    fn call(&self, chunk: &[&String]) -> Result<Call, Error> {
        let to = chunk.iter().map(|s| s.as_str()).collect();
        Call::post_json(self.endpoint, &AccountsRequest { from: &self.from, to })
    }

    fn results(&self, _chunk: &[&Self::Item], reply: ItemsReply) -> Vec<WireResult<()>> {
        reply.result_item.into_iter().map(|r| r.into_wire(())).collect()
    }

    fn already_applied(&self, item: &String, code: ErrorCode) -> bool {
        code.settles_relation_write(&self.from, item)
    }
}
