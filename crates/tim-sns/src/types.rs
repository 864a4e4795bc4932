//! String enums of the API, open to values this crate does not know, and the check
//! modes shared by the blocklist and friend checks.

use std::fmt;
use std::str::FromStr;
use tx_core::Error;

/// Declares a string enum of the wire with an `Unknown(String)` variant.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this crate does not know, kept as the server sent it.
            Unknown(String),
        }

        impl $name {
            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Unknown(s) => s,
                }
            }

            /// The value for a wire string; unknown strings are kept in `Unknown`.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $( $wire => $name::$variant, )*
                    other => $name::Unknown(other.to_owned()),
                }
            }

            /// Whether this is a value this crate knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl $crate::types::WireEnum for $name {
            fn from_wire(s: &str) -> Self {
                $name::from_wire(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                tx_core::lenient::map_str_from_any(d, $name::from_wire)
            }
        }
    };
}

pub(crate) use wire_enum;

/// A string enum of the wire, for code generic over several of them.
pub(crate) trait WireEnum {
    /// The value for a wire string.
    fn from_wire(s: &str) -> Self;
}

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
