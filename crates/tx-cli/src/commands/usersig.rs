//! `tx usersig gen|verify|decode`.

use crate::cli::{AppArgs, UserbufArgs, UsersigCommand, UsersigDecodeArgs, UsersigGenArgs, UsersigVerifyArgs};
use crate::config::Profile;
use crate::error::CliError;
use crate::output::Printer;
use serde_json::json;
use std::time::Duration;
use tx_sdk::clock::{ManualClock, SystemClock};
use tx_sdk::usersig::{DecodedUserSig, PrivateMapKey, Privileges, Room, UserSigSigner, ZlibLevel, decode};

pub fn run(command: UsersigCommand, profile: &Profile, out: &mut Printer) -> Result<(), CliError> {
    match command {
        UsersigCommand::Gen(args) => gen_sig(args, profile, out),
        UsersigCommand::Verify(args) => verify(args, profile, out),
        UsersigCommand::Decode(args) => decode_sig(args, out),
    }
}

/// The signer from flags, environment or profile.
pub fn signer(app: &AppArgs, profile: &Profile) -> Result<UserSigSigner, CliError> {
    let sdk_app_id = app.sdk_app_id.or(profile.tim.sdk_app_id).ok_or_else(|| {
        CliError::config("no SDKAppID: pass --sdk-app-id, set TIM_SDK_APP_ID, or add tim.sdk_app_id to the profile")
    })?;
    let key = match (&app.secret_key, &profile.tim.secret_key) {
        (Some(k), _) => tx_sdk::Secret::new(k.clone()),
        (None, Some(k)) => k.clone(),
        (None, None) => {
            return Err(CliError::config(
                "no secret key: set TIM_SECRET_KEY, add tim.secret_key to the profile, or pass --secret-key",
            ));
        }
    };
    if key.is_empty() {
        return Err(CliError::config("the secret key is empty"));
    }
    Ok(UserSigSigner::new(sdk_app_id, key))
}

fn identifier(given: Option<String>, profile: &Profile) -> Result<String, CliError> {
    given.or_else(|| profile.tim.admin.clone()).filter(|i| !i.is_empty()).ok_or_else(|| {
        CliError::input("no identifier: pass --identifier, set TIM_ADMIN, or add tim.admin to the profile")
    })
}

fn room(args: &UserbufArgs) -> Option<Room<'_>> {
    match (&args.room, &args.room_name) {
        (Some(id), _) => Some(Room::Numeric(*id)),
        (None, Some(name)) => Some(Room::Named(name)),
        (None, None) => None,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Result<Vec<u8>, CliError> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CliError::input("--userbuf must be an even number of hex digits"));
    }
    Ok((0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap_or(0)).collect())
}

fn gen_sig(args: UsersigGenArgs, profile: &Profile, out: &mut Printer) -> Result<(), CliError> {
    let level = ZlibLevel::new(args.level).ok_or_else(|| CliError::input("--level must be 0-9"))?;
    let signer = signer(&args.app, profile)?.with_level(level);
    let identifier = identifier(args.identifier, profile)?;
    let lifetime = Duration::from_secs(args.expire);
    let sig = match (room(&args.userbuf), &args.userbuf.userbuf) {
        (Some(room), _) => {
            signer.private_map_key(&identifier, lifetime, room, Privileges::from_bits(args.userbuf.privileges))
        }
        (None, Some(buf)) => signer.generate_with_userbuf(&identifier, lifetime, &unhex(buf)?),
        (None, None) => signer.generate(&identifier, lifetime),
    }
    .map_err(|e| CliError::input(format!("cannot generate: {e}")))?;
    out.record(
        &json!({"usersig": sig.expose(), "identifier": identifier, "time": sig.issued_at(), "expire": sig.expire(), "expires_at": sig.expires_at()}),
        || sig.expose().to_owned(),
    );
    Ok(())
}

fn verify(args: UsersigVerifyArgs, profile: &Profile, out: &mut Printer) -> Result<(), CliError> {
    let signer = signer(&args.app, profile)?;
    let signer = match args.now {
        Some(now) => signer.with_clock(ManualClock::new(now)),
        None => signer.with_clock(SystemClock),
    };
    let identifier = identifier(args.identifier, profile)?;
    let expected_userbuf = match (room(&args.userbuf), &args.userbuf.userbuf) {
        (Some(room), _) => {
            Some(expected_private_map_key(&signer, &args.usersig, &identifier, room, args.userbuf.privileges)?)
        }
        (None, Some(buf)) => Some(unhex(buf)?),
        (None, None) => None,
    };
    let result = match &expected_userbuf {
        Some(buf) => signer.verify_with_userbuf(&args.usersig, &identifier, buf),
        None => signer.verify(&args.usersig, &identifier),
    };
    match result {
        Ok(d) => {
            out.record(
                &json!({"valid": true, "identifier": d.identifier, "sdkappid": d.sdk_app_id, "expires_at": d.expires_at()}),
                || format!("valid: issued to {} by SDKAppID {}, valid until {}", d.identifier, d.sdk_app_id, d.expires_at()),
            );
            Ok(())
        }
        Err(e) => {
            out.record(&json!({"valid": false, "reason": e.to_string()}), || format!("invalid: {e}"));
            Err(CliError::failed(format!("the UserSig does not verify: {e}")))
        }
    }
}

/// The userbuf a PrivateMapKey for `room` must carry: its expiry is read from the signature
/// itself (it is `time + expire`), the rest from the arguments.
fn expected_private_map_key(
    signer: &UserSigSigner,
    usersig: &str,
    identifier: &str,
    room: Room<'_>,
    privileges: u32,
) -> Result<Vec<u8>, CliError> {
    let decoded = decode(usersig).map_err(|e| CliError::failed(format!("the UserSig does not verify: {e}")))?;
    let at = UserSigSigner::clone(signer).with_clock(ManualClock::new(decoded.time));
    let lifetime = Duration::from_secs(u64::try_from(decoded.expire).unwrap_or(0));
    let made = at
        .private_map_key(identifier, lifetime, room, Privileges::from_bits(privileges))
        .map_err(|e| CliError::input(format!("cannot build the expected PrivateMapKey: {e}")))?;
    decode(made.expose()).ok().and_then(|d| d.userbuf).ok_or_else(|| CliError::input("no userbuf"))
}

fn decode_sig(args: UsersigDecodeArgs, out: &mut Printer) -> Result<(), CliError> {
    let d = decode(&args.usersig).map_err(|e| CliError::failed(format!("cannot decode the UserSig: {e}")))?;
    let value = decoded_json(&d, args.show_signature);
    out.record(&value, || serde_json::to_string_pretty(&value).unwrap_or_default());
    Ok(())
}

fn decoded_json(d: &DecodedUserSig, show_signature: bool) -> serde_json::Value {
    let mut v = json!({
        "TLS.ver": d.version,
        "TLS.identifier": d.identifier,
        "TLS.sdkappid": d.sdk_app_id,
        "TLS.time": d.time,
        "TLS.expire": d.expire,
        "expires_at": d.expires_at(),
        "TLS.sig": if show_signature { d.signature.expose() } else { "*** (--show-signature to print)" },
    });
    if let Some(buf) = &d.userbuf {
        v["TLS.userbuf"] = json!(hex(buf));
        if let Some(pmk) = PrivateMapKey::parse(buf) {
            v["private_map_key"] = json!({
                "account": pmk.account,
                "sdkappid": pmk.sdk_app_id,
                "room_id": pmk.room_id,
                "room_name": pmk.room_name,
                "expires_at": pmk.expires_at,
                "privileges": pmk.privileges.bits(),
            });
        }
    }
    v
}
