//! The connection to Redis: opened and checked once, then one multiplexed connection that
//! reconnects by itself, and a loop that waits out an outage for as long as the caller may
//! wait.

use crate::error::{Error, ErrorKind};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{FromRedisValue, RedisError, RetryMethod, Script};
use std::future::Future;
use std::time::Duration;
use tokio::sync::OnceCell;
use tokio::time::Instant;

/// How long one connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// How long Redis may take to answer one command or script.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);
/// The first and the longest pause between two tries while Redis is out of reach.
const FIRST_PAUSE: Duration = Duration::from_millis(20);
const LONGEST_PAUSE: Duration = Duration::from_millis(500);

/// One Redis server: its client, the shared connection (made on first use) and its URL
/// with any password hidden.
pub(crate) struct Connection {
    client: redis::Client,
    manager: OnceCell<ConnectionManager>,
    shown: String,
}

impl Connection {
    /// Parses `url` (`redis://[[user]:password@]host[:port][/db]`); `field` names the
    /// setting in errors. Nothing is sent.
    pub fn open(field: &str, url: &str) -> Result<Connection, Error> {
        crate::client::mask_password(url);
        let shown = shown_url(url);
        let client = redis::Client::open(url).map_err(|e| {
            Error::invalid_input(field.to_owned(), format_args!("{shown} is not a Redis URL ({})", e.category()))
        })?;
        Ok(Connection { client, manager: OnceCell::new(), shown })
    }

    /// The URL with its password, if any, replaced by `***`.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Checks, blocking for at most a second or two, that Redis answers a PING.
    pub fn check_blocking(&self, field: &str) -> Result<(), Error> {
        let ping = || -> Result<(), RedisError> {
            let mut con = self.client.get_connection_with_timeout(CONNECT_TIMEOUT)?;
            con.set_read_timeout(Some(RESPONSE_TIMEOUT))?;
            con.set_write_timeout(Some(RESPONSE_TIMEOUT))?;
            redis::cmd("PING").query::<String>(&mut con).map(drop)
        };
        ping().map_err(|e| self.unreachable_at_start(field, &e))
    }

    /// Checks that Redis answers a PING, connecting the shared connection.
    pub async fn check(&self, field: &str) -> Result<(), Error> {
        let ping = async {
            let mut con = self.manager().await?;
            redis::cmd("PING").query_async::<String>(&mut con).await.map(drop)
        };
        ping.await.map_err(|e| self.unreachable_at_start(field, &e))
    }

    fn unreachable_at_start(&self, field: &str, e: &RedisError) -> Error {
        Error::invalid_input(
            field.to_owned(),
            format_args!("{}: Redis does not answer ({e}); start it, or correct the URL", self.shown),
        )
        .with_not_sent()
    }

    async fn manager(&self) -> Result<ConnectionManager, RedisError> {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            // This module waits out outages itself, within each caller's deadline.
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(10))
            .set_max_delay(Duration::from_millis(100));
        let manager = self.manager.get_or_try_init(|| ConnectionManager::new_with_config(self.client.clone(), config));
        manager.await.cloned()
    }

    /// Runs `script` with `keys` and `args`, waiting up to `within` for Redis.
    pub async fn script<T: FromRedisValue>(
        &self,
        what: &str,
        within: Duration,
        script: &Script,
        keys: &[&str],
        args: &[&str],
    ) -> Result<T, Error> {
        self.run(what, within, |mut con| async move {
            let mut call = script.prepare_invoke();
            for key in keys {
                call.key(*key);
            }
            for arg in args {
                call.arg(*arg);
            }
            call.invoke_async(&mut con).await
        })
        .await
    }

    /// Runs `command`, waiting up to `within` for Redis.
    pub async fn command<T: FromRedisValue>(
        &self,
        what: &str,
        within: Duration,
        command: &redis::Cmd,
    ) -> Result<T, Error> {
        self.run(what, within, |mut con| async move { command.query_async(&mut con).await }).await
    }

    /// Runs `op` until it succeeds, fails for good, or Redis stayed out of reach for
    /// `within`. The shared connection reconnects by itself after an error; this paces
    /// the tries.
    async fn run<T, F, Fut>(&self, what: &str, within: Duration, op: F) -> Result<T, Error>
    where
        F: Fn(ConnectionManager) -> Fut,
        Fut: Future<Output = Result<T, RedisError>>,
    {
        let start = Instant::now();
        let give_up = start.checked_add(within).unwrap_or_else(|| start + Duration::from_secs(86_400 * 365));
        let mut pause = FIRST_PAUSE;
        let mut out_of_reach = false;
        loop {
            let outcome = match self.manager().await {
                Ok(con) => op(con).await,
                Err(e) => Err(e),
            };
            let e = match outcome {
                Ok(value) => {
                    if out_of_reach {
                        tracing::info!(redis = %self.shown, waited = ?start.elapsed(), "Redis is back");
                    }
                    return Ok(value);
                }
                Err(e) => e,
            };
            let now = Instant::now();
            if matches!(e.retry_method(), RetryMethod::NoRetry) {
                return Err(Error::other(
                    ErrorKind::Transport,
                    format!("{}: Redis refused to {what}: {e}", self.shown),
                    e,
                ));
            }
            // Give up before the caller's deadline rather than at it, so that the caller
            // learns why (its own timeout would only say that time ran out).
            if now + pause >= give_up {
                let message =
                    format!("{}: Redis was out of reach for {within:?} and could not {what}: {e}", self.shown);
                return Err(Error::other(ErrorKind::Transport, message, e));
            }
            if !out_of_reach {
                tracing::warn!(redis = %self.shown, error = %e, "Redis is out of reach; waiting for it to come back");
                out_of_reach = true;
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(LONGEST_PAUSE);
        }
    }
}

/// `url` with its password replaced by `***` (a URL that does not parse is shown as a
/// placeholder: it may hold a password in a place we cannot find).
pub(crate) fn shown_url(url: &str) -> String {
    match url::Url::parse(url.trim()) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "(an unparsable URL)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(shown_url("redis://:hunter2@127.0.0.1:6390/0"), "redis://:***@127.0.0.1:6390/0");
        assert_eq!(shown_url("redis://app:hunter2@cache:6379"), "redis://app:***@cache:6379");
        assert_eq!(shown_url("redis://127.0.0.1:6379/"), "redis://127.0.0.1:6379/");
        assert_eq!(shown_url("no url :hunter2@"), "(an unparsable URL)");
    }

    #[test]
    fn a_bad_url_is_refused_with_its_field_and_no_password() {
        let e = Connection::open("TX_REDIS_URL", "http://:hunter2@host/").err().expect("not a Redis URL");
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("TX_REDIS_URL")));
        assert!(!e.to_string().contains("hunter2"), "{e}");
        assert!(e.to_string().contains("http://:***@host/"), "{e}");
    }

    #[test]
    fn nothing_listening_is_a_configuration_error_at_start() {
        // Port 1 on loopback: nothing listens there.
        let redis = Connection::open("--redis", "redis://:hunter2@127.0.0.1:1/").unwrap();
        let e = redis.check_blocking("--redis").unwrap_err();
        assert_eq!((e.kind(), e.field(), e.request_not_sent()), (ErrorKind::InvalidInput, Some("--redis"), true));
        let shown = e.to_string();
        assert!(shown.contains("redis://:***@127.0.0.1:1/") && shown.contains("Redis does not answer"), "{shown}");
        assert!(!shown.contains("hunter2") && !format!("{e:?}").contains("hunter2"), "{e:?}");
    }
}
