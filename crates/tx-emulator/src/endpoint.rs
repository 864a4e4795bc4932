//! Which emulated endpoint a request is for.
//!
//! An endpoint is named by its path without the leading slash, as the real hosts spell it:
//! `v4/sns/black_list_add`, `v4/im_open_login_svc/account_import`,
//! `cgi-bin/component/api_component_token`, `v3.0/watermarks/add`, `oauth/token`.
//! WeChat AMS actions share one path and are told apart by their `action` query value:
//! `wxa/operationams?action=agency_set_mp_amscategory_blacklist` (likewise for
//! `wxa/setdefaultamsinfo` and `wxa/getdefaultamsinfo`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// One of the three emulated platforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Tencent IM REST (`v4/…`).
    Tim,
    /// WeChat third-party platform (`wxa/…`, `cgi-bin/…`).
    Wechat,
    /// Tencent Ads Marketing API (`v3.0/…`, `oauth/…`).
    Ads,
}

impl Platform {
    /// The platform's name as used in fault targets: `tim`, `wechat`, `ads`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Tim => "tim",
            Platform::Wechat => "wechat",
            Platform::Ads => "ads",
        }
    }

    /// Parses `tim`, `wechat` or `ads`.
    pub fn parse(s: &str) -> Option<Platform> {
        match s {
            "tim" => Some(Platform::Tim),
            "wechat" => Some(Platform::Wechat),
            "ads" => Some(Platform::Ads),
            _ => None,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An emulated endpoint: its platform and its identifier (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// The platform serving it.
    pub platform: Platform,
    /// The identifier, e.g. `v4/sns/black_list_check`.
    pub id: String,
}

impl Endpoint {
    /// Classifies a request path (with leading slash) and raw query; `None` for paths no
    /// platform serves (including the control API under `/_emulator/`).
    pub fn classify(path: &str, query: Option<&str>) -> Option<Endpoint> {
        let trimmed = path.strip_prefix('/')?;
        let platform = if trimmed.starts_with("v4/") {
            Platform::Tim
        } else if trimmed.starts_with("wxa/") || trimmed.starts_with("cgi-bin/") {
            Platform::Wechat
        } else if trimmed.starts_with("v3.0/") || trimmed.starts_with("oauth/") {
            Platform::Ads
        } else {
            return None;
        };
        let id = if platform == Platform::Wechat && trimmed.starts_with("wxa/") {
            let action = query.and_then(|q| query_value(q, "action")).unwrap_or_default();
            format!("{trimmed}?action={action}")
        } else {
            trimmed.to_owned()
        };
        Some(Endpoint { platform, id })
    }
}

/// The first value of `key` in a raw query string, percent-decoded.
pub(crate) fn query_value(query: &str, key: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_the_three_platforms() {
        let tim = Endpoint::classify("/v4/sns/black_list_add", Some("sdkappid=1")).unwrap();
        assert_eq!((tim.platform, tim.id.as_str()), (Platform::Tim, "v4/sns/black_list_add"));
        let wx = Endpoint::classify("/wxa/operationams", Some("action=agency_get_black_list&access_token=x")).unwrap();
        assert_eq!(wx.id, "wxa/operationams?action=agency_get_black_list");
        let token = Endpoint::classify("/cgi-bin/component/api_component_token", None).unwrap();
        assert_eq!((token.platform, token.id.as_str()), (Platform::Wechat, "cgi-bin/component/api_component_token"));
        let ads = Endpoint::classify("/v3.0/watermarks/get", Some("page=1")).unwrap();
        assert_eq!((ads.platform, ads.id.as_str()), (Platform::Ads, "v3.0/watermarks/get"));
        assert_eq!(Endpoint::classify("/oauth/token", None).unwrap().platform, Platform::Ads);
        assert!(Endpoint::classify("/_emulator/stats", None).is_none());
    }
}
