//! `lenient`: tx-core's lenient serde helpers on any JSON value, read both from the raw
//! bytes (borrowed strings) and from a parsed `serde_json::Value` (owned strings).
//!
//! Checks: both readings agree; strings come out trimmed; `map_str_from_any` sees what
//! `string_from_any` keeps; an integer read from a string is that string's number;
//! `u64_from_any` agrees with `i64_from_any` on non-negative values.

use serde::Deserialize;
use serde::de::Deserializer;
use tx_core::lenient;

#[derive(Debug, PartialEq, Deserialize)]
struct I64(#[serde(deserialize_with = "lenient::i64_from_any")] i64);
#[derive(Debug, PartialEq, Deserialize)]
struct OptI64(#[serde(deserialize_with = "lenient::opt_i64_from_any")] Option<i64>);
#[derive(Debug, PartialEq, Deserialize)]
struct U64(#[serde(deserialize_with = "lenient::u64_from_any")] u64);
#[derive(Debug, PartialEq, Deserialize)]
struct Text(#[serde(deserialize_with = "lenient::string_from_any")] String);
#[derive(Debug, PartialEq, Deserialize)]
struct Mapped(#[serde(deserialize_with = "mapped")] String);
#[derive(Debug, PartialEq, Deserialize)]
struct OneOrMany(#[serde(deserialize_with = "lenient::vec_or_single")] Vec<Text>);
#[derive(Debug, PartialEq, Deserialize)]
struct OrNull(#[serde(deserialize_with = "lenient::vec_or_null")] Vec<I64>);

fn mapped<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    lenient::map_str_from_any(d, str::to_owned)
}

/// The value read from the bytes and from the parsed value; they must agree.
fn both<T: for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug>(
    data: &[u8],
    value: &serde_json::Value,
) -> Option<T> {
    let raw = serde_json::from_slice::<T>(data).ok();
    let parsed = T::deserialize(value).ok();
    assert_eq!(raw, parsed, "bytes and value disagree on {}", std::any::type_name::<T>());
    raw
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        // Not JSON: every helper refuses it.
        assert!(serde_json::from_slice::<Text>(data).is_err());
        return;
    };
    let i = both::<I64>(data, &value);
    let o = both::<OptI64>(data, &value);
    let u = both::<U64>(data, &value);
    let t = both::<Text>(data, &value);
    let m = both::<Mapped>(data, &value);
    both::<OrNull>(data, &value);
    if let Some(OneOrMany(items)) = both::<OneOrMany>(data, &value) {
        for Text(s) in items {
            assert_eq!(s.trim(), s);
        }
    }
    if let Some(Text(s)) = &t {
        assert_eq!(s.trim(), s, "string_from_any keeps surrounding whitespace");
        assert_eq!(m.as_ref().map(|Mapped(m)| m), Some(s), "map_str_from_any sees other text");
    }
    if let (Some(I64(n)), serde_json::Value::String(s)) = (&i, &value)
        && !s.trim().is_empty()
    {
        assert_eq!(s.trim().parse::<i64>().ok(), Some(*n), "{s:?} read as {n}");
    }
    match (&i, &u) {
        (Some(I64(n)), Some(U64(v))) => assert_eq!(u64::try_from(*n).ok(), Some(*v)),
        (Some(I64(n)), None) => assert!(*n < 0, "{n} refused as unsigned"),
        (None, Some(U64(v))) => panic!("{v} read as u64 but not as i64"),
        (None, None) => {}
    }
    if let (Some(I64(n)), Some(OptI64(Some(v)))) = (&i, &o) {
        assert_eq!(n, v);
    }
}
