//! Shell conventions: completions, help headings, options only where they do something.

use tx_tests::Tx;

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = Tx::new(["completions", shell]).run();
        assert_eq!(run.code, 0, "{shell}: {run:?}");
        assert!(run.stdout.contains("blocklist") && run.stdout.contains("usersig"), "{shell}");
    }
    assert_eq!(Tx::new(["completions", "tcsh"]).run().code, 2);
}

#[test]
fn help_groups_options_and_offers_only_what_applies() {
    let top = Tx::new(["--help"]).run();
    assert!(top.stdout.contains("Global options:") && top.stdout.contains("--verbose"), "{}", top.stdout);
    let tim = Tx::new(["tim", "blocklist", "add", "--help"]).run();
    for heading in ["Configuration:", "Output:", "Connection:", "Global options:"] {
        assert!(tim.stdout.contains(heading), "{heading} in {}", tim.stdout);
    }
    assert!(tim.stdout.contains("[possible values: china, singapore"), "--region is a checked list");
    let emulator = Tx::new(["emulator", "--help"]).run();
    assert!(!emulator.stdout.contains("--profile") && !emulator.stdout.contains("--sdk-app-id"), "{}", emulator.stdout);
    let run = Tx::new(["emulator", "--profile", "x"]).run();
    assert_eq!(run.code, 2, "--profile does nothing for the emulator: refused");
    let completions = Tx::new(["completions", "--help"]).run();
    assert!(!completions.stdout.contains("--json"));
}

#[test]
fn wechat_and_ads_help_groups_options_and_warns_about_secret_flags() {
    for args in [
        &["wechat", "ams", "category", "ensure", "--help"][..],
        &["wechat", "ticket", "--help"][..],
        &["ads", "watermark", "add", "--help"][..],
        &["ads", "oauth", "exchange", "--help"][..],
    ] {
        let help = Tx::new(args).run();
        assert_eq!(help.code, 0, "{args:?}: {help:?}");
        for heading in ["Configuration:", "Output:", "Connection:", "Global options:"] {
            assert!(help.stdout.contains(heading), "{heading} in {args:?}: {}", help.stdout);
        }
        assert!(help.stdout.contains("--state-dir"), "{args:?}");
    }
    let wechat = Tx::new(["wechat", "--help"]).run().stdout;
    assert!(wechat.contains("--component-secret") && wechat.contains("Visible in process lists"), "{wechat}");
    assert!(!wechat.contains("--encoding-aes-key") && !wechat.contains("--message-token"), "no flag for these secrets");
    let ads = Tx::new(["ads", "--help"]).run().stdout;
    assert!(ads.contains("--client-secret") && ads.contains("Visible in process lists"), "{ads}");
    assert!(!ads.contains("--access-token"), "no flag for the private token");
    let completions = Tx::new(["completions", "bash"]).run().stdout;
    assert!(completions.contains("wechat") && completions.contains("watermark"), "completions cover the new commands");
    let exchange = Tx::new(["ads", "oauth", "exchange", "--help"]).run().stdout;
    assert!(exchange.contains("prefer stdin"), "the code as an argument is visible in process lists: {exchange}");
}
