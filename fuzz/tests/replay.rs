//! Every fuzz target over its seed corpus and its kept crash inputs
//! (`fuzz/regressions/<target>/`), as ordinary tests: what CI runs of the fuzzers.

use std::path::Path;

/// Runs `target` on every seed and every kept input; returns how many inputs ran.
fn replay(target: &str) -> usize {
    let seeds = tx_fuzz::seeds::for_target(target);
    assert!(!seeds.is_empty(), "{target} has no seeds");
    for seed in &seeds {
        assert!(tx_fuzz::run(target, seed));
    }
    let kept = Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions").join(target);
    let mut regressions = 0;
    if let Ok(entries) = std::fs::read_dir(&kept) {
        for entry in entries {
            let path = entry.expect("a readable directory").path();
            if path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            eprintln!("{target}: replaying {}", path.display());
            assert!(tx_fuzz::run(target, &data));
            regressions += 1;
        }
    }
    seeds.len() + regressions
}

macro_rules! replay_tests {
    ($($target:ident),* $(,)?) => {$(
        #[test]
        fn $target() {
            let n = replay(stringify!($target));
            eprintln!("{}: {n} inputs", stringify!($target));
        }
    )*};
}

tx_fuzz::for_every_target!(replay_tests);

#[test]
fn every_target_has_a_replay_test_and_a_libfuzzer_binary() {
    let bins = Path::new(env!("CARGO_MANIFEST_DIR")).join("libfuzzer").join("fuzz_targets");
    for (target, _) in tx_fuzz::TARGETS {
        assert!(bins.join(format!("{target}.rs")).is_file(), "no libFuzzer binary for {target}");
    }
    assert!(!tx_fuzz::run("no-such-target", b""));
    let mut declared = Vec::new();
    macro_rules! names {
        ($($target:ident),*) => {
            declared.extend([$(stringify!($target)),*])
        };
    }
    tx_fuzz::for_every_target!(names);
    let targets: Vec<&str> = tx_fuzz::TARGETS.iter().map(|(name, _)| *name).collect();
    assert_eq!(declared, targets, "for_every_target! names every target, in order");
}
