//! What a run reads: ids as arguments, ids from a file or stdin, or CSV pairs; checked in
//! full before anything is sent (what is checked is what is sent), then streamed.

mod checked;
mod csv;
mod ids;
mod lines;
pub mod remaining;
mod rule;

use crate::cli::{AccountsArgs, IdsArgs};
use crate::exit::CliError;
use futures_util::Stream;
use futures_util::stream;
use remaining::Format;
use std::collections::HashMap;
use tx_sdk::Error;
use tx_sdk::tim::{Account, MAX_USER_ID_BYTES, Pair};

pub use self::csv::CsvInput;
pub use ids::Ids;
pub use lines::LineInput;
#[cfg(feature = "fuzzing")]
pub(crate) use rule::check_id;
pub use rule::{check_appid, check_material_id};

/// Checks ids given as arguments: the rules of files, with positions instead of lines.
fn check_args(ids: &[String]) -> Result<Vec<String>, CliError> {
    let mut seen = HashMap::new();
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            let id = rule::check_id(id, MAX_USER_ID_BYTES)
                .map_err(|why| CliError::input(format!("argument {} {why}", i + 1)))?;
            if let Some(first) = seen.insert(id.clone(), i + 1) {
                return Err(CliError::input(format!("argument {} repeats argument {first} ({id:?})", i + 1)));
            }
            Ok(id)
        })
        .collect()
}

/// The (From, To) pairs of a run.
pub enum Pairs {
    /// One owner, ids as arguments.
    Args { from: String, ids: Vec<String> },
    /// One owner, ids from a file or stdin.
    File { from: String, input: LineInput },
    /// Pairs from CSV.
    Csv(CsvInput),
}

impl Pairs {
    /// The checked input of `args`.
    pub fn from_args(args: &IdsArgs) -> Result<Pairs, CliError> {
        if let Some(path) = &args.pairs {
            return Ok(Pairs::Csv(CsvInput::open(path, MAX_USER_ID_BYTES)?));
        }
        let from = args.from.as_deref().ok_or_else(|| CliError::input("--from is required"))?;
        let from = rule::check_id(from, MAX_USER_ID_BYTES).map_err(|why| CliError::input(format!("--from {why}")))?;
        match &args.from_file {
            Some(_) if !args.ids.is_empty() => {
                Err(CliError::input("give ids as arguments or with --from-file, not both"))
            }
            Some(path) => Ok(Pairs::File { from, input: LineInput::open(path, MAX_USER_ID_BYTES)? }),
            None if args.ids.is_empty() => {
                Err(CliError::input("no ids: give them as arguments, or with --from-file FILE ('-' for stdin)"))
            }
            None => Ok(Pairs::Args { ids: check_args(&args.ids)?, from }),
        }
    }

    /// How many pairs.
    pub fn len(&self) -> u64 {
        match self {
            Pairs::Args { ids, .. } => ids.len() as u64,
            Pairs::File { input, .. } => input.len(),
            Pairs::Csv(input) => input.len(),
        }
    }

    /// The format of `--remaining`: the input's.
    pub fn format(&self) -> Format {
        match self {
            Pairs::Csv(_) => Format::Pairs,
            _ => Format::Ids,
        }
    }

    /// The pairs, read lazily.
    pub fn stream(self) -> Result<impl Stream<Item = Result<Pair, Error>> + Send + 'static, CliError> {
        let pairs: Box<dyn Iterator<Item = Result<Pair, Error>> + Send> = match self {
            Pairs::Args { from, ids } => Box::new(ids.into_iter().map(move |id| Ok(Pair::new(from.clone(), id)))),
            Pairs::File { from, input } => {
                Box::new(input.stream()?.map(move |id| id.map(|id| Pair::new(from.clone(), id))))
            }
            Pairs::Csv(input) => Box::new(input.stream()?.map(|pair| pair.map(|(from, to)| Pair::new(from, to)))),
        };
        Ok(stream::iter(pairs))
    }
}

/// The accounts of a run.
pub enum Accounts {
    /// Ids as arguments.
    Args(Vec<String>),
    /// Ids from a file or stdin.
    File(LineInput),
}

impl Accounts {
    /// The checked input of `args`.
    pub fn from_args(args: &AccountsArgs) -> Result<Accounts, CliError> {
        match &args.from_file {
            Some(_) if !args.ids.is_empty() => {
                Err(CliError::input("give UserIDs as arguments or with --from-file, not both"))
            }
            Some(path) => Ok(Accounts::File(LineInput::open(path, MAX_USER_ID_BYTES)?)),
            None if args.ids.is_empty() => {
                Err(CliError::input("no UserIDs: give them as arguments, or with --from-file FILE ('-' for stdin)"))
            }
            None => Ok(Accounts::Args(check_args(&args.ids)?)),
        }
    }

    /// How many accounts.
    pub fn len(&self) -> u64 {
        match self {
            Accounts::Args(ids) => ids.len() as u64,
            Accounts::File(input) => input.len(),
        }
    }

    /// The accounts, read lazily.
    pub fn stream(self) -> Result<impl Stream<Item = Result<Account, Error>> + Send + 'static, CliError> {
        let ids: Box<dyn Iterator<Item = Result<String, Error>> + Send> = match self {
            Accounts::Args(ids) => Box::new(ids.into_iter().map(Ok)),
            Accounts::File(input) => Box::new(input.stream()?),
        };
        Ok(stream::iter(ids.map(|id| id.map(Account::new))))
    }
}
