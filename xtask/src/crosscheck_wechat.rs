//! `cargo xtask crosscheck` (WeChat part): our push receiver against PyPI wechatpy.
//!
//! With a random token, EncodingAESKey (43 random base64 characters, so its unused trailing
//! bits are usually not zero) and component AppID:
//! - wechatpy's `WeChatCrypto.encrypt_message` encrypts random authorization events and
//!   free texts; ours must verify the signature, decrypt each to the same text, and read
//!   each event's fields;
//! - ours seals random texts (as a push and as an encrypted reply); wechatpy's
//!   `decrypt_message` (which checks the signature and the AppID) must return each text.

use crate::process::{self, Tool};
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};
use wechat_ams::push::{PushCrypto, PushEvent, PushQuery};

const PACKAGES: [&str; 2] = ["wechatpy==1.8.18", "cryptography==50.0.2"];
const SCRIPT: &str = "xtask/scripts/crosscheck_wechat.py";
const CASES: u32 = 200;

pub fn run() -> Result<(), String> {
    let python = match python()? {
        Tool::Ready(python) => python,
        Tool::Unreachable(why) => {
            process::loud(&format!("WeChat cross-check SKIPPED: {why}"));
            return Ok(());
        }
    };
    let seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1;
    let mut rng = XorShift(seed);
    let token = rng.text(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 32);
    let key = rng.text(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/", 43);
    let appid = format!("wx{}", rng.text(b"0123456789abcdef", 16));
    let crypto = PushCrypto::new(token.as_str(), &key, appid.as_str()).map_err(|e| e.to_string())?;
    let context = |e: String| format!("{e} (seed {seed})");

    let theirs =
        process::output(&python, &[SCRIPT, "encrypt", &token, &key, &appid, &CASES.to_string(), &seed.to_string()])?;
    let decrypted = check_theirs(&crypto, &theirs).map_err(context)?;

    let ours = seal_ours(&crypto, &mut rng).map_err(context)?;
    let decrypted_by_them = check_ours(&python, &[&token, &key, &appid], &ours).map_err(context)?;
    eprintln!(
        "crosscheck: {decrypted} WeChat pushes encrypted by wechatpy decrypted by us, \
         {decrypted_by_them} of ours decrypted by wechatpy (wechatpy 1.8.18, seed {seed})"
    );
    Ok(())
}

/// Decrypts and reads every push wechatpy encrypted.
fn check_theirs(crypto: &PushCrypto, lines: &str) -> Result<u32, String> {
    let mut n = 0;
    for line in lines.lines() {
        let case: Value = serde_json::from_str(line).map_err(|e| format!("bad line from wechatpy: {e}"))?;
        let text = |k: &str| case[k].as_str().map(str::to_owned).ok_or_else(|| format!("line without {k}"));
        let query = PushQuery {
            timestamp: text("timestamp")?,
            nonce: text("nonce")?,
            encrypt_type: Some("aes".to_owned()),
            msg_signature: text("msg_signature")?,
            signature: None,
        };
        let body = text("body")?;
        let expected = text("message")?;
        let message =
            crypto.open(&query, body.as_bytes()).map_err(|e| format!("we refuse wechatpy's push {n}: {e}"))?;
        if message != expected {
            return Err(format!("push {n}: we decrypt {message:?}, wechatpy encrypted {expected:?}"));
        }
        if let Some(fields) = case["event"].as_object() {
            let event = crypto.receive(&query, body.as_bytes()).map_err(|e| format!("push {n}: {e}"))?;
            check_event(&event, fields).map_err(|e| format!("push {n}: {e}"))?;
        }
        n += 1;
    }
    if n != CASES {
        return Err(format!("wechatpy produced {n} pushes, not {CASES}"));
    }
    Ok(n)
}

fn check_event(event: &PushEvent, want: &serde_json::Map<String, Value>) -> Result<(), String> {
    let mut got = serde_json::Map::new();
    got.insert("info_type".into(), json!(event.info_type()));
    match event {
        PushEvent::ComponentVerifyTicket { app_id, create_time, ticket } => {
            got.insert("app_id".into(), json!(app_id));
            got.insert("create_time".into(), json!(create_time));
            got.insert("ticket".into(), json!(ticket.expose()));
        }
        PushEvent::Authorized(a) | PushEvent::UpdateAuthorized(a) => {
            got.insert("app_id".into(), json!(a.app_id));
            got.insert("create_time".into(), json!(a.create_time));
            got.insert("authorizer_appid".into(), json!(a.authorizer_appid));
            got.insert("authorization_code".into(), json!(a.authorization_code.expose()));
            got.insert("authorization_code_expired_time".into(), json!(a.authorization_code_expired_time));
            got.insert("pre_auth_code".into(), json!(a.pre_auth_code.expose()));
        }
        PushEvent::Unauthorized { app_id, create_time, authorizer_appid } => {
            got.insert("app_id".into(), json!(app_id));
            got.insert("create_time".into(), json!(create_time));
            got.insert("authorizer_appid".into(), json!(authorizer_appid));
        }
        other => return Err(format!("unexpected event {other:?}")),
    }
    if &got != want {
        return Err(format!("we read {}, wechatpy encrypted {}", Value::Object(got), Value::Object(want.clone())));
    }
    Ok(())
}

/// Seals random texts, half as pushes and half as encrypted replies: (line for wechatpy, text).
fn seal_ours(crypto: &PushCrypto, rng: &mut XorShift) -> Result<Vec<(Value, String)>, String> {
    let mut cases = Vec::new();
    for i in 0..CASES {
        let message = rng.message(700);
        let timestamp = (1_400_000_000 + rng.below(500_000_000)).to_string();
        let nonce = rng.below(10_000_000_000).to_string();
        let line = if i % 2 == 0 {
            let push = crypto.seal(&message, &timestamp, &nonce).map_err(|e| e.to_string())?;
            json!({"timestamp": timestamp, "nonce": nonce, "msg_signature": push.query.msg_signature, "body": push.body})
        } else {
            let reply = crypto.reply(&message, &timestamp, &nonce).map_err(|e| e.to_string())?;
            let signature = reply
                .split("<MsgSignature><![CDATA[")
                .nth(1)
                .and_then(|s| s.split("]]>").next())
                .ok_or("our reply has no MsgSignature")?
                .to_owned();
            json!({"timestamp": timestamp, "nonce": nonce, "msg_signature": signature, "body": reply})
        };
        cases.push((line, message));
    }
    Ok(cases)
}

/// Has wechatpy decrypt our pushes and replies; every text must come back.
fn check_ours(python: &str, args: &[&str; 3], cases: &[(Value, String)]) -> Result<u32, String> {
    let input: String = cases.iter().map(|(line, _)| format!("{line}\n")).collect();
    let mut child = Command::new(python)
        .arg(SCRIPT)
        .arg("decrypt")
        .args(args)
        .current_dir(process::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run {python}: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(input.as_bytes())
        .map_err(|e| format!("cannot write to wechatpy: {e}"))?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("wechatpy refused one of our pushes ({})", out.status));
    }
    let out = String::from_utf8(out.stdout).map_err(|_| "wechatpy printed non-UTF-8 output")?;
    let mut n = 0;
    for (line, (_, expected)) in out.lines().zip(cases) {
        let got: Value = serde_json::from_str(line).map_err(|e| format!("bad line from wechatpy: {e}"))?;
        if got["message"].as_str() != Some(expected.as_str()) {
            return Err(format!("case {n}: wechatpy decrypts {}, we encrypted {expected:?}", got["message"]));
        }
        n += 1;
    }
    if n as usize != cases.len() {
        return Err(format!("wechatpy decrypted {n} of {} pushes", cases.len()));
    }
    Ok(n)
}

/// The venv's interpreter with wechatpy installed, or why it cannot be had.
fn python() -> Result<Tool, String> {
    let script = process::root().join("xtask/scripts/ensure-py-venv.sh");
    let out = Command::new("bash")
        .arg(script)
        .args(PACKAGES)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run ensure-py-venv.sh: {e}"))?;
    match out.status.code() {
        Some(0) => Ok(Tool::Ready(String::from_utf8_lossy(&out.stdout).trim().to_owned())),
        Some(3) => Ok(Tool::Unreachable("Python or PyPI is not available (see the message above)".into())),
        _ => Err(format!("ensure-py-venv.sh {} failed ({})", PACKAGES.join(" "), out.status)),
    }
}

/// A small deterministic generator (xorshift64*), so that a failing run can be replayed
/// from its printed seed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn text(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len).map(|_| char::from(alphabet[self.below(alphabet.len() as u64) as usize])).collect()
    }

    /// Random text of 0 to `max` characters: ASCII, XML specials, CJK, emoji.
    fn message(&mut self, max: u64) -> String {
        const CHARS: &[char] =
            &['a', 'Z', '0', ' ', '<', '>', '&', '"', '\'', ']', '\n', '\t', '中', '文', '微', '信', '😀', '🚀', 'é'];
        let len = self.below(max + 1);
        (0..len).map(|_| CHARS[self.below(CHARS.len() as u64) as usize]).collect()
    }
}
