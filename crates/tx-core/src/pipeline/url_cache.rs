//! Attempt URLs, built once per (base, path, stable query) and cloned after that.
//!
//! Every attempt needs `base/path?query`. The query is mostly stable across calls (an app
//! id, a cached UserSig or token); building it with `url`'s encoder or parser costs a pass
//! over a few hundred bytes every time, more than the rest of a call's client-side work.
//! A lookup compares the parts in place (no key is built), under a read lock. Parameters
//! that change per attempt (`random`, a timestamp, a nonce) are appended to the clone.

use crate::error::Error;
use std::sync::RwLock;
use url::Url;

/// The most URLs kept; past it the cache starts over (credentials rotate, paths are few).
const CAPACITY: usize = 64;

struct Entry {
    base: String,
    path: String,
    query: Vec<(String, String)>,
    url: Url,
}

impl Entry {
    fn matches<'q>(&self, base: &Url, path: &str, mut query: impl Iterator<Item = (&'q str, &'q str)>) -> bool {
        self.path == path
            && self.base == base.as_str()
            && self.query.iter().all(|(k, v)| query.next() == Some((k.as_str(), v.as_str())))
            && query.next().is_none()
    }
}

#[derive(Default)]
pub(crate) struct UrlCache {
    entries: RwLock<Vec<Entry>>,
}

impl UrlCache {
    /// `base` joined with `path`, with the `stable` pairs, then the `volatile` ones.
    pub(crate) fn url<'q>(
        &self,
        base: &Url,
        path: &str,
        stable: impl Iterator<Item = (&'q str, &'q str)> + Clone,
        volatile: impl Iterator<Item = (&'q str, &'q str)>,
    ) -> Result<Url, Error> {
        let cached = {
            let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
            entries.iter().find(|e| e.matches(base, path, stable.clone())).map(|e| e.url.clone())
        };
        let mut url = match cached {
            Some(url) => url,
            None => {
                let mut url = base
                    .join(path)
                    .map_err(|e| Error::invalid_input("path", format_args!("is not a valid URL path: {e}")))?;
                let query: Vec<(String, String)> = stable.map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
                if !query.is_empty() {
                    url.query_pairs_mut().extend_pairs(query.iter());
                }
                let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
                if entries.len() >= CAPACITY {
                    entries.clear();
                }
                entries.push(Entry { base: base.as_str().to_owned(), path: path.to_owned(), query, url: url.clone() });
                url
            }
        };
        let mut volatile = volatile.peekable();
        if volatile.peek().is_some() {
            url.query_pairs_mut().extend_pairs(volatile);
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs<'a>(p: &'a [(&'a str, &'a str)]) -> impl Iterator<Item = (&'a str, &'a str)> + Clone {
        p.iter().copied()
    }

    fn none() -> std::iter::Empty<(&'static str, &'static str)> {
        std::iter::empty()
    }

    #[test]
    fn cached_urls_equal_freshly_built_ones() {
        let cache = UrlCache::default();
        let base = Url::parse("http://127.0.0.1:8080/api/").unwrap();
        let stable = [("sdkappid", "1400000000"), ("usersig", "eJx*-_"), ("who", "a b&c")];
        for random in ["1", "2"] {
            let url = cache.url(&base, "v4/sns/x", pairs(&stable), [("random", random)].into_iter()).unwrap();
            assert_eq!(
                url.as_str(),
                format!(
                    "http://127.0.0.1:8080/api/v4/sns/x?sdkappid=1400000000&usersig=eJx*-_&who=a+b%26c&random={random}"
                )
            );
        }
        assert_eq!(cache.entries.read().unwrap().len(), 1);
        let other = cache.url(&base, "v4/sns/y", pairs(&stable[..1]), none()).unwrap();
        assert_eq!(other.as_str(), "http://127.0.0.1:8080/api/v4/sns/y?sdkappid=1400000000");
        assert_eq!(
            cache.url(&base, "v4/sns/z", pairs(&[]), none()).unwrap().as_str(),
            "http://127.0.0.1:8080/api/v4/sns/z"
        );
    }

    #[test]
    fn a_changed_prefix_or_extra_pair_is_a_different_url() {
        let cache = UrlCache::default();
        let base = Url::parse("http://h/").unwrap();
        let two = [("a", "1"), ("b", "2")];
        assert_eq!(cache.url(&base, "p", pairs(&two), none()).unwrap().as_str(), "http://h/p?a=1&b=2");
        assert_eq!(cache.url(&base, "p", pairs(&two[..1]), none()).unwrap().as_str(), "http://h/p?a=1");
        assert_eq!(
            cache.url(&base, "p", pairs(&[("a", "1"), ("b", "3")]), none()).unwrap().as_str(),
            "http://h/p?a=1&b=3"
        );
        let other_base = Url::parse("http://backup/").unwrap();
        assert_eq!(cache.url(&other_base, "p", pairs(&two), none()).unwrap().as_str(), "http://backup/p?a=1&b=2");
        assert_eq!(cache.entries.read().unwrap().len(), 4);
    }

    #[test]
    fn the_cache_stays_bounded() {
        let cache = UrlCache::default();
        let base = Url::parse("https://h/").unwrap();
        for i in 0..200 {
            let sig = i.to_string();
            cache.url(&base, "p", pairs(&[("usersig", &sig)]), none()).unwrap();
        }
        assert!(cache.entries.read().unwrap().len() <= CAPACITY);
    }
}
