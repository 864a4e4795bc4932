//! `cargo xtask bench <suite>`: benchmarks with baselines measured in the same run.

mod tim;
mod usersig;

/// A benchmark suite.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Suite {
    /// UserSig generation: ours at zlib levels 6 and 0, the bare HMAC, the official
    /// Python and Node packages.
    Usersig,
    /// tim-sns against the emulator: bulk at the rate limit, overhead over raw reqwest,
    /// the PyPI timsdk client.
    Tim,
}

pub fn run(suite: Suite) -> Result<(), String> {
    match suite {
        Suite::Usersig => usersig::run(),
        Suite::Tim => tim::run(),
    }
}
