//! The `tx` command-line client.
//!
//! Not yet implemented: the commands arrive with the CLI issue.
