//! The decrypted authorization events (`InfoType`).

use super::PushError;
use super::xml::Fields;
use std::fmt;
use tx_core::Secret;

/// An event pushed to the authorization-event URL.
///
/// ```
/// use wechat_ams::push::PushEvent;
///
/// let xml = "<xml><AppId>wx2c2769f8efd9abc2</AppId><CreateTime>1413192605</CreateTime>\
///            <InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>ticket@@@x</ComponentVerifyTicket></xml>";
/// match PushEvent::parse(xml)? {
///     PushEvent::ComponentVerifyTicket { ticket, create_time, .. } => {
///         assert_eq!((ticket.expose(), create_time), ("ticket@@@x", 1413192605));
///     }
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), wechat_ams::push::PushError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PushEvent {
    /// `component_verify_ticket`, pushed every 10 minutes: store it durably (the one with
    /// the latest `create_time` wins; valid 12 h) and reuse it if a push is missed.
    ComponentVerifyTicket {
        /// The component's AppID.
        app_id: String,
        /// When WeChat sent it, in Unix seconds.
        create_time: i64,
        /// The ticket.
        ticket: Secret,
    },
    /// `authorized`: a merchant authorized the component; exchange the code with
    /// `api_query_auth`.
    Authorized(Authorization),
    /// `updateauthorized`: the permission set changed; exchange the code again.
    UpdateAuthorized(Authorization),
    /// `unauthorized`: the merchant withdrew the authorization; purge that authorizer's tokens.
    Unauthorized {
        /// The component's AppID.
        app_id: String,
        /// When WeChat sent it, in Unix seconds.
        create_time: i64,
        /// The mini program that withdrew.
        authorizer_appid: String,
    },
    /// Any other `InfoType`, with every element kept (values are not shown by `Debug`: they
    /// may hold codes or tickets).
    Unknown {
        /// The `InfoType`.
        info_type: String,
        /// The component's AppID.
        app_id: String,
        /// When WeChat sent it, in Unix seconds.
        create_time: i64,
        /// Every element of the message, in document order, with its text.
        fields: Vec<(String, String)>,
    },
}

/// An authorization (`authorized` or `updateauthorized`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Authorization {
    /// The component's AppID.
    pub app_id: String,
    /// When WeChat sent it, in Unix seconds.
    pub create_time: i64,
    /// The mini program that authorized.
    pub authorizer_appid: String,
    /// The code to exchange with `api_query_auth`.
    pub authorization_code: Secret,
    /// When the code expires, in Unix seconds.
    pub authorization_code_expired_time: i64,
    /// The pre-auth code the authorization went through.
    pub pre_auth_code: Secret,
}

impl PushEvent {
    /// Reads a decrypted message. `InfoType` is required, and the elements each event
    /// needs (`ComponentVerifyTicket`; `AuthorizerAppid` and `AuthorizationCode`;
    /// `AuthorizerAppid`); `AppId` and the times default to empty and 0.
    pub fn parse(xml: &str) -> Result<PushEvent, PushError> {
        let f = Fields::read(xml)?;
        let app_id = f.get("AppId").unwrap_or_default().to_owned();
        let create_time = number(&f, "CreateTime")?;
        let info_type = f.require("InfoType")?;
        Ok(match info_type {
            "component_verify_ticket" => PushEvent::ComponentVerifyTicket {
                app_id,
                create_time,
                ticket: Secret::new(f.require("ComponentVerifyTicket")?),
            },
            "authorized" | "updateauthorized" => {
                let authorization = Authorization {
                    app_id,
                    create_time,
                    authorizer_appid: f.require("AuthorizerAppid")?.to_owned(),
                    authorization_code: Secret::new(f.require("AuthorizationCode")?),
                    authorization_code_expired_time: number(&f, "AuthorizationCodeExpiredTime")?,
                    pre_auth_code: Secret::new(f.get("PreAuthCode").unwrap_or_default()),
                };
                if info_type == "authorized" {
                    PushEvent::Authorized(authorization)
                } else {
                    PushEvent::UpdateAuthorized(authorization)
                }
            }
            "unauthorized" => PushEvent::Unauthorized {
                app_id,
                create_time,
                authorizer_appid: f.require("AuthorizerAppid")?.to_owned(),
            },
            other => PushEvent::Unknown { info_type: other.to_owned(), app_id, create_time, fields: f.into_vec() },
        })
    }

    /// The `InfoType` as WeChat spells it.
    pub fn info_type(&self) -> &str {
        match self {
            PushEvent::ComponentVerifyTicket { .. } => "component_verify_ticket",
            PushEvent::Authorized(_) => "authorized",
            PushEvent::UpdateAuthorized(_) => "updateauthorized",
            PushEvent::Unauthorized { .. } => "unauthorized",
            PushEvent::Unknown { info_type, .. } => info_type,
        }
    }
}

/// Shows no ticket, code or unknown value.
impl fmt::Debug for PushEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PushEvent::ComponentVerifyTicket { app_id, create_time, ticket } => f
                .debug_struct("ComponentVerifyTicket")
                .field("app_id", app_id)
                .field("create_time", create_time)
                .field("ticket", ticket)
                .finish(),
            PushEvent::Authorized(a) => f.debug_tuple("Authorized").field(a).finish(),
            PushEvent::UpdateAuthorized(a) => f.debug_tuple("UpdateAuthorized").field(a).finish(),
            PushEvent::Unauthorized { app_id, create_time, authorizer_appid } => f
                .debug_struct("Unauthorized")
                .field("app_id", app_id)
                .field("create_time", create_time)
                .field("authorizer_appid", authorizer_appid)
                .finish(),
            PushEvent::Unknown { info_type, app_id, create_time, fields } => f
                .debug_struct("Unknown")
                .field("info_type", info_type)
                .field("app_id", app_id)
                .field("create_time", create_time)
                .field("fields", &fields.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>())
                .finish(),
        }
    }
}

/// A numeric element (0 when absent or empty).
fn number(f: &Fields, name: &'static str) -> Result<i64, PushError> {
    match f.get(name) {
        None | Some("") => Ok(0),
        Some(v) => v.parse().map_err(|_| PushError::BadXml(format!("<{name}> is {v:?}, not a number"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xml(info_type: &str, rest: &str) -> String {
        format!(
            "<xml><AppId><![CDATA[wx2c2769f8efd9abc2]]></AppId><CreateTime>1413192760</CreateTime>\
             <InfoType><![CDATA[{info_type}]]></InfoType>{rest}</xml>"
        )
    }

    const AUTH: &str = "<AuthorizerAppid><![CDATA[wxf8580a2747e8ab39]]></AuthorizerAppid>\
        <AuthorizationCode><![CDATA[queryauthcode@@@abc]]></AuthorizationCode>\
        <AuthorizationCodeExpiredTime>1413196360</AuthorizationCodeExpiredTime>\
        <PreAuthCode><![CDATA[preauthcode@@@def]]></PreAuthCode>";

    #[test]
    fn authorization_events() {
        let PushEvent::Authorized(a) = PushEvent::parse(&xml("authorized", AUTH)).unwrap() else { panic!() };
        assert_eq!((a.app_id.as_str(), a.create_time), ("wx2c2769f8efd9abc2", 1413192760));
        assert_eq!(a.authorizer_appid, "wxf8580a2747e8ab39");
        assert_eq!(a.authorization_code.expose(), "queryauthcode@@@abc");
        assert_eq!(a.authorization_code_expired_time, 1413196360);
        assert_eq!(a.pre_auth_code.expose(), "preauthcode@@@def");
        let update = PushEvent::parse(&xml("updateauthorized", AUTH)).unwrap();
        assert_eq!(update, PushEvent::UpdateAuthorized(a));
        assert_eq!(update.info_type(), "updateauthorized");
        let shown = format!("{update:?}");
        assert!(!shown.contains("queryauthcode") && !shown.contains("preauthcode"), "{shown}");

        let gone =
            PushEvent::parse(&xml("unauthorized", "<AuthorizerAppid>wxf8580a2747e8ab39</AuthorizerAppid>")).unwrap();
        assert_eq!(
            gone,
            PushEvent::Unauthorized {
                app_id: "wx2c2769f8efd9abc2".into(),
                create_time: 1413192760,
                authorizer_appid: "wxf8580a2747e8ab39".into()
            }
        );
    }

    #[test]
    fn ticket_event() {
        let e = PushEvent::parse(&xml(
            "component_verify_ticket",
            "<ComponentVerifyTicket>ticket@@@x</ComponentVerifyTicket>",
        ))
        .unwrap();
        assert_eq!(e.info_type(), "component_verify_ticket");
        assert!(!format!("{e:?}").contains("ticket@@@x"));
        let PushEvent::ComponentVerifyTicket { ticket, .. } = e else { panic!() };
        assert_eq!(ticket.expose(), "ticket@@@x");
    }

    #[test]
    fn unknown_events_keep_every_element() {
        let e = PushEvent::parse(&xml(
            "notify_third_fasteregister",
            "<status>0</status><auth_code>secret-code</auth_code>",
        ))
        .unwrap();
        let PushEvent::Unknown { info_type, fields, .. } = &e else { panic!() };
        assert_eq!(info_type, "notify_third_fasteregister");
        assert_eq!(fields.len(), 5);
        assert_eq!(fields[4], ("auth_code".to_owned(), "secret-code".to_owned()));
        let shown = format!("{e:?}");
        assert!(shown.contains("auth_code") && !shown.contains("secret-code"), "{shown}");
    }

    #[test]
    fn missing_and_malformed_elements() {
        assert_eq!(PushEvent::parse("<xml><AppId>x</AppId></xml>"), Err(PushError::MissingField("InfoType")));
        assert_eq!(
            PushEvent::parse(&xml("component_verify_ticket", "")),
            Err(PushError::MissingField("ComponentVerifyTicket"))
        );
        assert_eq!(
            PushEvent::parse(&xml("authorized", "<AuthorizerAppid>wx1</AuthorizerAppid>")),
            Err(PushError::MissingField("AuthorizationCode"))
        );
        assert_eq!(PushEvent::parse(&xml("unauthorized", "")), Err(PushError::MissingField("AuthorizerAppid")));
        let bad_time = "<xml><CreateTime>soon</CreateTime><InfoType>unauthorized</InfoType></xml>";
        assert!(matches!(PushEvent::parse(bad_time), Err(PushError::BadXml(m)) if m.contains("CreateTime")));
        let bare =
            PushEvent::parse("<xml><InfoType>unauthorized</InfoType><AuthorizerAppid>wx1</AuthorizerAppid></xml>")
                .unwrap();
        assert_eq!(
            bare,
            PushEvent::Unauthorized { app_id: String::new(), create_time: 0, authorizer_appid: "wx1".into() }
        );
    }
}
