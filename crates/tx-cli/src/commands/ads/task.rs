//! `tx ads task add|get|wait`: warning-text jobs (`material_async_tasks`) for images and
//! videos. `add` prints the job; with `--wait`, and `wait`, its tasks as they ended: one
//! per material, `ok` when the text is on, the exit code counting the rest as failed.

use super::{Ctx, check_account, sdk, texts, wait_options};
use crate::cli::{MaterialKind, TextsArgs, WaitArgs};
use crate::exit::{self, CliError};
use crate::input::check_material_id;
use crate::output::{Column, Printer, Row, Summary};
use futures_util::TryStreamExt;
use std::time::Instant;
use tx_sdk::ads::{JobReport, MaterialType, TaskStatus, WatermarkTaskResult};

const TASKS: &[Column] = &[
    Column::new("JOB", "job_id", 36),
    Column::new("MATERIAL", "material_id", 12),
    Column::new("TASK_STATUS", "task_status", 36),
    Column::new("RESULT", "result_material_id", 12),
    Column::new("MESSAGE", "message", 0),
];

const JOB: &[Column] = &[Column::new("JOB", "job_id", 0)];

fn task_row(command: &str, account: i64, job: &str, t: &WatermarkTaskResult) -> Row {
    Row::new("task", command)
        .field("account_id", account)
        .field("job_id", job)
        .field("task_id", t.task_id.as_str())
        .field("task_status", t.task_status.as_str())
        .field("material_id", t.original_material_id.clone())
        .field("material_type", t.material_type.as_ref().map(|m| m.as_str().to_owned()))
        .field("material_name", t.material_name.clone())
        .field("result_material_id", t.result_material_id.clone())
        .field("result_material_url", t.result_material_url.clone())
        .field("message", t.message.clone())
}

/// Prints a waited job's tasks; the summary counts the tasks whose text is on as ok and
/// the others (failed, or not done when the wait ended) as failed.
fn print_report(out: &mut Printer, command: &str, account: i64, report: &JobReport, started: Instant) -> u8 {
    for t in &report.tasks {
        out.record(&task_row(command, account, &report.job_id, t));
    }
    let total = report.tasks.len() as u64;
    let ok = report.tasks.iter().filter(|t| t.task_status == TaskStatus::WatermarkSuccess).count() as u64;
    let summary = Summary::of_records(command, total, 0, started.elapsed().as_millis() as u64);
    let summary = match (ok == total && report.is_complete(), report.timed_out) {
        (true, _) => summary,
        (false, true) => summary.with_failures(total - ok, "timed_out", exit::ITEMS_FAILED),
        (false, false) => summary.with_failures(total - ok, "task_failed", exit::ITEMS_FAILED),
    };
    out.summary(&summary);
    if report.timed_out {
        eprintln!(
            "tx: {command}: the wait ended before every task was done; `tx ads task wait --job {}` waits again",
            report.job_id
        );
    }
    summary.exit_code()
}

pub async fn add(
    ctx: &Ctx<'_>,
    account: i64,
    kind: MaterialKind,
    texts_args: &TextsArgs,
    materials: &[String],
    wait: &WaitArgs,
) -> Result<u8, CliError> {
    const COMMAND: &str = "ads task add";
    let started = Instant::now();
    check_account(account)?;
    let texts = texts(texts_args)?;
    let mut ids = Vec::with_capacity(materials.len());
    for (i, m) in materials.iter().enumerate() {
        let id = check_material_id(m, 64).map_err(|why| CliError::input(format!("--material #{} {why}", i + 1)))?;
        if let Some(first) = ids.iter().position(|seen| seen == &id) {
            return Err(CliError::input(format!("--material #{} repeats #{} ({id:?})", i + 1, first + 1)));
        }
        ids.push(id);
    }
    let material_type = match kind {
        MaterialKind::Image => MaterialType::Image,
        MaterialKind::Video => MaterialType::Video,
    };
    let job = ctx.ads.material_tasks().add(account, material_type, &ids, texts).await.map_err(sdk)?.data;
    let mut out = Printer::new(ctx.json, if wait.wait { TASKS } else { JOB });
    let row = Row::new("job", COMMAND)
        .field("account_id", account)
        .field("job_id", job.as_str())
        .field("materials", ids.len() as u64);
    if !wait.wait {
        out.record(&row);
        out.summary(&Summary::of_records(COMMAND, 1, 0, started.elapsed().as_millis() as u64));
        return Ok(exit::OK);
    }
    if ctx.json {
        out.record(&row);
    } else {
        eprintln!("tx: job {job} started; waiting for its tasks");
    }
    let report = ctx.ads.material_tasks().wait(account, &job, wait_options(wait.timeout)).await.map_err(sdk)?;
    Ok(print_report(&mut out, COMMAND, account, &report, started))
}

fn check_job(job: &str) -> Result<String, CliError> {
    check_material_id(job, 64).map_err(|why| CliError::input(format!("--job {why}")))
}

pub async fn get(ctx: &Ctx<'_>, account: i64, job: &str) -> Result<u8, CliError> {
    const COMMAND: &str = "ads task get";
    let started = Instant::now();
    check_account(account)?;
    let job = check_job(job)?;
    let mut tasks = ctx.ads.material_tasks().get(account, &job);
    let mut out = Printer::new(ctx.json, TASKS);
    let mut n = 0;
    while let Some(t) = tasks.try_next().await.map_err(sdk)? {
        n += 1;
        out.record(&task_row(COMMAND, account, &job, &t));
    }
    out.summary(&Summary::of_records(COMMAND, n, 0, started.elapsed().as_millis() as u64));
    Ok(exit::OK)
}

pub async fn wait(ctx: &Ctx<'_>, account: i64, job: &str, timeout: u64) -> Result<u8, CliError> {
    const COMMAND: &str = "ads task wait";
    let started = Instant::now();
    check_account(account)?;
    let job = check_job(job)?;
    let report = ctx.ads.material_tasks().wait(account, &job, wait_options(timeout)).await.map_err(sdk)?;
    let mut out = Printer::new(ctx.json, TASKS);
    Ok(print_report(&mut out, COMMAND, account, &report, started))
}
