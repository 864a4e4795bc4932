//! `friend_update`.

use super::add::items_results;
use super::types::{FriendUpdate, Tag};
use crate::api::Api;
use crate::ids;
use crate::protocol::code::ErrorCode;
use crate::report::BatchReport;
use crate::wire::ItemsReply;
use crate::wire::friends::{TagValueRef, UpdateItem, UpdateRequest};
use tx_core::Error;
use tx_core::batch::{BatchOp, WireResult};
use tx_core::pipeline::Call;

/// Friends per `friend_update` request. The limit is not documented; this crate sends
/// at most 100.
pub const MAX_UPDATE_PER_REQUEST: usize = 100;

struct UpdateOp<'a> {
    from: &'a str,
}

impl BatchOp for UpdateOp<'_> {
    type Item = FriendUpdate;
    type Value = ();
    type Reply = ItemsReply;
    type Code = ErrorCode;
    const MAX_CHUNK: usize = MAX_UPDATE_PER_REQUEST;

    fn id(item: &FriendUpdate) -> &str {
        &item.account
    }

    fn call(&self, chunk: &[&FriendUpdate]) -> Result<Call, Error> {
        let items = chunk
            .iter()
            .map(|u| UpdateItem {
                to: &u.account,
                sns: u.changes.iter().map(|c| TagValueRef { tag: c.tag.as_str(), value: &c.value }).collect(),
            })
            .collect();
        Call::post_json("v4/sns/friend_update", &UpdateRequest { from: self.from, items })
    }

    fn results(&self, _chunk: &[&Self::Item], reply: ItemsReply) -> Vec<WireResult<()>> {
        items_results(reply)
    }
}

pub(crate) async fn update(api: &Api, from: &str, updates: Vec<FriendUpdate>) -> Result<BatchReport<()>, Error> {
    ids::check_from(from)?;
    if updates.is_empty() {
        return Err(Error::invalid_input("UpdateItem", "must not be empty"));
    }
    for (i, u) in updates.iter().enumerate() {
        ids::check_id(format!("UpdateItem[{i}].To_Account"), &u.account)?;
        if u.changes.is_empty() {
            return Err(Error::invalid_input(format!("UpdateItem[{i}].SnsItem"), "must not be empty"));
        }
        for (c, change) in u.changes.iter().enumerate() {
            let field = format!("UpdateItem[{i}].SnsItem[{c}].Tag");
            change.tag.check(&field)?;
            match &change.tag {
                Tag::Remark | Tag::AddWording if !change.value.is_string() => {
                    return Err(Error::invalid_input(field, format_args!("{} takes a string", change.tag)));
                }
                Tag::Group if !change.value.as_array().is_some_and(|a| a.iter().all(|v| v.is_string())) => {
                    return Err(Error::invalid_input(field, "Tag_SNS_IM_Group takes an array of group names"));
                }
                Tag::AddSource | Tag::AddTime | Tag::RemarkTime => {
                    return Err(Error::invalid_input(
                        field,
                        format_args!(
                            "{} cannot be updated (only Remark, Group, AddWording and custom tags)",
                            change.tag
                        ),
                    ));
                }
                _ => {}
            }
        }
    }
    api.batch(&UpdateOp { from }, &updates).await
}
