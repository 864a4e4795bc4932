//! The runner's bookkeeping with a planner of numbers: every item once, however the run
//! ends. (Platform crates test their planners against the emulator over HTTP.)

use super::*;
use crate::batch::ItemError;
use futures_util::{FutureExt, StreamExt, stream};
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[allow(dead_code)] // the example platform does not use every generated method
mod codes {
    use crate::retry::Verdict;

    crate::open_code_enum! {
        /// Codes of the number platform.
        pub enum KnownNumberCode;
        /// Any code of the number platform.
        pub enum NumberCode;
        classify = |_code| Verdict::Permanent;
        {
            /// 13: unlucky.
            Unlucky = 13, "unlucky";
        }
    }
}
use codes::*;

/// Doubles numbers, two per unit. 1300 fails alone; 666 fails fatally.
#[derive(Default)]
struct Doubler {
    started: Arc<AtomicUsize>,
}

impl Planner for Doubler {
    type Item = u32;
    type Value = u32;
    type Code = NumberCode;

    fn plan(&self, window: Vec<(usize, Result<u32, Error>)>) -> Vec<Work<u32, u32, NumberCode>> {
        let mut out = Vec::new();
        let mut seen: HashMap<u32, usize> = HashMap::new();
        let mut unit = Vec::new();
        for (index, item) in window {
            match item {
                Err(e) => out.push(Work::Done(Record::new(index, None, Outcome::Failed(ItemError::invalid(&e))))),
                Ok(n) => match seen.get(&n) {
                    Some(&first_index) => {
                        out.push(Work::Done(Record::new(index, Some(n), Outcome::Duplicate { first_index })))
                    }
                    None => {
                        seen.insert(n, index);
                        unit.push((index, n));
                        if unit.len() == 2 {
                            out.push(Work::Run(std::mem::take(&mut unit)));
                        }
                    }
                },
            }
        }
        if !unit.is_empty() {
            out.push(Work::Run(unit));
        }
        out
    }

    fn run(&self, unit: Vec<(usize, u32)>) -> BoxFuture<'static, UnitOutcome<u32, u32, NumberCode>> {
        self.started.fetch_add(unit.len(), Ordering::SeqCst);
        async move {
            tokio::time::sleep(Duration::from_millis(10)).await;
            let fatal = unit.iter().any(|(_, n)| *n == 666).then(|| Error::api(ErrorKind::Auth, 666, "wrong key"));
            let records = unit
                .into_iter()
                .map(|(index, n)| {
                    let outcome = match n {
                        1300 => Outcome::Failed(ItemError::item(13, "unlucky")),
                        666 => Outcome::Failed(ItemError::request(fatal.as_ref().unwrap())),
                        n => Outcome::Ok(n * 2),
                    };
                    Record::new(index, Some(n), outcome)
                })
                .collect();
            UnitOutcome { records, requests: 1, fatal }
        }
        .boxed()
    }
}

type NumberRecord = Record<u32, u32, NumberCode>;

async fn drain(mut s: BulkStream<Doubler>) -> (Vec<NumberRecord>, Option<Error>, BulkSummary) {
    let mut records = Vec::new();
    let mut error = None;
    while let Some(r) = s.next().await {
        match r {
            Ok(r) => {
                assert!(error.is_none(), "the error comes after every record");
                records.push(r);
            }
            Err(e) => error = Some(e),
        }
    }
    records.sort_by_key(|r| r.index);
    (records, error, s.summary())
}

fn numbers(ns: impl IntoIterator<Item = u32>) -> impl Stream<Item = Result<u32, Error>> + Send + 'static {
    stream::iter(ns.into_iter().map(Ok).collect::<Vec<_>>())
}

fn assert_each_index_once(records: &[NumberRecord], n: usize) {
    let indexes: Vec<usize> = records.iter().map(|r| r.index).collect();
    assert_eq!(indexes, (0..n).collect::<Vec<_>>());
}

#[tokio::test(start_paused = true)]
async fn every_item_gets_one_record_and_totals_only_grow() {
    let mut input: Vec<Result<u32, Error>> = (0..100).map(Ok).collect();
    input[10] = Ok(3); // a repeat of index 3
    input[20] = Err(Error::invalid_input("line 21", "is not a number"));
    input[30] = Ok(1300);
    let progress = Arc::new(Mutex::new(Vec::<BulkSummary>::new()));
    let seen = Arc::clone(&progress);
    let run = Bulk::new(Doubler::default(), stream::iter(input))
        .window(25)
        .max_in_flight(3)
        .on_progress(move |s| seen.lock().unwrap().push(s.clone()));
    let (records, error, summary) = drain(run.stream()).await;
    assert!(error.is_none());
    assert_each_index_once(&records, 100);
    assert_eq!(records[10].outcome, Outcome::Duplicate { first_index: 3 });
    assert!(matches!(&records[20].outcome, Outcome::Failed(e) if e.kind() == ErrorKind::InvalidInput));
    assert_eq!(records[20].item, None);
    assert!(matches!(&records[30].outcome, Outcome::Failed(e) if e.code() == Some(KnownNumberCode::Unlucky.into())));
    assert_eq!(records[7].outcome, Outcome::Ok(14));
    assert_eq!((summary.read, summary.done, summary.succeeded, summary.failed), (100, 100, 97, 2));
    assert_eq!((summary.duplicates, summary.invalid, summary.not_attempted), (1, 1, 0));
    assert_eq!(summary.failures_by_code.get(&13).copied(), Some(1));
    assert!(summary.is_complete());
    let progress = progress.lock().unwrap();
    assert!(progress.windows(2).all(|w| w[0].done <= w[1].done && w[0].requests <= w[1].requests));
    assert!(progress.last().unwrap().finished);
}

#[tokio::test(start_paused = true)]
async fn a_fatal_failure_stops_the_run_and_accounts_for_every_item() {
    let planner = Doubler::default();
    let started = Arc::clone(&planner.started);
    let input = numbers((0..1000).map(|n| if n == 41 { 666 } else { n }));
    let (records, error, summary) = drain(Bulk::new(planner, input).window(50).max_in_flight(4).stream()).await;
    assert_eq!(error.unwrap().code(), Some(666), "the fatal error is the last item");
    assert_each_index_once(&records, 1000);
    let sent = started.load(Ordering::SeqCst) as u64;
    assert!(sent < 100, "stopped early: {sent} items sent");
    assert!(matches!(&records[41].outcome, Outcome::Failed(e) if e.is_request_failure()));
    let not_attempted = records.iter().filter(|r| r.outcome == Outcome::NotAttempted).count() as u64;
    assert_eq!(not_attempted, 1000 - sent, "exactly the items never sent");
    assert_eq!(summary.not_attempted, not_attempted);
    assert_eq!(summary.succeeded + summary.failed + summary.not_attempted, 1000);
    assert!(summary.finished && !summary.is_complete());
    assert!(matches!(summary.stopped, Some(StopReason::Fatal(ref m)) if m.contains("wrong key")));
    let e = Bulk::new(Doubler::default(), numbers([1, 666, 2])).run().await.unwrap_err();
    assert_eq!(e.code(), Some(666));
}

#[tokio::test(start_paused = true)]
async fn a_stop_lets_units_in_flight_finish_and_marks_the_rest_not_attempted() {
    let planner = Doubler::default();
    let started = Arc::clone(&planner.started);
    let run = Bulk::new(planner, numbers(0..500)).window(20).max_in_flight(2);
    let stop = run.stop_handle();
    let mut s = run.stream();
    let mut records = Vec::new();
    while let Some(r) = s.next().await {
        records.push(r.unwrap());
        if records.len() == 30 {
            stop.stop();
        }
    }
    records.sort_by_key(|r| r.index);
    assert_each_index_once(&records, 500);
    let summary = s.summary();
    let sent = records.iter().filter(|r| r.outcome != Outcome::NotAttempted).count();
    assert_eq!(sent, started.load(Ordering::SeqCst), "every item sent has its result");
    assert!(sent < 50, "{sent}");
    assert_eq!(summary.not_attempted as usize, 500 - sent);
    assert_eq!(summary.stopped, Some(StopReason::Stopped));
}

#[tokio::test(start_paused = true)]
async fn unreadable_input_stops_the_run_and_says_so() {
    let input = stream::iter((0..300u32).map(|n| {
        if n == 120 {
            Err(Error::other(ErrorKind::Transport, "the file changed", std::io::Error::other("x")))
        } else {
            Ok(n)
        }
    }));
    let (records, error, summary) = drain(Bulk::new(Doubler::default(), input).window(40).stream()).await;
    assert!(error.unwrap().message().contains("the file changed"));
    // Items before the failure all have records; the failed read and what follows are not
    // items, and the run says it did not finish its input.
    assert_each_index_once(&records, 120);
    assert!(matches!(summary.stopped, Some(StopReason::InputFailed(_))));
    assert_eq!(summary.read, 120);
    assert_eq!(summary.succeeded + summary.not_attempted, 120);
}

#[tokio::test(start_paused = true)]
async fn input_is_read_only_as_results_are_consumed() {
    let endless = stream::iter((0u32..).map(Ok));
    let mut s = Bulk::new(Doubler::default(), endless).window(50).max_in_flight(4).stream();
    let mut indexes = BTreeSet::new();
    for _ in 0..500 {
        indexes.insert(s.next().await.unwrap().unwrap().index);
    }
    assert_eq!(indexes.len(), 500, "each index once");
    let read = s.summary().read;
    assert!((500..=500 + 2 * 50 + 8).contains(&read), "read {read} items for 500 records");
}

#[test]
fn records_serialize_with_the_item_flattened() {
    #[derive(serde::Serialize)]
    struct Pair {
        from: &'static str,
        to: &'static str,
    }
    let ok: Record<Pair, (), NumberCode> = Record::new(0, Some(Pair { from: "a", to: "b" }), Outcome::Ok(()));
    assert_eq!(
        serde_json::to_string(&ok).unwrap(),
        r#"{"index":0,"from":"a","to":"b","status":"ok","value":null,"reconciled":false}"#
    );
    let reconciled = Record::new(0, Some(Pair { from: "a", to: "b" }), Outcome::<(), NumberCode>::Ok(()));
    assert!(serde_json::to_string(&reconciled.with_reconciled(true)).unwrap().ends_with(r#""reconciled":true}"#));
    let failed = Record::<Pair, (), NumberCode>::new(0, None, Outcome::Failed(ItemError::item(13, "x")));
    assert!(!failed.with_reconciled(true).reconciled, "only a success is reconciled");
    let dup: Record<Pair, (), NumberCode> =
        Record::new(2, Some(Pair { from: "a", to: "b" }), Outcome::Duplicate { first_index: 0 });
    assert_eq!(
        serde_json::to_string(&dup).unwrap(),
        r#"{"index":2,"from":"a","to":"b","status":"duplicate","first_index":0}"#
    );
    let skipped: Record<Pair, (), NumberCode> =
        Record::new(5, Some(Pair { from: "x", to: "y" }), Outcome::NotAttempted);
    assert_eq!(serde_json::to_string(&skipped).unwrap(), r#"{"index":5,"from":"x","to":"y","status":"not_attempted"}"#);
    let failed: Record<Pair, (), NumberCode> =
        Record::new(1, Some(Pair { from: "a", to: "c" }), Outcome::Failed(ItemError::item(13, "unlucky")));
    let v = serde_json::to_value(&failed).unwrap();
    assert_eq!((v["status"].as_str(), v["error"]["code"].as_i64()), (Some("failed"), Some(13)));
}
