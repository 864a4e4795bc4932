//! `GET oauth/token`: exchanging an authorization code, or refreshing an access token.
//!
//! Every parameter travels in the query, credentials included, so the request keeps them in
//! [`Secret`]s and hands them out as [`QueryArg::Secret`], which `Debug` prints as `***`.

use super::de::{opt_enum, opt_secret, opt_string, opt_u64};
use crate::query::{QueryArg, QueryPairs};
use crate::validate;
use serde::Deserialize;
use std::time::Duration;
use tx_core::{Error, Secret, lenient};

/// The access token's lifetime when the answer does not say: 24 hours.
pub const DEFAULT_ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(86_400);

/// The refresh token's lifetime when the answer does not say: 30 days, restarted by every
/// refresh.
pub const DEFAULT_REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(2_592_000);

tx_core::open_str_enum! {
    /// The kind of account that authorized the app (`account_type`).
    pub enum AccountType {
        /// A QQ account (the default of the authorize page).
        Qq = "ACCOUNT_TYPE_QQ",
        /// A WeChat account.
        Wechat = "ACCOUNT_TYPE_WECHAT",
    }
}

tx_core::open_str_enum! {
    /// The role of the authorizing account (`account_role_type`). The organization roles
    /// (`ACCOUNT_ROLE_TYPE_ORGANIZATION_*`) are not enumerated by the documentation and
    /// arrive as `Unknown`; see [`AccountRoleType::is_organization`].
    pub enum AccountRoleType {
        /// An advertiser.
        Advertiser = "ACCOUNT_ROLE_TYPE_ADVERTISER",
        /// An agency.
        Agency = "ACCOUNT_ROLE_TYPE_AGENCY",
        /// A T1 account.
        T1 = "ACCOUNT_ROLE_TYPE_T1",
        /// A business manager.
        BusinessManager = "ACCOUNT_ROLE_TYPE_BUSINESS_MANAGER",
    }
}

impl AccountRoleType {
    /// Whether the role is one of the `ACCOUNT_ROLE_TYPE_ORGANIZATION_*` roles.
    pub fn is_organization(&self) -> bool {
        self.as_str().starts_with("ACCOUNT_ROLE_TYPE_ORGANIZATION")
    }
}

/// How a token is obtained (`grant_type` and its parameters).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Grant {
    /// `authorization_code`: the code from the callback (valid 5 minutes, once) and the
    /// `redirect_uri` given to the authorize page, character for character.
    AuthorizationCode {
        /// The `authorization_code` of the callback.
        code: Secret,
        /// The `redirect_uri` of the authorize page.
        redirect_uri: String,
    },
    /// `refresh_token`: a new access token; the refresh token itself is kept and its 30 days
    /// restart.
    RefreshToken(Secret),
}

/// The query of `GET oauth/token` (an endpoint without the `v3.0` segment).
///
/// ```
/// use tencent_ads::TokenRequest;
/// let request = TokenRequest::refresh_token(1_110_000_000, "app-secret", "refresh-value");
/// request.validate()?;
/// let pairs = request.query_pairs();
/// let shown = format!("{pairs:?}");
/// assert!(!shown.contains("app-secret") && !shown.contains("refresh-value"));
/// let keys: Vec<&str> = pairs.iter().map(|(k, _)| *k).collect();
/// assert_eq!(keys, ["client_id", "client_secret", "grant_type", "refresh_token"]);
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenRequest {
    /// The app id.
    pub client_id: i64,
    /// The app secret, 1 to 256 bytes.
    pub client_secret: Secret,
    /// How the token is obtained.
    pub grant: Grant,
}

impl TokenRequest {
    /// Exchange the authorization code of the callback.
    pub fn authorization_code(
        client_id: i64,
        client_secret: impl Into<Secret>,
        code: impl Into<Secret>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        TokenRequest {
            client_id,
            client_secret: client_secret.into(),
            grant: Grant::AuthorizationCode { code: code.into(), redirect_uri: redirect_uri.into() },
        }
    }

    /// Refresh an access token.
    pub fn refresh_token(client_id: i64, client_secret: impl Into<Secret>, refresh_token: impl Into<Secret>) -> Self {
        TokenRequest {
            client_id,
            client_secret: client_secret.into(),
            grant: Grant::RefreshToken(refresh_token.into()),
        }
    }

    /// The `grant_type` value.
    pub fn grant_type(&self) -> &'static str {
        match self.grant {
            Grant::AuthorizationCode { .. } => "authorization_code",
            Grant::RefreshToken(_) => "refresh_token",
        }
    }

    /// Checks the request before anything is sent. Errors never show a credential.
    pub fn validate(&self) -> Result<(), Error> {
        if self.client_id < 1 {
            return Err(Error::invalid_input(
                "client_id",
                format_args!("must be a positive integer, got {}", self.client_id),
            ));
        }
        validate::check_client_secret(&self.client_secret)?;
        match &self.grant {
            Grant::AuthorizationCode { code, redirect_uri } => {
                if code.expose().trim().is_empty() {
                    return Err(Error::invalid_input("authorization_code", "must not be empty"));
                }
                validate::check_redirect_uri(redirect_uri)
            }
            Grant::RefreshToken(token) if token.expose().trim().is_empty() => {
                Err(Error::invalid_input("refresh_token", "must not be empty"))
            }
            Grant::RefreshToken(_) => Ok(()),
        }
    }

    /// The query parameters, credentials as [`QueryArg::Secret`].
    pub fn query_pairs(&self) -> QueryPairs<'_> {
        let mut pairs: QueryPairs<'_> = vec![
            ("client_id", QueryArg::from(self.client_id.to_string())),
            ("client_secret", QueryArg::from(&self.client_secret)),
            ("grant_type", QueryArg::from(self.grant_type())),
        ];
        match &self.grant {
            Grant::AuthorizationCode { code, redirect_uri } => {
                pairs.push(("authorization_code", QueryArg::from(code)));
                pairs.push(("redirect_uri", QueryArg::from(redirect_uri.as_str())));
            }
            Grant::RefreshToken(token) => pairs.push(("refresh_token", QueryArg::from(token))),
        }
        pairs
    }
}

/// The `data` of `oauth/token`. `Debug` shows no token.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct TokenResponse {
    /// The access token.
    #[serde(deserialize_with = "access_token")]
    pub access_token: Secret,
    /// Its lifetime in seconds, when the answer gives it.
    #[serde(default, deserialize_with = "opt_u64")]
    pub access_token_expires_in: Option<u64>,
    /// The refresh token: only an authorization-code exchange returns one. A refresh returns
    /// none; keep the one you have.
    #[serde(default, deserialize_with = "opt_secret")]
    pub refresh_token: Option<Secret>,
    /// The refresh token's lifetime in seconds, when the answer gives it.
    #[serde(default, deserialize_with = "opt_u64")]
    pub refresh_token_expires_in: Option<u64>,
    /// Who authorized the app: only an authorization-code exchange returns it.
    #[serde(default)]
    pub authorizer_info: Option<AuthorizerInfo>,
}

impl TokenResponse {
    /// How long the access token lives: the answer's `access_token_expires_in`, or 24 hours.
    pub fn access_token_lifetime(&self) -> Duration {
        self.access_token_expires_in.map_or(DEFAULT_ACCESS_TOKEN_LIFETIME, Duration::from_secs)
    }

    /// How long the refresh token lives from now: the answer's `refresh_token_expires_in`, or
    /// 30 days (a refresh restarts the existing refresh token's 30 days).
    pub fn refresh_token_lifetime(&self) -> Duration {
        self.refresh_token_expires_in.map_or(DEFAULT_REFRESH_TOKEN_LIFETIME, Duration::from_secs)
    }
}

/// An access token is required: a token answer without one is not a token answer.
fn access_token<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
    opt_secret(d)?.ok_or_else(|| serde::de::Error::custom("the answer carries no access_token"))
}

/// `authorizer_info`: the account that authorized the app.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct AuthorizerInfo {
    /// The QQ number of the account, when a QQ account authorized.
    #[serde(default, deserialize_with = "lenient::opt_i64_from_any")]
    pub account_uin: Option<i64>,
    /// The authorized account: the `account_id` of later calls, and the tenant key of its
    /// tokens.
    #[serde(default, deserialize_with = "lenient::opt_i64_from_any")]
    pub account_id: Option<i64>,
    /// The WeChat account id, when a WeChat account authorized.
    #[serde(default, deserialize_with = "opt_string")]
    pub wechat_account_id: Option<String>,
    /// QQ or WeChat.
    #[serde(default, deserialize_with = "opt_enum")]
    pub account_type: Option<AccountType>,
    /// The role of the user in the account, as sent.
    #[serde(default, deserialize_with = "opt_string")]
    pub role_type: Option<String>,
    /// The granted scopes; empty means all of the app's scopes.
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub scope_list: Vec<String>,
    /// Advertiser, agency, T1, business manager or an organization role.
    #[serde(default, deserialize_with = "opt_enum")]
    pub account_role_type: Option<AccountRoleType>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange() -> TokenRequest {
        TokenRequest::authorization_code(1_110_000_000, "cs-1", "code-1", "https://example.com/cb?x=1")
    }

    fn shown(pairs: &QueryPairs<'_>) -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, v.expose().to_owned())).collect()
    }

    #[test]
    fn exchange_query() {
        let r = exchange();
        assert!(r.validate().is_ok());
        let pairs = r.query_pairs();
        assert_eq!(
            shown(&pairs),
            [
                ("client_id", "1110000000".to_owned()),
                ("client_secret", "cs-1".to_owned()),
                ("grant_type", "authorization_code".to_owned()),
                ("authorization_code", "code-1".to_owned()),
                ("redirect_uri", "https://example.com/cb?x=1".to_owned()),
            ]
        );
        let secret: Vec<&str> = pairs.iter().filter(|(_, v)| v.is_secret()).map(|(k, _)| *k).collect();
        assert_eq!(secret, ["client_secret", "authorization_code"]);
        let printed = format!("{r:?} {pairs:?}");
        assert!(!printed.contains("cs-1") && !printed.contains("code-1"), "{printed}");
    }

    #[test]
    fn refresh_query() {
        let r = TokenRequest::refresh_token(7, "cs", "rt-1");
        assert_eq!(r.grant_type(), "refresh_token");
        let pairs = r.query_pairs();
        assert_eq!(pairs[3].0, "refresh_token");
        assert!(pairs[3].1.is_secret());
        assert_eq!(pairs[3].1.expose(), "rt-1");
    }

    #[test]
    fn token_request_rules() {
        let mut r = exchange();
        r.client_id = 0;
        assert_eq!(r.validate().unwrap_err().field(), Some("client_id"));
        let mut r = exchange();
        r.client_secret = Secret::new("");
        assert_eq!(r.validate().unwrap_err().field(), Some("client_secret"));
        r.client_secret = Secret::new("x".repeat(257));
        assert_eq!(r.validate().unwrap_err().field(), Some("client_secret"));
        let e = TokenRequest::authorization_code(1, "cs", " ", "https://example.com").validate().unwrap_err();
        assert_eq!(e.field(), Some("authorization_code"));
        let e = TokenRequest::authorization_code(1, "cs", "c", "https://example.com:8443/cb").validate().unwrap_err();
        assert_eq!(e.field(), Some("redirect_uri"));
        let e = TokenRequest::refresh_token(1, "cs", "").validate().unwrap_err();
        assert_eq!(e.field(), Some("refresh_token"));
    }

    #[test]
    fn exchange_answer() {
        let json = r#"{
            "access_token": "at-1", "access_token_expires_in": 86400,
            "refresh_token": "rt-1", "refresh_token_expires_in": "2592000",
            "authorizer_info": {"account_uin": 10001, "account_id": "5178368698", "wechat_account_id": "",
              "account_type": "ACCOUNT_TYPE_QQ", "role_type": "ROLE_TYPE_ADMIN", "scope_list": ["ads_management"],
              "account_role_type": "ACCOUNT_ROLE_TYPE_ADVERTISER", "new_field": true}
        }"#;
        let t: TokenResponse = serde_json::from_str(json).unwrap();
        assert_eq!(t.access_token.expose(), "at-1");
        assert_eq!(t.refresh_token.as_ref().map(Secret::expose), Some("rt-1"));
        assert_eq!(t.access_token_lifetime(), Duration::from_secs(86_400));
        assert_eq!(t.refresh_token_lifetime(), Duration::from_secs(2_592_000));
        let info = t.authorizer_info.as_ref().unwrap();
        assert_eq!((info.account_uin, info.account_id), (Some(10_001), Some(5_178_368_698)));
        assert_eq!(info.wechat_account_id, None);
        assert_eq!(info.account_type, Some(AccountType::Qq));
        assert_eq!(info.role_type.as_deref(), Some("ROLE_TYPE_ADMIN"));
        assert_eq!(info.scope_list, ["ads_management"]);
        assert_eq!(info.account_role_type, Some(AccountRoleType::Advertiser));
        let printed = format!("{t:?}");
        assert!(!printed.contains("at-1") && !printed.contains("rt-1"), "{printed}");
    }

    #[test]
    fn refresh_answer_has_no_refresh_token() {
        let t: TokenResponse =
            serde_json::from_str(r#"{"access_token": "at-2", "access_token_expires_in": "7200"}"#).unwrap();
        assert_eq!(t.refresh_token, None);
        assert_eq!(t.authorizer_info, None);
        assert_eq!(t.access_token_lifetime(), Duration::from_secs(7_200));
        assert_eq!(t.refresh_token_lifetime(), DEFAULT_REFRESH_TOKEN_LIFETIME);
        let t: TokenResponse = serde_json::from_str(r#"{"access_token": "at-3", "refresh_token": ""}"#).unwrap();
        assert_eq!((t.refresh_token.is_none(), t.access_token_lifetime()), (true, DEFAULT_ACCESS_TOKEN_LIFETIME));
        for bad in [r#"{}"#, r#"{"access_token": ""}"#, r#"{"access_token": null}"#] {
            assert!(serde_json::from_str::<TokenResponse>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn roles() {
        assert!(AccountRoleType::from_wire("ACCOUNT_ROLE_TYPE_ORGANIZATION_ADMIN").is_organization());
        assert!(!AccountRoleType::Agency.is_organization());
        assert_eq!(AccountType::from_wire("ACCOUNT_TYPE_WECHAT"), AccountType::Wechat);
    }
}
