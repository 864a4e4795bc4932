//! WeChat third-party platform: component and authorizer tokens, the authorization flow,
//! pushes to the authorization-event URL, and the 26 AMS agency actions.

mod adunits;
pub(crate) mod ams;
pub(crate) mod auth;
mod blacklist;
mod category;
mod cover;
pub mod crypto;
mod dates;
pub(crate) mod envelope;
mod params;
mod publisher;
pub(crate) mod push;
mod report;
mod settlement;
mod share;
pub(crate) mod state;
pub(crate) mod tokens;
