//! Options every platform command takes: the Redis server whose state (quotas, tokens)
//! this process shares with the other processes of the same app.

use clap::Args;

/// `--redis URL`, to flatten into a platform's options.
#[derive(Debug, Clone, Args)]
pub struct SharedStateArgs {
    /// Redis server shared with other tx processes and programs of the same app: one quota
    /// and one set of tokens for all of them, e.g. redis://127.0.0.1:6379/ [env: TX_REDIS_URL].
    #[arg(long = "redis", global = true, value_name = "URL", help_heading = "Shared state")]
    pub redis: Option<String>,
}
