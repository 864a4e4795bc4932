//! `tx emulator`: the emulator in the foreground until Ctrl-C.

use crate::error::CliError;

pub async fn run(args: tx_emulator::ServeArgs) -> Result<(), CliError> {
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    tx_emulator::serve(args, shutdown).await.map_err(|e| CliError::config(format!("emulator: {e}")))
}
