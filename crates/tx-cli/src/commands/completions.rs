//! `tx completions SHELL`: a completion script on stdout.

use crate::cli::CompletionsArgs;
use crate::exit::{self, CliError};

pub fn run(args: &CompletionsArgs) -> Result<u8, CliError> {
    let mut command = crate::command();
    clap_complete::generate(args.shell, &mut command, "tx", &mut std::io::stdout());
    Ok(exit::OK)
}
