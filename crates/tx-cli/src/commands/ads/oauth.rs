//! `tx ads oauth url|exchange|refresh|status`. Tokens are kept in the state directory:
//! an exchange serves every later command for that account, refreshed ahead of expiry.
//! No token value is ever printed.

use super::{Ctx, check_account, sdk};
use crate::exit::{self, CliError};
use crate::output::{Column, Printer, Row, Summary};
use std::io::Read;
use std::time::Instant;
use tx_sdk::ads::TokenStatus;

const URL: &[Column] = &[Column::new("URL", "url", 0)];
const AUTHORIZATION: &[Column] = &[
    Column::new("ACCOUNT_ID", "account_id", 12),
    Column::new("ROLE", "role_type", 22),
    Column::new("ACCESS_TOKEN_EXPIRES_AT", "access_token_expires_at", 24),
    Column::new("REFRESH_TOKEN_EXPIRES_AT", "refresh_token_expires_at", 0),
];
const TOKEN: &[Column] = &[
    Column::new("ACCOUNT_ID", "account_id", 12),
    Column::new("ACCESS_TOKEN_EXPIRES_AT", "access_token_expires_at", 24),
    Column::new("REFRESH_TOKEN", "has_refresh_token", 13),
    Column::new("REFRESH_TOKEN_EXPIRES_AT", "refresh_token_expires_at", 0),
];

/// Adds a time that may be unknown: `name` and `{name}_unix`, or two nulls.
fn maybe_time(row: Row, name: &'static str, name_unix: &'static str, unix: Option<u64>) -> Row {
    match unix {
        Some(at) => row.time(name, name_unix, at),
        None => row.field(name, None::<String>).field(name_unix, None::<u64>),
    }
}

fn print_one(ctx: &Ctx<'_>, columns: &'static [Column], row: &Row, command: &str, started: Instant) -> u8 {
    let mut out = Printer::new(ctx.json, columns);
    out.record(row);
    out.summary(&Summary::of_records(command, 1, 0, started.elapsed().as_millis() as u64));
    exit::OK
}

pub fn url(ctx: &Ctx<'_>, redirect_uri: &str, state: Option<String>, scope: Vec<String>) -> Result<u8, CliError> {
    const COMMAND: &str = "ads oauth url";
    let started = Instant::now();
    let mut url = ctx.ads.oauth().authorize_url(redirect_uri);
    if let Some(state) = state {
        url = url.state(state);
    }
    if !scope.is_empty() {
        url = url.scope(scope);
    }
    let url = url.build().map_err(sdk)?;
    let row = Row::new("authorize_url", COMMAND).field("url", url.as_str()).field("redirect_uri", redirect_uri);
    Ok(print_one(ctx, URL, &row, COMMAND, started))
}

/// The authorization code of `input`: the code itself, or a callback URL carrying it.
fn code_of(input: &str) -> Result<String, CliError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(CliError::input("no authorization code: give it (or the callback URL) as an argument or on stdin"));
    }
    if !input.contains("://") {
        return Ok(input.to_owned());
    }
    let url = url::Url::parse(input).map_err(|e| CliError::input(format!("the callback URL does not parse: {e}")))?;
    url.query_pairs().find(|(k, _)| k == "authorization_code").map(|(_, v)| v.into_owned()).ok_or_else(|| {
        let error = url.query_pairs().find(|(k, _)| k == "error").map(|(_, v)| v.into_owned());
        match error {
            Some(e) => CliError::input(format!("the callback carries no authorization_code but an error: {e}")),
            None => CliError::input("the callback URL carries no authorization_code"),
        }
    })
}

pub async fn exchange(ctx: &Ctx<'_>, redirect_uri: &str, code: Option<String>) -> Result<u8, CliError> {
    const COMMAND: &str = "ads oauth exchange";
    let started = Instant::now();
    let input = match code {
        Some(code) if code != "-" => code,
        _ => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text)?;
            text
        }
    };
    let code = code_of(&input)?;
    tx_sdk::ads::validate::check_redirect_uri(redirect_uri)
        .map_err(|e| CliError::input(format!("--redirect-uri: {}", e.message())))?;
    let auth = ctx.ads.oauth().exchange_code(code, redirect_uri).await.map_err(sdk)?;
    let info = &auth.authorizer_info;
    let row = Row::new("authorization", COMMAND)
        .field("account_id", auth.account_id)
        .field("role_type", info.role_type.clone())
        .field("account_role_type", info.account_role_type.as_ref().map(|r| r.as_str().to_owned()))
        .field("scope_list", info.scope_list.clone())
        .time("access_token_expires_at", "access_token_expires_at_unix", auth.access_token_expires_at);
    let row =
        maybe_time(row, "refresh_token_expires_at", "refresh_token_expires_at_unix", auth.refresh_token_expires_at);
    Ok(print_one(ctx, AUTHORIZATION, &row, COMMAND, started))
}

fn token_row(command: &str, account: i64, s: &TokenStatus) -> Row {
    let row = Row::new("token", command).field("account_id", account);
    let row = maybe_time(row, "access_token_expires_at", "access_token_expires_at_unix", s.access_token_expires_at);
    let row = row.field("has_refresh_token", s.has_refresh_token);
    maybe_time(row, "refresh_token_expires_at", "refresh_token_expires_at_unix", s.refresh_token_expires_at)
}

pub async fn refresh(ctx: &Ctx<'_>, account: i64) -> Result<u8, CliError> {
    const COMMAND: &str = "ads oauth refresh";
    let started = Instant::now();
    check_account(account)?;
    let status = ctx.ads.oauth().refresh(account).await.map_err(sdk)?;
    Ok(print_one(ctx, TOKEN, &token_row(COMMAND, account, &status), COMMAND, started))
}

pub async fn status(ctx: &Ctx<'_>, account: i64) -> Result<u8, CliError> {
    const COMMAND: &str = "ads oauth status";
    let started = Instant::now();
    check_account(account)?;
    let status = ctx.ads.oauth().status(account).await.map_err(sdk)?;
    Ok(print_one(ctx, TOKEN, &token_row(COMMAND, account, &status), COMMAND, started))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_come_alone_or_in_their_callback() {
        assert_eq!(code_of(" abc123\n").unwrap(), "abc123");
        assert_eq!(code_of("https://example.com/callback?authorization_code=c0de&state=s1").unwrap(), "c0de");
        assert!(
            code_of("https://example.com/callback?error=access_denied")
                .unwrap_err()
                .to_string()
                .contains("access_denied")
        );
        assert!(
            code_of("https://example.com/callback?state=s").unwrap_err().to_string().contains("no authorization_code")
        );
        assert!(code_of("  ").is_err());
    }
}
