//! Pushes to a component's authorization-event URL, as WeChat sends them (reference §10):
//! the `component_verify_ticket` every 10 minutes, and `authorized`, `updateauthorized`
//! and `unauthorized` events. Each push changes the state first (the ticket rotates; an
//! authorization issues a code for `api_query_auth`; an unauthorization revokes the
//! authorizer's tokens), then the event is encrypted with the component's `EncodingAESKey`,
//! signed with its `token`, and POSTed as
//! `<xml><AppId>…</AppId><Encrypt>…</Encrypt></xml>` with the query `timestamp`, `nonce`,
//! `encrypt_type=aes`, `msg_signature` and the legacy `signature`.
//!
//! Only `http://` URLs on loopback (127.0.0.0/8, `[::1]`, `localhost`) are accepted.

use super::crypto;
use crate::ids;
use crate::state::{Shared, lock};
use crate::timer;
use axum::body::Body;
use axum::http::{Request, header};
use hyper_util::rt::TokioIo;
use serde::Serialize;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::watch;

/// How long a receiver may take to answer a push.
const PUSH_TIMEOUT: Duration = Duration::from_secs(10);
/// The most of a receiver's answer that is kept.
const MAX_REPLY: usize = 64 * 1024;

/// The kind of a pushed event (`InfoType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InfoType {
    Ticket,
    Authorized,
    UpdateAuthorized,
    Unauthorized,
}

impl InfoType {
    pub fn parse(s: &str) -> Option<InfoType> {
        match s {
            "component_verify_ticket" => Some(InfoType::Ticket),
            "authorized" => Some(InfoType::Authorized),
            "updateauthorized" => Some(InfoType::UpdateAuthorized),
            "unauthorized" => Some(InfoType::Unauthorized),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            InfoType::Ticket => "component_verify_ticket",
            InfoType::Authorized => "authorized",
            InfoType::UpdateAuthorized => "updateauthorized",
            InfoType::Unauthorized => "unauthorized",
        }
    }
}

/// A built event: what is POSTed and what it carries.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Event {
    pub component_appid: String,
    pub info_type: &'static str,
    /// The decrypted message.
    pub xml: String,
    /// The POST body.
    pub body: String,
    /// The query string added to the URL.
    pub query: String,
    pub timestamp: u64,
    pub nonce: String,
    pub msg_signature: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorizer_appid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_code_expired_time: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_auth_code: Option<String>,
}

fn cdata(tag: &str, value: &str) -> String {
    format!("<{tag}><![CDATA[{}]]></{tag}>", value.replace("]]>", "]]]]><![CDATA[>"))
}

/// Applies the event's state change and builds it.
pub(crate) fn event(
    shared: &Shared,
    component_appid: &str,
    info: InfoType,
    authorizer: Option<&str>,
) -> Result<Event, String> {
    let settings = shared.settings();
    let now = shared.clock.unix_now();
    let mut world = lock(&shared.wechat);
    let component =
        world.components.get(component_appid).ok_or_else(|| format!("no component {component_appid:?} is seeded"))?;
    let (Some(token), Some(aes)) = (component.msg_token.clone(), component.aes_key.clone()) else {
        return Err(format!("component {component_appid:?} has no token and encoding_aes_key to push with"));
    };
    let key = crypto::aes_key(&aes).map_err(|e| e.to_string())?;
    let mut ev = Event {
        component_appid: component_appid.to_owned(),
        info_type: info.as_str(),
        xml: String::new(),
        body: String::new(),
        query: String::new(),
        timestamp: now,
        nonce: String::new(),
        msg_signature: String::new(),
        ticket: None,
        authorizer_appid: None,
        authorization_code: None,
        authorization_code_expired_time: None,
        pre_auth_code: None,
    };
    let mut xml = format!(
        "<xml>{}<CreateTime>{now}</CreateTime>{}",
        cdata("AppId", component_appid),
        cdata("InfoType", info.as_str())
    );
    match info {
        InfoType::Ticket => {
            let ticket = format!("ticket@@@{}", ids::hex(shared.next_serial() ^ 0x71c7, 43));
            if let Some(c) = world.components.get_mut(component_appid) {
                c.rotate_ticket(ticket.clone(), now, &settings);
            }
            xml.push_str(&cdata("ComponentVerifyTicket", &ticket));
            ev.ticket = Some(ticket);
        }
        InfoType::Authorized | InfoType::UpdateAuthorized => {
            let appid = authorizer.filter(|a| !a.is_empty()).ok_or("authorizer_appid is required")?;
            let (code, expires) = world.authorize(component_appid, appid, now, &settings, shared.next_serial());
            let pre = world.preauth(component_appid, now, shared.next_serial());
            xml.push_str(&cdata("AuthorizerAppid", appid));
            xml.push_str(&cdata("AuthorizationCode", &code));
            xml.push_str(&format!("<AuthorizationCodeExpiredTime>{expires}</AuthorizationCodeExpiredTime>"));
            xml.push_str(&cdata("PreAuthCode", &pre));
            ev.authorizer_appid = Some(appid.to_owned());
            ev.authorization_code = Some(code);
            ev.authorization_code_expired_time = Some(expires);
            ev.pre_auth_code = Some(pre);
        }
        InfoType::Unauthorized => {
            let appid = authorizer.filter(|a| !a.is_empty()).ok_or("authorizer_appid is required")?;
            let mine = world.authorizers.get(appid).is_some_and(|a| a.component.as_deref() == Some(component_appid));
            if !mine {
                return Err(format!("{appid:?} is not authorized to {component_appid:?}"));
            }
            world.revoke(appid, now);
            xml.push_str(&cdata("AuthorizerAppid", appid));
            ev.authorizer_appid = Some(appid.to_owned());
        }
    }
    drop(world);
    xml.push_str("</xml>");
    let serial = shared.next_serial();
    let mut random = [0u8; 16];
    random[..8].copy_from_slice(&ids::mix64(serial).to_le_bytes());
    random[8..].copy_from_slice(&ids::mix64(serial ^ 0x5eed).to_le_bytes());
    let encrypted = crypto::encrypt(&key, random, &xml, component_appid);
    let nonce = (ids::mix64(serial ^ 0x4e4f) % 9_000_000_000 + 1_000_000_000).to_string();
    let timestamp = now.to_string();
    let msg_signature = crypto::signature(&[&token, &timestamp, &nonce, &encrypted]);
    let signature = crypto::signature(&[&token, &timestamp, &nonce]);
    ev.body = format!("<xml>{}{}</xml>", cdata("AppId", component_appid), cdata("Encrypt", &encrypted));
    ev.query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("signature", &signature)
        .append_pair("timestamp", &timestamp)
        .append_pair("nonce", &nonce)
        .append_pair("encrypt_type", "aes")
        .append_pair("msg_signature", &msg_signature)
        .finish();
    ev.xml = xml;
    ev.nonce = nonce;
    ev.msg_signature = msg_signature;
    Ok(ev)
}

/// Parses a push URL: `http://` on loopback only.
pub(crate) fn loopback_url(raw: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(raw).map_err(|e| format!("invalid push URL: {e}"))?;
    if url.scheme() != "http" {
        return Err("the push URL must be http:// (on loopback)".to_owned());
    }
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if !loopback {
        return Err("the emulator pushes to loopback addresses only (127.0.0.0/8, [::1], localhost)".to_owned());
    }
    Ok(url)
}

/// What the receiver answered.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Delivery {
    pub status: u16,
    pub reply: String,
}

/// Builds the event and POSTs it to `url`.
pub(crate) async fn push(
    shared: &Shared,
    url: &str,
    component_appid: &str,
    info: InfoType,
    authorizer: Option<&str>,
) -> Result<(Event, Delivery), String> {
    let mut target = loopback_url(url)?;
    let ev = event(shared, component_appid, info, authorizer)?;
    let query = match target.query() {
        Some(q) if !q.is_empty() => format!("{q}&{}", ev.query),
        _ => ev.query.clone(),
    };
    target.set_query(Some(&query));
    let delivery = tokio::select! {
        d = post(&target, ev.body.clone()) => d?,
        () = timer::wall_sleep(PUSH_TIMEOUT) => return Err("the receiver did not answer within 10 s".to_owned()),
    };
    Ok((ev, delivery))
}

async fn post(url: &url::Url, body: String) -> Result<Delivery, String> {
    let ip: IpAddr = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.into(),
        Some(url::Host::Ipv6(ip)) => ip.into(),
        _ => Ipv4Addr::LOCALHOST.into(),
    };
    let port = url.port_or_known_default().unwrap_or(80);
    let stream = TcpStream::connect((ip, port)).await.map_err(|e| format!("cannot connect to the push URL: {e}"))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, Body>(TokioIo::new(stream))
        .await
        .map_err(|e| format!("push handshake failed: {e}"))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let authority = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or("localhost")),
        None => url.host_str().unwrap_or("localhost").to_owned(),
    };
    let req = Request::post(&url[url::Position::BeforePath..])
        .header(header::HOST, authority)
        .header(header::CONTENT_TYPE, "text/xml; charset=utf-8")
        .body(Body::from(body))
        .map_err(|e| format!("cannot build the push request: {e}"))?;
    let resp = sender.send_request(req).await.map_err(|e| format!("push failed: {e}"))?;
    let status = resp.status().as_u16();
    let bytes =
        axum::body::to_bytes(Body::new(resp.into_body()), MAX_REPLY).await.map_err(|e| format!("push reply: {e}"))?;
    Ok(Delivery { status, reply: String::from_utf8_lossy(&bytes).into_owned() })
}

/// Pushes a fresh ticket to every component with a `push_url`, every
/// `wechat_push_interval` (tokio time), until `stop`. Sleeps without a timer while no
/// component has a push URL; a seed adding one wakes it.
pub(crate) async fn periodic(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    loop {
        let targets: Vec<(String, String)> = lock(&shared.wechat)
            .components
            .iter()
            .filter_map(|(id, c)| c.push_url.clone().map(|u| (id.clone(), u)))
            .collect();
        let interval = shared.settings().wechat_push_interval;
        match interval.filter(|_| !targets.is_empty()) {
            None => {
                tokio::select! {
                    () = shared.push_targets_changed.notified() => continue,
                    _ = stop.wait_for(|s| *s) => return,
                }
            }
            Some(every) => {
                tokio::select! {
                    () = tokio::time::sleep(every) => {}
                    () = shared.push_targets_changed.notified() => continue,
                    _ = stop.wait_for(|s| *s) => return,
                }
            }
        }
        for (component, url) in targets {
            let _ = push(&shared, &url, &component, InfoType::Ticket, None).await;
        }
    }
}
