//! The per-minute quota of each (app, endpoint) pair and the `X-RateLimit-Remaining`
//! header.
//!
//! Fixed one-minute windows on tokio time (see [`crate::ratelimit`]); a call beyond
//! `ads_quota_per_minute` answers 11017 and bars the endpoint for the app for
//! `ads_quota_penalty` (5 minutes), during which every call answers 11017 ("stop calling
//! that endpoint; it recovers automatically after 5 minutes"). There is no daily quota on
//! these endpoints, so the day share is always `100%`.

use super::envelope::AdsError;
use crate::state::{Shared, lock};

/// The header value when nothing was counted (no quota, or a call refused before it).
pub(crate) const FULL: &str = "100%,100%";

/// Counts a call of `client_id` to `endpoint`; the `X-RateLimit-Remaining` value, or 11017
/// (whose answer carries `100%,0%`).
pub(crate) fn count(shared: &Shared, client_id: u64, endpoint: &str) -> Result<String, AdsError> {
    let settings = shared.settings();
    let Some(limit) = settings.ads_quota_per_minute else { return Ok(FULL.to_owned()) };
    let verdict =
        lock(&shared.ads_limiter).check((client_id, endpoint.to_owned()), limit, Some(settings.ads_quota_penalty));
    if !verdict.allowed {
        return Err(AdsError::new(
            11017,
            "Application has reached the request limit per minute.",
            "应用请求已达分钟频次上限",
        )
        .remaining("100%,0%"));
    }
    Ok(format!("100%,{}%", verdict.remaining_percent))
}
