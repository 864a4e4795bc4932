//! libFuzzer entry of the `wechat_push` target: see `tx_fuzz::wechat_push`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tx_fuzz::wechat_push::run(data));
