//! Where each endpoint is served: `api.e.qq.com` for almost everything, `dl.e.qq.com` for
//! file downloads, `developers.e.qq.com` for the authorize page and the WeChat binding,
//! any of them replaced per endpoint.

use std::collections::BTreeMap;
use url::Url;

/// The version segment of every Marketing API path (`/v3.0/watermarks/add`).
pub const API_VERSION: &str = "v3.0";

/// The production host of the Marketing API and of `oauth/token`.
pub const PRODUCTION_HOST: &str = "https://api.e.qq.com/";

/// The sandbox host. It serves the legacy API versions; a working v3.0 sandbox is not
/// verified, so the sandbox is opt-in ([`crate::ClientBuilder::sandbox`]).
pub const SANDBOX_HOST: &str = "https://sandbox-api.e.qq.com/";

/// The host of file downloads (`async_task_files/get`, `async_report_files/get`).
pub const DOWNLOAD_HOST: &str = "https://dl.e.qq.com/";

/// The host of the authorize page and of `authorization/wechat_bind`.
pub const DEVELOPERS_HOST: &str = "https://developers.e.qq.com/";

/// Endpoints served by [`DOWNLOAD_HOST`] unless overridden.
pub const DOWNLOAD_ENDPOINTS: [&str; 2] = ["async_task_files/get", "async_report_files/get"];

/// Endpoints served by [`DEVELOPERS_HOST`] unless overridden.
pub const DEVELOPERS_ENDPOINTS: [&str; 1] = ["authorization/wechat_bind"];

/// The hosts of one client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hosts {
    /// Every endpoint without an entry in `per_endpoint`, and `oauth/token`.
    pub api: Url,
    /// The authorize page.
    pub developers: Url,
    /// Endpoints served elsewhere (the download and developer endpoints, the user's
    /// overrides).
    pub per_endpoint: BTreeMap<String, Url>,
}

impl Hosts {
    /// The production or sandbox hosts with their per-endpoint defaults, or `replaced`
    /// (an emulator, a proxy) for everything; then the user's `overrides`.
    pub fn new(replaced: Option<&Url>, sandbox: bool, overrides: &BTreeMap<String, Url>) -> Hosts {
        let fixed = |u: &str| Url::parse(u).expect("a valid built-in host");
        let (api, download, developers) = match replaced {
            Some(url) => (url.clone(), url.clone(), url.clone()),
            None => {
                let api = if sandbox { SANDBOX_HOST } else { PRODUCTION_HOST };
                (fixed(api), fixed(DOWNLOAD_HOST), fixed(DEVELOPERS_HOST))
            }
        };
        let mut per_endpoint = BTreeMap::new();
        if replaced.is_none() {
            for e in DOWNLOAD_ENDPOINTS {
                per_endpoint.insert(e.to_owned(), download.clone());
            }
            for e in DEVELOPERS_ENDPOINTS {
                per_endpoint.insert(e.to_owned(), developers.clone());
            }
        }
        for (endpoint, url) in overrides {
            per_endpoint.insert(endpoint.clone(), url.clone());
        }
        Hosts { api, developers, per_endpoint }
    }

    /// The host serving `endpoint` (e.g. `watermarks/add`).
    pub fn host(&self, endpoint: &str) -> &Url {
        self.per_endpoint.get(endpoint).unwrap_or(&self.api)
    }

    /// The host of `endpoint` when it is not the API host.
    pub fn other_host(&self, endpoint: &str) -> Option<&Url> {
        self.per_endpoint.get(endpoint)
    }
}

/// The path of a Marketing API endpoint: `v3.0/{endpoint}`.
pub(crate) fn path(endpoint: &str) -> String {
    format!("{API_VERSION}/{}", endpoint.trim_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_sandbox_replaced_and_overridden() {
        let none = BTreeMap::new();
        let prod = Hosts::new(None, false, &none);
        assert_eq!(prod.host("watermarks/add").as_str(), PRODUCTION_HOST);
        assert_eq!(prod.host("async_task_files/get").as_str(), DOWNLOAD_HOST);
        assert_eq!(prod.host("async_report_files/get").as_str(), DOWNLOAD_HOST);
        assert_eq!(prod.host("authorization/wechat_bind").as_str(), DEVELOPERS_HOST);
        assert_eq!(prod.developers.as_str(), DEVELOPERS_HOST);
        assert_eq!(prod.other_host("watermarks/get"), None);
        assert_eq!(Hosts::new(None, true, &none).host("watermarks/get").as_str(), SANDBOX_HOST);

        let emu = Url::parse("http://127.0.0.1:9/").unwrap();
        let replaced = Hosts::new(Some(&emu), true, &none);
        for e in ["watermarks/add", "async_task_files/get", "authorization/wechat_bind"] {
            assert_eq!(replaced.host(e), &emu, "{e}");
        }
        assert_eq!(replaced.developers, emu);

        let proxy = Url::parse("https://proxy.example.com/ads/").unwrap();
        let overrides = BTreeMap::from([("watermarks/get".to_owned(), proxy.clone())]);
        let mixed = Hosts::new(Some(&emu), false, &overrides);
        assert_eq!((mixed.host("watermarks/get"), mixed.host("watermarks/add")), (&proxy, &emu));
        assert_eq!(path("watermarks/add"), "v3.0/watermarks/add");
        assert_eq!(path("/watermarks/add/"), "v3.0/watermarks/add");
    }
}
