//! `tx tim …`: a TIM client from flags, environment and profile, then the command.

mod blocklist;
mod friends;
mod render;
mod source;

use crate::cli::{TimArgs, TimCommand, TimConnArgs};
use crate::config::Profile;
use crate::error::CliError;
use crate::output::Printer;
use tx_sdk::tim::{Client, Region};

pub async fn run(args: TimArgs, profile: &Profile, out: &mut Printer) -> Result<(), CliError> {
    let client = client(&args.conn, profile)?;
    match args.command {
        TimCommand::Blocklist(command) => blocklist::run(&client, command, &args.conn, out).await,
        TimCommand::Friends(command) => friends::run(&client, command, &args.conn, out).await,
    }
}

/// A client from flags, environment (clap reads both) and the profile, in that order.
pub fn client(conn: &TimConnArgs, profile: &Profile) -> Result<Client, CliError> {
    let p = &profile.tim;
    let sdk_app_id = conn.app.sdk_app_id.or(p.sdk_app_id).ok_or_else(|| {
        CliError::config("no SDKAppID: pass --sdk-app-id, set TIM_SDK_APP_ID, or add tim.sdk_app_id to the profile")
    })?;
    let key = match (&conn.app.secret_key, &p.secret_key) {
        (Some(k), _) => tx_sdk::Secret::new(k.clone()),
        (None, Some(k)) => k.clone(),
        (None, None) => {
            return Err(CliError::config(
                "no secret key: set TIM_SECRET_KEY, add tim.secret_key to the profile, or pass --secret-key",
            ));
        }
    };
    let admin = conn.admin.clone().or_else(|| p.admin.clone()).ok_or_else(|| {
        CliError::config("no admin account: pass --admin, set TIM_ADMIN, or add tim.admin to the profile")
    })?;
    let mut builder = Client::builder().sdk_app_id(sdk_app_id).secret_key(key).admin(admin);
    if let Some(region) = conn.region.as_ref().or(p.region.as_ref()) {
        let region: Region = region.parse().map_err(|e: tx_sdk::Error| CliError::config(e.message().to_owned()))?;
        builder = builder.region(region);
    }
    if let Some(endpoint) = conn.endpoint.as_ref().or(p.endpoint.as_ref()) {
        builder = builder.endpoint(endpoint);
    }
    if let Some(limit) = conn.rate_limit {
        builder = builder.rate_limit((limit > 0).then_some(limit));
    }
    builder = builder.batch_concurrency(conn.concurrency.max(1));
    builder.build().map_err(|e| match e.kind() {
        tx_sdk::ErrorKind::InvalidInput => CliError::config(e.to_string()),
        _ => e.into(),
    })
}
