//! `GET /oauth/authorize` and `GET /oauth/token`.
//!
//! `authorize` stands in for the user's consent page: it answers at once with a 302 to
//! `redirect_uri?authorization_code=…&state=…` for the account named by the emulator's own
//! `account_id` parameter, or else the lowest-numbered account of that app. The code is
//! valid for 5 minutes and once.
//!
//! `token` codes: `client_id` missing, unknown or with the wrong `client_secret` 11007;
//! `grant_type` other than `authorization_code` / `refresh_token` 18001;
//! `authorization_code` missing, unknown or another app's 11011, expired 11009, used 11013;
//! `redirect_uri` not the one given to `authorize` 18001; `refresh_token` missing, unknown
//! or another app's 11010, expired 11012. A refresh returns a new access token and
//! restarts the refresh token's 30 days; it returns no new refresh token and no
//! `authorizer_info`.

use super::auth::{param, params};
use super::envelope::{AdsError, ok};
use super::state::{AuthCode, Grant};
use crate::ids;
use crate::state::{Shared, lock};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Response, StatusCode, Uri, header};
use serde_json::json;
use std::sync::Arc;

fn client_error() -> AdsError {
    AdsError::new(11007, "The client_id is invalid.", "应用 id 无效")
}

/// http or https, a host, no port.
fn valid_redirect(uri: &str) -> Option<url::Url> {
    let u = url::Url::parse(uri).ok()?;
    (matches!(u.scheme(), "http" | "https") && u.host_str().is_some() && u.port().is_none()).then_some(u)
}

/// The handler of `GET /oauth/authorize`.
pub(crate) async fn authorize(State(shared): State<Arc<Shared>>, uri: Uri) -> Response<Body> {
    match run_authorize(&shared, &uri) {
        Ok(r) => r,
        Err(e) => {
            let mut r = e.respond(&shared);
            *r.status_mut() = StatusCode::BAD_REQUEST;
            r
        }
    }
}

fn run_authorize(shared: &Shared, uri: &Uri) -> Result<Response<Body>, AdsError> {
    let params = params(uri.query());
    let client_id = param(&params, "client_id").and_then(|c| c.parse::<u64>().ok()).ok_or_else(client_error)?;
    let redirect = param(&params, "redirect_uri").unwrap_or_default().to_owned();
    let mut target = valid_redirect(&redirect)
        .ok_or_else(|| AdsError::param("redirect_uri must be an http(s) URL without a port"))?;
    let settings = shared.settings();
    let now = shared.clock.unix_now();
    let mut world = lock(&shared.ads);
    let app = world.apps.get(&client_id).ok_or_else(client_error)?;
    if let Some(registered) = app.redirect_uri.as_deref().and_then(valid_redirect) {
        let (host, main) = (target.host_str().unwrap_or_default(), registered.host_str().unwrap_or_default());
        if host != main && !host.ends_with(&format!(".{main}")) {
            return Err(AdsError::param("redirect_uri's domain differs from the app's registered domain"));
        }
    }
    let account_id = match param(&params, "account_id") {
        Some(a) => a.parse::<u64>().ok().filter(|id| world.accounts.contains_key(id)),
        None => world.accounts.iter().filter(|(_, a)| a.client_id == client_id).map(|(id, _)| *id).min(),
    }
    .ok_or_else(|| AdsError::new(12201, "account_id is invalid.", "account_id 无效"))?;
    let code = ids::hex(shared.next_serial() ^ 0xc0de, 32);
    let grant = Grant {
        accounts: vec![account_id],
        client_id,
        issued_at: now,
        expires_at: now.saturating_add(settings.ads_authorization_code_lifetime.as_secs()),
    };
    world.insert_code(code.clone(), AuthCode { grant, redirect_uri: redirect, used: false }, now);
    {
        let mut q = target.query_pairs_mut();
        q.append_pair("authorization_code", &code);
        if let Some(state) = param(&params, "state") {
            q.append_pair("state", state);
        }
    }
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::FOUND;
    if let Ok(v) = HeaderValue::from_str(target.as_str()) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// The handler of `GET /oauth/token`.
pub(crate) async fn token(State(shared): State<Arc<Shared>>, uri: Uri) -> Response<Body> {
    match run_token(&shared, &uri) {
        Ok(r) => r,
        Err(e) => e.respond(&shared),
    }
}

fn run_token(shared: &Shared, uri: &Uri) -> Result<Response<Body>, AdsError> {
    let params = params(uri.query());
    let client_id = param(&params, "client_id").and_then(|c| c.parse::<u64>().ok()).ok_or_else(client_error)?;
    let secret = param(&params, "client_secret").unwrap_or_default();
    let settings = shared.settings();
    let now = shared.clock.unix_now();
    let access_life = settings.ads_access_token_lifetime.as_secs();
    let refresh_life = settings.ads_refresh_token_lifetime.as_secs();
    let mut world = lock(&shared.ads);
    let app = world.apps.get(&client_id).ok_or_else(client_error)?;
    if app.secret != secret {
        return Err(client_error());
    }
    let access_token = ids::hex(shared.next_serial() ^ 0xacce55, 40);
    match param(&params, "grant_type") {
        Some("authorization_code") => {
            let bad_code = || AdsError::new(11011, "Authorization code is malformed.", "授权码格式错误");
            let code = param(&params, "authorization_code").ok_or_else(bad_code)?;
            let entry = world.codes.get_mut(code).filter(|c| c.grant.client_id == client_id).ok_or_else(bad_code)?;
            if entry.used {
                return Err(AdsError::new(11013, "Authorization code can only be used once.", "授权码只能使用一次"));
            }
            if now >= entry.grant.expires_at {
                return Err(AdsError::new(11009, "Authorization code is expired.", "授权码过期,请重新发起授权流程"));
            }
            if param(&params, "redirect_uri") != Some(entry.redirect_uri.as_str()) {
                return Err(AdsError::param("redirect_uri differs from the one given to authorize"));
            }
            entry.used = true;
            let accounts = entry.grant.accounts.clone();
            let account_id = accounts.first().copied().unwrap_or_default();
            let refresh_token = ids::hex(shared.next_serial() ^ 0x2ef2e5, 40);
            let grant = |life: u64| Grant {
                accounts: accounts.clone(),
                client_id,
                issued_at: now,
                expires_at: now.saturating_add(life),
            };
            world.insert_access(access_token.clone(), grant(access_life), now);
            world.refresh_tokens.insert(refresh_token.clone(), grant(refresh_life));
            let agency = world.accounts.get(&account_id).is_some_and(|a| a.agency);
            drop(world);
            let (role, account_role) = if agency {
                ("ROLE_TYPE_AGENCY", "ACCOUNT_ROLE_TYPE_AGENCY")
            } else {
                ("ROLE_TYPE_ADVERTISER", "ACCOUNT_ROLE_TYPE_ADVERTISER")
            };
            let data = json!({
                "access_token": access_token,
                "access_token_expires_in": access_life,
                "refresh_token": refresh_token,
                "refresh_token_expires_in": refresh_life,
                "authorizer_info": {
                    "account_uin": account_id,
                    "account_id": account_id,
                    "wechat_account_id": "",
                    "account_type": "ACCOUNT_TYPE_QQ",
                    "role_type": role,
                    "scope_list": [],
                    "account_role_type": account_role,
                },
            });
            Ok(ok(shared, data, None))
        }
        Some("refresh_token") => {
            let bad = || AdsError::new(11010, "Refresh token is malformed.", "refresh_token 格式错误");
            let token = param(&params, "refresh_token").ok_or_else(bad)?;
            let entry = world.refresh_tokens.get_mut(token).filter(|g| g.client_id == client_id).ok_or_else(bad)?;
            if now >= entry.expires_at {
                return Err(AdsError::new(11012, "Refresh token is expired.", "refresh_token 过期,请重新发起授权流程"));
            }
            entry.expires_at = now.saturating_add(refresh_life);
            let accounts = entry.accounts.clone();
            let grant = Grant { accounts, client_id, issued_at: now, expires_at: now.saturating_add(access_life) };
            world.insert_access(access_token.clone(), grant, now);
            drop(world);
            let data = json!({
                "access_token": access_token,
                "access_token_expires_in": access_life,
                "refresh_token_expires_in": refresh_life,
            });
            Ok(ok(shared, data, None))
        }
        _ => Err(AdsError::param("grant_type must be authorization_code or refresh_token")),
    }
}
