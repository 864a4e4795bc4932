//! WeChat answers: gateway `errcode`/`errmsg`, AMS `ret`/`err_msg`, token payloads.
//! Always HTTP 200.

use crate::stats::Outcome;
use axum::body::Body;
use axum::http::{HeaderValue, Response, header};
use serde_json::{Map, Value, json};
use std::sync::atomic::{AtomicU64, Ordering};

static RID: AtomicU64 = AtomicU64::new(1);

fn rid() -> String {
    let n = RID.fetch_add(1, Ordering::Relaxed);
    format!("rid: {}-{}", crate::ids::hex(n, 8), crate::ids::hex(n ^ 0x5151, 8))
}

fn json_response(value: &Value, code: i64) -> Response<Body> {
    let mut resp = Response::new(Body::from(serde_json::to_vec(value).unwrap_or_default()));
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; encoding=utf-8"));
    resp.extensions_mut().insert(Outcome { code, item_codes: Vec::new() });
    resp
}

/// A gateway error: `{"errcode": code, "errmsg": "… rid: …"}`.
pub(crate) fn gateway(code: i64, msg: &str) -> Response<Body> {
    json_response(&json!({"errcode": code, "errmsg": format!("{msg} {}", rid())}), code)
}

/// An AMS failure: `{"ret": code, "err_msg": msg}`.
pub(crate) fn ams_error(ret: i64, msg: &str) -> Response<Body> {
    json_response(&json!({"ret": ret, "err_msg": msg}), ret)
}

/// An AMS success: `{"ret": 0, "err_msg": "", …fields}`.
pub(crate) fn ams_ok(fields: Map<String, Value>) -> Response<Body> {
    let mut obj = Map::new();
    obj.insert("ret".to_owned(), json!(0));
    obj.insert("err_msg".to_owned(), json!(""));
    obj.extend(fields);
    json_response(&Value::Object(obj), 0)
}

/// A token endpoint's success payload (no `errcode`, as WeChat sends it).
pub(crate) fn payload(value: Value) -> Response<Body> {
    json_response(&value, 0)
}

/// An injected code: gateway codes (-1, and 40000 and above) as `errcode`, others as AMS
/// `ret`.
pub(crate) fn injected(code: i64) -> Response<Body> {
    match code {
        -1 => gateway(-1, "system error"),
        c if c >= 40000 => gateway(c, "injected by tx-emulator"),
        -202 => ams_error(-202, "internal error"),
        1737 => ams_error(1737, "operating too fast"),
        c => ams_error(c, "injected by tx-emulator"),
    }
}

/// An AMS failure as data: `ret` and `err_msg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AmsError {
    pub ret: i64,
    pub msg: String,
}

impl AmsError {
    /// A missing or mistyped field (ret 1700).
    pub fn missing(msg: impl Into<String>) -> Self {
        AmsError { ret: 1700, msg: msg.into() }
    }

    /// A value outside what the action accepts (ret 1701).
    pub fn invalid(msg: impl Into<String>) -> Self {
        AmsError { ret: 1701, msg: msg.into() }
    }

    /// Any other `ret`.
    pub fn new(ret: i64, msg: impl Into<String>) -> Self {
        AmsError { ret, msg: msg.into() }
    }
}

/// An action's outcome: its fields on success.
pub(crate) type AmsResult = Result<Map<String, Value>, AmsError>;

/// Answers an action's outcome.
pub(crate) fn ams_reply(result: AmsResult) -> Response<Body> {
    match result {
        Ok(fields) => ams_ok(fields),
        Err(e) => ams_error(e.ret, &e.msg),
    }
}

/// Fields from `(name, value)` pairs.
pub(crate) fn fields<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}
