//! The (From, To) pair commands: `blocklist add|delete|check`, `friends add|delete|check`.
//! One path for every input mode: arguments, a file of ids and CSV pairs all run as a bulk
//! stream and print the same records.

use super::is_configuration;
use crate::cli::IdsArgs;
use crate::exit::CliError;
use crate::input::Pairs;
use crate::input::remaining::Remaining;
use crate::output::{Column, Printer, Row};
use crate::run::{self, View};
use serde_json::Value;
use tx_sdk::tim::{AddSource, Bulk, CheckType, Client, DeleteType, FriendRelation, Pair, PairResult, Relation};

/// What the pair commands share.
pub struct Ctx<'a> {
    pub tim: &'a Client,
    pub json: bool,
    pub concurrency: usize,
}

const CHANGE: &[Column] = &[
    Column::new("INDEX", "index", 6),
    Column::new("FROM", "from", 16),
    Column::new("TO", "to", 16),
    Column::new("STATUS", "status", 13),
    Column::new("ERROR", "error", 0),
];

const CHECK: &[Column] = &[
    Column::new("INDEX", "index", 6),
    Column::new("FROM", "from", 16),
    Column::new("TO", "to", 16),
    Column::new("STATUS", "status", 13),
    Column::new("RELATION", "relation", 30),
    Column::new("ERROR", "error", 0),
];

fn pair_fields<T>(row: Row, r: &PairResult<T>) -> Row {
    match &r.item {
        Some(p) => row.field("from", p.from.as_str()).field("to", p.to.as_str()),
        None => row.field("from", Value::Null).field("to", Value::Null),
    }
}

fn input_fields(p: &Pair) -> Vec<String> {
    vec![p.from.clone(), p.to.clone()]
}

/// Runs a pair command over its checked input.
async fn run<T: Send + 'static>(
    ctx: &Ctx<'_>,
    command: &'static str,
    columns: &'static [Column],
    pairs: Pairs,
    args: &IdsArgs,
    bulk: impl FnOnce(Pairs) -> Result<Bulk<T>, CliError>,
    value: &dyn Fn(Row, &T) -> Row,
) -> Result<u8, CliError> {
    let total = pairs.len();
    let remaining = args.resume.remaining.as_deref().map(|p| Remaining::create(p, pairs.format())).transpose()?;
    let bulk = bulk(pairs)?.max_in_flight(ctx.concurrency);
    let fields = |row: Row, r: &PairResult<T>| {
        let row = pair_fields(row, r);
        match &r.outcome {
            tx_sdk::bulk::Outcome::Ok(v) => value(row, v),
            _ => row,
        }
    };
    let view = View { command, fields: &fields, input_fields: &input_fields };
    let mut out = Printer::new(ctx.json, columns);
    run::run(bulk, total, view, remaining, &mut out).await
}

fn sdk(e: tx_sdk::Error) -> CliError {
    CliError::from_sdk(&e, is_configuration)
}

fn no_value<T>(row: Row, _: &T) -> Row {
    row
}

pub async fn blocklist_add(ctx: &Ctx<'_>, args: &IdsArgs) -> Result<u8, CliError> {
    let pairs = Pairs::from_args(args)?;
    let bulk = |p: Pairs| Ok(ctx.tim.blocklist().add_many(p.stream()?));
    run(ctx, "tim blocklist add", CHANGE, pairs, args, bulk, &no_value).await
}

pub async fn blocklist_delete(ctx: &Ctx<'_>, args: &IdsArgs) -> Result<u8, CliError> {
    let pairs = Pairs::from_args(args)?;
    let bulk = |p: Pairs| Ok(ctx.tim.blocklist().delete_many(p.stream()?));
    run(ctx, "tim blocklist delete", CHANGE, pairs, args, bulk, &no_value).await
}

pub async fn blocklist_check(ctx: &Ctx<'_>, args: &IdsArgs, check_type: CheckType) -> Result<u8, CliError> {
    let pairs = Pairs::from_args(args)?;
    let bulk = |p: Pairs| ctx.tim.blocklist().check_many(p.stream()?, check_type).map_err(sdk);
    let value = |row: Row, r: &Relation| row.field("relation", r.as_str());
    run(ctx, "tim blocklist check", CHECK, pairs, args, bulk, &value).await
}

pub async fn friends_add(ctx: &Ctx<'_>, args: &IdsArgs, source: &str) -> Result<u8, CliError> {
    let pairs = Pairs::from_args(args)?;
    let source = AddSource::new(source);
    let bulk = |p: Pairs| ctx.tim.friends().add_many(p.stream()?, source).map_err(sdk);
    run(ctx, "tim friends add", CHANGE, pairs, args, bulk, &no_value).await
}

pub async fn friends_delete(ctx: &Ctx<'_>, args: &IdsArgs, delete_type: DeleteType) -> Result<u8, CliError> {
    let pairs = Pairs::from_args(args)?;
    let bulk = |p: Pairs| ctx.tim.friends().delete_many(p.stream()?, delete_type).map_err(sdk);
    run(ctx, "tim friends delete", CHANGE, pairs, args, bulk, &no_value).await
}

pub async fn friends_check(ctx: &Ctx<'_>, args: &IdsArgs, check_type: CheckType) -> Result<u8, CliError> {
    let pairs = Pairs::from_args(args)?;
    let bulk = |p: Pairs| ctx.tim.friends().check_many(p.stream()?, check_type).map_err(sdk);
    let value = |row: Row, r: &FriendRelation| row.field("relation", r.as_str());
    run(ctx, "tim friends check", CHECK, pairs, args, bulk, &value).await
}
