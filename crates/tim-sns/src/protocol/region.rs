//! The documented TIM REST hosts, one primary and (mostly) one backup per region.

use std::fmt;
use std::str::FromStr;
use tx_core::Error;

/// Where an SDKAppID lives. Calls must go to its region's host: a wrong region answers
/// with 70016 or 70020 (sometimes 70009), not with a transport error.
///
/// [`Region::China`] is the documented default.
///
/// ```
/// use tim_sns::Region;
/// assert_eq!(Region::Singapore.host(), "adminapisgp.im.qcloud.com");
/// assert_eq!(Region::Singapore.backup_host(), Some("adminapisgp.my-imcloud.com"));
/// assert_eq!(Region::Tokyo.backup_host(), None);
/// assert_eq!("silicon-valley".parse::<Region>()?, Region::SiliconValley);
/// assert_eq!("sgp".parse::<Region>()?, Region::Singapore);
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Region {
    /// China: `console.tim.qq.com`, backup `adminapi.my-imcloud.com`.
    #[default]
    China,
    /// Singapore: `adminapisgp.im.qcloud.com`, backup `adminapisgp.my-imcloud.com`.
    Singapore,
    /// Seoul: `adminapikr.im.qcloud.com`, backup `adminapikr.my-imcloud.com`.
    Seoul,
    /// Tokyo: `adminapijpn.im.qcloud.com`, no documented backup.
    Tokyo,
    /// Frankfurt: `adminapiger.im.qcloud.com`, backup `adminapiger.my-imcloud.com`.
    Frankfurt,
    /// Silicon Valley: `adminapiusa.im.qcloud.com`, backup `adminapiusa.my-imcloud.com`.
    SiliconValley,
    /// Jakarta: `adminapiidn.im.qcloud.com`, backup `adminapiidn.my-imcloud.com`.
    Jakarta,
    /// Mumbai (**legacy**): `adminapiind.im.qcloud.com`, backup `adminapiind.my-imcloud.com`.
    /// Listed only on older documentation pages and possibly deprecated; the client logs
    /// a warning when it is chosen.
    Mumbai,
}

impl Region {
    /// Every region, the default first.
    pub const ALL: &'static [Region] = &[
        Region::China,
        Region::Singapore,
        Region::Seoul,
        Region::Tokyo,
        Region::Frankfurt,
        Region::SiliconValley,
        Region::Jakarta,
        Region::Mumbai,
    ];

    /// The primary host.
    pub const fn host(self) -> &'static str {
        match self {
            Region::China => "console.tim.qq.com",
            Region::Singapore => "adminapisgp.im.qcloud.com",
            Region::Seoul => "adminapikr.im.qcloud.com",
            Region::Tokyo => "adminapijpn.im.qcloud.com",
            Region::Frankfurt => "adminapiger.im.qcloud.com",
            Region::SiliconValley => "adminapiusa.im.qcloud.com",
            Region::Jakarta => "adminapiidn.im.qcloud.com",
            Region::Mumbai => "adminapiind.im.qcloud.com",
        }
    }

    /// The backup host, used after connections to the primary fail (e.g. hijacked DNS).
    pub const fn backup_host(self) -> Option<&'static str> {
        match self {
            Region::China => Some("adminapi.my-imcloud.com"),
            Region::Singapore => Some("adminapisgp.my-imcloud.com"),
            Region::Seoul => Some("adminapikr.my-imcloud.com"),
            Region::Tokyo => None,
            Region::Frankfurt => Some("adminapiger.my-imcloud.com"),
            Region::SiliconValley => Some("adminapiusa.my-imcloud.com"),
            Region::Jakarta => Some("adminapiidn.my-imcloud.com"),
            Region::Mumbai => Some("adminapiind.my-imcloud.com"),
        }
    }

    /// Whether the region appears only on older documentation (Mumbai).
    pub const fn is_legacy(self) -> bool {
        matches!(self, Region::Mumbai)
    }

    /// The name [`FromStr`] accepts and `Display` prints: `china`, `singapore`, `seoul`,
    /// `tokyo`, `frankfurt`, `silicon-valley`, `jakarta`, `mumbai`.
    pub const fn name(self) -> &'static str {
        match self {
            Region::China => "china",
            Region::Singapore => "singapore",
            Region::Seoul => "seoul",
            Region::Tokyo => "tokyo",
            Region::Frankfurt => "frankfurt",
            Region::SiliconValley => "silicon-valley",
            Region::Jakarta => "jakarta",
            Region::Mumbai => "mumbai",
        }
    }

    /// `https://{host}/`.
    pub fn base_url(self) -> url::Url {
        url::Url::parse(&format!("https://{}/", self.host())).expect("documented hosts are valid")
    }

    /// `https://{backup host}/`, if the region has one.
    pub fn backup_base_url(self) -> Option<url::Url> {
        self.backup_host().map(|h| url::Url::parse(&format!("https://{h}/")).expect("documented hosts are valid"))
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Region {
    type Err = Error;

    /// Accepts the [`Region::name`]s, case-insensitively, with `_`, `-` or a space
    /// between words, and the short codes of the hosts (`cn`, `sgp`, `kr`, `jpn`, `ger`,
    /// `usa`, `idn`, `ind`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm: String =
            s.trim().chars().filter(|c| !matches!(c, '-' | '_' | ' ')).map(|c| c.to_ascii_lowercase()).collect();
        Ok(match norm.as_str() {
            "china" | "cn" | "chinesemainland" => Region::China,
            "singapore" | "sgp" | "sg" => Region::Singapore,
            "seoul" | "kr" | "korea" => Region::Seoul,
            "tokyo" | "jpn" | "jp" | "japan" => Region::Tokyo,
            "frankfurt" | "ger" | "de" | "germany" => Region::Frankfurt,
            "siliconvalley" | "usa" | "us" => Region::SiliconValley,
            "jakarta" | "idn" | "id" | "indonesia" => Region::Jakarta,
            "mumbai" | "ind" | "in" | "india" => Region::Mumbai,
            _ => {
                return Err(Error::invalid_input(
                    "region",
                    format_args!(
                        "{s:?} is not a region; expected one of china, singapore, seoul, tokyo, frankfurt, \
                         silicon-valley, jakarta, mumbai"
                    ),
                ));
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_has_its_documented_hosts() {
        let table: Vec<(Region, &str, Option<&str>)> =
            Region::ALL.iter().map(|r| (*r, r.host(), r.backup_host())).collect();
        assert_eq!(
            table,
            [
                (Region::China, "console.tim.qq.com", Some("adminapi.my-imcloud.com")),
                (Region::Singapore, "adminapisgp.im.qcloud.com", Some("adminapisgp.my-imcloud.com")),
                (Region::Seoul, "adminapikr.im.qcloud.com", Some("adminapikr.my-imcloud.com")),
                (Region::Tokyo, "adminapijpn.im.qcloud.com", None),
                (Region::Frankfurt, "adminapiger.im.qcloud.com", Some("adminapiger.my-imcloud.com")),
                (Region::SiliconValley, "adminapiusa.im.qcloud.com", Some("adminapiusa.my-imcloud.com")),
                (Region::Jakarta, "adminapiidn.im.qcloud.com", Some("adminapiidn.my-imcloud.com")),
                (Region::Mumbai, "adminapiind.im.qcloud.com", Some("adminapiind.my-imcloud.com")),
            ]
        );
        assert_eq!(Region::default(), Region::China);
        assert!(Region::Mumbai.is_legacy() && !Region::China.is_legacy());
        assert_eq!(Region::China.base_url().as_str(), "https://console.tim.qq.com/");
    }

    #[test]
    fn names_parse_back() {
        for r in Region::ALL {
            assert_eq!(r.name().parse::<Region>().unwrap(), *r);
            assert_eq!(r.to_string().to_uppercase().parse::<Region>().unwrap(), *r);
        }
        assert_eq!("Silicon Valley".parse::<Region>().unwrap(), Region::SiliconValley);
        assert_eq!("silicon_valley".parse::<Region>().unwrap(), Region::SiliconValley);
        let e = "mars".parse::<Region>().unwrap_err();
        assert_eq!(e.field(), Some("region"));
    }
}
