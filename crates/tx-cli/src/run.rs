//! Every batch command runs the same way, whatever its input mode: a bulk run of the SDK,
//! one record per input item as it completes, a progress bar, SIGINT/SIGTERM stopping the
//! run without losing a result, `--remaining` for the items never tried, a summary, and
//! the exit code of [`crate::exit`].

use crate::exit::{self, CliError};
use crate::input::remaining::Remaining;
use crate::output::{Printer, Row, Summary};
use crate::progress;
use futures_util::StreamExt;
use tx_sdk::bulk::{Bulk, BulkSummary, Outcome, Planner, Record, StopHandle, StopReason};
use tx_sdk::{Error, ErrorKind, PlatformCode};

/// A record of a run of `P`.
type RecordOf<P> = Record<<P as Planner>::Item, <P as Planner>::Value, <P as Planner>::Code>;

/// How a command shows its records and what it knows about its platform.
pub struct View<'a, P: Planner> {
    /// The command, as records name it (`tim blocklist add`).
    pub command: &'static str,
    /// The record fields of an item (its ids, its value); the index, status and error are
    /// added here.
    pub fields: &'a dyn Fn(Row, &RecordOf<P>) -> Row,
    /// The fields of an item in the input's format, for `--remaining`.
    pub input_fields: &'a dyn Fn(&P::Item) -> Vec<String>,
}

/// Runs `bulk` over `total` items, printing every record; returns the exit code.
pub async fn run<P: Planner>(
    bulk: Bulk<P>,
    total: u64,
    view: View<'_, P>,
    mut remaining: Option<Remaining>,
    out: &mut Printer,
) -> Result<u8, CliError> {
    let stop = bulk.stop_handle();
    let signals = tokio::spawn(stop_on_signal(stop.clone()));
    let bar = progress::bar(total, view.command);
    let ticker = bar.clone();
    let mut records = bulk.on_progress(move |s| ticker.set_position(s.done)).stream();
    let mut fatal = None;
    while let Some(result) = records.next().await {
        match result {
            Ok(record) => {
                if let (Outcome::NotAttempted, Some(r), Some(item)) =
                    (&record.outcome, remaining.as_mut(), &record.item)
                {
                    let fields = (view.input_fields)(item);
                    r.write(&fields.iter().map(String::as_str).collect::<Vec<_>>())?;
                }
                out.record(&row(&view, &record));
            }
            Err(e) => fatal = Some(e),
        }
    }
    signals.abort();
    bar.finish_and_clear();
    let summary = records.summary();
    let (code, stopped) = conclusion::<P::Code>(&summary, fatal.as_ref());
    if let Some(why) = &stopped {
        eprintln!("tx: {}: stopped before every item was tried: {why}", view.command);
    }
    if let Some(r) = remaining {
        let path = r.path().to_path_buf();
        let n = r.finish()?;
        if n > 0 {
            eprintln!("tx: {n} items not attempted are in {}; run them again with it as input", path.display());
        }
    }
    out.summary(&Summary::of_run(view.command, &summary, stopped, code));
    Ok(code)
}

/// The record of `r`: `index`, the command's fields, `status`, and `error` or `first_index`.
fn row<P: Planner>(view: &View<'_, P>, r: &RecordOf<P>) -> Row {
    let row = (view.fields)(Row::new("item", view.command).field("index", r.index as u64), r);
    let row = row.field("status", r.outcome.status());
    match &r.outcome {
        Outcome::Ok(_) => row.field("reconciled", r.reconciled),
        Outcome::Failed(e) => row.error(e),
        Outcome::Duplicate { first_index } => row.field("first_index", *first_index as u64),
        _ => row,
    }
}

/// Waits for SIGINT or SIGTERM, then stops the run.
async fn stop_on_signal(stop: StopHandle) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut term) = signal(SignalKind::terminate()) else { return };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    eprintln!("tx: stopping: the requests in flight finish, the rest are reported not_attempted");
    stop.stop();
}

/// The exit code of a finished run, and why it stopped early if it did.
fn conclusion<C: PlatformCode>(s: &BulkSummary, fatal: Option<&Error>) -> (u8, Option<String>) {
    match &s.stopped {
        // A signal that came after every item was tried stopped nothing.
        Some(StopReason::Stopped) if s.not_attempted == 0 && s.finished => {}
        Some(StopReason::Stopped) => return (exit::INCOMPLETE, Some("interrupted by a signal".to_owned())),
        Some(StopReason::InputFailed(why)) => return (exit::INCOMPLETE, Some(why.clone())),
        Some(StopReason::Fatal(why)) => {
            // The planner stops only for failures that doom every later call: bad
            // credentials or configuration, or a service that cannot be reached.
            let code = match fatal.map(Error::kind) {
                Some(ErrorKind::Transport | ErrorKind::Timeout) => exit::SERVICE,
                _ => exit::CONFIG,
            };
            return (code, Some(why.clone()));
        }
        _ => {}
    }
    if s.failed == 0 {
        return (exit::OK, None);
    }
    let service: u64 =
        ["transport", "timeout", "throttled", "decode"].iter().filter_map(|k| s.failures_by_kind.get(*k)).sum::<u64>()
            + s.failures_by_code.iter().filter(|(c, _)| C::from(**c).is_retryable()).map(|(_, n)| n).sum::<u64>();
    if s.succeeded == 0 && service == s.failed { (exit::SERVICE, None) } else { (exit::ITEMS_FAILED, None) }
}
