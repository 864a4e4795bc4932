//! The emulator under abuse: bounded memory for made-up paths, bounded parameters, and a
//! header-read timeout for idle connections.

mod common;

use common::*;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tx_emulator::stats::{MAX_ENDPOINTS, OTHER_ENDPOINTS};
use tx_emulator::{Emulator, Seed};

#[tokio::test]
async fn statistics_for_made_up_paths_are_capped_and_reset_frees_them() {
    let (emu, http) = tim_emulator(&["alice"]).await;
    for i in 0..(MAX_ENDPOINTS + 200) {
        let r = http.post(&format!("/v4/sns/made_up_{i}"), "{}").await;
        assert_eq!(r.json["ErrorCode"], 60009);
    }
    let stats = emu.stats();
    assert_eq!(stats.endpoints.len(), MAX_ENDPOINTS + 1);
    assert_eq!(stats.endpoint(OTHER_ENDPOINTS).requests, 200);
    assert_eq!(stats.total_requests(), (MAX_ENDPOINTS + 200) as u64);
    let cleared = http.client.delete(format!("{}/_emulator/stats", http.base)).send().await.unwrap();
    assert_eq!(cleared.status(), 200);
    assert!(emu.stats().endpoints.is_empty(), "the counters are gone, not zeroed");
    http.post("/v4/sns/made_up_again", "{}").await;
    assert_eq!(emu.stats().endpoint("v4/sns/made_up_again").requests, 1, "a fresh start counts one by one");
}

#[tokio::test]
async fn usersig_lifetimes_are_bounded() {
    let (emu, http) = tim_emulator(&["alice"]).await;
    let r = http
        .get(&format!("/_emulator/tim/usersig?sdkappid={APP}&identifier={ADMIN}&expire=18446744073709551615"))
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    let ten_years = 10 * 365 * 86_400;
    let r = http.get(&format!("/_emulator/tim/usersig?sdkappid={APP}&identifier={ADMIN}&expire={ten_years}")).await;
    assert_eq!(r.status, 200);
    assert!(emu.usersig(APP, ADMIN, Duration::from_secs(u64::MAX)).is_none());
    assert!(emu.usersig(APP, ADMIN, Duration::from_secs(ten_years)).is_some());
}

#[tokio::test]
async fn latencies_beyond_ten_minutes_are_refused() {
    let too_slow = Emulator::builder().latency(Duration::from_secs(601)).start().await;
    assert!(matches!(too_slow, Err(tx_emulator::StartError::Seed(_))));
    let emu = Emulator::builder().start().await.unwrap();
    let http = Http::new(&emu);
    let r = http.post("/_emulator/seed", r#"{"settings":{"latency_ms":18446744073709551615}}"#).await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(emu.settings().latency, Duration::ZERO, "nothing applied");
    assert!(Seed::from_toml("[settings]\nads_watermark_delay_ms = 600001\n").is_ok(), "parsing is not validation");
}

#[tokio::test]
async fn idle_and_slow_header_connections_are_closed() {
    let seed = Seed::from_toml("[settings]\nheader_read_timeout_ms = 200\n").unwrap();
    let emu = Emulator::builder().seed(seed).start().await.unwrap();
    assert_eq!(emu.settings().header_read_timeout, Some(Duration::from_millis(200)));
    for partial in ["", "POST /v4/sns/black_list_get HTTP/1.1\r\nHost: x\r\n"] {
        let mut tcp = tokio::net::TcpStream::connect(emu.local_addr()).await.unwrap();
        tcp.write_all(partial.as_bytes()).await.unwrap();
        let mut buf = Vec::new();
        // A generous bound so a stuck connection fails the test instead of hanging it.
        let read = tokio::time::timeout(Duration::from_secs(60), tcp.read_to_end(&mut buf)).await;
        assert!(read.is_ok(), "the emulator closed the connection ({partial:?})");
    }
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_its_answer() {
    let seed = Seed::from_toml("[settings]\nheader_read_timeout_ms = 200\n").unwrap();
    let emu = Emulator::builder().seed(seed).start().await.unwrap();
    let mut tcp = tokio::net::TcpStream::connect(emu.local_addr()).await.unwrap();
    tcp.write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(60), tcp.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "closed after the keep-alive idled");
    assert!(String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 200"));
}
