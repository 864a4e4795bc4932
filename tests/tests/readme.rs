//! What the README states that code can check: its config file is one `tx` reads, and its
//! exit-code table is the documented one (`cli_exit_codes.rs` tests each row, per input
//! mode). Its walkthrough runs in `cli_emulator_and_demo.rs`.

use std::path::Path;
use tx_core::config::Config;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(relative)).unwrap()
}

/// The fenced blocks of `kind` in `text`.
fn blocks(text: &str, kind: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(k)) if k == kind => current = Some(String::new()),
            (Some(_), Some(_)) => out.push(current.take().unwrap()),
            (Some(block), None) => {
                block.push_str(line);
                block.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// The rows of the table under `## Exit codes` or `Exit codes,`, as (code, meaning).
fn exit_code_rows(text: &str) -> Vec<(String, String)> {
    let start = text.find("Exit codes").expect("an exit-code table");
    text[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| code"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            (cells[0].to_owned(), cells[1].to_owned())
        })
        .collect()
}

#[test]
fn the_readme_exit_codes_are_the_documented_ones() {
    let readme = exit_code_rows(&read("README.md"));
    let codes: Vec<&str> = readme.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["0", "1", "2", "3", "4", "5"]);
    assert_eq!(readme, exit_code_rows(&read("docs/cli-output.md")));
}

#[test]
fn the_readme_config_file_has_only_settings_the_clients_read() {
    let tomls = blocks(&read("README.md"), "toml");
    let profile = tomls.iter().find(|b| b.contains("[profiles.default.tim]")).expect("the config example");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, profile).unwrap();
    let config = Config::from_lookup(|_| None).with_profile(Some(&path), "default").unwrap();
    config.check_sections(&["tim", "wechat", "ads", "redis"]).unwrap();
    config.check_section("tim", tim_sns::settings::ALL).unwrap();
    config.check_section("wechat", wechat_ams::settings::ALL).unwrap();
    config.check_section("ads", tencent_ads::settings::ALL).unwrap();
    config.check_section("redis", &[tx_core::config::REDIS_URL]).unwrap();
    for section in ["tim", "wechat", "ads", "redis"] {
        assert!(profile.contains(&format!("[profiles.default.{section}]")), "the README shows [{section}]");
    }
}
