//! Deterministic fault injection.
//!
//! A [`FaultPlan`] holds a seed, fault *rates* (a probability per target) and *scripts*
//! (an exact sequence of outcomes for the first requests to one endpoint).
//!
//! How a request's fault is chosen: each endpoint counts its requests from 0 in arrival
//! order. Request number `n` to endpoint `e` first consults the script for `e`: if the
//! script has an `n`-th step, that step decides (a fault, or [`Step::Pass`]). Otherwise a
//! number `u` in `[0, 1)` is computed from `(seed, e, n)` alone, and the rates that apply to
//! `e` are walked in order: those naming the endpoint, then those naming its platform, then
//! those for all endpoints, each in the order they were added; the first rate whose running
//! sum of probabilities exceeds `u` injects its fault. So the n-th request to an endpoint
//! gets the same outcome in every run with the same seed, whatever other endpoints see.
//!
//! Ambiguous replies: [`Fault::AppliedDrop`] and [`Fault::AppliedHttp`] let the request
//! change the state first and then lose or spoil the reply, so a client can be tested on
//! what it does when it cannot know whether its call took effect.

use crate::endpoint::{Endpoint, Platform};
use crate::ids;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::time::Duration;

/// One injected misbehaviour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "FaultWire", into = "FaultWire")]
pub enum Fault {
    /// Answer with this HTTP status (e.g. 502, 503) and a short plain-text body, as a
    /// gateway would.
    Http(u16),
    /// Close the TCP connection without sending any response.
    Drop,
    /// Wait this long, then answer normally.
    Slow(Duration),
    /// Answer with this platform error code in the platform's envelope, without touching
    /// state: TIM `ErrorCode` (e.g. 30006, 30007, 60007); WeChat `errcode` for gateway
    /// codes (-1 and 40000 and up) or AMS `ret` otherwise (e.g. -202, 1737); Ads `code`
    /// (e.g. 66045).
    Code(i64),
    /// TIM batch endpoints only: the request is processed, except that its **last** item
    /// fails with this `ResultCode` (e.g. 30006, 30007) and is listed in `Fail_Account`, as
    /// in the official `black_list_check` sample. On a non-batch endpoint it acts as
    /// [`Fault::Code`].
    ItemCode(i64),
    /// The platform's generic retryable "busy" code: TIM 30006, WeChat errcode -1,
    /// Ads 66045.
    Busy,
    /// Apply the request (its state change happens), then close the connection without
    /// answering: a lost reply.
    AppliedDrop,
    /// Apply the request, then answer this HTTP status (500..=599) with a gateway page
    /// instead of the real answer.
    AppliedHttp(u16),
}

/// The longest [`Fault::Slow`] delay a plan may hold (10 minutes).
pub const MAX_SLOW: Duration = Duration::from_secs(600);

impl Fault {
    /// A short label for counters: `http_502`, `drop`, `slow`, `code_30006`,
    /// `item_code_30007`, `busy`.
    pub fn label(&self) -> String {
        match self {
            Fault::Http(s) => format!("http_{s}"),
            Fault::Drop => "drop".to_owned(),
            Fault::Slow(_) => "slow".to_owned(),
            Fault::Code(c) => format!("code_{c}"),
            Fault::ItemCode(c) => format!("item_code_{c}"),
            Fault::Busy => "busy".to_owned(),
            Fault::AppliedDrop => "applied_drop".to_owned(),
            Fault::AppliedHttp(s) => format!("applied_http_{s}"),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum FaultWire {
    Http(u16),
    Drop,
    SlowMs(u64),
    Code(i64),
    ItemCode(i64),
    Busy,
    AppliedDrop,
    AppliedHttp(u16),
}

impl From<FaultWire> for Fault {
    fn from(w: FaultWire) -> Self {
        match w {
            FaultWire::Http(s) => Fault::Http(s),
            FaultWire::Drop => Fault::Drop,
            FaultWire::SlowMs(ms) => Fault::Slow(Duration::from_millis(ms)),
            FaultWire::Code(c) => Fault::Code(c),
            FaultWire::ItemCode(c) => Fault::ItemCode(c),
            FaultWire::Busy => Fault::Busy,
            FaultWire::AppliedDrop => Fault::AppliedDrop,
            FaultWire::AppliedHttp(s) => Fault::AppliedHttp(s),
        }
    }
}

impl From<Fault> for FaultWire {
    fn from(f: Fault) -> Self {
        match f {
            Fault::Http(s) => FaultWire::Http(s),
            Fault::Drop => FaultWire::Drop,
            Fault::Slow(d) => FaultWire::SlowMs(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            Fault::Code(c) => FaultWire::Code(c),
            Fault::ItemCode(c) => FaultWire::ItemCode(c),
            Fault::Busy => FaultWire::Busy,
            Fault::AppliedDrop => FaultWire::AppliedDrop,
            Fault::AppliedHttp(s) => FaultWire::AppliedHttp(s),
        }
    }
}

/// One step of a scripted sequence: a fault, or a normal answer.
///
/// On the wire (seed file, control API): `"pass"` or a fault, e.g. `{"http": 503}`,
/// `"drop"`, `{"slow_ms": 2000}`, `{"code": 30006}`, `{"item_code": 30007}`, `"busy"`,
/// `"applied_drop"`, `{"applied_http": 503}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "StepWire", into = "StepWire")]
pub enum Step {
    /// Answer normally.
    Pass,
    /// Inject this fault.
    Fault(Fault),
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum StepWire {
    Pass(PassTag),
    Fault(Fault),
}

#[derive(Serialize, Deserialize)]
enum PassTag {
    #[serde(rename = "pass")]
    Pass,
}

impl From<StepWire> for Step {
    fn from(w: StepWire) -> Self {
        match w {
            StepWire::Pass(_) => Step::Pass,
            StepWire::Fault(f) => Step::Fault(f),
        }
    }
}

impl From<Step> for StepWire {
    fn from(s: Step) -> Self {
        match s {
            Step::Pass => StepWire::Pass(PassTag::Pass),
            Step::Fault(f) => StepWire::Fault(f),
        }
    }
}

impl Step {
    fn fault(&self) -> Option<&Fault> {
        match self {
            Step::Pass => None,
            Step::Fault(f) => Some(f),
        }
    }
}

impl From<Fault> for Step {
    fn from(f: Fault) -> Self {
        Step::Fault(f)
    }
}

impl From<Option<Fault>> for Step {
    fn from(f: Option<Fault>) -> Self {
        f.map_or(Step::Pass, Step::Fault)
    }
}

/// What a fault rate applies to.
///
/// As a string (seed file, control API, `From<&str>`): `"*"` = every endpoint;
/// `"tim"`, `"wechat"`, `"ads"` = every endpoint of that platform; anything else is an
/// endpoint identifier (see [`crate::endpoint`]), a leading `/` being ignored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Target {
    /// Every endpoint.
    All,
    /// Every endpoint of one platform.
    Platform(Platform),
    /// One endpoint.
    Endpoint(String),
}

impl From<&str> for Target {
    fn from(s: &str) -> Self {
        match s {
            "*" => Target::All,
            other => match Platform::parse(other) {
                Some(p) => Target::Platform(p),
                None => Target::Endpoint(other.trim_start_matches('/').to_owned()),
            },
        }
    }
}

impl From<String> for Target {
    fn from(s: String) -> Self {
        Target::from(s.as_str())
    }
}

impl From<Platform> for Target {
    fn from(p: Platform) -> Self {
        Target::Platform(p)
    }
}

impl From<Target> for String {
    fn from(t: Target) -> Self {
        t.to_string()
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::All => f.write_str("*"),
            Target::Platform(p) => f.write_str(p.as_str()),
            Target::Endpoint(e) => f.write_str(e),
        }
    }
}

/// A fault injected at a probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRate {
    /// Where it applies.
    pub target: Target,
    /// What is injected.
    pub fault: Fault,
    /// The probability per request, 0.0 to 1.0.
    pub probability: f64,
}

/// A deterministic fault plan: see the module docs for how a request's fault is chosen.
///
/// ```
/// use tx_emulator::{Fault, FaultPlan, Step};
/// let plan = FaultPlan::seeded(42)
///     .rate("*", Fault::Http(503), 0.05)
///     .rate("v4/sns/black_list_add", Fault::Code(30006), 0.1)
///     .script("v3.0/watermarks/add", [Fault::Drop.into(), Step::Pass, Fault::Code(66045).into()]);
/// assert!(plan.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FaultPlan {
    /// The seed every rate decision derives from.
    #[serde(default)]
    pub seed: u64,
    /// Fault rates, in the order they were added.
    #[serde(default)]
    pub rates: Vec<FaultRate>,
    /// Scripted outcomes of the first requests, per endpoint identifier.
    #[serde(default)]
    pub scripts: BTreeMap<String, Vec<Step>>,
}

/// Why a fault plan was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FaultPlanError {
    /// A probability outside `[0, 1]` or not finite.
    #[error("fault rate for {target} has probability {probability}, outside 0..=1")]
    Probability {
        /// The rate's target.
        target: String,
        /// The probability given.
        probability: f64,
    },
    /// An HTTP fault whose status is not an error status (400..=599; 500..=599 for
    /// [`Fault::AppliedHttp`]).
    #[error("HTTP fault status {0} is not an error status (400..=599; applied_http: 500..=599)")]
    Status(u16),
    /// A [`Fault::Slow`] delay longer than [`MAX_SLOW`].
    #[error("slow fault of {0} ms is longer than the 600000 ms allowed")]
    Slow(u128),
}

impl FaultPlan {
    /// An empty plan whose rate decisions derive from `seed`.
    pub fn seeded(seed: u64) -> Self {
        FaultPlan { seed, ..FaultPlan::default() }
    }

    /// Injects `fault` into requests matching `target` with `probability`.
    pub fn rate(mut self, target: impl Into<Target>, fault: Fault, probability: f64) -> Self {
        self.rates.push(FaultRate { target: target.into(), fault, probability });
        self
    }

    /// Scripts the outcomes of the first requests to `endpoint`, one step per request.
    pub fn script<S: Into<Step>>(mut self, endpoint: impl Into<String>, steps: impl IntoIterator<Item = S>) -> Self {
        let endpoint = endpoint.into().trim_start_matches('/').to_owned();
        self.scripts.entry(endpoint).or_default().extend(steps.into_iter().map(Into::into));
        self
    }

    /// Checks probabilities and statuses.
    pub fn validate(&self) -> Result<(), FaultPlanError> {
        let faults = self.rates.iter().map(|r| &r.fault).chain(self.scripts.values().flatten().filter_map(Step::fault));
        for fault in faults {
            match fault {
                Fault::Http(s) if !(400..=599).contains(s) => return Err(FaultPlanError::Status(*s)),
                Fault::AppliedHttp(s) if !(500..=599).contains(s) => return Err(FaultPlanError::Status(*s)),
                Fault::Slow(d) if *d > MAX_SLOW => return Err(FaultPlanError::Slow(d.as_millis())),
                _ => {}
            }
        }
        for r in &self.rates {
            if !r.probability.is_finite() || !(0.0..=1.0).contains(&r.probability) {
                return Err(FaultPlanError::Probability { target: r.target.to_string(), probability: r.probability });
            }
        }
        Ok(())
    }
}

/// The most endpoints whose requests are counted one by one; requests to further
/// endpoints (unknown paths an outsider makes up) share one counter, so memory stays
/// bounded.
pub(crate) const MAX_COUNTED_ENDPOINTS: usize = 1024;
const OTHER: &str = "(other)";

/// A plan with its per-endpoint request counters.
#[derive(Debug, Default)]
pub(crate) struct FaultState {
    plan: FaultPlan,
    counters: HashMap<String, u64>,
}

impl FaultState {
    pub fn new(plan: FaultPlan) -> Self {
        FaultState { plan, counters: HashMap::new() }
    }

    pub fn plan(&self) -> &FaultPlan {
        &self.plan
    }

    /// Decides the outcome of the next request to `endpoint`.
    pub fn decide(&mut self, endpoint: &Endpoint) -> Option<Fault> {
        if self.plan.rates.is_empty() && self.plan.scripts.is_empty() {
            return None;
        }
        let key = if self.counters.contains_key(&endpoint.id) || self.counters.len() < MAX_COUNTED_ENDPOINTS {
            endpoint.id.as_str()
        } else {
            OTHER
        };
        let counter = match self.counters.get_mut(key) {
            Some(c) => c,
            None => self.counters.entry(key.to_owned()).or_insert(0),
        };
        let n = *counter;
        *counter += 1;
        if let Some(step) = self.plan.scripts.get(&endpoint.id).and_then(|s| s.get(n as usize)) {
            return step.fault().cloned();
        }
        let u = ids::unit(self.plan.seed, ids::fnv1a(endpoint.id.as_bytes()), n);
        let by_endpoint =
            self.plan.rates.iter().filter(|r| matches!(&r.target, Target::Endpoint(e) if *e == endpoint.id));
        let by_platform = self.plan.rates.iter().filter(|r| r.target == Target::Platform(endpoint.platform));
        let by_all = self.plan.rates.iter().filter(|r| r.target == Target::All);
        let mut sum = 0.0;
        for rate in by_endpoint.chain(by_platform).chain(by_all) {
            sum += rate.probability;
            if u < sum {
                return Some(rate.fault.clone());
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(id: &str) -> Endpoint {
        Endpoint::classify(&format!("/{id}"), None).unwrap()
    }

    #[test]
    fn scripts_run_first_then_rates() {
        let plan = FaultPlan::seeded(1)
            .script("v4/sns/black_list_add", [Fault::Http(502).into(), Step::Pass, Fault::Drop.into()])
            .rate("v4/sns/black_list_add", Fault::Busy, 1.0);
        let mut st = FaultState::new(plan);
        let e = ep("v4/sns/black_list_add");
        assert_eq!(st.decide(&e), Some(Fault::Http(502)));
        assert_eq!(st.decide(&e), None);
        assert_eq!(st.decide(&e), Some(Fault::Drop));
        assert_eq!(st.decide(&e), Some(Fault::Busy));
        assert_eq!(st.decide(&ep("v4/sns/black_list_get")), None);
    }

    #[test]
    fn rates_are_deterministic_and_close_to_the_probability() {
        let plan = FaultPlan::seeded(42).rate("tim", Fault::Http(503), 0.25);
        let run = |plan: &FaultPlan| {
            let mut st = FaultState::new(plan.clone());
            let e = ep("v4/sns/friend_get");
            (0..4000).map(|_| st.decide(&e).is_some()).collect::<Vec<_>>()
        };
        let a = run(&plan);
        assert_eq!(a, run(&plan));
        let hits = a.iter().filter(|h| **h).count();
        assert!((800..1200).contains(&hits), "{hits}");
        assert_ne!(a, run(&FaultPlan::seeded(43).rate("tim", Fault::Http(503), 0.25)));
    }

    #[test]
    fn wire_forms() {
        let plan = FaultPlan::seeded(7).rate("*", Fault::Slow(Duration::from_millis(1500)), 0.5).script(
            "wxa/operationams?action=agency_get_black_list",
            [Step::Pass, Fault::Code(-202).into(), Fault::ItemCode(30007).into()],
        );
        let json = serde_json::to_value(&plan).unwrap();
        assert_eq!(json["rates"][0]["target"], "*");
        assert_eq!(json["rates"][0]["fault"]["slow_ms"], 1500);
        assert_eq!(
            json["scripts"]["wxa/operationams?action=agency_get_black_list"],
            serde_json::json!(["pass", {"code": -202}, {"item_code": 30007}])
        );
        let back: FaultPlan = serde_json::from_value(json).unwrap();
        assert_eq!(back, plan);
        let steps: Vec<Step> =
            serde_json::from_str(r#"["drop","busy",{"http":503},"pass","applied_drop",{"applied_http":502}]"#).unwrap();
        assert_eq!(
            steps,
            vec![
                Fault::Drop.into(),
                Fault::Busy.into(),
                Fault::Http(503).into(),
                Step::Pass,
                Fault::AppliedDrop.into(),
                Fault::AppliedHttp(502).into()
            ]
        );
    }

    #[test]
    fn counters_are_bounded() {
        let mut st = FaultState::new(FaultPlan::seeded(1).rate("*", Fault::Busy, 0.5));
        for i in 0..(MAX_COUNTED_ENDPOINTS + 500) {
            st.decide(&ep(&format!("v4/sns/made_up_{i}")));
        }
        assert_eq!(st.counters.len(), MAX_COUNTED_ENDPOINTS + 1);
    }

    #[test]
    fn validation() {
        assert!(FaultPlan::seeded(0).rate("*", Fault::Slow(MAX_SLOW), 0.5).validate().is_ok());
        assert_eq!(
            FaultPlan::seeded(0).rate("*", Fault::Slow(Duration::from_millis(u64::MAX)), 0.5).validate(),
            Err(FaultPlanError::Slow(u128::from(u64::MAX)))
        );
        assert_eq!(
            FaultPlan::seeded(0).script("oauth/token", [Fault::AppliedHttp(404)]).validate(),
            Err(FaultPlanError::Status(404))
        );
        assert!(FaultPlan::seeded(0).script("oauth/token", [Fault::AppliedHttp(503)]).validate().is_ok());
        assert!(FaultPlan::seeded(0).rate("*", Fault::Drop, 1.5).validate().is_err());
        assert!(FaultPlan::seeded(0).rate("*", Fault::Drop, f64::NAN).validate().is_err());
        assert_eq!(
            FaultPlan::seeded(0).script("oauth/token", [Fault::Http(200)]).validate(),
            Err(FaultPlanError::Status(200))
        );
    }
}
