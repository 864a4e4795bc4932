//! The blocked industry categories of a mini program.

use super::handler;
use crate::api::{Api, Counted};
use crate::category::CategorySet;
use crate::wire::{GetAmsCategoryBlackListRequest, SetAmsCategoryBlackListRequest};
use serde::Serialize;
use tx_core::Error;

handler! {
    /// The AMS industry categories a mini program refuses ads from. Get one with
    /// [`super::Ams::category_blacklist`]; for many mini programs see
    /// [`crate::Fleet::ensure_category_blacklist`].
    CategoryBlackList
}

/// What ensuring a category black list did to one mini program.
///
/// Serialized as `{"change":"unchanged","categories":"CHESS|LOAN"}` or
/// `{"change":"changed","before":"CHESS","after":"CHESS|LOAN"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CategoryChange {
    /// It held the wanted set already: nothing was written.
    Unchanged {
        /// The set it holds.
        categories: CategorySet,
    },
    /// It held another set, which was replaced.
    Changed {
        /// The set it held.
        before: CategorySet,
        /// The set it holds now.
        after: CategorySet,
    },
}

impl CategoryChange {
    /// Whether a write was sent.
    pub fn is_changed(&self) -> bool {
        matches!(self, CategoryChange::Changed { .. })
    }

    /// The set the mini program holds now.
    pub fn after(&self) -> &CategorySet {
        match self {
            CategoryChange::Unchanged { categories } => categories,
            CategoryChange::Changed { after, .. } => after,
        }
    }
}

impl CategoryBlackList<'_> {
    /// `agency_get_mp_amscategory_blacklist`: the blocked categories (values this crate
    /// does not know are kept).
    pub async fn get(&self) -> Result<CategorySet, Error> {
        Ok(self.send(&GetAmsCategoryBlackListRequest {}).await?.ams_category)
    }

    /// `agency_set_mp_amscategory_blacklist`: replaces the blocked categories with
    /// `categories` (the empty set unblocks every category). A value that is not one of
    /// the 13 categories is refused before sending.
    pub async fn set(&self, categories: &CategorySet) -> Result<(), Error> {
        self.send(&SetAmsCategoryBlackListRequest { ams_category: categories.clone() }).await.map(drop)
    }

    /// Reads the blocked categories and replaces them with `wanted` only if they differ:
    /// one read, at most one write.
    ///
    /// ```no_run
    /// # async fn demo(wechat: wechat_ams::Client) -> Result<(), tx_core::Error> {
    /// use wechat_ams::{AmsCategory, CategorySet};
    /// let policy = CategorySet::from_iter([AmsCategory::Chess, AmsCategory::Loan]);
    /// let change = wechat.ams("wx1a1a1a1a1a1a1a1a").category_blacklist().ensure(&policy).await?;
    /// println!("{}", serde_json::to_string(&change).unwrap());
    /// # Ok(()) }
    /// ```
    pub async fn ensure(&self, wanted: &CategorySet) -> Result<CategoryChange, Error> {
        wanted.validate("ams_category")?;
        ensure(self.api, self.appid.as_str(), wanted).await.map(|(c, _)| c).map_err(|(e, _)| e)
    }
}

/// One read and, if the set differs, one write; with the attempts made (on failure too).
/// `wanted` is valid.
pub(crate) async fn ensure(api: &Api, appid: &str, wanted: &CategorySet) -> Counted<CategoryChange> {
    let (current, read) = api
        .send_counted(Some(appid), &GetAmsCategoryBlackListRequest {})
        .await
        .map_err(|(e, n)| (crate::protocol::with_context(e, "agency_get_mp_amscategory_blacklist"), n))?;
    let before = current.ams_category;
    if before == *wanted {
        return Ok((CategoryChange::Unchanged { categories: before }, read));
    }
    let request = SetAmsCategoryBlackListRequest { ams_category: wanted.clone() };
    match api.send_counted(Some(appid), &request).await {
        Ok((_, write)) => Ok((CategoryChange::Changed { before, after: wanted.clone() }, read + write)),
        Err((e, write)) => Err((
            crate::protocol::with_context(e, format!("agency_set_mp_amscategory_blacklist (it held {before:?})")),
            read + write,
        )),
    }
}
