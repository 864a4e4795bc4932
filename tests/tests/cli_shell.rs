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
