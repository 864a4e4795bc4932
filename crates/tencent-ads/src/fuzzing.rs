//! Entry points for the fuzz targets (`fuzz/`), compiled only with the `fuzzing` feature:
//! the decode path of every Ads answer, as the client runs it.

use crate::protocol::{classify, decode};
use crate::watermarks::Watermark;
use crate::wire;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use tx_core::Error;
use tx_core::clock::ManualClock;

/// What decoding one answer type gave.
#[derive(Debug)]
pub struct Decoded {
    /// The endpoint whose answer type was used.
    pub endpoint: &'static str,
    /// The answer's `Debug` text, or the error the client would return.
    pub result: Result<String, Error>,
}

fn one<T: DeserializeOwned + Debug>(endpoint: &'static str, body: &[u8], read: impl FnOnce(&T)) -> Decoded {
    let result = decode::<T>(body, &ManualClock::new(1_700_000_000)).map(|data| {
        read(&data);
        format!("{data:?}")
    });
    if let Err(e) = &result {
        let _ = classify(e);
    }
    Decoded { endpoint, result }
}

/// How many answer types [`decode_reply`] chooses from.
pub const ENDPOINTS: usize = 5;

/// Decodes `body` as the answer of endpoint `index` (modulo [`ENDPOINTS`]), and reads
/// watermark results into the client's records as `add` and `wait` do.
pub fn decode_reply(index: usize, body: &[u8]) -> Decoded {
    match index % ENDPOINTS {
        0 => one("watermarks/add", body, |r: &wire::WatermarksAddResponse| {
            for result in &r.results {
                let w = Watermark::from_add(result.clone(), Some("trace"));
                let _ = w.is_terminal();
            }
        }),
        1 => one("watermarks/get", body, |r: &wire::WatermarksGetResponse| {
            let added: wire::WatermarkAddResult =
                serde_json::from_str(r#"{"original_material_id":"1","status":"processing","reason":"r"}"#)
                    .expect("a literal add result");
            let mut w = Watermark::from_add(added, None);
            for record in &r.list {
                w.update(record.clone(), Some("trace"));
                let _ = w.is_terminal();
            }
        }),
        2 => one("material_async_tasks/add", body, |_: &wire::MaterialTasksAddResponse| {}),
        3 => one("material_async_tasks/get", body, |_: &wire::MaterialTasksGetResponse| {}),
        _ => one("oauth/token", body, |_: &wire::TokenResponse| {}),
    }
}
