//! A string that must never be printed.

use std::fmt;
use std::sync::Arc;

/// A secret value: a secret key, a UserSig, an access or refresh token, a client secret.
///
/// `Debug` and `Display` print `***`, so a `Secret` can sit inside any config or error
/// type without leaking. The value is reachable only through [`Secret::expose`], which
/// makes every place that handles the raw value easy to find.
///
/// ```
/// use tx_core::Secret;
/// let key = Secret::new("5bd2850fff3e");
/// assert_eq!(format!("{key:?} {key}"), "*** ***");
/// assert_eq!(key.expose(), "5bd2850fff3e");
/// ```
///
/// Clones share the value (a cached token is handed to every call without copying it).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a secret value. From now on, [`crate::redact::text`] (which every error
    /// message and body snippet goes through) masks the value wherever it appears.
    pub fn new(value: impl Into<String>) -> Self {
        let value: Arc<str> = Arc::from(value.into());
        crate::redact::known::remember(&value);
        Secret(value)
    }

    /// The raw value. Call this only where the value goes onto the wire or into a MAC.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string (a configuration mistake worth reporting).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_formats_the_value() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{s}").contains("hunter2"));
        assert!(!format!("{:#?}", Some(&s)).contains("hunter2"));
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn deserializes_from_a_json_string() {
        let s: Secret = serde_json::from_str("\"tok\"").unwrap();
        assert_eq!(s.expose(), "tok");
    }
}
