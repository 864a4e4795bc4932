//! The wait helpers on paused tokio time: records that finish after a delay, polls batched
//! 100 record ids a request, timeouts reported, a lockout waited out, material-task jobs,
//! and the record streams.

mod common;

use common::*;
use futures_util::TryStreamExt;
use std::time::Duration;
use tencent_ads::{MaterialType, TaskStatus, WaitOptions, WarningText, WatermarkOutcome};
use tokio::time::Instant;
use tx_emulator::{Fault, FaultPlan};

async fn delayed(delay: Duration) -> (tx_emulator::Emulator, tx_core::clock::ManualClock) {
    let (b, clock) = emulator();
    (b.ads_watermark_delay(delay).start().await.unwrap(), clock)
}

#[tokio::test(start_paused = true)]
async fn add_and_wait_returns_once_every_record_is_done() {
    let (emu, clock) = delayed(Duration::from_secs(10)).await;
    let ads = client(&emu, &clock);
    let mut input = ids(250);
    input.push("nope".into());
    input.push("m7".into());
    let start = Instant::now();
    let report =
        ads.watermarks().add_and_wait(A, &input, [WarningText::LOAN_RISK], WaitOptions::default()).await.unwrap();
    let counts = report.counts();
    assert_eq!((counts.success, counts.refused, counts.processing, counts.timed_out), (250, 1, 0, 0));
    assert!(report.succeeded().all(|(_, w)| w.result_material_id.is_some() && w.result_material_url.is_some()));
    assert_eq!(report.duplicates().len(), 1);
    assert_eq!(report.get("nope").unwrap().value().unwrap().outcome, WatermarkOutcome::Failed);
    // Polls are batched: 250 records in requests of at most 100, each record polled at 2,
    // 6 and 14 s (done at 10 s): 3 rounds of 3 requests, not one request per record.
    assert_eq!(report.add_requests(), 3);
    assert_eq!(report.poll_requests(), 9);
    assert_eq!(requests(&emu, GET), report.poll_requests() as u64);
    assert!(start.elapsed() >= Duration::from_secs(10) && start.elapsed() < Duration::from_secs(15));
    // The same materials and texts again: the earlier results are reused at once.
    let again =
        ads.watermarks().add_and_wait(A, &input, [WarningText::LOAN_RISK], WaitOptions::default()).await.unwrap();
    assert_eq!((again.counts().success, again.poll_requests()), (250, 0));
}

#[tokio::test(start_paused = true)]
async fn the_first_poll_of_later_chunks_learns_how_long_records_take() {
    let (b, clock) = emulator();
    let emu = b.ads_watermark_delay(Duration::from_secs(10)).start().await.unwrap();
    // Adds paced at 6 a minute: one chunk every 10 s.
    let ads =
        builder(&emu, &clock).endpoint_rate_limit("watermarks/add", Some(6)).rate_limit_headroom(0.0).build().unwrap();
    let report = ads.watermarks().add_and_wait(A, ids(300), ["t"], WaitOptions::default()).await.unwrap();
    assert_eq!(report.counts().success, 300);
    // Chunks go at 0, 10 and 20 s. The first is polled at 2, 6 and 14 s (done at 10); the
    // second, submitted before that was learnt, at 12, 16 and 24 s; the third once, 14 s
    // after its submission, when its records are done.
    assert_eq!(report.poll_requests(), 7);
    assert_eq!(requests(&emu, GET), 7);
}

#[tokio::test(start_paused = true)]
async fn records_not_done_by_the_timeout_are_reported_timed_out() {
    let (emu, clock) = delayed(Duration::from_secs(600)).await;
    let ads = client(&emu, &clock);
    let wait = WaitOptions::default().with_timeout(Duration::from_secs(90));
    let start = Instant::now();
    let report = ads.watermarks().add_and_wait(A, ["123", "456", "nope"], ["t"], wait).await.unwrap();
    assert!(start.elapsed() >= Duration::from_secs(90) && start.elapsed() < Duration::from_secs(91));
    let timed_out: Vec<&str> = report.timed_out().map(|(m, _)| m).collect();
    assert_eq!(timed_out, ["123", "456"]);
    assert!(report.timed_out().all(|(_, w)| w.record_id.is_some()), "the records can be waited for later");
    assert_eq!(report.refused().count(), 1);
    // Polled at 2, 6, 14, 30, 60 s: backoff to the 30 s cap, one request each time.
    assert_eq!(report.poll_requests(), 5);
    assert!(report.poll_error().is_none());

    // Waiting later for the same records by id.
    let records: Vec<String> = report.timed_out().map(|(_, w)| w.record_id.clone().unwrap()).collect();
    tokio::time::advance(Duration::from_secs(600)).await;
    let later = ads.watermarks().wait(A, &records, WaitOptions::default()).await.unwrap();
    assert!(later.all_succeeded(), "{later:?}");
    assert_eq!((later.poll_requests(), later.items()[0].id.as_str()), (1, records[0].as_str()));
}

#[tokio::test(start_paused = true)]
async fn polling_waits_out_a_lockout_instead_of_hammering() {
    let (b, clock) = emulator();
    let emu = b.ads_watermark_delay(Duration::from_secs(10)).ads_quota_per_minute(Some(2)).start().await.unwrap();
    let ads = builder(&emu, &clock).pause_at_minute_quota(None).build().unwrap();
    let report = ads.watermarks().add_and_wait(A, ["123"], ["t"], WaitOptions::default()).await.unwrap();
    assert!(report.all_succeeded());
    let get = emu.stats().endpoint(GET);
    // Polls at 2 and 6 s (processing), 14 s (11017: the minute's third), then after the
    // 5-minute lockout (done).
    assert_eq!((get.requests, get.throttled), (4, 1));
}

#[tokio::test(start_paused = true)]
async fn a_poll_refused_for_good_stops_polling() {
    let (b, clock) = emulator();
    let plan = FaultPlan::seeded(1).script(GET, [Fault::Code(11002)]);
    let emu = b.ads_watermark_delay(Duration::from_secs(10)).faults(plan).start().await.unwrap();
    let ads = client(&emu, &clock);
    let report = ads.watermarks().add_and_wait(A, ["123", "456"], ["t"], WaitOptions::default()).await.unwrap();
    assert_eq!(report.poll_error().and_then(|e| e.code()).map(|c| c.code()), Some(11002));
    assert_eq!(report.processing().count(), 2, "last seen processing");
    assert_eq!(requests(&emu, GET), 1, "a refused token is not tried again");
}

#[tokio::test(start_paused = true)]
async fn material_task_jobs_are_waited_for() {
    let (emu, clock) = delayed(Duration::from_secs(5)).await;
    let ads = client(&emu, &clock);
    let tasks = ads.material_tasks();
    let report = tasks
        .add_and_wait(A, MaterialType::Video, ["789", "123"], [WarningText::LOAN_RISK], WaitOptions::default())
        .await
        .unwrap();
    assert!(report.is_complete() && !report.timed_out);
    assert_eq!(report.expected_tasks, Some(2));
    let video = report.task_for("789").unwrap();
    assert_eq!(video.task_status, TaskStatus::WatermarkSuccess);
    assert!(video.result_material_id.is_some());
    // 123 is an image, not a video: the task fails.
    assert_eq!(report.task_for("123").unwrap().task_status, TaskStatus::WatermarkFailed);
    assert_eq!((report.succeeded().count(), report.failed().count()), (1, 1));
    assert_eq!(report.polls, 2, "polled at 2 s and 6 s");
    assert!(report.meta.as_ref().is_some_and(|m| m.trace_id.is_some()));

    let job = tasks.add(A, MaterialType::Image, ["123", "456"], ["t"]).await.unwrap();
    let waited = tasks.wait(A, &job.data, WaitOptions::default().with_timeout(Duration::from_secs(3))).await.unwrap();
    assert!(waited.timed_out && !waited.is_complete());
    assert_eq!(waited.pending().count(), 2);
    let waited = tasks.wait(A, &job.data, WaitOptions::default()).await.unwrap();
    assert!(waited.is_complete());
    let listed: Vec<_> = tasks.get(A, &job.data).try_collect().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|t| t.task_status == TaskStatus::WatermarkSuccess));
    // The job's tasks are the account's: another account sees none of them.
    let other: Vec<_> = ads.material_tasks().get(B, &job.data).try_collect().await.unwrap();
    assert!(other.is_empty());
}

#[tokio::test(start_paused = true)]
async fn record_streams_page_and_chunk_by_100() {
    let (emu, clock) = delayed(Duration::from_secs(1)).await;
    let ads = client(&emu, &clock);
    let report = ads.watermarks().add(A, ids(250), ["t"]).await.unwrap();
    let record_ids: Vec<String> = report.answered().map(|(_, w)| w.record_id.clone().unwrap()).collect();
    tokio::time::advance(Duration::from_secs(2)).await;

    let got: Vec<_> = ads.watermarks().get(A, &record_ids).try_collect().await.unwrap();
    assert_eq!(got.len(), 250);
    assert!(got.iter().all(|r| r.status == tencent_ads::WatermarkStatus::Success));
    assert_eq!(requests(&emu, GET), 3, "100 ids per request");

    let all: Vec<_> = ads.watermarks().list(A).try_collect().await.unwrap();
    assert_eq!(all.len(), 250);
    assert_eq!(requests(&emu, GET), 6, "three pages of 100");
    let none: Vec<_> = ads.watermarks().list(B).try_collect().await.unwrap();
    assert!(none.is_empty());
}
