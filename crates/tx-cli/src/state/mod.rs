//! What `tx` keeps between invocations: tokens, refresh tokens and WeChat's
//! `component_verify_ticket`, in a journal file of the state directory
//! ([`journal::FileTokenStore`]).
//!
//! The directory is `--state-dir`, else `TX_STATE_DIR`, else `state_dir` of the profile's
//! `cli` section, else `$XDG_STATE_HOME/tx/<profile>` (`~/.local/state/tx/<profile>`): one
//! per profile, so the tokens of an emulator profile never meet those of the real service.

pub mod journal;

pub use journal::FileTokenStore;

use crate::exit::CliError;
use std::path::PathBuf;
use std::sync::Arc;
use tx_sdk::config::{Config, Key};

/// The state directory setting.
pub const STATE_DIR: Key = Key::new("cli", "state_dir", "TX_STATE_DIR");

/// Every setting of the `cli` section.
pub const SETTINGS: &[Key] = &[STATE_DIR];

/// The state directory of `profile`.
pub fn dir(config: &Config, profile: &str) -> Result<PathBuf, CliError> {
    if let Some(dir) = config.string(&STATE_DIR).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".local/state")))
        .ok_or_else(|| {
            CliError::config("no state directory for tokens: pass --state-dir, set TX_STATE_DIR, or set HOME")
        })?;
    Ok(base.join("tx").join(profile))
}

/// The token store of `profile`, opened.
pub fn store(config: &Config, profile: &str) -> Result<Arc<FileTokenStore>, CliError> {
    let dir = dir(config, profile)?;
    let store = FileTokenStore::open(&dir).map_err(|e| CliError::config(e.message()))?;
    Ok(Arc::new(store))
}
