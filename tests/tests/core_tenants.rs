//! tx-core's tenants against the emulator: one pipeline, two Ads accounts, each with its
//! own token, many concurrent calls, no cross-talk. The protocol here is a minimal Ads-like
//! one written for the test, so that what is tested is the engine, not a platform crate.

use async_trait::async_trait;
use futures_util::future::join_all;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tx_core::envelope::{EnvelopeError, ads};
use tx_core::pipeline::{AttemptRequest, Call, Pipeline, Protocol, RawResponse};
use tx_core::rate_limit::RateKey;
use tx_core::token::{Durable, Fetched, Token, TokenCache, TokenSource};
use tx_core::{Error, ErrorKind, Secret, Tenant, Verdict};
use tx_emulator::{AdsAccount, AdsApp, AdsMaterial, Emulator};

const CLIENT_ID: u64 = 1_110_000_000;
const ACCOUNT_A: u64 = 20_000_001;
const ACCOUNT_B: u64 = 20_000_002;

/// Hands out each account's token, counting fetches per account.
#[derive(Debug, Default)]
struct AccountTokens {
    fetches: Mutex<HashMap<String, u32>>,
}

#[async_trait]
impl TokenSource for AccountTokens {
    async fn fetch(&self, tenant: &Tenant, _refresh: Option<&Durable>) -> Result<Fetched, Error> {
        *self.fetches.lock().unwrap().entry(tenant.to_string()).or_default() += 1;
        tokio::time::sleep(Duration::from_millis(20)).await; // a slow token endpoint
        Ok(Token::new(format!("token-of-{tenant}"), 0, Duration::from_secs(u32::MAX.into())).into())
    }
}

#[derive(Debug)]
struct AdsLike {
    tokens: TokenCache,
}

#[async_trait]
impl Protocol for AdsLike {
    type Credential = Secret;

    fn platform(&self) -> &'static str {
        "ads-like"
    }

    fn rate_key(&self, call: &Call) -> RateKey {
        RateKey::new("ads-like", CLIENT_ID.to_string(), call.endpoint())
    }

    async fn authorize(&self, call: &Call, request: &mut AttemptRequest) -> Result<Secret, Error> {
        let token = self.tokens.token(call.tenant()).await?;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        request.secret_query("access_token", &token.value);
        request.query("timestamp", now.to_string());
        request.query("nonce", format!("{:032x}", NONCES.fetch_add(1, Ordering::SeqCst)));
        Ok(token.value)
    }

    async fn invalidate(&self, call: &Call, credential: Secret) {
        let _ = self.tokens.invalidate(call.tenant(), &credential).await;
    }

    fn decode<T: DeserializeOwned>(&self, _call: &Call, response: &RawResponse) -> Result<T, Error> {
        match ads::decode::<T>(&response.body) {
            Ok(data) => Ok(data),
            Err(EnvelopeError::Failure(f)) => Err(f.into_error(ErrorKind::Api)),
            Err(EnvelopeError::Decode(e)) => Err(Error::decode(e, &response.body)),
        }
    }

    fn classify(&self, _call: &Call, _error: &Error) -> Verdict {
        Verdict::Permanent
    }
}

/// Nonces only need to be unique.
static NONCES: AtomicU64 = AtomicU64::new(1);

fn watermarks_of(account: u64) -> Call {
    Call::get("v3.0/watermarks/get")
        .with_query("account_id", account.to_string())
        .with_query("page", "1")
        .with_query("page_size", "10")
        .with_tenant(Tenant::from(account))
}

async fn emulator() -> Emulator {
    let account =
        |id, token: &str| AdsAccount::new(id).client(CLIENT_ID).access_token(token).material(AdsMaterial::image("123"));
    Emulator::builder()
        .ads_app(AdsApp::new(CLIENT_ID, "client-secret"))
        .ads_account(account(ACCOUNT_A, "token-of-20000001"))
        .ads_account(account(ACCOUNT_B, "token-of-20000002"))
        .ads_quota_per_minute(None)
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn two_tenants_in_one_pipeline_keep_their_own_tokens_under_concurrency() {
    let emu = emulator().await;
    let source = Arc::new(AccountTokens::default());
    let tokens = TokenCache::builder("ads-like:1110000000", SharedSource(Arc::clone(&source))).build();
    let pipeline = Pipeline::builder(AdsLike { tokens }).base_url(emu.base_url().parse().unwrap()).build().unwrap();

    let calls = (0..200).map(|i| {
        let pipeline = pipeline.clone();
        let account = if i % 2 == 0 { ACCOUNT_A } else { ACCOUNT_B };
        tokio::spawn(async move { pipeline.send::<serde_json::Value>(&watermarks_of(account)).await })
    });
    for result in join_all(calls).await {
        result.unwrap().expect("every call carries its own account's token");
    }
    let fetches = source.fetches.lock().unwrap().clone();
    assert_eq!(fetches, HashMap::from([(ACCOUNT_A.to_string(), 1), (ACCOUNT_B.to_string(), 1)]));

    // The control: the emulator refuses one account's token for the other, so the calls
    // above could not have passed with their tokens swapped.
    let swapped = Call::get("v3.0/watermarks/get")
        .with_query("account_id", ACCOUNT_A.to_string())
        .with_query("page", "1")
        .with_query("page_size", "10")
        .with_tenant(Tenant::from(ACCOUNT_B));
    let e = pipeline.send::<serde_json::Value>(&swapped).await.unwrap_err();
    assert_eq!(e.code(), Some(12203), "{e}");
    emu.shutdown().await;
}

/// A source shared with the test, to read its counters.
#[derive(Debug)]
struct SharedSource(Arc<AccountTokens>);

#[async_trait]
impl TokenSource for SharedSource {
    async fn fetch(&self, tenant: &Tenant, refresh: Option<&Durable>) -> Result<Fetched, Error> {
        self.0.fetch(tenant, refresh).await
    }
}
