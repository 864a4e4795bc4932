//! Paged reads as `Stream`s of items, for every platform: TIM's start indexes, WeChat's and
//! Tencent Ads' page numbers.

use crate::error::Error;
use futures_util::stream::{self, BoxStream};
use futures_util::{StreamExt, TryStreamExt};
use std::future::Future;

/// One page: its items and where the next page starts (`None` on the last page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// The cursor of the next page (a start index, a page number), or `None` if this was
    /// the last.
    pub next: Option<u64>,
}

/// Fetches pages from cursor `first` until a page says it is the last, yielding items.
/// Nothing is fetched until the stream is polled. A page whose next cursor does not move
/// forward ends the stream with an error (after its items) rather than looping.
///
/// ```
/// use futures_util::TryStreamExt;
/// use tx_core::paging::{Page, items};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// // Pages numbered from 1, three items each, five pages.
/// let all: Vec<u64> = items(1, |page| async move {
///     let next = (page < 5).then_some(page + 1);
///     Ok(Page { items: vec![page * 10, page * 10 + 1, page * 10 + 2], next })
/// })
/// .try_collect()
/// .await?;
/// assert_eq!(all.len(), 15);
/// # Ok::<(), tx_core::Error>(()) }).unwrap();
/// ```
pub fn items<T, F, Fut>(first: u64, mut fetch: F) -> BoxStream<'static, Result<T, Error>>
where
    T: Send + 'static,
    F: FnMut(u64) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    stream::try_unfold(State::At(first), move |state| {
        let fetch = match state {
            State::At(start) => Some((start, fetch(start))),
            _ => None,
        };
        async move {
            let (start, fetch) = match (state, fetch) {
                (State::Stuck { start, next }, _) => {
                    let msg = format_args!("the next page start {next} does not advance past {start}");
                    return Err(Error::decode(msg, b""));
                }
                (_, Some(f)) => f,
                _ => return Ok(None),
            };
            let page = fetch.await?;
            let state = match page.next {
                None => State::Done,
                Some(next) if next <= start => State::Stuck { start, next },
                Some(next) => State::At(next),
            };
            Ok(Some((stream::iter(page.items.into_iter().map(Ok)), state)))
        }
    })
    .try_flatten()
    .boxed()
}

#[derive(Clone, Copy)]
enum State {
    At(u64),
    Stuck { start: u64, next: u64 },
    Done,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pages_until_the_last_and_refuses_to_loop() {
        let s = items(0, |start| async move {
            Ok(Page { items: vec![start, start + 1], next: if start < 4 { Some(start + 2) } else { None } })
        });
        assert_eq!(s.try_collect::<Vec<u64>>().await.unwrap(), [0, 1, 2, 3, 4, 5]);
        let stuck = items(0, |_| async { Ok(Page { items: vec![1u8], next: Some(0) }) });
        let got: Vec<Result<u8, Error>> = stuck.collect().await;
        assert_eq!(got.len(), 2);
        assert!(got[1].is_err());
    }
}
