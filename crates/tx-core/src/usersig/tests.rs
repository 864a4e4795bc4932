use super::codec::{ZlibLevel, base64_encode, escape_encode, zlib_compress};
use super::content::{SignedFields, SigningKey};
use super::*;
use crate::clock::ManualClock;
use proptest::prelude::*;

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const APP: u32 = 1_400_000_000;
const T0: u64 = 1_700_000_000;
const EXPIRE: u64 = 15_552_000;

fn signer_at(now: u64) -> UserSigSigner {
    UserSigSigner::new(APP, KEY).with_clock(ManualClock::new(now))
}

fn days(n: u64) -> Duration {
    Duration::from_secs(n * 86_400)
}

/// Wraps a hand-written JSON document the way any official library would.
fn wrap(json: &str, level: u32) -> String {
    escape_encode(&zlib_compress(json.as_bytes(), ZlibLevel::new(level).unwrap()))
}

fn golden_sig_b64() -> String {
    let fields = SignedFields {
        identifier: "xiaojun",
        sdk_app_id: u64::from(APP),
        time: T0,
        expire: EXPIRE as i64,
        userbuf_base64: None,
    };
    base64_encode(&SigningKey::new(KEY).sign(&fields))
}

#[test]
fn golden_vector_round_trips_through_generate_decode_verify() {
    let sig = signer_at(T0).generate("xiaojun", Duration::from_secs(EXPIRE)).unwrap();
    let decoded = decode(sig.expose()).unwrap();
    assert_eq!(decoded.signature.expose(), "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=");
    assert_eq!((decoded.time, decoded.expire, decoded.sdk_app_id), (T0, EXPIRE as i64, u64::from(APP)));
    assert_eq!(decoded.version, "2.0");
    signer_at(T0 + 10).verify(sig.expose(), "xiaojun").unwrap();
}

#[test]
fn pinned_level_zero_output_is_byte_exact() {
    // Our own layout at level 0 is deterministic, so a whole-string comparison is meaningful.
    let sig = signer_at(T0).with_level(ZlibLevel::STORED).generate("xiaojun", Duration::from_secs(EXPIRE)).unwrap();
    let json = format!(
        r#"{{"TLS.ver":"2.0","TLS.identifier":"xiaojun","TLS.sdkappid":1400000000,"TLS.expire":15552000,"TLS.time":1700000000,"TLS.sig":"{}"}}"#,
        golden_sig_b64()
    );
    assert_eq!(sig.expose(), wrap(&json, 0));
}

#[test]
fn accepts_every_official_layout_and_level() {
    let sig = golden_sig_b64();
    let python = format!(
        r#"{{"TLS.ver": "2.0", "TLS.identifier": "xiaojun", "TLS.sdkappid": 1400000000, "TLS.expire": 15552000, "TLS.time": 1700000000, "TLS.sig": "{sig}"}}"#
    );
    let node = format!(
        r#"{{"TLS.ver":"2.0","TLS.identifier":"xiaojun","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":15552000,"TLS.sig":"{sig}"}}"#
    );
    let go = format!(
        "{{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"xiaojun\",\"TLS.sdkappid\":1400000000,\"TLS.expire\":15552000,\"TLS.time\":1700000000,\"TLS.sig\":\"{sig}\"}}\n"
    );
    let cpp = format!(
        r#"{{"TLS.ver":"2.0","TLS.sdkappid":1400000000,"TLS.identifier":"xiaojun","TLS.time":1700000000,"TLS.expire":15552000,"TLS.sig":"{sig}"}}"#
    );
    let php = python.replace('/', "\\/");
    let verifier = signer_at(T0);
    for (name, doc) in [("python", &python), ("node", &node), ("go", &go), ("c++", &cpp), ("php", &php)] {
        for level in 0..=9 {
            verifier
                .verify(&wrap(doc, level), "xiaojun")
                .unwrap_or_else(|e| panic!("{name} layout at level {level} rejected: {e}"));
        }
    }
}

#[test]
fn a_negative_expire_is_an_expired_signature_not_a_malformed_one() {
    // The official Python library signs `gen_sig(id, -10)` as given.
    let key = SigningKey::new(KEY);
    let fields =
        SignedFields { identifier: "a", sdk_app_id: u64::from(APP), time: T0, expire: -10, userbuf_base64: None };
    let sig = base64_encode(&key.sign(&fields));
    let doc = format!(
        r#"{{"TLS.ver": "2.0", "TLS.identifier": "a", "TLS.sdkappid": 1400000000, "TLS.expire": -10, "TLS.time": 1700000000, "TLS.sig": "{sig}"}}"#
    );
    assert_eq!(signer_at(T0).verify(&wrap(&doc, 6), "a"), Err(VerifyError::Expired { expired_at: T0 - 10, now: T0 }));
}

#[test]
fn expiry_is_inclusive_of_the_last_second() {
    let sig = signer_at(T0).generate("a", Duration::from_secs(100)).unwrap();
    assert!(signer_at(T0 + 100).verify(sig.expose(), "a").is_ok());
    assert_eq!(
        signer_at(T0 + 101).verify(sig.expose(), "a"),
        Err(VerifyError::Expired { expired_at: T0 + 100, now: T0 + 101 })
    );
}

#[test]
fn each_check_has_its_own_error() {
    let sig = signer_at(T0).generate("alice", days(1)).unwrap();
    let s = sig.expose();
    assert_eq!(
        UserSigSigner::new(APP + 1, KEY).with_clock(ManualClock::new(T0)).verify(s, "alice"),
        Err(VerifyError::SdkAppIdMismatch { expected: u64::from(APP) + 1, found: u64::from(APP) })
    );
    assert_eq!(
        signer_at(T0).verify(s, "bob"),
        Err(VerifyError::IdentifierMismatch { expected: "bob".into(), found: "alice".into() })
    );
    assert_eq!(
        UserSigSigner::new(APP, "other key").with_clock(ManualClock::new(T0)).verify(s, "alice"),
        Err(VerifyError::SignatureMismatch)
    );
    assert_eq!(
        signer_at(T0).verify_with_userbuf(s, "alice", b"x"),
        Err(VerifyError::UserBufPresenceMismatch { expected_userbuf: true })
    );
    let with_buf = signer_at(T0).generate_with_userbuf("alice", days(1), b"abc").unwrap();
    assert_eq!(
        signer_at(T0).verify(with_buf.expose(), "alice"),
        Err(VerifyError::UserBufPresenceMismatch { expected_userbuf: false })
    );
    assert_eq!(
        signer_at(T0).verify_with_userbuf(with_buf.expose(), "alice", b"abd"),
        Err(VerifyError::UserBufMismatch)
    );
    assert!(signer_at(T0).verify_with_userbuf(with_buf.expose(), "alice", b"abc").is_ok());
}

#[test]
fn a_parse_failure_is_not_reported_as_a_field_mismatch() {
    assert_eq!(signer_at(T0).verify(&wrap("{not json", 6), "a"), Err(VerifyError::Malformed(Malformed::Json)));
    assert_eq!(
        signer_at(T0).verify(&wrap(r#"{"TLS.identifier":"a"}"#, 6), "a"),
        Err(VerifyError::Malformed(Malformed::MissingField("TLS.sdkappid")))
    );
    assert_eq!(signer_at(T0).verify("", "a"), Err(VerifyError::Malformed(Malformed::Empty)));
    assert_eq!(signer_at(T0).verify("%%%", "a"), Err(VerifyError::Malformed(Malformed::Base64)));
    assert_eq!(signer_at(T0).verify("eJzLSM3JyQcABiwCFQ__", "a"), Err(VerifyError::Malformed(Malformed::Json)));
    let bad_sig = wrap(
        r#"{"TLS.identifier":"a","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":9,"TLS.sig":"!!"}"#,
        6,
    );
    assert_eq!(signer_at(T0).verify(&bad_sig, "a"), Err(VerifyError::Malformed(Malformed::FieldNotBase64("TLS.sig"))));
}

#[test]
fn the_userbuf_line_is_signed_verbatim() {
    // An unpadded userbuf string decodes to the same bytes as the padded one, but the HMAC
    // covers the text: a verifier that re-encodes the bytes would wrongly reject this.
    let key = SigningKey::new(KEY);
    let fields =
        SignedFields { identifier: "a", sdk_app_id: u64::from(APP), time: T0, expire: 60, userbuf_base64: Some("YWI") };
    let sig = base64_encode(&key.sign(&fields));
    let doc = format!(
        r#"{{"TLS.ver":"2.0","TLS.identifier":"a","TLS.sdkappid":1400000000,"TLS.expire":60,"TLS.time":1700000000,"TLS.userbuf":"YWI","TLS.sig":"{sig}"}}"#
    );
    assert!(signer_at(T0).verify_with_userbuf(&wrap(&doc, 6), "a", b"ab").is_ok());
}

#[test]
fn private_map_key_carries_the_golden_userbuf() {
    let sig = signer_at(T0)
        .private_map_key("xiaojun", Duration::from_secs(EXPIRE), Room::Numeric(10_000), Privileges::ALL)
        .unwrap();
    let decoded = decode(sig.expose()).unwrap();
    let buf = decoded.userbuf.clone().unwrap();
    let hex: String = buf.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "0000077869616f6a756e53724e000000271066413f00000000ff00000000");
    assert!(signer_at(T0).verify_with_userbuf(sig.expose(), "xiaojun", &buf).is_ok());
    let pmk = PrivateMapKey::parse(&buf).unwrap();
    assert_eq!(u64::from(pmk.expires_at), sig.expires_at());
}

#[test]
fn generation_refuses_bad_input() {
    assert_eq!(signer_at(T0).generate("", days(1)), Err(GenerateError::EmptyIdentifier));
    assert_eq!(
        signer_at(T0).private_map_key("用户", days(1), Room::Numeric(1), Privileges::ALL),
        Err(GenerateError::NotAscii { field: "identifier" })
    );
    assert_eq!(
        signer_at(u64::from(u32::MAX)).private_map_key("a", days(1), Room::Numeric(1), Privileges::ALL),
        Err(GenerateError::ExpiryOverflow(u64::from(u32::MAX) + 86_400))
    );
}

/// Found by the `usersig` fuzz target (`fuzz/regressions/usersig/lifetime-past-i64`): a
/// lifetime past `i64::MAX` was written to `TLS.expire` as given but signed as `i64::MAX`,
/// and no verifier could read it back.
#[test]
fn lifetimes_past_i64_max_are_refused_and_the_longest_verifies() {
    for secs in [u64::MAX, 1 << 63, 17_870_283_321_406_128_465] {
        let lifetime = Duration::from_secs(secs);
        assert_eq!(signer_at(T0).generate("a", lifetime), Err(GenerateError::LifetimeTooLong(secs)));
        assert_eq!(signer_at(T0).generate_with_userbuf("a", lifetime, b"x"), Err(GenerateError::LifetimeTooLong(secs)));
    }
    let longest = Duration::from_secs(i64::MAX as u64);
    let sig = signer_at(T0).generate("a", longest).unwrap();
    let verified = signer_at(T0).verify(sig.expose(), "a").unwrap();
    assert_eq!((verified.expire, verified.expires_at()), (i64::MAX, T0 + i64::MAX as u64));
}

#[test]
fn non_ascii_identifiers_are_fine_in_plain_usersigs() {
    let sig = signer_at(T0).generate("用户\"引号\"", days(1)).unwrap();
    assert!(signer_at(T0).verify(sig.expose(), "用户\"引号\"").is_ok());
}

#[test]
fn debug_never_shows_the_key_or_the_signature() {
    let signer = signer_at(T0);
    let sig = signer.generate("alice", days(1)).unwrap();
    let decoded = decode(sig.expose()).unwrap();
    for text in [format!("{signer:?}"), format!("{sig:?}"), format!("{decoded:?}")] {
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains(sig.expose()), "{text}");
        assert!(!text.contains(decoded.signature.expose()), "{text}");
    }
}

fn identifier() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z0-9_@.-]{1,64}", "\\PC{1,16}"]
}

proptest! {
    #[test]
    fn round_trip_at_any_level(id in identifier(), expire in 1u64..400_000_000, level in 0u32..=9, now in 0u64..4_000_000_000) {
        let signer = signer_at(now).with_level(ZlibLevel::new(level).unwrap());
        let sig = signer.generate(&id, Duration::from_secs(expire)).unwrap();
        let decoded = signer.verify(sig.expose(), &id).unwrap();
        prop_assert_eq!(decoded.expires_at(), now + expire);
    }

    #[test]
    fn round_trip_with_userbuf(id in identifier(), buf in proptest::collection::vec(any::<u8>(), 0..300)) {
        let signer = signer_at(T0);
        let sig = signer.generate_with_userbuf(&id, days(1), &buf).unwrap();
        prop_assert!(signer.verify_with_userbuf(sig.expose(), &id, &buf).is_ok());
    }

    #[test]
    fn everything_wrong_is_rejected(
        id in identifier(),
        other in identifier(),
        key in "[0-9a-f]{64}",
        wrong_key in "[0-9a-f]{64}",
        app in 1u32..u32::MAX,
        buf in proptest::collection::vec(any::<u8>(), 1..64),
        expire in 1u64..1_000_000,
    ) {
        let signer = UserSigSigner::new(app, key.as_str()).with_clock(ManualClock::new(T0));
        let plain = signer.generate(&id, Duration::from_secs(expire)).unwrap();
        let with_buf = signer.generate_with_userbuf(&id, Duration::from_secs(expire), &buf).unwrap();

        if wrong_key != key {
            let wrong = UserSigSigner::new(app, wrong_key.as_str()).with_clock(ManualClock::new(T0));
            prop_assert_eq!(wrong.verify(plain.expose(), &id), Err(VerifyError::SignatureMismatch));
        }
        let other_app = UserSigSigner::new(app ^ 1, key.as_str()).with_clock(ManualClock::new(T0));
        let is_app_mismatch = matches!(other_app.verify(plain.expose(), &id), Err(VerifyError::SdkAppIdMismatch { .. }));
        prop_assert!(is_app_mismatch);
        if other != id {
            let is_id_mismatch = matches!(signer.verify(plain.expose(), &other), Err(VerifyError::IdentifierMismatch { .. }));
            prop_assert!(is_id_mismatch);
        }
        let later = UserSigSigner::new(app, key.as_str()).with_clock(ManualClock::new(T0 + expire + 1));
        let is_expired = matches!(later.verify(plain.expose(), &id), Err(VerifyError::Expired { .. }));
        prop_assert!(is_expired);
        let mut other_buf = buf.clone();
        other_buf[0] ^= 0xff;
        prop_assert_eq!(signer.verify_with_userbuf(with_buf.expose(), &id, &other_buf), Err(VerifyError::UserBufMismatch));
        let is_presence = matches!(signer.verify(with_buf.expose(), &id), Err(VerifyError::UserBufPresenceMismatch { .. }));
        prop_assert!(is_presence);
    }
}
