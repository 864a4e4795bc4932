//! Golden fixtures: the literal JSON examples of seed 000
//! (`agency_set_mp_amscategory_blacklist`), corrupted as published.
//!
//! The request sample has a corrupted value (`FOOD_AND_初始值` for `FOOD_AND_DRINK`) and a
//! trailing space; the response sample is not JSON at all (`初始值_msg": ""` lost its opening
//! quote, and a `//` comment follows). Both decode without panicking and with a clear
//! outcome: the request parses with one unknown value that validation refuses by name; the
//! response is a decode error, while its repaired form is a success.

use super::{Ack, Action, SetAmsCategoryBlackListRequest};
use crate::{AmsCategory, CategorySet};
use serde::Deserialize;
use tx_core::envelope::EnvelopeError;
use tx_core::envelope::wechat::decode;

const SEED_000_REQUEST: &str = r#"{
    "ams_category": "CHESS|ADULT_SUPPLIES|MEDICAL_HEALTH|INSURANCE|SECURITES|LOAN|LIVING_SERVICES_BEAUTY|LIVING_SERVICES_ENTERTAINMENT|LIVING_SERVICES_OTHERS|FOOD_INDUSTRY|RETAIL_AND_GENERAL_MERCHANDISE|FOOD_AND_初始值|TECHNICAL_SERVICE "
} "#;

const SEED_000_RESPONSE: &str = r#"{
    "ret": 0,
    初始值_msg": "", // Returns only when an interface call fails
} "#;

/// How the emulator (or any server) would read the request body.
#[derive(Deserialize)]
struct ReceivedCategories {
    ams_category: CategorySet,
}

#[test]
fn the_seed_request_parses_with_one_unknown_value_which_validation_names() {
    let received: ReceivedCategories = serde_json::from_str(SEED_000_REQUEST).unwrap();
    let set = received.ams_category;
    assert_eq!(set.len(), 13);
    assert_eq!(set.unknown().collect::<Vec<_>>(), ["FOOD_AND_初始值"]);
    assert!(set.contains(&AmsCategory::TechnicalService), "the trailing space is trimmed");
    assert!(!set.contains(&AmsCategory::FoodAndDrink));
    assert_eq!(set.difference(&CategorySet::all()).to_string(), "FOOD_AND_初始值");
    assert_eq!(CategorySet::all().difference(&set).to_string(), "FOOD_AND_DRINK");

    let request = SetAmsCategoryBlackListRequest { ams_category: set };
    let e = request.validate().unwrap_err();
    assert_eq!(e.field(), Some("ams_category"));
    assert!(e.to_string().contains("\"FOOD_AND_初始值\""), "{e}");

    // Kept as sent (trimmed): a round trip loses nothing.
    let again = serde_json::to_value(&request).unwrap();
    let expected = "CHESS|ADULT_SUPPLIES|MEDICAL_HEALTH|INSURANCE|SECURITES|LOAN|LIVING_SERVICES_BEAUTY|\
                    LIVING_SERVICES_ENTERTAINMENT|LIVING_SERVICES_OTHERS|FOOD_INDUSTRY|RETAIL_AND_GENERAL_MERCHANDISE|\
                    TECHNICAL_SERVICE|FOOD_AND_初始值";
    assert_eq!(again["ams_category"], expected);
}

#[test]
fn the_repaired_seed_request_is_what_we_send_for_every_category() {
    let repaired = SEED_000_REQUEST.replace("FOOD_AND_初始值", "FOOD_AND_DRINK").replace("SERVICE \"", "SERVICE\"");
    let published: serde_json::Value = serde_json::from_str(&repaired).unwrap();
    let ours = SetAmsCategoryBlackListRequest { ams_category: CategorySet::all() };
    assert!(ours.validate().is_ok());
    assert_eq!(serde_json::to_value(&ours).unwrap(), published);
}

#[test]
fn the_seed_response_is_not_json_and_decodes_to_a_clear_error() {
    match decode::<Ack>(SEED_000_RESPONSE.as_bytes()) {
        Err(EnvelopeError::Decode(e)) => assert!(e.is_syntax(), "{e}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    let repaired = SEED_000_RESPONSE
        .replace("初始值_msg\"", "\"err_msg\"")
        .replace(", // Returns only when an interface call fails", "");
    assert_eq!(decode::<Ack>(repaired.as_bytes()).unwrap(), Ack {});
    assert!(
        matches!(decode::<Ack>(br#"{"ret":1737,"err_msg":"too fast"}"#), Err(EnvelopeError::Failure(f)) if f.code == 1737)
    );
}
