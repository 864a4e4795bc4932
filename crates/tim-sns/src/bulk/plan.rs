//! One window of bulk input: validated, deduplicated, grouped by From, split into requests.

use super::outcome::{PairOutcome, PairResult};
use super::pair::Pair;
use crate::ids;
use crate::report::ItemError;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use tx_core::Error;

/// What to do with part of a window: report a result now, or send a request.
pub(crate) enum Work<T> {
    Ready(PairResult<T>),
    Send { from: String, items: Vec<(usize, String)> },
}

/// One From's targets in a window: (From, [(index, To)], first index of each To).
type Group = (String, Vec<(usize, String)>, HashMap<String, usize>);

/// Validates, dedupes and groups one window.
pub(crate) fn plan<T>(window: Vec<(usize, Result<Pair, Error>)>, max_chunk: usize) -> Vec<Work<T>> {
    let mut out = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut by_from: HashMap<String, usize> = HashMap::new();
    for (index, pair) in window {
        let pair = match pair.and_then(|p| check_pair(&p).map(|()| p)) {
            Ok(p) => p,
            Err(e) => {
                let (from, to) = (String::new(), String::new());
                out.push(Work::Ready(PairResult {
                    index,
                    from,
                    to,
                    outcome: PairOutcome::Failed(ItemError::invalid(&e)),
                }));
                continue;
            }
        };
        let g = match by_from.entry(pair.from.clone()) {
            Entry::Occupied(o) => *o.get(),
            Entry::Vacant(v) => {
                groups.push((pair.from.clone(), Vec::new(), HashMap::new()));
                *v.insert(groups.len() - 1)
            }
        };
        let (_, items, seen) = &mut groups[g];
        match seen.entry(pair.to.clone()) {
            Entry::Occupied(o) => out.push(Work::Ready(PairResult {
                index,
                from: pair.from,
                to: pair.to,
                outcome: PairOutcome::Duplicate { first_index: *o.get() },
            })),
            Entry::Vacant(v) => {
                v.insert(index);
                items.push((index, pair.to));
            }
        }
    }
    for (from, items, _) in groups {
        let mut items = items.into_iter().peekable();
        while items.peek().is_some() {
            let chunk: Vec<(usize, String)> = items.by_ref().take(max_chunk).collect();
            out.push(Work::Send { from: from.clone(), items: chunk });
        }
    }
    out
}

fn check_pair(p: &Pair) -> Result<(), Error> {
    ids::check_id("From_Account", &p.from)?;
    ids::check_id("To_Account", &p.to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tx_core::ErrorKind;

    fn window(pairs: &[(&str, &str)]) -> Vec<(usize, Result<Pair, Error>)> {
        pairs.iter().enumerate().map(|(i, p)| (i, Ok(Pair::new(p.0, p.1)))).collect()
    }

    #[test]
    fn plan_groups_by_from_splits_and_reports_duplicates_and_invalid_pairs() {
        let w = window(&[("a", "x"), ("b", "x"), ("a", "y"), ("a", "x"), ("", "z"), ("a", "z"), ("b", "y")]);
        let work: Vec<Work<()>> = plan(w, 2);
        let mut ready = Vec::new();
        let mut sends = Vec::new();
        for w in work {
            match w {
                Work::Ready(r) => ready.push((r.index, r.outcome)),
                Work::Send { from, items } => sends.push((from, items)),
            }
        }
        assert_eq!(ready[0], (3, PairOutcome::Duplicate { first_index: 0 }));
        assert_eq!(ready[1].0, 4);
        assert!(matches!(&ready[1].1, PairOutcome::Failed(e) if e.kind() == ErrorKind::InvalidInput));
        assert_eq!(
            sends,
            [
                ("a".to_owned(), vec![(0, "x".to_owned()), (2, "y".to_owned())]),
                ("a".to_owned(), vec![(5, "z".to_owned())]),
                ("b".to_owned(), vec![(1, "x".to_owned()), (6, "y".to_owned())]),
            ]
        );
    }
}
