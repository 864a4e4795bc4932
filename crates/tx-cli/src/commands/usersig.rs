//! `tx usersig gen|verify|decode`.

use crate::cli::{UserbufArgs, UsersigCommand, UsersigDecodeArgs, UsersigGenArgs, UsersigInput, UsersigVerifyArgs};
use crate::exit::{self, CliError};
use crate::output::{Column, Printer, Row, Summary};
use crate::settings::{self, Signing};
use std::io::Read;
use std::time::Duration;
use tx_sdk::clock::{ManualClock, SystemClock};
use tx_sdk::config::Config;
use tx_sdk::usersig::{DecodedUserSig, PrivateMapKey, Privileges, Room, UserSigSigner, ZlibLevel, decode};

const GEN: &[Column] = &[Column::new("USERSIG", "usersig", 0)];
const VERIFY: &[Column] = &[
    Column::new("VALID", "valid", 6),
    Column::new("IDENTIFIER", "identifier", 16),
    Column::new("EXPIRES_AT", "expires_at", 21),
    Column::new("REASON", "reason", 0),
];
const DECODE: &[Column] = &[
    Column::new("IDENTIFIER", "identifier", 16),
    Column::new("SDKAPPID", "sdk_app_id", 11),
    Column::new("ISSUED_AT", "issued_at", 21),
    Column::new("EXPIRES_AT", "expires_at", 21),
    Column::new("USERBUF", "userbuf", 0),
];

pub fn run(command: UsersigCommand, config: Config, json: bool) -> Result<u8, CliError> {
    match command {
        UsersigCommand::Gen(args) => {
            let signing = settings::signing(&args.app, config)?;
            generate(args, signing, &mut Printer::new(json, GEN))
        }
        UsersigCommand::Verify(args) => {
            let signing = settings::signing(&args.app, config)?;
            verify(args, signing, &mut Printer::new(json, VERIFY))
        }
        UsersigCommand::Decode(args) => decode_sig(args, &mut Printer::new(json, DECODE)),
    }
}

fn identifier(given: Option<String>, signing: &Signing) -> Result<String, CliError> {
    given.or_else(|| signing.admin.clone()).filter(|i| !i.is_empty()).ok_or_else(|| {
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
    Ok((0..text.len()).step_by(2).filter_map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect())
}

/// The UserSig of an argument, a file, or stdin.
fn read_usersig(input: &UsersigInput) -> Result<String, CliError> {
    let text = match (&input.usersig, &input.usersig_file) {
        (Some(sig), _) if sig != "-" => sig.clone(),
        (_, Some(path)) => std::fs::read_to_string(path)
            .map_err(|e| CliError::input(format!("cannot read {}: {e}", path.display())))?,
        _ => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text)?;
            text
        }
    };
    let sig = text.trim().to_owned();
    if sig.is_empty() {
        return Err(CliError::input("no UserSig: give it as an argument, with --usersig-file, or on stdin"));
    }
    Ok(sig)
}

fn generate(args: UsersigGenArgs, signing: Signing, out: &mut Printer) -> Result<u8, CliError> {
    let level = ZlibLevel::new(args.level).ok_or_else(|| CliError::input("--level must be 0-9"))?;
    let identifier = identifier(args.identifier, &signing)?;
    let signer = signing.signer.with_level(level);
    let lifetime = Duration::from_secs(args.expire);
    let sig = match (room(&args.userbuf), &args.userbuf.userbuf) {
        (Some(room), _) => {
            signer.private_map_key(&identifier, lifetime, room, Privileges::from_bits(args.userbuf.privileges))
        }
        (None, Some(buf)) => signer.generate_with_userbuf(&identifier, lifetime, &unhex(buf)?),
        (None, None) => signer.generate(&identifier, lifetime),
    }
    .map_err(|e| CliError::input(format!("cannot generate: {e}")))?;
    let row = Row::new("usersig", "usersig gen")
        .field("usersig", sig.expose())
        .field("identifier", identifier)
        .field("sdk_app_id", signer.sdk_app_id())
        .time("issued_at", "issued_at_unix", sig.issued_at())
        .field("expire", sig.expire())
        .time("expires_at", "expires_at_unix", sig.expires_at());
    out.record(&row);
    out.summary(&Summary::of_records("usersig gen", 1, 0, 0));
    Ok(exit::OK)
}

fn verify(args: UsersigVerifyArgs, signing: Signing, out: &mut Printer) -> Result<u8, CliError> {
    let usersig = read_usersig(&args.input)?;
    let signer = match args.now {
        Some(now) => signing.signer.clone().with_clock(ManualClock::new(now)),
        None => signing.signer.clone().with_clock(SystemClock),
    };
    let identifier = identifier(args.identifier, &signing)?;
    let expected_userbuf = match (room(&args.userbuf), &args.userbuf.userbuf) {
        (Some(room), _) => expected_private_map_key(&signer, &usersig, &identifier, room, args.userbuf.privileges),
        (None, Some(buf)) => Some(unhex(buf)?),
        (None, None) => None,
    };
    let result = match &expected_userbuf {
        Some(buf) => signer.verify_with_userbuf(&usersig, &identifier, buf),
        None => signer.verify(&usersig, &identifier),
    };
    let row = Row::new("verification", "usersig verify").field("identifier", identifier.as_str());
    let (row, summary) = match &result {
        Ok(d) => (
            row.field("valid", true)
                .time("expires_at", "expires_at_unix", d.expires_at())
                .field("reason", None::<String>),
            Summary::of_records("usersig verify", 1, 0, 0),
        ),
        Err(e) => (
            row.field("valid", false)
                .field("expires_at", None::<String>)
                .field("expires_at_unix", None::<u64>)
                .field("reason", e.to_string()),
            Summary::of_records("usersig verify", 1, 0, 0).with_failure("invalid", exit::ITEMS_FAILED),
        ),
    };
    out.record(&row);
    out.summary(&summary);
    Ok(summary.exit_code())
}

/// The userbuf a PrivateMapKey for `room` must carry: its expiry is read from the signature
/// itself (it is `time + expire`), the rest from the arguments. `None` if the signature
/// cannot be decoded (verification then says why).
fn expected_private_map_key(
    signer: &UserSigSigner,
    usersig: &str,
    identifier: &str,
    room: Room<'_>,
    privileges: u32,
) -> Option<Vec<u8>> {
    let decoded = decode(usersig).ok()?;
    let at = signer.clone().with_clock(ManualClock::new(decoded.time));
    let lifetime = Duration::from_secs(u64::try_from(decoded.expire).unwrap_or(0));
    let made = at.private_map_key(identifier, lifetime, room, Privileges::from_bits(privileges)).ok()?;
    decode(made.expose()).ok().and_then(|d| d.userbuf)
}

fn decode_sig(args: UsersigDecodeArgs, out: &mut Printer) -> Result<u8, CliError> {
    let usersig = read_usersig(&args.input)?;
    let d = decode(&usersig).map_err(|e| CliError::input(format!("cannot decode the UserSig: {e}")))?;
    out.record(&decoded_row(&d, args.show_signature));
    out.summary(&Summary::of_records("usersig decode", 1, 0, 0));
    Ok(exit::OK)
}

fn decoded_row(d: &DecodedUserSig, show_signature: bool) -> Row {
    let signature = if show_signature { d.signature.expose() } else { "*** (--show-signature to print)" };
    let pmk = d.userbuf.as_deref().and_then(PrivateMapKey::parse).map(|pmk| {
        serde_json::json!({
            "account": pmk.account,
            "sdk_app_id": pmk.sdk_app_id,
            "room_id": pmk.room_id,
            "room_name": pmk.room_name,
            "expires_at": crate::output::time::rfc3339(pmk.expires_at.into()),
            "expires_at_unix": pmk.expires_at,
            "privileges": pmk.privileges.bits(),
        })
    });
    Row::new("decoded", "usersig decode")
        .field("version", d.version.as_str())
        .field("identifier", d.identifier.as_str())
        .field("sdk_app_id", d.sdk_app_id)
        .time("issued_at", "issued_at_unix", d.time)
        .field("expire", d.expire)
        .time("expires_at", "expires_at_unix", d.expires_at())
        .field("signature", signature)
        .field("userbuf", d.userbuf.as_deref().map(hex))
        .field("private_map_key", pmk)
}
