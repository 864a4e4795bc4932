//! `tx`: see the `tx_cli` library for the commands, `tx --help` for their options.

fn main() -> std::process::ExitCode {
    tx_cli::main()
}
