//! One clear line per failure, and the exit code that goes with it.

use std::fmt;
use std::process::ExitCode;
use tx_sdk::{Error as SdkError, ErrorKind};

/// Exit codes of `tx`.
pub mod exit {
    /// The command ran, but some items failed (or a UserSig did not verify).
    pub const ITEMS_FAILED: u8 = 1;
    /// Bad usage or input: nothing was sent.
    pub const INPUT: u8 = 2;
    /// Missing or refused credentials, unknown region: fix the configuration.
    pub const CONFIG: u8 = 3;
    /// The service refused the call, or could not be reached.
    pub const API: u8 = 4;
}

/// A failure of a whole command.
#[derive(Debug)]
pub struct CliError {
    code: u8,
    message: String,
}

impl CliError {
    /// Bad input, detected before anything was sent.
    pub fn input(message: impl Into<String>) -> Self {
        CliError { code: exit::INPUT, message: message.into() }
    }

    /// A configuration problem.
    pub fn config(message: impl Into<String>) -> Self {
        CliError { code: exit::CONFIG, message: message.into() }
    }

    /// A negative result that is not an error of the tool (a UserSig that does not verify).
    pub fn failed(message: impl Into<String>) -> Self {
        CliError { code: exit::ITEMS_FAILED, message: message.into() }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<SdkError> for CliError {
    fn from(e: SdkError) -> Self {
        let hint = match e.kind() {
            ErrorKind::InvalidInput => "",
            ErrorKind::Auth => "",
            ErrorKind::Throttled => " (slow down: lower --concurrency or --rate-limit, or retry later)",
            ErrorKind::Transport => " (check --endpoint or the region, and the network)",
            ErrorKind::Timeout => " (the service did not answer in time; retry later)",
            ErrorKind::Decode => " (the answer was not the API's JSON; is --endpoint right?)",
            ErrorKind::Api => "",
            _ => "",
        };
        let code = match e.kind() {
            ErrorKind::InvalidInput => exit::INPUT,
            ErrorKind::Auth => exit::CONFIG,
            _ => exit::API,
        };
        CliError { code, message: format!("{e}{hint}") }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::input(format!("cannot read the input: {e}"))
    }
}
