//! `GET watermarks/get`: records page by page, as a `Stream`, all of them or by record
//! id in chunks of 100.

use crate::api::Api;
use crate::meta::Response;
use crate::validate::{self, MAX_FILTER_VALUES, MAX_PAGE_SIZE};
use crate::wire::{WatermarkRecord, WatermarksGetRequest, WatermarksGetResponse};
use futures_util::stream::{self, BoxStream};
use futures_util::{StreamExt, future};
use tx_core::Error;
use tx_core::paging::{self, Page};

/// The endpoint.
pub(crate) const GET: &str = "watermarks/get";

/// Warning-text records as a `Stream`, fetched page by page as it is polled. From
/// [`crate::Watermarks::get`] and [`crate::Watermarks::list`]; nothing is sent before the
/// first poll, and input that breaks a rule is the stream's first (and only) item.
pub type WatermarkRecords = BoxStream<'static, Result<WatermarkRecord, Error>>;

/// One page.
pub(crate) async fn page(api: &Api, request: &WatermarksGetRequest) -> Result<Response<WatermarksGetResponse>, Error> {
    request.validate()?;
    api.send(&api.get_call(GET, request.account_id, request)?).await
}

/// Every record of `account`, or those of `record_ids` (100 per request), page by page.
pub(crate) fn records(
    api: &Api,
    account: i64,
    organization_id: Option<i64>,
    record_ids: Option<Vec<String>>,
) -> WatermarkRecords {
    if let Err(e) = check(account, organization_id, record_ids.as_deref()) {
        return stream::once(future::ready(Err(e))).boxed();
    }
    let chunks: Vec<Option<Vec<String>>> = match record_ids {
        None => vec![None],
        Some(ids) => ids.chunks(MAX_FILTER_VALUES).map(|c| Some(c.to_vec())).collect(),
    };
    let api = api.clone();
    stream::iter(chunks)
        .map(move |chunk| {
            let api = api.clone();
            paging::items(1, move |page_number| {
                let api = api.clone();
                let chunk = chunk.clone();
                async move {
                    let number = u32::try_from(page_number)
                        .map_err(|_| Error::invalid_input("page", "ran past the largest page number"))?;
                    let mut request =
                        WatermarksGetRequest::new(account).with_page(number).with_page_size(MAX_PAGE_SIZE);
                    request.organization_id = organization_id;
                    if let Some(ids) = chunk {
                        request = request.with_record_ids(ids);
                    }
                    let data = page(&api, &request).await?.data;
                    let next = data.page_info.has_next().then_some(page_number + 1);
                    Ok(Page { items: data.list, next })
                }
            })
        })
        .flatten()
        .boxed()
}

fn check(account: i64, organization_id: Option<i64>, record_ids: Option<&[String]>) -> Result<(), Error> {
    validate::check_account_id(account)?;
    validate::check_organization_id(organization_id)?;
    if let Some(ids) = record_ids {
        if ids.is_empty() {
            return Err(Error::invalid_input("record_ids", "must name at least one record"));
        }
        for (i, id) in ids.iter().enumerate() {
            validate::check_value(|| format!("record_ids[{i}]"), id)?;
        }
    }
    Ok(())
}
