//! WeChat: a category black list ensured across a fleet of mini programs, every one of
//! which starts out different from the policy, so each needs its read and its write.

use crate::job::Job;
use async_trait::async_trait;
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use tx_emulator::{Emulator, EmulatorBuilder, WechatAuthorizer, WechatComponent};
use wechat_ams::{AmsCategory, CategorySet};

const COMPONENT: &str = "wxc0c0c0c0c0c0c0c0";
const SECRET: &str = "soak-component-secret-0123456789";
const TICKET: &str = "ticket@@@soak-0123456789";
const POLICY: &str = "CHESS|LOAN";

pub struct Wechat {
    authorizers: usize,
}

impl Wechat {
    pub fn new(ops: usize) -> Wechat {
        Wechat { authorizers: ops.max(1) }
    }

    fn appid(i: usize) -> String {
        format!("wxa{i:015x}")
    }
}

#[async_trait]
impl Job for Wechat {
    fn name(&self) -> &'static str {
        "wechat"
    }

    fn seed(&self, mut emulator: EmulatorBuilder) -> EmulatorBuilder {
        emulator = emulator
            .wechat_component(WechatComponent::new(COMPONENT, SECRET, TICKET))
            .wechat_token_daily_quota(None)
            .wechat_token_fetch_per_minute(None);
        for i in 0..self.authorizers {
            let authorizer = WechatAuthorizer::new(Wechat::appid(i))
                .component(COMPONENT)
                .refresh_token(format!("refreshtoken@@@soak-{i}"))
                .ams_category("GAME");
            emulator = emulator.wechat_authorizer(authorizer);
        }
        emulator
    }

    fn write_input(&self, path: &Path) -> Vec<String> {
        let keys: Vec<String> = (0..self.authorizers).map(Wechat::appid).collect();
        let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("the input file"));
        for k in &keys {
            writeln!(out, "{k}").unwrap();
        }
        keys
    }

    fn args(&self, input: &Path, remaining: &Path) -> Vec<String> {
        let (input, remaining) = (input.display().to_string(), remaining.display().to_string());
        [
            "wechat",
            "--json",
            "ams",
            "category",
            "ensure",
            "--categories",
            POLICY,
            "--appids",
            &input,
            "--remaining",
            &remaining,
        ]
        .map(String::from)
        .to_vec()
    }

    fn env(&self, emulator: &Emulator) -> Vec<(String, String)> {
        [
            ("WECHAT_ENDPOINT", emulator.base_url().to_owned()),
            ("WECHAT_COMPONENT_APPID", COMPONENT.to_owned()),
            ("WECHAT_COMPONENT_SECRET", SECRET.to_owned()),
            ("WECHAT_COMPONENT_VERIFY_TICKET", TICKET.to_owned()),
            ("WECHAT_REQUEST_TIMEOUT", "1s".to_owned()),
            ("WECHAT_MAX_ATTEMPTS", "8".to_owned()),
        ]
        .map(|(k, v)| (k.to_owned(), v))
        .to_vec()
    }

    fn key(&self, record: &Value) -> String {
        record["authorizer_appid"].as_str().unwrap_or_default().to_owned()
    }

    async fn applied(&self, emulator: &Emulator) -> BTreeSet<String> {
        let wechat = wechat_ams::Client::builder()
            .component_appid(COMPONENT)
            .component_secret(SECRET)
            .component_verify_ticket(TICKET)
            .endpoint(emulator.base_url())
            .build()
            .expect("a client");
        wechat.tokens().recover_refresh_tokens().await.expect("the authorizers' refresh tokens");
        let policy: CategorySet = [AmsCategory::Chess, AmsCategory::Loan].into_iter().collect();
        let mut applied = BTreeSet::new();
        for i in 0..self.authorizers {
            let appid = Wechat::appid(i);
            let now = wechat.ams(&appid).category_blacklist().get().await.expect("a fault-free read");
            if now == policy {
                applied.insert(appid);
            }
        }
        applied
    }
}
