//! Lenient decoders for the model boundary: unfilled values (`""`, `null`, absent) become
//! `None`, ids are trimmed, numbers may arrive as strings.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use tx_core::lenient;
use tx_core::{Secret, WireEnum};

/// An id or a text (name, URL, reason), trimmed, from a string or a number; blank text and
/// `null` become `None`.
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = lenient::string_from_any(d)?;
    Ok((!s.is_empty()).then_some(s))
}

/// A non-negative count or duration from a number or a numeric string; `""` and `null`
/// become `None`.
pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match lenient::opt_i64_from_any(d)? {
        None => Ok(None),
        Some(v) => u64::try_from(v).map(Some).map_err(|_| D::Error::custom(format!("expected a count, got {v}"))),
    }
}

/// A wire enum; `""` and `null` become `None`.
pub(crate) fn opt_enum<'de, D: Deserializer<'de>, T: WireEnum>(d: D) -> Result<Option<T>, D::Error> {
    lenient::map_str_from_any(d, |s| (!s.is_empty()).then(|| T::from_wire(s)))
}

/// A wire enum that the answer always carries; a missing one is the empty unknown value.
pub(crate) fn missing_enum<T: WireEnum>() -> T {
    T::from_wire("")
}

/// An object that may be `null`, which becomes its default.
pub(crate) fn or_default<'de, D: Deserializer<'de>, T: serde::Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A credential; `""` and `null` become `None`.
pub(crate) fn opt_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
    let s = Option::<String>::deserialize(d)?;
    Ok(s.filter(|s| !s.is_empty()).map(Secret::new))
}

#[cfg(test)]
mod tests {
    use super::*;

    tx_core::open_str_enum! {
        /// A probe enum.
        pub enum Color {
            /// Red.
            Red = "RED",
        }
    }

    #[derive(Deserialize, Debug)]
    struct Probe {
        #[serde(default, deserialize_with = "opt_string")]
        id: Option<String>,
        #[serde(default, deserialize_with = "opt_string")]
        text: Option<String>,
        #[serde(default, deserialize_with = "opt_u64")]
        n: Option<u64>,
        #[serde(default, deserialize_with = "opt_enum")]
        color: Option<Color>,
        #[serde(default, deserialize_with = "opt_secret")]
        secret: Option<Secret>,
    }

    fn probe(json: &str) -> Probe {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn unfilled_values_are_none() {
        let p = probe(r#"{"id": "", "text": " ", "n": "", "color": "", "secret": ""}"#);
        assert!(p.id.is_none() && p.text.is_none() && p.n.is_none() && p.color.is_none() && p.secret.is_none());
        let p = probe(r#"{"id": null, "text": null, "n": null, "color": null, "secret": null}"#);
        assert!(p.id.is_none() && p.text.is_none() && p.n.is_none() && p.color.is_none() && p.secret.is_none());
        let p = probe("{}");
        assert!(p.id.is_none() && p.text.is_none() && p.n.is_none() && p.color.is_none() && p.secret.is_none());
    }

    #[test]
    fn filled_values_are_read_leniently() {
        let p = probe(r#"{"id": " 123", "text": " 图片 1", "n": "86400", "color": " RED ", "secret": "tok"}"#);
        assert_eq!(p.id.as_deref(), Some("123"));
        assert_eq!(p.text.as_deref(), Some("图片 1"));
        assert_eq!(p.n, Some(86_400));
        assert_eq!(p.color, Some(Color::Red));
        assert_eq!(p.secret.unwrap().expose(), "tok");
        assert_eq!(probe(r#"{"id": 456, "n": 7, "color": "BLUE"}"#).id.as_deref(), Some("456"));
        assert_eq!(probe(r#"{"color": "BLUE"}"#).color, Some(Color::Unknown("BLUE".into())));
        assert!(serde_json::from_str::<Probe>(r#"{"n": -1}"#).is_err());
    }
}
