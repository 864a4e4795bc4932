//! Fleet actions that do not compare: read each authorizer's lists, or write a category
//! black list to each without reading it first. Each is one call per authorizer, on the
//! same runner (and with the same records) as the "ensure" policies.

use super::blacklist::entries;
use super::{FleetContext, Policy};
use crate::api::Counted;
use crate::category::CategorySet;
use crate::protocol::with_context;
use crate::wire::{
    BlackListEntry, GetAmsCategoryBlackListRequest, GetBlackListRequest, SetAmsCategoryBlackListRequest,
};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use std::sync::Arc;

/// Reads each authorizer's category black list (`agency_get_mp_amscategory_blacklist`).
/// The policy of [`super::Fleet::category_blacklists`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadCategories;

impl Policy for ReadCategories {
    type Value = CategorySet;

    fn apply(self: Arc<Self>, cx: FleetContext, appid: String) -> BoxFuture<'static, Counted<CategorySet>> {
        async move {
            let (answer, attempts) = cx
                .api
                .send_counted(Some(&appid), &GetAmsCategoryBlackListRequest {})
                .await
                .map_err(|(e, n)| (with_context(e, "agency_get_mp_amscategory_blacklist"), n))?;
            Ok((answer.ams_category, attempts))
        }
        .boxed()
    }
}

/// Replaces each authorizer's category black list with one set, without reading it first
/// (`agency_set_mp_amscategory_blacklist`). The policy of
/// [`super::Fleet::set_category_blacklist`]; its value is the set written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteCategories {
    categories: CategorySet,
}

impl Policy for WriteCategories {
    type Value = CategorySet;

    fn apply(self: Arc<Self>, cx: FleetContext, appid: String) -> BoxFuture<'static, Counted<CategorySet>> {
        async move {
            let request = SetAmsCategoryBlackListRequest { ams_category: self.categories.clone() };
            let (_, attempts) = cx
                .api
                .send_counted(Some(&appid), &request)
                .await
                .map_err(|(e, n)| (with_context(e, "agency_set_mp_amscategory_blacklist"), n))?;
            Ok((self.categories.clone(), attempts))
        }
        .boxed()
    }
}

impl WriteCategories {
    pub(super) fn new(categories: CategorySet) -> Self {
        WriteCategories { categories }
    }
}

/// Reads each authorizer's advertiser black list (`agency_get_black_list`), as entries
/// sorted by type then id. The policy of [`super::Fleet::black_lists`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadBlackList;

impl Policy for ReadBlackList {
    type Value = Vec<BlackListEntry>;

    fn apply(self: Arc<Self>, cx: FleetContext, appid: String) -> BoxFuture<'static, Counted<Vec<BlackListEntry>>> {
        async move {
            let (list, attempts) = cx
                .api
                .send_counted(Some(&appid), &GetBlackListRequest {})
                .await
                .map_err(|(e, n)| (with_context(e, "agency_get_black_list"), n))?;
            Ok((entries(&list), attempts))
        }
        .boxed()
    }
}
