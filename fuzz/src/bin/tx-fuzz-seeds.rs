//! Writes the seed corpus of every fuzz target: `tx-fuzz-seeds DIR` fills `DIR/<target>/`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: tx-fuzz-seeds DIR");
        return ExitCode::from(2);
    };
    for (target, _) in tx_fuzz::TARGETS {
        let target_dir = dir.join(target);
        let written = std::fs::create_dir_all(&target_dir).and_then(|()| {
            let seeds = tx_fuzz::seeds::for_target(target);
            for (i, seed) in seeds.iter().enumerate() {
                std::fs::write(target_dir.join(format!("seed-{i:03}")), seed)?;
            }
            Ok(seeds.len())
        });
        match written {
            Ok(n) => eprintln!("tx-fuzz-seeds: {n} seeds for {target}"),
            Err(e) => {
                eprintln!("tx-fuzz-seeds: cannot write {}: {e}", target_dir.display());
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
