//! Bad input: each case is one clear line on stderr, its own exit code, and no request.

use std::io::Write;
use tx_tests::{Tx, emulator};

struct Case {
    name: &'static str,
    args: Vec<String>,
    env: bool,
    stdin: Option<&'static str>,
    code: i32,
    says: &'static str,
}

fn case(name: &'static str, args: &[&str], code: i32, says: &'static str) -> Case {
    Case { name, args: args.iter().map(|s| s.to_string()).collect(), env: true, stdin: None, code, says }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_bad_input_is_one_clear_line_and_nothing_is_sent() {
    let emu = emulator(&["alice", "bob"]).await;
    let url = emu.base_url().to_owned();
    let mut ids_with_blank = tempfile::NamedTempFile::new().unwrap();
    write!(ids_with_blank, "bob\n\ncarol\n").unwrap();
    let mut ids_with_dup = tempfile::NamedTempFile::new().unwrap();
    write!(ids_with_dup, "bob\ncarol\nbob\n").unwrap();
    let mut bad_csv = tempfile::NamedTempFile::new().unwrap();
    write!(bad_csv, "From_Account,To_Account\nalice,bob\nalice;bob\n").unwrap();
    let blank = ids_with_blank.path().to_str().unwrap();
    let dup = ids_with_dup.path().to_str().unwrap();
    let csv = bad_csv.path().to_str().unwrap();
    let long = "x".repeat(33);

    let mut cases = vec![
        Case {
            env: false,
            ..case("missing credentials", &["tim", "blocklist", "list", "--from", "alice"], 3, "no SDKAppID")
        },
        case(
            "unknown region",
            &["tim", "--region", "atlantis", "blocklist", "list", "--from", "alice"],
            3,
            "\"atlantis\" is not a region",
        ),
        case("empty id", &["tim", "blocklist", "add", "--from", "alice", ""], 2, "argument 1 is blank"),
        case("empty owner", &["tim", "blocklist", "add", "--from", "", "bob"], 2, "--from is blank"),
        case("oversized id", &["tim", "blocklist", "add", "--from", "alice", &long], 2, "33-byte UserID"),
        case(
            "repeated argument",
            &["tim", "blocklist", "add", "--from", "alice", "bob", "bob"],
            2,
            "argument 2 repeats argument 1",
        ),
        case(
            "blank line in a file",
            &["tim", "blocklist", "add", "--from", "alice", "--from-file", blank],
            2,
            "line 2 is blank",
        ),
        case(
            "duplicate in a file",
            &["tim", "blocklist", "check", "--from", "alice", "--from-file", dup],
            2,
            "line 3 repeats line 1",
        ),
        case("malformed CSV row", &["tim", "blocklist", "add", "--pairs", csv], 2, "line 3 has 1 fields"),
        case("no ids", &["tim", "blocklist", "add", "--from", "alice"], 2, "no ids"),
        case(
            "missing file",
            &["tim", "blocklist", "add", "--from", "alice", "--from-file", "/nonexistent/ids.txt"],
            2,
            "/nonexistent/ids.txt",
        ),
        case("unknown flag", &["tim", "blocklist", "add", "--frm", "alice", "bob"], 2, "--frm"),
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
        let mut tx = Tx::new(&c.args);
        if c.env {
            tx = tx.tim_env(&url);
        }
        if let Some(input) = c.stdin {
            tx = tx.stdin(input);
        }
        let run = tx.run_async().await;
        assert_eq!(run.code, c.code, "{}: {run:?}", c.name);
        assert!(run.stderr.contains(c.says), "{}: stderr {:?} does not say {:?}", c.name, run.stderr, c.says);
        if c.name != "unknown flag" {
            assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}: one line, got {:?}", c.name, run.stderr);
            assert!(run.stderr.starts_with("tx: "), "{}: {:?}", c.name, run.stderr);
        }
        assert!(!run.stderr.contains("panicked") && !run.stderr.contains("Error {"), "{}: {:?}", c.name, run.stderr);
        assert!(run.stdout.is_empty(), "{}: {:?}", c.name, run.stdout);
    }
    assert_eq!(emu.stats().total_requests(), 0, "no request reached the server");
    emu.shutdown().await;
}
