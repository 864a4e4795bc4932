//! The config file: named profiles of credentials and endpoints.
//!
//! ```toml
//! [profiles.default.tim]
//! sdk_app_id = 1400000000
//! secret_key = "…"
//! admin = "administrator"
//! region = "singapore"          # or endpoint = "http://127.0.0.1:8080"
//!
//! [profiles.emulator.tim]
//! sdk_app_id = 1400000000
//! secret_key = "tx-emulator-demo-key"
//! admin = "administrator"
//! endpoint = "http://127.0.0.1:8080"
//! ```
//!
//! Flags win over environment variables, which win over the profile.

use crate::error::CliError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tx_sdk::Secret;

/// The config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One profile.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Tencent IM settings.
    #[serde(default)]
    pub tim: TimProfile,
}

/// Tencent IM settings of a profile.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimProfile {
    /// SDKAppID.
    pub sdk_app_id: Option<u32>,
    /// Secret key.
    pub secret_key: Option<Secret>,
    /// Admin identifier.
    pub admin: Option<String>,
    /// Region name.
    pub region: Option<String>,
    /// Base URL override.
    pub endpoint: Option<String>,
}

/// The default config path: `$XDG_CONFIG_HOME/tx/config.toml` or `~/.config/tx/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("tx").join("config.toml"))
}

/// Loads `profile` from `explicit` (which must exist) or the default path (which may not).
/// The profile `default` may be absent; any other must exist.
pub fn load(explicit: Option<&Path>, profile: &str) -> Result<Profile, CliError> {
    let (path, required) = match explicit {
        Some(p) => (Some(p.to_path_buf()), true),
        None => (default_path(), false),
    };
    let file = match path {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str::<ConfigFile>(&text)
                .map_err(|e| CliError::config(format!("config file {}: {}", path.display(), e.message())))?,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => ConfigFile::default(),
            Err(e) => return Err(CliError::config(format!("cannot read config file {}: {e}", path.display()))),
        },
        None => ConfigFile::default(),
    };
    match file.profiles.get(profile) {
        Some(p) => Ok(p.clone()),
        None if profile == "default" => Ok(Profile::default()),
        None => Err(CliError::config(format!("no profile {profile:?} in the config file"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_parse_and_secrets_stay_hidden() {
        let file: ConfigFile = toml::from_str(
            r#"
            [profiles.default.tim]
            sdk_app_id = 1400000000
            secret_key = "s3cr3t"
            admin = "administrator"
            region = "singapore"
            "#,
        )
        .unwrap();
        let tim = &file.profiles["default"].tim;
        assert_eq!(tim.sdk_app_id, Some(1_400_000_000));
        assert!(!format!("{file:?}").contains("s3cr3t"));
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(toml::from_str::<ConfigFile>("[profiles.default.tim]\nsecretkey = \"x\"").is_err());
    }
}
