//! Serde helpers for the inconsistent shapes Tencent's documents and servers use.
//!
//! Numbers sometimes arrive as strings (`"exposure_count": "12"`), strings as numbers
//! (`"tmpl_id": 12`), objects where arrays were documented and the reverse. Each helper
//! accepts every documented form and a `null`, which becomes the default.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// Deserializes an `i64` from a JSON number or a numeric string; `null` becomes 0.
pub fn i64_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(I64Visitor)
}

/// Deserializes an optional `i64` from a number, a numeric string, `null` or `""`.
pub fn opt_i64_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_any(OptI64Visitor)
}

/// Deserializes a `u64` from a JSON number or a numeric string; `null` becomes 0.
pub fn u64_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = i64_from_any(d)?;
    u64::try_from(v).map_err(|_| de::Error::custom(format!("expected an unsigned number, got {v}")))
}

/// Deserializes a `String` from a string, a number or a boolean, trimming whitespace;
/// `null` becomes the empty string. Used for ids, which the APIs send either way.
pub fn string_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(StringVisitor)
}

/// Like [`string_from_any`], but hands the (trimmed) text to `read` instead of copying it
/// into a `String`: for values that become enums or flags.
pub fn map_str_from_any<'de, D, T, F>(d: D, read: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> T,
{
    d.deserialize_any(MapStrVisitor(read))
}

/// Deserializes a list that may be sent as a single object, an array or `null`.
pub fn vec_or_single<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<T> {
        Many(Vec<T>),
        One(T),
        Null(()),
    }
    Ok(match OneOrMany::<T>::deserialize(d)? {
        OneOrMany::Many(v) => v,
        OneOrMany::One(t) => vec![t],
        OneOrMany::Null(()) => Vec::new(),
    })
}

/// Deserializes a list where `null` means empty.
pub fn vec_or_null<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

struct I64Visitor;

impl<'de> Visitor<'de> for I64Visitor {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a string holding one")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(format!("integer {v} is out of range")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(v as i64)
        } else {
            Err(E::custom(format!("expected an integer, got {v}")))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(0);
        }
        t.parse().map_err(|_| E::custom(format!("expected an integer, got {v:?}")))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<i64, E> {
        Ok(i64::from(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<i64, E> {
        Ok(0)
    }
    fn visit_none<E: de::Error>(self) -> Result<i64, E> {
        Ok(0)
    }
}

struct OptI64Visitor;

impl<'de> Visitor<'de> for OptI64Visitor {
    type Value = Option<i64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, a string holding one, or null")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        I64Visitor.visit_u64(v).map(Some)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        I64Visitor.visit_f64(v).map(Some)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() { Ok(None) } else { I64Visitor.visit_str(v).map(Some) }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(i64::from(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a number or a boolean")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.trim().to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        if v.trim().len() == v.len() { Ok(v) } else { Ok(v.trim().to_owned()) }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
}

struct MapStrVisitor<F>(F);

impl<'de, T, F: FnOnce(&str) -> T> Visitor<'de> for MapStrVisitor<F> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a number or a boolean")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok((self.0)(v.trim()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok((self.0)(&v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Ok((self.0)(&v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Ok((self.0)(&v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        Ok((self.0)(if v { "true" } else { "false" }))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok((self.0)(""))
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok((self.0)(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapped_strings_see_what_string_from_any_would_keep() {
        #[derive(Deserialize)]
        struct Len(#[serde(deserialize_with = "len_of")] usize);
        fn len_of<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
            map_str_from_any(d, |s| s.len())
        }
        for (json, owned) in
            [(r#"" a\u0062 ""#, "ab"), ("12345", "12345"), ("true", "true"), ("null", ""), ("1.5", "1.5")]
        {
            let Len(n) = serde_json::from_str(json).unwrap();
            assert_eq!(n, owned.len(), "{json}");
            let s: String = string_from_any(&mut serde_json::Deserializer::from_str(json)).unwrap();
            assert_eq!(s, owned, "{json}");
        }
    }

    #[derive(Deserialize, Debug)]
    struct Probe {
        #[serde(default, deserialize_with = "i64_from_any")]
        n: i64,
        #[serde(default, deserialize_with = "opt_i64_from_any")]
        o: Option<i64>,
        #[serde(default, deserialize_with = "string_from_any")]
        s: String,
        #[serde(default, deserialize_with = "vec_or_single")]
        v: Vec<u32>,
    }

    fn probe(json: &str) -> Probe {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn numbers_arrive_as_numbers_or_strings() {
        assert_eq!(probe(r#"{"n": 5}"#).n, 5);
        assert_eq!(probe(r#"{"n": "5"}"#).n, 5);
        assert_eq!(probe(r#"{"n": " 5 "}"#).n, 5);
        assert_eq!(probe(r#"{"n": null}"#).n, 0);
        assert_eq!(probe(r#"{"n": 5178368698}"#).n, 5_178_368_698);
        assert!(serde_json::from_str::<Probe>(r#"{"n": "five"}"#).is_err());
        assert_eq!(probe(r#"{"o": ""}"#).o, None);
        assert_eq!(probe(r#"{"o": "7"}"#).o, Some(7));
    }

    #[test]
    fn strings_arrive_as_strings_or_numbers_and_are_trimmed() {
        assert_eq!(probe(r#"{"s": " 123"}"#).s, "123");
        assert_eq!(probe(r#"{"s": 123}"#).s, "123");
        assert_eq!(probe(r#"{"s": null}"#).s, "");
    }

    #[test]
    fn lists_arrive_as_one_or_many() {
        assert_eq!(probe(r#"{"v": [1, 2]}"#).v, vec![1, 2]);
        assert_eq!(probe(r#"{"v": 3}"#).v, vec![3]);
        assert_eq!(probe(r#"{"v": null}"#).v, Vec::<u32>::new());
        assert_eq!(probe(r#"{}"#).v, Vec::<u32>::new());
    }
}
