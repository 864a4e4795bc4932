//! Open enums: the platforms' codes and string values, known to this SDK or not.
//!
//! The documentation of every platform is inconsistent about codes and the servers add new
//! values, so a value this SDK does not know is kept as sent instead of failing a decode:
//! - [`open_code_enum!`](crate::open_code_enum) declares numeric codes: a `Known…` enum of the
//!   documented codes with their descriptions, and an open enum `Known(..) | Other(i64)` that
//!   implements [`PlatformCode`];
//! - [`open_str_enum!`](crate::open_str_enum) declares a string enum of the wire with an
//!   `Unknown(String)` variant, decoded leniently (trimmed; numbers accepted as text).

use crate::retry::Verdict;
use std::fmt;
use std::hash::Hash;

/// A platform's numeric result code, open to codes this SDK does not know.
///
/// Generic machinery (batch reports, bulk summaries) is written over this trait; each
/// platform crate declares its codes with [`open_code_enum!`](crate::open_code_enum) and says
/// what each one means for retrying.
pub trait PlatformCode: Copy + Eq + Hash + fmt::Debug + fmt::Display + From<i64> + Send + Sync + 'static {
    /// The numeric code as the platform sent it.
    fn code(self) -> i64;

    /// What the code means for trying again.
    fn verdict(self) -> Verdict;

    /// Whether trying again may succeed (transient failures and throttling).
    fn is_retryable(self) -> bool {
        matches!(self.verdict(), Verdict::Retry { .. } | Verdict::Throttled { .. })
    }
}

/// A string enum of the wire, for code generic over several of them.
pub trait WireEnum: Sized {
    /// The value for a wire string; unknown strings are kept as an `Unknown` value.
    fn from_wire(s: &str) -> Self;
    /// The value as the API spells it.
    fn as_wire(&self) -> &str;
}

/// Declares a platform's numeric codes: a `Known…` enum of the documented codes (with
/// `ALL`, `code`, `from_code`, `description`) and an open enum `Known(..) | Other(i64)` with
/// `From<i64>`, `Display` (`30013 (blocklist is full)`), serde as a number, and
/// [`PlatformCode`] (whose `verdict` the caller implements with `impl … { fn classify }`:
/// see the example).
///
/// ```
/// use tx_core::{PlatformCode, Verdict};
///
/// tx_core::open_code_enum! {
///     /// A code the example knows.
///     pub enum KnownCode;
///     /// Any code.
///     pub enum Code;
///     classify = |code| match code {
///         -1 => Verdict::Retry { after: None },
///         _ => Verdict::Permanent,
///     };
///     {
///         /// -1: busy.
///         Busy = -1, "system busy";
///         /// 40001: bad token.
///         BadToken = 40001, "invalid credential";
///     }
/// }
///
/// assert_eq!(Code::from(40001), Code::Known(KnownCode::BadToken));
/// assert_eq!(Code::from(7), Code::Other(7));
/// assert_eq!(Code::from(-1).to_string(), "-1 (system busy)");
/// assert!(Code::from(-1).is_retryable());
/// assert_eq!(serde_json::to_string(&Code::from(40001)).unwrap(), "40001");
/// ```
#[macro_export]
macro_rules! open_code_enum {
    (
        $(#[$kmeta:meta])* pub enum $known:ident;
        $(#[$ometa:meta])* pub enum $open:ident;
        classify = |$c:ident| $classify:expr;
        { $( $(#[$doc:meta])* $name:ident = $code:literal, $text:literal; )* }
    ) => {
        $(#[$kmeta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $known {
            $( $(#[$doc])* $name, )*
        }

        impl $known {
            /// Every known code, in declaration order.
            pub const ALL: &'static [$known] = &[$($known::$name),*];

            /// The numeric code.
            pub const fn code(self) -> i64 {
                match self { $($known::$name => $code,)* }
            }

            /// The known code with this number, if any.
            pub const fn from_code(code: i64) -> Option<$known> {
                match code { $($code => Some($known::$name),)* _ => None }
            }

            /// What the documentation says the code means.
            pub const fn description(self) -> &'static str {
                match self { $($known::$name => $text,)* }
            }
        }

        $(#[$ometa])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $open {
            /// A code this crate knows.
            Known($known),
            /// Any other code, kept as sent.
            Other(i64),
        }

        impl $open {
            /// The known code, if it is one.
            pub fn known(self) -> Option<$known> {
                match self {
                    $open::Known(k) => Some(k),
                    $open::Other(_) => None,
                }
            }

            /// The numeric code.
            pub fn code(self) -> i64 {
                $crate::PlatformCode::code(self)
            }

            /// What the code means for trying again.
            pub fn verdict(self) -> $crate::Verdict {
                $crate::PlatformCode::verdict(self)
            }

            /// Whether trying again may succeed (transient failures and throttling).
            pub fn is_retryable(self) -> bool {
                $crate::PlatformCode::is_retryable(self)
            }
        }

        impl $crate::PlatformCode for $open {
            fn code(self) -> i64 {
                match self {
                    $open::Known(k) => k.code(),
                    $open::Other(c) => c,
                }
            }

            fn verdict(self) -> $crate::Verdict {
                let $c: i64 = $crate::PlatformCode::code(self);
                $classify
            }
        }

        impl ::core::convert::From<i64> for $open {
            fn from(code: i64) -> Self {
                $known::from_code(code).map_or($open::Other(code), $open::Known)
            }
        }

        impl ::core::convert::From<$known> for $open {
            fn from(code: $known) -> Self {
                $open::Known(code)
            }
        }

        impl ::core::cmp::PartialEq<$known> for $open {
            fn eq(&self, other: &$known) -> bool {
                *self == $open::Known(*other)
            }
        }

        impl ::core::fmt::Display for $known {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                write!(f, "{} ({})", self.code(), self.description())
            }
        }

        impl ::core::fmt::Display for $open {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    $open::Known(k) => ::core::fmt::Display::fmt(k, f),
                    $open::Other(c) => write!(f, "{c}"),
                }
            }
        }

        impl $crate::__private::serde::Serialize for $open {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $open {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::lenient::i64_from_any(d).map($open::from)
            }
        }
    };
}

/// Declares a string enum of the wire with an `Unknown(String)` variant: `as_str`,
/// `from_wire`, `is_known`, `Display`, serde as the string (decoded leniently: trimmed,
/// numbers accepted as text) and [`WireEnum`].
///
/// ```
/// tx_core::open_str_enum! {
///     /// A record's status.
///     pub enum Status {
///         /// Done.
///         Success = "success",
///         /// Still running.
///         Processing = "processing",
///     }
/// }
/// assert_eq!(Status::from_wire("success"), Status::Success);
/// assert_eq!(Status::from_wire("paused"), Status::Unknown("paused".into()));
/// let parsed: Status = serde_json::from_str(r#"" processing ""#).unwrap();
/// assert_eq!(parsed, Status::Processing);
/// assert_eq!(serde_json::to_string(&Status::Success).unwrap(), r#""success""#);
/// ```
#[macro_export]
macro_rules! open_str_enum {
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
            /// Every known value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

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

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::WireEnum for $name {
            fn from_wire(s: &str) -> Self {
                $name::from_wire(s)
            }
            fn as_wire(&self) -> &str {
                self.as_str()
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::lenient::map_str_from_any(d, $name::from_wire)
            }
        }
    };
}
