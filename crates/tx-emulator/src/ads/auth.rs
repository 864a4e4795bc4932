//! The global parameters of every Marketing API call: `access_token`, `timestamp` and
//! `nonce`, then the token's grant and the quota.
//!
//! Order of checks: `access_token` missing or empty 11005; `timestamp` or `nonce` missing
//! 12000; `timestamp` not an integer or more than the allowed skew (300 s) from the
//! emulator's clock 12101; `nonce` longer than 32 characters 12100; `nonce` seen within
//! twice the skew (the span in which its timestamp could be valid) 12100 — a nonce is
//! spent once it passes the format checks, even if the call then fails; token unknown
//! 11002; token expired 11000; the quota of the (client_id, endpoint) pair 11017 (see
//! [`super::quota`]). Which accounts a token may act for is checked per endpoint (12203,
//! see [`super::params::account`]).

use super::envelope::AdsError;
use super::quota;
use crate::state::{Shared, lock};

/// The caller a valid token identifies, and the `X-RateLimit-Remaining` value.
#[derive(Debug)]
pub(crate) struct Caller {
    /// The accounts the token was authorized for.
    pub accounts: Vec<u64>,
    pub remaining: String,
}

/// Query parameters as (name, value) pairs, percent-decoded.
pub(crate) fn params(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect()
}

/// The first value of `name`.
pub(crate) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

pub(crate) fn authenticate(shared: &Shared, params: &[(String, String)], endpoint: &str) -> Result<Caller, AdsError> {
    let token = param(params, "access_token").filter(|t| !t.is_empty()).ok_or_else(|| {
        AdsError::new(11005, "Access token is empty.", "access_token 为必填字段,请传入正确的 access_token")
    })?;
    let (Some(timestamp), Some(nonce)) = (param(params, "timestamp"), param(params, "nonce").filter(|n| !n.is_empty()))
    else {
        return Err(AdsError::new(
            12000,
            "Your request is missing a required parameter which is one of access_token, timestamp and nonce.",
            "请求缺少必填参数 access_token、timestamp 或 nonce",
        ));
    };
    let settings = shared.settings();
    let now = shared.clock.unix_now();
    let skew = settings.ads_timestamp_skew.as_secs();
    let fresh = timestamp.parse::<i64>().is_ok_and(|t| (t - now as i64).unsigned_abs() <= skew);
    if !fresh {
        return Err(AdsError::new(12101, "Timestamp is expired or invalid.", "timestamp 已过期或无效,请检查本地时钟"));
    }
    if nonce.chars().count() > 32 {
        return Err(AdsError::new(12100, "Nonce is invalid: at most 32 characters.", "nonce 无效:最多 32 个字符"));
    }
    let mut world = lock(&shared.ads);
    if !world.use_nonce(nonce, now, 2 * skew) {
        return Err(AdsError::new(12100, "Nonce has been used.", "nonce 已被使用,请重新生成"));
    }
    let grant = world
        .access_tokens
        .get(token)
        .cloned()
        .ok_or_else(|| AdsError::new(11002, "Access token is invalid.", "您的 access_token 无效"))?;
    drop(world);
    if now >= grant.expires_at {
        return Err(AdsError::new(
            11000,
            "Access token is expired.",
            "您的 access_token 已过期,请通过 oauth/token 接口获取最新 token",
        ));
    }
    let remaining = quota::count(shared, grant.client_id, endpoint)?;
    Ok(Caller { accounts: grant.accounts, remaining })
}
