//! `tx demo`: the README's main job. Starts the emulator in-process on an ephemeral port,
//! then walks through the real flows with the real SDK over HTTP, checking that each one
//! behaves as documented. Exits 1 if any check failed.
//!
//! With `--json`, every check is a record `{"record":"check", "step", "title", "check",
//! "ok"}` and the run ends with a summary; otherwise it reads as a narrative.

mod ads;
mod wechat;

use crate::cli::DemoArgs;
use crate::exit::{self, CliError};
use crate::output::{Column, Printer, Row, Summary};
use crate::progress;
use futures_util::{StreamExt, TryStreamExt};
use std::time::{Duration, Instant};
use tx_emulator::{Emulator, Fault, FaultPlan, Step, TimApp, defaults};
use tx_sdk::tim::{CheckType, Client, FriendRelation, Pair, Relation};
use tx_sdk::usersig::{UserSigSigner, decode};

const APP: u32 = 1_400_000_000;
const ADMIN: &str = "administrator";
const KEY: &str = "tx-demo-key-5bd2850fff3ecb11d7c8";
const COMMAND: &str = "demo";
const COLUMNS: &[Column] =
    &[Column::new("STEP", "step", 4), Column::new("OK", "ok", 5), Column::new("CHECK", "check", 0)];

/// The checks of the run, as records (`--json`) or as a narrative.
struct Checks {
    out: Printer,
    step: u32,
    title: String,
    passed: u64,
    failed: Vec<String>,
}

impl Checks {
    fn step(&mut self, title: &str) {
        self.step += 1;
        self.title = title.to_owned();
        if !self.out.json() {
            println!("\n{}. {title}", self.step);
        }
    }

    /// A line of narrative (not printed with `--json`).
    fn say(&self, line: impl AsRef<str>) {
        if !self.out.json() {
            println!("    {}", line.as_ref());
        }
    }

    fn expect(&mut self, ok: bool, what: &str) {
        if ok {
            self.passed += 1;
        } else {
            self.failed.push(what.to_owned());
        }
        if self.out.json() {
            let row = Row::new("check", COMMAND)
                .field("step", self.step)
                .field("title", self.title.as_str())
                .field("check", what)
                .field("ok", ok);
            self.out.record(&row);
        } else {
            println!("    {} {what}", if ok { "ok  " } else { "FAIL" });
        }
    }
}

pub async fn run(args: DemoArgs) -> Result<u8, CliError> {
    let started = Instant::now();
    let bulk_users: Vec<String> = (0..args.bulk).map(|i| format!("user{i:05}")).collect();
    let people = ["alice", "bob", "carol", "dave", "erin", "spammer"];
    let listed: Vec<String> = (0..25).map(|i| format!("troll{i:02}")).collect();
    let emu = Emulator::builder()
        .tim_app(
            TimApp::new(APP, KEY)
                .admin(ADMIN)
                .accounts(
                    people
                        .iter()
                        .map(|s| s.to_string())
                        .chain(bulk_users.iter().cloned())
                        .chain(listed.iter().cloned()),
                )
                .friends("alice", ["carol"]),
        )
        .seed(platforms_seed())
        .ads_watermark_delay(Duration::from_millis(500))
        .start()
        .await
        .map_err(|e| CliError::config(format!("cannot start the emulator: {e}")))?;
    let mut checks = Checks {
        out: Printer::new(args.output.json, COLUMNS),
        step: 0,
        title: String::new(),
        passed: 0,
        failed: Vec::new(),
    };
    if !args.output.json {
        println!(
            "tx demo: an emulator of Tencent IM, WeChat and Tencent Ads is listening on {} (SDKAppID {APP}, admin {ADMIN:?})",
            emu.base_url()
        );
        println!("Every call below is real HTTP from the tx SDK to it; `tx emulator` runs the same server standalone.");
    }
    let mut result = walk(&emu, &bulk_users, &listed, &mut checks).await;
    if result.is_ok() {
        result = wechat::walk(&emu, &mut checks).await;
    }
    if result.is_ok() {
        result = ads::walk(&emu, &mut checks).await;
    }
    emu.shutdown().await;
    result?;

    let total = checks.passed + checks.failed.len() as u64;
    let summary = Summary::of_records(COMMAND, total, 0, started.elapsed().as_millis() as u64);
    let summary = if checks.failed.is_empty() { summary } else { summary.with_failure("check", exit::ITEMS_FAILED) };
    if !args.output.json {
        println!("\nSummary: {} checks passed, {} failed.", checks.passed, checks.failed.len());
        if checks.failed.is_empty() {
            println!(
                "Next: `tx emulator` to keep a server running, `tx tim --help`, `tx wechat --help` and `tx ads --help` for the commands, the README for real credentials."
            );
        } else {
            println!("Failed: {}", checks.failed.join("; "));
        }
    }
    checks.out.summary(&summary);
    Ok(if checks.failed.is_empty() { exit::OK } else { exit::ITEMS_FAILED })
}

/// The bare emulator's WeChat platform and Ads app with their mini programs and
/// advertisers (its TIM app is the demo's own, above).
fn platforms_seed() -> tx_emulator::Seed {
    let mut seed = defaults::demo_seed();
    seed.tim_apps.clear();
    seed
}

async fn walk(emu: &Emulator, bulk_users: &[String], listed: &[String], checks: &mut Checks) -> Result<(), CliError> {
    checks.step("Generate and verify the admin UserSig (TLSSigAPIv2)");
    let signer = UserSigSigner::new(APP, KEY);
    let sig = signer.generate(ADMIN, Duration::from_secs(86_400)).map_err(|e| CliError::failed(e.to_string()))?;
    let head: String = sig.expose().chars().take(24).collect();
    checks.say(format!("UserSig {head}… ({} chars), valid until unix {}", sig.expose().len(), sig.expires_at()));
    checks.expect(signer.verify(sig.expose(), ADMIN).is_ok(), "it verifies with the app's key");
    checks.expect(signer.verify(sig.expose(), "alice").is_err(), "it does not verify for another identifier");
    let wrong = UserSigSigner::new(APP, "not-the-key");
    checks.expect(wrong.verify(sig.expose(), ADMIN).is_err(), "it does not verify with another key");
    let decoded = decode(sig.expose()).map_err(|e| CliError::failed(e.to_string()))?;
    checks.expect(
        decoded.identifier == ADMIN && decoded.sdk_app_id == u64::from(APP),
        "decoding shows identifier and SDKAppID",
    );

    let tim = Client::builder().sdk_app_id(APP).secret_key(KEY).admin(ADMIN).endpoint(emu.base_url()).build()?;

    checks.step("Block and unblock (alice and carol are friends)");
    let friends = tim.friends().check("alice", ["carol"], CheckType::Both).await?;
    checks.expect(friends.items()[0].value() == Some(&FriendRelation::BothWay), "alice and carol start as friends");
    let report = tim.blocklist().add("alice", ["bob", "carol", "mallory"]).await?;
    for item in report.items() {
        match &item.result {
            Ok(()) => checks.say(format!("alice blocks {}: ok", item.id)),
            Err(e) => checks.say(format!("alice blocks {}: failed, {e}", item.id)),
        }
    }
    checks.expect(report.succeeded().count() == 2, "two blocks succeed");
    checks.expect(
        report.get("mallory").and_then(|i| i.code()).map(|c| c.code()) == Some(30003),
        "an unknown account fails alone, with 30003, and the rest still succeed",
    );
    let friends = tim.friends().check("alice", ["carol"], CheckType::Both).await?;
    checks.expect(
        friends.items()[0].value() == Some(&FriendRelation::NoRelation),
        "blocking carol ended the friendship both ways",
    );

    checks.step("Check relations both ways");
    tim.blocklist().add("bob", ["alice"]).await?;
    let both = tim.blocklist().check("alice", ["bob", "carol", "dave"], CheckType::Both).await?;
    for item in both.items() {
        let relation = item.value().map_or("(failed)", |r| r.as_str());
        checks.say(format!("alice vs {}: {relation}", item.id));
    }
    checks
        .expect(both.get("bob").and_then(|i| i.value()) == Some(&Relation::BothWay), "alice and bob block each other");
    checks.expect(
        both.get("carol").and_then(|i| i.value()) == Some(&Relation::AWithB),
        "alice blocks carol, not the reverse",
    );
    checks.expect(both.get("dave").and_then(|i| i.value()) == Some(&Relation::No), "no relation with dave");
    let single = tim.blocklist().check("bob", ["alice"], CheckType::Single).await?;
    checks.expect(single.items()[0].value() == Some(&Relation::AWithB), "Single mode looks one way only");
    let removed = tim.blocklist().delete("alice", ["bob"]).await?;
    checks.expect(removed.all_succeeded(), "alice unblocks bob");
    let after = tim.blocklist().check("alice", ["bob"], CheckType::Both).await?;
    checks.expect(after.items()[0].value() == Some(&Relation::BWithA), "now only bob blocks alice");

    checks.step("List a blocklist page by page");
    tim.blocklist().add("erin", listed).await?;
    let (mut start, mut pages, mut seen) = (0, 0, 0);
    loop {
        let page = tim.blocklist().page("erin", start, 10).await?;
        pages += 1;
        seen += page.entries.len();
        let names: Vec<&str> = page.entries.iter().map(|e| e.account.as_str()).collect();
        checks.say(format!("page {pages}: {}", names.join(" ")));
        match page.next_start_index {
            Some(next) => start = next,
            None => break,
        }
    }
    checks.expect(pages == 3 && seen == listed.len(), "25 entries arrive in 3 pages of at most 10");
    let streamed: Vec<_> = tim.blocklist().list("erin").try_collect().await?;
    checks.expect(streamed.len() == listed.len(), "the list() stream yields the same 25 entries");

    checks.step(&format!(
        "Bulk moderation: {} users block spammer, one request each, within the 200/s quota",
        bulk_users.len()
    ));
    emu.clear_stats();
    let started = Instant::now();
    let bar = progress::bar(bulk_users.len() as u64, "    blocking");
    let ticker = bar.clone();
    let pairs = futures_util::stream::iter(Pair::fan_in(bulk_users.iter().cloned(), "spammer").collect::<Vec<_>>());
    let mut results = tim.blocklist().add_many(pairs).on_progress(move |s| ticker.set_position(s.done)).stream();
    let mut ok = 0;
    while let Some(r) = results.next().await {
        ok += usize::from(r?.is_ok());
    }
    bar.finish_and_clear();
    let summary = results.summary();
    let secs = started.elapsed().as_secs_f64();
    checks.say(format!(
        "{} pairs, {} ok, {} requests in {secs:.1} s ({:.0} calls/s), {} answered 60007 (over quota)",
        summary.done,
        ok,
        summary.requests,
        summary.requests as f64 / secs,
        emu.stats().endpoint("v4/sns/black_list_add").errors.get(&60007).copied().unwrap_or(0)
    ));
    checks.expect(ok == bulk_users.len(), "every pair succeeded");
    checks
        .expect(summary.requests as usize == bulk_users.len(), "one request per owner (each owner blocks one account)");

    checks.step("Faults: a 503, a dropped connection and a 30006, then 20% more; the SDK retries, loses nothing");
    emu.set_faults(
        FaultPlan::seeded(7)
            .script(
                "v4/sns/black_list_check",
                [Step::Fault(Fault::Http(503)), Step::Fault(Fault::Drop), Step::Fault(Fault::Code(30006))],
            )
            .rate("v4/sns/black_list_check", Fault::Http(502), 0.2),
    )
    .map_err(|e| CliError::config(e.to_string()))?;
    emu.clear_stats();
    let targets: Vec<String> = bulk_users.iter().take(2500).cloned().collect();
    let report = tim.blocklist().check("spammer", &targets, CheckType::Both).await?;
    let stats = emu.stats().endpoint("v4/sns/black_list_check");
    checks.say(format!(
        "{} ids in {} request(s); the server saw {} requests, {} of them faulted",
        report.len(),
        report.requests(),
        stats.requests,
        stats.faults.values().sum::<u64>()
    ));
    checks.expect(report.len() == targets.len(), "every id appears in the report exactly once");
    checks.expect(report.all_succeeded(), "every id succeeded after retries");
    checks.expect(
        report.items().iter().all(|i| i.value() == Some(&Relation::BWithA)),
        "each relation is right: every user blocks spammer",
    );
    checks.expect(stats.requests > report.requests() as u64, "the faulted requests were retried");
    emu.set_faults(FaultPlan::seeded(0)).map_err(|e| CliError::config(e.to_string()))?;
    Ok(())
}
