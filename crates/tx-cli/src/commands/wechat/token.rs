//! `tx wechat token`: what the state directory holds for the platform and the named mini
//! programs (present, valid, until when), never a value; with `--fetch`, tokens missing or
//! about to expire are obtained first.

use super::{Ctx, check_appid, refresh, sdk};
use crate::cli::TokenArgs;
use crate::exit::{self, CliError};
use crate::output::{Column, Printer, Row, Summary};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

const COMMAND: &str = "wechat token";
const COLUMNS: &[Column] = &[
    Column::new("KIND", "kind", 24),
    Column::new("APPID", "appid", 18),
    Column::new("PRESENT", "present", 7),
    Column::new("VALID", "valid", 5),
    Column::new("EXPIRES_AT", "expires_at", 0),
];

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A `token` record: whether a credential is kept and until when.
fn row(kind: &str, appid: &str, kept: Option<Option<u64>>) -> Row {
    let expires_at = kept.flatten();
    let valid = kept.is_some() && expires_at.is_none_or(|at| at > now());
    let row = Row::new("token", COMMAND)
        .field("kind", kind)
        .field("appid", appid)
        .field("present", kept.is_some())
        .field("valid", valid);
    match expires_at {
        Some(at) => row.time("expires_at", "expires_at_unix", at),
        None => row.field("expires_at", None::<String>).field("expires_at_unix", None::<u64>),
    }
}

pub async fn run(ctx: &Ctx<'_>, args: &TokenArgs) -> Result<u8, CliError> {
    let started = Instant::now();
    let appids = args.authorizers.iter().map(|a| check_appid("--authorizer", a)).collect::<Result<Vec<String>, _>>()?;
    let tokens = ctx.wechat.tokens();
    if args.fetch {
        tokens.component().await.map_err(sdk)?;
        refresh::ensure(ctx.wechat, appids.iter().cloned()).await?;
        for appid in &appids {
            tokens.authorizer(appid).await.map_err(sdk)?;
        }
    }
    let component = ctx.wechat.component_appid();
    let mut rows = vec![
        row("component_verify_ticket", component, tokens.ticket().await.map_err(sdk)?.map(|t| t.expires_at)),
        row(
            "component_access_token",
            component,
            tokens.cached_component().await.map_err(sdk)?.map(|t| Some(t.expires_at)),
        ),
    ];
    for appid in &appids {
        let access = tokens.cached_authorizer(appid).await.map_err(sdk)?.map(|t| Some(t.expires_at));
        rows.push(row("authorizer_access_token", appid, access));
        let refresh = tokens.refresh_token(appid).await.map_err(sdk)?.map(|t| t.expires_at);
        rows.push(row("authorizer_refresh_token", appid, refresh));
    }
    let mut out = Printer::new(ctx.json, COLUMNS);
    for r in &rows {
        out.record(r);
    }
    out.summary(&Summary::of_records(COMMAND, rows.len() as u64, 0, started.elapsed().as_millis() as u64));
    Ok(exit::OK)
}
