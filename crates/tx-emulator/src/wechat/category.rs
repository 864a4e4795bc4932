//! `agency_{get,set}_mp_amscategory_blacklist`: the 13 industry categories.

use super::envelope::{ams_error, ams_ok};
use super::state::Authorizer;
use axum::body::Body;
use axum::http::Response;
use serde_json::{Map, Value, json};

/// The 13 documented values in their documented order, spelled exactly (`SECURITES` sic).
pub(crate) const CATEGORIES: [&str; 13] = [
    "CHESS",
    "ADULT_SUPPLIES",
    "MEDICAL_HEALTH",
    "INSURANCE",
    "SECURITES",
    "LOAN",
    "LIVING_SERVICES_BEAUTY",
    "LIVING_SERVICES_ENTERTAINMENT",
    "LIVING_SERVICES_OTHERS",
    "FOOD_INDUSTRY",
    "RETAIL_AND_GENERAL_MERCHANDISE",
    "FOOD_AND_DRINK",
    "TECHNICAL_SERVICE",
];

/// Splits on `|`, trims each part, drops empty parts; every part must be one of the 13
/// values (case-sensitive). Returns them deduplicated in the documented order, or the
/// first invalid part.
pub(crate) fn parse(text: &str) -> Result<Vec<&'static str>, String> {
    let mut set = [false; 13];
    for part in text.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let i = CATEGORIES.iter().position(|c| *c == part).ok_or_else(|| part.to_owned())?;
        set[i] = true;
    }
    Ok(CATEGORIES.iter().zip(set).filter(|(_, on)| *on).map(|(c, _)| *c).collect())
}

/// `agency_get_mp_amscategory_blacklist`: `{"ams_category": "A|B"}`.
pub(crate) fn get(a: &Authorizer) -> Response<Body> {
    let mut m = Map::new();
    m.insert("ams_category".to_owned(), json!(a.categories.join("|")));
    ams_ok(m)
}

/// `agency_set_mp_amscategory_blacklist`: replaces the whole set. Missing or not a string:
/// ret 1700; a value outside the 13: ret 1701. An empty string clears the set.
pub(crate) fn set(a: &mut Authorizer, body: &Map<String, Value>) -> Response<Body> {
    let text = match body.get("ams_category") {
        Some(Value::String(s)) => s,
        Some(_) => return ams_error(1700, "ams_category must be a string"),
        None => return ams_error(1700, "ams_category is required"),
    };
    match parse(text) {
        Ok(cats) => {
            a.categories = cats;
            ams_ok(Map::new())
        }
        Err(bad) => ams_error(1701, &format!("invalid ams_category value {bad:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_trims_dedups_and_orders() {
        assert_eq!(parse(" LOAN | CHESS|LOAN|| ").unwrap(), vec!["CHESS", "LOAN"]);
        assert_eq!(parse("").unwrap(), Vec::<&str>::new());
        assert_eq!(parse("SECURITIES").unwrap_err(), "SECURITIES");
        assert_eq!(parse("chess").unwrap_err(), "chess");
        assert_eq!(parse(&CATEGORIES.join("|")).unwrap(), CATEGORIES.to_vec());
    }
}
