//! `config_profile`: tx-core's config file reader (`[profiles.<name>.<section>]` tables)
//! on any text and profile name, then every query a client makes of the result.
//!
//! Checks: a value's origin (line, column) lies inside the file; a flag wins over the
//! profile; every error renders and names a place.

use crate::input::Input;
use tx_core::config::{Key, Origin};

const KEYS: [Key; 6] = [
    Key::new("tim", "sdk_app_id", "FUZZ_TIM_SDK_APP_ID"),
    Key::new("tim", "secret_key", "FUZZ_TIM_SECRET_KEY"),
    Key::new("tim", "region", "FUZZ_TIM_REGION"),
    Key::new("wechat", "component_appid", "FUZZ_WECHAT_COMPONENT_APPID"),
    Key::new("ads", "client_id", "FUZZ_ADS_CLIENT_ID"),
    Key::new("redis", "url", "FUZZ_REDIS_URL"),
];

const PROFILES: [&str; 3] = ["default", "local", "prod"];

/// Runs one input.
pub fn run(data: &[u8]) {
    let mut input = Input::new(data);
    let name = match input.choose(4) {
        3 => input.text(),
        i => PROFILES[i].to_owned(),
    };
    let text = String::from_utf8_lossy(input.rest()).into_owned();
    let lines = text.split('\n').count();
    let mut config = match tx_core::__fuzz::config_profile(&text, &name) {
        Ok(c) => c,
        Err(e) => {
            assert!(e.field().is_some(), "{e} names no place");
            let _ = format!("{e} {e:?}");
            return;
        }
    };
    for key in &KEYS {
        if let Some(value) = config.get(key) {
            if let Origin::Profile { line, column, .. } = &value.origin {
                assert!((1..=lines).contains(line), "line {line} of {lines}");
                let row = text.split('\n').nth(line - 1).unwrap_or_default();
                assert!(*column >= 1 && *column <= row.chars().count() + 1, "column {column} of {row:?}");
            }
            let _ = value.origin.to_string();
        }
        let _ = (config.string(key), config.secret(key), config.required(key).map_err(|e| e.to_string()));
        if let Err(e) = config.parse::<u32>(key) {
            assert!(e.field().is_some());
        }
    }
    for section in ["tim", "wechat", "ads", "redis"] {
        let known: Vec<Key> = KEYS.iter().copied().filter(|k| k.section == section).collect();
        if let Err(e) = config.check_section(section, &known) {
            assert!(e.field().is_some(), "{e}");
        }
    }
    if let Err(e) = config.check_sections(&["tim", "wechat"]) {
        assert!(e.field().is_some(), "{e}");
    }
    config.set(&KEYS[0], "--sdk-app-id", "1");
    assert_eq!(config.string(&KEYS[0]).as_deref(), Some("1"), "a flag wins over the profile");
}
