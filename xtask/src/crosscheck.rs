//! `cargo xtask crosscheck`: our UserSig against the official PyPI and npm packages.
//!
//! For fixed clocks, identifiers and lifetimes, the official libraries generate plain
//! UserSigs, userbuf signatures and PrivateMapKeys. Each must verify with our verifier
//! (and expire one second after `time + expire`), and our signature for the same inputs must
//! carry the same fields, `TLS.sig` and userbuf. In the other direction, CPython's stock
//! zlib must read our UserSigs at every level into the documents we signed.

use crate::process::{self, Tool};
use serde_json::Value;
use std::time::Duration;
use tx_core::clock::ManualClock;
use tx_core::usersig::{Privileges, Room, UserSigSigner, ZlibLevel, decode};

const SDKAPPID: u32 = 1_400_000_000;
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

pub fn run() -> Result<(), String> {
    let mut skipped = Vec::new();
    match process::python()? {
        Tool::Ready(python) => {
            let out = process::output(&python, &["xtask/scripts/crosscheck.py", &SDKAPPID.to_string(), KEY])?;
            let n = check_lines("python", &out)?;
            eprintln!("crosscheck: {n} signatures from PyPI tls-sig-api-v2 1.1 verified and reproduced");
            let n = check_ours_read_by_python(&python)?;
            eprintln!("crosscheck: CPython's zlib reads {n} of our UserSigs (levels 0-9) into the documents we signed");
        }
        Tool::Unreachable(why) => skipped.push(format!("Python cross-check SKIPPED: {why}")),
    }
    match process::node_modules()? {
        Tool::Ready(modules) => {
            let out = process::output("node", &["xtask/scripts/crosscheck.js", &modules, &SDKAPPID.to_string(), KEY])?;
            let n = check_lines("node", &out)?;
            eprintln!("crosscheck: {n} signatures from npm tls-sig-api-v2 1.0.2 verified and reproduced");
        }
        Tool::Unreachable(why) => skipped.push(format!("Node cross-check SKIPPED: {why}")),
    }
    for message in &skipped {
        process::loud(message);
    }
    Ok(())
}

fn check_lines(lib: &str, out: &str) -> Result<usize, String> {
    let mut n = 0;
    for line in out.lines() {
        let case: Value = serde_json::from_str(line).map_err(|e| format!("{lib}: bad line {line:?}: {e}"))?;
        check_case(&case).map_err(|e| format!("{lib} {}: {e}", case["api"]))?;
        n += 1;
    }
    if n == 0 {
        return Err(format!("{lib}: the script produced no signatures"));
    }
    Ok(n)
}

fn check_case(case: &Value) -> Result<(), String> {
    let field = |k: &str| case[k].as_u64().ok_or_else(|| format!("missing {k}"));
    let identifier = case["identifier"].as_str().ok_or("missing identifier")?;
    let theirs = case["usersig"].as_str().ok_or("missing usersig")?;
    let (time, expire) = (field("time")?, field("expire")?);
    let lifetime = Duration::from_secs(expire);
    let at = |now| UserSigSigner::new(SDKAPPID, KEY).with_clock(ManualClock::new(now));
    let signer = at(time);

    let their_doc = decode(theirs).map_err(|e| format!("cannot decode {theirs}: {e}"))?;
    let userbuf = their_doc.userbuf.clone();
    let ours = match (&case["room"], &userbuf) {
        (Value::Number(room), Some(_)) => {
            let room = u32::try_from(room.as_u64().ok_or("room")?).map_err(|e| e.to_string())?;
            signer.private_map_key(identifier, lifetime, Room::Numeric(room), privileges(case)?)
        }
        (Value::String(room), Some(_)) => {
            signer.private_map_key(identifier, lifetime, Room::Named(room), privileges(case)?)
        }
        (_, Some(buf)) => signer.generate_with_userbuf(identifier, lifetime, buf),
        (_, None) => signer.generate(identifier, lifetime),
    }
    .map_err(|e| format!("we cannot generate the same signature: {e}"))?;

    // Their signature verifies with ours, up to and including its last second.
    for now in [time, time + expire] {
        let verified = match &userbuf {
            Some(buf) => at(now).verify_with_userbuf(theirs, identifier, buf),
            None => at(now).verify(theirs, identifier),
        };
        verified.map_err(|e| format!("our verifier rejects their signature at {now}: {e}"))?;
    }
    let expired = match &userbuf {
        Some(buf) => at(time + expire + 1).verify_with_userbuf(theirs, identifier, buf),
        None => at(time + expire + 1).verify(theirs, identifier),
    };
    if expired.is_ok() {
        return Err("our verifier accepts their signature after it expired".into());
    }

    // Same inputs, same HMAC and userbuf.
    let our_doc = decode(ours.expose()).map_err(|e| e.to_string())?;
    if our_doc.signature != their_doc.signature {
        return Err(format!("TLS.sig differs for {identifier} at {time}+{expire}"));
    }
    if our_doc.userbuf != their_doc.userbuf {
        return Err(format!("userbuf differs: ours {:?}, theirs {:?}", our_doc.userbuf, their_doc.userbuf));
    }
    if let Some(hex) = case["userbuf"].as_str() {
        let expected = hex_decode(hex)?;
        if Some(&expected) != their_doc.userbuf.as_ref() {
            return Err("the script's userbuf is not the one in its signature".into());
        }
    }

    let same_fields = (our_doc.identifier == their_doc.identifier)
        && (our_doc.sdk_app_id, our_doc.time, our_doc.expire)
            == (their_doc.sdk_app_id, their_doc.time, their_doc.expire);
    if !same_fields {
        return Err(format!("our document differs from theirs: {our_doc:?} vs {their_doc:?}"));
    }
    Ok(())
}

fn privileges(case: &Value) -> Result<Privileges, String> {
    let bits = case["privilege"].as_u64().ok_or("missing privilege")?;
    Ok(Privileges::from_bits(u32::try_from(bits).map_err(|e| e.to_string())?))
}

/// Our UserSigs at every zlib level, read back by CPython's stock zlib and JSON parser.
fn check_ours_read_by_python(python: &str) -> Result<usize, String> {
    let mut sigs = Vec::new();
    for level in 0..=9 {
        let level = ZlibLevel::new(level).ok_or("level")?;
        for (i, identifier) in ["xiaojun", "administrator", "用户", "a\"quoted\\name"].into_iter().enumerate() {
            let signer = UserSigSigner::new(SDKAPPID, KEY)
                .with_level(level)
                .with_clock(ManualClock::new(1_700_000_000 + i as u64));
            let sig = match i {
                0 => signer.generate(identifier, Duration::from_secs(86_400)),
                _ => signer.generate_with_userbuf(identifier, Duration::from_secs(600), b"\x00buf"),
            }
            .map_err(|e| e.to_string())?;
            sigs.push(sig);
        }
    }
    let input: String = sigs.iter().map(|s| format!("{}\n", s.expose())).collect();
    let out = process::output_with_input(python, &["xtask/scripts/read_usersigs.py"], &input)?;
    let lines: Vec<&str> = out.lines().collect();
    if lines.len() != sigs.len() {
        return Err(format!("python read {} of our {} UserSigs", lines.len(), sigs.len()));
    }
    for (sig, line) in sigs.iter().zip(lines) {
        let theirs: Value = serde_json::from_str(line).map_err(|e| format!("python printed {line:?}: {e}"))?;
        let ours = decode(sig.expose()).map_err(|e| e.to_string())?;
        let expected = serde_json::json!({
            "TLS.ver": ours.version,
            "TLS.identifier": ours.identifier,
            "TLS.sdkappid": ours.sdk_app_id,
            "TLS.time": ours.time,
            "TLS.expire": ours.expire,
            "TLS.sig": ours.signature.expose(),
        });
        let mut expected = expected.as_object().cloned().unwrap_or_default();
        if let Some(buf) = &ours.userbuf_base64 {
            expected.insert("TLS.userbuf".into(), Value::from(buf.as_str()));
        }
        if theirs != Value::Object(expected) {
            return Err(format!("python read {line} from our {}", sig.expose()));
        }
    }
    Ok(sigs.len())
}

fn hex_decode(hex: &str) -> Result<Vec<u8>, String> {
    if !hex.len().is_multiple_of(2) {
        return Err("odd-length hex".into());
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|e| e.to_string())).collect()
}
