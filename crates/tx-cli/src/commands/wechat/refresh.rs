//! Refresh tokens for the mini programs a command names. A fresh state directory holds
//! none; when one of them has none, the refresh tokens of every authorizer are recovered
//! once from `api_get_authorizer_list` (one paged call), so no manual step is needed.

use super::sdk;
use crate::exit::CliError;
use tx_sdk::wechat::Client;

/// Recovers the refresh tokens if one of `appids` has none kept.
pub async fn ensure(wechat: &Client, appids: impl Iterator<Item = String>) -> Result<(), CliError> {
    for appid in appids {
        if wechat.tokens().refresh_token(&appid).await.map_err(sdk)?.is_none() {
            let stored = wechat.tokens().recover_refresh_tokens().await.map_err(sdk)?;
            eprintln!("tx: no refresh token was kept for {appid}: recovered {stored} from api_get_authorizer_list");
            return Ok(());
        }
    }
    Ok(())
}
