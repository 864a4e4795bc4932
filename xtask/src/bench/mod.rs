//! `cargo xtask bench <suite>`: benchmarks with baselines measured in the same run.

mod ads;
mod cli_memory;
mod shared;
mod tim;
mod usersig;
mod wechat;

/// A benchmark suite.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Suite {
    /// UserSig generation: ours at zlib levels 6 and 0, the bare HMAC, the official
    /// Python and Node packages.
    Usersig,
    /// tim-sns against the emulator: bulk at the rate limit, overhead over raw reqwest,
    /// the PyPI timsdk client.
    Tim,
    /// Peak memory of `tx tim blocklist check --from-file` over a million ids.
    CliMemory,
    /// wechat-ams against the emulator: a fleet category ensure over 2,000 mini programs
    /// against the lower bound and a one-at-a-time baseline.
    Wechat,
    /// tencent-ads `add_and_wait` against the emulator at 60 calls/min per endpoint:
    /// 10,000 materials over 5 accounts against the quota's lower bound, and a
    /// one-request-at-a-time baseline.
    Ads,
    /// 1, 2 and 4 `tx` processes sharing one TIM quota through Redis against the
    /// emulator's 200 calls/s, against the same without Redis, and the latency a Redis
    /// permit adds.
    Shared,
}

pub fn run(suite: Suite) -> Result<(), String> {
    match suite {
        Suite::Usersig => usersig::run(),
        Suite::CliMemory => cli_memory::run(),
        Suite::Tim => tim::run(),
        Suite::Wechat => wechat::run(),
        Suite::Ads => ads::run(),
        Suite::Shared => shared::run(),
    }
}
