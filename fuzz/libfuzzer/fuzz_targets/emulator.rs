//! libFuzzer entry of the `emulator` target: see `tx_fuzz::emulator`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tx_fuzz::emulator::run(data));
