//! UserSig generation speed, as `cargo xtask bench usersig` reports it next to the official
//! Python and Node packages timed in the same run.
//!
//! Every contender is timed the same way: a warm-up, then `ROUNDS` rounds of `N` calls,
//! and the best round counts (on a shared machine noise only ever slows a round down).
//!
//! - `ours_level6`, `ours_level0`: the official benchmarks' pattern, one identifier on the
//!   system clock (so consecutive signatures within a second are the same document);
//! - `ours_level6_distinct`: the clock moves one second per signature, so every signature
//!   is a new document (new time, new HMAC), as when a server issues signatures over time;
//! - `bare_hmac_sha256`: keying HMAC-SHA256 and signing the content, nothing else (the floor).
//!
//! Prints one line per contender: `usersig/<name> <µs per call>`.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::hint::black_box;
use std::time::{Duration, Instant};
use tx_core::clock::ManualClock;
use tx_core::usersig::{UserSigSigner, ZlibLevel};

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const LIFETIME: Duration = Duration::from_secs(86_400);
const N: u32 = 50_000;
const ROUNDS: u32 = 7;

fn best_of(mut f: impl FnMut()) -> f64 {
    for _ in 0..N / 5 {
        f();
    }
    (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..N {
                f();
            }
            start.elapsed().as_secs_f64() * 1e6 / f64::from(N)
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument, if any, selects contenders.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with("--")).unwrap_or_default();
    let report = |name: &str, f: &mut dyn FnMut()| {
        if name.contains(&filter) {
            println!("usersig/{name} {:.4}", best_of(f));
        }
    };
    for (name, level) in [("ours_level6", ZlibLevel::DEFAULT), ("ours_level0", ZlibLevel::STORED)] {
        let signer = UserSigSigner::new(1_400_000_000, KEY).with_level(level);
        report(name, &mut || {
            black_box(signer.generate(black_box("xiaojun"), LIFETIME).unwrap());
        });
    }
    let clock = ManualClock::new(1_700_000_000);
    let signer = UserSigSigner::new(1_400_000_000, KEY).with_clock(clock.clone());
    report("ours_level6_distinct", &mut || {
        clock.advance(1);
        black_box(signer.generate(black_box("xiaojun"), LIFETIME).unwrap());
    });
    let content = "TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:86400\n";
    report("bare_hmac_sha256", &mut || {
        let mut mac = Hmac::<Sha256>::new_from_slice(KEY.as_bytes()).unwrap();
        mac.update(black_box(content).as_bytes());
        black_box(mac.finalize().into_bytes());
    });
}
