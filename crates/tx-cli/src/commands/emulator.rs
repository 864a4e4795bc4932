//! `tx emulator`: the emulator in the foreground until SIGINT or SIGTERM.

use crate::exit::{self, CliError};

pub async fn run(args: tx_emulator::ServeArgs) -> Result<u8, CliError> {
    let shutdown = async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            match signal(SignalKind::terminate()) {
                Ok(mut term) => tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                },
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    };
    tx_emulator::serve(args, shutdown).await.map_err(|e| CliError::config(format!("emulator: {e}")))?;
    Ok(exit::OK)
}
