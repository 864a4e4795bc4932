//! `cargo xtask bench <suite>`: benchmarks with baselines measured in the same run.

mod usersig;

/// A benchmark suite.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Suite {
    /// UserSig generation: ours at zlib levels 6 and 0, the bare HMAC, the official
    /// Python and Node packages.
    Usersig,
}

pub fn run(suite: Suite) -> Result<(), String> {
    match suite {
        Suite::Usersig => usersig::run(),
    }
}
