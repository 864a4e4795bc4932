//! `tx tim …`: a TIM client from flags, environment and profile, then the command.

mod accounts;
mod list;
mod pairs;

use crate::cli::{AccountCommand, BlocklistCommand, CheckKind, FriendsCommand, TimArgs, TimCommand};
use crate::exit::CliError;
use crate::settings;
use tx_sdk::config::Config;
use tx_sdk::tim::{CheckType, DeleteType};

pub async fn run(args: TimArgs, config: Config) -> Result<u8, CliError> {
    let tim = settings::tim_client(&args.conn, config)?;
    let ctx = pairs::Ctx { tim: &tim, json: args.output.json, concurrency: args.conn.concurrency.into() };
    match args.command {
        TimCommand::Blocklist(command) => match command {
            BlocklistCommand::Add(ids) => pairs::blocklist_add(&ctx, &ids).await,
            BlocklistCommand::Delete(ids) => pairs::blocklist_delete(&ctx, &ids).await,
            BlocklistCommand::Check { ids, kind } => pairs::blocklist_check(&ctx, &ids, check_type(kind)).await,
            BlocklistCommand::List { from } => list::blocklist(&tim, &from, args.output.json).await,
        },
        TimCommand::Friends(command) => match command {
            FriendsCommand::Add { ids, source } => pairs::friends_add(&ctx, &ids, &source).await,
            FriendsCommand::Delete { ids, kind } => pairs::friends_delete(&ctx, &ids, delete_type(kind)).await,
            FriendsCommand::Check { ids, kind } => pairs::friends_check(&ctx, &ids, check_type(kind)).await,
            FriendsCommand::List { from } => list::friends(&tim, &from, args.output.json).await,
        },
        TimCommand::Account(command) => match command {
            AccountCommand::Import(a) => accounts::import(&ctx, &a).await,
            AccountCommand::Check(a) => accounts::check(&ctx, &a).await,
            AccountCommand::Delete(a) => accounts::delete(&ctx, &a).await,
        },
    }
}

fn check_type(kind: CheckKind) -> CheckType {
    match kind {
        CheckKind::Both => CheckType::Both,
        CheckKind::Single => CheckType::Single,
    }
}

fn delete_type(kind: CheckKind) -> DeleteType {
    match kind {
        CheckKind::Both => DeleteType::Both,
        CheckKind::Single => DeleteType::Single,
    }
}

/// Whether a TIM code says the configuration is wrong (exit 3).
fn is_configuration(code: i64) -> bool {
    tx_sdk::tim::ErrorCode::from(code).is_configuration_error()
}
