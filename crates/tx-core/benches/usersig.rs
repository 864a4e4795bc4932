//! UserSig generation speed, as `cargo xtask bench usersig` reports it next to the official
//! Python and Node packages timed in the same run.
//!
//! - `ours_level6`, `ours_level0`: the official benchmarks' pattern, one identifier on the
//!   system clock (so consecutive signatures within a second are the same document);
//! - `ours_level6_distinct`: the clock moves one second per signature, so every signature
//!   is a new document (new time, new HMAC), as when a server issues signatures over time;
//! - `bare_hmac_sha256`: keying HMAC-SHA256 and signing the content, nothing else (the floor).

#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::hint::black_box;
use std::time::Duration;
use tx_core::clock::ManualClock;
use tx_core::usersig::{UserSigSigner, ZlibLevel};

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const LIFETIME: Duration = Duration::from_secs(86_400);

fn usersig(c: &mut Criterion) {
    let mut group = c.benchmark_group("usersig");
    for (name, level) in [("ours_level6", ZlibLevel::DEFAULT), ("ours_level0", ZlibLevel::STORED)] {
        let signer = UserSigSigner::new(1_400_000_000, KEY).with_level(level);
        group.bench_function(name, |b| b.iter(|| signer.generate(black_box("xiaojun"), LIFETIME).unwrap()));
    }
    let clock = ManualClock::new(1_700_000_000);
    let signer = UserSigSigner::new(1_400_000_000, KEY).with_clock(clock.clone());
    group.bench_function("ours_level6_distinct", |b| {
        b.iter(|| {
            clock.advance(1);
            signer.generate(black_box("xiaojun"), LIFETIME).unwrap()
        })
    });
    let content = "TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:86400\n";
    group.bench_function("bare_hmac_sha256", |b| {
        b.iter(|| {
            let mut mac = Hmac::<Sha256>::new_from_slice(KEY.as_bytes()).unwrap();
            mac.update(black_box(content).as_bytes());
            mac.finalize().into_bytes()
        })
    });
    group.finish();
}

criterion_group!(benches, usersig);
criterion_main!(benches);
