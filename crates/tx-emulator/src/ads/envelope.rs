//! Tencent Ads answers: `{code, message, message_cn, data}`, errors with `trace_id`,
//! and the `X-TSA-Trace-Id` / `X-RateLimit-Remaining` headers.

use crate::ids;
use crate::state::Shared;
use crate::stats::Outcome;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Response, header};
use serde_json::{Value, json};

const TRACE: HeaderName = HeaderName::from_static("x-tsa-trace-id");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");

fn respond(value: &Value, code: i64, trace: &str, remaining: Option<&str>) -> Response<Body> {
    let mut resp = Response::new(Body::from(serde_json::to_vec(value).unwrap_or_default()));
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(trace) {
        h.insert(TRACE, v);
    }
    if let Some(r) = remaining.and_then(|r| HeaderValue::from_str(r).ok()) {
        h.insert(REMAINING, r);
    }
    resp.extensions_mut().insert(Outcome { code, item_codes: Vec::new() });
    resp
}

fn trace_id(shared: &Shared) -> String {
    ids::hex(shared.next_serial() ^ 0x7472_6163_6500, 32)
}

/// A success carrying `data`; `remaining` is the `X-RateLimit-Remaining` value (full when
/// the call counted against no quota).
pub(crate) fn ok(shared: &Shared, data: Value, remaining: Option<&str>) -> Response<Body> {
    let trace = trace_id(shared);
    let remaining = remaining.unwrap_or(super::quota::FULL);
    respond(&json!({"code": 0, "message": "", "message_cn": "", "data": data}), 0, &trace, Some(remaining))
}

/// Adds the two Ads headers to an answer that lacks them (an injected gateway page, an
/// unknown path): a fresh trace id and a full quota.
pub(crate) fn add_headers(shared: &Shared, resp: &mut Response<Body>) {
    if !resp.headers().contains_key(TRACE)
        && let Ok(v) = HeaderValue::from_str(&trace_id(shared))
    {
        resp.headers_mut().insert(TRACE, v);
    }
    if !resp.headers().contains_key(REMAINING) {
        resp.headers_mut().insert(REMAINING, HeaderValue::from_static(super::quota::FULL));
    }
}

/// A failure: the messages end in `trace_id: …`, as the real ones do.
pub(crate) fn error(shared: &Shared, code: i64, message: &str, message_cn: &str) -> Response<Body> {
    error_with(shared, code, message, message_cn, super::quota::FULL)
}

fn error_with(shared: &Shared, code: i64, message: &str, message_cn: &str, remaining: &str) -> Response<Body> {
    let trace = trace_id(shared);
    let body = json!({
        "code": code,
        "message": format!("{message} trace_id: {trace}"),
        "message_cn": format!("{message_cn} trace_id: {trace}"),
        "code_type": "BusinessException",
        "errors": [],
        "trace_id": trace,
    });
    respond(&body, code, &trace, Some(remaining))
}

/// An Ads failure as data, turned into a response at the edge.
#[derive(Debug, Clone)]
pub(crate) struct AdsError {
    pub code: i64,
    pub message: String,
    pub message_cn: String,
    /// The `X-RateLimit-Remaining` value of the answer.
    pub remaining: String,
}

impl AdsError {
    pub fn new(code: i64, message: impl Into<String>, message_cn: impl Into<String>) -> Self {
        AdsError {
            code,
            message: message.into(),
            message_cn: message_cn.into(),
            remaining: super::quota::FULL.to_owned(),
        }
    }

    /// A parameter validation failure (18001).
    pub fn param(message: impl Into<String>) -> Self {
        let message = message.into();
        AdsError::new(18001, message.clone(), format!("参数错误: {message}"))
    }

    /// Sets the `X-RateLimit-Remaining` value of the answer.
    pub fn remaining(mut self, value: impl Into<String>) -> Self {
        self.remaining = value.into();
        self
    }

    pub fn respond(&self, shared: &Shared) -> Response<Body> {
        error_with(shared, self.code, &self.message, &self.message_cn, &self.remaining)
    }
}
