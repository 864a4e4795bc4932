//! `tx usersig …`

use super::{OutputArgs, ProfileArgs};
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// The longest lifetime a UserSig can carry: `TLS.expire` is read as a signed 64-bit
/// number, and a PrivateMapKey keeps `time + expire` in 32 bits (checked when made).
pub const MAX_EXPIRE: u64 = i64::MAX as u64;

/// `tx usersig …`: settings, output and the command.
#[derive(Debug, Args)]
pub struct UsersigArgs {
    #[command(flatten)]
    pub profile: ProfileArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// The command.
    #[command(subcommand)]
    pub command: UsersigCommand,
}

/// SDKAppID and secret key, for the commands that sign.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Connection")]
pub struct AppArgs {
    /// The app's SDKAppID [env: TIM_SDK_APP_ID].
    #[arg(long, value_name = "ID")]
    pub sdk_app_id: Option<String>,
    /// The app's secret key. Visible in process lists: prefer TIM_SECRET_KEY or the config file.
    #[arg(long, value_name = "KEY")]
    pub secret_key: Option<String>,
}

/// `tx usersig …`
#[derive(Debug, Subcommand)]
pub enum UsersigCommand {
    /// Generate a UserSig (optionally carrying a userbuf or a PrivateMapKey).
    Gen(UsersigGenArgs),
    /// Verify a UserSig: exit 0 if valid, 1 with the reason if not.
    Verify(UsersigVerifyArgs),
    /// Decode a UserSig without the key and print its fields.
    Decode(UsersigDecodeArgs),
}

/// A userbuf or a PrivateMapKey, for `gen` and `verify`.
#[derive(Debug, Clone, Args)]
pub struct UserbufArgs {
    /// An arbitrary userbuf, as hex.
    #[arg(long, value_name = "HEX", conflicts_with_all = ["room", "room_name"])]
    pub userbuf: Option<String>,
    /// A PrivateMapKey for this numeric TRTC room id.
    #[arg(long, value_name = "ID", conflicts_with = "room_name")]
    pub room: Option<u32>,
    /// A PrivateMapKey for this string TRTC room id (ASCII).
    #[arg(long, value_name = "NAME")]
    pub room_name: Option<String>,
    /// PrivateMapKey privilege bitmap (255 = all), 0 to 255.
    #[arg(long, default_value_t = 255, value_name = "BITS", value_parser = clap::value_parser!(u32).range(0..=255))]
    pub privileges: u32,
}

/// `tx usersig gen`
#[derive(Debug, Args)]
pub struct UsersigGenArgs {
    #[command(flatten)]
    pub app: AppArgs,
    /// The UserID to sign for [default: the admin of TIM_ADMIN or the profile].
    #[arg(long, value_name = "USERID")]
    pub identifier: Option<String>,
    /// Lifetime in seconds, at least 1.
    #[arg(long, default_value_t = 180 * 86_400, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=MAX_EXPIRE))]
    pub expire: u64,
    /// zlib level 0-9 (every level verifies the same).
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(0..=9))]
    pub level: u32,
    #[command(flatten)]
    pub userbuf: UserbufArgs,
}

/// The UserSig to read: an argument (visible in process lists), a file, or stdin.
#[derive(Debug, Clone, Args)]
pub struct UsersigInput {
    /// The UserSig, or '-' to read it from stdin [default: stdin]. An argument is visible
    /// in process lists: prefer stdin or --usersig-file for real signatures.
    #[arg(value_name = "USERSIG")]
    pub usersig: Option<String>,
    /// Read the UserSig from a file.
    #[arg(long, value_name = "FILE", conflicts_with = "usersig")]
    pub usersig_file: Option<PathBuf>,
}

/// `tx usersig verify`
#[derive(Debug, Args)]
pub struct UsersigVerifyArgs {
    #[command(flatten)]
    pub app: AppArgs,
    /// The UserID it must have been issued to [default: the admin].
    #[arg(long, value_name = "USERID")]
    pub identifier: Option<String>,
    /// Verify as of this Unix time (for a signature captured earlier) [default: now].
    #[arg(long, value_name = "UNIX")]
    pub now: Option<u64>,
    /// The room and privileges of an expected PrivateMapKey, or the expected userbuf. The
    /// expiry inside a PrivateMapKey is taken from the signature.
    #[command(flatten)]
    pub userbuf: UserbufArgs,
    #[command(flatten)]
    pub input: UsersigInput,
}

/// `tx usersig decode`
#[derive(Debug, Args)]
pub struct UsersigDecodeArgs {
    /// Print TLS.sig too (it is a credential; it is masked by default).
    #[arg(long)]
    pub show_signature: bool,
    #[command(flatten)]
    pub input: UsersigInput,
}
