//! Keeping tables that outsiders can grow (codes, tokens, nonces) within a bound.

use std::collections::HashMap;
use std::hash::Hash;

/// Makes room in `map` before an insert: when it holds `cap` entries or more, drops the
/// dead ones; if that is not enough, drops the oldest (by `born`) until half the cap is
/// left.
pub(crate) fn make_room<K: Hash + Eq + Clone, V>(
    map: &mut HashMap<K, V>,
    cap: usize,
    dead: impl Fn(&V) -> bool,
    born: impl Fn(&V) -> u64,
) {
    if map.len() < cap {
        return;
    }
    map.retain(|_, v| !dead(v));
    if map.len() < cap {
        return;
    }
    let mut ages: Vec<(u64, K)> = map.iter().map(|(k, v)| (born(v), k.clone())).collect();
    ages.sort_unstable_by_key(|(b, _)| *b);
    for (_, k) in ages.into_iter().take(map.len() - cap / 2) {
        map.remove(&k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_the_dead_then_the_oldest() {
        let mut m: HashMap<u32, u64> = (0..10).map(|i| (i, u64::from(i))).collect();
        make_room(&mut m, 10, |v| *v < 3, |v| *v);
        assert_eq!(m.len(), 7, "the dead went first");
        let mut m: HashMap<u32, u64> = (0..10).map(|i| (i, u64::from(i))).collect();
        make_room(&mut m, 10, |_| false, |v| *v);
        assert_eq!(m.len(), 5);
        assert!(m.contains_key(&9) && !m.contains_key(&4), "the oldest went");
        let mut small: HashMap<u32, u64> = HashMap::from([(1, 1)]);
        make_room(&mut small, 10, |_| true, |v| *v);
        assert_eq!(small.len(), 1, "below the cap nothing happens");
    }
}
