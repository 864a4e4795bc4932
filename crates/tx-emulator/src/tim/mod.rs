//! Tencent IM REST: `POST /v4/sns/*` and `POST /v4/im_open_login_svc/*` (account
//! import, check and delete).
//!
//! Checks, in order, each with its code (HTTP 200, `ActionStatus: FAIL`):
//! 1. the command exists (60009) and the method is POST (60002);
//! 2. the query ([`auth::parse_query`]: 60002, 60012, 60004, 60005);
//! 3. the SDKAppID is a seeded app (70020);
//! 4. the rate limit of the (SDKAppID, command) pair (60007, see [`crate::ratelimit`]);
//! 5. the UserSig, verified with the app's key (70001 expired, 70003 undecodable,
//!    70009 bad signature, 70013 identifier mismatch, 70014 SDKAppID mismatch);
//! 6. `identifier` is an app admin (SNS 30004; account import 70403);
//! 7. the body is a JSON object (60003);
//! 8. the command's own rules (see each module).

mod accounts;
pub(crate) mod auth;
mod blocklist;
mod body;
mod ctx;
pub(crate) mod envelope;
mod friends;
mod groups;
mod relation;
pub(crate) mod state;

use crate::dispatch::ItemFault;
use crate::state::Shared;
use axum::body::Body as HttpBody;
use axum::extract::{Extension, Path, State};
use axum::http::{Method, Response, Uri};
use body::Body;
use bytes::Bytes;
use ctx::Ctx;
use envelope::{TimError, fail};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmd {
    BlackListAdd,
    BlackListDelete,
    BlackListGet,
    BlackListCheck,
    FriendAdd,
    FriendImport,
    FriendUpdate,
    FriendDelete,
    FriendDeleteAll,
    FriendCheck,
    FriendGet,
    FriendGetList,
    GroupAdd,
    GroupDelete,
    GroupGet,
    AccountImport,
    MultiAccountImport,
    AccountCheck,
    AccountDelete,
}

const COMMANDS: &[(&str, &str, Cmd)] = &[
    ("sns", "black_list_add", Cmd::BlackListAdd),
    ("sns", "black_list_delete", Cmd::BlackListDelete),
    ("sns", "black_list_get", Cmd::BlackListGet),
    ("sns", "black_list_check", Cmd::BlackListCheck),
    ("sns", "friend_add", Cmd::FriendAdd),
    ("sns", "friend_import", Cmd::FriendImport),
    ("sns", "friend_update", Cmd::FriendUpdate),
    ("sns", "friend_delete", Cmd::FriendDelete),
    ("sns", "friend_delete_all", Cmd::FriendDeleteAll),
    ("sns", "friend_check", Cmd::FriendCheck),
    ("sns", "friend_get", Cmd::FriendGet),
    ("sns", "friend_get_list", Cmd::FriendGetList),
    ("sns", "group_add", Cmd::GroupAdd),
    ("sns", "group_delete", Cmd::GroupDelete),
    ("sns", "group_get", Cmd::GroupGet),
    ("im_open_login_svc", "account_import", Cmd::AccountImport),
    ("im_open_login_svc", "multiaccount_import", Cmd::MultiAccountImport),
    ("im_open_login_svc", "account_check", Cmd::AccountCheck),
    ("im_open_login_svc", "account_delete", Cmd::AccountDelete),
];

impl Cmd {
    fn is_sns(self) -> bool {
        !matches!(self, Cmd::AccountImport | Cmd::MultiAccountImport | Cmd::AccountCheck | Cmd::AccountDelete)
    }

    /// Commands whose answers carry per-item results.
    fn is_batch(self) -> bool {
        matches!(
            self,
            Cmd::BlackListAdd
                | Cmd::BlackListDelete
                | Cmd::BlackListCheck
                | Cmd::FriendAdd
                | Cmd::FriendImport
                | Cmd::FriendUpdate
                | Cmd::FriendDelete
                | Cmd::FriendCheck
                | Cmd::FriendGetList
                | Cmd::GroupAdd
        )
    }
}

/// The axum handler for `/v4/{service}/{command}`.
pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    Path((service, command)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    fault: Option<Extension<ItemFault>>,
    body: Bytes,
) -> Response<HttpBody> {
    match run(&shared, &service, &command, &method, &uri, fault.map(|f| f.0.0), &body) {
        Ok(resp) => resp,
        Err(e) => fail(&e),
    }
}

fn run(
    shared: &Shared,
    service: &str,
    command: &str,
    method: &Method,
    uri: &Uri,
    item_fault: Option<i64>,
    raw: &[u8],
) -> Result<Response<HttpBody>, TimError> {
    let &(_, name, cmd) = COMMANDS
        .iter()
        .find(|(s, c, _)| *s == service && *c == command)
        .ok_or_else(|| TimError::new(60009, format!("unknown REST command v4/{service}/{command}")))?;
    if method != Method::POST {
        return Err(TimError::new(60002, "the REST API accepts POST only"));
    }
    let q = auth::parse_query(uri.query())?;
    let settings = shared.settings();
    let (signer, is_admin, verified_until) = {
        let world = shared.tim.lock().unwrap_or_else(|e| e.into_inner());
        let app = world.apps.get(&q.sdkappid).ok_or_else(|| TimError::new(70020, "SDKAppID does not exist"))?;
        let key = (q.identifier.clone(), q.usersig.clone());
        (app.signer.clone(), app.admins.contains(&q.identifier), app.verified.get(&key).copied())
    };
    if let Some(limit) = settings.tim_rate_limit {
        let verdict =
            shared.tim_limiter.lock().unwrap_or_else(|e| e.into_inner()).check((q.sdkappid, name), limit, None);
        if !verdict.allowed {
            return Err(TimError::new(60007, envelope::injected_info(60007)));
        }
    }
    match verified_until {
        Some(expires_at) => {
            let now = shared.clock.unix_now();
            if now > expires_at {
                return Err(auth::expired(expires_at, now));
            }
        }
        None => {
            let expires_at = auth::verify(&signer, &q)?;
            let mut world = shared.tim.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(app) = world.apps.get_mut(&q.sdkappid) {
                if app.verified.len() >= auth::VERIFIED_CACHE {
                    app.verified.clear();
                }
                app.verified.insert((q.identifier.clone(), q.usersig.clone()), expires_at);
            }
        }
    }
    if !is_admin {
        let code = if cmd.is_sns() { 30004 } else { 70403 };
        return Err(TimError::new(code, format!("{} is not an App admin", q.identifier)));
    }
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(TimError::new(60003, "the request body is empty; send {} when there are no fields"));
    }
    let value: serde_json::Value =
        serde_json::from_slice(raw).map_err(|e| TimError::new(60003, format!("the body is not valid JSON: {e}")))?;
    let obj = value.as_object().ok_or_else(|| TimError::new(60003, "the body must be a JSON object"))?;
    if let Some(code) = item_fault
        && !cmd.is_batch()
    {
        return Err(TimError::new(code, envelope::injected_info(code)));
    }
    let ctx = Ctx {
        cmd: name,
        now: shared.clock.unix_now(),
        item_fault,
        legacy_sequence: settings.tim_legacy_sequence_spelling,
    };
    let body = Body::new(obj, if cmd.is_sns() { 30001 } else { 70402 });
    let mut world = shared.tim.lock().unwrap_or_else(|e| e.into_inner());
    let app = world.apps.get_mut(&q.sdkappid).ok_or_else(|| TimError::new(70020, "SDKAppID does not exist"))?;
    match cmd {
        Cmd::BlackListAdd => blocklist::add(app, &body, &ctx),
        Cmd::BlackListDelete => blocklist::delete(app, &body, &ctx),
        Cmd::BlackListGet => blocklist::get(app, &body, &ctx),
        Cmd::BlackListCheck => blocklist::check(app, &body, &ctx),
        Cmd::FriendAdd => friends::add(app, &body, &ctx),
        Cmd::FriendImport => friends::import(app, &body, &ctx),
        Cmd::FriendUpdate => friends::update(app, &body, &ctx),
        Cmd::FriendDelete => friends::delete(app, &body, &ctx),
        Cmd::FriendDeleteAll => friends::delete_all(app, &body, &ctx),
        Cmd::FriendCheck => friends::check(app, &body, &ctx),
        Cmd::FriendGet => friends::get(app, &body, &ctx),
        Cmd::FriendGetList => friends::get_list(app, &body, &ctx),
        Cmd::GroupAdd => groups::add(app, &body, &ctx),
        Cmd::GroupDelete => groups::delete(app, &body, &ctx),
        Cmd::GroupGet => groups::get(app, &body, &ctx),
        Cmd::AccountImport => accounts::import(app, &body),
        Cmd::MultiAccountImport => accounts::import_many(app, &body),
        Cmd::AccountCheck => accounts::check(app, &body),
        Cmd::AccountDelete => accounts::delete(app, &body),
    }
}
