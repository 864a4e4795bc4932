//! `friend_check`.

use super::types::FriendRelation;
use crate::protocol::code::ErrorCode;
use crate::wire::CheckRequest;
use crate::wire::friends::CheckReply;
use tx_core::Error;
use tx_core::batch::{BatchOp, WireResult};
use tx_core::pipeline::Call;

/// Accounts per `friend_check` request.
pub const MAX_CHECK_PER_REQUEST: usize = 1000;

pub(crate) struct CheckOp {
    pub from: String,
    pub check_type: &'static str,
}

impl BatchOp for CheckOp {
    type Item = String;
    type Value = FriendRelation;
    type Reply = CheckReply;
    type Code = ErrorCode;
    const MAX_CHUNK: usize = MAX_CHECK_PER_REQUEST;

    fn id(item: &String) -> &str {
        item
    }

    fn call(&self, chunk: &[&String]) -> Result<Call, Error> {
        let to = chunk.iter().map(|s| s.as_str()).collect();
        Call::post_json("v4/sns/friend_check", &CheckRequest { from: &self.from, to, check_type: self.check_type })
    }

    fn results(&self, _chunk: &[&Self::Item], reply: CheckReply) -> Vec<WireResult<FriendRelation>> {
        reply.items.into_iter().map(|i| i.into_wire()).collect()
    }
}
