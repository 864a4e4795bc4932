//! The demo's Ads part: an authorization code exchanged for two advertisers, warning text
//! added to their materials, and the results waited for.

use super::Checks;
use crate::exit::CliError;
use std::time::Duration;
use tx_emulator::{Emulator, defaults};
use tx_sdk::ads::{Client, WaitOptions, WarningText, WatermarkOutcome, WatermarkReport};

const REDIRECT: &str = "https://example.com/callback";
const ACCOUNTS: [i64; 2] = [20_000_001, 20_000_002];

/// The materials of each account: its images, and a video (`watermarks/add` takes images only).
fn materials(account: i64) -> &'static [&'static str] {
    match account {
        20_000_001 => &["123", "456", "1001", "1002", "789"],
        _ => &["123", "456", "790"],
    }
}

/// The code the emulator's consent page gives for `account`, as a browser would follow it.
async fn authorization_code(ads: &Client, account: i64) -> Result<String, CliError> {
    let mut url = ads.oauth().authorize_url(REDIRECT).state("demo").build()?;
    // The emulator's stand-in for the user picking the account on the consent page.
    url.query_pairs_mut().append_pair("account_id", &account.to_string());
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| CliError::service(format!("no HTTP client: {e}")))?;
    let answer =
        browser.get(url).send().await.map_err(|e| CliError::service(format!("authorize: {}", e.without_url())))?;
    let location = answer
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(|l| url::Url::parse(l).ok())
        .ok_or_else(|| CliError::service("the consent page did not redirect back"))?;
    let code = location.query_pairs().find(|(k, _)| k == "authorization_code").map(|(_, v)| v.into_owned());
    code.ok_or_else(|| CliError::service("the redirect carries no authorization_code"))
}

fn show(checks: &Checks, account: i64, report: &WatermarkReport) {
    for item in report.items() {
        let line = match item.value() {
            Some(w) => match w.outcome {
                WatermarkOutcome::Success => {
                    format!("text on: {}", w.result_material_url.as_deref().unwrap_or("(no URL)"))
                }
                WatermarkOutcome::Processing | WatermarkOutcome::TimedOut => "still processing".to_owned(),
                _ => format!("refused: {}", w.reason.as_deref().unwrap_or("no reason given")),
            },
            None => format!("request failed: {}", item.error().map(ToString::to_string).unwrap_or_default()),
        };
        checks.say(format!("{account}/{}: {line}", item.id));
    }
}

pub async fn walk(emu: &Emulator, checks: &mut Checks) -> Result<(), CliError> {
    let ads = Client::builder()
        .client_id(defaults::ADS_CLIENT_ID)
        .client_secret(defaults::ADS_SECRET)
        .endpoint(emu.base_url())
        .build()?;

    checks.step("Ads: exchange authorization codes for two advertisers");
    for account in ACCOUNTS {
        let code = authorization_code(&ads, account).await?;
        let auth = ads.oauth().exchange_code(code.clone(), REDIRECT).await?;
        checks.say(format!(
            "{}: authorized as {}; tokens kept (never shown), access token valid until unix {}",
            auth.account_id,
            auth.authorizer_info.role_type.as_deref().unwrap_or("?"),
            auth.access_token_expires_at
        ));
        checks.expect(auth.account_id == account, &format!("the code exchanges for account {account}'s tokens"));
        let reused = ads.oauth().exchange_code(code, REDIRECT).await;
        checks.expect(
            reused.as_ref().is_err_and(|e| e.code() == Some(11013)),
            "a code works once: the second exchange is refused (11013)",
        );
    }

    checks.step("Ads: the micro-loan warning text on both accounts' materials, waited for");
    emu.clear_stats();
    let wait = WaitOptions::default().with_first_poll(Duration::from_millis(300)).with_timeout(Duration::from_secs(60));
    let texts = [WarningText::LOAN_RISK];
    let (first, second) = futures_util::future::join(
        ads.watermarks().add_and_wait(ACCOUNTS[0], materials(ACCOUNTS[0]), texts.clone(), wait),
        ads.watermarks().add_and_wait(ACCOUNTS[1], materials(ACCOUNTS[1]), texts.clone(), wait),
    )
    .await;
    let (first, second) = (first?, second?);
    show(checks, ACCOUNTS[0], &first);
    show(checks, ACCOUNTS[1], &second);
    for (account, report) in [(ACCOUNTS[0], &first), (ACCOUNTS[1], &second)] {
        let images = materials(account).len() - 1;
        checks.expect(
            report.succeeded().count() == images && report.succeeded().all(|(_, w)| w.result_material_url.is_some()),
            &format!("account {account}: every image has the text on, with its result URL"),
        );
        checks.expect(
            report.refused().count() == 1 && report.refused().all(|(_, w)| w.reason.is_some()),
            &format!("account {account}: the video is refused with the service's reason"),
        );
        checks.expect(report.add_requests() == 1, &format!("account {account}: one watermarks/add request"));
    }
    let polls = emu.stats().endpoint("v3.0/watermarks/get").requests;
    checks.say(format!("{polls} watermarks/get polls for both accounts (each polls up to 100 records at once)"));
    checks.expect(
        polls as usize == first.poll_requests() + second.poll_requests(),
        "every poll is accounted for in the reports",
    );
    Ok(())
}
