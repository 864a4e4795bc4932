//! `black_list_get`: the blocklist, page by page, as a `Stream`.

use super::add::MAX_ACCOUNTS_PER_REQUEST;
use crate::api::Api;
use crate::ids;
use crate::wire::blocklist::{GetReply, GetRequest};
use futures_util::Stream;
use futures_util::stream::{self, BoxStream, StreamExt};
use serde::Serialize;
use std::pin::Pin;
use std::task::{Context, Poll};
use tx_core::Error;
use tx_core::paging::{self, Page};
use tx_core::pipeline::Call;

/// One entry of a blocklist, from [`crate::Blocklist::list`].
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
/// use futures_util::TryStreamExt;
/// let recent: Vec<tim_sns::BlockedAccount> =
///     tim.blocklist().list("alice").try_filter(|e| futures_util::future::ready(e.added_at > 1_700_000_000)).try_collect().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BlockedAccount {
    /// The blocked account (`To_Account`).
    pub account: String,
    /// When it was blocked (`AddBlackTimeStamp`, unix seconds).
    pub added_at: u64,
}

/// One page of `black_list_get`, from [`crate::Blocklist::page`].
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
/// let mut start = 0;
/// loop {
///     let page = tim.blocklist().page("alice", start, 500).await?;
///     println!("{} entries", page.entries.len());
///     match page.next_start_index {
///         Some(next) => start = next,
///         None => break,
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BlockListPage {
    /// The entries of this page.
    pub entries: Vec<BlockedAccount>,
    /// Where the next page starts; `None` on the last page (the server's `StartIndex` 0).
    pub next_start_index: Option<u64>,
    /// The blocklist sequence (`CurrentSequence`, or `CurruentSequence` as the EN/JP/KO
    /// docs spell it), if sent.
    pub sequence: Option<u64>,
}

pub(crate) async fn page(api: &Api, from: &str, start_index: u64, page_size: u32) -> Result<BlockListPage, Error> {
    ids::check_from(from)?;
    if page_size == 0 || page_size as usize > MAX_ACCOUNTS_PER_REQUEST {
        return Err(Error::invalid_input("MaxLimited", format_args!("must be 1..={MAX_ACCOUNTS_PER_REQUEST}")));
    }
    let body = GetRequest { from, start_index, max_limited: page_size, last_sequence: 0 };
    let reply: GetReply = api.send(&Call::post_json("v4/sns/black_list_get", &body)?).await?;
    let sequence = reply.sequence();
    Ok(BlockListPage {
        entries: reply
            .items
            .into_iter()
            .map(|i| BlockedAccount { account: i.to_account, added_at: i.added_at })
            .collect(),
        next_start_index: (reply.start_index != 0).then_some(reply.start_index),
        sequence,
    })
}

/// A blocklist as a `Stream` of entries, fetched page by page until the server's
/// `StartIndex` is 0. Returned by [`crate::Blocklist::list`]; nothing is sent before the
/// first poll.
///
/// ```no_run
/// # async fn demo(tim: tim_sns::Client) -> Result<(), tx_core::Error> {
/// use futures_util::TryStreamExt;
/// let mut entries = tim.blocklist().list("alice").page_size(100);
/// while let Some(entry) = entries.try_next().await? {
///     println!("{} since {}", entry.account, entry.added_at);
/// }
/// # Ok(()) }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct BlockListStream {
    api: Api,
    from: String,
    page_size: u32,
    inner: Option<BoxStream<'static, Result<BlockedAccount, Error>>>,
}

impl std::fmt::Debug for BlockListStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockListStream")
            .field("from", &self.from)
            .field("page_size", &self.page_size)
            .field("started", &self.inner.is_some())
            .finish()
    }
}

impl BlockListStream {
    pub(crate) fn new(api: &Api, from: &str) -> Self {
        BlockListStream {
            api: api.clone(),
            from: from.to_owned(),
            page_size: MAX_ACCOUNTS_PER_REQUEST as u32,
            inner: None,
        }
    }

    /// Entries per request (`MaxLimited`), 1 to 1000 (default 1000). Set it before the
    /// first poll.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size;
        self
    }

    fn make(&self) -> BoxStream<'static, Result<BlockedAccount, Error>> {
        let (api, from, size) = (self.api.clone(), self.from.clone(), self.page_size);
        if let Err(e) = ids::check_from(&from) {
            return stream::once(async move { Err(e) }).boxed();
        }
        paging::items(0, move |start| {
            let (api, from) = (api.clone(), from.clone());
            async move {
                let p = page(&api, &from, start, size).await?;
                Ok(Page { items: p.entries, next: p.next_start_index })
            }
        })
    }
}

impl Stream for BlockListStream {
    type Item = Result<BlockedAccount, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.inner.is_none() {
            this.inner = Some(this.make());
        }
        this.inner.as_mut().map_or(Poll::Ready(None), |s| s.poll_next_unpin(cx))
    }
}
