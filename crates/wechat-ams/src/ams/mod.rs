//! The AMS actions of one mini program, in handlers that group them as the reference
//! does: what the mini program *is* to the ad platform (publisher, share ratio), what it
//! *shows* (ad units, the cover ad), what it *refuses* (advertisers, industry categories),
//! and what it *earns* (statistics and settlements). Get one with [`crate::Client::ams`].
//!
//! Every call is checked before anything is sent (the AppID and the request's rules), and
//! carries the token its action takes: the mini program's `authorizer_access_token`, or
//! the component token for the share-ratio actions (which name the mini program in their
//! body). Paged actions are Streams of items: nothing is sent until they are polled.

mod adunits;
mod blacklist;
pub(crate) mod category;
mod cover;
mod publisher;
mod share_ratio;
mod stats;

pub use adunits::AdUnits;
pub use blacklist::AdvertiserBlackList;
pub use category::{CategoryBlackList, CategoryChange};
pub use cover::Cover;
pub use publisher::Publisher;
pub use share_ratio::ShareRatio;
pub use stats::Stats;

use crate::api::Api;
use crate::code::ErrorCode;
use crate::wire::Action;
use tx_core::{Error, Tenant};

/// The page size of the Streams (the documents set no maximum, except 200 for
/// `get_agency_ads_detail`).
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// What an "ensure open" found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Opened {
    /// Opened by this call.
    Now,
    /// It was open already (ret 2021 for the publisher, 2067 for the cover ad).
    Already,
}

/// The AMS actions of one mini program, in handlers that group them as the reference
/// does: what the mini program *is* to the ad platform ([`Ams::publisher`],
/// [`Ams::share_ratio`]), what it *shows* ([`Ams::adunits`], [`Ams::cover`]), what it
/// *refuses* ([`Ams::black_list`], [`Ams::category_blacklist`]) and what it *earns*
/// ([`Ams::stats`]). Get one with [`crate::Client::ams`].
///
/// Every call is checked before anything is sent (the AppID and the request's rules), and
/// carries the token its action takes: the mini program's `authorizer_access_token`, or
/// the component token for the share-ratio actions (which name the mini program in their
/// body). Paged actions are Streams of items: nothing is sent until they are polled.
#[derive(Debug, Clone)]
pub struct Ams<'a> {
    api: &'a Api,
    appid: Tenant,
}

macro_rules! handler {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name<'a> {
            api: &'a crate::api::Api,
            appid: tx_core::Tenant,
        }

        impl<'a> $name<'a> {
            pub(crate) fn new(api: &'a crate::api::Api, appid: tx_core::Tenant) -> Self {
                $name { api, appid }
            }

            /// The mini program's AppID.
            pub fn appid(&self) -> &str {
                self.appid.as_str()
            }

            async fn send<A: crate::wire::Action>(&self, request: &A) -> Result<A::Response, tx_core::Error> {
                self.api.send(Some(self.appid.as_str()), request).await
            }
        }
    };
}
pub(crate) use handler;

impl<'a> Ams<'a> {
    pub(crate) fn new(api: &'a Api, appid: Tenant) -> Self {
        Ams { api, appid }
    }

    /// The mini program's AppID.
    pub fn appid(&self) -> &str {
        self.appid.as_str()
    }

    /// The publisher (流量主): whether it can be opened, opening it (actions 5, 6).
    pub fn publisher(&self) -> Publisher<'a> {
        Publisher::new(self.api, self.appid.clone())
    }

    /// Ad units: create, update, template type, code, the two lists (actions 7–10, 15, 16).
    pub fn adunits(&self) -> AdUnits<'a> {
        AdUnits::new(self.api, self.appid.clone())
    }

    /// The cover ad: status and scenes (actions 11–14).
    pub fn cover(&self) -> Cover<'a> {
        Cover::new(self.api, self.appid.clone())
    }

    /// The advertiser black list (actions 17, 18).
    pub fn black_list(&self) -> AdvertiserBlackList<'a> {
        AdvertiserBlackList::new(self.api, self.appid.clone())
    }

    /// The blocked industry categories (actions 19, 20), and an "ensure" that writes only
    /// when they differ.
    pub fn category_blacklist(&self) -> CategoryBlackList<'a> {
        CategoryBlackList::new(self.api, self.appid.clone())
    }

    /// The provider's share of this mini program's income (actions 2–4, component token).
    pub fn share_ratio(&self) -> ShareRatio<'a> {
        ShareRatio::new(self.api, self.appid.clone())
    }

    /// Statistics per slot and per unit, and settlements (actions 21, 22, 25).
    pub fn stats(&self) -> Stats<'a> {
        Stats::new(self.api, self.appid.clone())
    }

    /// Sends any request of [`crate::wire`] for this mini program, with the token its
    /// action takes.
    pub async fn send<A: Action>(&self, request: &A) -> Result<A::Response, Error> {
        self.api.send(Some(self.appid.as_str()), request).await
    }
}

/// `Ok(Opened::Now)`, or `Ok(Opened::Already)` for an "already open" code.
pub(crate) fn opened<T>(result: Result<T, Error>) -> Result<Opened, Error> {
    match result {
        Ok(_) => Ok(Opened::Now),
        Err(e) if e.code().is_some_and(|c| ErrorCode::from(c).is_already_done()) => Ok(Opened::Already),
        Err(e) => Err(e),
    }
}
