//! `cargo xtask features`: the umbrella crate builds with each platform feature alone, and
//! then pulls in nothing of the other platforms.

use crate::process;

const PLATFORMS: [(&str, &str); 3] = [("tim", "tim-sns"), ("wechat", "wechat-ams"), ("ads", "tencent-ads")];

pub fn run() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    for (feature, own_crate) in PLATFORMS {
        process::cargo(&["check", "-q", "-p", "tx-sdk", "--no-default-features", "--features", feature])?;
        let tree = normal_dependencies(&cargo, feature)?;
        let crates: Vec<&str> = tree.iter().map(String::as_str).collect();
        if !crates.contains(&own_crate) {
            return Err(format!("tx-sdk with feature {feature} does not depend on {own_crate}"));
        }
        for (_, other) in PLATFORMS.iter().filter(|(f, _)| *f != feature) {
            if crates.contains(other) {
                return Err(format!("tx-sdk with only feature {feature} still compiles {other}"));
            }
        }
        eprintln!("features: tx-sdk --features {feature} builds and depends on {own_crate} alone");
    }
    process::cargo(&["check", "-q", "-p", "tx-sdk", "--no-default-features"])?;
    eprintln!("features: tx-sdk without features builds (tx-core only)");
    redis(&cargo)
}

/// The `redis` feature builds with a platform, and only it brings in the `redis` crate.
fn redis(cargo: &str) -> Result<(), String> {
    process::cargo(&["check", "-q", "-p", "tx-sdk", "--no-default-features", "--features", "tim,redis"])?;
    for (features, wanted) in [("tim,redis", true), ("tim,wechat,ads", false)] {
        let tree = normal_dependencies(cargo, features)?;
        let has_redis = tree.iter().any(|c| c == "redis");
        if has_redis != wanted {
            return Err(format!(
                "tx-sdk with features {features} {} the redis crate",
                if wanted { "lacks" } else { "pulls in" }
            ));
        }
    }
    eprintln!(
        "features: tx-sdk --features tim,redis builds with the redis crate, which the platforms alone do not pull in"
    );
    Ok(())
}

/// The crates tx-sdk compiles with only `features` (normal dependencies, each once).
fn normal_dependencies(cargo: &str, features: &str) -> Result<Vec<String>, String> {
    let args = ["tree", "-q", "-p", "tx-sdk", "--no-default-features", "--features", features];
    let tree = process::output(cargo, &[&args[..], &["-e", "normal", "--prefix", "none"]].concat())?;
    Ok(tree.lines().filter_map(|l| l.split_whitespace().next()).map(String::from).collect())
}
