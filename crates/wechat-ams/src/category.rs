//! The AMS industry categories a mini program can block, and sets of them.
//!
//! On the wire a set is one string of values joined by `|` (`"CHESS|LOAN"`). The official
//! sample carries a trailing space and a corrupted value, so parsing trims each part, drops
//! empty parts and keeps values this crate does not know: a round trip never loses data,
//! and [`CategorySet::validate`] refuses unknown values before anything is sent.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeSet;
use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;
use tx_core::Error;
use tx_core::lenient;

tx_core::open_str_enum! {
    /// An AMS industry category (`ams_category`). Spellings are the API's own:
    /// [`AmsCategory::Securities`] is `SECURITES` (sic).
    ///
    /// ```
    /// use wechat_ams::AmsCategory;
    /// assert_eq!(AmsCategory::Securities.as_str(), "SECURITES");
    /// assert_eq!(AmsCategory::from_wire("SECURITIES"), AmsCategory::Unknown("SECURITIES".into()));
    /// assert_eq!(AmsCategory::ALL.len(), 13);
    /// ```
    pub enum AmsCategory {
        /// Chess and card games.
        Chess = "CHESS",
        /// Adult products.
        AdultSupplies = "ADULT_SUPPLIES",
        /// Medical and health.
        MedicalHealth = "MEDICAL_HEALTH",
        /// Insurance.
        Insurance = "INSURANCE",
        /// Securities; the API spells it `SECURITES`.
        Securities = "SECURITES",
        /// Loans.
        Loan = "LOAN",
        /// Local services: beauty.
        LivingServicesBeauty = "LIVING_SERVICES_BEAUTY",
        /// Local services: leisure and entertainment.
        LivingServicesEntertainment = "LIVING_SERVICES_ENTERTAINMENT",
        /// Local services: other.
        LivingServicesOthers = "LIVING_SERVICES_OTHERS",
        /// Catering.
        FoodIndustry = "FOOD_INDUSTRY",
        /// Retail and department stores.
        RetailAndGeneralMerchandise = "RETAIL_AND_GENERAL_MERCHANDISE",
        /// Food and beverages.
        FoodAndDrink = "FOOD_AND_DRINK",
        /// Telecom and IT services.
        TechnicalService = "TECHNICAL_SERVICE",
    }
}

impl AmsCategory {
    /// What the category covers, in English.
    pub fn description(&self) -> &'static str {
        match self {
            AmsCategory::Chess => "chess and card games",
            AmsCategory::AdultSupplies => "adult products",
            AmsCategory::MedicalHealth => "medical and health",
            AmsCategory::Insurance => "insurance",
            AmsCategory::Securities => "securities",
            AmsCategory::Loan => "loans",
            AmsCategory::LivingServicesBeauty => "local services: beauty",
            AmsCategory::LivingServicesEntertainment => "local services: leisure and entertainment",
            AmsCategory::LivingServicesOthers => "local services: other",
            AmsCategory::FoodIndustry => "catering",
            AmsCategory::RetailAndGeneralMerchandise => "retail and department stores",
            AmsCategory::FoodAndDrink => "food and beverages",
            AmsCategory::TechnicalService => "telecom and IT services",
            AmsCategory::Unknown(_) => "unknown category",
        }
    }

    /// The bit of a known category in a [`CategorySet`] (its position in [`AmsCategory::ALL`]).
    fn bit(&self) -> Option<u16> {
        AmsCategory::ALL.iter().position(|k| k == self).map(|i| 1 << i)
    }
}

/// The bits of every known category.
const ALL_BITS: u16 = (1 << AmsCategory::ALL.len()) - 1;

/// A set of AMS categories: what `ams_category` holds.
///
/// Ordered deterministically: known categories in the API's order ([`AmsCategory::ALL`]),
/// then unknown values in byte order. It displays and serializes as the wire's pipe string
/// without spaces, and parses leniently (trimmed parts, empty parts dropped, unknown values
/// kept). Equality and the set operations let a fleet "ensure" compare the wanted set with
/// the current one.
///
/// ```
/// use wechat_ams::{AmsCategory, CategorySet};
///
/// let current: CategorySet = "LOAN| CHESS |".parse().unwrap();
/// assert_eq!(current.to_string(), "CHESS|LOAN");
///
/// let wanted = CategorySet::from_iter([AmsCategory::Chess, AmsCategory::Loan, AmsCategory::Insurance]);
/// assert!(current.is_subset(&wanted));
/// assert_eq!(wanted.difference(&current).to_string(), "INSURANCE");
///
/// // The seed's corrupted sample parses; its unknown value is kept and refused before sending.
/// let seed: CategorySet = "CHESS|FOOD_AND_初始值|TECHNICAL_SERVICE ".parse().unwrap();
/// assert_eq!(seed.unknown().collect::<Vec<_>>(), ["FOOD_AND_初始值"]);
/// let err = seed.validate("ams_category").unwrap_err();
/// assert_eq!(err.field(), Some("ams_category"));
/// assert!(err.to_string().contains("FOOD_AND_初始值"));
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct CategorySet {
    known: u16,
    unknown: BTreeSet<String>,
}

impl CategorySet {
    /// The empty set (the wire's `""`: presumably nothing blocked).
    pub fn new() -> Self {
        CategorySet::default()
    }

    /// Every known category.
    pub fn all() -> Self {
        CategorySet { known: ALL_BITS, unknown: BTreeSet::new() }
    }

    /// Parses the wire's pipe string leniently: splits on `|`, trims each part, drops empty
    /// parts, keeps unknown values. Never fails.
    pub fn parse(wire: &str) -> Self {
        wire.split('|').map(str::trim).filter(|p| !p.is_empty()).map(AmsCategory::from_wire).collect()
    }

    /// Adds a category; returns whether it was new.
    pub fn insert(&mut self, category: AmsCategory) -> bool {
        match category.bit() {
            Some(bit) => {
                let new = self.known & bit == 0;
                self.known |= bit;
                new
            }
            None => match category {
                AmsCategory::Unknown(value) => self.unknown.insert(value),
                _ => false,
            },
        }
    }

    /// Removes a category; returns whether it was there.
    pub fn remove(&mut self, category: &AmsCategory) -> bool {
        match (category.bit(), category) {
            (Some(bit), _) => {
                let was = self.known & bit != 0;
                self.known &= !bit;
                was
            }
            (None, AmsCategory::Unknown(value)) => self.unknown.remove(value),
            (None, _) => false,
        }
    }

    /// Whether the set holds `category`.
    pub fn contains(&self, category: &AmsCategory) -> bool {
        match (category.bit(), category) {
            (Some(bit), _) => self.known & bit != 0,
            (None, AmsCategory::Unknown(value)) => self.unknown.contains(value),
            (None, _) => false,
        }
    }

    /// How many categories the set holds, unknown values included.
    pub fn len(&self) -> usize {
        self.known.count_ones() as usize + self.unknown.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.known == 0 && self.unknown.is_empty()
    }

    /// The categories, known ones in the API's order, then unknown values.
    pub fn iter(&self) -> impl Iterator<Item = AmsCategory> + '_ {
        let known = AmsCategory::ALL.iter().enumerate().filter(|(i, _)| self.known & (1 << i) != 0);
        known.map(|(_, c)| c.clone()).chain(self.unknown.iter().map(|v| AmsCategory::Unknown(v.clone())))
    }

    /// The values this crate does not know (a typo, a corrupted sample, a new category).
    pub fn unknown(&self) -> impl Iterator<Item = &str> + '_ {
        self.unknown.iter().map(String::as_str)
    }

    /// Whether the set holds a value this crate does not know.
    pub fn has_unknown(&self) -> bool {
        !self.unknown.is_empty()
    }

    /// The categories in `self` or `other`.
    pub fn union(&self, other: &CategorySet) -> CategorySet {
        CategorySet { known: self.known | other.known, unknown: &self.unknown | &other.unknown }
    }

    /// The categories in both `self` and `other`.
    pub fn intersection(&self, other: &CategorySet) -> CategorySet {
        CategorySet { known: self.known & other.known, unknown: &self.unknown & &other.unknown }
    }

    /// The categories in `self` but not in `other`.
    pub fn difference(&self, other: &CategorySet) -> CategorySet {
        CategorySet { known: self.known & !other.known, unknown: &self.unknown - &other.unknown }
    }

    /// Whether every category of `self` is in `other`.
    pub fn is_subset(&self, other: &CategorySet) -> bool {
        self.known & !other.known == 0 && self.unknown.is_subset(&other.unknown)
    }

    /// Whether every category of `other` is in `self`.
    pub fn is_superset(&self, other: &CategorySet) -> bool {
        other.is_subset(self)
    }

    /// Refuses a set holding a value the API does not document, naming `field` and the
    /// first such value. The empty set is accepted.
    pub fn validate(&self, field: &'static str) -> Result<(), Error> {
        match self.unknown.iter().next() {
            None => Ok(()),
            Some(value) => {
                let spelling =
                    if value.eq_ignore_ascii_case("SECURITIES") { " (the API spells it SECURITES)" } else { "" };
                Err(Error::invalid_input(
                    field,
                    format_args!(
                        "holds {value:?}, which is not an AMS category{spelling}; the categories are {}",
                        CategorySet::all()
                    ),
                ))
            }
        }
    }
}

impl FromIterator<AmsCategory> for CategorySet {
    fn from_iter<I: IntoIterator<Item = AmsCategory>>(iter: I) -> Self {
        let mut set = CategorySet::new();
        set.extend(iter);
        set
    }
}

impl Extend<AmsCategory> for CategorySet {
    fn extend<I: IntoIterator<Item = AmsCategory>>(&mut self, iter: I) {
        for c in iter {
            self.insert(c);
        }
    }
}

impl fmt::Display for CategorySet {
    /// The wire's pipe string, without spaces.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("|")?;
            }
            f.write_str(c.as_str())?;
        }
        Ok(())
    }
}

/// Shows the pipe string.
impl fmt::Debug for CategorySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CategorySet({:?})", self.to_string())
    }
}

impl FromStr for CategorySet {
    type Err = Infallible;

    /// Lenient, like [`CategorySet::parse`]; check with [`CategorySet::validate`].
    fn from_str(s: &str) -> Result<Self, Infallible> {
        Ok(CategorySet::parse(s))
    }
}

impl Serialize for CategorySet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CategorySet {
    /// The pipe string (a `null` is the empty set).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::map_str_from_any(d, CategorySet::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tx_core::ErrorKind;

    #[test]
    fn parsing_trims_drops_empty_parts_and_keeps_unknown_values() {
        let s = CategorySet::parse(" LOAN || CHESS|  |NEW_THING |LOAN");
        assert_eq!(s.len(), 3);
        assert_eq!(s.to_string(), "CHESS|LOAN|NEW_THING");
        assert!(s.contains(&AmsCategory::Loan) && s.contains(&AmsCategory::Unknown("NEW_THING".into())));
        assert!(s.has_unknown());
        assert_eq!(CategorySet::parse(""), CategorySet::new());
        assert_eq!(CategorySet::parse(" | "), CategorySet::new());
        assert!(CategorySet::parse("").validate("ams_category").is_ok());
    }

    #[test]
    fn display_follows_the_declaration_order_whatever_the_insertion_order() {
        let reversed: CategorySet = AmsCategory::ALL.iter().rev().cloned().collect();
        assert_eq!(reversed, CategorySet::all());
        assert_eq!(
            reversed.to_string(),
            "CHESS|ADULT_SUPPLIES|MEDICAL_HEALTH|INSURANCE|SECURITES|LOAN|LIVING_SERVICES_BEAUTY|\
             LIVING_SERVICES_ENTERTAINMENT|LIVING_SERVICES_OTHERS|FOOD_INDUSTRY|\
             RETAIL_AND_GENERAL_MERCHANDISE|FOOD_AND_DRINK|TECHNICAL_SERVICE"
        );
        assert_eq!(CategorySet::all().len(), 13);
        assert!(!CategorySet::all().to_string().contains(' '));
        assert!(!CategorySet::all().to_string().contains("SECURITIES"));
    }

    #[test]
    fn round_trips_never_lose_a_value() {
        for wire in ["CHESS|FOOD_AND_初始值|TECHNICAL_SERVICE", "ZZZ|AAA|LOAN", "LOAN", ""] {
            let once = CategorySet::parse(wire);
            assert_eq!(CategorySet::parse(&once.to_string()), once, "{wire}");
            let json = serde_json::to_string(&once).unwrap();
            assert_eq!(serde_json::from_str::<CategorySet>(&json).unwrap(), once, "{wire}");
        }
        assert_eq!(CategorySet::parse("ZZZ|AAA|LOAN").to_string(), "LOAN|AAA|ZZZ");
    }

    #[test]
    fn set_operations() {
        let a = CategorySet::parse("CHESS|LOAN|X");
        let b = CategorySet::parse("LOAN|INSURANCE|Y");
        assert_eq!(a.union(&b).to_string(), "CHESS|INSURANCE|LOAN|X|Y");
        assert_eq!(a.intersection(&b).to_string(), "LOAN");
        assert_eq!(a.difference(&b).to_string(), "CHESS|X");
        assert_eq!(b.difference(&a).to_string(), "INSURANCE|Y");
        assert!(CategorySet::parse("LOAN").is_subset(&a) && a.is_superset(&CategorySet::parse("X")));
        assert!(!a.is_subset(&b) && !CategorySet::parse("Y").is_subset(&a));
        assert!(CategorySet::new().is_subset(&a));
        assert_ne!(a, b);
        assert_eq!(a, CategorySet::parse("X|LOAN|CHESS "));
    }

    #[test]
    fn insert_and_remove() {
        let mut s = CategorySet::new();
        assert!(s.insert(AmsCategory::Chess));
        assert!(!s.insert(AmsCategory::Chess));
        assert!(s.insert(AmsCategory::Unknown("Q".into())));
        assert!(s.remove(&AmsCategory::Chess) && !s.remove(&AmsCategory::Chess));
        assert!(s.remove(&AmsCategory::Unknown("Q".into())));
        assert!(s.is_empty());
    }

    #[test]
    fn validation_names_the_field_and_the_value() {
        let e = CategorySet::parse("CHESS|SECURITIES").validate("ams_category").unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("ams_category")));
        let text = e.to_string();
        assert!(text.contains("\"SECURITIES\"") && text.contains("spells it SECURITES"), "{text}");
        assert!(CategorySet::all().validate("ams_category").is_ok());
    }

    #[test]
    fn deserializes_from_json_leniently() {
        let s: CategorySet = serde_json::from_str(r#""CHESS|LOAN ""#).unwrap();
        assert_eq!(s.to_string(), "CHESS|LOAN");
        let empty: CategorySet = serde_json::from_str("null").unwrap();
        assert!(empty.is_empty());
        assert_eq!(serde_json::to_string(&s).unwrap(), r#""CHESS|LOAN""#);
        assert_eq!(format!("{s:?}"), r#"CategorySet("CHESS|LOAN")"#);
    }
}
