//! `tx wechat …`: a WeChat client from flags, environment and profile, its tokens kept in
//! the state directory, then the command.

mod adunit;
mod fleet;
mod refresh;
mod stats;
mod ticket;
mod token;

use crate::cli::{AdunitCommand, AmsCommand, BlacklistCommand, CategoryCommand, WechatArgs, WechatCommand};
use crate::exit::CliError;
use crate::settings;
use tx_sdk::config::Config;

pub async fn run(args: WechatArgs, config: Config) -> Result<u8, CliError> {
    let wechat = settings::wechat_client(&args.conn, &args.state, config, &args.profile.profile)?;
    let ctx = Ctx { wechat: &wechat, json: args.output.json, concurrency: args.conn.concurrency.into() };
    if matches!(&args.command, WechatCommand::Ams(_)) || matches!(&args.command, WechatCommand::Token(t) if t.fetch) {
        require_ticket(&wechat).await?;
    }
    match args.command {
        WechatCommand::Ticket(a) => ticket::run(&ctx, &a).await,
        WechatCommand::Token(a) => token::run(&ctx, &a).await,
        WechatCommand::Ams(command) => match command {
            AmsCommand::Category(c) => match c {
                CategoryCommand::Get(t) => fleet::category_get(&ctx, &t).await,
                CategoryCommand::Set { targets, categories } => fleet::category_set(&ctx, &targets, &categories).await,
                CategoryCommand::Ensure { targets, categories } => {
                    fleet::category_ensure(&ctx, &targets, &categories).await
                }
            },
            AmsCommand::Blacklist(c) => match c {
                BlacklistCommand::Get(t) => fleet::blacklist_get(&ctx, &t).await,
                BlacklistCommand::Add { targets, advertisers } => {
                    fleet::blacklist_change(&ctx, &targets, &advertisers, fleet::Change::Block).await
                }
                BlacklistCommand::Remove { targets, advertisers } => {
                    fleet::blacklist_change(&ctx, &targets, &advertisers, fleet::Change::Unblock).await
                }
            },
            AmsCommand::Adunit(c) => match c {
                AdunitCommand::List { appid, slot } => adunit::list(&ctx, &appid.appid, slot).await,
                AdunitCommand::Create { appid, name, slot, video_min, video_max, tmpl_type, tmpl_id } => {
                    let spec = adunit::NewUnit { name, slot, video_min, video_max, tmpl_type, tmpl_id };
                    adunit::create(&ctx, &appid.appid, spec).await
                }
                AdunitCommand::Update { appid, id, name, on, off } => {
                    let switch = match (on, off) {
                        (true, _) => Some(true),
                        (_, true) => Some(false),
                        _ => None,
                    };
                    adunit::update(&ctx, &appid.appid, &id, name, switch).await
                }
                AdunitCommand::Code { appid, id } => adunit::code(&ctx, &appid.appid, &id).await,
            },
            AmsCommand::Stats(a) => stats::stats(&ctx, &a).await,
            AmsCommand::Settlement(a) => stats::settlement(&ctx, &a).await,
        },
    }
}

/// What the WeChat commands share.
pub struct Ctx<'a> {
    pub wechat: &'a tx_sdk::wechat::Client,
    pub json: bool,
    pub concurrency: usize,
}

/// Authorization codes refused by `api_query_auth`: 61009 invalid or used, 61010 expired.
const AUTHORIZATION_CODE_REFUSED: [i64; 2] = [61009, 61010];

/// Whether a WeChat code says the configuration or a credential is wrong (exit 3): the IP
/// allow-list, the AppSecret, the ticket, a refused refresh token or authorization code.
fn is_configuration(code: i64) -> bool {
    let known = tx_sdk::wechat::ErrorCode::from(code);
    known.is_configuration_error()
        || known.is_ticket_error()
        || known.is_refresh_token_invalid()
        || AUTHORIZATION_CODE_REFUSED.contains(&code)
}

/// The exit code and message of an SDK error of a WeChat command.
fn sdk(e: tx_sdk::Error) -> CliError {
    CliError::from_sdk(&e, is_configuration)
}

/// Refuses to start a command that needs the component token when there is neither a
/// ticket to fetch one with nor a cached one: say how to get a ticket rather than fail on
/// the first call.
async fn require_ticket(wechat: &tx_sdk::wechat::Client) -> Result<(), CliError> {
    let tokens = wechat.tokens();
    if tokens.ticket().await.map_err(sdk)?.is_some() || tokens.cached_component().await.map_err(sdk)?.is_some() {
        return Ok(());
    }
    Err(CliError::config(
        "no component_verify_ticket is kept: receive one with `tx wechat ticket` (WeChat pushes one to the \
         authorization-event URL every 10 minutes), or set WECHAT_COMPONENT_VERIFY_TICKET",
    ))
}

/// Checks an AppID given as a flag, before anything is sent.
fn check_appid(flag: &str, appid: &str) -> Result<String, CliError> {
    crate::input::check_appid(appid, 64).map_err(|why| CliError::input(format!("{flag} {why}")))
}
