//! `friend_delete` and `friend_delete_all`.

use super::add::items_results;
use super::types::{DeleteType, known};
use crate::api::Api;
use crate::ids;
use crate::protocol::code::ErrorCode;
use crate::report::BatchReport;
use crate::wire::ItemsReply;
use crate::wire::friends::{DeleteAllRequest, DeleteRequest};
use serde::de::IgnoredAny;
use tx_core::Error;
use tx_core::batch::{BatchOp, WireResult};
use tx_core::pipeline::Call;

/// Accounts per `friend_delete` request.
pub const MAX_DELETE_PER_REQUEST: usize = 1000;

const DELETE_TYPES: &str = "Delete_Type_Single, Delete_Type_Both";

struct DeleteOp<'a> {
    from: &'a str,
    delete_type: &'a str,
}

impl BatchOp for DeleteOp<'_> {
    type Item = String;
    type Value = ();
    type Reply = ItemsReply;
    type Code = ErrorCode;
    const MAX_CHUNK: usize = MAX_DELETE_PER_REQUEST;

    fn id(item: &String) -> &str {
        item
    }

    fn call(&self, chunk: &[&String]) -> Result<Call, Error> {
        let to = chunk.iter().map(|s| s.as_str()).collect();
        Call::post_json("v4/sns/friend_delete", &DeleteRequest { from: self.from, to, delete_type: self.delete_type })
    }

    fn results(&self, _chunk: &[&Self::Item], reply: ItemsReply) -> Vec<WireResult<()>> {
        items_results(reply)
    }
}

pub(crate) async fn delete(
    api: &Api,
    from: &str,
    ids: Vec<String>,
    delete_type: &DeleteType,
) -> Result<BatchReport<()>, Error> {
    let delete_type = known("DeleteType", delete_type.as_str(), delete_type.is_known(), DELETE_TYPES)?;
    api.batch(&DeleteOp { from, delete_type }, &ids).await
}

pub(crate) async fn delete_all(api: &Api, from: &str, delete_type: &DeleteType) -> Result<(), Error> {
    ids::check_from(from)?;
    let delete_type = known("DeleteType", delete_type.as_str(), delete_type.is_known(), DELETE_TYPES)?;
    let call = Call::post_json("v4/sns/friend_delete_all", &DeleteAllRequest { from, delete_type })?;
    api.send::<IgnoredAny>(&call).await?;
    Ok(())
}
