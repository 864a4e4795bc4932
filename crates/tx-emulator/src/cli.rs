//! The standalone server: argument parsing, seed loading, the startup banner, and serving
//! until a shutdown signal. Shared by the `tx-emulator` binary and the `tx emulator`
//! command of the CLI.

use crate::builder::{Emulator, StartError};
use crate::seed::{Seed, SeedError};
use clap::Parser;
use serde_json::json;
use std::ffi::OsString;
use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Options of the standalone emulator.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Port to listen on, on 127.0.0.1 only (0 = any free port).
    #[arg(long, default_value_t = 8080, env = "TX_EMULATOR_PORT")]
    pub port: u16,
    /// Seed file: TOML, or JSON when the name ends in `.json`. Without one, the demo apps
    /// are seeded: TIM 1400000000 (key `tx-emulator-demo-key`, admin `administrator`,
    /// accounts alice, bob, … user0..user99), WeChat component `wxc000000000000001` with
    /// authorizers `wxa000000000000001`..5, Ads app 1110000000 with accounts 20000001,
    /// 20000002 and 10000001 (see SEED.md).
    #[arg(long, env = "TX_EMULATOR_SEED")]
    pub seed: Option<PathBuf>,
    /// Fixed latency added to every reply, in milliseconds (overrides the seed file).
    #[arg(long)]
    pub latency_ms: Option<u64>,
    /// TIM calls per second per app and command, 0 = off (overrides the seed file).
    #[arg(long)]
    pub tim_rate_limit: Option<u32>,
    /// Print the banner as one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Parser)]
#[command(name = "tx-emulator", version, about = "A local emulator of the Tencent IM, WeChat AMS and Tencent Ads APIs")]
struct Cli {
    #[command(flatten)]
    serve: ServeArgs,
}

/// Why the standalone emulator stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The seed file was refused.
    #[error(transparent)]
    Seed(#[from] SeedError),
    /// The emulator did not start.
    #[error(transparent)]
    Start(#[from] StartError),
}

/// The seed the standalone emulator uses without a seed file (see `SEED.md`, "The bare
/// emulator", and [`crate::defaults`]).
pub fn demo_seed() -> Seed {
    crate::defaults::demo_seed()
}

/// Starts the emulator per `args`, prints its base URL and seeded credentials to stdout,
/// and serves until `shutdown` completes, then shuts down gracefully.
pub async fn serve(args: ServeArgs, shutdown: impl Future<Output = ()>) -> Result<(), ServeError> {
    let mut seed = match &args.seed {
        Some(path) => Seed::from_path(path)?,
        None => demo_seed(),
    };
    if let Some(ms) = args.latency_ms {
        seed.settings.latency_ms = Some(ms);
    }
    if let Some(limit) = args.tim_rate_limit {
        seed.settings.tim_rate_limit = Some(limit);
    }
    let emulator = Emulator::builder().port(args.port).seed(seed.clone()).start().await?;
    let banner = banner(&emulator, &seed);
    let mut out = std::io::stdout().lock();
    let _ = if args.json { writeln!(out, "{banner}") } else { writeln!(out, "{}", text_banner(&banner)) };
    let _ = out.flush();
    drop(out);
    shutdown.await;
    emulator.shutdown().await;
    Ok(())
}

fn banner(emu: &Emulator, seed: &Seed) -> serde_json::Value {
    let tim: Vec<_> = seed
        .tim_apps
        .iter()
        .map(|app| {
            let admin = app.effective_admins().remove(0);
            let usersig = emu.usersig(app.sdkappid, &admin, Duration::from_secs(180 * 86_400));
            json!({"sdkappid": app.sdkappid, "key": app.key.expose(), "admin": admin, "usersig": usersig,
                   "accounts": app.accounts.len()})
        })
        .collect();
    let components: Vec<_> = seed
        .wechat_components
        .iter()
        .map(|c| {
            json!({"component_appid": c.component_appid, "component_appsecret": c.component_appsecret.expose(),
                        "component_verify_ticket": c.component_verify_ticket.expose(),
                        "component_access_token": c.component_access_token.as_ref().map(|t| t.expose()),
                        "token": c.token.as_ref().map(|t| t.expose()),
                        "encoding_aes_key": c.encoding_aes_key.as_ref().map(|t| t.expose())})
        })
        .collect();
    let authorizers: Vec<_> = seed
        .wechat_authorizers
        .iter()
        .map(|a| {
            json!({"authorizer_appid": a.authorizer_appid,
                        "authorizer_access_token": a.authorizer_access_token.as_ref().map(|t| t.expose()),
                        "authorizer_refresh_token": a.authorizer_refresh_token.as_ref().map(|t| t.expose())})
        })
        .collect();
    let ads_apps: Vec<_> = seed
        .ads_apps
        .iter()
        .map(|a| {
            let private: Vec<_> = a.private_tokens.iter().map(|t| t.access_token.expose()).collect();
            json!({"client_id": a.client_id, "client_secret": a.client_secret.expose(), "private_tokens": private})
        })
        .collect();
    let ads_accounts: Vec<_> = seed
        .ads_accounts
        .iter()
        .map(|a| {
            json!({"account_id": a.account_id, "access_token": a.access_token.as_ref().map(|t| t.expose()),
                        "refresh_token": a.refresh_token.as_ref().map(|t| t.expose()), "materials": a.materials.len()})
        })
        .collect();
    json!({
        "base_url": emu.base_url(),
        "tim_apps": tim,
        "wechat_components": components,
        "wechat_authorizers": authorizers,
        "ads_apps": ads_apps,
        "ads_accounts": ads_accounts,
    })
}

/// Banner fields that hold credentials: printed by `--json` (a hand-off to a program), shown
/// as `***` in the text banner, which ends up in terminals and CI logs.
const SECRET_FIELDS: [&str; 12] = [
    "key",
    "usersig",
    "component_appsecret",
    "component_verify_ticket",
    "component_access_token",
    "token",
    "encoding_aes_key",
    "authorizer_access_token",
    "authorizer_refresh_token",
    "client_secret",
    "access_token",
    "refresh_token",
];

fn text_banner(b: &serde_json::Value) -> String {
    let mut s = format!("tx-emulator listening on {}\n", b["base_url"].as_str().unwrap_or_default());
    s.push_str(
        "control API: GET /_emulator/stats, POST /_emulator/reset, POST /_emulator/seed, POST /_emulator/faults\n",
    );
    for section in ["tim_apps", "wechat_components", "wechat_authorizers", "ads_apps", "ads_accounts"] {
        for item in b[section].as_array().into_iter().flatten() {
            let mut item = item.clone();
            if let Some(obj) = item.as_object_mut() {
                for (k, v) in obj.iter_mut() {
                    if (SECRET_FIELDS.contains(&k.as_str()) && !v.is_null()) || k == "private_tokens" {
                        *v = json!("***");
                    }
                }
            }
            s.push_str(&format!("{section}: {item}\n"));
        }
    }
    s.push_str(
        "credentials are shown as ***: start with --json to print them, or see SEED.md for the bare emulator's\n",
    );
    s
}

/// Parses `args` (program name first), serves until Ctrl-C, and gives the process exit
/// code. The `tx-emulator` binary is this function.
pub async fn run_from_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match serve(cli.serve, ctrl_c).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tx-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_text_banner_hides_credentials_and_the_json_banner_has_them() {
        let seed = demo_seed();
        let emu = Emulator::builder().seed(seed.clone()).start().await.unwrap();
        let b = banner(&emu, &seed);
        assert_eq!(b["tim_apps"][0]["key"], "tx-emulator-demo-key");
        assert_eq!(b["ads_apps"][0]["private_tokens"][0], crate::defaults::ADS_PRIVATE_TOKEN);
        let text = text_banner(&b);
        for secret in [
            "tx-emulator-demo-key",
            crate::defaults::WECHAT_SECRET,
            crate::defaults::WECHAT_AES_KEY,
            crate::defaults::ADS_SECRET,
            crate::defaults::ADS_PRIVATE_TOKEN,
            "refreshtoken@@@",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("\"sdkappid\":1400000000") && text.contains("wxa000000000000005"), "{text}");
        let usersig = b["tim_apps"][0]["usersig"].as_str().unwrap();
        assert!(!text.contains(usersig));
    }
}
