//! `tx ads …`: an Ads client from flags, environment and profile, its tokens kept in the
//! state directory, then the command.

mod oauth;
mod task;
mod watermark;

use crate::cli::{AdsArgs, AdsCommand, OauthCommand, PresetText, TaskCommand, TextsArgs, WatermarkCommand};
use crate::exit::CliError;
use crate::settings;
use tx_sdk::ads::WarningText;
use tx_sdk::config::Config;

pub async fn run(args: AdsArgs, config: Config) -> Result<u8, CliError> {
    let ads = settings::ads_client(&args.conn, &args.state, config, &args.profile.profile)?;
    let ctx = Ctx { ads: &ads, json: args.output.json, concurrency: args.conn.concurrency.into() };
    match args.command {
        AdsCommand::Oauth(command) => match command {
            OauthCommand::Url { redirect_uri, state, scope } => oauth::url(&ctx, &redirect_uri, state, scope),
            OauthCommand::Exchange { redirect_uri, code } => oauth::exchange(&ctx, &redirect_uri, code).await,
            OauthCommand::Refresh(a) => oauth::refresh(&ctx, a.account).await,
            OauthCommand::Status(a) => oauth::status(&ctx, a.account).await,
        },
        AdsCommand::Watermark(command) => match command {
            WatermarkCommand::Add { account, texts, materials, wait, resume } => {
                watermark::add(&ctx, account.account, &texts, &materials, &wait, &resume).await
            }
            WatermarkCommand::Get { account, record } => watermark::get(&ctx, account.account, &record).await,
        },
        AdsCommand::Task(command) => match command {
            TaskCommand::Add { account, kind, texts, material, wait } => {
                task::add(&ctx, account.account, kind, &texts, &material, &wait).await
            }
            TaskCommand::Get { account, job } => task::get(&ctx, account.account, &job.job).await,
            TaskCommand::Wait { account, job, timeout } => task::wait(&ctx, account.account, &job.job, timeout).await,
        },
    }
}

/// What the Ads commands share.
pub struct Ctx<'a> {
    pub ads: &'a tx_sdk::ads::Client,
    pub json: bool,
    pub concurrency: usize,
}

/// Whether an Ads code says the configuration or the credentials are wrong (exit 3): a
/// refused token, client id or scope, or an authorization to make again.
fn is_configuration(code: i64) -> bool {
    let code = tx_sdk::ads::ErrorCode::from(code);
    code.is_ban_risk() || code.needs_reauthorization()
}

/// The exit code and message of an SDK error of an Ads command.
fn sdk(e: tx_sdk::Error) -> CliError {
    CliError::from_sdk(&e, is_configuration)
}

/// Checks `--account` before anything is sent.
fn check_account(account: i64) -> Result<(), CliError> {
    tx_sdk::ads::validate::check_account_id(account)
        .map_err(|e| CliError::input(format!("--account {account}: {}", e.message())))
}

/// The warning texts of `--text` and `--preset`, in that order, each checked.
fn texts(args: &TextsArgs) -> Result<Vec<String>, CliError> {
    let presets = args.preset.iter().map(|p| preset(*p).as_str().to_owned());
    let all: Vec<String> = args.text.iter().cloned().chain(presets).collect();
    if all.len() > tx_sdk::ads::validate::MAX_WARNING_TEXTS {
        return Err(CliError::input(format!(
            "{} warning texts: at most {} can be added at once",
            all.len(),
            tx_sdk::ads::validate::MAX_WARNING_TEXTS
        )));
    }
    for (i, text) in all.iter().enumerate() {
        tx_sdk::ads::validate::check_warning_text(format!("warning text #{}", i + 1), text)
            .map_err(|e| CliError::input(e.message()))?;
    }
    Ok(all)
}

/// The prescribed text of a preset.
fn preset(p: PresetText) -> WarningText {
    match p {
        PresetText::LoanRisk => WarningText::LOAN_RISK,
        PresetText::LoanLimitAndTiming => WarningText::LOAN_LIMIT_AND_TIMING,
        PresetText::LoanAmount => WarningText::LOAN_AMOUNT,
        PresetText::LoanCreditScore => WarningText::LOAN_CREDIT_SCORE,
        PresetText::Franchise => WarningText::FRANCHISE,
        PresetText::FictionalContent => WarningText::FICTIONAL_CONTENT,
        PresetText::HomeFurnishing => WarningText::HOME_FURNISHING,
    }
}

/// A wait of `secs` seconds on the SDK's backoff.
fn wait_options(secs: u64) -> tx_sdk::ads::WaitOptions {
    tx_sdk::ads::WaitOptions::default().with_timeout(std::time::Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_presets_are_checked() {
        let args = |text: &[&str], preset: &[PresetText]| TextsArgs {
            text: text.iter().map(|s| s.to_string()).collect(),
            preset: preset.to_vec(),
        };
        assert_eq!(texts(&args(&["a"], &[PresetText::LoanRisk])).unwrap(), ["a", "贷款有风险，借款需谨慎"]);
        assert!(texts(&args(&["a<b"], &[])).unwrap_err().to_string().contains("warning text #1"));
        let eleven: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        let refs: Vec<&str> = eleven.iter().map(String::as_str).collect();
        assert!(texts(&args(&refs, &[])).unwrap_err().to_string().contains("at most 10"));
    }
}
