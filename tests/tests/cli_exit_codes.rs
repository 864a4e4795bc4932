//! The exit codes of the README's table, the same for every input mode: ids as arguments,
//! from a file, from stdin, and CSV pairs.

use std::io::Write;
use std::path::Path;
use tx_tests::{Run, Tx, emulator};

/// The four ways to give the same (alice, x) pairs.
enum Mode {
    Args,
    File,
    Stdin,
    Csv,
}

const MODES: [Mode; 4] = [Mode::Args, Mode::File, Mode::Stdin, Mode::Csv];

impl Mode {
    fn name(&self) -> &'static str {
        match self {
            Mode::Args => "arguments",
            Mode::File => "file",
            Mode::Stdin => "stdin",
            Mode::Csv => "csv",
        }
    }

    /// `tx tim --json blocklist add` of `alice` blocking `ids`, given this way.
    fn run(&self, env: &[(&str, &str)], ids: &[&str], files: &mut Vec<tempfile::NamedTempFile>) -> Run {
        let mut args: Vec<String> = ["tim", "--json", "blocklist", "add"].map(String::from).to_vec();
        let mut stdin = None;
        match self {
            Mode::Args => {
                args.extend(["--from".into(), "alice".into()]);
                args.extend(ids.iter().map(|s| s.to_string()));
            }
            Mode::File | Mode::Csv => {
                let mut f = tempfile::NamedTempFile::new().unwrap();
                for id in ids {
                    match self {
                        Mode::Csv => writeln!(f, "alice,{id}").unwrap(),
                        _ => writeln!(f, "{id}").unwrap(),
                    }
                }
                let path = f.path().to_str().unwrap().to_owned();
                match self {
                    Mode::Csv => args.extend(["--pairs".into(), path]),
                    _ => args.extend(["--from".into(), "alice".into(), "--from-file".into(), path]),
                }
                files.push(f);
            }
            Mode::Stdin => {
                args.extend(["--from", "alice", "--from-file", "-"].map(String::from));
                stdin = Some(ids.iter().map(|id| format!("{id}\n")).collect::<String>());
            }
        }
        let mut tx = Tx::new(args);
        for (k, v) in env {
            tx = tx.env(k, v);
        }
        if let Some(input) = stdin {
            tx = tx.stdin(input);
        }
        tx.run()
    }
}

/// A case: its name, the environment, the ids, the exit code.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, Vec<&'a str>, i32);

fn dead_endpoint() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", l.local_addr().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_input_mode_exits_the_same_way() {
    let emu = emulator(&["alice", "bob", "carol", "dave", "erin", "frank"]).await;
    let url = emu.base_url().to_owned();
    let app = tx_tests::APP.to_string();
    let good: Vec<(&str, &str)> = vec![
        ("TIM_SDK_APP_ID", &app),
        ("TIM_SECRET_KEY", tx_tests::KEY),
        ("TIM_ADMIN", tx_tests::ADMIN),
        ("TIM_ENDPOINT", &url),
    ];
    let with = |k: &'static str, v: &'static str| {
        let mut env = good.clone();
        env.retain(|(n, _)| *n != k);
        env.push((k, v));
        env
    };
    let dead = dead_endpoint();
    let unreachable: Vec<(&str, &str)> = {
        let mut env = good.clone();
        env.retain(|(n, _)| *n != "TIM_ENDPOINT");
        env.push(("TIM_ENDPOINT", dead.as_str()));
        env
    };
    let mut files = Vec::new();
    for mode in &MODES {
        let cases: Vec<Case<'_>> = vec![
            ("all ok", good.clone(), vec!["erin"], 0),
            ("some failed", good.clone(), vec!["mallory", "frank"], 1),
            ("bad input", good.clone(), vec!["bo\u{7}b"], 2),
            ("wrong key", with("TIM_SECRET_KEY", "wrong-key"), vec!["bob"], 3),
            ("wrong admin (30004)", with("TIM_ADMIN", "alice"), vec!["bob"], 3),
            ("service unreachable", unreachable.clone(), vec!["bob", "carol"], 4),
        ];
        for (name, env, ids, code) in cases {
            let run = mode.run(&env, &ids, &mut files);
            assert_eq!(run.code, code, "{} / {name}: {run:?}", mode.name());
            if code != 2 {
                let summary = run.summary();
                assert_eq!(summary["exit_code"].as_i64(), Some(code.into()), "{} / {name}: {summary}", mode.name());
                let indexes: Vec<u64> = run.items().iter().map(|i| i["index"].as_u64().unwrap()).collect();
                assert_eq!(
                    indexes,
                    (0..ids.len() as u64).collect::<Vec<_>>(),
                    "{} / {name}: every item once",
                    mode.name()
                );
            } else {
                assert!(run.stdout.is_empty(), "{} / {name}: nothing sent, nothing printed", mode.name());
            }
        }
        // Reset so the next mode's "all ok" blocks afresh.
        let reset = Tx::new(["tim", "blocklist", "delete", "--from", "alice", "erin", "frank"]).tim_env(&url).run();
        assert!(reset.code <= 1, "{reset:?}");
    }
    emu.shutdown().await;
}

/// The three ways to give the ids of a `tx wechat` or `tx ads` run.
#[derive(Clone, Copy)]
enum IdsMode {
    Flags,
    File,
    Stdin,
}

impl IdsMode {
    /// `args` plus `ids` given this way (`flag` for flags, `file_flag` for a file or stdin).
    fn tx(
        self,
        args: &[&str],
        flag: &str,
        file_flag: &str,
        ids: &[&str],
        files: &mut Vec<tempfile::NamedTempFile>,
    ) -> Tx {
        let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let lines: String = ids.iter().map(|id| format!("{id}\n")).collect();
        match self {
            IdsMode::Flags => all.extend(ids.iter().flat_map(|id| [flag.to_owned(), id.to_string()])),
            IdsMode::File => {
                let mut f = tempfile::NamedTempFile::new().unwrap();
                f.write_all(lines.as_bytes()).unwrap();
                all.extend([file_flag.to_owned(), f.path().to_str().unwrap().to_owned()]);
                files.push(f);
            }
            IdsMode::Stdin => all.extend([file_flag.to_owned(), "-".to_owned()]),
        }
        let tx = Tx::new(all);
        if matches!(self, IdsMode::Stdin) { tx.stdin(lines) } else { tx }
    }
}

/// A case of a `tx wechat` or `tx ads` run: its name, the ids, environment overrides, the
/// exit code.
type IdsCase<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, &'a str)>, i32);

/// Checks a run's exit code and, unless the input was refused, that every id has one record
/// and the summary carries the exit code.
fn expect_exit(what: &str, run: &Run, code: i32, ids: usize) {
    assert_eq!(run.code, code, "{what}: {run:?}");
    if code == 2 {
        assert!(run.stdout.is_empty(), "{what}: nothing sent, nothing printed");
        return;
    }
    assert_eq!(run.summary()["exit_code"].as_i64(), Some(code.into()), "{what}");
    let indexes: Vec<u64> = run.items().iter().map(|i| i["index"].as_u64().unwrap()).collect();
    assert_eq!(indexes, (0..ids as u64).collect::<Vec<_>>(), "{what}: every item once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wechat_and_ads_exit_the_same_way_for_every_input_mode() {
    let emu = tx_tests::platforms_emulator(std::time::Duration::from_millis(100)).await;
    let url = emu.base_url().to_owned();
    let dead = dead_endpoint();
    let state = tempfile::tempdir().unwrap();
    let push = tx_tests::wechat_push(&url, "component_verify_ticket", None).await;
    let received =
        Tx::new(["wechat", "ticket"]).wechat_env(&url, state.path()).stdin(push.to_string()).run_async().await;
    assert_eq!(received.code, 0, "{received:?}");
    let ticket = push["ticket"].as_str().unwrap().to_owned();
    let mut files = Vec::new();
    for mode in [IdsMode::Flags, IdsMode::File, IdsMode::Stdin] {
        let category = ["wechat", "--json", "ams", "category", "get"];
        let fresh = tempfile::tempdir().unwrap();
        let cases: Vec<(IdsCase<'_>, &Path)> = vec![
            (("all ok", vec!["wxa000000000000001"], vec![], 0), state.path()),
            (("some failed", vec!["wxa000000000000001", "wxa000000000000099"], vec![], 1), state.path()),
            (("bad input", vec!["wxa000000000000001", "gh_0123"], vec![], 2), state.path()),
            (
                (
                    "wrong secret",
                    vec!["wxa000000000000001", "wxa000000000000002"],
                    vec![("WECHAT_COMPONENT_SECRET", "wrong")],
                    3,
                ),
                fresh.path(),
            ),
            (
                (
                    "unreachable",
                    vec!["wxa000000000000001", "wxa000000000000002"],
                    vec![("WECHAT_ENDPOINT", dead.as_str())],
                    4,
                ),
                fresh.path(),
            ),
        ];
        for ((name, ids, env, code), dir) in cases {
            let mut tx = mode.tx(&category, "--appid", "--appids", &ids, &mut files).wechat_env(&url, dir);
            tx = tx.env("WECHAT_COMPONENT_VERIFY_TICKET", &ticket);
            for (k, v) in env {
                tx = tx.env(k, v);
            }
            let run = tx.run_async().await;
            expect_exit(&format!("wechat {name}"), &run, code, ids.len());
        }

        let watermark = ["ads", "--json", "watermark", "add", "--account", "20000001", "--preset", "loan-risk"];
        let cases: Vec<IdsCase<'_>> = vec![
            ("all ok", vec!["123"], vec![], 0),
            ("some failed", vec!["123", "789"], vec![], 1),
            ("bad input", vec!["123", "a&b"], vec![], 2),
            ("token refused", vec!["123", "456"], vec![("ADS_ACCESS_TOKEN", "not-the-token")], 3),
            ("unreachable", vec!["123", "456"], vec![("ADS_ENDPOINT", dead.as_str())], 4),
        ];
        for (name, ids, env, code) in cases {
            let mut tx = mode.tx(&watermark, "--material", "--from-file", &ids, &mut files).ads_env(&url, state.path());
            tx = tx.env("ADS_ACCESS_TOKEN", tx_emulator::defaults::ADS_PRIVATE_TOKEN);
            for (k, v) in env {
                tx = tx.env(k, v);
            }
            let run = tx.run_async().await;
            expect_exit(&format!("ads {name}"), &run, code, ids.len());
        }
    }
    emu.shutdown().await;
}
