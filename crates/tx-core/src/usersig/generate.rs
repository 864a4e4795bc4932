//! Writing the JSON document and wrapping it (§4–§5).

use super::codec::{ZlibLevel, base64_encode_into, base64_encode_slice};
use super::content::{SignedFields, SigningKey};

/// Produces the UserSig string. Keys are written in the Go/Python order, compactly.
pub(crate) fn usersig(
    key: &SigningKey,
    level: ZlibLevel,
    sdk_app_id: u32,
    identifier: &str,
    time: u64,
    expire: u64,
    userbuf: Option<&[u8]>,
) -> String {
    let mut userbuf_b64 = String::new();
    if let Some(buf) = userbuf {
        base64_encode_into(buf, &mut userbuf_b64);
    }
    let fields = SignedFields {
        identifier,
        sdk_app_id: u64::from(sdk_app_id),
        time,
        expire: i64::try_from(expire).unwrap_or(i64::MAX),
        userbuf_base64: userbuf.map(|_| userbuf_b64.as_str()),
    };
    let mac = key.sign(&fields);

    DOCUMENT.with(|cell| {
        let mut doc = cell.borrow_mut();
        doc.clear();
        write_document(&mut doc, sdk_app_id, identifier, time, expire, userbuf.map(|_| userbuf_b64.as_str()), &mac);
        let sig = super::wire::encode_with(&doc, level, super::codec::Trees::Fast);
        doc.truncate(0);
        doc.shrink_to(super::codec::KEPT_BUFFER);
        sig
    })
}

thread_local! {
    // Reused across signatures: one allocation fewer per UserSig.
    static DOCUMENT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn write_document(
    doc: &mut Vec<u8>,
    sdk_app_id: u32,
    identifier: &str,
    time: u64,
    expire: u64,
    userbuf_b64: Option<&str>,
    mac: &[u8; 32],
) {
    let mut n = itoa::Buffer::new();
    doc.extend_from_slice(br#"{"TLS.ver":"2.0","TLS.identifier":"#);
    write_json_string(doc, identifier);
    doc.extend_from_slice(br#","TLS.sdkappid":"#);
    doc.extend_from_slice(n.format(sdk_app_id).as_bytes());
    doc.extend_from_slice(br#","TLS.expire":"#);
    doc.extend_from_slice(n.format(expire).as_bytes());
    doc.extend_from_slice(br#","TLS.time":"#);
    doc.extend_from_slice(n.format(time).as_bytes());
    if let Some(userbuf) = userbuf_b64 {
        doc.extend_from_slice(br#","TLS.userbuf":""#);
        doc.extend_from_slice(userbuf.as_bytes());
        doc.push(b'"');
    }
    doc.extend_from_slice(br#","TLS.sig":""#);
    let mut sig = [0u8; 44];
    let len = base64_encode_slice(mac, &mut sig);
    doc.extend_from_slice(&sig[..len]);
    doc.extend_from_slice(b"\"}");
}

fn write_json_string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        serde_json::to_writer(&mut *out, s).expect("writing a string to a Vec cannot fail");
    }
}
