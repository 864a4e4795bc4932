//! A separate process for the tests of state shared between processes: one WeChat client
//! (shared state on Redis unless `--redis` is left out) making concurrent calls for one
//! mini program.
//!
//! ```text
//! shared-worker --endpoint URL --component APPID --secret S --ticket T --appid A
//!               --calls N [--redis URL] [--refresh-token R]
//! ```
//!
//! Prints `ready` once the client is built (and the refresh token, if given, stored),
//! waits for a line on stdin so that several workers start together, makes the calls all
//! at once, then prints one JSON line `{"ok":…,"failed":…,"errors":[…]}` and exits 0 if
//! every call succeeded, 1 if not, 2 on bad arguments or a client that does not build.

use futures_util::future::join_all;
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("shared-worker: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
    match runtime.expect("a tokio runtime").block_on(run(args)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("shared-worker: {e}");
            ExitCode::from(2)
        }
    }
}

fn parse(args: impl Iterator<Item = String>) -> Result<HashMap<String, String>, String> {
    let mut parsed = HashMap::new();
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        let name = flag.strip_prefix("--").ok_or_else(|| format!("unexpected argument {flag:?}"))?;
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        parsed.insert(name.to_owned(), value);
    }
    for required in ["endpoint", "component", "secret", "ticket", "appid", "calls"] {
        if !parsed.contains_key(required) {
            return Err(format!("--{required} is required"));
        }
    }
    Ok(parsed)
}

async fn run(args: HashMap<String, String>) -> Result<bool, tx_core::Error> {
    let mut builder = wechat_ams::Client::builder()
        .component_appid(&args["component"])
        .component_secret(args["secret"].as_str())
        .component_verify_ticket(args["ticket"].as_str())
        .endpoint(&args["endpoint"]);
    if let Some(url) = args.get("redis") {
        builder = builder.shared_state(url);
    }
    let wechat = builder.build()?;
    let appid = args["appid"].clone();
    if let Some(refresh) = args.get("refresh-token") {
        wechat.tokens().put_refresh_token(&appid, refresh.as_str()).await?;
    }
    let calls: usize = args["calls"].parse().map_err(|_| tx_core::Error::invalid_input("--calls", "not a number"))?;

    println!("ready");
    std::io::stdout().flush().ok();
    let mut go = String::new();
    std::io::stdin().lock().read_line(&mut go).ok();

    let start = Arc::new(tokio::sync::Barrier::new(calls));
    let tasks = (0..calls).map(|_| {
        let (wechat, appid, start) = (wechat.clone(), appid.clone(), Arc::clone(&start));
        tokio::spawn(async move {
            start.wait().await;
            wechat.ams(&appid).category_blacklist().get().await.map(drop)
        })
    });
    let results: Vec<_> = join_all(tasks.collect::<Vec<_>>()).await.into_iter().map(|r| r.expect("no panic")).collect();
    let errors: Vec<String> = results.iter().filter_map(|r| r.as_ref().err()).map(ToString::to_string).collect();
    let summary = serde_json::json!({
        "ok": results.len() - errors.len(),
        "failed": errors.len(),
        "errors": errors.iter().take(5).collect::<Vec<_>>(),
    });
    println!("{summary}");
    Ok(errors.is_empty())
}
