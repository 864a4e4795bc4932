//! Encoding of GET requests into query parameters.
//!
//! Every GET parameter goes in the query. Scalars are sent as plain text; arrays and
//! objects are JSON-serialized (compact, fields in declaration order), then URL-encoded by
//! whoever builds the URL:
//!
//! ```
//! use tencent_ads::query::query_pairs;
//! use tencent_ads::WatermarksGetRequest;
//!
//! let request = WatermarksGetRequest::new(1_234).with_record_ids(["113"]).with_fields(["record_id", "status"]);
//! let pairs = query_pairs(&request)?;
//! let text: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.expose())).collect();
//! assert_eq!(
//!     text,
//!     [
//!         ("account_id", "1234"),
//!         ("filtering", r#"[{"field":"record_id","operator":"IN","values":["113"]}]"#),
//!         ("page", "1"),
//!         ("page_size", "100"),
//!         ("fields", r#"["record_id","status"]"#),
//!     ]
//! );
//! # Ok::<(), tx_core::Error>(())
//! ```

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeStruct, Serializer};
use std::borrow::Cow;
use std::fmt;
use tx_core::{Error, ErrorKind, Secret};

/// One query parameter value: text, or a secret that only [`QueryArg::expose`] reveals.
///
/// `Debug` prints secrets as `***`, so a list of pairs can be logged.
#[derive(Clone, PartialEq, Eq)]
pub enum QueryArg<'a> {
    /// A plain value (a number, a string, or JSON text for arrays and objects).
    Text(Cow<'a, str>),
    /// A credential (`client_secret`, `refresh_token`, an authorization code).
    Secret(&'a Secret),
}

impl QueryArg<'_> {
    /// The value to put on the wire. Call only where the URL is built.
    pub fn expose(&self) -> &str {
        match self {
            QueryArg::Text(t) => t,
            QueryArg::Secret(s) => s.expose(),
        }
    }

    /// Whether the value is a credential that logs and errors must not show.
    pub fn is_secret(&self) -> bool {
        matches!(self, QueryArg::Secret(_))
    }
}

impl fmt::Debug for QueryArg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryArg::Text(t) => fmt::Debug::fmt(t, f),
            QueryArg::Secret(_) => f.write_str("***"),
        }
    }
}

impl<'a> From<&'a str> for QueryArg<'a> {
    fn from(value: &'a str) -> Self {
        QueryArg::Text(Cow::Borrowed(value))
    }
}

impl From<String> for QueryArg<'_> {
    fn from(value: String) -> Self {
        QueryArg::Text(Cow::Owned(value))
    }
}

impl<'a> From<&'a Secret> for QueryArg<'a> {
    fn from(value: &'a Secret) -> Self {
        QueryArg::Secret(value)
    }
}

/// Query parameters in the order they are sent.
pub type QueryPairs<'a> = Vec<(&'static str, QueryArg<'a>)>;

/// Encodes a GET request (any struct that serializes its fields) as query parameters:
/// strings as they are, numbers and booleans as text, arrays and objects as compact JSON;
/// `None` fields (and fields skipped by serde) are left out.
///
/// Fails only for a value that is not a struct, or one that cannot be serialized.
pub fn query_pairs<T: Serialize + ?Sized>(request: &T) -> Result<QueryPairs<'static>, Error> {
    request.serialize(TopLevel).map_err(|e| Error::other(ErrorKind::InvalidInput, e.0.clone(), e))
}

/// Why a value could not be encoded.
#[derive(Debug)]
struct EncodeError(String);

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl ser::Error for EncodeError {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        EncodeError(msg.to_string())
    }
}

fn not_a_struct<T>() -> Result<T, EncodeError> {
    Err(EncodeError("a GET request must be a struct of query parameters".to_owned()))
}

/// The serializer of the request itself: accepts only a struct.
struct TopLevel;

macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ret, EncodeError> { not_a_struct() })*
    };
}

impl Serializer for TopLevel {
    type Ok = QueryPairs<'static>;
    type Error = EncodeError;
    type SerializeSeq = Impossible<Self::Ok, EncodeError>;
    type SerializeTuple = Impossible<Self::Ok, EncodeError>;
    type SerializeTupleStruct = Impossible<Self::Ok, EncodeError>;
    type SerializeTupleVariant = Impossible<Self::Ok, EncodeError>;
    type SerializeMap = Impossible<Self::Ok, EncodeError>;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Impossible<Self::Ok, EncodeError>;

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Fields, EncodeError> {
        Ok(Fields(Vec::with_capacity(len)))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Self::Ok, EncodeError> {
        value.serialize(self)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, EncodeError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Self::Ok, EncodeError> {
        not_a_struct()
    }

    refuse! {
        serialize_bool(bool) -> Self::Ok;
        serialize_i8(i8) -> Self::Ok;
        serialize_i16(i16) -> Self::Ok;
        serialize_i32(i32) -> Self::Ok;
        serialize_i64(i64) -> Self::Ok;
        serialize_u8(u8) -> Self::Ok;
        serialize_u16(u16) -> Self::Ok;
        serialize_u32(u32) -> Self::Ok;
        serialize_u64(u64) -> Self::Ok;
        serialize_f32(f32) -> Self::Ok;
        serialize_f64(f64) -> Self::Ok;
        serialize_char(char) -> Self::Ok;
        serialize_str(&str) -> Self::Ok;
        serialize_bytes(&[u8]) -> Self::Ok;
        serialize_none() -> Self::Ok;
        serialize_unit() -> Self::Ok;
        serialize_unit_struct(&'static str) -> Self::Ok;
        serialize_unit_variant(&'static str, u32, &'static str) -> Self::Ok;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}

/// The fields of the request, each encoded on its own.
struct Fields(QueryPairs<'static>);

impl SerializeStruct for Fields {
    type Ok = QueryPairs<'static>;
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), EncodeError> {
        let json = serde_json::to_string(value).map_err(|e| EncodeError(format!("{key}: {e}")))?;
        let text = match json.as_bytes().first() {
            Some(b'n') => return Ok(()), // null: the parameter is not sent
            Some(b'"') => serde_json::from_str::<String>(&json).map_err(|e| EncodeError(format!("{key}: {e}")))?,
            _ => json, // numbers and booleans as they are, arrays and objects as JSON
        };
        self.0.push((key, QueryArg::Text(Cow::Owned(text))));
        Ok(())
    }

    fn end(self) -> Result<Self::Ok, EncodeError> {
        Ok(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Probe<'a> {
        account_id: i64,
        organization_id: Option<i64>,
        flag: bool,
        name: &'a str,
        fields: Vec<&'a str>,
        nested: BTreeMap<&'a str, u8>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        skipped: Vec<u8>,
        ratio: f64,
    }

    fn text(pairs: &QueryPairs<'_>) -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, v.expose().to_owned())).collect()
    }

    #[test]
    fn scalars_are_plain_and_the_rest_is_json() {
        let probe = Probe {
            account_id: 5_178_368_698,
            organization_id: None,
            flag: true,
            name: "图片 \"1\"",
            fields: vec!["record_id", "status"],
            nested: BTreeMap::from([("a", 1)]),
            skipped: vec![],
            ratio: 2.5,
        };
        assert_eq!(
            text(&query_pairs(&probe).unwrap()),
            [
                ("account_id", "5178368698".to_owned()),
                ("flag", "true".to_owned()),
                ("name", "图片 \"1\"".to_owned()),
                ("fields", r#"["record_id","status"]"#.to_owned()),
                ("nested", r#"{"a":1}"#.to_owned()),
                ("ratio", "2.5".to_owned()),
            ]
        );
    }

    #[test]
    fn only_structs_are_requests() {
        for e in [query_pairs(&5).unwrap_err(), query_pairs(&["a"]).unwrap_err(), query_pairs("x").unwrap_err()] {
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(e.to_string().contains("struct of query parameters"), "{e}");
        }
        #[derive(Serialize)]
        struct Wrapper(Probe2);
        #[derive(Serialize)]
        struct Probe2 {
            page: u32,
        }
        assert_eq!(text(&query_pairs(&Wrapper(Probe2 { page: 0 })).unwrap()), [("page", "0".to_owned())]);
    }

    #[test]
    fn secrets_never_reach_debug_output() {
        let secret = Secret::new("cs-123");
        let pairs: QueryPairs<'_> = vec![("client_id", "7".into()), ("client_secret", (&secret).into())];
        let printed = format!("{pairs:?}");
        assert!(!printed.contains("cs-123"), "{printed}");
        assert!(printed.contains("***") && printed.contains("\"7\""), "{printed}");
        assert_eq!(pairs[1].1.expose(), "cs-123");
        assert!(pairs[1].1.is_secret() && !pairs[0].1.is_secret());
    }
}
