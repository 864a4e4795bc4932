//! String enums of the API, open to values this crate does not know, and the check
//! modes shared by the blocklist and friend checks.

use std::fmt;
use std::str::FromStr;
use tx_core::Error;

pub(crate) use tx_core::open_str_enum as wire_enum;

/// How far a check looks: at A's list only, or at both lists.
///
/// `black_list_check` sends `BlackCheckResult_Type_Single`/`_Both`; `friend_check` sends
/// `CheckResult_Type_Single`/`_Both`. Parsing accepts `single`, `both` and either wire
/// spelling.
///
/// ```
/// use tim_sns::CheckType;
/// assert_eq!("both".parse::<CheckType>()?, CheckType::Both);
/// assert_eq!("BlackCheckResult_Type_Single".parse::<CheckType>()?, CheckType::Single);
/// assert!("sideways".parse::<CheckType>().is_err());
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckType {
    /// Only whether B is on A's list (blocklist) / A's friend list (friends).
    Single,
    /// Both directions.
    Both,
    /// A wire value this crate does not know. Refused before sending: the API documents
    /// only `Single` and `Both`.
    Unknown(String),
}

impl CheckType {
    /// The `black_list_check` spelling, or an input error for `Unknown`.
    pub(crate) fn blocklist_wire(&self) -> Result<&'static str, Error> {
        match self {
            CheckType::Single => Ok("BlackCheckResult_Type_Single"),
            CheckType::Both => Ok("BlackCheckResult_Type_Both"),
            CheckType::Unknown(s) => Err(refused(s)),
        }
    }

    /// The `friend_check` spelling, or an input error for `Unknown`.
    pub(crate) fn friend_wire(&self) -> Result<&'static str, Error> {
        match self {
            CheckType::Single => Ok("CheckResult_Type_Single"),
            CheckType::Both => Ok("CheckResult_Type_Both"),
            CheckType::Unknown(s) => Err(refused(s)),
        }
    }
}

fn refused(s: &str) -> Error {
    Error::invalid_input("CheckType", format_args!("{s:?} is not one of Single, Both"))
}

impl FromStr for CheckType {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim() {
            "single" | "Single" | "BlackCheckResult_Type_Single" | "CheckResult_Type_Single" => Ok(CheckType::Single),
            "both" | "Both" | "BlackCheckResult_Type_Both" | "CheckResult_Type_Both" => Ok(CheckType::Both),
            other => Err(refused(other)),
        }
    }
}

impl fmt::Display for CheckType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckType::Single => f.write_str("single"),
            CheckType::Both => f.write_str("both"),
            CheckType::Unknown(s) => f.write_str(s),
        }
    }
}
