//! Settings from three places, one way for every platform and for the `tx` command:
//! explicit values (flags) win over environment variables, which win over a profile of
//! the config file.
//!
//! A platform declares each setting as a [`Key`] (its profile section and name, and its
//! environment variable); its `ClientBuilder::from_config` reads them through a [`Config`].
//! Errors name where the bad value came from: the flag, the variable, or the file with
//! line and column.
//!
//! The config file (`~/.config/tx/config.toml`, or `$XDG_CONFIG_HOME/tx/config.toml`) holds
//! named profiles, each with one table per section:
//!
//! ```toml
//! [profiles.default.tim]
//! sdk_app_id = 1400000000
//! secret_key = "…"
//! region = "singapore"
//!
//! [profiles.local.tim]
//! sdk_app_id = 1400000000
//! secret_key = "tx-emulator-demo-key"
//! endpoint = "http://127.0.0.1:8080"
//! ```
//!
//! ```
//! use tx_core::config::{Config, Key};
//! const APP: Key = Key::new("tim", "sdk_app_id", "TIM_SDK_APP_ID");
//!
//! let vars = std::collections::HashMap::from([("TIM_SDK_APP_ID", "1400000000")]);
//! let mut config = Config::from_lookup(move |k| vars.get(k).map(|v| v.to_string()));
//! assert_eq!(config.parse::<u32>(&APP)?, Some(1_400_000_000));
//! config.set(&APP, "--sdk-app-id", "1400000001"); // a flag wins
//! assert_eq!(config.parse::<u32>(&APP)?, Some(1_400_000_001));
//! let e = Config::from_lookup(|_| Some("x".into())).parse::<u32>(&APP).unwrap_err();
//! assert_eq!(e.field(), Some("TIM_SDK_APP_ID"));
//! # Ok::<(), tx_core::Error>(())
//! ```

use crate::error::{Error, ErrorKind};
use crate::secret::Secret;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

/// One setting: where it sits in a profile and which environment variable holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The profile section (`tim`, `wechat`, `ads`, `redis`).
    pub section: &'static str,
    /// The name within the section (`sdk_app_id`).
    pub name: &'static str,
    /// The environment variable (`TIM_SDK_APP_ID`).
    pub env: &'static str,
}

impl Key {
    /// A setting `section.name`, also read from `env`.
    pub const fn new(section: &'static str, name: &'static str, env: &'static str) -> Key {
        Key { section, name, env }
    }
}

/// The Redis server whose state (tokens, refreshes, quotas) is shared by every process:
/// `TX_REDIS_URL`, or `url` in a profile's `redis` section. Every platform reads it.
pub const REDIS_URL: Key = Key::new("redis", "url", "TX_REDIS_URL");

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag (or a value a program set).
    Flag(String),
    /// An environment variable.
    Env(&'static str),
    /// A profile of the config file.
    Profile {
        /// The file.
        file: PathBuf,
        /// 1-based line of the value.
        line: usize,
        /// 1-based column of the value.
        column: usize,
        /// `section.name`.
        key: String,
    },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag(flag) => f.write_str(flag),
            Origin::Env(var) => f.write_str(var),
            Origin::Profile { file, line, column, key } => {
                write!(f, "{} line {line} column {column} ({key})", file.display())
            }
        }
    }
}

/// A value with its origin.
#[derive(Clone, PartialEq, Eq)]
pub struct Value {
    /// The text (numbers and booleans of the file as they would be written).
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
}

/// Shows the origin only: values may be secrets.
impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Value").field("origin", &self.origin).finish_non_exhaustive()
    }
}

type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Flags, environment and one profile, resolved in that order.
#[derive(Clone)]
pub struct Config {
    flags: HashMap<(&'static str, &'static str), Value>,
    flag_names: HashMap<(&'static str, &'static str), String>,
    env: Lookup,
    profile: Option<Profile>,
}

/// One loaded profile: its values by `(section, name)`.
#[derive(Clone)]
struct Profile {
    file: PathBuf,
    name: String,
    values: BTreeMap<(String, String), Value>,
}

/// Names what is set, never the values.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let flags: Vec<String> = self.flags.keys().map(|(s, n)| format!("{s}.{n}")).collect();
        let profile = self.profile.as_ref().map(|p| (p.file.display().to_string(), p.name.clone()));
        f.debug_struct("Config").field("flags", &flags).field("profile", &profile).finish_non_exhaustive()
    }
}

impl Config {
    /// The process environment, no profile.
    pub fn from_env() -> Config {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Variables read through `lookup` (a test, another config layer), no profile.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Config {
        Config { flags: HashMap::new(), flag_names: HashMap::new(), env: Arc::new(lookup), profile: None }
    }

    /// The default config file: `$XDG_CONFIG_HOME/tx/config.toml` or `~/.config/tx/config.toml`.
    pub fn default_path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        Some(base.join("tx").join("config.toml"))
    }

    /// Adds profile `name` of the config file at `path`, or of the default file when
    /// `path` is `None`. A file given explicitly must exist; the default one may not. The
    /// profile `default` may be absent; any other must exist.
    pub fn with_profile(self, path: Option<&Path>, name: &str) -> Result<Config, Error> {
        let (path, required) = match path {
            Some(p) => (Some(p.to_path_buf()), true),
            None => (Config::default_path(), false),
        };
        let Some(path) = path else { return self.no_profile(name) };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => return self.no_profile(name),
            Err(e) => {
                return Err(Error::other(ErrorKind::InvalidInput, format!("cannot read {}", path.display()), e));
            }
        };
        self.with_profile_text(path, &text, name)
    }

    /// Adds profile `name` of a config file whose content is `text` (read from `path`,
    /// which errors and origins name).
    pub(crate) fn with_profile_text(mut self, path: PathBuf, text: &str, name: &str) -> Result<Config, Error> {
        let file: File = toml::from_str(text).map_err(|e| file_error(&path, text, e.span(), e.message()))?;
        let Some(sections) = file.profiles.get(name) else {
            if name == "default" {
                return Ok(self);
            }
            let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
            return Err(Error::invalid_input(
                "--profile",
                format_args!("{name:?} is not a profile of {} (profiles: {})", path.display(), known.join(", ")),
            ));
        };
        let mut values = BTreeMap::new();
        for (section, table) in sections {
            for (key, spanned) in table {
                let (line, column) = line_column(text, spanned.span().start);
                let text = match spanned.get_ref() {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_) => {
                        spanned.get_ref().to_string()
                    }
                    other => {
                        return Err(Error::invalid_input(
                            format!("{} line {line} column {column}", path.display()),
                            format_args!(
                                "{section}.{key} must be a string, a number or a boolean, not a {}",
                                other.type_str()
                            ),
                        ));
                    }
                };
                let origin = Origin::Profile { file: path.clone(), line, column, key: format!("{section}.{key}") };
                values.insert((section.clone(), key.clone()), Value { text, origin });
            }
        }
        self.profile = Some(Profile { file: path, name: name.to_owned(), values });
        Ok(self)
    }

    fn no_profile(self, name: &str) -> Result<Config, Error> {
        if name == "default" {
            Ok(self)
        } else {
            Err(Error::invalid_input("--profile", format_args!("{name:?} is set but there is no config file")))
        }
    }

    /// Sets `key` from a flag (named `flag` in errors); it wins over the environment and
    /// the profile.
    pub fn set(&mut self, key: &Key, flag: &str, value: impl Into<String>) {
        let value = Value { text: value.into(), origin: Origin::Flag(flag.to_owned()) };
        self.flags.insert((key.section, key.name), value);
    }

    /// Names the flag that sets `key`, for the message when a required value is missing.
    pub fn name_flag(&mut self, key: &Key, flag: &str) {
        self.flag_names.insert((key.section, key.name), flag.to_owned());
    }

    /// The value of `key`, or an error that says every way of setting it.
    pub fn required(&self, key: &Key) -> Result<Value, Error> {
        self.get(key).ok_or_else(|| {
            let profile = self.profile.as_ref().map_or("default", |p| p.name.as_str());
            let ways = match self.flag_names.get(&(key.section, key.name)) {
                Some(flag) => format!("pass {flag}, set {}", key.env),
                None => format!("set {}", key.env),
            };
            Error::invalid_input(
                key.env,
                format_args!("is not set: {ways}, or add {} to [profiles.{profile}.{}]", key.name, key.section),
            )
        })
    }

    /// The value of `key`: the flag, else the (non-empty) variable, else the profile's.
    pub fn get(&self, key: &Key) -> Option<Value> {
        if let Some(v) = self.flags.get(&(key.section, key.name)) {
            return Some(v.clone());
        }
        if let Some(text) = (self.env)(key.env).filter(|v| !v.trim().is_empty()) {
            return Some(Value { text, origin: Origin::Env(key.env) });
        }
        let profile = self.profile.as_ref()?;
        profile.values.get(&(key.section.to_owned(), key.name.to_owned())).cloned()
    }

    /// The value of `key` trimmed, if set.
    pub fn string(&self, key: &Key) -> Option<String> {
        self.get(key).map(|v| v.text.trim().to_owned())
    }

    /// The value of `key` as a secret, taken verbatim (a key is used as-is in a MAC).
    pub fn secret(&self, key: &Key) -> Option<Secret> {
        self.get(key).map(|v| Secret::new(v.text))
    }

    /// The value of `key` parsed as `T`; an error names the origin and the value.
    pub fn parse<T: FromStr>(&self, key: &Key) -> Result<Option<T>, Error>
    where
        T::Err: fmt::Display,
    {
        self.parse_with(key, |text| text.parse::<T>().map_err(|e| e.to_string()))
    }

    /// The value of `key` read by `read`; an error names the origin and the value.
    pub fn parse_with<T>(&self, key: &Key, read: impl FnOnce(&str) -> Result<T, String>) -> Result<Option<T>, Error> {
        let Some(value) = self.get(key) else { return Ok(None) };
        let text = value.text.trim();
        read(text)
            .map(Some)
            .map_err(|why| Error::invalid_input(value.origin.to_string(), format_args!("{text:?} is not valid: {why}")))
    }

    /// Refuses keys of the profile's `section` other than `known` (a typo would otherwise
    /// be ignored), naming the file, line and column.
    pub fn check_section(&self, section: &str, known: &[Key]) -> Result<(), Error> {
        let Some(profile) = &self.profile else { return Ok(()) };
        for ((s, name), value) in &profile.values {
            if s == section && !known.iter().any(|k| k.name == name) {
                let names: Vec<&str> = known.iter().map(|k| k.name).collect();
                return Err(Error::invalid_input(
                    value.origin.to_string(),
                    format_args!("is not a setting of [{section}] (known: {})", names.join(", ")),
                ));
            }
        }
        Ok(())
    }

    /// Refuses sections of the profile other than `known`.
    pub fn check_sections(&self, known: &[&str]) -> Result<(), Error> {
        let Some(profile) = &self.profile else { return Ok(()) };
        for ((section, _), value) in &profile.values {
            if !known.contains(&section.as_str()) {
                return Err(Error::invalid_input(
                    value.origin.to_string(),
                    format_args!("is in [{section}], which is not a section (known: {})", known.join(", ")),
                ));
            }
        }
        Ok(())
    }
}

/// The config file: profiles of sections of values, each with its place in the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    profiles: BTreeMap<String, BTreeMap<String, BTreeMap<String, toml::Spanned<toml::Value>>>>,
}

/// 1-based line and column of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn file_error(path: &Path, text: &str, span: Option<std::ops::Range<usize>>, message: &str) -> Error {
    let place = match span {
        Some(span) => {
            let (line, column) = line_column(text, span.start);
            format!("{} line {line} column {column}", path.display())
        }
        None => path.display().to_string(),
    };
    Error::invalid_input(place, format_args!("is not a valid config file: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const APP: Key = Key::new("tim", "sdk_app_id", "TIM_SDK_APP_ID");
    const SECRET: Key = Key::new("tim", "secret_key", "TIM_SECRET_KEY");
    const REGION: Key = Key::new("tim", "region", "TIM_REGION");

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    fn env(vars: &[(&'static str, &'static str)]) -> Config {
        let vars: HashMap<&str, &str> = vars.iter().copied().collect();
        Config::from_lookup(move |k| vars.get(k).map(|v| (*v).to_owned()))
    }

    const PROFILES: &str = "[profiles.default.tim]\nsdk_app_id = 1400000000\nsecret_key = \"from-file\"\n\n[profiles.local.tim]\nsdk_app_id = 1400000009\nregion = \"mars\"\n";

    #[test]
    fn flags_win_over_the_environment_which_wins_over_the_profile() {
        let f = file(PROFILES);
        let config = env(&[("TIM_SECRET_KEY", "from-env")]).with_profile(Some(f.path()), "default").unwrap();
        assert_eq!(config.parse::<u32>(&APP).unwrap(), Some(1_400_000_000));
        assert_eq!(config.secret(&SECRET).unwrap().expose(), "from-env");
        let mut config = config;
        config.set(&SECRET, "--secret-key", "from-flag");
        assert_eq!(config.secret(&SECRET).unwrap().expose(), "from-flag");
        assert_eq!(config.get(&REGION), None);
        // An empty variable counts as unset.
        let config = env(&[("TIM_SECRET_KEY", " ")]).with_profile(Some(f.path()), "default").unwrap();
        assert_eq!(config.secret(&SECRET).unwrap().expose(), "from-file");
    }

    #[test]
    fn bad_values_name_their_file_line_and_column() {
        let f = file(PROFILES);
        let config = env(&[]).with_profile(Some(f.path()), "local").unwrap();
        let e = config.parse_with(&REGION, |r| if r == "mars" { Err("no such region".into()) } else { Ok(()) });
        let e = e.unwrap_err();
        let shown = e.to_string();
        assert!(shown.contains("line 7 column 10 (tim.region)") && shown.contains("no such region"), "{shown}");
        let e = env(&[("TIM_SDK_APP_ID", "x")]).parse::<u32>(&APP).unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("TIM_SDK_APP_ID")));
    }

    #[test]
    fn broken_files_unknown_keys_and_missing_profiles_are_errors() {
        let broken = file("[profiles.default.tim]\nsdk_app_id = \n");
        let e = env(&[]).with_profile(Some(broken.path()), "default").unwrap_err().to_string();
        assert!(e.contains("line 2 column"), "{e}");
        let typo = file("[profiles.default.tim]\nsecretkey = \"x\"\n");
        let config = env(&[]).with_profile(Some(typo.path()), "default").unwrap();
        let e = config.check_section("tim", &[APP, SECRET]).unwrap_err().to_string();
        assert!(e.contains("line 2 column 13 (tim.secretkey) is not a setting of [tim]"), "{e}");
        let e = config.check_sections(&["wechat"]).unwrap_err().to_string();
        assert!(e.contains("is in [tim], which is not a section"), "{e}");
        let f = file(PROFILES);
        let e = env(&[]).with_profile(Some(f.path()), "prod").unwrap_err().to_string();
        assert!(e.contains("\"prod\" is not a profile") && e.contains("default, local"), "{e}");
        assert!(env(&[]).with_profile(Some(Path::new("/nonexistent/tx.toml")), "default").is_err());
        let nested = file("[profiles.default.tim]\nsdk_app_id = [1]\n");
        assert!(env(&[]).with_profile(Some(nested.path()), "default").is_err());
    }

    #[test]
    fn a_missing_value_says_how_to_set_it() {
        let mut config = env(&[]);
        let e = config.required(&APP).unwrap_err();
        assert_eq!(e.field(), Some("TIM_SDK_APP_ID"));
        assert!(e.to_string().contains("set TIM_SDK_APP_ID, or add sdk_app_id to [profiles.default.tim]"), "{e}");
        config.name_flag(&APP, "--sdk-app-id");
        assert!(config.required(&APP).unwrap_err().to_string().contains("pass --sdk-app-id, set TIM_SDK_APP_ID"));
    }

    #[test]
    fn debug_never_shows_values() {
        let f = file(PROFILES);
        let mut config = env(&[("TIM_SECRET_KEY", "env-secret")]).with_profile(Some(f.path()), "default").unwrap();
        config.set(&SECRET, "--secret-key", "flag-secret");
        let shown = format!("{config:?} {:?}", config.get(&SECRET));
        assert!(
            !shown.contains("secret\"") && !shown.contains("flag-secret") && !shown.contains("from-file"),
            "{shown}"
        );
    }
}
