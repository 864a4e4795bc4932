//! Entry points for the fuzz targets (`fuzz/`), compiled only with the `fuzzing` feature:
//! parsers of outside input that are not reachable from the public API without I/O.

use crate::config::Config;
use crate::error::Error;
use std::path::PathBuf;

/// Loads profile `name` from a config file whose content is `text`, as
/// [`Config::with_profile`] does after reading the file (which is named `fuzz.toml` in
/// errors and origins). No variables are set.
pub fn config_profile(text: &str, name: &str) -> Result<Config, Error> {
    Config::from_lookup(|_| None).with_profile_text(PathBuf::from("fuzz.toml"), text, name)
}
