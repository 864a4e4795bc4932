//! Whose credentials a call needs.

use std::fmt;
use std::sync::Arc;

/// The holder of the credentials a call is made with: TIM's admin identifier, a WeChat
/// authorizer appid, a Tencent Ads account id. An opaque key: one client serves any number
/// of tenants, each with its own cached token; platforms also key rate limits on it where
/// their quotas are per tenant.
///
/// ```
/// use tx_core::Tenant;
/// let a = Tenant::new("wx0123456789abcdef");
/// assert_eq!(a.as_str(), "wx0123456789abcdef");
/// assert_eq!(a, Tenant::from("wx0123456789abcdef"));
/// assert_eq!(Tenant::from(12345u64).as_str(), "12345");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tenant(Arc<str>);

impl Tenant {
    /// A tenant named `id`.
    pub fn new(id: impl Into<Arc<str>>) -> Tenant {
        Tenant(id.into())
    }

    /// The tenant's id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Tenant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tenant({:?})", &*self.0)
    }
}

impl fmt::Display for Tenant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Tenant {
    fn from(id: &str) -> Tenant {
        Tenant(id.into())
    }
}

impl From<String> for Tenant {
    fn from(id: String) -> Tenant {
        Tenant(id.into())
    }
}

impl From<&String> for Tenant {
    fn from(id: &String) -> Tenant {
        Tenant(id.as_str().into())
    }
}

impl From<u64> for Tenant {
    fn from(id: u64) -> Tenant {
        Tenant(id.to_string().into())
    }
}

impl From<i64> for Tenant {
    fn from(id: i64) -> Tenant {
        Tenant(id.to_string().into())
    }
}

impl AsRef<str> for Tenant {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
