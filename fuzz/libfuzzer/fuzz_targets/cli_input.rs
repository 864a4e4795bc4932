//! libFuzzer entry of the `cli_input` target: see `tx_fuzz::cli_input`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tx_fuzz::cli_input::run(data));
