//! Tencent IM REST relationship-chain client (`v4/sns/*`): blocklist, friends and friend groups.
//!
//! Not yet implemented: this crate is filled by the tim-sns issue. It depends on `tx-core`
//! for UserSig signing, the request pipeline and the TIM envelope.
