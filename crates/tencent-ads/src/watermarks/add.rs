//! `POST watermarks/add` for any number of materials: validated, deduplicated, split into
//! requests of 100, sent concurrently within the rate limit.

use super::report::{Watermark, WatermarkReport};
use crate::api::Api;
use crate::meta::Response;
use crate::report::{Duplicate, ItemError, ItemResult};
use crate::validate::{self, MAX_MATERIALS_PER_REQUEST, MAX_WARNING_TEXTS};
use crate::wire::{WatermarkAddResult, WatermarksAddRequest, WatermarksAddResponse};
use futures_util::StreamExt;
use futures_util::stream;
use std::collections::HashMap;
use std::time::Duration;
use tokio::time::Instant;
use tx_core::{Error, Idempotency, batch};

/// The endpoint.
pub(crate) const ADD: &str = "watermarks/add";

/// A checked `add`: the account, the materials (trimmed, in input order), their distinct
/// positions and repeats, the texts.
#[derive(Debug)]
pub(crate) struct Input {
    pub account: i64,
    pub organization_id: Option<i64>,
    pub ids: Vec<String>,
    pub texts: Vec<String>,
    pub unique: Vec<usize>,
    pub duplicates: Vec<Duplicate>,
}

impl Input {
    /// Checks everything before any request: the account, at least one material, each id
    /// (not blank, no forbidden character), 1 to 10 texts (not blank, no forbidden
    /// character but `/`). Errors name the field and the input position.
    pub fn new<I, S, T, X>(account: i64, organization_id: Option<i64>, materials: I, texts: T) -> Result<Input, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
        T: IntoIterator<Item = X>,
        X: Into<String>,
    {
        validate::check_account_id(account)?;
        validate::check_organization_id(organization_id)?;
        let mut ids = Vec::new();
        for (i, id) in materials.into_iter().enumerate() {
            let id = id.as_ref().trim();
            validate::check_value(|| format!("materials[{i}].material_id"), id)?;
            ids.push(id.to_owned());
        }
        if ids.is_empty() {
            return Err(Error::invalid_input("materials", "must name at least one material"));
        }
        let texts: Vec<String> = texts.into_iter().map(Into::into).collect();
        validate::check_count("watermark_configs", texts.len(), 1, MAX_WARNING_TEXTS)?;
        for (i, t) in texts.iter().enumerate() {
            validate::check_warning_text(format!("watermark_configs[{i}].text_content"), t)?;
        }
        let (unique, duplicates) = batch::dedupe(&ids, String::as_str);
        Ok(Input { account, organization_id, ids, texts, unique, duplicates })
    }

    /// The distinct positions, 100 per request.
    pub fn chunks(&self) -> Vec<Vec<usize>> {
        self.unique.chunks(MAX_MATERIALS_PER_REQUEST).map(<[usize]>::to_vec).collect()
    }

    fn request(&self, chunk: &[usize]) -> WatermarksAddRequest {
        let mut r = WatermarksAddRequest::new(self.account, chunk.iter().map(|&i| self.ids[i].as_str()), &self.texts);
        r.organization_id = self.organization_id;
        r
    }

    /// The report's entries, in input order, from the result of each distinct position
    /// and whether it was reconciled.
    pub fn items(
        &self,
        slots: &mut [Option<Result<Watermark, ItemError>>],
        reconciled: &[bool],
    ) -> Vec<ItemResult<Watermark>> {
        self.unique
            .iter()
            .map(|&i| {
                ItemResult::new(&self.ids[i], i, slots[i].take().unwrap_or_else(|| Err(ItemError::missing())))
                    .with_reconciled(reconciled[i])
            })
            .collect()
    }
}

/// A chunk's positions and what sending it gave.
pub(crate) type ChunkSent = (Vec<usize>, Result<Response<WatermarksAddResponse>, Error>);

/// Sends one chunk. With a `deadline` (`add_and_wait`), a request our own rate limit did
/// not let out in time (nothing was sent) is tried again until the deadline; without one,
/// the error is the chunk's.
pub(crate) async fn send_chunk(api: &Api, input: &Input, chunk: Vec<usize>, deadline: Option<Instant>) -> ChunkSent {
    let result = send(api, input, &chunk, deadline).await;
    (chunk, result)
}

async fn send(
    api: &Api,
    input: &Input,
    chunk: &[usize],
    deadline: Option<Instant>,
) -> Result<Response<WatermarksAddResponse>, Error> {
    let request = input.request(chunk);
    request.validate()?;
    // Repeated after a lost reply: the service answers a repeat of the same material and
    // texts with the record the first request made (its dedup, reference §9.5), so a
    // repeat finds the first attempt's work instead of doing it twice. The materials of
    // such an answer are reported reconciled.
    let call = api.post_call(ADD, input.account, &request, Idempotency::Idempotent)?;
    loop {
        if let Some(d) = deadline
            && Instant::now() >= d
        {
            let e = Error::throttled("not sent: the wait's timeout passed while the request waited for the rate limit");
            return Err(e.with_not_sent());
        }
        match api.send(&call).await {
            Err(e) if e.request_not_sent() && e.is_retryable() && deadline.is_some() => {
                let left = deadline.map_or(Duration::ZERO, |d| d.saturating_duration_since(Instant::now()));
                let wait = e.retry_after().unwrap_or(Duration::from_secs(1)).min(left);
                tracing::debug!(error = %e, ?wait, "add request held back by the rate limit; sending it later");
                tokio::time::sleep(wait).await;
            }
            other => return other,
        }
    }
}

/// Each position of `chunk` with the answer's result for its material.
pub(crate) fn answers(
    input: &Input,
    chunk: &[usize],
    response: Response<WatermarksAddResponse>,
) -> Vec<(usize, Result<Watermark, ItemError>)> {
    let trace = response.meta.trace_id.as_deref();
    let mut by_id: HashMap<String, WatermarkAddResult> = HashMap::with_capacity(response.data.results.len());
    for r in response.data.results {
        by_id.entry(r.original_material_id.clone()).or_insert(r);
    }
    chunk
        .iter()
        .map(|&pos| {
            let r = by_id.remove(&input.ids[pos]).map(|r| Watermark::from_add(r, trace)).ok_or_else(ItemError::missing);
            (pos, r)
        })
        .collect()
}

/// `add`: every chunk sent, one report. `Err` only when no chunk got an answer.
pub(crate) async fn add(api: &Api, input: &Input) -> Result<WatermarkReport, Error> {
    let chunks = input.chunks();
    let requests = chunks.len();
    // Collected first: a lazy `map` closure held across the await trips rustc's
    // higher-ranked lifetime check when the caller's future must be `Send`.
    let mut sends = Vec::with_capacity(requests);
    for chunk in chunks {
        sends.push(send_chunk(api, input, chunk, None));
    }
    let outcomes: Vec<ChunkSent> = stream::iter(sends).buffer_unordered(api.batch_concurrency).collect().await;
    let all_failed = outcomes.iter().all(|(_, r)| r.is_err());
    let mut slots: Vec<Option<Result<Watermark, ItemError>>> = (0..input.ids.len()).map(|_| None).collect();
    let mut reconciled = vec![false; input.ids.len()];
    for (chunk, outcome) in outcomes {
        match outcome {
            Ok(response) => {
                let repeat = response.meta.after_unknown_outcome;
                for (pos, r) in answers(input, &chunk, response) {
                    reconciled[pos] = repeat;
                    slots[pos] = Some(r);
                }
            }
            Err(e) if all_failed => return Err(e),
            Err(e) => {
                let err = ItemError::request(&e);
                for pos in chunk {
                    slots[pos] = Some(Err(err.clone()));
                }
            }
        }
    }
    let items = input.items(&mut slots, &reconciled);
    Ok(WatermarkReport::new(items, input.duplicates.clone(), requests, 0, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_rules_name_the_field_and_position() {
        let ok = Input::new(1, None, ["123", " 456 ", "123"], ["t"]).unwrap();
        assert_eq!(ok.ids, ["123", "456", "123"]);
        assert_eq!((ok.unique.as_slice(), ok.duplicates.len()), ([0, 1].as_slice(), 1));
        let field = |r: Result<Input, Error>| r.unwrap_err().field().map(str::to_owned);
        let none: [&str; 0] = [];
        assert_eq!(field(Input::new(0, None, ["1"], ["t"])).as_deref(), Some("account_id"));
        assert_eq!(field(Input::new(1, Some(-1), ["1"], ["t"])).as_deref(), Some("organization_id"));
        assert_eq!(field(Input::new(1, None, none, ["t"])).as_deref(), Some("materials"));
        assert_eq!(field(Input::new(1, None, ["1", "2", "a&b"], ["t"])).as_deref(), Some("materials[2].material_id"));
        assert_eq!(field(Input::new(1, None, ["1", " "], ["t"])).as_deref(), Some("materials[1].material_id"));
        assert_eq!(field(Input::new(1, None, ["1"], none)).as_deref(), Some("watermark_configs"));
        let eleven: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        assert_eq!(field(Input::new(1, None, ["1"], eleven)).as_deref(), Some("watermark_configs"));
        assert_eq!(
            field(Input::new(1, None, ["1"], ["ok", "a\tb"])).as_deref(),
            Some("watermark_configs[1].text_content")
        );
        assert!(Input::new(1, None, ["1"], ["贷款额度/放款时间等以实际审批为准"]).is_ok(), "`/` is allowed in texts");
    }

    #[test]
    fn chunks_hold_100_distinct_materials() {
        let ids: Vec<String> = (0..250).map(|i| (i % 230).to_string()).collect();
        let input = Input::new(1, Some(7), &ids, ["t"]).unwrap();
        let chunks = input.chunks();
        assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), [100, 100, 30]);
        assert_eq!(input.duplicates.len(), 20);
        let request = input.request(&chunks[2]);
        assert_eq!(request.materials.len(), 30);
        assert_eq!(request.organization_id, Some(7));
        request.validate().unwrap();
    }
}
