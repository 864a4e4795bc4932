//! Settings for the commands: flags, then environment, then the profile, resolved by
//! tx-core's [`Config`] as the library's `from_config` loaders do.

use crate::cli::{AdsConnArgs, AppArgs, ProfileArgs, SharedStateArgs, StateArgs, TimConnArgs, WechatConnArgs};
use crate::exit::CliError;
use crate::state;
use tx_sdk::config::{Config, Key};
use tx_sdk::tim::{self, settings as keys};
use tx_sdk::{ads, wechat};

/// The sections a profile may have.
const SECTIONS: &[&str] = &["tim", "wechat", "ads", "cli", "redis"];

/// The environment and the profile named by `args`.
pub fn load(args: &ProfileArgs) -> Result<Config, CliError> {
    let config = Config::from_env().with_profile(args.config.as_deref(), &args.profile).map_err(config_error)?;
    config.check_sections(SECTIONS).map_err(config_error)?;
    config.check_section("cli", state::SETTINGS).map_err(config_error)?;
    Ok(config)
}

/// A configuration error: its message names where the bad value came from.
fn config_error(e: tx_sdk::Error) -> CliError {
    CliError::config(e.message())
}

fn flag(config: &mut Config, key: &Key, name: &str, value: Option<&String>) {
    config.name_flag(key, name);
    if let Some(value) = value {
        config.set(key, name, value);
    }
}

/// The SDKAppID and key flags of the commands that sign.
fn app_flags(config: &mut Config, sdk_app_id: Option<&String>, secret_key: Option<&String>) {
    flag(config, &keys::SDK_APP_ID, "--sdk-app-id", sdk_app_id);
    flag(config, &keys::SECRET_KEY, "--secret-key", secret_key);
}

/// A TIM client from the connection flags and `config`.
pub fn tim_client(conn: &TimConnArgs, mut config: Config) -> Result<tim::Client, CliError> {
    app_flags(&mut config, conn.sdk_app_id.as_ref(), conn.secret_key.as_ref());
    flag(&mut config, &keys::ADMIN, "--admin", conn.admin.as_ref());
    flag(&mut config, &keys::REGION, "--region", conn.region.as_ref());
    flag(&mut config, &keys::ENDPOINT, "--endpoint", conn.endpoint.as_ref());
    flag(&mut config, &keys::RATE_LIMIT, "--rate-limit", conn.rate_limit.as_ref());
    shared_state_flag(&mut config, &conn.shared);
    let builder = tim::ClientBuilder::from_config(&config).map_err(config_error)?;
    builder.batch_concurrency(conn.concurrency.into()).build().map_err(config_error)
}

/// `--redis` into `config`, where the platform's loader (tx-core's `configure`) reads it
/// with `TX_REDIS_URL` and the profile's `[redis] url`.
pub fn shared_state_flag(config: &mut Config, args: &SharedStateArgs) {
    flag(config, &tx_sdk::config::REDIS_URL, "--redis", args.redis.as_ref());
}

/// The SDKAppID, secret key and admin for the UserSig commands.
pub struct Signing {
    /// The signer.
    pub signer: tx_sdk::usersig::UserSigSigner,
    /// The admin of the profile or environment, the default identifier.
    pub admin: Option<String>,
}

/// The signer of `app` and `config`.
pub fn signing(app: &AppArgs, mut config: Config) -> Result<Signing, CliError> {
    app_flags(&mut config, app.sdk_app_id.as_ref(), app.secret_key.as_ref());
    let fail = config_error;
    config.check_section("tim", keys::ALL).map_err(fail)?;
    config.required(&keys::SDK_APP_ID).map_err(fail)?;
    let sdk_app_id = config.parse::<u32>(&keys::SDK_APP_ID).map_err(fail)?.unwrap_or_default();
    let key = config.required(&keys::SECRET_KEY).map_err(fail)?;
    if key.text.is_empty() {
        return Err(CliError::config(format!("{}: the secret key is empty", key.origin)));
    }
    let signer = tx_sdk::usersig::UserSigSigner::new(sdk_app_id, key.text);
    Ok(Signing { signer, admin: config.string(&keys::ADMIN).filter(|a| !a.is_empty()) })
}

/// Points `config` at the state directory flag, and opens the token store of `profile`;
/// none with shared state on Redis, which then keeps the tokens for every process.
fn token_store(
    state_args: &StateArgs,
    config: &mut Config,
    profile: &str,
) -> Result<Option<std::sync::Arc<state::FileTokenStore>>, CliError> {
    if config.get(&tx_sdk::config::REDIS_URL).is_some() {
        return Ok(None);
    }
    let dir = state_args.state_dir.as_ref().map(|d| d.display().to_string());
    flag(config, &state::STATE_DIR, "--state-dir", dir.as_ref());
    state::store(config, profile).map(Some)
}

/// A WeChat client from the connection flags and `config`, its tokens kept in the state
/// directory of `profile` (or in Redis, with shared state).
pub fn wechat_client(
    conn: &WechatConnArgs,
    state_args: &StateArgs,
    mut config: Config,
    profile: &str,
) -> Result<wechat::Client, CliError> {
    use wechat::settings as w;
    flag(&mut config, &w::COMPONENT_APPID, "--component-appid", conn.component_appid.as_ref());
    flag(&mut config, &w::COMPONENT_SECRET, "--component-secret", conn.component_secret.as_ref());
    flag(&mut config, &w::ENDPOINT, "--endpoint", conn.endpoint.as_ref());
    flag(&mut config, &w::RATE_LIMIT, "--rate-limit", conn.rate_limit.as_ref());
    shared_state_flag(&mut config, &conn.shared);
    let mut builder = wechat::ClientBuilder::from_config(&config).map_err(config_error)?;
    if let Some(store) = token_store(state_args, &mut config, profile)? {
        builder = builder.token_store(store);
    }
    builder.build().map_err(config_error)
}

/// An Ads client from the connection flags and `config`, its tokens kept in the state
/// directory of `profile` (or in Redis, with shared state).
pub fn ads_client(
    conn: &AdsConnArgs,
    state_args: &StateArgs,
    mut config: Config,
    profile: &str,
) -> Result<ads::Client, CliError> {
    use ads::settings as a;
    flag(&mut config, &a::CLIENT_ID, "--client-id", conn.client_id.as_ref());
    flag(&mut config, &a::CLIENT_SECRET, "--client-secret", conn.client_secret.as_ref());
    flag(&mut config, &a::ENDPOINT, "--endpoint", conn.endpoint.as_ref());
    flag(&mut config, &a::RATE_LIMIT, "--rate-limit", conn.rate_limit.as_ref());
    shared_state_flag(&mut config, &conn.shared);
    let mut builder = ads::ClientBuilder::from_config(&config).map_err(config_error)?;
    if let Some(store) = token_store(state_args, &mut config, profile)? {
        builder = builder.token_store(store);
    }
    builder.batch_concurrency(conn.concurrency.into()).build().map_err(config_error)
}
