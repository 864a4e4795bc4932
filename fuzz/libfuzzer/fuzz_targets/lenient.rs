//! libFuzzer entry of the `lenient` target: see `tx_fuzz::lenient`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tx_fuzz::lenient::run(data));
