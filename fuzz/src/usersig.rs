//! `usersig`: TLSSigAPIv2 decode and verify on a fixed clock, in four modes chosen by the
//! first byte:
//!
//! 0. any string as a UserSig: `decode`, `verify`, `verify_with_userbuf`;
//! 1. any bytes as the JSON document of a UserSig (wrapped with zlib and the UserSig
//!    alphabet by `wire::encode`), so decoding reaches the JSON and the HMAC check;
//! 2. generate, then verify: any identifier, lifetime and userbuf;
//! 3. any bytes as a PrivateMapKey userbuf (`PrivateMapKey::parse`).
//!
//! Checks: whatever verifies also decodes to the identifier, app and times it was checked
//! against and is not expired; `wire` decodes what it encodes; what the signer generates,
//! it verifies, and it refuses only an empty identifier or a lifetime past `i64::MAX`; a
//! parsed userbuf has a room name exactly when its version is 1.

use crate::input::Input;
use std::time::Duration;
use tx_core::clock::ManualClock;
use tx_core::usersig::{GenerateError, PrivateMapKey, UserSigSigner, ZlibLevel, decode, wire};

/// The harness clock, unix seconds.
pub const NOW: u64 = 1_700_000_000;
/// The SDKAppID of the harness signer.
pub const APP: u32 = 1_400_000_000;
/// The key of the harness signer (the reference's example key).
pub const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
/// The identifier verified against in modes 0 and 1.
pub const IDENTIFIER: &str = "administrator";

/// The harness signer.
pub fn signer() -> UserSigSigner {
    UserSigSigner::new(APP, KEY).with_clock(ManualClock::new(NOW))
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let mut input = Input::new(data);
    match input.choose(4) {
        0 => check_string(&String::from_utf8_lossy(input.rest())),
        1 => {
            let level = ZlibLevel::new(u32::from(input.byte() % 10)).expect("0..=9");
            let document = input.rest();
            let sig = wire::encode(document, level);
            if document.len() <= 64 * 1024 {
                assert_eq!(wire::decode(&sig).as_deref(), Ok(document), "wire does not decode what it encodes");
            }
            check_string(&sig);
        }
        2 => {
            let lifetime = Duration::from_secs(input.u64());
            let identifier = input.text();
            let userbuf = input.rest();
            round_trip(&identifier, lifetime, userbuf);
        }
        _ => check_userbuf(input.rest()),
    }
}

fn check_string(s: &str) {
    let signer = signer();
    let decoded = decode(s);
    if let Ok(d) = &decoded {
        let _ = (d.expires_at(), d.is_expired_at(NOW), format!("{d:?}"));
    }
    for verified in [signer.verify(s, IDENTIFIER), signer.verify_with_userbuf(s, IDENTIFIER, b"")] {
        match verified {
            Ok(v) => {
                assert_eq!(decoded.as_ref().ok(), Some(&v), "verified but decodes otherwise");
                assert_eq!((v.identifier.as_str(), v.sdk_app_id), (IDENTIFIER, u64::from(APP)));
                assert!(!v.is_expired_at(NOW), "verified although expired at {}", v.expires_at());
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}

fn round_trip(identifier: &str, lifetime: Duration, userbuf: &[u8]) {
    let signer = signer();
    let plain = match signer.generate(identifier, lifetime) {
        Ok(sig) => sig,
        Err(GenerateError::EmptyIdentifier) if identifier.is_empty() => return,
        Err(GenerateError::LifetimeTooLong(secs)) if i64::try_from(secs).is_err() => return,
        Err(e) => panic!("generate refused {identifier:?} for {} s: {e}", lifetime.as_secs()),
    };
    let verified = signer
        .verify(plain.expose(), identifier)
        .unwrap_or_else(|e| panic!("a generated UserSig (lifetime {}) does not verify: {e}", lifetime.as_secs()));
    assert_eq!((verified.time, plain.issued_at(), plain.expires_at()), (NOW, NOW, verified.expires_at()));
    let with_buf = signer.generate_with_userbuf(identifier, lifetime, userbuf).expect("generated once already");
    let verified = signer
        .verify_with_userbuf(with_buf.expose(), identifier, userbuf)
        .unwrap_or_else(|e| panic!("a generated UserSig with a userbuf does not verify: {e}"));
    assert_eq!(verified.userbuf.as_deref(), Some(userbuf));
}

fn check_userbuf(buf: &[u8]) {
    if let Some(key) = PrivateMapKey::parse(buf) {
        assert_eq!(key.room_name.is_some(), buf[0] == 1, "version {} with room {:?}", buf[0], key.room_name);
        assert_eq!(usize::from(u16::from_be_bytes([buf[1], buf[2]])), key.account.len());
    }
}
