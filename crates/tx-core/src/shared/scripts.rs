//! The Lua scripts that make each change atomic in Redis (in `scripts/`, one job each).

use redis::Script;
use std::sync::LazyLock;

macro_rules! script {
    ($name:ident, $file:literal) => {
        pub(crate) static $name: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!($file)));
    };
}

script!(PUT_ACCESS, "scripts/put_access.lua");
script!(REMOVE_ACCESS_IF, "scripts/remove_access_if.lua");
script!(PUT_DURABLE, "scripts/put_durable.lua");
script!(LOCK_ACQUIRE, "scripts/lock_acquire.lua");
script!(LOCK_RENEW, "scripts/lock_renew.lua");
script!(LOCK_RELEASE, "scripts/lock_release.lua");
script!(PUT_IF_HELD, "scripts/put_if_held.lua");
script!(RATE_TAKE, "scripts/rate_take.lua");
script!(RATE_HOLD, "scripts/rate_hold.lua");
script!(RATE_HELD, "scripts/rate_held.lua");
