//! Ads: warning text added to every image of one advertiser account, on a token got by
//! the OAuth code exchange (so injected token expiry makes `tx` refresh it).

use crate::job::Job;
use async_trait::async_trait;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use tx_emulator::{AdsAccount, AdsApp, AdsMaterial, Emulator, EmulatorBuilder};

const CLIENT_ID: u64 = 1_110_000_777;
const SECRET: &str = "soak-ads-client-secret-0123";
const REDIRECT: &str = "https://soak.example.com/callback";
/// A second, private app whose static token reads every account afterwards.
const READER: u64 = 1_110_000_778;
const READER_TOKEN: &str = "soak-ads-reader-token-0123";

pub struct Ads {
    account: u64,
    materials: usize,
}

impl Ads {
    /// Account `20_000_000 + n` with `materials` images.
    pub fn new(n: u64, materials: usize) -> Ads {
        Ads { account: 20_000_000 + n, materials: materials.max(1) }
    }

    fn material(&self, i: usize) -> String {
        format!("{}{i:06}", self.account)
    }

    /// Adds the apps the Ads jobs share.
    pub fn seed_apps(emulator: EmulatorBuilder, accounts: impl IntoIterator<Item = u64>) -> EmulatorBuilder {
        emulator
            .ads_app(AdsApp::new(CLIENT_ID, SECRET).redirect_uri(REDIRECT))
            .ads_app(AdsApp::new(READER, "soak-reader-secret").private_token(READER_TOKEN, accounts))
            .ads_quota_per_minute(None)
    }
}

#[async_trait]
impl Job for Ads {
    fn name(&self) -> &'static str {
        "ads"
    }

    fn seed(&self, emulator: EmulatorBuilder) -> EmulatorBuilder {
        let account = (0..self.materials).fold(AdsAccount::new(self.account).client(CLIENT_ID), |a, i| {
            a.material(AdsMaterial::image(self.material(i)))
        });
        emulator.ads_account(account)
    }

    fn write_input(&self, path: &Path) -> Vec<String> {
        let keys: Vec<String> = (0..self.materials).map(|i| self.material(i)).collect();
        let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("the input file"));
        for k in &keys {
            writeln!(out, "{k}").unwrap();
        }
        keys
    }

    fn args(&self, input: &Path, remaining: &Path) -> Vec<String> {
        let (input, remaining) = (input.display().to_string(), remaining.display().to_string());
        let account = self.account.to_string();
        [
            "ads",
            "--json",
            "watermark",
            "add",
            "--account",
            &account,
            "--preset",
            "loan-risk",
            "--from-file",
            &input,
            "--remaining",
            &remaining,
        ]
        .map(String::from)
        .to_vec()
    }

    fn env(&self, emulator: &Emulator) -> Vec<(String, String)> {
        [
            ("ADS_ENDPOINT", emulator.base_url().to_owned()),
            ("ADS_CLIENT_ID", CLIENT_ID.to_string()),
            ("ADS_CLIENT_SECRET", SECRET.to_owned()),
            ("ADS_REQUEST_TIMEOUT", "1s".to_owned()),
            ("ADS_MAX_ATTEMPTS", "8".to_owned()),
        ]
        .map(|(k, v)| (k.to_owned(), v))
        .to_vec()
    }

    /// The authorization code of the consent page, exchanged by `tx ads oauth exchange`.
    async fn prepare(&self, emulator: &Emulator) -> Vec<Vec<String>> {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let mut page = url::Url::parse(emulator.base_url()).unwrap().join("oauth/authorize").unwrap();
        page.query_pairs_mut()
            .append_pair("client_id", &CLIENT_ID.to_string())
            .append_pair("redirect_uri", REDIRECT)
            .append_pair("account_id", &self.account.to_string());
        let response = http.get(page).send().await.expect("the consent page answers");
        let callback = response.headers()["location"].to_str().expect("a callback URL").to_owned();
        vec![["ads", "--json", "oauth", "exchange", "--redirect-uri", REDIRECT, &callback].map(String::from).to_vec()]
    }

    fn key(&self, record: &Value) -> String {
        record["material_id"].as_str().unwrap_or_default().to_owned()
    }

    /// Materials with a record that is not failed. Several records of one material (a
    /// repeat the service deduplicated) must share one result, or the material counts
    /// as applied twice: it is left out, which the tally reports as wrong.
    async fn applied(&self, emulator: &Emulator) -> BTreeSet<String> {
        use futures_util::TryStreamExt;
        let ads = tencent_ads::Client::builder()
            .client_id(READER)
            .client_secret("soak-reader-secret")
            .private_token(READER_TOKEN)
            .endpoint(emulator.base_url())
            .build()
            .expect("a client");
        let records: Vec<_> =
            ads.watermarks().list(self.account as i64).try_collect().await.expect("a fault-free read");
        let mut results: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
        for r in records.into_iter().filter(|r| r.status != tencent_ads::WatermarkStatus::Failed) {
            if let Some(m) = r.original_material_id {
                results.entry(m).or_default().insert(r.result_material_id);
            }
        }
        results.into_iter().filter(|(_, r)| r.len() == 1).map(|(m, _)| m).collect()
    }
}
