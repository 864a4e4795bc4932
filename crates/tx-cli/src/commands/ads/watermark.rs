//! `tx ads watermark add|get`. `add` is a bulk run (see [`crate::run`]): the material ids of
//! `--material` flags or of a file are checked in full, then streamed through the SDK's
//! planner, 100 per request, one record per material as its request (and, with `--wait`,
//! its polling) completes.

use super::{Ctx, check_account, sdk, texts, wait_options};
use crate::cli::{MaterialsArgs, ResumeArgs, TextsArgs, WaitArgs};
use crate::exit::{self, CliError};
use crate::input::remaining::{Format, Remaining};
use crate::input::{Ids, check_material_id};
use crate::output::{Column, Printer, Row, Summary};
use crate::run::{self, View};
use futures_util::TryStreamExt;
use std::time::Instant;
use tx_sdk::ads::{MaterialRecord, WatermarkOutcome, WatermarkRecord};
use tx_sdk::bulk::Outcome;

const ITEMS: &[Column] = &[
    Column::new("INDEX", "index", 6),
    Column::new("MATERIAL", "material_id", 12),
    Column::new("STATUS", "status", 13),
    Column::new("OUTCOME", "outcome", 10),
    Column::new("RECORD", "record_id", 10),
    Column::new("RESULT", "result_material_id", 12),
    Column::new("ERROR", "error", 0),
];

const RECORDS: &[Column] = &[
    Column::new("RECORD", "record_id", 10),
    Column::new("STATUS", "status", 12),
    Column::new("MATERIAL", "original_material_id", 12),
    Column::new("RESULT", "result_material_id", 12),
    Column::new("RESULT_URL", "result_material_url", 0),
];

fn outcome(o: WatermarkOutcome) -> &'static str {
    match o {
        WatermarkOutcome::Success => "success",
        WatermarkOutcome::Processing => "processing",
        WatermarkOutcome::Failed => "failed",
        WatermarkOutcome::Deleted => "deleted",
        WatermarkOutcome::TimedOut => "timed_out",
        _ => "unknown",
    }
}

pub async fn add(
    ctx: &Ctx<'_>,
    account: i64,
    texts_args: &TextsArgs,
    materials: &MaterialsArgs,
    wait: &WaitArgs,
    resume: &ResumeArgs,
) -> Result<u8, CliError> {
    check_account(account)?;
    let texts = texts(texts_args)?;
    let ids = Ids::from_args(&materials.material, materials.from_file.as_deref(), "--material", check_material_id)?;
    let total = ids.len();
    let remaining = resume.remaining.as_deref().map(|p| Remaining::create(p, Format::Ids)).transpose()?;
    let watermarks = ctx.ads.watermarks();
    let bulk = match wait.wait {
        true => watermarks.add_many_and_wait(account, ids.stream()?, texts, wait_options(wait.timeout)),
        false => watermarks.add_many(account, ids.stream()?, texts),
    }
    .map_err(sdk)?
    .max_in_flight(ctx.concurrency);
    let fields = |row: Row, r: &MaterialRecord| {
        let row = row.field("material_id", r.item.clone());
        match &r.outcome {
            Outcome::Ok(w) => row
                .field("outcome", outcome(w.outcome))
                .field("record_id", w.record_id.clone())
                .field("result_material_id", w.result_material_id.clone())
                .field("result_material_url", w.result_material_url.clone()),
            _ => row,
        }
    };
    let input_fields = |id: &String| vec![id.clone()];
    let view = View { command: "ads watermark add", fields: &fields, input_fields: &input_fields };
    let mut out = Printer::new(ctx.json, ITEMS);
    run::run(bulk, total, view, remaining, &mut out).await
}

fn record_row(command: &str, account: i64, r: &WatermarkRecord) -> Row {
    Row::new("watermark", command)
        .field("account_id", account)
        .field("record_id", r.record_id.as_str())
        .field("status", r.status.as_str())
        .field("original_material_id", r.original_material_id.clone())
        .field("material_name", r.material_name.clone())
        .field("result_material_id", r.result_material_id.clone())
        .field("result_material_url", r.result_material_url.clone())
}

pub async fn get(ctx: &Ctx<'_>, account: i64, records: &[String]) -> Result<u8, CliError> {
    const COMMAND: &str = "ads watermark get";
    let started = Instant::now();
    check_account(account)?;
    for (i, id) in records.iter().enumerate() {
        check_material_id(id, 64).map_err(|why| CliError::input(format!("--record #{} {why}", i + 1)))?;
    }
    let mut stream = match records.is_empty() {
        true => ctx.ads.watermarks().list(account),
        false => ctx.ads.watermarks().get(account, records),
    };
    let mut out = Printer::new(ctx.json, RECORDS);
    let mut n = 0;
    while let Some(r) = stream.try_next().await.map_err(sdk)? {
        n += 1;
        out.record(&record_row(COMMAND, account, &r));
    }
    out.summary(&Summary::of_records(COMMAND, n, 0, started.elapsed().as_millis() as u64));
    Ok(exit::OK)
}
