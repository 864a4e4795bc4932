//! libFuzzer entry of the `config_profile` target: see `tx_fuzz::config_profile`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tx_fuzz::config_profile::run(data));
