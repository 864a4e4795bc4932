//! `tx tim blocklist add|delete|check|list`.

use super::render::{self, Tally};
use super::source::Source;
use crate::cli::{BlocklistCommand, CheckKind, IdsArgs, TimConnArgs};
use crate::error::CliError;
use crate::output::Printer;
use crate::progress;
use futures_util::{StreamExt, TryStreamExt};
use serde::Serialize;
use serde_json::json;
use tx_sdk::tim::{Bulk, CheckType, Client};

pub async fn run(
    client: &Client,
    command: BlocklistCommand,
    conn: &TimConnArgs,
    out: &mut Printer,
) -> Result<(), CliError> {
    match command {
        BlocklistCommand::Add(ids) => change(client, &ids, Change::Add, conn, out).await,
        BlocklistCommand::Delete(ids) => change(client, &ids, Change::Delete, conn, out).await,
        BlocklistCommand::Check { ids, kind } => check(client, &ids, check_type(kind), conn, out).await,
        BlocklistCommand::List { from } => list(client, &from, out).await,
    }
}

#[derive(Clone, Copy)]
enum Change {
    Add,
    Delete,
}

fn check_type(kind: CheckKind) -> CheckType {
    match kind {
        CheckKind::Both => CheckType::Both,
        CheckKind::Single => CheckType::Single,
    }
}

async fn change(
    client: &Client,
    args: &IdsArgs,
    change: Change,
    conn: &TimConnArgs,
    out: &mut Printer,
) -> Result<(), CliError> {
    let what = match change {
        Change::Add => "blocklist add",
        Change::Delete => "blocklist delete",
    };
    let source = Source::from_args(args)?;
    let mut tally = Tally::new(what);
    match source {
        Source::Args { from, ids } => {
            let report = match change {
                Change::Add => client.blocklist().add(&from, &ids).await?,
                Change::Delete => client.blocklist().delete(&from, &ids).await?,
            };
            render::report(out, &from, &report, &mut tally);
        }
        source => {
            let total = source.len();
            let pairs = source.pairs()?;
            let bulk = match change {
                Change::Add => client.blocklist().add_many(pairs),
                Change::Delete => client.blocklist().delete_many(pairs),
            };
            stream_bulk(bulk, total, what, conn, out, &mut tally).await?;
        }
    }
    conclude(&tally)
}

async fn check(
    client: &Client,
    args: &IdsArgs,
    check_type: CheckType,
    conn: &TimConnArgs,
    out: &mut Printer,
) -> Result<(), CliError> {
    let source = Source::from_args(args)?;
    let mut tally = Tally::new("blocklist check");
    match source {
        Source::Args { from, ids } => {
            let report = client.blocklist().check(&from, &ids, check_type).await?;
            render::report(out, &from, &report, &mut tally);
        }
        source => {
            let total = source.len();
            let bulk = client.blocklist().check_many(source.pairs()?, check_type)?;
            stream_bulk(bulk, total, "blocklist check", conn, out, &mut tally).await?;
        }
    }
    conclude(&tally)
}

/// Runs a bulk operation, printing each result as it arrives, with a progress bar.
pub async fn stream_bulk<T: Serialize + Send + 'static>(
    bulk: Bulk<T>,
    total: u64,
    what: &'static str,
    conn: &TimConnArgs,
    out: &mut Printer,
    tally: &mut Tally,
) -> Result<(), CliError> {
    let bar = progress::bar(total, what);
    let ticker = bar.clone();
    let mut results =
        bulk.max_in_flight(conn.concurrency.max(1)).on_progress(move |s| ticker.set_position(s.done)).stream();
    while let Some(result) = results.next().await {
        match result {
            Ok(r) => render::pair(out, &r, tally),
            Err(e) => {
                bar.abandon();
                return Err(e.into());
            }
        }
    }
    tally.requests = results.summary().requests;
    bar.finish_and_clear();
    Ok(())
}

/// Prints the summary; an error (exit code 1) if any item failed.
pub fn conclude(tally: &Tally) -> Result<(), CliError> {
    tally.finish();
    if tally.all_ok() {
        Ok(())
    } else {
        Err(CliError::failed(format!("{} of {} items failed", tally.failed, tally.failed + tally.succeeded)))
    }
}

async fn list(client: &Client, from: &str, out: &mut Printer) -> Result<(), CliError> {
    let mut entries = client.blocklist().list(from);
    let mut n = 0u64;
    while let Some(entry) = entries.try_next().await? {
        n += 1;
        out.record(&json!({"from": from, "account": entry.account, "added_at": entry.added_at}), || {
            format!("{}\t{}", entry.account, entry.added_at)
        });
    }
    eprintln!("blocklist list: {n} accounts on {from}'s blocklist");
    Ok(())
}
