//! The emulator's shared state: worlds of the three platforms, settings, faults, counters.

use crate::ads::state::AdsWorld;
use crate::faults::FaultState;
use crate::ratelimit::FixedWindow;
use crate::seed::{Seed, SeedError, Settings};
use crate::stats::StatsRecorder;
use crate::tim::state::TimWorld;
use crate::wechat::state::WechatWorld;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock};
use std::time::Duration;
use tx_core::clock::SharedClock;

#[derive(Debug)]
pub(crate) struct Shared {
    pub clock: SharedClock,
    settings: RwLock<Settings>,
    /// The seed the emulator started with, for `reset`.
    initial: Seed,
    pub tim: Mutex<TimWorld>,
    pub wechat: Mutex<WechatWorld>,
    pub ads: Mutex<AdsWorld>,
    pub faults: Mutex<FaultState>,
    pub stats: StatsRecorder,
    pub tim_limiter: Mutex<FixedWindow<(u32, &'static str)>>,
    pub ads_limiter: Mutex<FixedWindow<(u64, String)>>,
    /// Token fetches per minute per component.
    pub wechat_fetch_limiter: Mutex<FixedWindow<String>>,
    /// AMS calls per (authorizer, action) in the configured window.
    pub wechat_ams_limiter: Mutex<FixedWindow<(String, &'static str)>>,
    /// Wakes the periodic ticket push when a seed may have added a push URL.
    pub push_targets_changed: tokio::sync::Notify,
    /// A counter for tokens, trace ids and record ids; never reset, so a token minted
    /// before a reset is never minted again.
    serial: AtomicU64,
}

/// Locks a mutex, ignoring poisoning (a panicked handler leaves consistent-enough state
/// for a test server).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub fn new(clock: SharedClock, initial: Seed) -> Result<Shared, SeedError> {
        let shared = Shared {
            clock,
            settings: RwLock::new(Settings::default()),
            initial: Seed::default(),
            tim: Mutex::default(),
            wechat: Mutex::default(),
            ads: Mutex::default(),
            faults: Mutex::default(),
            stats: StatsRecorder::default(),
            tim_limiter: Mutex::new(FixedWindow::new(Duration::from_secs(1))),
            ads_limiter: Mutex::new(FixedWindow::new(Duration::from_secs(60))),
            wechat_fetch_limiter: Mutex::new(FixedWindow::new(Duration::from_secs(60))),
            wechat_ams_limiter: Mutex::new(FixedWindow::new(Duration::from_secs(60))),
            push_targets_changed: tokio::sync::Notify::new(),
            serial: AtomicU64::new(1),
        };
        shared.apply(&initial)?;
        Ok(Shared { initial, ..shared })
    }

    pub fn settings(&self) -> Settings {
        *self.settings.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn next_serial(&self) -> u64 {
        self.serial.fetch_add(1, Ordering::Relaxed)
    }

    /// Adds a seed on top of the current state.
    pub fn apply(&self, seed: &Seed) -> Result<(), SeedError> {
        if let Some(plan) = &seed.faults {
            plan.validate()?;
        }
        seed.settings.validate()?;
        let settings = {
            let mut s = self.settings.write().unwrap_or_else(|e| e.into_inner());
            seed.settings.apply(&mut s);
            *s
        };
        let now = self.clock.unix_now();
        lock(&self.tim).apply(&seed.tim_apps, &self.clock, now);
        lock(&self.wechat)
            .apply(&seed.wechat_components, &seed.wechat_authorizers, now, &settings, || self.next_serial());
        lock(&self.ads).apply(&seed.ads_apps, &seed.ads_accounts, now, &settings);
        if let Some(plan) = &seed.faults {
            *lock(&self.faults) = FaultState::new(plan.clone());
        }
        self.push_targets_changed.notify_one();
        Ok(())
    }

    /// Back to the starting seed: state, settings, fault counters, rate limits and
    /// statistics.
    pub fn reset(&self) {
        *self.settings.write().unwrap_or_else(|e| e.into_inner()) = Settings::default();
        *lock(&self.tim) = TimWorld::default();
        *lock(&self.wechat) = WechatWorld::default();
        *lock(&self.ads) = AdsWorld::default();
        *lock(&self.faults) = FaultState::default();
        lock(&self.tim_limiter).clear();
        lock(&self.ads_limiter).clear();
        lock(&self.wechat_fetch_limiter).clear();
        lock(&self.wechat_ams_limiter).clear();
        self.stats.clear();
        // The starting seed was valid when the emulator started.
        let _ = self.apply(&self.initial);
    }
}
