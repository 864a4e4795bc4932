//! Paged reads as `Stream`s of items.

use futures_util::stream::{self, BoxStream};
use futures_util::{StreamExt, TryStreamExt};
use std::future::Future;
use tx_core::Error;

/// One page: its items and where the next page starts (`None` on the last page).
pub(crate) struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<u64>,
}

/// Fetches pages from start index 0 until a page says it is the last, yielding items.
/// A page whose next start does not move forward ends the stream with an error (after
/// its items) rather than looping.
pub(crate) fn items<T, F, Fut>(mut fetch: F) -> BoxStream<'static, Result<T, Error>>
where
    T: Send + 'static,
    F: FnMut(u64) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    stream::try_unfold(State::At(0), move |state| {
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
        let s = items(|start| async move {
            Ok(Page { items: vec![start, start + 1], next: if start < 4 { Some(start + 2) } else { None } })
        });
        assert_eq!(s.try_collect::<Vec<u64>>().await.unwrap(), [0, 1, 2, 3, 4, 5]);
        let stuck = items(|_| async { Ok(Page { items: vec![1u8], next: Some(0) }) });
        let got: Vec<Result<u8, Error>> = stuck.collect().await;
        assert_eq!(got.len(), 2);
        assert!(got[1].is_err());
    }
}
