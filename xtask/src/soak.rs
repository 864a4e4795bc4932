//! `cargo xtask soak [-- ARGS]`: the fault soak over all three platforms (see
//! `tests/src/bin/soak/main.rs`), built with the release profile.

use crate::process;

pub fn run(args: &[String]) -> Result<(), String> {
    process::cargo(&["build", "--release", "-q", "-p", "tx-cli", "--bin", "tx"])?;
    let target = std::env::var("CARGO_TARGET_DIR").map_or_else(|_| process::root().join("target"), Into::into);
    let tx = target.join("release").join(format!("tx{}", std::env::consts::EXE_SUFFIX));
    let tx = tx.to_str().ok_or("the target directory is not UTF-8")?;
    let mut run: Vec<&str> = vec!["run", "--release", "-q", "-p", "tx-tests", "--bin", "soak", "--", "--tx", tx];
    run.extend(args.iter().map(String::as_str));
    process::cargo(&run)
}
