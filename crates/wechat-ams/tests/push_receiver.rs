//! The push receiver mounted in axum, as the `push` module's example shows, driven over
//! real HTTP on loopback: a sealed ticket push is accepted and stored, a forged one refused.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::post;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use wechat_ams::push::{PushCrypto, PushEvent, PushQuery, SUCCESS_REPLY};

const APPID: &str = "wx2c2769f8efd9abc2";

#[derive(Clone)]
struct Receiver {
    crypto: Arc<PushCrypto>,
    tickets: Arc<Mutex<Vec<String>>>,
}

async fn authorization_events(
    State(r): State<Receiver>,
    Query(query): Query<PushQuery>,
    body: Bytes,
) -> Result<&'static str, StatusCode> {
    match r.crypto.receive(&query, &body) {
        Ok(PushEvent::ComponentVerifyTicket { ticket, .. }) => {
            r.tickets.lock().unwrap().push(ticket.expose().to_owned())
        }
        Ok(_) => {}
        Err(_) => return Err(StatusCode::BAD_REQUEST),
    }
    Ok(SUCCESS_REPLY)
}

/// POSTs `body` to `path_and_query` and returns the status line and the body.
fn post_raw(addr: SocketAddr, path_and_query: &str, body: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST {path_and_query} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.lines().next().unwrap_or_default().to_owned();
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned();
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_ticket_push_over_http_is_accepted_and_a_forged_one_refused() {
    let crypto = Arc::new(PushCrypto::new("push-token", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", APPID).unwrap());
    let receiver = Receiver { crypto: crypto.clone(), tickets: Arc::default() };
    let app = Router::new().route("/wechat/events", post(authorization_events)).with_state(receiver.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let message = format!(
        "<xml><AppId><![CDATA[{APPID}]]></AppId><CreateTime>1413192605</CreateTime>\
         <InfoType><![CDATA[component_verify_ticket]]></InfoType>\
         <ComponentVerifyTicket><![CDATA[ticket@@@fresh]]></ComponentVerifyTicket></xml>"
    );
    let push = crypto.seal(&message, "1413192605", "1320562132").unwrap();
    let q = &push.query;
    let path = format!(
        "/wechat/events?signature=legacy&timestamp={}&nonce={}&encrypt_type=aes&msg_signature={}",
        q.timestamp, q.nonce, q.msg_signature
    );
    let forged = path.replace(&q.msg_signature, &"0".repeat(40));
    let body = push.body.clone();
    let (accepted, refused) =
        tokio::task::spawn_blocking(move || (post_raw(addr, &path, &body), post_raw(addr, &forged, &body)))
            .await
            .unwrap();

    assert!(accepted.0.contains("200"), "{accepted:?}");
    assert_eq!(accepted.1, "success");
    assert!(refused.0.contains("400"), "{refused:?}");
    assert_eq!(*receiver.tickets.lock().unwrap(), ["ticket@@@fresh"]);
    server.abort();
}
