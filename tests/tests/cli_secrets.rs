//! A secret given by flag or environment never appears in any output, logs included.

use tx_tests::{ADMIN, APP, KEY, Tx, emulator};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_output_shows_the_key_or_a_usersig() {
    let emu = emulator(&["alice", "bob"]).await;
    let url = emu.base_url().to_owned();
    let app = APP.to_string();
    let by_flag = |args: &[&str]| {
        let mut all =
            vec!["-vv", "tim", "--sdk-app-id", &app, "--secret-key", KEY, "--admin", ADMIN, "--endpoint", &url];
        all.extend_from_slice(args);
        Tx::new(all)
    };
    let runs = vec![
        by_flag(&["blocklist", "add", "--from", "alice", "bob", "mallory"]).run_async().await,
        by_flag(&["--json", "blocklist", "check", "--from", "alice", "bob"]).run_async().await,
        Tx::new(["usersig", "--json", "gen", "--identifier", "alice"]).tim_env(&url).run_async().await,
        Tx::new(["-vv", "tim", "blocklist", "list", "--from", "alice"]).tim_env(&url).run_async().await,
        Tx::new(["-vv", "tim", "--secret-key", "wrong-key-123456", "blocklist", "list", "--from", "alice"])
            .tim_env(&url)
            .run_async()
            .await,
        Tx::new(["tim", "--help"]).tim_env(&url).run_async().await,
    ];
    let mut logged_a_url = false;
    for run in &runs {
        let all = run.all_output();
        assert!(!all.contains(KEY), "the key leaked: {all}");
        assert!(!all.contains("wrong-key-123456"), "the key leaked: {all}");
        // Every UserSig in a logged URL is masked.
        for (i, _) in all.match_indices("usersig=") {
            logged_a_url = true;
            assert!(all[i..].starts_with("usersig=***"), "an unmasked UserSig: {}", &all[i..(i + 40).min(all.len())]);
        }
        if !all.contains("\"record\":\"usersig\"") {
            assert!(!all.contains("eJ"), "something that looks like a UserSig (zlib base64) leaked: {all}");
        }
    }
    assert!(logged_a_url, "-vv logs the (redacted) request URLs");
    assert_eq!(runs[4].code, 3);
    emu.shutdown().await;
}
