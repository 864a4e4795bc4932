//! Reading AMS request fields: a missing or mistyped field is ret 1700, a value the action
//! does not accept ret 1701.

use super::dates;
use super::envelope::AmsError;
use serde_json::{Map, Value};

/// The most days a statistics or settlement range may span.
pub(crate) const MAX_RANGE_DAYS: i64 = 366;

/// An AMS request body.
pub(crate) struct Params<'a>(pub &'a Map<String, Value>);

impl<'a> Params<'a> {
    /// A required string (may be empty).
    pub fn string(&self, name: &str) -> Result<&'a str, AmsError> {
        match self.0.get(name) {
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(AmsError::missing(format!("{name} must be a string"))),
            None => Err(AmsError::missing(format!("{name} is required"))),
        }
    }

    /// A required, non-blank string.
    pub fn text(&self, name: &str) -> Result<&'a str, AmsError> {
        let s = self.string(name)?;
        if s.trim().is_empty() {
            return Err(AmsError::invalid(format!("{name} must not be empty")));
        }
        Ok(s)
    }

    /// An optional string.
    pub fn opt_string(&self, name: &str) -> Result<Option<&'a str>, AmsError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.string(name).map(Some),
        }
    }

    /// An optional integer (a JSON number).
    pub fn opt_int(&self, name: &str) -> Result<Option<i64>, AmsError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| AmsError::missing(format!("{name} must be an integer"))),
        }
    }

    /// A required integer.
    pub fn int(&self, name: &str) -> Result<i64, AmsError> {
        self.opt_int(name)?.ok_or_else(|| AmsError::missing(format!("{name} is required")))
    }

    /// `page` (≥ 1) and `page_size` (1..=`max`), both required.
    pub fn page(&self, max: i64) -> Result<(usize, usize), AmsError> {
        let page = self.int("page")?;
        let size = self.int("page_size")?;
        if page < 1 {
            return Err(AmsError::invalid("page starts at 1"));
        }
        if !(1..=max).contains(&size) {
            return Err(AmsError::invalid(format!("page_size must be 1..={max}")));
        }
        Ok((page as usize, size as usize))
    }

    /// `start_date` and `end_date` (`yyyy-mm-dd`, start ≤ end, at most
    /// [`MAX_RANGE_DAYS`] days) as day numbers.
    pub fn range(&self) -> Result<(i64, i64), AmsError> {
        let start = self.string("start_date")?;
        let end = self.string("end_date")?;
        let (Some(s), Some(e)) = (dates::parse(start), dates::parse(end)) else {
            return Err(AmsError::invalid("start_date and end_date must be yyyy-mm-dd"));
        };
        if s > e {
            return Err(AmsError::invalid("start_date is after end_date"));
        }
        if e - s >= MAX_RANGE_DAYS {
            return Err(AmsError::invalid(format!("the range spans more than {MAX_RANGE_DAYS} days")));
        }
        Ok((s, e))
    }
}

/// The `page`-th page of `items` of `size`.
pub(crate) fn page_of<T>(items: Vec<T>, page: usize, size: usize) -> Vec<T> {
    items.into_iter().skip((page - 1).saturating_mul(size)).take(size).collect()
}
