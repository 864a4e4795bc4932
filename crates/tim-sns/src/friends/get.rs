//! `friend_get`: the whole friend list, page by page, as a `Stream`.

use super::types::{Friend, Tag, TagValue};
use crate::api::Api;
use crate::ids;
use crate::wire::friends::{GetReply, GetRequest};
use futures_util::Stream;
use futures_util::stream::{self, BoxStream, StreamExt};
use std::pin::Pin;
use std::task::{Context, Poll};
use tx_core::Error;
use tx_core::paging::{self, Page};
use tx_core::pipeline::Call;

/// One page of `friend_get`, from [`crate::Friends::get_page`].
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
/// let first = tim.friends().get_page("alice", 0, None).await?;
/// println!("{} of {} friends; sequences {}/{}", first.friends.len(), first.friend_count,
///     first.standard_sequence, first.custom_sequence);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FriendPage {
    /// The friends of this page, with their relationship data (no profile data).
    pub friends: Vec<Friend>,
    /// `StandardSequence`.
    pub standard_sequence: u64,
    /// `CustomSequence`.
    pub custom_sequence: u64,
    /// `FriendNum`: the size of the whole list.
    pub friend_count: u64,
    /// Where the next page starts; `None` once `CompleteFlag` says the list is complete.
    pub next_start_index: Option<u64>,
}

pub(crate) async fn page(
    api: &Api,
    from: &str,
    start_index: u64,
    sequences: Option<(u64, u64)>,
) -> Result<FriendPage, Error> {
    ids::check_from(from)?;
    let body = GetRequest {
        from,
        start_index,
        standard_sequence: sequences.map(|s| s.0),
        custom_sequence: sequences.map(|s| s.1),
    };
    let reply: GetReply = api.send(&Call::post_json("v4/sns/friend_get", &body)?).await?;
    Ok(FriendPage {
        friends: reply
            .items
            .into_iter()
            .map(|i| Friend {
                account: i.to_account,
                values: i
                    .values
                    .into_iter()
                    .map(|v| TagValue { tag: Tag::from_wire(&v.tag), value: v.value })
                    .collect(),
            })
            .collect(),
        standard_sequence: reply.standard_sequence,
        custom_sequence: reply.custom_sequence,
        friend_count: reply.friend_num,
        next_start_index: (reply.complete_flag == 0).then_some(reply.next_start_index),
    })
}

/// A friend list as a `Stream` of [`Friend`]s, page by page until `CompleteFlag`.
/// Returned by [`crate::Friends::get`]; nothing is sent before the first poll.
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
/// use futures_util::TryStreamExt;
/// let friends: Vec<tim_sns::Friend> = tim.friends().get("alice").try_collect().await?;
/// # Ok(()) }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct FriendStream {
    api: Api,
    from: String,
    inner: Option<BoxStream<'static, Result<Friend, Error>>>,
}

impl std::fmt::Debug for FriendStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FriendStream").field("from", &self.from).field("started", &self.inner.is_some()).finish()
    }
}

impl FriendStream {
    pub(crate) fn new(api: &Api, from: &str) -> Self {
        FriendStream { api: api.clone(), from: from.to_owned(), inner: None }
    }

    fn make(&self) -> BoxStream<'static, Result<Friend, Error>> {
        let (api, from) = (self.api.clone(), self.from.clone());
        if let Err(e) = ids::check_from(&from) {
            return stream::once(async move { Err(e) }).boxed();
        }
        paging::items(0, move |start| {
            let (api, from) = (api.clone(), from.clone());
            async move {
                let p = page(&api, &from, start, None).await?;
                Ok(Page { items: p.friends, next: p.next_start_index })
            }
        })
    }
}

impl Stream for FriendStream {
    type Item = Result<Friend, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.inner.is_none() {
            this.inner = Some(this.make());
        }
        this.inner.as_mut().map_or(Poll::Ready(None), |s| s.poll_next_unpin(cx))
    }
}
