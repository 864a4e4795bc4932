//! Exit codes, the same for every command and every input mode, and the one-line error
//! that goes with a non-zero one.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | every item succeeded |
//! | 1 | the run was complete, and some items failed (or a UserSig did not verify) |
//! | 2 | bad usage or input: nothing was sent |
//! | 3 | configuration or credentials: missing, malformed or refused (bad key, wrong app, region or admin) |
//! | 4 | the service failed or could not be reached: no item got an answer |
//! | 5 | the run stopped before every item was tried (a signal, input that changed or could not be read); the rest are `not_attempted` |

use std::fmt;
use tx_sdk::{Error as SdkError, ErrorKind};

/// Every item succeeded.
pub const OK: u8 = 0;
/// The run was complete and some items failed (or a UserSig did not verify).
pub const ITEMS_FAILED: u8 = 1;
/// Bad usage or input: nothing was sent.
pub const INPUT: u8 = 2;
/// Configuration or credentials are missing, malformed or refused.
pub const CONFIG: u8 = 3;
/// The service failed or could not be reached.
pub const SERVICE: u8 = 4;
/// The run stopped before every item was tried.
pub const INCOMPLETE: u8 = 5;

/// A failure of a whole command: its exit code and one line for stderr.
#[derive(Debug)]
pub struct CliError {
    code: u8,
    message: String,
}

impl CliError {
    /// Bad input, found before anything was sent.
    pub fn input(message: impl Into<String>) -> Self {
        CliError { code: INPUT, message: message.into() }
    }

    /// A configuration problem.
    pub fn config(message: impl Into<String>) -> Self {
        CliError { code: CONFIG, message: message.into() }
    }

    /// A negative result that is not a failure of the tool (a UserSig that does not verify).
    pub fn failed(message: impl Into<String>) -> Self {
        CliError { code: ITEMS_FAILED, message: message.into() }
    }

    /// The service failed.
    pub fn service(message: impl Into<String>) -> Self {
        CliError { code: SERVICE, message: message.into() }
    }

    /// An SDK error: input → 2, credentials or a platform configuration code → 3, the
    /// rest → 4. `is_configuration` tells the platform's configuration codes (a wrong
    /// admin, an unknown app, a key of another region).
    pub fn from_sdk(e: &SdkError, is_configuration: impl Fn(i64) -> bool) -> Self {
        let code = match e.kind() {
            ErrorKind::InvalidInput => INPUT,
            ErrorKind::Auth => CONFIG,
            _ if e.code().is_some_and(is_configuration) => CONFIG,
            _ => SERVICE,
        };
        let hint = match e.kind() {
            ErrorKind::Throttled => " (slow down: lower --concurrency or --rate-limit, or retry later)",
            ErrorKind::Transport => " (check --endpoint or the region, and the network)",
            ErrorKind::Timeout => " (the service did not answer in time; retry later)",
            ErrorKind::Decode => " (the answer was not the API's JSON; is --endpoint right?)",
            _ => "",
        };
        CliError { code, message: format!("{e}{hint}") }
    }

    /// The process exit code.
    pub fn code(&self) -> u8 {
        self.code
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<SdkError> for CliError {
    fn from(e: SdkError) -> Self {
        CliError::from_sdk(&e, |_| false)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::input(format!("cannot read the input: {e}"))
    }
}
