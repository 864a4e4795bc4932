//! `tx usersig gen|verify|decode`, run as a binary.

use tx_tests::{APP, KEY, Tx};

fn gen_args(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["--json", "usersig", "gen", "--sdk-app-id", &APP.to_string(), "--identifier", "alice"]
        .map(String::from)
        .to_vec();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn generate(extra: &[&str]) -> serde_json::Value {
    let run = Tx::new(gen_args(extra)).env("TIM_SECRET_KEY", KEY).run();
    assert_eq!(run.code, 0, "{run:?}");
    run.json_lines().remove(0)
}

fn verify(usersig: &str, extra: &[&str]) -> tx_tests::Run {
    let mut args: Vec<String> =
        ["--json", "usersig", "verify", "--sdk-app-id", &APP.to_string()].map(String::from).to_vec();
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(usersig.to_owned());
    Tx::new(args).env("TIM_SECRET_KEY", KEY).run()
}

#[test]
fn generate_then_verify() {
    let sig = generate(&["--expire", "3600"]);
    let usersig = sig["usersig"].as_str().unwrap();
    assert_eq!(sig["expire"], 3600);
    assert_eq!(sig["expires_at"].as_u64().unwrap(), sig["time"].as_u64().unwrap() + 3600);

    let ok = verify(usersig, &["--identifier", "alice"]);
    assert_eq!(ok.code, 0, "{ok:?}");
    assert_eq!(ok.json_lines()[0]["valid"], true);

    let wrong_id = verify(usersig, &["--identifier", "bob"]);
    assert_eq!(wrong_id.code, 1);
    assert!(wrong_id.json_lines()[0]["reason"].as_str().unwrap().contains("issued to identifier \"alice\""));

    let later = (sig["expires_at"].as_u64().unwrap() + 1).to_string();
    let expired = verify(usersig, &["--identifier", "alice", "--now", &later]);
    assert_eq!(expired.code, 1);
    assert!(expired.stderr.contains("expired"), "{expired:?}");
    let earlier = sig["expires_at"].as_u64().unwrap().to_string();
    assert_eq!(verify(usersig, &["--identifier", "alice", "--now", &earlier]).code, 0, "valid through its last second");
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
    let run = Tx::new(["--json", "usersig", "decode", usersig]).run();
    assert_eq!(run.code, 0, "{run:?}");
    let fields = &run.json_lines()[0];
    assert_eq!(fields["TLS.identifier"], "alice");
    assert_eq!(fields["TLS.sdkappid"], APP);
    assert_eq!(fields["private_map_key"]["room_id"], 7);
    assert!(fields["TLS.sig"].as_str().unwrap().starts_with("***"));
    let shown = Tx::new(["--json", "usersig", "decode", "--show-signature", usersig]).run();
    assert_eq!(shown.json_lines()[0]["TLS.sig"].as_str().unwrap().len(), 44);

    let garbage = Tx::new(["usersig", "decode", "not-a-usersig!"]).run();
    assert_eq!(garbage.code, 1);
    assert_eq!(garbage.stderr.lines().count(), 1, "{garbage:?}");
}

#[test]
fn levels_are_all_accepted() {
    for level in ["0", "1", "9"] {
        let sig = generate(&["--level", level]);
        assert_eq!(verify(sig["usersig"].as_str().unwrap(), &["--identifier", "alice"]).code, 0, "level {level}");
    }
    let bad = Tx::new(gen_args(&["--level", "10"])).env("TIM_SECRET_KEY", KEY).run();
    assert_eq!(bad.code, 2, "{bad:?}");
}
