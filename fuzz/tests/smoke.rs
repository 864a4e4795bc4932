//! CI's short smoke of every fuzz target: 5,000 inputs each, mutated from its seeds the
//! way a fuzzer starts (bit flips, byte changes, insertions, deletions, truncations,
//! splices of two seeds), through the same function the libFuzzer binary calls.
//!
//! It is not coverage-guided: building the libFuzzer binaries takes about a quarter of an
//! hour on CI's two cores, so campaigns run with `cargo xtask fuzz`, and this checks on
//! every commit that no target panics on inputs near its seeds. The mutations are
//! deterministic (`FUZZ_SMOKE_SEED` picks others; a failure prints the input).

/// xorshift64*: enough randomness to mutate bytes, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING: [u8; 12] = [0, 1, 0x7f, 0x80, 0xff, b'"', b'\\', b'{', b'}', b'<', b'\n', b'%'];

/// One to four mutations of `input`; `other` is a second seed to splice from.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(out.len() + 1);
        let last = out.len().saturating_sub(1);
        match rng.below(7) {
            0 if !out.is_empty() => out[at.min(last)] ^= 1 << rng.below(8),
            1 if !out.is_empty() => out[at.min(last)] = INTERESTING[rng.below(INTERESTING.len())],
            2 => out.insert(at, INTERESTING[rng.below(INTERESTING.len())]),
            3 if !out.is_empty() => {
                let end = (at + 1 + rng.below(16)).min(out.len());
                out.drain(at.min(last)..end);
            }
            4 => out.truncate(at),
            5 if !other.is_empty() => {
                let from = rng.below(other.len());
                let len = rng.below(other.len() - from) + 1;
                out.splice(at..at, other[from..from + len].iter().copied());
            }
            _ => {
                let digits = rng.next().to_string();
                out.splice(at..at, digits.bytes());
            }
        }
    }
    out
}

fn smoke(target: &str) {
    const EXECUTIONS: usize = 5_000;
    let seeds = tx_fuzz::seeds::for_target(target);
    assert!(!seeds.is_empty(), "{target} has no seeds");
    let start = std::env::var("FUZZ_SMOKE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x7ee5_eed5_u64);
    let mut rng = Rng(start | 1);
    for i in 0..EXECUTIONS {
        let (a, b) = (&seeds[rng.below(seeds.len())], &seeds[rng.below(seeds.len())]);
        let input = mutate(&mut rng, a, b);
        let ran = std::panic::catch_unwind(|| tx_fuzz::run(target, &input));
        assert!(
            matches!(ran, Ok(true)),
            "{target} failed on execution {i} (FUZZ_SMOKE_SEED={start}); input: {:?}",
            String::from_utf8_lossy(&input)
        );
    }
}

macro_rules! smoke_tests {
    ($($target:ident),* $(,)?) => {$(
        #[test]
        fn $target() {
            smoke(stringify!($target));
        }
    )*};
}

tx_fuzz::for_every_target!(smoke_tests);

#[test]
fn mutations_change_inputs_and_stay_deterministic() {
    let (mut a, mut b) = (Rng(7), Rng(7));
    let seed = b"{\"ErrorCode\":0}";
    let first: Vec<Vec<u8>> = (0..50).map(|_| mutate(&mut a, seed, b"xyz")).collect();
    let again: Vec<Vec<u8>> = (0..50).map(|_| mutate(&mut b, seed, b"xyz")).collect();
    assert_eq!(first, again);
    assert!(first.iter().filter(|m| m.as_slice() != seed).count() >= 45);
}
