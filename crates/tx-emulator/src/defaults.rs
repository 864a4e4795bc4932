//! What a bare emulator (the binary or `tx emulator` without a seed file) starts with, so
//! the README's and the CLI's examples work as they are. `SEED.md` lists it for people.

use crate::seed::{AdsAccount, AdsApp, AdsMaterial, Seed, TimApp, WechatAdUnit, WechatAuthorizer, WechatComponent};

/// The demo TIM app.
pub const TIM_SDKAPPID: u32 = 1_400_000_000;
/// Its secret key.
pub const TIM_KEY: &str = "tx-emulator-demo-key";
/// Its admin.
pub const TIM_ADMIN: &str = "administrator";
/// The demo WeChat component (third-party platform).
pub const WECHAT_COMPONENT: &str = "wxc000000000000001";
/// Its `component_appsecret`.
pub const WECHAT_SECRET: &str = "tx-emulator-demo-component-secret";
/// Its message-check token.
pub const WECHAT_TOKEN: &str = "tx-emulator-demo-token";
/// Its `EncodingAESKey`.
pub const WECHAT_AES_KEY: &str = "txEmulatorDemoEncodingAESKey0123456789abcde";
/// Its starting `component_verify_ticket`.
pub const WECHAT_TICKET: &str = "ticket@@@tx-emulator-demo";
/// The demo Ads app.
pub const ADS_CLIENT_ID: u64 = 1_110_000_000;
/// Its `client_secret`.
pub const ADS_SECRET: &str = "tx-emulator-demo-client-secret";
/// Its private static token, valid for every demo account and never expiring.
pub const ADS_PRIVATE_TOKEN: &str = "tx-emulator-demo-ads-token";
/// The demo advertiser accounts and the agency account.
pub const ADS_ACCOUNTS: [u64; 3] = [20_000_001, 20_000_002, 10_000_001];

/// The md5 the official `watermarks/add` sample shows for materials 123 and 456.
const SAMPLE_MD5: &str = "8c471927c56a2095aa9374a287b62d80";

fn image(id: &str, name: &str) -> AdsMaterial {
    AdsMaterial::image(id).name(name)
}

/// The seed of a bare emulator: see `SEED.md` (section "The bare emulator").
pub fn demo_seed() -> Seed {
    let mut tim = TimApp::new(TIM_SDKAPPID, TIM_KEY)
        .admin(TIM_ADMIN)
        .accounts(["alice", "bob", "carol", "dave", "erin", "mallory", "spammer"]);
    tim = tim.accounts((0..100).map(|i| format!("user{i}")));

    let component =
        WechatComponent::new(WECHAT_COMPONENT, WECHAT_SECRET, WECHAT_TICKET).message_keys(WECHAT_TOKEN, WECHAT_AES_KEY);
    let authorizers = (1..=5).map(|i| {
        let appid = format!("wxa00000000000000{i}");
        let mut a = WechatAuthorizer::new(&appid)
            .component(WECHAT_COMPONENT)
            .access_token(format!("tx-emulator-demo-authorizer-token-{i}"))
            .refresh_token(format!("refreshtoken@@@tx-emulator-demo-{i}"))
            .ad_unit(WechatAdUnit::new("横幅", "SLOT_ID_WEAPP_BANNER").id(format!("adunit-demo{i}banner")))
            .ad_unit(WechatAdUnit::new("激励视频", "SLOT_ID_WEAPP_REWARD_VIDEO").id(format!("adunit-demo{i}reward")));
        if i == 1 {
            a = a.ams_category("CHESS|LOAN").blocked(1, "gh_0000000000001");
        }
        a
    });

    let mut m123 = image("123", "图片 1");
    m123.md5 = Some(SAMPLE_MD5.to_owned());
    let mut m456 = image("456", "图片 2");
    m456.md5 = Some(SAMPLE_MD5.to_owned());
    let [first, second, agency] = ADS_ACCOUNTS;
    let ads_app = AdsApp::new(ADS_CLIENT_ID, ADS_SECRET)
        .redirect_uri("https://example.com/callback")
        .private_token(ADS_PRIVATE_TOKEN, ADS_ACCOUNTS);
    let accounts = vec![
        AdsAccount::new(first)
            .client(ADS_CLIENT_ID)
            .refresh_token("tx-emulator-demo-refresh-20000001")
            .material(m123.clone())
            .material(m456.clone())
            .material(image("1001", "图片 3"))
            .material(image("1002", "图片 4"))
            .material(AdsMaterial::video("789").name("视频 1")),
        AdsAccount::new(second)
            .client(ADS_CLIENT_ID)
            .refresh_token("tx-emulator-demo-refresh-20000002")
            .material(m123)
            .material(m456)
            .material(AdsMaterial::video("790").name("视频 2")),
        AdsAccount::new(agency).client(ADS_CLIENT_ID).agency(true),
    ];

    Seed {
        tim_apps: vec![tim],
        wechat_components: vec![component],
        wechat_authorizers: authorizers.collect(),
        ads_apps: vec![ads_app],
        ads_accounts: accounts,
        ..Seed::default()
    }
}
