//! `tx wechat ticket`: a push to the authorization-event URL, from a file or stdin,
//! verified, decrypted and acted on as a receiver would: a ticket is kept for the next
//! command, an authorization code is exchanged (its tokens kept), a withdrawn
//! authorizer's tokens are purged. Prints the event, never its secrets.

use super::{Ctx, is_configuration, sdk};
use crate::cli::TicketArgs;
use crate::exit::CliError;
use crate::output::{Column, Printer, Row, Summary, error_value};
use serde::Deserialize;
use std::io::Read;
use std::time::Instant;
use tx_sdk::ErrorKind;
use tx_sdk::wechat::push::{PushEvent, PushQuery};

const COMMAND: &str = "wechat ticket";
const COLUMNS: &[Column] = &[
    Column::new("INFO_TYPE", "info_type", 24),
    Column::new("AUTHORIZER", "authorizer_appid", 18),
    Column::new("CREATED_AT", "created_at", 20),
    Column::new("ACTION", "action", 24),
    Column::new("STATUS", "status", 6),
    Column::new("ERROR", "error", 0),
];

/// A push as captured with its query (the emulator's `/_emulator/wechat/event` shape).
#[derive(Deserialize)]
struct Capture {
    query: String,
    body: String,
}

/// The push's query and body, from the input and `--query`.
fn read_push(args: &TicketArgs) -> Result<(PushQuery, Vec<u8>), CliError> {
    let (text, label) = match args.input.as_deref() {
        Some(path) if path != std::path::Path::new("-") => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::input(format!("cannot read {}: {e}", path.display())))?;
            (text, path.display().to_string())
        }
        _ => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text)?;
            (text, "stdin".to_owned())
        }
    };
    let text = text.trim_start_matches('\u{FEFF}').trim();
    if text.is_empty() {
        return Err(CliError::input(format!("{label} holds no push")));
    }
    if text.starts_with('{') {
        if args.query.is_some() {
            return Err(CliError::input("a captured push carries its query: give --query only with an XML body"));
        }
        let capture: Capture = serde_json::from_str(text)
            .map_err(|e| CliError::input(format!("{label} is not a captured push {{\"query\", \"body\"}}: {e}")))?;
        return Ok((query(&capture.query), capture.body.into_bytes()));
    }
    let Some(q) = &args.query else {
        return Err(CliError::input(
            "a push's XML body needs --query: the query string it was POSTed with (timestamp, nonce, msg_signature)",
        ));
    };
    Ok((query(q), text.as_bytes().to_vec()))
}

/// The query of a push: a query string (with or without `?`) or a whole URL.
fn query(text: &str) -> PushQuery {
    let text = text.trim();
    let text = text.split_once('?').map_or(text, |(_, q)| q);
    let mut q = PushQuery::default();
    for (key, value) in url::form_urlencoded::parse(text.as_bytes()) {
        match key.as_ref() {
            "timestamp" => q.timestamp = value.into_owned(),
            "nonce" => q.nonce = value.into_owned(),
            "encrypt_type" => q.encrypt_type = Some(value.into_owned()),
            "msg_signature" => q.msg_signature = value.into_owned(),
            "signature" => q.signature = Some(value.into_owned()),
            _ => {}
        }
    }
    q
}

/// Why a push was refused, as an exit code and a message.
fn refused(e: tx_sdk::Error) -> CliError {
    match e.kind() {
        ErrorKind::InvalidInput => CliError::config(format!(
            "cannot read pushes without the message token and EncodingAESKey: set WECHAT_COMPONENT_TOKEN and \
             WECHAT_COMPONENT_AES_KEY, or message_token and encoding_aes_key in the profile ({e})"
        )),
        ErrorKind::Auth => CliError::config(format!(
            "the push does not verify: {e} (is it for this platform, and are WECHAT_COMPONENT_TOKEN and \
             WECHAT_COMPONENT_AES_KEY its message token and key?)"
        )),
        _ => CliError::input(format!("not a readable push: {e}")),
    }
}

pub async fn run(ctx: &Ctx<'_>, args: &TicketArgs) -> Result<u8, CliError> {
    let started = Instant::now();
    let (query, body) = read_push(args)?;
    let event = ctx.wechat.receive_push(&query, &body).await.map_err(refused)?;
    let (app_id, create_time, authorizer) = match &event {
        PushEvent::ComponentVerifyTicket { app_id, create_time, .. } => (app_id, *create_time, None),
        PushEvent::Authorized(a) | PushEvent::UpdateAuthorized(a) => {
            (&a.app_id, a.create_time, Some(a.authorizer_appid.clone()))
        }
        PushEvent::Unauthorized { app_id, create_time, authorizer_appid } => {
            (app_id, *create_time, Some(authorizer_appid.clone()))
        }
        PushEvent::Unknown { app_id, create_time, .. } => (app_id, *create_time, None),
        _ => return Err(CliError::input(format!("a push of type {} that tx does not know", event.info_type()))),
    };
    let (action, failure) = act(ctx, &event).await?;
    let row = Row::new("push", COMMAND)
        .field("info_type", event.info_type())
        .field("component_appid", app_id.as_str())
        .field("authorizer_appid", authorizer)
        .time("created_at", "created_at_unix", u64::try_from(create_time).unwrap_or(0))
        .field("action", action);
    let elapsed = started.elapsed().as_millis() as u64;
    let (row, summary, problem) = match &failure {
        None => (row.field("status", "ok"), Summary::of_records(COMMAND, 1, 0, elapsed), None),
        Some(e) => {
            let cli = CliError::from_sdk(e, is_configuration);
            let row = row
                .field("status", "failed")
                .field("error", error_value(e.code(), e.kind(), e.message(), e.outcome_unknown()));
            let summary = Summary::of_records(COMMAND, 1, 0, elapsed).with_failure(&kind_or_code(e), cli.code());
            (row, summary, Some(cli))
        }
    };
    let mut out = Printer::new(ctx.json, COLUMNS);
    out.record(&row);
    out.summary(&summary);
    if let Some(cli) = problem {
        eprintln!("tx: {COMMAND}: {cli}");
    }
    Ok(summary.exit_code())
}

fn kind_or_code(e: &tx_sdk::Error) -> String {
    e.code().map_or_else(|| e.kind().as_str().to_owned(), |c| c.to_string())
}

/// What tx did with the event, and the failure of an exchange.
async fn act(ctx: &Ctx<'_>, event: &PushEvent) -> Result<(&'static str, Option<tx_sdk::Error>), CliError> {
    Ok(match event {
        PushEvent::ComponentVerifyTicket { ticket, .. } => {
            let kept = ctx.wechat.tokens().ticket().await.map_err(sdk)?;
            if kept.is_some_and(|k| &k.value == ticket) {
                ("ticket_stored", None)
            } else {
                ("ticket_older_than_kept", None)
            }
        }
        PushEvent::Authorized(a) | PushEvent::UpdateAuthorized(a) => {
            match ctx.wechat.authorization().query_auth(a.authorization_code.clone()).await {
                Ok(_) => ("authorization_exchanged", None),
                Err(e) => ("authorization_not_exchanged", Some(e)),
            }
        }
        PushEvent::Unauthorized { .. } => ("tokens_purged", None),
        _ => ("none", None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_read_from_a_query_string_or_a_url() {
        let q = query("?timestamp=1&nonce=n%20x&encrypt_type=aes&msg_signature=abc&other=1");
        assert_eq!((q.timestamp.as_str(), q.nonce.as_str(), q.msg_signature.as_str()), ("1", "n x", "abc"));
        assert_eq!(q.encrypt_type.as_deref(), Some("aes"));
        let u = query("https://example.com/wechat/events?timestamp=2&nonce=m&msg_signature=def");
        assert_eq!((u.timestamp.as_str(), u.msg_signature.as_str()), ("2", "def"));
        assert_eq!(query("timestamp=3").timestamp, "3");
    }
}
