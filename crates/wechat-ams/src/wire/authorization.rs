//! Authorization of a mini program by its merchant (reference §7): the pre-auth code, the
//! exchange of the authorization code, and the list of authorizers (which recovers lost
//! refresh tokens).

use super::{action, de, tokens::required_secret};
use crate::validate::{self, MAX_AUTHORIZER_LIST_COUNT};
use serde::{Deserialize, Serialize};
use tx_core::{Error, Secret, lenient};

/// `api_create_preauthcode`: a pre-auth code for the merchant's authorization page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreAuthCodeRequest {
    /// The platform's AppID.
    pub component_appid: String,
}

/// The answer of `api_create_preauthcode`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PreAuthCode {
    /// The code.
    #[serde(default)]
    pub pre_auth_code: Secret,
    /// Its lifetime in seconds.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub expires_in: i64,
}

/// `api_query_auth`: exchanges an authorization code (from the redirect or the
/// `authorized` push) for the authorizer's tokens. The code is single-use, so the call is
/// not repeated after an ambiguous failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryAuthRequest {
    /// The platform's AppID.
    pub component_appid: String,
    /// The authorization code.
    #[serde(serialize_with = "de::serialize_secret")]
    pub authorization_code: Secret,
}

/// The answer of `api_query_auth`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct QueryAuth {
    /// What was authorized, with the tokens. Store all of them.
    #[serde(default)]
    pub authorization_info: AuthorizationInfo,
}

/// An authorization: the authorizer, its tokens and the permission sets granted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AuthorizationInfo {
    /// The mini program's AppID.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub authorizer_appid: String,
    /// Its access token.
    #[serde(default)]
    pub authorizer_access_token: Secret,
    /// The access token's lifetime in seconds.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub expires_in: i64,
    /// Its refresh token (durable: persist it).
    #[serde(default)]
    pub authorizer_refresh_token: Secret,
    /// The permission sets granted.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub func_info: Vec<FuncInfo>,
}

/// A permission set granted to the platform.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct FuncInfo {
    /// The permission set.
    #[serde(default)]
    pub funcscope_category: FuncScopeCategory,
}

/// A permission set's id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct FuncScopeCategory {
    /// The id.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub id: i64,
}

/// `api_get_authorizer_list`: the mini programs that authorized the platform, with their
/// refresh tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorizerListRequest {
    /// The platform's AppID.
    pub component_appid: String,
    /// Where to start, from 0.
    pub offset: u32,
    /// How many, 1 to 500.
    pub count: u32,
}

/// The answer of `api_get_authorizer_list`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AuthorizerList {
    /// How many authorizers there are.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub total_count: i64,
    /// This page.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub list: Vec<AuthorizerListEntry>,
}

/// An authorizer and its refresh token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AuthorizerListEntry {
    /// The mini program's AppID.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub authorizer_appid: String,
    /// Its refresh token.
    #[serde(default)]
    pub refresh_token: Secret,
    /// When it authorized, in Unix seconds.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub auth_time: i64,
}

fn check_list(r: &AuthorizerListRequest) -> Result<(), Error> {
    validate::appid("component_appid", &r.component_appid)?;
    if r.count == 0 || r.count > MAX_AUTHORIZER_LIST_COUNT {
        return Err(Error::invalid_input(
            "count",
            format_args!("is {}; expected 1 to {MAX_AUTHORIZER_LIST_COUNT}", r.count),
        ));
    }
    Ok(())
}

action!(PreAuthCodeRequest => PreAuthCode, "api_create_preauthcode", "/cgi-bin/component/api_create_preauthcode", Component, Idempotent,
    |r| validate::appid("component_appid", &r.component_appid));
action!(QueryAuthRequest => QueryAuth, "api_query_auth", "/cgi-bin/component/api_query_auth", Component, NotIdempotent, |r| {
    validate::appid("component_appid", &r.component_appid)?;
    required_secret("authorization_code", &r.authorization_code)
});
action!(AuthorizerListRequest => AuthorizerList, "api_get_authorizer_list", "/cgi-bin/component/api_get_authorizer_list", Component, Idempotent,
    |r| check_list(r));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Action;
    use tx_core::envelope::wechat::decode;

    const COMPONENT: &str = "wx2c2769f8efd9abc2";

    #[test]
    fn query_auth_answer_holds_secrets() {
        let body = br#"{"authorization_info":{"authorizer_appid":"wxf8580a2747e8ab39","authorizer_access_token":"acc-1",
            "expires_in":7200,"authorizer_refresh_token":"ref-1","func_info":[{"funcscope_category":{"id":1}},{"funcscope_category":{"id":"18"}}]}}"#;
        let q: QueryAuth = decode(body).unwrap();
        let info = &q.authorization_info;
        assert_eq!(info.authorizer_appid, "wxf8580a2747e8ab39");
        assert_eq!((info.authorizer_access_token.expose(), info.authorizer_refresh_token.expose()), ("acc-1", "ref-1"));
        assert_eq!(info.func_info.iter().map(|f| f.funcscope_category.id).collect::<Vec<_>>(), [1, 18]);
        let shown = format!("{q:?}");
        assert!(!shown.contains("acc-1") && !shown.contains("ref-1"), "{shown}");
    }

    #[test]
    fn requests() {
        let q = QueryAuthRequest { component_appid: COMPONENT.into(), authorization_code: Secret::new("code@@@x") };
        assert_eq!(
            serde_json::to_string(&q).unwrap(),
            r#"{"component_appid":"wx2c2769f8efd9abc2","authorization_code":"code@@@x"}"#
        );
        assert!(q.validate().is_ok());
        assert_eq!(
            QueryAuthRequest { authorization_code: Secret::new(""), ..q }.validate().unwrap_err().field(),
            Some("authorization_code")
        );
        assert!(PreAuthCodeRequest { component_appid: COMPONENT.into() }.validate().is_ok());
        let list = AuthorizerListRequest { component_appid: COMPONENT.into(), offset: 0, count: 500 };
        assert!(list.validate().is_ok());
        assert_eq!(AuthorizerListRequest { count: 501, ..list.clone() }.validate().unwrap_err().field(), Some("count"));
        assert_eq!(AuthorizerListRequest { count: 0, ..list }.validate().unwrap_err().field(), Some("count"));
    }

    #[test]
    fn authorizer_list_and_pre_auth_code() {
        let l: AuthorizerList = decode(
            br#"{"total_count":33,"list":[{"authorizer_appid":"wxf8580a2747e8ab39","refresh_token":"r-1","auth_time":1558000607}]}"#,
        )
        .unwrap();
        assert_eq!((l.total_count, l.list[0].refresh_token.expose(), l.list[0].auth_time), (33, "r-1", 1_558_000_607));
        let p: PreAuthCode = decode(br#"{"pre_auth_code":"pre-1","expires_in":1800}"#).unwrap();
        assert_eq!((p.pre_auth_code.expose(), p.expires_in), ("pre-1", 1800));
    }
}
