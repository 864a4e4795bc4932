//! Reading request fields with the error codes TIM uses for bad parameters.

use super::envelope::TimError;
use serde_json::{Map, Value};

/// A parsed JSON object body and the code its field errors get (30001 for SNS,
/// 70402 for account import).
pub(crate) struct Body<'a> {
    obj: &'a Map<String, Value>,
    code: i64,
}

impl<'a> Body<'a> {
    pub fn new(obj: &'a Map<String, Value>, code: i64) -> Self {
        Body { obj, code }
    }

    pub fn err(&self, info: impl Into<String>) -> TimError {
        TimError::new(self.code, info)
    }

    pub fn raw(&self, name: &str) -> Option<&'a Value> {
        self.obj.get(name)
    }

    /// A required, non-empty string.
    pub fn string(&self, name: &str) -> Result<&'a str, TimError> {
        match self.obj.get(name) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s),
            Some(Value::String(_)) => Err(self.err(format!("{name} is empty"))),
            Some(_) => Err(self.err(format!("{name} must be a string"))),
            None => Err(self.err(format!("{name} is required"))),
        }
    }

    /// An optional string.
    pub fn opt_string(&self, name: &str) -> Result<Option<&'a str>, TimError> {
        match self.obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.err(format!("{name} must be a string"))),
        }
    }

    /// A required array of strings with 1..=max entries.
    pub fn strings(&self, name: &str, max: usize) -> Result<Vec<&'a str>, TimError> {
        match self.opt_strings(name)? {
            None => Err(self.err(format!("{name} is required"))),
            Some(v) if v.is_empty() => Err(self.err(format!("{name} is empty"))),
            Some(v) if v.len() > max => Err(self.err(format!("{name} has {} entries, more than {max}", v.len()))),
            Some(v) => Ok(v),
        }
    }

    /// An optional array of strings (no length rule).
    pub fn opt_strings(&self, name: &str) -> Result<Option<Vec<&'a str>>, TimError> {
        match self.obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().ok_or_else(|| self.err(format!("{name} must hold strings only"))))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(self.err(format!("{name} must be an array of strings"))),
        }
    }

    /// A required array of objects with 1..=max entries.
    pub fn objects(&self, name: &str, max: usize) -> Result<Vec<Body<'a>>, TimError> {
        let items = match self.obj.get(name) {
            Some(Value::Array(items)) => items,
            Some(_) => return Err(self.err(format!("{name} must be an array"))),
            None => return Err(self.err(format!("{name} is required"))),
        };
        if items.is_empty() {
            return Err(self.err(format!("{name} is empty")));
        }
        if items.len() > max {
            return Err(self.err(format!("{name} has {} entries, more than {max}", items.len())));
        }
        items
            .iter()
            .map(|v| {
                v.as_object()
                    .map(|o| Body::new(o, self.code))
                    .ok_or_else(|| self.err(format!("{name} must hold objects")))
            })
            .collect()
    }

    /// An optional integer (JSON number).
    pub fn opt_int(&self, name: &str) -> Result<Option<i64>, TimError> {
        match self.obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| self.err(format!("{name} must be an integer"))),
        }
    }

    /// A required integer.
    pub fn int(&self, name: &str) -> Result<i64, TimError> {
        self.opt_int(name)?.ok_or_else(|| self.err(format!("{name} is required")))
    }
}
