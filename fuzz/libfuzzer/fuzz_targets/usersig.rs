//! libFuzzer entry of the `usersig` target: see `tx_fuzz::usersig`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tx_fuzz::usersig::run(data));
