//! libFuzzer entry of the `envelope_ads` target: see `tx_fuzz::envelope_ads`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tx_fuzz::envelope_ads::run(data));
