//! `tx tim friends add|delete|check|list`. Files are sent in chunks of 1000 ids, a few
//! chunks at a time, in input order.

use super::blocklist::conclude;
use super::render::{self, Tally};
use super::source::Source;
use crate::cli::{FriendsCommand, IdsArgs, TimConnArgs};
use crate::error::CliError;
use crate::output::Printer;
use crate::progress;
use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;
use tx_sdk::tim::{AddSource, BatchReport, CheckType, Client, DeleteType, NewFriend};

/// Ids per batch call when reading a file.
const CHUNK: usize = 1000;

pub async fn run(
    client: &Client,
    command: FriendsCommand,
    conn: &TimConnArgs,
    out: &mut Printer,
) -> Result<(), CliError> {
    match command {
        FriendsCommand::Add(ids) => batches(client, &ids, Op::Add, conn, out).await,
        FriendsCommand::Delete(ids) => batches(client, &ids, Op::Delete, conn, out).await,
        FriendsCommand::Check(ids) => batches(client, &ids, Op::Check, conn, out).await,
        FriendsCommand::List { from } => list(client, &from, out).await,
    }
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Delete,
    Check,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Add => "friends add",
            Op::Delete => "friends delete",
            Op::Check => "friends check",
        }
    }
}

async fn batches(
    client: &Client,
    args: &IdsArgs,
    op: Op,
    conn: &TimConnArgs,
    out: &mut Printer,
) -> Result<(), CliError> {
    if args.pairs.is_some() {
        return Err(CliError::input("--pairs is for blocklist commands; friends take --from with ids or --from-file"));
    }
    let source = Source::from_args(args)?;
    let from = args.from.clone().unwrap_or_default();
    let total = source.len();
    let mut tally = Tally::new(op.name());
    let bar = progress::bar(total, op.name());
    let ids = source.pairs()?.map(|p| p.to);
    let mut reports = std::pin::pin!(
        ids.chunks(CHUNK)
            .map(|chunk| {
                let (client, from) = (client.clone(), from.clone());
                async move { call(&client, &from, chunk, op).await }
            })
            .buffered(conn.concurrency.clamp(1, 8))
    );
    while let Some(report) = reports.next().await {
        let report = report?;
        bar.inc(report.len() as u64);
        report.render(out, &from, &mut tally);
    }
    bar.finish_and_clear();
    conclude(&tally)
}

enum AnyReport {
    Unit(BatchReport<()>),
    Relation(BatchReport<tx_sdk::tim::FriendRelation>),
}

impl AnyReport {
    fn len(&self) -> usize {
        match self {
            AnyReport::Unit(r) => r.len(),
            AnyReport::Relation(r) => r.len(),
        }
    }

    fn render(&self, out: &mut Printer, from: &str, tally: &mut Tally) {
        match self {
            AnyReport::Unit(r) => render::report(out, from, r, tally),
            AnyReport::Relation(r) => render::report(out, from, r, tally),
        }
    }
}

async fn call(client: &Client, from: &str, ids: Vec<String>, op: Op) -> Result<AnyReport, CliError> {
    Ok(match op {
        Op::Add => {
            let source = AddSource::new("tx");
            AnyReport::Unit(
                client.friends().add(from, ids.into_iter().map(|id| NewFriend::new(id, source.clone()))).await?,
            )
        }
        Op::Delete => AnyReport::Unit(client.friends().delete(from, &ids, DeleteType::Both).await?),
        Op::Check => AnyReport::Relation(client.friends().check(from, &ids, CheckType::Both).await?),
    })
}

async fn list(client: &Client, from: &str, out: &mut Printer) -> Result<(), CliError> {
    let mut friends = client.friends().get(from);
    let mut n = 0u64;
    while let Some(friend) = friends.try_next().await? {
        n += 1;
        let values = serde_json::to_value(&friend.values).unwrap_or_default();
        out.record(&json!({"from": from, "account": friend.account, "values": values}), || friend.account.clone());
    }
    eprintln!("friends list: {from} has {n} friends");
    Ok(())
}
