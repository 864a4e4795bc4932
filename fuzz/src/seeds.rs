//! Seed corpora, made from the repository's golden fixtures (the seed documents' literal
//! JSON examples as the crates' tests and the emulator's fixtures hold them) and from
//! valid inputs built here (signed UserSigs, sealed pushes, authenticated requests).
//! Nothing is stored: `cargo xtask fuzz` writes them out before a run, and the replay
//! test runs them.

use crate::emulator::{self, Request, auth};
use crate::input::Builder;
use crate::{usersig, wechat_push};
use std::time::Duration;

/// Source files and fixtures whose raw string literals hold TIM answers.
const TIM_SOURCES: &[&str] = &[
    include_str!("../../crates/tim-sns/src/wire/seeds.rs"),
    include_str!("../../crates/tim-sns/src/wire/accounts.rs"),
    include_str!("../../crates/tim-sns/src/wire/mod.rs"),
    include_str!("../../crates/tx-core/src/envelope/tim.rs"),
    include_str!("../../crates/tx-emulator/tests/fixtures/tim_black_list_add.response.json"),
    include_str!("../../crates/tx-emulator/tests/fixtures/tim_black_list_check.response.json"),
];

/// The same for WeChat answers.
const WECHAT_SOURCES: &[&str] = &[
    include_str!("../../crates/wechat-ams/src/wire/seeds.rs"),
    include_str!("../../crates/wechat-ams/src/wire/adunits.rs"),
    include_str!("../../crates/wechat-ams/src/wire/authorization.rs"),
    include_str!("../../crates/wechat-ams/src/wire/blacklist.rs"),
    include_str!("../../crates/wechat-ams/src/wire/cover.rs"),
    include_str!("../../crates/wechat-ams/src/wire/settlement.rs"),
    include_str!("../../crates/wechat-ams/src/wire/stats.rs"),
    include_str!("../../crates/wechat-ams/src/wire/tokens.rs"),
    include_str!("../../crates/tx-core/src/envelope/wechat.rs"),
    include_str!("../../crates/tx-emulator/tests/fixtures/wechat_set_amscategory.response.txt"),
];

/// The same for Ads answers.
const ADS_SOURCES: &[&str] = &[
    include_str!("../../crates/tencent-ads/src/wire/seeds.rs"),
    include_str!("../../crates/tencent-ads/tests/fixtures/seed_002_request.json"),
    include_str!("../../crates/tencent-ads/tests/fixtures/seed_002_response.json"),
    include_str!("../../crates/tencent-ads/src/wire/watermarks.rs"),
    include_str!("../../crates/tencent-ads/src/wire/material_tasks.rs"),
    include_str!("../../crates/tencent-ads/src/wire/oauth.rs"),
    include_str!("../../crates/tx-core/src/envelope/ads.rs"),
    include_str!("../../crates/tx-emulator/tests/fixtures/ads_watermarks_add.response.json"),
];

/// The raw string literals (`r#"…"#`) of a source file, or the whole of a fixture file.
fn literals(source: &str) -> Vec<String> {
    if !source.contains("r#\"") {
        return vec![source.to_owned()];
    }
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("r#\"") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("\"#") else { break };
        out.push(after[..end].to_owned());
        rest = &after[end + 2..];
    }
    out
}

/// The JSON texts among the literals of `sources` (a corrupted fixture file is kept too).
fn json_literals(sources: &[&str]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for source in sources {
        let whole_file = !source.contains("r#\"");
        for literal in literals(source) {
            let json = serde_json::from_str::<serde_json::Value>(&literal).is_ok();
            if (json || whole_file) && !out.iter().any(|o| o == literal.as_bytes()) {
                out.push(literal.into_bytes());
            }
        }
    }
    out
}

/// Each body once for each of the `n` answer types (the selector byte first).
fn for_each_answer(bodies: Vec<Vec<u8>>, n: usize) -> Vec<Vec<u8>> {
    let selectors = (0..n).map(|i| u8::try_from(i).expect("few answer types"));
    selectors.flat_map(|s| bodies.iter().map(move |b| Builder::new().byte(s).rest(b))).collect()
}

/// Every value inside a JSON document, serialized, for the lenient helpers.
fn sub_values(doc: &serde_json::Value, out: &mut Vec<Vec<u8>>) {
    out.push(doc.to_string().into_bytes());
    match doc {
        serde_json::Value::Array(items) => items.iter().for_each(|v| sub_values(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| sub_values(v, out)),
        _ => {}
    }
}

/// The seed inputs of `target`; empty for an unknown target.
pub fn for_target(target: &str) -> Vec<Vec<u8>> {
    match target {
        "envelope_tim" => for_each_answer(json_literals(TIM_SOURCES), tim_sns::__fuzz::ENDPOINTS),
        "envelope_wechat" => for_each_answer(json_literals(WECHAT_SOURCES), wechat_ams::__fuzz::ACTIONS),
        "envelope_ads" => {
            let mut bodies = json_literals(ADS_SOURCES);
            bodies.extend(["50%,50%", " 100% , 0% ", "7", ",3%"].map(|s| s.as_bytes().to_vec()));
            for_each_answer(bodies, tencent_ads::__fuzz::ENDPOINTS)
        }
        "lenient" => lenient(),
        "usersig" => usersig_seeds(),
        "wechat_push" => push_seeds(),
        "cli_input" => cli_seeds(),
        "config_profile" => config_seeds(),
        "emulator" => emulator_seeds(),
        _ => Vec::new(),
    }
}

fn lenient() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for doc in [TIM_SOURCES, WECHAT_SOURCES, ADS_SOURCES].iter().flat_map(|s| json_literals(s)) {
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&doc) {
            sub_values(&v, &mut out);
        }
    }
    out.extend(
        [
            r#"" 12 ""#,
            "5178368698",
            "1.5",
            "null",
            "[1, 2]",
            "true",
            r#""-0""#,
            "1e3",
            r#""\u0020x""#,
            r#"["a",{"b":1}]"#,
        ]
        .map(|s| s.as_bytes().to_vec()),
    );
    out.sort();
    out.dedup();
    out
}

fn usersig_seeds() -> Vec<Vec<u8>> {
    let signer = usersig::signer();
    let day = Duration::from_secs(86_400);
    let sig = signer.generate(usersig::IDENTIFIER, day).expect("a UserSig");
    let with_buf = signer.generate_with_userbuf(usersig::IDENTIFIER, day, b"").expect("a UserSig");
    let document = tx_core::usersig::wire::decode(sig.expose()).expect("our own UserSig decodes");
    let userbuf = hex("0000077869616f6a756e53724e000000271066413f00000000ff00000000");
    vec![
        Builder::new().byte(0).rest(sig.expose()),
        Builder::new().byte(0).rest(with_buf.expose()),
        Builder::new().byte(1).byte(6).rest(&document),
        Builder::new().byte(2).u64(86_400).field("xiaojun").rest(&userbuf),
        Builder::new().byte(3).rest(&userbuf),
    ]
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex")).collect()
}

/// WeChat's published test vector of a pushed message.
const PUSH_ENCRYPT: &str = "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";

const PUSH_MESSAGES: [&str; 4] = [
    "<xml><AppId>wx2c2769f8efd9abc2</AppId><CreateTime>1413192605</CreateTime><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>ticket@@@x</ComponentVerifyTicket></xml>",
    "<xml><AppId>wx2c2769f8efd9abc2</AppId><CreateTime>1413192760</CreateTime><InfoType>authorized</InfoType><AuthorizerAppid>wxa000000000000001</AuthorizerAppid><AuthorizationCode><![CDATA[queryauthcode@@@x]]></AuthorizationCode><AuthorizationCodeExpiredTime>1413196360</AuthorizationCodeExpiredTime><PreAuthCode>preauthcode@@@x</PreAuthCode></xml>",
    "<xml><AppId>wx2c2769f8efd9abc2</AppId><CreateTime>1413192760</CreateTime><InfoType>unauthorized</InfoType><AuthorizerAppid>wxa000000000000001</AuthorizerAppid></xml>",
    "<?xml version=\"1.0\"?>\n<xml><AppId>x</AppId><InfoType>notify_third_fasteregister</InfoType><A>a &amp; b &#x4e2d;</A><!-- c --></xml>",
];

fn push_seeds() -> Vec<Vec<u8>> {
    let body = wechat_push::body(PUSH_ENCRYPT);
    let mut plain = vec![7u8; 16];
    let message = PUSH_MESSAGES[0].as_bytes();
    plain.extend_from_slice(&u32::try_from(message.len()).expect("short").to_be_bytes());
    plain.extend_from_slice(message);
    plain.extend_from_slice(wechat_push::APPID.as_bytes());
    let pad = 32 - plain.len() % 32;
    plain.resize(plain.len() + pad, u8::try_from(pad).expect("at most 32"));
    let mut seeds = vec![
        Builder::new()
            .byte(0)
            .field("1409735669")
            .field("1320562132")
            .field("5d197aaffba7e9b25a30732f161a50dee96bd5fa")
            .rest(&body),
        Builder::new().byte(1).field("1409735669").field("1320562132").field(PUSH_ENCRYPT).finish(),
        Builder::new().byte(2).rest(&plain),
    ];
    for m in PUSH_MESSAGES {
        seeds.push(Builder::new().byte(3).rest(m));
        seeds.push(Builder::new().byte(4).rest(m));
    }
    seeds
}

fn cli_seeds() -> Vec<Vec<u8>> {
    [
        (0, "alice\nbob\ncarol\n"),
        (0, "\u{FEFF}alice\r\n bob \ncarol"),
        (0, "alice\n\nbob\n"),
        (0, "用户一\nuser2\n"),
        (1, "alice,bob\ncarol,dave\n"),
        (1, "\u{FEFF}From_Account,To_Account\r\nalice,bob\r\n"),
        (1, " from account , TO-ACCOUNT\nalice,bob\n"),
        (1, "\"a,b\",\"c \"\"d\"\"\"\n"),
        (1, "alice,bob\nx,y\nalice,bob\n"),
    ]
    .into_iter()
    .map(|(mode, text)| Builder::new().byte(mode).rest(text))
    .collect()
}

fn config_seeds() -> Vec<Vec<u8>> {
    let profiles = "[profiles.default.tim]\nsdk_app_id = 1400000000\nsecret_key = \"from-file\"\n\n[profiles.local.tim]\nsdk_app_id = 1400000009\nregion = \"mars\"\n";
    let all = "[profiles.default.tim]\nsdk_app_id = 1400000000\nsecret_key = \"…\"\nregion = \"singapore\"\n\n[profiles.default.wechat]\ncomponent_appid = \"wxc000000000000001\"\n\n[profiles.default.ads]\nclient_id = 1110000000\n\n[profiles.local.redis]\nurl = \"redis://127.0.0.1:6379\"\n";
    vec![
        Builder::new().byte(0).rest(profiles),
        Builder::new().byte(1).rest(profiles),
        Builder::new().byte(2).rest(profiles),
        Builder::new().byte(0).rest(all),
        Builder::new().byte(3).field("local").rest(all),
        Builder::new().byte(0).rest("[profiles.default.tim]\nsdk_app_id = [1]\n"),
    ]
}

fn request<'a>(path: &str, auth: u8, query: &'a str, body: &'a [u8]) -> Request<'a> {
    let index = emulator::PATHS.iter().position(|p| *p == path).expect("a known path");
    Request { method: 0, path_index: u8::try_from(index).expect("few paths"), auth, path: "", query, body }
}

fn emulator_seeds() -> Vec<Vec<u8>> {
    use tx_emulator::defaults;
    let tim = auth::TIM | auth::JSON;
    let add = include_bytes!("../../crates/tx-emulator/tests/fixtures/tim_black_list_add.request.json");
    let check = include_bytes!("../../crates/tx-emulator/tests/fixtures/tim_black_list_check.request.json");
    let ads_add = include_str!("../../crates/tx-emulator/tests/fixtures/ads_watermarks_add.request.json")
        .replace("<ACCOUNT_ID>", &defaults::ADS_ACCOUNTS[0].to_string());
    let component = format!(
        r#"{{"component_appid":"{}","component_appsecret":"{}","component_verify_ticket":"{}"}}"#,
        defaults::WECHAT_COMPONENT,
        defaults::WECHAT_SECRET,
        defaults::WECHAT_TICKET
    );
    let pair = br#"{"From_Account":"alice","To_Account":["bob","carol"]}"#;
    let seed = br#"{"tim_apps":[{"sdkappid":1400000001,"key":"k","admin":"administrator","accounts":["x"]}]}"#;
    let faults = br#"{"seed":1,"rules":[]}"#;
    let sequences: Vec<Vec<Request<'_>>> = vec![
        vec![request("/v4/sns/black_list_add", tim, "", add)],
        vec![request("/v4/sns/black_list_add", tim, "", pair), request("/v4/sns/black_list_check", tim, "", check)],
        vec![request(
            "/v4/sns/black_list_get",
            tim,
            "",
            br#"{"From_Account":"alice","StartIndex":0,"MaxLimited":10,"LastSequence":0}"#,
        )],
        vec![request(
            "/v4/sns/friend_add",
            tim,
            "",
            br#"{"From_Account":"alice","AddFriendItem":[{"To_Account":"bob","AddSource":"AddSource_Type_XXXXXXXX"}]}"#,
        )],
        vec![request(
            "/v4/sns/group_add",
            tim,
            "",
            br#"{"From_Account":"alice","GroupName":["g"],"To_Account":["bob"]}"#,
        )],
        vec![request("/v4/im_open_login_svc/multiaccount_import", tim, "", br#"{"Accounts":["n1","n2"]}"#)],
        vec![request("/v4/im_open_login_svc/account_check", tim, "", br#"{"CheckItem":[{"UserID":"alice"}]}"#)],
        vec![
            request("/cgi-bin/component/api_component_token", auth::JSON, "", component.as_bytes()),
            request(
                "/wxa/getdefaultamsinfo",
                auth::WECHAT_COMPONENT,
                "action=get_share_ratio",
                br#"{"appid":"wxa000000000000001"}"#,
            ),
        ],
        vec![request(
            "/wxa/operationams",
            auth::WECHAT_AUTHORIZER,
            "action=agency_get_adunit_list",
            br#"{"page":1,"page_size":10}"#,
        )],
        vec![request(
            "/wxa/operationams",
            auth::WECHAT_AUTHORIZER,
            "action=agency_create_adunit",
            br#"{"name":"banner","type":"SLOT_ID_WEAPP_BANNER"}"#,
        )],
        vec![request(
            "/wxa/operationams",
            auth::WECHAT_AUTHORIZER,
            "action=agency_set_mp_amscategory_blacklist",
            br#"{"ams_category":"CHESS|LOAN"}"#,
        )],
        vec![request("/v3.0/watermarks/add", auth::ADS | auth::JSON, "", ads_add.as_bytes())],
        vec![request("/v3.0/watermarks/get", auth::ADS, "account_id=20000001&filtering=[]", b"")],
        vec![request(
            "/oauth/token",
            0,
            "client_id=1110000000&client_secret=tx-emulator-demo-client-secret&grant_type=refresh_token&refresh_token=tx-emulator-demo-refresh-20000001",
            b"",
        )],
        vec![request("/_emulator/tim/usersig", 0, "sdkappid=1400000000&identifier=alice", b"")],
        vec![request("/_emulator/seed", auth::JSON, "", seed), request("/_emulator/faults", auth::JSON, "", faults)],
        vec![request(
            "/_emulator/wechat/event",
            auth::JSON,
            "",
            br#"{"info_type":"authorized","authorizer_appid":"wxa000000000000002"}"#,
        )],
    ];
    sequences.iter().map(|s| emulator::encode(s)).collect()
}
