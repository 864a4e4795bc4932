//! Many accounts in one client: OAuth codes (single use, 5 minutes), tokens cached and
//! refreshed per account, refresh tokens kept and extended, static and external tokens,
//! 11000 and the bad-token codes.

mod common;

use common::*;
use futures_util::future::join_all;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tencent_ads::{ErrorCode, WarningText, WatermarksGetRequest};
use tx_core::token::{Credentials, MemoryTokenStore, Token, TokenStore};
use tx_core::{Error, ErrorKind, Secret, Tenant, async_trait};
use tx_emulator::{Fault, FaultPlan};

const DAY: u64 = 86_400;

fn key(account: i64) -> String {
    format!("ads:token:{CLIENT_ID}:{account}")
}

async fn get(ads: &tencent_ads::Client, account: i64) -> Result<(), Error> {
    ads.watermarks().page(&WatermarksGetRequest::new(account)).await.map(|_| ())
}

#[tokio::test]
async fn two_accounts_in_one_client_concurrently_without_token_cross_talk() {
    let (emu, clock) = start().await;
    let store = Arc::new(MemoryTokenStore::new());
    let ads = bare(&emu, &clock).token_store(store.clone()).build().unwrap();
    let (code_a, code_b) = (authorization_code(&ads, A).await, authorization_code(&ads, B).await);
    let (auth_a, auth_b) =
        tokio::join!(ads.oauth().exchange_code(code_a, REDIRECT), ads.oauth().exchange_code(code_b, REDIRECT));
    let (auth_a, auth_b) = (auth_a.unwrap(), auth_b.unwrap());
    assert_eq!((auth_a.account_id, auth_b.account_id), (A, B));
    assert_ne!(auth_a.access_token, auth_b.access_token);
    assert_eq!(auth_a.authorizer_info.account_id, Some(A));
    assert_eq!(auth_a.access_token_expires_at, T0 + DAY);
    assert_eq!(auth_a.refresh_token_expires_at, Some(T0 + 30 * DAY));

    // Interleaved calls for both accounts. The emulator binds tokens to their accounts
    // (12203 for another's), so one success per call means each carried its own.
    let calls = (0..40).map(|i| {
        let ads = ads.clone();
        async move {
            let account = if i % 2 == 0 { A } else { B };
            if i % 4 < 2 {
                ads.watermarks().add(account, ["123", "456"], [WarningText::LOAN_RISK]).await.map(|r| r.len())
            } else {
                get(&ads, account).await.map(|()| 0)
            }
        }
    });
    let results = join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert!(emu.stats().endpoint(ADD).errors.is_empty() && emu.stats().endpoint(GET).errors.is_empty());
    assert_eq!(requests(&emu, TOKEN), 2, "no token was fetched beyond the two exchanges");

    // A refresh of A leaves B's token alone.
    let b_before = store.access(&key(B)).await.unwrap().unwrap().value;
    assert_eq!(b_before, auth_b.access_token);
    ads.oauth().refresh(A).await.unwrap();
    let a_after = store.access(&key(A)).await.unwrap().unwrap().value;
    assert_ne!(a_after, auth_a.access_token);
    assert_eq!(store.access(&key(B)).await.unwrap().unwrap().value, b_before);
    get(&ads, A).await.unwrap();
    get(&ads, B).await.unwrap();
}

#[tokio::test]
async fn tokens_are_fetched_once_per_account_however_many_calls_wait() {
    let (emu, clock) = start().await;
    let ads = bare(&emu, &clock).build().unwrap();
    ads.oauth().set_refresh_token(A, REFRESH_A, None).await.unwrap();
    ads.oauth().set_refresh_token(B, REFRESH_B, None).await.unwrap();
    let results = join_all((0..30).map(|i| get(&ads, if i % 3 == 0 { B } else { A }))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(requests(&emu, TOKEN), 2, "one refresh per account");
    let status = ads.oauth().status(A).await.unwrap();
    assert_eq!(status.access_token_expires_at, Some(T0 + DAY));
    assert!(status.has_refresh_token);
}

#[tokio::test]
async fn an_authorization_code_works_once() {
    let (emu, clock) = start().await;
    let ads = bare(&emu, &clock).build().unwrap();
    let code = authorization_code(&ads, A).await;
    ads.oauth().exchange_code(code.clone(), REDIRECT).await.unwrap();
    let e = ads.oauth().exchange_code(code, REDIRECT).await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.attempts()), (ErrorKind::Auth, Some(11013), 1));
    assert!(ErrorCode::from(11013).needs_reauthorization());
    assert!(e.message().contains("authorize the app again"), "{e}");
    assert_eq!(requests(&emu, TOKEN), 2);
    // A different redirect_uri than the authorize URL's is refused too.
    let code = authorization_code(&ads, A).await;
    let e = ads.oauth().exchange_code(code, "https://example.com/other").await.unwrap_err();
    assert_eq!(e.code(), Some(18001));
}

#[tokio::test]
async fn an_authorization_code_expires_after_five_minutes() {
    let (emu, clock) = start().await;
    let ads = bare(&emu, &clock).build().unwrap();
    let code = authorization_code(&ads, A).await;
    clock.advance(301);
    let e = ads.oauth().exchange_code(code, REDIRECT).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Auth, Some(11009)));
    let code = authorization_code(&ads, B).await;
    clock.advance(299);
    assert_eq!(ads.oauth().exchange_code(code, REDIRECT).await.unwrap().account_id, B);
}

#[tokio::test]
async fn a_refresh_keeps_the_refresh_token_and_moves_its_expiry_forward() {
    let (emu, clock) = start().await;
    let store = Arc::new(MemoryTokenStore::new());
    let ads = bare(&emu, &clock).token_store(store.clone()).build().unwrap();
    let auth = ads.oauth().exchange_code(authorization_code(&ads, A).await, REDIRECT).await.unwrap();
    let refresh = auth.refresh_token.clone().unwrap();
    assert_eq!(store.durable(&key(A)).await.unwrap().unwrap().expires_at, Some(T0 + 30 * DAY));

    clock.advance(20 * DAY);
    let status = ads.oauth().refresh(A).await.unwrap();
    assert_eq!(status.refresh_token_expires_at, Some(T0 + 50 * DAY));
    assert_eq!(status.access_token_expires_at, Some(T0 + 21 * DAY));
    let kept = store.durable(&key(A)).await.unwrap().unwrap();
    assert_eq!(kept.value, refresh, "the refresh token itself is unchanged");

    // 40 days after the exchange the first 30 days are over, but the refresh restarted them.
    clock.advance(20 * DAY);
    get(&ads, A).await.unwrap();
    assert_eq!(ads.oauth().status(A).await.unwrap().refresh_token_expires_at, Some(T0 + 70 * DAY));
    assert_eq!(requests(&emu, TOKEN), 3, "the exchange, the explicit refresh, the refresh on expiry");

    // Unused for more than 30 days: the account must authorize again.
    clock.advance(31 * DAY);
    let e = get(&ads, A).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Auth, Some(11012)));
    assert_eq!(requests(&emu, GET), 1, "no call went out without a token");
}

#[tokio::test]
async fn access_tokens_are_refreshed_ahead_of_expiry() {
    let (emu, clock) = start().await;
    let ads = bare(&emu, &clock).build().unwrap();
    ads.oauth().exchange_code(authorization_code(&ads, A).await, REDIRECT).await.unwrap();
    clock.advance(DAY - 10);
    get(&ads, A).await.unwrap();
    assert_eq!(requests(&emu, TOKEN), 2, "a token with 10 s left is not used");
    assert_eq!(ads.oauth().status(A).await.unwrap().access_token_expires_at, Some(T0 + 2 * DAY - 10));
}

#[tokio::test]
async fn an_expired_token_is_refreshed_and_the_call_retried_once() {
    let (b, clock) = emulator();
    let emu = b.faults(FaultPlan::seeded(1).script(GET, [Fault::Code(11000)])).start().await.unwrap();
    let ads = bare(&emu, &clock).build().unwrap();
    ads.oauth().set_refresh_token(A, REFRESH_A, None).await.unwrap();
    get(&ads, A).await.unwrap();
    assert_eq!((requests(&emu, GET), requests(&emu, TOKEN)), (2, 2));

    // Twice: one refresh, one retry, then the error.
    let (b, clock) = emulator();
    let emu =
        b.faults(FaultPlan::seeded(1).script(GET, [Fault::Code(11000), Fault::Code(11000)])).start().await.unwrap();
    let ads = bare(&emu, &clock).build().unwrap();
    ads.oauth().set_refresh_token(A, REFRESH_A, None).await.unwrap();
    let e = get(&ads, A).await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.attempts()), (ErrorKind::Auth, Some(11000), 2));
    assert_eq!((requests(&emu, GET), requests(&emu, TOKEN)), (2, 2));
}

#[tokio::test]
async fn bad_token_codes_are_never_retried() {
    let codes = [11002, 11004, 11005, 11007, 11014];
    let (b, clock) = emulator();
    let emu = b.faults(FaultPlan::seeded(1).script(GET, codes.map(Fault::Code))).start().await.unwrap();
    let ads = bare(&emu, &clock).build().unwrap();
    ads.oauth().set_refresh_token(A, REFRESH_A, None).await.unwrap();
    for code in codes {
        let e = get(&ads, A).await.unwrap_err();
        assert_eq!((e.kind(), e.code(), e.attempts()), (ErrorKind::Auth, Some(code), 1), "{e}");
        assert!(ErrorCode::from(code).is_ban_risk() && !e.is_retryable());
        assert!(e.message().contains("IP banned"), "{e}");
    }
    assert_eq!(requests(&emu, GET), codes.len() as u64);
    assert_eq!(requests(&emu, TOKEN), 1, "no refresh after a refused token");

    // A token the service does not know, for real.
    let ads = bare(&emu, &clock).access_token(A, "not-a-token-0000").build().unwrap();
    let e = get(&ads, A).await.unwrap_err();
    assert_eq!((e.code(), e.attempts()), (Some(11002), 1));
}

#[tokio::test]
async fn a_private_apps_token_serves_every_account_and_static_tokens_one_each() {
    let (emu, clock) = start().await;
    let ads = bare(&emu, &clock).private_token(PRIVATE).build().unwrap();
    get(&ads, A).await.unwrap();
    get(&ads, B).await.unwrap();
    let ads = bare(&emu, &clock).access_token(A, TOKEN_A).build().unwrap();
    get(&ads, A).await.unwrap();
    // B has no token of its own and none stored: refused before any request.
    let e = get(&ads, B).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert!(e.request_not_sent() && e.message().contains("authorization"), "{e}");
    // A's token used for B: the service refuses it for that account.
    let ads = bare(&emu, &clock).access_token(B, TOKEN_A).build().unwrap();
    assert_eq!(get(&ads, B).await.unwrap_err().code(), Some(12203));
    assert_eq!(requests(&emu, TOKEN), 0);
}

/// A token service of the caller's, recording what it was told.
#[derive(Debug, Default)]
struct Central {
    rejected: Mutex<Vec<(String, String)>>,
}

#[async_trait]
impl Credentials for Central {
    async fn token(&self, tenant: &Tenant) -> Result<Token, Error> {
        let token = if tenant.as_str() == A.to_string() { TOKEN_A } else { TOKEN_B };
        Ok(Token { value: Secret::new(token), expires_at: u64::MAX })
    }

    async fn invalidate(&self, tenant: &Tenant, failed: &Secret) {
        self.rejected.lock().unwrap().push((tenant.to_string(), failed.expose().to_owned()));
    }
}

#[tokio::test]
async fn externally_managed_tokens() {
    let (b, clock) = emulator();
    let emu = b.faults(FaultPlan::seeded(1).script(GET, [Fault::Code(11000)])).start().await.unwrap();
    let central = Arc::new(Central::default());
    let ads = bare(&emu, &clock).credentials(central.clone()).build().unwrap();
    get(&ads, A).await.unwrap();
    get(&ads, B).await.unwrap();
    assert_eq!(*central.rejected.lock().unwrap(), [(A.to_string(), TOKEN_A.to_owned())]);
    assert_eq!(requests(&emu, GET), 3);
    let e = ads.oauth().set_refresh_token(A, "r", None).await.unwrap_err();
    assert_eq!(e.field(), Some("credentials"));
}

#[tokio::test]
async fn tokens_set_by_hand_and_forgotten() {
    let (emu, clock) = start().await;
    let ads = bare(&emu, &clock).build().unwrap();
    ads.oauth().set_access_token(A, TOKEN_A, Duration::from_secs(3600)).await.unwrap();
    get(&ads, A).await.unwrap();
    assert_eq!(ads.oauth().status(A).await.unwrap().access_token_expires_at, Some(T0 + 3600));
    ads.oauth().forget(A).await.unwrap();
    assert_eq!(ads.oauth().status(A).await.unwrap(), Default::default());
    assert_eq!(get(&ads, A).await.unwrap_err().kind(), ErrorKind::Auth);
    assert_eq!(
        ads.oauth().set_access_token(A, " ", Duration::from_secs(1)).await.unwrap_err().field(),
        Some("access_token")
    );
    assert_eq!(ads.oauth().refresh(A).await.unwrap_err().kind(), ErrorKind::Auth);
    assert_eq!(requests(&emu, TOKEN), 0);
}

#[tokio::test]
async fn the_authorize_url() {
    let (emu, clock) = start().await;
    let ads = bare(&emu, &clock).build().unwrap();
    let url = ads
        .oauth()
        .authorize_url(REDIRECT)
        .state("s&1")
        .scope(["ads_management", "ads_insights"])
        .account_type(tencent_ads::AccountType::Wechat)
        .build()
        .unwrap();
    assert_eq!(url.path(), "/oauth/authorize");
    let q: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        q,
        [
            ("client_id", "1110000001"),
            ("redirect_uri", REDIRECT),
            ("state", "s&1"),
            ("scope", "ads_management,ads_insights"),
            ("account_type", "ACCOUNT_TYPE_WECHAT"),
        ]
    );
    for bad in ["https://example.com:8443/cb", "ftp://example.com/cb", "example.com/cb"] {
        assert_eq!(ads.oauth().authorize_url(bad).build().unwrap_err().field(), Some("redirect_uri"), "{bad}");
    }
}
