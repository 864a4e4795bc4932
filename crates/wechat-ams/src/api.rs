//! What the handlers send calls with: a pipeline, the component's AppID, and the path
//! overrides; one typed call per [`Action`], and paged Streams.

use crate::protocol::WechatProtocol;
use crate::validate;
use crate::wire::{Action, Paging, TokenKind};
use futures_util::StreamExt;
use futures_util::stream::{self, BoxStream};
use std::collections::BTreeMap;
use std::sync::Arc;
use tx_core::paging::{self, Page};
use tx_core::pipeline::{Call, Pipeline};
use tx_core::{Error, Tenant};

/// Action paths replacing the documented ones (`get_agency_settled_revenue` is posted to
/// `/wxa/operationams` per the documentation and to `/wxa/getdefaultamsinfo` by a peer).
pub(crate) type PathOverrides = Arc<BTreeMap<&'static str, &'static str>>;

/// A call's outcome with the attempts it made (on failure too).
pub(crate) type Counted<T> = Result<(T, u32), (Error, u32)>;

/// A pipeline and what every call needs to be built. Cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Api {
    pub pipeline: Pipeline<WechatProtocol>,
    component_appid: Arc<str>,
    paths: PathOverrides,
}

impl Api {
    pub fn new(pipeline: Pipeline<WechatProtocol>, component_appid: &str, paths: PathOverrides) -> Api {
        Api { pipeline, component_appid: component_appid.into(), paths }
    }

    /// The component's AppID.
    pub fn component_appid(&self) -> &str {
        &self.component_appid
    }

    /// Validates `request` and builds its call: the path (or its override), `?action=` for
    /// AMS actions, the tenant whose token it carries, its idempotency. `authorizer` is
    /// needed by actions taking the authorizer token, and ignored by the others.
    pub fn call<A: Action>(&self, authorizer: Option<&str>, request: &A) -> Result<Call, Error> {
        let info = A::INFO;
        let tenant = match info.token {
            TokenKind::Authorizer => {
                let appid = authorizer.unwrap_or_default();
                validate::appid("authorizer_appid", appid)?;
                if appid == &*self.component_appid {
                    return Err(Error::invalid_input(
                        "authorizer_appid",
                        "is the component's own AppID; AMS actions of a mini program take the mini program's AppID",
                    ));
                }
                Tenant::new(appid)
            }
            TokenKind::Component => Tenant::new(&*self.component_appid),
            TokenKind::None => Tenant::default(),
        };
        request.validate()?;
        let path = self.paths.get(info.name).copied().unwrap_or(info.path);
        let mut call = Call::post_json(path, request)?
            .with_endpoint(info.name)
            .with_tenant(tenant)
            .with_idempotency(info.idempotency);
        if let Some((key, value)) = info.action_param() {
            call = call.with_query(key, value);
        }
        Ok(call)
    }

    /// Sends `request` and returns its answer's data.
    pub async fn send<A: Action>(&self, authorizer: Option<&str>, request: &A) -> Result<A::Response, Error> {
        Ok(self.send_counted(authorizer, request).await.map_err(|(e, _)| e)?.0)
    }

    /// Like [`Api::send`], with the attempts the call made (on failure too).
    pub async fn send_counted<A: Action>(&self, authorizer: Option<&str>, request: &A) -> Counted<A::Response> {
        let call = self.call(authorizer, request).map_err(|e| (e, 0))?;
        match self.pipeline.send::<A::Response>(&call).await {
            Ok(r) => Ok((r.data, r.meta.attempts)),
            Err(e) => {
                let attempts = e.attempts();
                Err((e, attempts))
            }
        }
    }
}

/// An action answered in pages: how to turn the page and read the items.
pub(crate) trait Paged: Action + Clone + Send + Sync + 'static {
    /// One item of a page.
    type Item: Send + 'static;
    /// The request's page and page size.
    fn paging_mut(&mut self) -> &mut Paging;
    /// The page's items, and how many items match in all (`total_num`).
    fn split(answer: Self::Response) -> (Vec<Self::Item>, i64);
}

/// The items of every page of `request`, from its page on, with its page size and filters.
/// The request is checked before anything is sent: a bad one is the stream's only item.
pub(crate) fn pages<A: Paged>(
    api: &Api,
    authorizer: Option<&str>,
    mut request: A,
) -> BoxStream<'static, Result<A::Item, Error>>
where
    A::Response: Send,
{
    if let Err(e) = api.call(authorizer, &request) {
        return stream::once(async move { Err(e) }).boxed();
    }
    let Paging { page: first, page_size } = *request.paging_mut();
    let api = api.clone();
    let authorizer = authorizer.map(str::to_owned);
    paging::items(u64::from(first), move |page| {
        let (api, authorizer) = (api.clone(), authorizer.clone());
        let mut request = request.clone();
        request.paging_mut().page = u32::try_from(page).unwrap_or(u32::MAX);
        async move {
            let answer = api.send(authorizer.as_deref(), &request).await?;
            let (items, total) = A::split(answer);
            let through = page.saturating_mul(u64::from(page_size));
            let more = match u64::try_from(total) {
                Ok(total) if total > 0 => through < total,
                // No count given: a full page may have a successor.
                _ => items.len() >= page_size as usize,
            };
            Ok(Page { next: (more && !items.is_empty()).then_some(page + 1), items })
        }
    })
}
