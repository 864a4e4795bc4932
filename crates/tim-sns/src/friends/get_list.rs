//! `friend_get_list`: chosen tags of chosen friends.

use super::types::{Friend, Tag, TagValue};
use crate::protocol::code::ErrorCode;
use crate::wire::friends::{GetListReply, GetListRequest};
use tx_core::Error;
use tx_core::batch::{BatchOp, WireResult};
use tx_core::pipeline::Call;

/// Accounts per `friend_get_list` request (the documented recommendation: at most 100).
pub const MAX_GET_LIST_PER_REQUEST: usize = 100;

pub(crate) struct GetListOp<'a> {
    pub from: &'a str,
    pub tags: Vec<String>,
}

impl BatchOp for GetListOp<'_> {
    type Item = String;
    type Value = Friend;
    type Reply = GetListReply;
    type Code = ErrorCode;
    const MAX_CHUNK: usize = MAX_GET_LIST_PER_REQUEST;

    fn id(item: &String) -> &str {
        item
    }

    fn call(&self, chunk: &[&String]) -> Result<Call, Error> {
        let to = chunk.iter().map(|s| s.as_str()).collect();
        Call::post_json("v4/sns/friend_get_list", &GetListRequest { from: self.from, to, tags: &self.tags })
    }

    fn results(&self, _chunk: &[&Self::Item], reply: GetListReply) -> Vec<WireResult<Friend>> {
        reply
            .items
            .into_iter()
            .map(|i| WireResult {
                value: Friend {
                    account: i.to_account.clone(),
                    values: i
                        .values
                        .into_iter()
                        .map(|v| TagValue { tag: Tag::from_wire(&v.tag), value: v.value })
                        .collect(),
                },
                message: crate::protocol::code::message(i.result_code, &i.result_info),
                id: i.to_account,
                code: i.result_code,
            })
            .collect()
    }
}
