//! TIM: blocklist additions as CSV pairs, owners interleaved so that every window of the
//! bulk runner sends many small requests.

use crate::job::Job;
use async_trait::async_trait;
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use tx_emulator::{Emulator, EmulatorBuilder, TimApp};
use tx_tests::{ADMIN, APP, KEY};

/// Targets per owner: well under the blocklist's cap of 1000.
const TARGETS: usize = 100;

pub struct Tim {
    owners: usize,
}

impl Tim {
    /// About `ops` pair additions.
    pub fn new(ops: usize) -> Tim {
        Tim { owners: ops.div_ceil(TARGETS).max(1) }
    }

    fn owner(i: usize) -> String {
        format!("o{i}")
    }

    fn target(j: usize) -> String {
        format!("t{j}")
    }
}

#[async_trait]
impl Job for Tim {
    fn name(&self) -> &'static str {
        "tim"
    }

    fn seed(&self, emulator: EmulatorBuilder) -> EmulatorBuilder {
        let accounts = (0..self.owners).map(Tim::owner).chain((0..TARGETS).map(Tim::target));
        emulator.tim_app(TimApp::new(APP, KEY).admin(ADMIN).accounts(accounts))
    }

    fn write_input(&self, path: &Path) -> Vec<String> {
        let mut keys = Vec::with_capacity(self.owners * TARGETS);
        // Target-major order: consecutive lines have different owners.
        for j in 0..TARGETS {
            for i in 0..self.owners {
                keys.push(format!("{},{}", Tim::owner(i), Tim::target(j)));
            }
        }
        let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("the input file"));
        writeln!(out, "From_Account,To_Account").unwrap();
        for k in &keys {
            writeln!(out, "{k}").unwrap();
        }
        keys
    }

    fn args(&self, input: &Path, remaining: &Path) -> Vec<String> {
        let input = input.display().to_string();
        let remaining = remaining.display().to_string();
        ["tim", "--json", "blocklist", "add", "--pairs", &input, "--remaining", &remaining].map(String::from).to_vec()
    }

    fn env(&self, emulator: &Emulator) -> Vec<(String, String)> {
        [
            ("TIM_SDK_APP_ID", APP.to_string()),
            ("TIM_SECRET_KEY", KEY.to_owned()),
            ("TIM_ADMIN", ADMIN.to_owned()),
            ("TIM_ENDPOINT", emulator.base_url().to_owned()),
            ("TIM_REQUEST_TIMEOUT", "1s".to_owned()),
            ("TIM_MAX_ATTEMPTS", "8".to_owned()),
        ]
        .map(|(k, v)| (k.to_owned(), v))
        .to_vec()
    }

    fn key(&self, record: &Value) -> String {
        format!("{},{}", record["from"].as_str().unwrap(), record["to"].as_str().unwrap())
    }

    async fn applied(&self, emulator: &Emulator) -> BTreeSet<String> {
        use futures_util::TryStreamExt;
        let tim = tim_sns::Client::builder()
            .sdk_app_id(APP)
            .secret_key(KEY)
            .admin(ADMIN)
            .endpoint(emulator.base_url())
            .build()
            .expect("a client");
        let mut applied = BTreeSet::new();
        for i in 0..self.owners {
            let owner = Tim::owner(i);
            let entries: Vec<_> = tim.blocklist().list(&owner).try_collect().await.expect("a fault-free read");
            applied.extend(entries.into_iter().map(|e| format!("{owner},{}", e.account)));
        }
        applied
    }
}
