//! Where a batch's ids come from, validated before anything is sent.

use crate::cli::IdsArgs;
use crate::error::CliError;
use crate::input::{IdRule, LineInput, PairRule, check_args};
use futures_util::Stream;
use tx_sdk::tim::{MAX_USER_ID_BYTES, Pair};

const RULE: IdRule = IdRule { max_bytes: MAX_USER_ID_BYTES };
const PAIR_RULE: PairRule = PairRule { max_bytes: MAX_USER_ID_BYTES };
const PAIR_HEADER: &str = "From_Account,To_Account";

/// Validated input of a batch command.
pub enum Source {
    /// One owner, ids given as arguments (small: handled as one batch call).
    Args { from: String, ids: Vec<String> },
    /// One owner, ids from a file or stdin.
    File { from: String, input: LineInput },
    /// (From, To) pairs from a CSV file or stdin.
    Pairs(LineInput),
}

impl Source {
    /// Validates the input of `args`: ids are non-blank, at most the UserID length, not
    /// repeated; CSV rows have two such fields.
    pub fn from_args(args: &IdsArgs) -> Result<Source, CliError> {
        if let Some(path) = &args.pairs {
            return Ok(Source::Pairs(LineInput::open(path, &PAIR_RULE, Some(PAIR_HEADER))?));
        }
        let from = args.from.clone().ok_or_else(|| CliError::input("--from is required"))?;
        RULE_FROM.check(&from)?;
        match &args.from_file {
            Some(_) if !args.ids.is_empty() => {
                Err(CliError::input("give ids as arguments or with --from-file, not both"))
            }
            Some(path) => Ok(Source::File { from, input: LineInput::open(path, &RULE, None)? }),
            None if args.ids.is_empty() => {
                Err(CliError::input("no ids: give them as arguments, or with --from-file FILE ('-' for stdin)"))
            }
            None => Ok(Source::Args { ids: check_args(&args.ids, &RULE)?, from }),
        }
    }

    /// How many items the input holds.
    pub fn len(&self) -> u64 {
        match self {
            Source::Args { ids, .. } => ids.len() as u64,
            Source::File { input, .. } | Source::Pairs(input) => input.len(),
        }
    }

    /// The input as a stream of pairs, read lazily. Files (and spooled stdin) are read
    /// as the stream is polled: page-cache reads are fast, and a bulk run takes whole
    /// windows of ready pairs, which keeps requests full.
    pub fn pairs(self) -> Result<impl Stream<Item = Pair> + Send + 'static, CliError> {
        let pairs: Box<dyn Iterator<Item = Pair> + Send> = match self {
            Source::Args { from, ids } => Box::new(ids.into_iter().map(move |id| Pair::new(from.clone(), id))),
            Source::File { from, input } => {
                let entries = input.entries(&RULE, None)?;
                // `input` owns the spool file of stdin: keep it alive while reading.
                Box::new(entries.map(move |id| {
                    let _ = &input;
                    Pair::new(from.clone(), id)
                }))
            }
            Source::Pairs(input) => {
                let entries = input.entries(&PAIR_RULE, Some(PAIR_HEADER))?;
                Box::new(entries.map(move |row| {
                    let _ = &input;
                    let (from, to) = row.split_once(',').unwrap_or((row.as_str(), ""));
                    Pair::new(from, to)
                }))
            }
        };
        Ok(futures_util::stream::iter(pairs))
    }
}

/// The owner account: the same rule as ids.
struct FromRule;

impl FromRule {
    fn check(&self, from: &str) -> Result<(), CliError> {
        use crate::input::LineRule;
        RULE.check(from).map(drop).map_err(|why| CliError::input(format!("--from {why}")))
    }
}

const RULE_FROM: FromRule = FromRule;
