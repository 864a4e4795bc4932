//! The fuzz targets of tx, as plain functions of the fuzzer's bytes.
//!
//! Each module is one target: its doc says what it feeds where and what it checks. The
//! libFuzzer binaries (`fuzz/libfuzzer/fuzz_targets/`) only call [`run`]; the replay test
//! (`tests/replay.rs`) runs every target over its seed corpus ([`seeds`]) and the kept
//! crash inputs (`fuzz/regressions/<target>/`) as ordinary tests. See `fuzz/README.md`.

pub mod cli_input;
pub mod config_profile;
pub mod emulator;
pub mod envelope_ads;
pub mod envelope_tim;
pub mod envelope_wechat;
mod errors;
pub mod input;
pub mod lenient;
pub mod seeds;
pub mod usersig;
pub mod wechat_push;

/// A target's body.
pub type Body = fn(&[u8]);

/// Every target, by name.
pub const TARGETS: [(&str, Body); 9] = [
    ("envelope_tim", envelope_tim::run),
    ("envelope_wechat", envelope_wechat::run),
    ("envelope_ads", envelope_ads::run),
    ("lenient", lenient::run),
    ("usersig", usersig::run),
    ("wechat_push", wechat_push::run),
    ("cli_input", cli_input::run),
    ("config_profile", config_profile::run),
    ("emulator", emulator::run),
];

/// Calls macro `$m` with the name of every target of [`TARGETS`], as identifiers: the
/// replay and smoke tests declare one `#[test]` per target with it.
#[macro_export]
macro_rules! for_every_target {
    ($m:ident) => {
        $m!(
            envelope_tim,
            envelope_wechat,
            envelope_ads,
            lenient,
            usersig,
            wechat_push,
            cli_input,
            config_profile,
            emulator
        );
    };
}

/// Runs target `name` on `data`; `false` if there is no such target.
pub fn run(name: &str, data: &[u8]) -> bool {
    match TARGETS.iter().find(|(n, _)| *n == name) {
        Some((_, body)) => {
            body(data);
            true
        }
        None => false,
    }
}
