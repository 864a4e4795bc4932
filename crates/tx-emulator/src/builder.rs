//! Starting an emulator in-process: [`EmulatorBuilder`] and the [`Emulator`] handle.

use crate::faults::{FaultPlan, FaultPlanError, FaultState};
use crate::routes::router;
use crate::seed::{
    AdsAccount, AdsApp, AdsMaterial, Seed, SeedError, Settings, TimApp, WechatAuthorizer, WechatComponent,
};
use crate::server;
use crate::state::{Shared, lock};
use crate::stats::Stats;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tx_core::clock::{SharedClock, SystemClock};

/// Why an emulator did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The listener could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for (0 = any).
        port: u16,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The seed was refused.
    #[error(transparent)]
    Seed(#[from] SeedError),
}

/// Configures and starts an [`Emulator`]. See the crate docs for an example.
#[derive(Debug, Default)]
#[must_use]
pub struct EmulatorBuilder {
    seed: Seed,
    clock: Option<SharedClock>,
    port: u16,
}

impl EmulatorBuilder {
    /// Adds a TIM app.
    pub fn tim_app(mut self, app: TimApp) -> Self {
        self.seed.tim_apps.push(app);
        self
    }

    /// TIM calls per second per (SDKAppID, command); `None` turns the limit off.
    /// Default `Some(200)`.
    pub fn tim_rate_limit(mut self, limit: Option<u32>) -> Self {
        self.seed.settings.tim_rate_limit = Some(limit.unwrap_or(0));
        self
    }

    /// Spell `black_list_get`'s sequence `CurruentSequence` (EN/JP/KO docs).
    pub fn tim_legacy_sequence_spelling(mut self, on: bool) -> Self {
        self.seed.settings.tim_legacy_sequence_spelling = Some(on);
        self
    }

    /// Adds a WeChat third-party platform (component).
    pub fn wechat_component(mut self, component: WechatComponent) -> Self {
        self.seed.wechat_components.push(component);
        self
    }

    /// Adds a WeChat mini program (authorizer).
    pub fn wechat_authorizer(mut self, authorizer: WechatAuthorizer) -> Self {
        self.seed.wechat_authorizers.push(authorizer);
        self
    }

    /// Lifetime of WeChat access tokens (default 7200 s).
    pub fn wechat_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.seed.settings.wechat_token_lifetime_secs = Some(lifetime.as_secs());
        self
    }

    /// How long a replaced WeChat token keeps working (default 300 s).
    pub fn wechat_token_overlap(mut self, overlap: Duration) -> Self {
        self.seed.settings.wechat_token_overlap_secs = Some(overlap.as_secs());
        self
    }

    /// Adds a Tencent Ads app (OAuth client).
    pub fn ads_app(mut self, app: AdsApp) -> Self {
        self.seed.ads_apps.push(app);
        self
    }

    /// Adds a Tencent Ads account.
    pub fn ads_account(mut self, account: AdsAccount) -> Self {
        self.seed.ads_accounts.push(account);
        self
    }

    /// Adds materials to the library of Ads account `account_id` (created if not added yet).
    pub fn materials(mut self, account_id: u64, materials: impl IntoIterator<Item = AdsMaterial>) -> Self {
        let accounts = &mut self.seed.ads_accounts;
        let index = match accounts.iter().position(|a| a.account_id == account_id) {
            Some(i) => i,
            None => {
                accounts.push(AdsAccount::new(account_id));
                accounts.len() - 1
            }
        };
        accounts[index].materials.extend(materials);
        self
    }

    /// Ads calls per minute per (client_id, endpoint); `None` turns the quota off.
    /// Default `Some(1000)`.
    pub fn ads_quota_per_minute(mut self, limit: Option<u32>) -> Self {
        self.seed.settings.ads_quota_per_minute = Some(limit.unwrap_or(0));
        self
    }

    /// How long a watermark job stays `processing` (default 3 s, on tokio time).
    pub fn ads_watermark_delay(mut self, delay: Duration) -> Self {
        self.seed.settings.ads_watermark_delay_ms = Some(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX));
        self
    }

    /// Lifetime of Ads access tokens (default 86400 s).
    pub fn ads_access_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.seed.settings.ads_access_token_lifetime_secs = Some(lifetime.as_secs());
        self
    }

    /// How long an Ads endpoint stays barred for an app after its quota was exceeded
    /// (default 5 minutes).
    pub fn ads_quota_penalty(mut self, penalty: Duration) -> Self {
        self.seed.settings.ads_quota_penalty_secs = Some(penalty.as_secs());
        self
    }

    /// Whether `api_authorizer_token` rotates the refresh token (default false); the
    /// replaced one keeps working for the refresh overlap (300 s).
    pub fn wechat_rotate_refresh_token(mut self, rotate: bool) -> Self {
        self.seed.settings.wechat_rotate_refresh_token = Some(rotate);
        self
    }

    /// WeChat token fetches per day per (kind, appid), 45009 beyond; `None` = unlimited.
    /// Default `Some(2000)`.
    pub fn wechat_token_daily_quota(mut self, quota: Option<u32>) -> Self {
        self.seed.settings.wechat_token_daily_quota = Some(quota.unwrap_or(0));
        self
    }

    /// WeChat token fetches per minute per component, 45011 beyond; `None` (default) =
    /// unlimited.
    pub fn wechat_token_fetch_per_minute(mut self, limit: Option<u32>) -> Self {
        self.seed.settings.wechat_token_fetch_per_minute = Some(limit.unwrap_or(0));
        self
    }

    /// AMS calls per `window` per (authorizer, action), ret 1737 beyond; `None` (default)
    /// = unlimited.
    pub fn wechat_ams_rate_limit(mut self, limit: Option<u32>, window: Duration) -> Self {
        self.seed.settings.wechat_ams_rate_limit = Some(limit.unwrap_or(0));
        self.seed.settings.wechat_ams_rate_window_secs = Some(window.as_secs().max(1));
        self
    }

    /// The least time between two cover-ad toggles (default 1 h; ret 2008 sooner).
    pub fn wechat_cover_toggle_interval(mut self, interval: Duration) -> Self {
        self.seed.settings.wechat_cover_toggle_interval_secs = Some(interval.as_secs());
        self
    }

    /// The period of the ticket push to components with a `push_url` (default 600 s, on
    /// tokio time); `None` = no periodic push.
    pub fn wechat_push_interval(mut self, interval: Option<Duration>) -> Self {
        self.seed.settings.wechat_push_interval_secs = Some(interval.map_or(0, |d| d.as_secs().max(1)));
        self
    }

    /// How long a connection may take to send a request's headers, idle keep-alive
    /// connections included (default 30 s, wall clock); `None` = no limit. At most 10
    /// minutes.
    pub fn header_read_timeout(mut self, timeout: Option<Duration>) -> Self {
        let ms = timeout.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1));
        self.seed.settings.header_read_timeout_ms = Some(ms);
        self
    }

    /// Uses a fault plan.
    pub fn faults(mut self, plan: FaultPlan) -> Self {
        self.seed.faults = Some(plan);
        self
    }

    /// A fixed latency added to every platform reply (not to the control API); at most
    /// 10 minutes, or [`EmulatorBuilder::start`] refuses it.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.seed.settings.latency_ms = Some(u64::try_from(latency.as_millis()).unwrap_or(u64::MAX));
        self
    }

    /// The wall clock for UserSig, token and code expiry and Ads timestamps (default: the
    /// system clock). Rate limits and watermark delays run on tokio time instead.
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Adds everything in `seed` (lists appended; set settings and faults replace).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed.merge(seed);
        self
    }

    /// The port to listen on, on 127.0.0.1 (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Binds 127.0.0.1 and starts serving on the current tokio runtime.
    pub async fn start(self) -> Result<Emulator, StartError> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port))
            .await
            .map_err(|source| StartError::Bind { port: self.port, source })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind { port: self.port, source })?;
        let base_url = format!("http://{addr}");
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let shared = Arc::new(Shared::new(clock, self.seed)?);
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(crate::wechat::push::periodic(shared.clone(), stopped.clone()));
        let task = tokio::spawn(server::serve(listener, shared.clone(), router(shared.clone()), stopped));
        Ok(Emulator { addr, base_url, shared, stop, task: Some(task) })
    }
}

/// A running emulator. Dropping it stops accepting connections; [`Emulator::shutdown`]
/// also waits for open connections to finish.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    base_url: String,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// A builder with no apps, default settings, no faults.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// `http://127.0.0.1:PORT`, to use as every platform's endpoint.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The counters per endpoint.
    pub fn stats(&self) -> Stats {
        self.shared.stats.snapshot()
    }

    /// Zeroes the counters.
    pub fn clear_stats(&self) {
        self.shared.stats.clear();
    }

    /// Back to the starting seed (state, settings, faults, rate limits, counters).
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Adds a seed to the running state.
    pub fn seed(&self, seed: &Seed) -> Result<(), SeedError> {
        self.shared.apply(seed)
    }

    /// Replaces the fault plan; per-endpoint request counts restart.
    pub fn set_faults(&self, plan: FaultPlan) -> Result<(), FaultPlanError> {
        plan.validate()?;
        *lock(&self.shared.faults) = FaultState::new(plan);
        Ok(())
    }

    /// The settings in force.
    pub fn settings(&self) -> Settings {
        self.shared.settings()
    }

    /// The wall clock the emulator reads.
    pub fn clock(&self) -> SharedClock {
        self.shared.clock.clone()
    }

    /// A UserSig for `identifier` of TIM app `sdkappid`, valid for `lifetime` on the
    /// emulator's clock; `None` if no such app is seeded or `lifetime` is more than
    /// [`crate::control::MAX_USERSIG_LIFETIME`].
    pub fn usersig(&self, sdkappid: u32, identifier: &str, lifetime: Duration) -> Option<String> {
        if lifetime > crate::control::MAX_USERSIG_LIFETIME {
            return None;
        }
        let signer = lock(&self.shared.tim).apps.get(&sdkappid)?.signer.clone();
        signer.generate(identifier, lifetime).ok().map(|s| s.expose().to_owned())
    }

    /// Stops accepting, lets open connections finish their current request, and waits.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
