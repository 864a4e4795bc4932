//! The standalone `tx-emulator` server; see `tx-emulator --help`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tx_emulator::run_from_args(std::env::args_os()).await
}
