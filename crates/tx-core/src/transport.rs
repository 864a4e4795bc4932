//! The HTTP client every call shares: rustls, pooled connections, timeouts.

use crate::error::{Error, ErrorKind};
use std::time::Duration;

/// Settings of the shared HTTP client.
///
/// ```
/// use std::time::Duration;
/// let client = tx_core::HttpConfig::default()
///     .connect_timeout(Duration::from_secs(3))
///     .request_timeout(Duration::from_secs(10))
///     .build()?;
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    connect_timeout: Duration,
    request_timeout: Option<Duration>,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
    user_agent: String,
}

impl Default for HttpConfig {
    /// 5 s to connect, 30 s per request, idle connections kept 90 s.
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Some(Duration::from_secs(30)),
            pool_idle_timeout: Duration::from_secs(90),
            pool_max_idle_per_host: 64,
            user_agent: concat!("tx/", env!("CARGO_PKG_VERSION"), " (+https://github.com/tx-rs/tx)").to_owned(),
        }
    }
}

impl HttpConfig {
    /// Time allowed to establish a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one request, from sending to the end of the body.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// No per-request timeout; only the retry policy's deadline bounds a call.
    pub fn no_request_timeout(mut self) -> Self {
        self.request_timeout = None;
        self
    }

    /// How long an idle pooled connection is kept.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// How many idle connections per host are kept.
    pub fn pool_max_idle_per_host(mut self, n: usize) -> Self {
        self.pool_max_idle_per_host = n;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Builds a client. Clone the result to share its connection pool.
    pub fn build(&self) -> Result<reqwest::Client, Error> {
        let mut builder = reqwest::Client::builder();
        if let Some(timeout) = self.request_timeout {
            builder = builder.timeout(timeout);
        }
        builder
            .connect_timeout(self.connect_timeout)
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .tcp_nodelay(true)
            // The platforms never redirect an API call; following one would carry the
            // credentials in the query (UserSig, access_token) to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(self.user_agent.clone())
            .build()
            .map_err(|e| Error::other(ErrorKind::Transport, "cannot build the HTTP client", e.without_url()))
    }
}
