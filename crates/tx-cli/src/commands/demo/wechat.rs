//! The demo's WeChat part: a ticket push received from the emulator, the component and
//! authorizer tokens, and a category blacklist ensured across a few mini programs.

use super::Checks;
use crate::exit::CliError;
use futures_util::{StreamExt, stream};
use std::time::{SystemTime, UNIX_EPOCH};
use tx_emulator::{Emulator, defaults};
use tx_sdk::ErrorKind;
use tx_sdk::bulk::Outcome;
use tx_sdk::wechat::push::{PushEvent, PushQuery};
use tx_sdk::wechat::{AmsCategory, CategoryChange, CategorySet, Client};

/// The mini programs of the fleet step: four of the emulator's, a repeat, and a value that
/// is not an AppID.
const FLEET: [&str; 6] = [
    "wxa000000000000001",
    "wxa000000000000002",
    "wxa000000000000003",
    "wxa000000000000004",
    "wxa000000000000002",
    "gh_not_an_appid",
];

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// What the emulator would push now: the query and body of a `component_verify_ticket`.
async fn ticket_push(emu: &Emulator) -> Result<(PushQuery, String), CliError> {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/_emulator/wechat/event", emu.base_url()))
        .body(r#"{"info_type":"component_verify_ticket"}"#)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| CliError::service(format!("the emulator did not push: {}", e.without_url())))?
        .bytes()
        .await
        .map_err(|e| CliError::service(format!("the emulator's push was cut short: {}", e.without_url())))
        .and_then(|body| {
            serde_json::from_slice(&body)
                .map_err(|e| CliError::service(format!("the emulator's push is not JSON: {e}")))
        })?;
    let field = |name: &str| answer[name].as_str().unwrap_or_default().to_owned();
    let query = PushQuery {
        timestamp: answer["timestamp"].as_u64().unwrap_or_default().to_string(),
        nonce: field("nonce"),
        encrypt_type: Some("aes".to_owned()),
        msg_signature: field("msg_signature"),
        signature: None,
    };
    Ok((query, field("body")))
}

fn policy() -> CategorySet {
    CategorySet::from_iter([AmsCategory::Chess, AmsCategory::Loan])
}

pub async fn walk(emu: &Emulator, checks: &mut Checks) -> Result<(), CliError> {
    let wechat = Client::builder()
        .component_appid(defaults::WECHAT_COMPONENT)
        .component_secret(defaults::WECHAT_SECRET)
        .message_token(defaults::WECHAT_TOKEN)
        .encoding_aes_key(defaults::WECHAT_AES_KEY)
        .endpoint(emu.base_url())
        .build()?;

    checks.step("WeChat: receive the component_verify_ticket push");
    let (query, body) = ticket_push(emu).await?;
    checks.say(format!(
        "POST /wechat/events?timestamp={}&nonce={}&msg_signature=… ({} bytes of AES-encrypted XML)",
        query.timestamp,
        query.nonce,
        body.len()
    ));
    let mut forged = query.clone();
    forged.msg_signature = "0".repeat(40);
    let refused = wechat.receive_push(&forged, body.as_bytes()).await;
    checks.expect(
        refused.as_ref().is_err_and(|e| e.kind() == ErrorKind::Auth),
        "a push whose msg_signature does not match is refused before decrypting",
    );
    let event = wechat.receive_push(&query, body.as_bytes()).await?;
    checks.expect(
        matches!(&event, PushEvent::ComponentVerifyTicket { app_id, .. } if app_id == defaults::WECHAT_COMPONENT),
        "the push verifies, decrypts and reads as the platform's component_verify_ticket",
    );
    let kept = wechat.tokens().ticket().await?;
    checks.expect(
        kept.as_ref().is_some_and(|t| t.expires_at.is_some_and(|at| at > now() + 11 * 3600)),
        "the ticket is kept, valid for 12 hours",
    );

    checks.step("WeChat: the component token, then the authorizers' tokens");
    let component = wechat.tokens().component().await?;
    checks
        .say(format!("component_access_token: valid for {} s (its value is never shown)", component.remaining(now())));
    checks.expect(component.expires_at > now(), "a component_access_token is fetched with the pushed ticket");
    let recovered = wechat.tokens().recover_refresh_tokens().await?;
    checks.say(format!("{recovered} refresh tokens recovered from api_get_authorizer_list"));
    checks.expect(recovered == 5, "the five authorizers' refresh tokens are recovered");
    emu.clear_stats();
    for appid in &FLEET[..4] {
        let token = wechat.tokens().authorizer(appid).await?;
        checks.say(format!("{appid}: authorizer_access_token valid for {} s", token.remaining(now())));
    }
    for appid in &FLEET[..4] {
        wechat.tokens().authorizer(appid).await?;
    }
    let fetched: u64 = FLEET[..4].iter().map(|a| emu.stats().token_fetches("authorizer_access_token", a)).sum();
    checks.expect(fetched == 4, "each authorizer token is fetched once, then served from the cache");

    checks.step("WeChat: ensure a category blacklist (CHESS|LOAN) across four mini programs");
    emu.clear_stats();
    let mut records = wechat.fleet().ensure_category_blacklist(stream::iter(FLEET), policy())?.stream();
    let mut report = Vec::new();
    while let Some(record) = records.next().await {
        report.push(record?);
    }
    report.sort_by_key(|r| r.index);
    for r in &report {
        let appid = r.item.as_ref().map_or("(none)", |a| a.authorizer_appid.as_str());
        let line = match &r.outcome {
            Outcome::Ok(CategoryChange::Unchanged { categories }) => format!("unchanged ({categories})"),
            Outcome::Ok(CategoryChange::Changed { before, after }) => {
                format!("changed: {:?} -> {after}", before.to_string())
            }
            Outcome::Ok(_) => "changed".to_owned(),
            Outcome::Failed(e) => format!("failed: {e}"),
            Outcome::Duplicate { first_index } => format!("duplicate of #{first_index}"),
            Outcome::NotAttempted => "not attempted".to_owned(),
        };
        checks.say(format!("#{} {appid}: {line}", r.index));
    }
    let summary = records.summary();
    let writes = emu.stats().endpoint("wxa/operationams?action=agency_set_mp_amscategory_blacklist").requests;
    checks.expect(report.len() == FLEET.len(), "every input line has exactly one record");
    checks.expect(
        matches!(&report[0].outcome, Outcome::Ok(CategoryChange::Unchanged { .. })),
        "wxa…01 already blocked CHESS|LOAN: unchanged, nothing written",
    );
    checks.expect(
        report[1..4]
            .iter()
            .all(|r| matches!(&r.outcome, Outcome::Ok(CategoryChange::Changed { after, .. }) if *after == policy())),
        "the other three changed from nothing to CHESS|LOAN",
    );
    checks.expect(
        report[4].outcome == Outcome::Duplicate { first_index: 1 },
        "the repeated AppID is reported once, as a duplicate",
    );
    checks.expect(
        matches!(&report[5].outcome, Outcome::Failed(e) if e.kind() == ErrorKind::InvalidInput),
        "the line that is not an AppID fails alone, before anything is sent",
    );
    checks.expect(writes == 3 && summary.requests == 7, "4 reads and 3 writes: only where the set differed");
    let again = wechat.fleet().ensure_category_blacklist(stream::iter(FLEET[..4].to_vec()), policy())?.run().await?;
    checks.expect(again.succeeded == 4, "a second run finds all four compliant");
    let writes_after = emu.stats().endpoint("wxa/operationams?action=agency_set_mp_amscategory_blacklist").requests;
    checks.expect(writes_after == writes, "and writes nothing");
    Ok(())
}
