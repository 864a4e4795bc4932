//! Writing the JSON document and wrapping it (§4–§5).

use super::codec::{ZlibLevel, base64_encode};
use super::content::{SignedFields, SigningKey};
use serde::Serialize;

/// The document, keys in the order of the official Go and Python libraries.
#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "TLS.ver")]
    version: &'static str,
    #[serde(rename = "TLS.identifier")]
    identifier: &'a str,
    #[serde(rename = "TLS.sdkappid")]
    sdk_app_id: u32,
    #[serde(rename = "TLS.expire")]
    expire: u64,
    #[serde(rename = "TLS.time")]
    time: u64,
    #[serde(rename = "TLS.userbuf", skip_serializing_if = "Option::is_none")]
    userbuf: Option<&'a str>,
    #[serde(rename = "TLS.sig")]
    sig: &'a str,
}

/// Produces the UserSig string: the signed document, compact, compressed at `level`.
pub(crate) fn usersig(
    key: &SigningKey,
    level: ZlibLevel,
    sdk_app_id: u32,
    identifier: &str,
    time: u64,
    expire: u64,
    userbuf: Option<&[u8]>,
) -> String {
    let userbuf = userbuf.map(base64_encode);
    let fields = SignedFields {
        identifier,
        sdk_app_id: u64::from(sdk_app_id),
        time,
        expire: i64::try_from(expire).expect("the signer refuses lifetimes past i64::MAX"),
        userbuf_base64: userbuf.as_deref(),
    };
    let sig = base64_encode(&key.sign(&fields));
    let document =
        Document { version: "2.0", identifier, sdk_app_id, expire, time, userbuf: userbuf.as_deref(), sig: &sig };
    let json = serde_json::to_vec(&document).expect("a document of strings and numbers serializes");
    super::wire::encode(&json, level)
}
