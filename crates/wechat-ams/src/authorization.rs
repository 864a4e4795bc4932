//! The merchant authorization flow (reference §7): the pre-auth code and the page the
//! merchant authorizes on, the exchange of the authorization code, and the list of
//! authorizers. Get a handle with [`crate::Client::authorization`].

use crate::client::Client;
use crate::protocol::sources::DEFAULT_LIFETIME;
use crate::wire::{
    AuthorizationInfo, AuthorizerListEntry, AuthorizerListRequest, PreAuthCode, PreAuthCodeRequest, QueryAuthRequest,
};
use futures_util::stream::BoxStream;
use std::time::Duration;
use tx_core::paging::{self, Page};
use tx_core::token::{Durable, Fetched, Token};
use tx_core::{Error, Secret, Tenant};
use url::Url;

/// The PC authorization page, where the merchant scans a code.
pub const AUTHORIZATION_PAGE: &str = "https://mp.weixin.qq.com/cgi-bin/componentloginpage";

/// The mobile (H5) authorization link, opened in WeChat.
pub const MOBILE_AUTHORIZATION_PAGE: &str = "https://open.weixin.qq.com/wxaopen/safe/bindcomponent";

/// The most authorizers `api_get_authorizer_list` returns per page.
pub const AUTHORIZER_LIST_PAGE: u32 = crate::validate::MAX_AUTHORIZER_LIST_COUNT;

/// Which accounts the authorization page offers (`auth_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AuthType {
    /// Official accounts only (1).
    OfficialAccount,
    /// Mini programs only (2): the AMS actions are for mini programs.
    #[default]
    MiniProgram,
    /// Both (3).
    Both,
}

impl AuthType {
    /// The `auth_type` value.
    pub fn code(self) -> u8 {
        match self {
            AuthType::OfficialAccount => 1,
            AuthType::MiniProgram => 2,
            AuthType::Both => 3,
        }
    }
}

/// The authorization flow of a [`Client`].
#[derive(Debug, Clone, Copy)]
pub struct Authorization<'a> {
    client: &'a Client,
}

impl<'a> Authorization<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Authorization { client }
    }

    /// `api_create_preauthcode`: a pre-auth code for the authorization page (valid for
    /// its `expires_in`, 10 to 30 minutes).
    pub async fn pre_auth_code(&self) -> Result<PreAuthCode, Error> {
        let inner = self.client.inner();
        inner.api.send(None, &PreAuthCodeRequest { component_appid: inner.component_appid.clone() }).await
    }

    /// The PC authorization page for `pre_auth_code`: the merchant scans its code, and
    /// WeChat redirects to `redirect_uri` with `auth_code` (and pushes `authorized`).
    ///
    /// ```
    /// use wechat_ams::AuthType;
    /// let wechat = wechat_ams::Client::builder().component_appid("wx0c0c0c0c0c0c0c0c").component_secret("s").build()?;
    /// let url = wechat.authorization().authorization_url(&"preauthcode@@@x".into(), "https://example.com/done?a=1", AuthType::MiniProgram)?;
    /// assert_eq!(url, "https://mp.weixin.qq.com/cgi-bin/componentloginpage?component_appid=wx0c0c0c0c0c0c0c0c&pre_auth_code=preauthcode%40%40%40x&redirect_uri=https%3A%2F%2Fexample.com%2Fdone%3Fa%3D1&auth_type=2");
    /// # Ok::<(), tx_core::Error>(())
    /// ```
    pub fn authorization_url(
        &self,
        pre_auth_code: &Secret,
        redirect_uri: &str,
        auth_type: AuthType,
    ) -> Result<String, Error> {
        let mut url = self.page(AUTHORIZATION_PAGE, pre_auth_code, redirect_uri, auth_type)?;
        url.set_fragment(None);
        Ok(url.into())
    }

    /// The mobile authorization link for `pre_auth_code`, to be opened in WeChat; with
    /// `biz_appid`, only that account can authorize.
    pub fn mobile_authorization_url(
        &self,
        pre_auth_code: &Secret,
        redirect_uri: &str,
        auth_type: AuthType,
        biz_appid: Option<&str>,
    ) -> Result<String, Error> {
        let mut url = self.page(MOBILE_AUTHORIZATION_PAGE, pre_auth_code, redirect_uri, auth_type)?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(biz) = biz_appid {
                crate::validate::appid("biz_appid", biz)?;
                q.append_pair("biz_appid", biz);
            }
        }
        let query = format!("action=bindcomponent&no_scan=1&{}", url.query().unwrap_or_default());
        url.set_query(Some(&query));
        url.set_fragment(Some("wechat_redirect"));
        Ok(url.into())
    }

    fn page(&self, page: &str, pre_auth_code: &Secret, redirect_uri: &str, auth_type: AuthType) -> Result<Url, Error> {
        if pre_auth_code.expose().trim().is_empty() {
            return Err(Error::invalid_input("pre_auth_code", "must not be empty"));
        }
        tx_core::client::parse_url("redirect_uri", redirect_uri)?;
        let mut url = Url::parse(page).map_err(|e| Error::invalid_input("page", e))?;
        url.query_pairs_mut()
            .append_pair("component_appid", self.client.component_appid())
            .append_pair("pre_auth_code", pre_auth_code.expose())
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("auth_type", &auth_type.code().to_string());
        Ok(url)
    }

    /// `api_query_auth`: exchanges an authorization code (from the redirect, or an
    /// `authorized` / `updateauthorized` push) for the mini program's tokens. With managed
    /// tokens they are stored at once, the refresh token first and durably; the answer is
    /// also returned (its tokens are [`Secret`]s).
    ///
    /// The code is single-use, so the exchange is never repeated after an ambiguous
    /// failure (a lost reply): call [`crate::Tokens::recover_refresh_tokens`] then.
    pub async fn query_auth(&self, authorization_code: impl Into<Secret>) -> Result<AuthorizationInfo, Error> {
        let inner = self.client.inner();
        let request = QueryAuthRequest {
            component_appid: inner.component_appid.clone(),
            authorization_code: authorization_code.into(),
        };
        let info = inner.api.send(None, &request).await?.authorization_info;
        crate::validate::appid("authorization_info.authorizer_appid", &info.authorizer_appid)
            .map_err(|e| Error::decode(e.message(), b""))?;
        if let Some(cache) = &inner.authorizer_cache {
            let lifetime =
                u64::try_from(info.expires_in).ok().filter(|s| *s > 0).map_or(DEFAULT_LIFETIME, Duration::from_secs);
            let token = Token::new(info.authorizer_access_token.clone(), inner.core.clock().unix_now(), lifetime);
            let refresh = (!info.authorizer_refresh_token.expose().is_empty())
                .then(|| Durable::new(info.authorizer_refresh_token.clone(), None));
            cache.put(&Tenant::new(info.authorizer_appid.as_str()), &Fetched { token, refresh }).await?;
            tracing::info!(authorizer = %info.authorizer_appid, "authorization exchanged; tokens stored");
        }
        Ok(info)
    }

    /// `api_get_authorizer_list`: every mini program that authorized the component, with
    /// its current refresh token, page by page (500 per request). Nothing is sent until
    /// the stream is polled.
    pub fn authorizers(&self) -> BoxStream<'static, Result<AuthorizerListEntry, Error>> {
        let api = self.client.inner().api.clone();
        let component_appid = self.client.component_appid().to_owned();
        paging::items(0, move |offset| {
            let api = api.clone();
            let request = AuthorizerListRequest {
                component_appid: component_appid.clone(),
                offset: u32::try_from(offset).unwrap_or(u32::MAX),
                count: AUTHORIZER_LIST_PAGE,
            };
            async move {
                let list = api.send(None, &request).await?;
                let end = offset + list.list.len() as u64;
                let more = !list.list.is_empty() && u64::try_from(list.total_count).is_ok_and(|total| end < total);
                Ok(Page { items: list.list, next: more.then_some(end) })
            }
        })
    }
}
