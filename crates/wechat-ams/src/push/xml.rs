//! The flat XML documents of WeChat pushes: `<xml><Name>value</Name>…</xml>`, values as
//! text or CDATA, in any order.

use super::PushError;
use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// The children of a push document's root element, in document order, each with its text
/// (entities resolved, CDATA kept verbatim, surrounding whitespace trimmed). Elements nested
/// deeper are skipped; a child appearing twice is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Fields(Vec<(String, String)>);

impl Fields {
    /// Reads a document.
    pub fn read(xml: &str) -> Result<Fields, PushError> {
        let bad = |what: String| PushError::BadXml(what);
        let mut reader = Reader::from_str(xml);
        let mut fields = Fields::default();
        let mut depth = 0usize;
        let mut roots = 0usize;
        let mut open: Option<(String, String)> = None;
        loop {
            match reader.read_event().map_err(|e| bad(e.to_string()))? {
                Event::Start(e) => {
                    depth += 1;
                    match depth {
                        1 => roots += 1,
                        2 => open = Some((element_name(&e), String::new())),
                        _ => {}
                    }
                }
                Event::Empty(e) => match depth {
                    0 => roots += 1,
                    1 => fields.push(element_name(&e), String::new())?,
                    _ => {}
                },
                Event::End(_) => {
                    if depth == 2
                        && let Some((name, text)) = open.take()
                    {
                        fields.push(name, text.trim().to_owned())?;
                    }
                    depth = depth.saturating_sub(1);
                }
                Event::Text(t) => match (depth, open.as_mut()) {
                    (2, Some((_, text))) => text.push_str(&t.xml10_content()),
                    (0, _) if !t.xml10_content().trim().is_empty() => {
                        return Err(bad("text outside the root element".into()));
                    }
                    _ => {}
                },
                Event::CData(c) => {
                    if let (2, Some((_, text))) = (depth, open.as_mut()) {
                        text.push_str(&c.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    if let (2, Some((_, text))) = (depth, open.as_mut()) {
                        text.push_str(&resolve_reference(&r)?);
                    }
                }
                Event::DocType(_) => return Err(bad("a DOCTYPE is not accepted".into())),
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => break,
            }
        }
        match (roots, depth) {
            (0, _) => Err(bad("there is no root element".into())),
            (1, 0) => Ok(fields),
            (1, _) => Err(bad("an element is not closed".into())),
            _ => Err(bad("there is more than one root element".into())),
        }
    }

    /// The text of the child `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The text of the child `name`, or [`PushError::MissingField`] if absent or empty.
    pub fn require(&self, name: &'static str) -> Result<&str, PushError> {
        self.get(name).filter(|v| !v.is_empty()).ok_or(PushError::MissingField(name))
    }

    /// The children, in document order.
    pub fn into_vec(self) -> Vec<(String, String)> {
        self.0
    }

    fn push(&mut self, name: String, value: String) -> Result<(), PushError> {
        if self.get(&name).is_some() {
            return Err(PushError::BadXml(format!("<{name}> appears twice")));
        }
        self.0.push((name, value));
        Ok(())
    }
}

fn element_name(e: &BytesStart<'_>) -> String {
    e.name().as_ref().to_owned()
}

fn resolve_reference(r: &BytesRef<'_>) -> Result<String, PushError> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| PushError::BadXml(e.to_string()))? {
        return Ok(c.to_string());
    }
    resolve_predefined_entity(r)
        .map(str::to_owned)
        .ok_or_else(|| PushError::BadXml(format!("unknown entity &{};", &**r)))
}

/// The body of a push as WeChat sends it: the receiver's AppID and the ciphertext.
pub(crate) fn push_body(app_id: &str, encrypt: &str) -> String {
    format!("<xml><AppId><![CDATA[{}]]></AppId><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>", cdata_safe(app_id))
}

/// An encrypted reply: ciphertext, signature, timestamp and nonce.
pub(crate) fn reply_body(encrypt: &str, signature: &str, timestamp: &str, nonce: &str) -> String {
    format!(
        "<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt><MsgSignature><![CDATA[{signature}]]></MsgSignature>\
         <TimeStamp>{}</TimeStamp><Nonce><![CDATA[{}]]></Nonce></xml>",
        quick_xml::escape::escape(timestamp),
        cdata_safe(nonce)
    )
}

/// Text that cannot end a CDATA section early (`]]>` is split across two sections).
fn cdata_safe(text: &str) -> String {
    text.replace("]]>", "]]]]><![CDATA[>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_cdata_in_any_order() {
        let xml = "<?xml version=\"1.0\"?>\n<xml>\n  <Encrypt><![CDATA[abc+/=]]></Encrypt>\n  <!-- c -->\n  \
                   <AppId> wx2c2769f8efd9abc2 </AppId><CreateTime>1413192605</CreateTime><Empty/></xml>\n";
        let f = Fields::read(xml).unwrap();
        assert_eq!(f.get("AppId"), Some("wx2c2769f8efd9abc2"));
        assert_eq!(f.get("Encrypt"), Some("abc+/="));
        assert_eq!(f.get("CreateTime"), Some("1413192605"));
        assert_eq!(f.get("Empty"), Some(""));
        assert_eq!(f.require("Empty"), Err(PushError::MissingField("Empty")));
        assert_eq!(f.require("Missing"), Err(PushError::MissingField("Missing")));
        assert_eq!(
            f.into_vec().iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            ["Encrypt", "AppId", "CreateTime", "Empty"]
        );
    }

    #[test]
    fn resolves_entities_and_mixed_content() {
        let f = Fields::read("<xml><A>a &amp; b &#x4e2d;&#25991; <![CDATA[<c>]]></A><B><x>skipped</x>kept</B></xml>")
            .unwrap();
        assert_eq!(f.get("A"), Some("a & b 中文 <c>"));
        assert_eq!(f.get("B"), Some("kept"));
    }

    #[test]
    fn a_byte_order_mark_is_no_text() {
        let f = Fields::read("\u{feff}<xml><A>1</A></xml>").unwrap();
        assert_eq!(f.get("A"), Some("1"));
    }

    #[test]
    fn refusals() {
        for (xml, why) in [
            ("", "no root element"),
            ("just text", "outside the root"),
            ("<xml><A>1</A><A>2</A></xml>", "appears twice"),
            ("<xml><A>1</B></xml>", ""),
            ("<xml><A>1</A>", "not closed"),
            ("<xml/><xml/>", "more than one root"),
            ("<xml><A>&bogus;</A></xml>", "unknown entity"),
            ("<!DOCTYPE x [<!ENTITY e \"v\">]><xml><A>&e;</A></xml>", "DOCTYPE"),
        ] {
            match Fields::read(xml) {
                Err(PushError::BadXml(m)) => assert!(m.contains(why), "{xml}: {m}"),
                other => panic!("{xml}: {other:?}"),
            }
        }
    }

    #[test]
    fn written_bodies_read_back() {
        let body = push_body("wx2c2769f8efd9abc2", "Zm9v");
        let f = Fields::read(&body).unwrap();
        assert_eq!((f.get("AppId"), f.get("Encrypt")), (Some("wx2c2769f8efd9abc2"), Some("Zm9v")));
        let reply = reply_body("Zm9v", "abc", "1409735669", "n]]>once");
        let f = Fields::read(&reply).unwrap();
        assert_eq!(f.get("Nonce"), Some("n]]>once"));
        assert_eq!(f.get("TimeStamp"), Some("1409735669"));
        assert_eq!(f.get("MsgSignature"), Some("abc"));
    }
}
