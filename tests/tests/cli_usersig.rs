//! `tx usersig gen|verify|decode`, run as a binary.

use tx_tests::{APP, KEY, Tx};

fn gen_args(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["usersig", "--json", "gen", "--sdk-app-id", &APP.to_string(), "--identifier", "alice"]
        .map(String::from)
        .to_vec();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn generate(extra: &[&str]) -> serde_json::Value {
    let run = Tx::new(gen_args(extra)).env("TIM_SECRET_KEY", KEY).run();
    assert_eq!(run.code, 0, "{run:?}");
    run.records("usersig").remove(0)
}

/// Verifies with the signature as the last argument.
fn verify(usersig: &str, extra: &[&str]) -> tx_tests::Run {
    let mut args: Vec<String> =
        ["usersig", "--json", "verify", "--sdk-app-id", &APP.to_string()].map(String::from).to_vec();
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(usersig.to_owned());
    Tx::new(args).env("TIM_SECRET_KEY", KEY).run()
}

fn verification(run: &tx_tests::Run) -> serde_json::Value {
    run.records("verification").remove(0)
}

#[test]
fn generate_then_verify() {
    let sig = generate(&["--expire", "3600"]);
    let usersig = sig["usersig"].as_str().unwrap();
    assert_eq!(sig["expire"], 3600);
    assert_eq!(sig["expires_at_unix"].as_u64().unwrap(), sig["issued_at_unix"].as_u64().unwrap() + 3600);
    assert!(sig["issued_at"].as_str().unwrap().ends_with('Z'));

    let ok = verify(usersig, &["--identifier", "alice"]);
    assert_eq!(ok.code, 0, "{ok:?}");
    assert_eq!(verification(&ok)["valid"], true);

    let wrong_id = verify(usersig, &["--identifier", "bob"]);
    assert_eq!(wrong_id.code, 1);
    assert!(verification(&wrong_id)["reason"].as_str().unwrap().contains("issued to identifier \"alice\""));

    let later = (sig["expires_at_unix"].as_u64().unwrap() + 1).to_string();
    let expired = verify(usersig, &["--identifier", "alice", "--now", &later]);
    assert_eq!(expired.code, 1);
    assert!(verification(&expired)["reason"].as_str().unwrap().contains("expired"), "{expired:?}");
    let last = sig["expires_at_unix"].as_u64().unwrap().to_string();
    assert_eq!(verify(usersig, &["--identifier", "alice", "--now", &last]).code, 0, "valid through its last second");
}

#[test]
fn the_signature_comes_from_stdin_or_a_file_as_well() {
    let sig = generate(&[]);
    let usersig = sig["usersig"].as_str().unwrap().to_owned();
    let base = ["usersig", "--json", "verify", "--sdk-app-id", "1400000000", "--identifier", "alice"];
    let stdin = Tx::new(base).env("TIM_SECRET_KEY", KEY).stdin(format!("{usersig}\n")).run();
    assert_eq!(stdin.code, 0, "{stdin:?}");
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), &usersig).unwrap();
    let mut args = base.to_vec();
    args.extend(["--usersig-file", f.path().to_str().unwrap()]);
    assert_eq!(Tx::new(args).env("TIM_SECRET_KEY", KEY).run().code, 0);
    let decoded = Tx::new(["usersig", "--json", "decode", "-"]).stdin(usersig).run();
    assert_eq!(decoded.records("decoded")[0]["identifier"], "alice");
    let help = Tx::new(["usersig", "verify", "--help"]).run();
    assert!(help.stdout.contains("visible in process lists"), "the help warns about the argument form");
}

#[test]
fn private_map_keys_and_userbufs() {
    let numeric = generate(&["--room", "10000", "--privileges", "255"]);
    let sig = numeric["usersig"].as_str().unwrap();
    assert_eq!(verify(sig, &["--identifier", "alice", "--room", "10000"]).code, 0);
    assert_eq!(verify(sig, &["--identifier", "alice", "--room", "10001"]).code, 1, "another room is refused");
    assert_eq!(verify(sig, &["--identifier", "alice"]).code, 1, "a userbuf where none is expected is refused");

    let named = generate(&["--room-name", "room-42", "--privileges", "42"]);
    let sig = named["usersig"].as_str().unwrap();
    assert_eq!(verify(sig, &["--identifier", "alice", "--room-name", "room-42", "--privileges", "42"]).code, 0);

    let raw = generate(&["--userbuf", "616263"]);
    assert_eq!(verify(raw["usersig"].as_str().unwrap(), &["--identifier", "alice", "--userbuf", "616263"]).code, 0);
}

#[test]
fn decode_masks_the_signature_unless_asked() {
    let sig = generate(&["--room", "7"]);
    let usersig = sig["usersig"].as_str().unwrap();
    let run = Tx::new(["usersig", "--json", "decode", usersig]).run();
    assert_eq!(run.code, 0, "{run:?}");
    let fields = &run.records("decoded")[0];
    assert_eq!(fields["identifier"], "alice");
    assert_eq!(fields["sdk_app_id"], APP);
    assert_eq!(fields["private_map_key"]["room_id"], 7);
    assert!(fields["signature"].as_str().unwrap().starts_with("***"));
    let shown = Tx::new(["usersig", "--json", "decode", "--show-signature", usersig]).run();
    assert_eq!(shown.records("decoded")[0]["signature"].as_str().unwrap().len(), 44);

    let garbage = Tx::new(["usersig", "decode", "not-a-usersig!"]).run();
    assert_eq!(garbage.code, 2);
    assert_eq!(garbage.stderr.lines().count(), 1, "{garbage:?}");
}

#[test]
fn every_accepted_lifetime_and_level_gives_a_signature_that_verifies() {
    for level in ["0", "1", "9"] {
        let sig = generate(&["--level", level]);
        assert_eq!(verify(sig["usersig"].as_str().unwrap(), &["--identifier", "alice"]).code, 0, "level {level}");
    }
    let bad = Tx::new(gen_args(&["--level", "10"])).env("TIM_SECRET_KEY", KEY).run();
    assert_eq!(bad.code, 2, "{bad:?}");
    // The longest lifetime a UserSig can carry: never malformed when verified.
    let max = generate(&["--expire", "9223372036854775807"]);
    let run = verify(max["usersig"].as_str().unwrap(), &["--identifier", "alice"]);
    assert_eq!(run.code, 0, "{run:?}");
    // A PrivateMapKey keeps its absolute expiry in 32 bits: refused, not made.
    let pmk = Tx::new(gen_args(&["--room", "1", "--expire", "9223372036854775807"])).env("TIM_SECRET_KEY", KEY).run();
    assert_eq!(pmk.code, 2, "{pmk:?}");
    assert!(pmk.stdout.is_empty());
}
