//! Streamed warning-text runs against the emulator: one record per input material, units
//! of 100, refusals and repeats as records, waits per unit, and a run that stops on a
//! refused token with every material accounted for.

mod common;

use common::*;
use futures_util::{StreamExt, stream};
use std::time::Duration;
use tencent_ads::{MaterialRecord, WaitOptions, WarningText, WatermarkOutcome};
use tx_core::bulk::{BulkSummary, Outcome, StopReason};
use tx_core::{Error, ErrorKind};

fn input(ids: &[&str]) -> impl futures_util::Stream<Item = Result<String, Error>> + Send + 'static {
    let owned: Vec<Result<String, Error>> = ids.iter().map(|id| Ok((*id).to_owned())).collect();
    stream::iter(owned)
}

async fn collect(run: tencent_ads::WatermarkBulk) -> (Vec<MaterialRecord>, Option<Error>, BulkSummary) {
    let mut s = run.stream();
    let (mut all, mut fatal) = (Vec::new(), None);
    while let Some(r) = s.next().await {
        match r {
            Ok(record) => all.push(record),
            Err(e) => fatal = Some(e),
        }
    }
    all.sort_by_key(|r| r.index);
    (all, fatal, s.summary())
}

#[tokio::test(start_paused = true)]
async fn every_material_is_one_record_and_requests_hold_100() {
    let (emu, clock) = start().await;
    let ads = client(&emu, &clock);
    let mut materials: Vec<String> = ids(230);
    materials.extend(["m5".to_owned(), "a&b".to_owned(), "nope".to_owned()]);
    let refs: Vec<&str> = materials.iter().map(String::as_str).collect();
    let run = ads.watermarks().add_many(A, input(&refs), [WarningText::LOAN_RISK]).unwrap();
    let (records, fatal, summary) = collect(run).await;
    assert!(fatal.is_none());
    assert_eq!(records.len(), 233, "one record per input item");
    for (i, r) in records.iter().take(230).enumerate() {
        assert_eq!((r.index, r.item.as_deref()), (i, Some(format!("m{i}").as_str())));
        let Outcome::Ok(w) = &r.outcome else { panic!("{i}: {:?}", r.outcome) };
        assert_eq!(w.outcome, WatermarkOutcome::Processing, "submitted, not waited for");
        assert!(w.record_id.is_some());
    }
    assert_eq!(records[230].outcome, Outcome::Duplicate { first_index: 5 });
    let Outcome::Failed(bad) = &records[231].outcome else { panic!("{:?}", records[231].outcome) };
    assert_eq!(bad.kind(), ErrorKind::InvalidInput, "refused before sending");
    assert!(bad.message().contains("materials[231].material_id"), "{}", bad.message());
    let Outcome::Failed(missing) = &records[232].outcome else { panic!("{:?}", records[232].outcome) };
    assert_eq!((missing.kind(), missing.code()), (ErrorKind::Api, None), "the service's refusal, its reason");
    assert!(!missing.message().is_empty());
    assert_eq!((summary.succeeded, summary.failed, summary.duplicates), (230, 2, 1));
    assert_eq!(requests(&emu, ADD), 3, "231 distinct valid materials: 100 + 100 + 31");
    assert_eq!(summary.requests, 3);
}

#[tokio::test(start_paused = true)]
async fn with_a_wait_records_are_ok_once_the_text_is_on() {
    let (b, clock) = emulator();
    let emu = b.ads_watermark_delay(Duration::from_secs(10)).start().await.unwrap();
    let ads = client(&emu, &clock);
    let wait = WaitOptions::default();
    let run = ads.watermarks().add_many_and_wait(A, input(&["123", "456", "nope"]), ["t"], wait).unwrap();
    let (records, _, summary) = collect(run).await;
    for r in &records[..2] {
        let Outcome::Ok(w) = &r.outcome else { panic!("{:?}", r.outcome) };
        assert_eq!(w.outcome, WatermarkOutcome::Success);
        assert!(w.result_material_url.is_some());
    }
    assert!(matches!(records[2].outcome, Outcome::Failed(_)));
    assert_eq!((summary.succeeded, summary.failed), (2, 1));
    assert!(summary.requests >= 2, "an add and at least one poll: {}", summary.requests);

    // A wait shorter than the service takes: the records time out, with their record id.
    let short = WaitOptions::default().with_timeout(Duration::from_secs(5));
    let run = ads.watermarks().add_many_and_wait(B, input(&["123"]), ["t"], short).unwrap();
    let (records, _, _) = collect(run).await;
    let Outcome::Failed(e) = &records[0].outcome else { panic!("{:?}", records[0].outcome) };
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.message().contains("record"), "{}", e.message());
}

#[tokio::test(start_paused = true)]
async fn a_refused_token_stops_the_run_and_the_rest_is_not_attempted() {
    let (emu, clock) = start().await;
    let ads = bare(&emu, &clock).access_token(A, "not-a-token").build().unwrap();
    let materials = ids(250);
    let refs: Vec<&str> = materials.iter().map(String::as_str).collect();
    let run = ads.watermarks().add_many(A, input(&refs), ["t"]).unwrap().max_in_flight(1);
    let (records, fatal, summary) = collect(run).await;
    assert_eq!(records.len(), 250);
    assert!(fatal.is_some());
    assert!(matches!(summary.stopped, Some(StopReason::Fatal(_))), "{:?}", summary.stopped);
    assert_eq!((summary.failed, summary.not_attempted), (100, 150));
    assert_eq!(requests(&emu, ADD), 1);
}

#[test]
fn the_run_is_checked_before_any_input_is_read() {
    let ads = tencent_ads::Client::builder().client_id(1).client_secret("s").build().unwrap();
    let field = |r: Result<tencent_ads::WatermarkBulk, Error>| r.unwrap_err().field().map(str::to_owned);
    let none: [&str; 0] = [];
    assert_eq!(field(ads.watermarks().add_many(0, input(&["1"]), ["t"])).as_deref(), Some("account_id"));
    assert_eq!(field(ads.watermarks().add_many(1, input(&["1"]), none)).as_deref(), Some("watermark_configs"));
    assert_eq!(
        field(ads.watermarks().add_many(1, input(&["1"]), ["a<b"])).as_deref(),
        Some("watermark_configs[0].text_content")
    );
    let zero = WaitOptions::default().with_timeout(Duration::ZERO);
    assert_eq!(field(ads.watermarks().add_many_and_wait(1, input(&["1"]), ["t"], zero)).as_deref(), Some("timeout"));
}
