//! Share ratios (actions 1–4): the provider's share of a mini program's ad income, in
//! percent. 40 means provider 40 %, merchant 60 %. A set takes effect only once the
//! merchant confirms it in the authorization flow; a custom ratio beats the default.

use super::{Ack, GET_DEFAULT_PATH, SET_DEFAULT_PATH, action};
use crate::validate;
use serde::{Deserialize, Serialize};
use tx_core::lenient;

/// `set_share_ratio`: sets the provider's default share ratio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetShareRatioRequest {
    /// The provider's share, 0–100 percent.
    pub share_ratio: u32,
}

/// `get_share_ratio`: the default share ratio (with the provider's appid) or a mini
/// program's effective one (with its appid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetShareRatioRequest {
    /// The provider's or a mini program's AppID.
    pub appid: String,
}

/// `agency_set_custom_share_ratio`: sets one mini program's share ratio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetCustomShareRatioRequest {
    /// The mini program's AppID.
    pub appid: String,
    /// The provider's share, 0–100 percent.
    pub share_ratio: u32,
}

/// `agency_get_custom_share_ratio`: one mini program's custom share ratio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetCustomShareRatioRequest {
    /// The mini program's AppID.
    pub appid: String,
}

/// The answer of `get_share_ratio` and `agency_get_custom_share_ratio`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ShareRatio {
    /// The provider's share, in percent.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub share_ratio: i64,
}

action!(SetShareRatioRequest => Ack, "set_share_ratio", SET_DEFAULT_PATH, Component, Idempotent,
    |r| validate::share_ratio(r.share_ratio));
action!(GetShareRatioRequest => ShareRatio, "get_share_ratio", GET_DEFAULT_PATH, Component, Idempotent,
    |r| validate::appid("appid", &r.appid));
action!(SetCustomShareRatioRequest => Ack, "agency_set_custom_share_ratio", SET_DEFAULT_PATH, Component, Idempotent,
    |r| { validate::appid("appid", &r.appid)?; validate::share_ratio(r.share_ratio) });
action!(GetCustomShareRatioRequest => ShareRatio, "agency_get_custom_share_ratio", GET_DEFAULT_PATH, Component, Idempotent,
    |r| validate::appid("appid", &r.appid));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Action;
    use tx_core::envelope::wechat::decode;

    const APPID: &str = "wx2c2769f8efd9abc2";

    #[test]
    fn requests() {
        let set = SetCustomShareRatioRequest { appid: APPID.into(), share_ratio: 40 };
        assert_eq!(serde_json::to_string(&set).unwrap(), r#"{"appid":"wx2c2769f8efd9abc2","share_ratio":40}"#);
        assert!(set.validate().is_ok());
        assert_eq!(SetShareRatioRequest { share_ratio: 101 }.validate().unwrap_err().field(), Some("share_ratio"));
        assert_eq!(
            SetCustomShareRatioRequest { appid: "gh_x".into(), share_ratio: 40 }.validate().unwrap_err().field(),
            Some("appid")
        );
        assert_eq!(GetShareRatioRequest { appid: String::new() }.validate().unwrap_err().field(), Some("appid"));
        assert!(GetCustomShareRatioRequest { appid: APPID.into() }.validate().is_ok());
    }

    #[test]
    fn answers() {
        let r: ShareRatio = decode(br#"{"ret":0,"err_msg":"","share_ratio":40}"#).unwrap();
        assert_eq!(r.share_ratio, 40);
        let r: ShareRatio = decode(br#"{"share_ratio":"35"}"#).unwrap();
        assert_eq!(r.share_ratio, 35);
    }
}
