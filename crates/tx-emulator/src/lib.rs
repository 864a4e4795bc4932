//! A local emulator of the Tencent IM, WeChat AMS and Tencent Ads APIs, for offline tests.
//!
//! Not yet implemented: this crate is filled by the emulator issue.
