//! Serde helpers for this platform's shapes: the comma-joined scene list, the black-list
//! entries serialized into a string, flags sent as 0/1, secrets that go onto the wire, and
//! numbers the documents type as booleans or strings.

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{Error as _, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;
use tx_core::Secret;

/// Deserializes an `f64` from a number, a numeric string, a boolean (the documents type
/// some rates as booleans) or `null` (0).
pub(crate) fn f64_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    struct F64Visitor;
    impl Visitor<'_> for F64Visitor {
        type Value = f64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number or a string holding one")
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
            Ok(v as f64)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
            Ok(v as f64)
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<f64, E> {
            Ok(if v { 1.0 } else { 0.0 })
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
            let t = v.trim();
            if t.is_empty() {
                return Ok(0.0);
            }
            t.parse().map_err(|_| E::custom(format!("expected a number, got {v:?}")))
        }
        fn visit_unit<E: de::Error>(self) -> Result<f64, E> {
            Ok(0.0)
        }
        fn visit_none<E: de::Error>(self) -> Result<f64, E> {
            Ok(0.0)
        }
    }
    d.deserialize_any(F64Visitor)
}

/// Parses a comma-joined list of scene ids: parts trimmed, empty parts dropped.
pub(crate) fn parse_scenes(s: &str) -> Result<Vec<u32>, String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<u32>().map_err(|_| format!("scene id {p:?} is not a number")))
        .collect()
}

/// Deserializes scene ids from a comma-joined string, an array of numbers (or numeric
/// strings), a single number, or `null` (none).
pub(crate) fn scenes_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scenes {
        Joined(String),
        List(Vec<ScenePart>),
        One(u32),
        Null(()),
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ScenePart {
        Number(u32),
        Text(String),
    }
    match Scenes::deserialize(d)? {
        Scenes::Joined(s) => parse_scenes(&s).map_err(de::Error::custom),
        Scenes::List(parts) => parts
            .into_iter()
            .map(|p| match p {
                ScenePart::Number(n) => Ok(n),
                ScenePart::Text(t) => {
                    t.trim().parse().map_err(|_| de::Error::custom(format!("scene id {t:?} is not a number")))
                }
            })
            .collect(),
        Scenes::One(n) => Ok(vec![n]),
        Scenes::Null(()) => Ok(Vec::new()),
    }
}

/// Serializes scene ids as the wire's comma-joined string (`"1000,1001"`).
pub(crate) fn serialize_scenes<S: Serializer>(scenes: &[u32], s: S) -> Result<S::Ok, S::Error> {
    let joined: Vec<String> = scenes.iter().map(u32::to_string).collect();
    s.serialize_str(&joined.join(","))
}

/// Serializes a value as a JSON document inside a string (the black-list `list` field).
pub(crate) fn serialize_json_string<T: Serialize, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    let json = serde_json::to_string(value).map_err(S::Error::custom)?;
    s.serialize_str(&json)
}

/// Serializes an optional flag as the wire's 0 or 1.
pub(crate) fn serialize_flag<S: Serializer>(flag: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
    match flag {
        Some(v) => s.serialize_u8(u8::from(*v)),
        None => s.serialize_none(),
    }
}

/// Serializes a secret's value: only for fields that go onto the wire.
pub(crate) fn serialize_secret<S: Serializer>(secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose())
}

/// Deserializes an optional secret; `null` and `""` are none.
pub(crate) fn opt_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()).map(Secret::new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Probe {
        #[serde(default, deserialize_with = "f64_from_any")]
        f: f64,
        #[serde(default, deserialize_with = "scenes_from_any")]
        s: Vec<u32>,
    }

    fn probe(json: &str) -> Probe {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn floats_arrive_as_numbers_strings_or_booleans() {
        assert_eq!(probe(r#"{"f": 1.25}"#).f, 1.25);
        assert_eq!(probe(r#"{"f": 3}"#).f, 3.0);
        assert_eq!(probe(r#"{"f": " 0.5 "}"#).f, 0.5);
        assert_eq!(probe(r#"{"f": ""}"#).f, 0.0);
        assert_eq!(probe(r#"{"f": null}"#).f, 0.0);
        assert_eq!(probe(r#"{"f": true}"#).f, 1.0);
        assert!(serde_json::from_str::<Probe>(r#"{"f": "high"}"#).is_err());
    }

    #[test]
    fn scenes_arrive_joined_or_listed() {
        assert_eq!(probe(r#"{"s": "1000, 1001 ,,1007"}"#).s, [1000, 1001, 1007]);
        assert_eq!(probe(r#"{"s": ""}"#).s, Vec::<u32>::new());
        assert_eq!(probe(r#"{"s": [1000, "1001"]}"#).s, [1000, 1001]);
        assert_eq!(probe(r#"{"s": 1089}"#).s, [1089]);
        assert_eq!(probe(r#"{"s": null}"#).s, Vec::<u32>::new());
        let e = serde_json::from_str::<Probe>(r#"{"s": "1000,abc"}"#).unwrap_err().to_string();
        assert!(e.contains("\"abc\""), "{e}");
    }
}
