//! Platform ids of a run (WeChat AppIDs, Ads material ids): given as repeated flags, or read
//! from a file or stdin; checked in full by the platform's rule before anything is sent.

use super::lines::{LineInput, Rule};
use crate::exit::CliError;
use futures_util::Stream;
use futures_util::stream;
use std::collections::HashMap;
use std::path::Path;
use tx_sdk::Error;

/// The ids of a run.
#[derive(Debug)]
pub enum Ids {
    /// Ids given as flags.
    Args(Vec<String>),
    /// Ids from a file or stdin.
    File(LineInput),
}

impl Ids {
    /// The checked ids of `flag` values, or of `file` (`-` = stdin); one of the two.
    pub fn from_args(values: &[String], file: Option<&Path>, flag: &str, rule: Rule) -> Result<Ids, CliError> {
        let max = super::rule::MAX_PLATFORM_ID_BYTES;
        match file {
            Some(_) if !values.is_empty() => Err(CliError::input(format!("give {flag} or a file of ids, not both"))),
            Some(path) => Ok(Ids::File(LineInput::open_with(path, max, rule)?)),
            None if values.is_empty() => {
                Err(CliError::input(format!("no ids: give {flag} ID, or a file of ids ('-' for stdin)")))
            }
            None => {
                let mut seen = HashMap::new();
                let ids = values
                    .iter()
                    .enumerate()
                    .map(|(i, value)| {
                        let n = i + 1;
                        let id = rule(value, max).map_err(|why| CliError::input(format!("{flag} #{n} {why}")))?;
                        if let Some(first) = seen.insert(id.clone(), n) {
                            return Err(CliError::input(format!("{flag} #{n} repeats #{first} ({id:?})")));
                        }
                        Ok(id)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Ids::Args(ids))
            }
        }
    }

    /// How many ids.
    pub fn len(&self) -> u64 {
        match self {
            Ids::Args(ids) => ids.len() as u64,
            Ids::File(input) => input.len(),
        }
    }

    /// The ids, for a look before the run.
    pub fn peek(&self) -> Result<Box<dyn Iterator<Item = String> + '_>, CliError> {
        Ok(match self {
            Ids::Args(ids) => Box::new(ids.iter().cloned()),
            Ids::File(input) => Box::new(input.items()?),
        })
    }

    /// The ids, read lazily.
    pub fn stream(self) -> Result<impl Stream<Item = Result<String, Error>> + Send + 'static, CliError> {
        let ids: Box<dyn Iterator<Item = Result<String, Error>> + Send> = match self {
            Ids::Args(ids) => Box::new(ids.into_iter().map(Ok)),
            Ids::File(input) => Box::new(input.stream()?),
        };
        Ok(stream::iter(ids))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::rule::check_appid;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_are_checked_with_their_position() {
        let ok = Ids::from_args(&strings(&["wxa000000000000001", "wxa000000000000002"]), None, "--appid", check_appid);
        assert_eq!(ok.unwrap().len(), 2);
        let err = |v: &[&str]| Ids::from_args(&strings(v), None, "--appid", check_appid).unwrap_err().to_string();
        assert!(err(&["wxa000000000000001", "gh_1"]).starts_with("--appid #2 is \"gh_1\""));
        assert!(err(&["wxa000000000000001", " wxa000000000000001"]).contains("--appid #2 repeats #1"));
        assert!(err(&[]).contains("no ids"));
    }

    #[test]
    fn files_are_checked_by_line_and_read_twice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("appids.txt");
        std::fs::write(&path, "wxa000000000000001\nwxa000000000000002\n").unwrap();
        let ids = Ids::from_args(&[], Some(&path), "--appid", check_appid).unwrap();
        assert_eq!(ids.peek().unwrap().collect::<Vec<_>>(), ["wxa000000000000001", "wxa000000000000002"]);
        assert_eq!(ids.len(), 2);
        std::fs::write(&path, "wxa000000000000001\nnot-an-appid\n").unwrap();
        let e = Ids::from_args(&[], Some(&path), "--appid", check_appid).unwrap_err().to_string();
        assert!(e.contains("line 2 is \"not-an-appid\""), "{e}");
    }
}
