use super::*;

const TOKEN: &str = "spamtest";
const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const APPID: &str = "wx2c2769f8efd9abc2";
const TIMESTAMP: &str = "1409735669";
const NONCE: &str = "1320562132";
const MSG_SIGNATURE: &str = "5d197aaffba7e9b25a30732f161a50dee96bd5fa";
const ENCRYPT: &str = "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";

fn crypto() -> PushCrypto {
    PushCrypto::new(TOKEN, KEY, APPID).unwrap()
}

fn query(msg_signature: &str) -> PushQuery {
    PushQuery {
        timestamp: TIMESTAMP.into(),
        nonce: NONCE.into(),
        encrypt_type: Some("aes".into()),
        msg_signature: msg_signature.into(),
        signature: None,
    }
}

/// Encrypts `plain` (already a whole number of blocks) as-is: for malformed plaintexts.
fn raw_encrypt(c: &PushCrypto, plain: &[u8]) -> String {
    let mut buf = plain.to_vec();
    let len = buf.len();
    let out = cbc::Encryptor::<Aes256>::new(&c.key.0.into(), &c.iv().into())
        .encrypt_padded_mut::<NoPadding>(&mut buf, len)
        .unwrap();
    STANDARD.encode(out)
}

/// A plaintext laid out as WeChat does, padded to 32 bytes, with the given length field.
fn layout(length_field: u32, message: &[u8], appid: &[u8]) -> Vec<u8> {
    let mut buf = vec![7u8; 16];
    buf.extend_from_slice(&length_field.to_be_bytes());
    buf.extend_from_slice(message);
    buf.extend_from_slice(appid);
    let pad = 32 - buf.len() % 32;
    buf.resize(buf.len() + pad, pad as u8);
    buf
}

#[test]
fn the_published_test_vector_verifies_and_decrypts() {
    let c = crypto();
    assert_eq!(c.signature(TIMESTAMP, NONCE, ENCRYPT), MSG_SIGNATURE);
    c.verify(&query(MSG_SIGNATURE), ENCRYPT).unwrap();
    let message = c.decrypt(ENCRYPT).unwrap();
    let fields = Fields::read(&message).unwrap();
    assert_eq!(fields.get("ToUserName"), Some("gh_10f6c3c3ac5a"));
    assert_eq!(fields.get("CreateTime"), Some("1409735668"));
    assert_eq!(fields.get("MsgType"), Some("text"));

    // Its padding is 2 bytes, and the receiver after the message is the AppID.
    let mut buf = LENIENT_BASE64.decode(ENCRYPT).unwrap();
    let plain = cbc::Decryptor::<Aes256>::new(&c.key.0.into(), &c.iv().into())
        .decrypt_padded_mut::<NoPadding>(&mut buf)
        .unwrap();
    assert_eq!(&plain[plain.len() - 2..], [2, 2]);
    assert!(plain[..plain.len() - 2].ends_with(APPID.as_bytes()));

    // The same through the body, in either element order.
    let body = format!(
        "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[{ENCRYPT}]]></Encrypt></xml>"
    );
    assert_eq!(c.open(&query(MSG_SIGNATURE), body.as_bytes()).unwrap(), message);
    let reordered = format!("<xml><Encrypt><![CDATA[{ENCRYPT}]]></Encrypt><AppId><![CDATA[{APPID}]]></AppId></xml>");
    assert_eq!(c.open(&query(&MSG_SIGNATURE.to_uppercase()), reordered.as_bytes()).unwrap(), message);
    // A text message is no authorization event.
    assert_eq!(c.receive(&query(MSG_SIGNATURE), body.as_bytes()), Err(PushError::MissingField("InfoType")));
}

#[test]
fn round_trips_at_every_padding_length() {
    let c = crypto();
    for n in 0..=100 {
        let message: String = "字a".chars().cycle().take(n).collect();
        let encrypted = c.encrypt(&message).unwrap();
        assert_eq!(c.decrypt(&encrypted).unwrap(), message, "{n}");
    }
    // Fresh random bytes every time.
    assert_ne!(c.encrypt("same").unwrap(), c.encrypt("same").unwrap());
    // A full block of padding when the layout is already aligned: 16 + 4 + 0 + 18 = 38 → pad 26;
    // 16 + 4 + 26 + 18 = 64 → pad 32.
    let aligned = c.encrypt_with([0; 16], &"x".repeat(26)).unwrap();
    assert_eq!(LENIENT_BASE64.decode(&aligned).unwrap().len(), 96);
    assert_eq!(c.decrypt(&aligned).unwrap(), "x".repeat(26));
}

#[test]
fn sealed_pushes_and_replies_open_again() {
    let c = crypto();
    let message = "<xml><AppId>wx2c2769f8efd9abc2</AppId><CreateTime>1413192605</CreateTime>\
                   <InfoType>unauthorized</InfoType><AuthorizerAppid>wxf8580a2747e8ab39</AuthorizerAppid></xml>";
    let push = c.seal(message, "1700000000", "n0nce").unwrap();
    assert_eq!(push.query.encrypt_type.as_deref(), Some("aes"));
    assert_eq!(c.open(&push.query, push.body.as_bytes()).unwrap(), message);
    let event = c.receive(&push.query, push.body.as_bytes()).unwrap();
    assert_eq!(event.info_type(), "unauthorized");

    let reply = c.reply("<xml><Content>hi</Content></xml>", "1700000001", "n2").unwrap();
    let f = Fields::read(&reply).unwrap();
    let q = PushQuery {
        timestamp: f.get("TimeStamp").unwrap().into(),
        nonce: f.get("Nonce").unwrap().into(),
        msg_signature: f.get("MsgSignature").unwrap().into(),
        ..PushQuery::default()
    };
    assert_eq!(c.open(&q, reply.as_bytes()).unwrap(), "<xml><Content>hi</Content></xml>");
}

#[test]
fn signatures_are_refused_before_anything_is_decrypted() {
    let c = crypto();
    let body = format!("<xml><Encrypt>{ENCRYPT}</Encrypt></xml>");
    let mut wrong = MSG_SIGNATURE.to_owned();
    wrong.replace_range(0..1, "6");
    assert_eq!(c.open(&query(&wrong), body.as_bytes()), Err(PushError::BadSignature));
    assert_eq!(c.open(&query(&MSG_SIGNATURE[..39]), body.as_bytes()), Err(PushError::BadSignature));
    let other_time = PushQuery { timestamp: "1409735670".into(), ..query(MSG_SIGNATURE) };
    assert_eq!(c.open(&other_time, body.as_bytes()), Err(PushError::BadSignature));
    let other_token = PushCrypto::new("spamtest2", KEY, APPID).unwrap();
    assert_eq!(other_token.open(&query(MSG_SIGNATURE), body.as_bytes()), Err(PushError::BadSignature));
    // Garbage under a wrong signature is refused for the signature, not decoded.
    assert_eq!(c.open(&query(&wrong), b"<xml><Encrypt>%%%</Encrypt></xml>"), Err(PushError::BadSignature));
    for (field, q) in [
        ("msg_signature", query("")),
        ("timestamp", PushQuery { timestamp: String::new(), ..query(MSG_SIGNATURE) }),
        ("nonce", PushQuery { nonce: String::new(), ..query(MSG_SIGNATURE) }),
    ] {
        assert_eq!(c.open(&q, body.as_bytes()), Err(PushError::MissingField(field)));
    }
    assert_eq!(c.open(&query(MSG_SIGNATURE), b"<xml><AppId>x</AppId></xml>"), Err(PushError::MissingField("Encrypt")));
    assert!(matches!(c.open(&query(MSG_SIGNATURE), b"<xml><Encrypt>"), Err(PushError::BadXml(_))));
    assert!(matches!(c.open(&query(MSG_SIGNATURE), b"\xff<xml/>"), Err(PushError::BadXml(m)) if m.contains("UTF-8")));
}

/// Opens `encrypt` under a valid signature.
fn open_signed(c: &PushCrypto, encrypt: &str) -> Result<String, PushError> {
    let q = query(&c.signature(TIMESTAMP, NONCE, encrypt));
    c.open(&q, format!("<xml><Encrypt>{encrypt}</Encrypt></xml>").as_bytes())
}

#[test]
fn every_decryption_refusal() {
    let c = crypto();
    assert_eq!(open_signed(&c, "not base64!"), Err(PushError::BadBase64));
    assert_eq!(open_signed(&c, &STANDARD.encode([1u8; 15])), Err(PushError::BadCiphertext));
    assert_eq!(open_signed(&c, &STANDARD.encode([1u8; 40])), Err(PushError::BadCiphertext));

    let good = layout(5, b"hello", APPID.as_bytes());
    assert_eq!(open_signed(&c, &raw_encrypt(&c, &good)).unwrap(), "hello");

    let mut zero_pad = good.clone();
    *zero_pad.last_mut().unwrap() = 0;
    assert_eq!(open_signed(&c, &raw_encrypt(&c, &zero_pad)), Err(PushError::BadPadding));
    let mut big_pad = vec![0u8; 64];
    big_pad[63] = 33;
    assert_eq!(open_signed(&c, &raw_encrypt(&c, &big_pad)), Err(PushError::BadPadding));
    let mut uneven = good.clone();
    let n = uneven.len();
    uneven[n - 2] ^= 1;
    assert_eq!(open_signed(&c, &raw_encrypt(&c, &uneven)), Err(PushError::BadPadding));

    let overrun = layout(5 + APPID.len() as u32 + 1, b"hello", APPID.as_bytes());
    assert_eq!(open_signed(&c, &raw_encrypt(&c, &overrun)), Err(PushError::BadLength));
    let huge = layout(u32::MAX, b"hello", APPID.as_bytes());
    assert_eq!(open_signed(&c, &raw_encrypt(&c, &huge)), Err(PushError::BadLength));
    let mut short = vec![1u8; 19];
    short.resize(32, 13);
    assert_eq!(open_signed(&c, &raw_encrypt(&c, &short)), Err(PushError::BadLength));

    let elsewhere = layout(5, b"hello", b"wx0000000000000000");
    assert_eq!(
        open_signed(&c, &raw_encrypt(&c, &elsewhere)),
        Err(PushError::WrongAppId { found: "wx0000000000000000".into() })
    );
    let other_receiver = PushCrypto::new(TOKEN, KEY, "wx0000000000000000").unwrap();
    assert!(matches!(other_receiver.decrypt(ENCRYPT), Err(PushError::WrongAppId { found }) if found == APPID));
    let no_receiver = layout(5, b"hello", b"");
    assert!(matches!(open_signed(&c, &raw_encrypt(&c, &no_receiver)), Err(PushError::WrongAppId { .. })));

    let not_utf8 = layout(2, b"\xff\xfe", APPID.as_bytes());
    assert!(matches!(open_signed(&c, &raw_encrypt(&c, &not_utf8)), Err(PushError::BadXml(_))));
    let encrypted = c.encrypt("<xml><InfoType>").unwrap();
    let q = query(&c.signature(TIMESTAMP, NONCE, &encrypted));
    let body = format!("<xml><Encrypt>{encrypted}</Encrypt></xml>");
    assert!(matches!(c.receive(&q, body.as_bytes()), Err(PushError::BadXml(_))));
}

#[test]
fn keys_and_debug() {
    assert!(PushCrypto::new(TOKEN, &KEY[..42], APPID).is_err());
    assert_eq!(PushCrypto::new(TOKEN, &format!("{KEY}A"), APPID).unwrap_err(), PushError::BadKey);
    assert_eq!(
        PushCrypto::new(TOKEN, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF*", APPID).unwrap_err(),
        PushError::BadKey
    );
    let c = crypto();
    assert_eq!(c.component_appid(), APPID);
    let shown = format!("{c:?}");
    assert!(shown.contains(APPID) && !shown.contains(TOKEN) && !shown.contains("abcdefgh"), "{shown}");
    let key_bytes = format!("{:?}", c.key.0);
    assert!(!shown.contains(&key_bytes[1..20]), "{shown}");
}
