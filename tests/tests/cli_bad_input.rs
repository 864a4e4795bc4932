//! Bad input and bad configuration: each case is one clear line on stderr, its own exit
//! code, and no request.

use std::io::Write;
use tx_tests::{Tx, emulator};

struct Case {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    stdin: Option<&'static str>,
    code: i32,
    says: &'static str,
}

fn case(name: &'static str, args: &[&str], code: i32, says: &'static str) -> Case {
    Case { name, args: args.iter().map(|s| s.to_string()).collect(), env: Vec::new(), stdin: None, code, says }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_bad_input_is_one_clear_line_and_nothing_is_sent() {
    let emu = emulator(&["alice", "bob"]).await;
    let url = emu.base_url().to_owned();
    let file = |text: &str| {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    };
    let blank = file("bob\n\ncarol\n");
    let dup = file("bob\ncarol\nbob\n");
    let bad_csv = file("From_Account,To_Account\nalice,bob\nalice;bob\n");
    let nul = file("bob\nca\u{0}rol\n");
    let zero_width = file("bob\ncar\u{200B}ol\n");
    let bom_inside = file("bob\n\u{FEFF}carol\n");
    let quote = file("alice,bob\n\"carol,dave\n");
    let bad_config = file("[profiles.default.tim]\nsdk_app_id = 1400000000\nsecretkey = \"x\"\n");
    let broken_config = file("[profiles.default.tim]\nsdk_app_id = \n");
    let path = |f: &tempfile::NamedTempFile| f.path().to_str().unwrap().to_owned();
    let long = "x".repeat(33);

    let mut cases = vec![
        Case {
            env: vec![("TIM_SDK_APP_ID", String::new())],
            ..case(
                "missing SDKAppID",
                &["tim", "blocklist", "list", "--from", "alice"],
                3,
                "pass --sdk-app-id, set TIM_SDK_APP_ID",
            )
        },
        Case {
            env: vec![("TIM_REGION", "atlantis".into())],
            ..case(
                "unknown region in the environment",
                &["tim", "blocklist", "list", "--from", "alice"],
                3,
                "TIM_REGION",
            )
        },
        case(
            "unknown region flag",
            &["tim", "--region", "atlantis", "blocklist", "list", "--from", "alice"],
            2,
            "atlantis",
        ),
        Case {
            env: vec![("TIM_RATE_LIMIT", "fast".into())],
            ..case("bad rate limit", &["tim", "blocklist", "list", "--from", "alice"], 3, "TIM_RATE_LIMIT")
        },
        case(
            "concurrency 0",
            &["tim", "--concurrency", "0", "blocklist", "list", "--from", "alice"],
            2,
            "--concurrency",
        ),
        case("empty id", &["tim", "blocklist", "add", "--from", "alice", ""], 2, "argument 1 is blank"),
        case("empty owner", &["tim", "blocklist", "add", "--from", "", "bob"], 2, "--from is blank"),
        case("oversized id", &["tim", "blocklist", "add", "--from", "alice", &long], 2, "33 bytes long"),
        case("control character", &["tim", "blocklist", "add", "--from", "alice", "b\u{7}ob"], 2, "control character"),
        case(
            "repeated argument",
            &["tim", "blocklist", "add", "--from", "alice", "bob", "bob"],
            2,
            "argument 2 repeats argument 1",
        ),
        case(
            "blank line in a file",
            &["tim", "blocklist", "add", "--from", "alice", "--from-file", &path(&blank)],
            2,
            "line 2 is blank",
        ),
        case(
            "duplicate in a file",
            &["tim", "blocklist", "check", "--from", "alice", "--from-file", &path(&dup)],
            2,
            "line 3 repeats line 1",
        ),
        case(
            "NUL in a file",
            &["tim", "blocklist", "add", "--from", "alice", "--from-file", &path(&nul)],
            2,
            "line 2 holds a control character (U+0000)",
        ),
        case(
            "zero-width space in a file",
            &["tim", "blocklist", "add", "--from", "alice", "--from-file", &path(&zero_width)],
            2,
            "line 2 holds a zero-width space",
        ),
        case(
            "byte-order mark inside a file",
            &["tim", "blocklist", "add", "--from", "alice", "--from-file", &path(&bom_inside)],
            2,
            "line 2 holds a byte-order mark",
        ),
        case("malformed CSV row", &["tim", "blocklist", "add", "--pairs", &path(&bad_csv)], 2, "line 3 has 1 fields"),
        case("unterminated CSV quote", &["tim", "blocklist", "add", "--pairs", &path(&quote)], 2, "line 2"),
        case("no ids", &["tim", "blocklist", "add", "--from", "alice"], 2, "no ids"),
        case(
            "missing file",
            &["tim", "blocklist", "add", "--from", "alice", "--from-file", "/nonexistent/ids.txt"],
            2,
            "/nonexistent/ids.txt",
        ),
        case("unknown flag", &["tim", "blocklist", "add", "--frm", "alice", "bob"], 2, "--frm"),
        case(
            "unknown config key",
            &["tim", "--config", &path(&bad_config), "blocklist", "list", "--from", "alice"],
            3,
            "line 3 column 13 (tim.secretkey) is not a setting",
        ),
        case(
            "broken config file",
            &["tim", "--config", &path(&broken_config), "blocklist", "list", "--from", "alice"],
            3,
            "line 2 column",
        ),
        case(
            "expire 0",
            &["usersig", "gen", "--sdk-app-id", "1400000000", "--identifier", "a", "--expire", "0"],
            2,
            "--expire",
        ),
        case(
            "expire too long",
            &["usersig", "gen", "--sdk-app-id", "1400000000", "--identifier", "a", "--expire", "9223372036854775808"],
            2,
            "--expire",
        ),
    ];
    cases.push(Case {
        stdin: Some("bob\n   \n"),
        ..case(
            "blank line on stdin",
            &["tim", "blocklist", "add", "--from", "alice", "--from-file", "-"],
            2,
            "stdin line 2 is blank",
        )
    });

    for c in cases {
        let mut tx = Tx::new(&c.args).tim_env(&url);
        for (k, v) in &c.env {
            tx = tx.env(k, v);
        }
        if let Some(input) = c.stdin {
            tx = tx.stdin(input);
        }
        let run = tx.run_async().await;
        assert_eq!(run.code, c.code, "{}: {run:?}", c.name);
        assert!(run.stderr.contains(c.says), "{}: stderr {:?} does not say {:?}", c.name, run.stderr, c.says);
        if c.code != 2 || run.stderr.starts_with("tx: ") {
            assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}: one line, got {:?}", c.name, run.stderr);
            assert!(run.stderr.starts_with("tx: "), "{}: {:?}", c.name, run.stderr);
        }
        assert!(!run.stderr.contains("panicked") && !run.stderr.contains("Error {"), "{}: {:?}", c.name, run.stderr);
        assert!(run.stdout.is_empty(), "{}: {:?}", c.name, run.stdout);
    }
    assert_eq!(emu.stats().total_requests(), 0, "no request reached the server");
    emu.shutdown().await;
}
