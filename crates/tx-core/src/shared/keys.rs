//! Names of the Redis keys. Every key starts with `tx:` and its kind; the rest is the
//! token cache's key (platform, kind, app, tenant: `tim:usersig:1400000000:administrator`)
//! or the rate key (platform, scope, endpoint). Apps never share a key, and no key holds
//! a secret: tokens, tickets and keys are values, never names.

use crate::rate_limit::RateKey;

/// An access token and its expiry (a hash with a TTL).
pub(crate) fn access(key: &str) -> String {
    format!("tx:access:{key}")
}

/// A refresh token or a ticket (a hash without a TTL).
pub(crate) fn durable(key: &str) -> String {
    format!("tx:durable:{key}")
}

/// The refresh lock of a token key (a string holding the fencing value, with a TTL).
pub(crate) fn lock(key: &str) -> String {
    format!("tx:lock:{key}")
}

/// The schedule of a quota (a hash: the GCRA's theoretical arrival time and the hold).
pub(crate) fn rate(key: &RateKey) -> String {
    format!("tx:rate:{}:{}:{}", key.platform, key.scope, key.endpoint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_namespaced_by_kind_platform_app_and_tenant() {
        assert_eq!(access("tim:usersig:1400000000:administrator"), "tx:access:tim:usersig:1400000000:administrator");
        assert_eq!(durable("wechat:ticket:wx0c0c0c0c0c0c0c0c"), "tx:durable:wechat:ticket:wx0c0c0c0c0c0c0c0c");
        assert_eq!(lock("ads:token:1110000000:20000001"), "tx:lock:ads:token:1110000000:20000001");
        let key = RateKey::new("tim", "1400000000", "v4/sns/black_list_add");
        assert_eq!(rate(&key), "tx:rate:tim:1400000000:v4/sns/black_list_add");
    }
}
