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

pub(crate) struct DeleteOp {
    pub from: String,
    pub delete_type: &'static str,
}

impl BatchOp for DeleteOp {
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
        Call::post_json("v4/sns/friend_delete", &DeleteRequest { from: &self.from, to, delete_type: self.delete_type })
    }

    fn results(&self, _chunk: &[&Self::Item], reply: ItemsReply) -> Vec<WireResult<()>> {
        items_results(reply)
    }

    fn already_applied(&self, item: &String, code: ErrorCode) -> bool {
        code.settles_relation_write(&self.from, item)
    }
}

/// The wire value of `delete_type`, refused if unknown.
pub(crate) fn delete_wire(delete_type: &DeleteType) -> Result<&'static str, Error> {
    match delete_type {
        DeleteType::Single => Ok("Delete_Type_Single"),
        DeleteType::Both => Ok("Delete_Type_Both"),
        other => {
            Err(Error::invalid_input("DeleteType", format_args!("{:?} is not one of {DELETE_TYPES}", other.as_str())))
        }
    }
}

pub(crate) async fn delete(
    api: &Api,
    from: &str,
    ids: Vec<String>,
    delete_type: &DeleteType,
) -> Result<BatchReport<()>, Error> {
    let delete_type = delete_wire(delete_type)?;
    api.batch(&DeleteOp { from: from.to_owned(), delete_type }, &ids).await
}

pub(crate) async fn delete_all(api: &Api, from: &str, delete_type: &DeleteType) -> Result<(), Error> {
    ids::check_from(from)?;
    let delete_type = known("DeleteType", delete_type.as_str(), delete_type.is_known(), DELETE_TYPES)?;
    let call = Call::post_json("v4/sns/friend_delete_all", &DeleteAllRequest { from, delete_type })?;
    api.send::<IgnoredAny>(&call).await?;
    Ok(())
}
