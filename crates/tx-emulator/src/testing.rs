//! Helpers for tests of clients against the emulator.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tx_core::RetryPolicy;
use tx_core::retry::Jitter;

/// Retries with short, exact backoff (2 ms doubling to 20 ms, no jitter) and no deadline:
/// a retried call in a test takes milliseconds and always the same ones.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .with_jitter(Jitter::None)
        .with_backoff(Duration::from_millis(2), Duration::from_millis(20))
        .without_deadline()
}

/// Two multi-threaded runtimes of 2 workers each, `(emulator, client)`: a benchmark runs
/// the emulator on its own threads, as a separate server process would, and the client
/// on the other.
pub fn bench_runtimes() -> (tokio::runtime::Runtime, tokio::runtime::Runtime) {
    let runtime = |name: &str| {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(2).thread_name(name).enable_all().build().expect("a tokio runtime")
    };
    (runtime("emulator"), runtime("client"))
}

/// Every log line of the process at every level, without ANSI codes, kept in memory: to
/// check that no secret reaches a log.
///
/// tracing caches per call site whether a subscriber is interested, for the whole
/// process, so install it in a test binary of its own with a single test.
///
/// ```
/// let logs = tx_emulator::testing::LogCapture::install();
/// tracing::info!(user = "alice", "hello");
/// assert!(logs.text().contains("hello"));
/// ```
#[derive(Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<u8>>>);

impl LogCapture {
    /// Installs the capture as the process's global subscriber.
    ///
    /// # Panics
    /// If a global subscriber is installed already.
    pub fn install() -> LogCapture {
        let capture = LogCapture::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no global subscriber yet");
        capture
    }

    /// What was logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl std::fmt::Debug for LogCapture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bytes = self.0.lock().map(|b| b.len()).unwrap_or(0);
        f.debug_struct("LogCapture").field("bytes", &bytes).finish()
    }
}

impl Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
