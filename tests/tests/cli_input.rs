//! Input people actually have: what is checked is what is sent, CSV as spreadsheets write
//! it, and ids that hide invisible characters refused with their line.

use std::io::Write;
use tx_tests::{Tx, emulator};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trimmed_ids_are_what_is_sent() {
    let emu = emulator(&["alice", "o1", "o2"]).await;
    let url = emu.base_url();
    // Sent untrimmed, " o1 " would name no account (30003).
    let run =
        Tx::new(["tim", "--json", "blocklist", "add", "--from", " alice ", " o1 "]).tim_env(url).run_async().await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!((run.items()[0]["from"].as_str(), run.items()[0]["to"].as_str()), (Some("alice"), Some("o1")));
    let mut f = tempfile::NamedTempFile::new().unwrap();
    write!(f, "\u{FEFF}  o2\t\r\n").unwrap();
    let run =
        Tx::new(["tim", "--json", "blocklist", "check", "--from", "alice", "--from-file", f.path().to_str().unwrap()])
            .tim_env(url)
            .run_async()
            .await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.items()[0]["to"], "o2");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_as_spreadsheets_write_it() {
    let emu = emulator(&["alice", "bob", "carol", "d,ave"]).await;
    let url = emu.base_url();
    let files = [
        "\u{FEFF}From_Account,To_Account\r\nalice,bob\r\n\"carol\",\"d,ave\"\r\n",
        " from account ,TO_ACCOUNT\nalice,bob\ncarol,\"d,ave\"\n",
        "alice,bob\ncarol,\"d,ave\"",
    ];
    for text in files {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        let run = Tx::new(["tim", "--json", "blocklist", "check", "--pairs", f.path().to_str().unwrap()])
            .tim_env(url)
            .run_async()
            .await;
        assert_eq!(run.code, 0, "{text:?}: {run:?}");
        let pairs: Vec<(String, String)> = run
            .items()
            .iter()
            .map(|i| (i["from"].as_str().unwrap().to_owned(), i["to"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(pairs, [("alice".into(), "bob".into()), ("carol".into(), "d,ave".into())], "{text:?}");
    }
    emu.shutdown().await;
}
