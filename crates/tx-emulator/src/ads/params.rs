//! Reading Marketing API parameters (18001 unless noted): the account (bound to the
//! token), the organization, enums, arrays, strings without forbidden characters,
//! `filtering`, paging and `fields`.

use super::auth::Caller;
use super::envelope::AdsError;
use serde_json::{Map, Value};

/// Characters no value may contain (reference §1). `/` is allowed in warning texts: the
/// texts the documentation prescribes contain it (`贷款额度/放款时间…`).
const FORBIDDEN: [char; 9] = ['<', '>', '&', '\'', '"', '\\', '\t', '\n', '\r'];

fn no_account() -> AdsError {
    AdsError::new(12201, "account_id is invalid.", "account_id 无效")
}

/// The account a call is for: `account_id` when given (a JSON integer in a body, digits in
/// a query; 18001 for a body string, 12201 for a query that is not digits), else the
/// token's only account (18001 when it has several); it must be one of the token's
/// accounts (12203).
pub(crate) fn account(caller: &Caller, value: Option<&Value>, from_query: bool) -> Result<u64, AdsError> {
    let id = match value {
        None | Some(Value::Null) => match caller.accounts.as_slice() {
            [only] => *only,
            _ => return Err(AdsError::param("account_id is required")),
        },
        Some(Value::Number(n)) => n.as_u64().ok_or_else(no_account)?,
        Some(Value::String(s)) if from_query => s.trim().parse::<u64>().map_err(|_| no_account())?,
        Some(_) => return Err(AdsError::param("account_id must be an integer")),
    };
    if !caller.accounts.contains(&id) {
        return Err(AdsError::new(12203, "You have no permission on this account.", "您没有该账户的操作权限"));
    }
    Ok(id)
}

/// `organization_id`: an integer 0..=9999999999 when present.
pub(crate) fn organization(value: Option<&Value>) -> Result<(), AdsError> {
    match value {
        None | Some(Value::Null) => Ok(()),
        Some(v) => match v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())) {
            Some(n) if n <= 9_999_999_999 => Ok(()),
            _ => Err(AdsError::param("organization_id must be an integer in 0..=9999999999")),
        },
    }
}

/// A required enum field, one of `allowed`.
pub(crate) fn one_of<'a>(body: &'a Map<String, Value>, name: &str, allowed: &[&str]) -> Result<&'a str, AdsError> {
    match body.get(name) {
        Some(Value::String(s)) if allowed.contains(&s.as_str()) => Ok(s),
        Some(v) => Err(AdsError::param(format!("{name} {v} is not a valid value; allowed: {}", allowed.join(", ")))),
        None => Err(AdsError::param(format!("{name} is required"))),
    }
}

/// A required array of 1..=`max` items.
pub(crate) fn array<'a>(value: Option<&'a Value>, name: &str, max: usize) -> Result<&'a Vec<Value>, AdsError> {
    match value {
        Some(Value::Array(v)) if v.is_empty() => Err(AdsError::param(format!("{name} must have at least 1 item"))),
        Some(Value::Array(v)) if v.len() > max => Err(AdsError::param(format!("{name} must have at most {max} items"))),
        Some(Value::Array(v)) => Ok(v),
        Some(_) => Err(AdsError::param(format!("{name} must be an array"))),
        None => Err(AdsError::param(format!("{name} is required"))),
    }
}

/// A non-empty string without forbidden characters (trimmed).
pub(crate) fn clean<'a>(value: Option<&'a Value>, name: &str) -> Result<&'a str, AdsError> {
    match value {
        Some(Value::String(s)) if s.trim().is_empty() => Err(AdsError::param(format!("{name} must not be empty"))),
        Some(Value::String(s)) if s.contains(FORBIDDEN) => {
            Err(AdsError::param(format!("{name} must not contain < > & ' \" \\ TAB LF CR")))
        }
        Some(Value::String(s)) => Ok(s.trim()),
        Some(_) => Err(AdsError::param(format!("{name} must be a string"))),
        None => Err(AdsError::param(format!("{name} is required"))),
    }
}

/// An integer query parameter with a default.
pub(crate) fn int_param(params: &[(String, String)], name: &str, default: i64) -> Result<i64, AdsError> {
    match super::auth::param(params, name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| AdsError::param(format!("{name} must be an integer"))),
    }
}

/// `filtering`: a JSON array of `{field, operator, values}` on `field`, with operators
/// from `operators` (`EQUALS` takes exactly one value), at most `max` items; the values of
/// each item.
pub(crate) fn filtering(
    text: Option<&str>,
    field: &str,
    operators: &[&str],
    max: usize,
) -> Result<Vec<Vec<String>>, AdsError> {
    let Some(text) = text else { return Ok(Vec::new()) };
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Err(AdsError::param("filtering must be a JSON array"));
    };
    if items.len() > max {
        return Err(AdsError::param(format!("filtering takes at most {max} items")));
    }
    items
        .iter()
        .map(|item| {
            if item.get("field").and_then(Value::as_str) != Some(field) {
                return Err(AdsError::param(format!("filtering[].field must be {field}")));
            }
            let values: Vec<String> = match item.get("values") {
                Some(Value::Array(v)) if !v.is_empty() => v
                    .iter()
                    .map(|x| x.as_str().map(|s| s.trim().to_owned()))
                    .collect::<Option<_>>()
                    .ok_or_else(|| AdsError::param("filtering[].values must hold strings"))?,
                _ => return Err(AdsError::param("filtering[].values must be a non-empty array")),
            };
            match item.get("operator").and_then(Value::as_str) {
                Some(op) if !operators.contains(&op) => {
                    Err(AdsError::param(format!("filtering[].operator must be one of {}", operators.join(", "))))
                }
                Some("EQUALS") if values.len() != 1 => {
                    Err(AdsError::param("filtering operator EQUALS takes exactly one value"))
                }
                Some(_) => Ok(values),
                None => Err(AdsError::param("filtering[].operator is required")),
            }
        })
        .collect()
}

/// `fields`: a JSON array of names from `known` (12008 if not an array of strings, 12009
/// for an unknown name); all of `known` when absent.
pub(crate) fn fields(text: Option<&str>, known: &[&'static str]) -> Result<Vec<&'static str>, AdsError> {
    let Some(text) = text else { return Ok(known.to_vec()) };
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Err(AdsError::new(12008, "fields must be a JSON array of field names.", "fields 格式错误"));
    };
    items
        .iter()
        .map(|v| {
            let name =
                v.as_str().ok_or_else(|| AdsError::new(12008, "fields must hold strings.", "fields 格式错误"))?;
            known.iter().find(|f| **f == name).copied().ok_or_else(|| {
                AdsError::new(12009, format!("fields: unknown field {name}."), format!("fields 中的字段 {name} 不存在"))
            })
        })
        .collect()
}

/// The body as a JSON object (12003 otherwise).
pub(crate) fn body(raw: &[u8]) -> Result<Map<String, Value>, AdsError> {
    match serde_json::from_slice(raw) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(AdsError::new(12003, "The request body is not valid JSON.", "请求体不是合法的 JSON")),
    }
}
