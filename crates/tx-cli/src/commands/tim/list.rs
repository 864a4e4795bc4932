//! `tx tim blocklist list` and `tx tim friends list`: one record per entry, page by page.

use super::is_configuration;
use crate::exit::{self, CliError};
use crate::output::{Column, Printer, Row, Summary};
use futures_util::TryStreamExt;
use std::time::Instant;
use tx_sdk::tim::Client;

const ENTRIES: &[Column] = &[Column::new("ACCOUNT", "account", 24), Column::new("ADDED_AT", "added_at", 0)];
const FRIENDS: &[Column] = &[Column::new("ACCOUNT", "account", 24), Column::new("VALUES", "values", 0)];

fn sdk(e: tx_sdk::Error) -> CliError {
    CliError::from_sdk(&e, is_configuration)
}

pub async fn blocklist(tim: &Client, from: &str, json: bool) -> Result<u8, CliError> {
    const COMMAND: &str = "tim blocklist list";
    let started = Instant::now();
    let mut out = Printer::new(json, ENTRIES);
    let mut entries = tim.blocklist().list(from);
    let mut n = 0;
    while let Some(entry) = entries.try_next().await.map_err(sdk)? {
        n += 1;
        let row = Row::new("entry", COMMAND).field("from", from).field("account", entry.account).time(
            "added_at",
            "added_at_unix",
            entry.added_at,
        );
        out.record(&row);
    }
    out.summary(&Summary::of_records(COMMAND, n, 0, started.elapsed().as_millis() as u64));
    Ok(exit::OK)
}

pub async fn friends(tim: &Client, from: &str, json: bool) -> Result<u8, CliError> {
    const COMMAND: &str = "tim friends list";
    let started = Instant::now();
    let mut out = Printer::new(json, FRIENDS);
    let mut friends = tim.friends().get(from);
    let mut n = 0;
    while let Some(friend) = friends.try_next().await.map_err(sdk)? {
        n += 1;
        let values: Vec<serde_json::Value> =
            friend.values.iter().map(|v| serde_json::json!({"tag": v.tag.as_str(), "value": v.value})).collect();
        let row =
            Row::new("friend", COMMAND).field("from", from).field("account", friend.account).field("values", values);
        out.record(&row);
    }
    out.summary(&Summary::of_records(COMMAND, n, 0, started.elapsed().as_millis() as u64));
    Ok(exit::OK)
}
