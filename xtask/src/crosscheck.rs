//! `cargo xtask crosscheck`: our UserSig against the official PyPI and npm packages.
//!
//! For fixed clocks, identifiers and lifetimes, the official libraries generate plain
//! UserSigs, userbuf signatures and PrivateMapKeys. Each must verify with our verifier
//! (and expire one second after `time + expire`), our signature for the same inputs must
//! carry the same `TLS.sig` and userbuf, and re-encoding a Python document with our zlib
//! must reproduce Python's UserSig byte for byte. A live comparison of our zlib encoder with
//! CPython's on random inputs follows.

use crate::process::{self, Tool};
use serde_json::Value;
use std::time::Duration;
use tx_core::clock::ManualClock;
use tx_core::usersig::{Privileges, Room, UserSigSigner, ZlibLevel, decode, wire};

const SDKAPPID: u32 = 1_400_000_000;
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const ZLIB_CASES: u32 = 3000;

pub fn run() -> Result<(), String> {
    let mut skipped = Vec::new();
    match process::python()? {
        Tool::Ready(python) => {
            let out = process::output(&python, &["xtask/scripts/crosscheck.py", &SDKAPPID.to_string(), KEY])?;
            let n = check_lines("python", &out)?;
            eprintln!("crosscheck: {n} signatures from PyPI tls-sig-api-v2 1.1 verified and reproduced");
            let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_secs());
            let vectors = process::output(
                &python,
                &["xtask/scripts/zlib-vectors.py", &seed.to_string(), &ZLIB_CASES.to_string(), "--usersig"],
            )?;
            check_zlib(&vectors).map_err(|e| format!("{e} (zlib-vectors.py seed {seed})"))?;
            eprintln!("crosscheck: our zlib equals CPython's zlib on {ZLIB_CASES} random inputs (seed {seed})");
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

    // Python compresses with stock zlib at level 6: our encoder must reproduce it exactly.
    if case["lib"] == "python" {
        let json = wire::decode(theirs).map_err(|e| e.to_string())?;
        let again = wire::encode(&json, ZlibLevel::DEFAULT);
        if again != theirs {
            return Err(format!("re-encoding their document gives {again}, not {theirs}"));
        }
    }
    Ok(())
}

fn privileges(case: &Value) -> Result<Privileges, String> {
    let bits = case["privilege"].as_u64().ok_or("missing privilege")?;
    Ok(Privileges::from_bits(u32::try_from(bits).map_err(|e| e.to_string())?))
}

fn check_zlib(vectors: &str) -> Result<(), String> {
    for (i, line) in vectors.lines().enumerate() {
        let mut parts = line.split(' ');
        let (Some(level), Some(input), Some(expected)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("bad zlib vector line {}", i + 1));
        };
        let level = level.parse().ok().and_then(ZlibLevel::new).ok_or("bad level")?;
        let input = hex_decode(input)?;
        let ours = wire::encode(&input, level);
        if ours != expected {
            return Err(format!(
                "zlib output differs from CPython on case {} ({} bytes, level {})",
                i + 1,
                input.len(),
                level.get()
            ));
        }
    }
    Ok(())
}

fn hex_decode(hex: &str) -> Result<Vec<u8>, String> {
    if !hex.len().is_multiple_of(2) {
        return Err("odd-length hex".into());
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|e| e.to_string())).collect()
}
