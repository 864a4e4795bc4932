//! The soak's fault plan: 20% of requests to every endpoint misbehave, in every way the
//! emulator can, spread so that each kind is a few percent.

use std::time::Duration;
use tx_emulator::{Fault, FaultPlan};

/// Longer than the request timeout the jobs set (1 s): the reply comes too late.
pub const SLOW: Duration = Duration::from_millis(1500);

/// A plan injecting faults into `share` of all requests (0.2 for the soak).
pub fn plan(seed: u64, share: f64) -> FaultPlan {
    // Weights out of 20: gateway errors, lost connections before and after applying,
    // replies past the deadline, busy answers, and each platform's retryable codes and
    // token expiry.
    let all: [(Fault, f64); 7] = [
        (Fault::Http(502), 2.0),
        (Fault::Http(503), 2.0),
        (Fault::Drop, 3.0),
        (Fault::AppliedDrop, 3.0),
        (Fault::AppliedHttp(502), 3.0),
        (Fault::Slow(SLOW), 2.0),
        (Fault::Busy, 2.0),
    ];
    let per_platform: [(&str, Fault, f64); 6] = [
        ("tim", Fault::ItemCode(30006), 2.0),
        ("tim", Fault::Code(70001), 1.0),
        ("wechat", Fault::Code(-202), 2.0),
        ("wechat", Fault::Code(42001), 1.0),
        ("ads", Fault::Code(66045), 2.0),
        ("ads", Fault::Code(11000), 1.0),
    ];
    let unit = share / 20.0;
    let mut plan = FaultPlan::seeded(seed);
    for (target, fault, weight) in per_platform {
        plan = plan.rate(target, fault, weight * unit);
    }
    for (fault, weight) in all {
        plan = plan.rate("*", fault, weight * unit);
    }
    plan
}
