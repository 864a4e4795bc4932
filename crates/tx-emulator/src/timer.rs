//! A wall-clock timer for hyper, independent of the tokio runtime serving the requests.
//!
//! Tests pause and advance tokio time to drive expiries; a header-read timeout on that
//! clock would close idle keep-alive connections whenever a test jumps minutes ahead. So
//! hyper's timers run on a small runtime of their own (one thread, time only), whose
//! clock is never paused.

use hyper::rt::{Sleep, Timer};
use std::future::Future;
use std::pin::Pin;
use std::sync::LazyLock;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::runtime::Handle;

/// The runtime that drives the wall-clock timers; its thread lives as long as the process.
static WALL: LazyLock<Handle> = LazyLock::new(|| {
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("tx-emulator-timer".to_owned()).spawn(move || {
        match tokio::runtime::Builder::new_current_thread().enable_time().build() {
            Ok(rt) => {
                let _ = tx.send(Some(rt.handle().clone()));
                rt.block_on(std::future::pending::<()>());
            }
            Err(_) => {
                let _ = tx.send(None);
            }
        }
    });
    let handle = spawned.ok().and_then(|_| rx.recv().ok().flatten());
    // Without a thread of its own (resources exhausted), fall back to the caller's runtime.
    handle.unwrap_or_else(Handle::current)
});

/// hyper's [`Timer`] on the wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WallTimer;

struct WallSleep(Pin<Box<tokio::time::Sleep>>);

impl Future for WallSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.0.as_mut().poll(cx)
    }
}

impl Sleep for WallSleep {}

impl Timer for WallTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Sleep>> {
        self.sleep_until(Instant::now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Sleep>> {
        let _guard = WALL.enter();
        Box::pin(WallSleep(Box::pin(tokio::time::sleep_until(tokio::time::Instant::from_std(deadline)))))
    }

    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// Sleeps `duration` on the wall clock, whatever the calling runtime's clock does.
pub(crate) fn wall_sleep(duration: Duration) -> impl Future<Output = ()> {
    WallTimer.sleep(duration)
}
