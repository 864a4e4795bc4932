//! One window of bulk input: validated, deduplicated, grouped by From, split into requests.

use super::pair::BulkItem;
use crate::protocol::code::ErrorCode;
use crate::report::ItemError;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use tx_core::Error;
use tx_core::bulk::{Outcome, Record, Work};

/// One group's items in a window: (group, [(index, item)], first index of each target).
type Group<I> = (String, Vec<(usize, I)>, HashMap<String, usize>);

/// Validates, dedupes and groups one window: every item of it is in exactly one `Work`.
pub(crate) fn plan<I: BulkItem, T>(
    window: Vec<(usize, Result<I, Error>)>,
    max_chunk: usize,
) -> Vec<Work<I, T, ErrorCode>> {
    let mut out = Vec::new();
    let mut groups: Vec<Group<I>> = Vec::new();
    let mut by_from: HashMap<String, usize> = HashMap::new();
    for (index, pair) in window {
        let pair = match pair {
            Err(e) => {
                out.push(Work::Done(Record::new(index, None, Outcome::Failed(ItemError::invalid(&e)))));
                continue;
            }
            Ok(p) => match p.check() {
                Ok(()) => p,
                Err(e) => {
                    out.push(Work::Done(Record::new(index, Some(p), Outcome::Failed(ItemError::invalid(&e)))));
                    continue;
                }
            },
        };
        let g = match by_from.entry(pair.group().to_owned()) {
            Entry::Occupied(o) => *o.get(),
            Entry::Vacant(v) => {
                groups.push((pair.group().to_owned(), Vec::new(), HashMap::new()));
                *v.insert(groups.len() - 1)
            }
        };
        let (_, items, seen) = &mut groups[g];
        match seen.entry(pair.target().to_owned()) {
            Entry::Occupied(o) => {
                let first_index = *o.get();
                out.push(Work::Done(Record::new(index, Some(pair), Outcome::Duplicate { first_index })));
            }
            Entry::Vacant(v) => {
                v.insert(index);
                items.push((index, pair));
            }
        }
    }
    for (_, items, _) in groups {
        let mut items = items.into_iter().peekable();
        while items.peek().is_some() {
            out.push(Work::Run(items.by_ref().take(max_chunk).collect()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::Pair;
    use tx_core::ErrorKind;

    fn window(pairs: &[(&str, &str)]) -> Vec<(usize, Result<Pair, Error>)> {
        pairs.iter().enumerate().map(|(i, p)| (i, Ok(Pair::new(p.0, p.1)))).collect()
    }

    #[test]
    fn plan_groups_by_from_splits_and_reports_duplicates_and_invalid_pairs() {
        let mut w = window(&[("a", "x"), ("b", "x"), ("a", "y"), ("a", "x"), ("", "z"), ("a", "z"), ("b", "y")]);
        w.push((7, Err(Error::invalid_input("line 8", "is not `FROM TO`"))));
        let work: Vec<Work<Pair, (), ErrorCode>> = plan(w, 2);
        let mut done = Vec::new();
        let mut sends = Vec::new();
        for w in work {
            match w {
                Work::Done(r) => done.push(r),
                Work::Run(items) => sends.push(items.into_iter().map(|(i, p)| (i, p.from, p.to)).collect::<Vec<_>>()),
            }
        }
        assert_eq!((done[0].index, &done[0].outcome), (3, &Outcome::Duplicate { first_index: 0 }));
        assert_eq!(done[1].index, 4);
        assert_eq!(done[1].item, Some(Pair::new("", "z")), "a refused pair is reported with its ids");
        assert!(matches!(&done[1].outcome, Outcome::Failed(e) if e.kind() == ErrorKind::InvalidInput));
        assert_eq!((done[2].index, &done[2].item), (7, &None));
        let s = |i: usize, f: &str, t: &str| (i, f.to_owned(), t.to_owned());
        assert_eq!(
            sends,
            [vec![s(0, "a", "x"), s(2, "a", "y")], vec![s(5, "a", "z")], vec![s(1, "b", "x"), s(6, "b", "y")]]
        );
    }
}
