//! The PrivateMapKey userbuf: TRTC room permissions carried inside a UserSig (§6).

use super::error::GenerateError;
use std::fmt;
use std::ops::BitOr;

/// The room a PrivateMapKey grants access to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Room<'a> {
    /// A numeric room id (`genPrivateMapKey`).
    Numeric(u32),
    /// A string room id (`genPrivateMapKeyWithStringRoomID`); ASCII, non-empty.
    Named(&'a str),
}

/// The TRTC privilege bitmap of a PrivateMapKey.
///
/// ```
/// use tx_core::usersig::Privileges;
/// let p = Privileges::ENTER_ROOM | Privileges::RECV_AUDIO | Privileges::RECV_VIDEO;
/// assert_eq!(p.bits(), 2 | 8 | 32);
/// assert_eq!(Privileges::ALL.bits(), 255);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Privileges(u32);

impl Privileges {
    /// Bit 0: create a room.
    pub const CREATE_ROOM: Privileges = Privileges(1);
    /// Bit 1: enter a room.
    pub const ENTER_ROOM: Privileges = Privileges(2);
    /// Bit 2: send audio.
    pub const SEND_AUDIO: Privileges = Privileges(4);
    /// Bit 3: receive audio.
    pub const RECV_AUDIO: Privileges = Privileges(8);
    /// Bit 4: send video.
    pub const SEND_VIDEO: Privileges = Privileges(16);
    /// Bit 5: receive video.
    pub const RECV_VIDEO: Privileges = Privileges(32);
    /// Bit 6: send the sub-stream (screen share).
    pub const SEND_SUB_STREAM: Privileges = Privileges(64);
    /// Bit 7: receive the sub-stream (128; some official comments wrongly say 200).
    pub const RECV_SUB_STREAM: Privileges = Privileges(128);
    /// All eight privileges (255).
    pub const ALL: Privileges = Privileges(255);

    /// A bitmap as the wire carries it.
    pub const fn from_bits(bits: u32) -> Privileges {
        Privileges(bits)
    }

    /// The bitmap.
    pub const fn bits(self) -> u32 {
        self.0
    }
}

impl BitOr for Privileges {
    type Output = Privileges;
    fn bitor(self, rhs: Privileges) -> Privileges {
        Privileges(self.0 | rhs.0)
    }
}

impl fmt::Debug for Privileges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Privileges({:#010b})", self.0)
    }
}

/// The fields of a PrivateMapKey userbuf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateMapKey {
    /// The account (identifier) the key is for.
    pub account: String,
    /// The SDKAppID.
    pub sdk_app_id: u32,
    /// The numeric room id; 0 when a string room is used.
    pub room_id: u32,
    /// The string room id, if any.
    pub room_name: Option<String>,
    /// Absolute expiry, unix seconds (`time + expire`).
    pub expires_at: u32,
    /// The privilege bitmap.
    pub privileges: Privileges,
}

impl PrivateMapKey {
    /// Parses a userbuf laid out as TLSSigAPIv2 §6; `None` if it is not one.
    pub fn parse(buf: &[u8]) -> Option<PrivateMapKey> {
        let mut r = Reader(buf);
        let version = r.u8()?;
        let account_len = usize::from(r.u16()?);
        let account = String::from_utf8(r.take(account_len)?.to_vec()).ok()?;
        let sdk_app_id = r.u32()?;
        let room_id = r.u32()?;
        let expires_at = r.u32()?;
        let privileges = Privileges(r.u32()?);
        let _account_type = r.u32()?;
        let room_name = match version {
            0 => None,
            1 => {
                let len = usize::from(r.u16()?);
                Some(String::from_utf8(r.take(len)?.to_vec()).ok()?)
            }
            _ => return None,
        };
        r.0.is_empty().then_some(PrivateMapKey { account, sdk_app_id, room_id, room_name, expires_at, privileges })
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// Builds the §6 userbuf. `absolute_expiry` is `time + expire`.
pub(crate) fn build(
    identifier: &str,
    sdk_app_id: u32,
    room: Room<'_>,
    absolute_expiry: u64,
    privileges: Privileges,
) -> Result<Vec<u8>, GenerateError> {
    let account = ascii_field("identifier", identifier)?;
    if account.is_empty() {
        return Err(GenerateError::EmptyIdentifier);
    }
    let expiry = u32::try_from(absolute_expiry).map_err(|_| GenerateError::ExpiryOverflow(absolute_expiry))?;
    let (version, room_id, room_name) = match room {
        Room::Numeric(id) => (0u8, id, None),
        Room::Named("") => return Err(GenerateError::EmptyRoom),
        Room::Named(name) => (1u8, 0, Some(ascii_field("room", name)?)),
    };
    let mut buf = Vec::with_capacity(3 + account.len() + 20 + room_name.map_or(0, |r| 2 + r.len()));
    buf.push(version);
    buf.extend_from_slice(&(account.len() as u16).to_be_bytes());
    buf.extend_from_slice(account);
    buf.extend_from_slice(&sdk_app_id.to_be_bytes());
    buf.extend_from_slice(&room_id.to_be_bytes());
    buf.extend_from_slice(&expiry.to_be_bytes());
    buf.extend_from_slice(&privileges.0.to_be_bytes());
    buf.extend_from_slice(&0u32.to_be_bytes());
    if let Some(name) = room_name {
        buf.extend_from_slice(&(name.len() as u16).to_be_bytes());
        buf.extend_from_slice(name);
    }
    Ok(buf)
}

fn ascii_field<'a>(field: &'static str, value: &'a str) -> Result<&'a [u8], GenerateError> {
    if !value.is_ascii() {
        return Err(GenerateError::NotAscii { field });
    }
    if value.len() > usize::from(u16::MAX) {
        return Err(GenerateError::TooLong { field, max: usize::from(u16::MAX) });
    }
    Ok(value.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn golden_numeric_room_userbuf() {
        let buf = build("xiaojun", 1_400_000_000, Room::Numeric(10_000), 1_715_552_000, Privileges::ALL).unwrap();
        assert_eq!(hex(&buf), "0000077869616f6a756e53724e000000271066413f00000000ff00000000");
        let parsed = PrivateMapKey::parse(&buf).unwrap();
        assert_eq!(parsed.account, "xiaojun");
        assert_eq!(parsed.room_id, 10_000);
        assert_eq!(parsed.expires_at, 1_715_552_000);
        assert_eq!(parsed.room_name, None);
    }

    #[test]
    fn string_room_sets_version_one_and_appends_the_name() {
        let buf =
            build("xiaojun", 1_400_000_000, Room::Named("room-a"), 1_715_552_000, Privileges::ENTER_ROOM).unwrap();
        assert_eq!(buf[0], 1);
        assert!(hex(&buf).ends_with("0006726f6f6d2d61"));
        let parsed = PrivateMapKey::parse(&buf).unwrap();
        assert_eq!(parsed.room_id, 0);
        assert_eq!(parsed.room_name.as_deref(), Some("room-a"));
        assert_eq!(parsed.privileges, Privileges::ENTER_ROOM);
    }

    #[test]
    fn refuses_what_the_official_libraries_would_mangle() {
        assert_eq!(
            build("小军", 1, Room::Numeric(1), 1, Privileges::ALL),
            Err(GenerateError::NotAscii { field: "identifier" })
        );
        assert_eq!(
            build("a", 1, Room::Named("房间"), 1, Privileges::ALL),
            Err(GenerateError::NotAscii { field: "room" })
        );
        assert_eq!(build("a", 1, Room::Named(""), 1, Privileges::ALL), Err(GenerateError::EmptyRoom));
        assert_eq!(build("", 1, Room::Numeric(1), 1, Privileges::ALL), Err(GenerateError::EmptyIdentifier));
        assert_eq!(
            build("a", 1, Room::Numeric(1), 1 << 32, Privileges::ALL),
            Err(GenerateError::ExpiryOverflow(1 << 32))
        );
        let long = "a".repeat(70_000);
        assert!(matches!(build(&long, 1, Room::Numeric(1), 1, Privileges::ALL), Err(GenerateError::TooLong { .. })));
    }

    #[test]
    fn parse_rejects_trailing_or_short_bytes() {
        let mut buf = build("x", 1, Room::Numeric(1), 1, Privileges::ALL).unwrap();
        assert!(PrivateMapKey::parse(&buf[..buf.len() - 1]).is_none());
        buf.push(0);
        assert!(PrivateMapKey::parse(&buf).is_none());
    }
}
