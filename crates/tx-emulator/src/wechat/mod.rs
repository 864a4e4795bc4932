//! WeChat third-party platform: component and authorizer tokens, AMS agency actions.

pub(crate) mod ams;
mod blacklist;
mod category;
pub(crate) mod envelope;
pub(crate) mod state;
pub(crate) mod tokens;
