//! Bulk input: (From, To) pairs, from tuples, lines or parse results; and lone accounts.

use crate::ids;
use serde::Serialize;
use tx_core::Error;

/// An item of a TIM bulk run: a target, and the group of items it can share a request with
/// (a pair's `From_Account`; nothing for account calls).
pub trait BulkItem: Send + 'static {
    /// The group: items of one group go in the same requests.
    fn group(&self) -> &str;
    /// The target (`To_Account`, a `UserID`).
    fn target(&self) -> &str;
    /// The input rules, checked before the item is sent.
    fn check(&self) -> Result<(), Error>;
}

impl BulkItem for Pair {
    fn group(&self) -> &str {
        &self.from
    }

    fn target(&self) -> &str {
        &self.to
    }

    fn check(&self) -> Result<(), Error> {
        ids::check_id("From_Account", &self.from)?;
        ids::check_id("To_Account", &self.to)
    }
}

/// One account of an account bulk run (`UserID`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Account {
    /// The `UserID`.
    pub account: String,
}

impl Account {
    /// An account.
    pub fn new(account: impl Into<String>) -> Account {
        Account { account: account.into() }
    }
}

impl BulkItem for Account {
    fn group(&self) -> &str {
        ""
    }

    fn target(&self) -> &str {
        &self.account
    }

    fn check(&self) -> Result<(), Error> {
        ids::check_id("UserID", &self.account)
    }
}

/// One (From, To) pair of bulk input.
///
/// ```
/// use tim_sns::Pair;
/// assert_eq!(Pair::parse_line("alice bob")?, Pair::new("alice", "bob"));
/// assert_eq!(Pair::parse_line("alice,bob")?, Pair::new("alice", "bob"));
/// assert_eq!(Pair::parse_line("  alice\tbob \r\n")?, Pair::new("alice", "bob"));
/// assert!(Pair::parse_line("alice").is_err());
/// let fan: Vec<Pair> = Pair::fan_out("alice", ["bob", "carol"]).collect();
/// assert_eq!(fan[1], Pair::new("alice", "carol"));
/// let fan: Vec<Pair> = Pair::fan_in(["bob", "carol"], "spammer").collect();
/// assert_eq!(fan[0], Pair::new("bob", "spammer"));
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Pair {
    /// The account whose list is changed or checked (`From_Account`).
    pub from: String,
    /// The other account (`To_Account`).
    pub to: String,
}

impl Pair {
    /// A pair.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Pair {
        Pair { from: from.into(), to: to.into() }
    }

    /// Parses a line `FROM TO`, `FROM,TO` or `FROM<TAB>TO` (surrounding whitespace and a
    /// line ending ignored). The ids themselves are checked when the pair is processed.
    pub fn parse_line(line: &str) -> Result<Pair, Error> {
        let line = line.trim();
        let mut parts = line.split(|c: char| c == ',' || c.is_whitespace()).filter(|p| !p.is_empty());
        match (parts.next(), parts.next(), parts.next()) {
            (Some(from), Some(to), None) => Ok(Pair::new(from, to)),
            _ => Err(Error::invalid_input("line", format_args!("{line:?} is not `FROM TO`"))),
        }
    }

    /// `from` paired with each of `to`: one account's list against many.
    pub fn fan_out<I, S>(from: impl Into<String>, to: I) -> impl Iterator<Item = Pair>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let from = from.into();
        to.into_iter().map(move |t| Pair::new(from.clone(), t))
    }

    /// Each of `from` paired with `to`: e.g. block one account for many users.
    pub fn fan_in<I, S>(from: I, to: impl Into<String>) -> impl Iterator<Item = Pair>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let to = to.into();
        from.into_iter().map(move |f| Pair::new(f, to.clone()))
    }
}

impl<A: Into<String>, B: Into<String>> From<(A, B)> for Pair {
    fn from((from, to): (A, B)) -> Pair {
        Pair::new(from, to)
    }
}

/// What bulk input may hold: pairs, tuples, or parse results (a line that did not parse
/// becomes a failed result at its index instead of stopping the run).
pub trait IntoPair {
    /// The pair, or why this input item is not one.
    fn into_pair(self) -> Result<Pair, Error>;
}

impl IntoPair for Pair {
    fn into_pair(self) -> Result<Pair, Error> {
        Ok(self)
    }
}

impl<A: Into<String>, B: Into<String>> IntoPair for (A, B) {
    fn into_pair(self) -> Result<Pair, Error> {
        Ok(self.into())
    }
}

impl<P: IntoPair> IntoPair for Result<P, Error> {
    fn into_pair(self) -> Result<Pair, Error> {
        self.and_then(IntoPair::into_pair)
    }
}
