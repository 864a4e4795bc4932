//! `tx tim account import|check|delete`.

use super::pairs::Ctx;
use crate::cli::AccountsArgs;
use crate::exit::CliError;
use crate::input::Accounts;
use crate::input::remaining::{Format, Remaining};
use crate::output::{Column, Printer, Row};
use crate::run::{self, View};
use tx_sdk::bulk::Outcome;
use tx_sdk::tim::{Account, AccountBulk, AccountResult, AccountStatus};

const CHANGE: &[Column] = &[
    Column::new("INDEX", "index", 6),
    Column::new("ACCOUNT", "account", 24),
    Column::new("STATUS", "status", 13),
    Column::new("ERROR", "error", 0),
];

const CHECK: &[Column] = &[
    Column::new("INDEX", "index", 6),
    Column::new("ACCOUNT", "account", 24),
    Column::new("STATUS", "status", 13),
    Column::new("ACCOUNT_STATUS", "account_status", 14),
    Column::new("ERROR", "error", 0),
];

fn input_fields(a: &Account) -> Vec<String> {
    vec![a.account.clone()]
}

async fn run<T: Send + 'static>(
    ctx: &Ctx<'_>,
    command: &'static str,
    columns: &'static [Column],
    args: &AccountsArgs,
    bulk: impl FnOnce(Accounts) -> Result<AccountBulk<T>, CliError>,
    value: &dyn Fn(Row, &T) -> Row,
) -> Result<u8, CliError> {
    let accounts = Accounts::from_args(args)?;
    let total = accounts.len();
    let remaining = args.resume.remaining.as_deref().map(|p| Remaining::create(p, Format::Ids)).transpose()?;
    let bulk = bulk(accounts)?.max_in_flight(ctx.concurrency);
    let fields = |row: Row, r: &AccountResult<T>| {
        let row = row.field("account", r.item.as_ref().map(|a| a.account.as_str()));
        match &r.outcome {
            Outcome::Ok(v) => value(row, v),
            _ => row,
        }
    };
    let view = View { command, fields: &fields, input_fields: &input_fields };
    let mut out = Printer::new(ctx.json, columns);
    run::run(bulk, total, view, remaining, &mut out).await
}

fn no_value(row: Row, _: &()) -> Row {
    row
}

pub async fn import(ctx: &Ctx<'_>, args: &AccountsArgs) -> Result<u8, CliError> {
    let bulk = |a: Accounts| Ok(ctx.tim.accounts().import_many(a.stream()?));
    run(ctx, "tim account import", CHANGE, args, bulk, &no_value).await
}

pub async fn check(ctx: &Ctx<'_>, args: &AccountsArgs) -> Result<u8, CliError> {
    let bulk = |a: Accounts| Ok(ctx.tim.accounts().check_many(a.stream()?));
    let value = |row: Row, s: &AccountStatus| row.field("account_status", s.as_str());
    run(ctx, "tim account check", CHECK, args, bulk, &value).await
}

pub async fn delete(ctx: &Ctx<'_>, args: &AccountsArgs) -> Result<u8, CliError> {
    let bulk = |a: Accounts| Ok(ctx.tim.accounts().delete_many(a.stream()?));
    run(ctx, "tim account delete", CHANGE, args, bulk, &no_value).await
}
