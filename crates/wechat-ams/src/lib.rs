//! WeChat third-party platform client for the mini-program ad (AMS) agency actions
//! (`/wxa/operationams`), with component and authorizer token lifecycles.
//!
//! Not yet implemented: this crate is filled by a later issue.
