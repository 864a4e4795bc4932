//! libFuzzer entry of the `envelope_wechat` target: see `tx_fuzz::envelope_wechat`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tx_fuzz::envelope_wechat::run(data));
