//! The receiver of pushes to the authorization-event URL: the `component_verify_ticket`
//! every 10 minutes, and authorization changes.
//!
//! Plain functions of the query and the body, with no web framework:
//! [`PushCrypto::receive`] reads `Encrypt` from the XML body, checks `msg_signature` in
//! constant time (refusing before decrypting), decrypts (AES-256-CBC, PKCS#7 to 32 bytes),
//! checks the length and that the message is addressed to this component, and reads the
//! message into a [`PushEvent`]. Reply the plain text [`SUCCESS_REPLY`] within 5 seconds,
//! or WeChat pushes again.
//!
//! Mounted in axum (any framework works the same way: hand over the query and the body):
//!
//! ```no_run
//! use axum::{Router, body::Bytes, extract::{Query, State}, http::StatusCode, routing::post};
//! use std::sync::Arc;
//! use wechat_ams::push::{PushCrypto, PushEvent, PushQuery, SUCCESS_REPLY};
//!
//! async fn authorization_events(
//!     State(crypto): State<Arc<PushCrypto>>,
//!     Query(query): Query<PushQuery>,
//!     body: Bytes,
//! ) -> Result<&'static str, StatusCode> {
//!     match crypto.receive(&query, &body) {
//!         Ok(PushEvent::ComponentVerifyTicket { ticket, create_time, .. }) => {
//!             // Store it durably; the latest create_time wins (valid 12 h).
//!             # let _ = (ticket, create_time);
//!         }
//!         Ok(PushEvent::Authorized(a) | PushEvent::UpdateAuthorized(a)) => {
//!             // Exchange a.authorization_code with api_query_auth.
//!             # let _ = a;
//!         }
//!         Ok(PushEvent::Unauthorized { authorizer_appid, .. }) => {
//!             // Purge that authorizer's tokens.
//!             # let _ = authorizer_appid;
//!         }
//!         Ok(_) => {}
//!         // Not from WeChat, or unreadable: refuse (WeChat retries its own pushes).
//!         Err(_) => return Err(StatusCode::BAD_REQUEST),
//!     }
//!     Ok(SUCCESS_REPLY)
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let crypto = PushCrypto::new(
//!         std::env::var("WECHAT_COMPONENT_TOKEN")?,
//!         &std::env::var("WECHAT_COMPONENT_AES_KEY")?,
//!         std::env::var("WECHAT_COMPONENT_APPID")?,
//!     )?;
//!     let app = Router::new()
//!         .route("/wechat/authorization-events", post(authorization_events))
//!         .with_state(Arc::new(crypto));
//!     let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
//!     axum::serve(listener, app).await?;
//!     Ok(())
//! }
//! ```

mod crypto;
mod error;
mod event;
mod xml;

pub use crypto::{ENCODING_AES_KEY_LEN, PushCrypto, PushQuery, SealedPush};
pub use error::PushError;
pub use event::{Authorization, PushEvent};

/// The reply WeChat expects once a push is handled.
pub const SUCCESS_REPLY: &str = "success";
