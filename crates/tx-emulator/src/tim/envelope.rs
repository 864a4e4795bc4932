//! The TIM response envelope: `ActionStatus`, `ErrorCode`, `ErrorInfo`, `ErrorDisplay`,
//! always with HTTP 200.

use crate::stats::Outcome;
use axum::body::Body;
use axum::http::{HeaderValue, Response, header};
use serde::Serialize;

/// A failure of the whole request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TimError {
    pub code: i64,
    pub info: String,
}

impl TimError {
    pub fn new(code: i64, info: impl Into<String>) -> Self {
        TimError { code, info: info.into() }
    }
}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    #[serde(flatten)]
    body: &'a T,
    #[serde(rename = "ActionStatus")]
    action_status: &'static str,
    #[serde(rename = "ErrorCode")]
    error_code: i64,
    #[serde(rename = "ErrorInfo")]
    error_info: &'a str,
    #[serde(rename = "ErrorDisplay")]
    error_display: &'a str,
}

#[derive(Serialize)]
struct Empty {}

fn json_response(bytes: Vec<u8>, outcome: Outcome) -> Response<Body> {
    let mut resp = Response::new(Body::from(bytes));
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp.extensions_mut().insert(outcome);
    resp
}

/// A successful answer carrying `body`'s fields; `item_codes` are the codes of failed items.
pub(crate) fn ok<T: Serialize>(body: &T, item_codes: Vec<i64>) -> Response<Body> {
    let env = Envelope { body, action_status: "OK", error_code: 0, error_info: "", error_display: "" };
    let bytes = serde_json::to_vec(&env).unwrap_or_default();
    json_response(bytes, Outcome { code: 0, item_codes })
}

/// A successful answer with only the envelope.
pub(crate) fn ok_empty() -> Response<Body> {
    ok(&Empty {}, Vec::new())
}

/// A failed answer.
pub(crate) fn fail(err: &TimError) -> Response<Body> {
    let env = Envelope {
        body: &Empty {},
        action_status: "FAIL",
        error_code: err.code,
        error_info: &err.info,
        error_display: "",
    };
    let bytes = serde_json::to_vec(&env).unwrap_or_default();
    json_response(bytes, Outcome { code: err.code, item_codes: Vec::new() })
}

/// The `ErrorInfo` the emulator uses for a code it injects.
pub(crate) fn injected_info(code: i64) -> String {
    let text = match code {
        30006 => "Err_SNS_Internal_Error: internal server error, please retry",
        30007 => "Err_SNS_Timeout: timeout, please retry later",
        60007 => "REST API call frequency exceeds the limit",
        60011 => "SDKAppID call frequency exceeds the limit",
        _ => "injected by tx-emulator",
    };
    text.to_owned()
}
