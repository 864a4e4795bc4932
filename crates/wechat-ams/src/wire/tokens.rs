//! The component and authorizer tokens, and the ticket push (reference §7).
//!
//! Every token, secret and ticket is a [`Secret`]: `Debug` shows `***`, and the value is
//! written only onto the wire.

use super::{Ack, action, de};
use crate::validate;
use serde::{Deserialize, Serialize};
use tx_core::{Error, Secret, lenient};

/// `api_component_token`: the platform's `component_access_token` (2 h; fetching is
/// rate-limited, so it must be cached).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentTokenRequest {
    /// The platform's AppID.
    pub component_appid: String,
    /// The platform's AppSecret.
    #[serde(serialize_with = "de::serialize_secret")]
    pub component_appsecret: Secret,
    /// The latest pushed `component_verify_ticket` (valid 12 h).
    #[serde(serialize_with = "de::serialize_secret")]
    pub component_verify_ticket: Secret,
}

/// The answer of `api_component_token`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ComponentToken {
    /// The token.
    #[serde(default)]
    pub component_access_token: Secret,
    /// Its lifetime in seconds (7200).
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub expires_in: i64,
}

/// `api_authorizer_token`: a fresh `authorizer_access_token` from the refresh token (2 h;
/// a daily quota applies, so it must be cached).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorizerTokenRequest {
    /// The platform's AppID.
    pub component_appid: String,
    /// The mini program's AppID.
    pub authorizer_appid: String,
    /// The mini program's refresh token.
    #[serde(serialize_with = "de::serialize_secret")]
    pub authorizer_refresh_token: Secret,
}

/// The answer of `api_authorizer_token`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AuthorizerToken {
    /// The token.
    #[serde(default)]
    pub authorizer_access_token: Secret,
    /// Its lifetime in seconds (7200).
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub expires_in: i64,
    /// The refresh token, when returned. A different value must be persisted at once: the
    /// old one works only about 5 more minutes.
    #[serde(default, deserialize_with = "de::opt_secret")]
    pub authorizer_refresh_token: Option<Secret>,
}

/// `api_start_push_ticket`: asks WeChat to push a `component_verify_ticket` now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StartPushTicketRequest {
    /// The platform's AppID.
    pub component_appid: String,
    /// The platform's AppSecret.
    #[serde(serialize_with = "de::serialize_secret")]
    pub component_secret: Secret,
}

/// Refuses an empty secret, without showing it.
pub(crate) fn required_secret(field: &'static str, secret: &Secret) -> Result<(), Error> {
    if secret.expose().trim().is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    Ok(())
}

action!(ComponentTokenRequest => ComponentToken, "api_component_token", "/cgi-bin/component/api_component_token", None, Idempotent, |r| {
    validate::appid("component_appid", &r.component_appid)?;
    required_secret("component_appsecret", &r.component_appsecret)?;
    required_secret("component_verify_ticket", &r.component_verify_ticket)
});
action!(AuthorizerTokenRequest => AuthorizerToken, "api_authorizer_token", "/cgi-bin/component/api_authorizer_token", Component, Idempotent, |r| {
    validate::appid("component_appid", &r.component_appid)?;
    validate::appid("authorizer_appid", &r.authorizer_appid)?;
    required_secret("authorizer_refresh_token", &r.authorizer_refresh_token)
});
action!(StartPushTicketRequest => Ack, "api_start_push_ticket", "/cgi-bin/component/api_start_push_ticket", None, Idempotent, |r| {
    validate::appid("component_appid", &r.component_appid)?;
    required_secret("component_secret", &r.component_secret)
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Action;
    use tx_core::envelope::wechat::decode;

    const COMPONENT: &str = "wx2c2769f8efd9abc2";

    #[test]
    fn secrets_go_onto_the_wire_but_not_into_debug() {
        let r = ComponentTokenRequest {
            component_appid: COMPONENT.into(),
            component_appsecret: Secret::new("app-secret-1"),
            component_verify_ticket: Secret::new("ticket@@@2"),
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"component_appid":"wx2c2769f8efd9abc2","component_appsecret":"app-secret-1","component_verify_ticket":"ticket@@@2"}"#
        );
        let shown = format!("{r:?}");
        assert!(!shown.contains("app-secret-1") && !shown.contains("ticket@@@2"), "{shown}");
        assert!(r.validate().is_ok());
        let mut empty = r.clone();
        empty.component_verify_ticket = Secret::new("");
        assert_eq!(empty.validate().unwrap_err().field(), Some("component_verify_ticket"));
    }

    #[test]
    fn token_answers() {
        let t: ComponentToken = decode(br#"{"component_access_token":"tok-1","expires_in":7200}"#).unwrap();
        assert_eq!((t.component_access_token.expose(), t.expires_in), ("tok-1", 7200));
        assert!(!format!("{t:?}").contains("tok-1"));

        let a: AuthorizerToken =
            decode(br#"{"authorizer_access_token":"a-1","expires_in":"7200","authorizer_refresh_token":"r-2"}"#)
                .unwrap();
        assert_eq!(a.authorizer_refresh_token.as_ref().map(Secret::expose), Some("r-2"));
        let no_refresh: AuthorizerToken = decode(br#"{"authorizer_access_token":"a-1","expires_in":7200}"#).unwrap();
        assert_eq!(no_refresh.authorizer_refresh_token, None);
        let empty_refresh: AuthorizerToken = decode(br#"{"authorizer_refresh_token":""}"#).unwrap();
        assert_eq!(empty_refresh.authorizer_refresh_token, None);
        let stale = decode::<ComponentToken>(br#"{"errcode":61005,"errmsg":"component ticket is expired"}"#);
        assert!(matches!(stale, Err(tx_core::envelope::EnvelopeError::Failure(f)) if f.code == 61005));
    }

    #[test]
    fn authorizer_token_and_push_ticket_requests() {
        let r = AuthorizerTokenRequest {
            component_appid: COMPONENT.into(),
            authorizer_appid: "wxf8580a2747e8ab39".into(),
            authorizer_refresh_token: Secret::new("refresh"),
        };
        assert!(r.validate().is_ok());
        let bad = AuthorizerTokenRequest { authorizer_appid: "gh_x".into(), ..r };
        assert_eq!(bad.validate().unwrap_err().field(), Some("authorizer_appid"));
        let p = StartPushTicketRequest { component_appid: COMPONENT.into(), component_secret: Secret::new("s") };
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"component_appid":"wx2c2769f8efd9abc2","component_secret":"s"}"#
        );
        assert_eq!(
            StartPushTicketRequest { component_secret: Secret::new(""), ..p }.validate().unwrap_err().field(),
            Some("component_secret")
        );
    }
}
