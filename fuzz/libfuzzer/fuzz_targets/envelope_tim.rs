//! libFuzzer entry of the `envelope_tim` target: see `tx_fuzz::envelope_tim`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tx_fuzz::envelope_tim::run(data));
