//! The TIM query string and UserSig checks.

use super::envelope::TimError;
use tx_core::usersig::{UserSigSigner, VerifyError, decode};

/// The common query parameters of a TIM REST call.
#[derive(Debug)]
pub(crate) struct TimQuery {
    pub sdkappid: u32,
    pub identifier: String,
    pub usersig: String,
}

/// Parses and checks the query: `contenttype=json` and `random` (a u32) else 60002;
/// `sdkappid` missing 60012, not a number 60002, above u32 70020 (no such app);
/// `identifier` missing 60004; `usersig` missing 60005.
pub(crate) fn parse_query(query: Option<&str>) -> Result<TimQuery, TimError> {
    let (mut sdkappid, mut identifier, mut usersig, mut random, mut contenttype) = (None, None, None, None, None);
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let slot = match k.as_ref() {
            "sdkappid" => &mut sdkappid,
            "identifier" => &mut identifier,
            "usersig" => &mut usersig,
            "random" => &mut random,
            "contenttype" => &mut contenttype,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(v.into_owned());
        }
    }
    let sdkappid = match sdkappid.filter(|s| !s.is_empty()) {
        None => return Err(TimError::new(60012, "REST API request lacks sdkappid")),
        Some(s) => match s.parse::<u64>() {
            Err(_) => return Err(TimError::new(60002, format!("sdkappid {s:?} is not a number"))),
            Ok(n) => u32::try_from(n).map_err(|_| TimError::new(70020, format!("SDKAppID {n} does not exist")))?,
        },
    };
    let identifier = identifier
        .filter(|s| !s.is_empty())
        .ok_or_else(|| TimError::new(60004, "identifier is missing from the URL"))?;
    let usersig =
        usersig.filter(|s| !s.is_empty()).ok_or_else(|| TimError::new(60005, "usersig is missing from the URL"))?;
    match random.as_deref().map(str::parse::<u32>) {
        Some(Ok(_)) => {}
        Some(Err(_)) => return Err(TimError::new(60002, "random must be an unsigned 32-bit integer")),
        None => return Err(TimError::new(60002, "random is missing from the URL")),
    }
    if contenttype.as_deref() != Some("json") {
        return Err(TimError::new(60002, "contenttype must be json"));
    }
    Ok(TimQuery { sdkappid, identifier, usersig })
}

/// The most verified UserSigs an app remembers; past it the memory starts over.
pub(crate) const VERIFIED_CACHE: usize = 4096;

/// Verifies the UserSig with the app's key; returns its expiry. A UserSig that carries a
/// userbuf is checked against its own userbuf (the HMAC covers it).
pub(crate) fn verify(signer: &UserSigSigner, q: &TimQuery) -> Result<u64, TimError> {
    let result = match decode(&q.usersig) {
        Ok(d) if d.userbuf.is_some() => {
            let buf = d.userbuf.unwrap_or_default();
            signer.verify_with_userbuf(&q.usersig, &q.identifier, &buf)
        }
        _ => signer.verify(&q.usersig, &q.identifier),
    };
    result.map(|d| d.expires_at()).map_err(|e| {
        let code = match &e {
            VerifyError::Expired { .. } => 70001,
            VerifyError::Malformed(_) => 70003,
            VerifyError::IdentifierMismatch { .. } => 70013,
            VerifyError::SdkAppIdMismatch { .. } => 70014,
            _ => 70009,
        };
        TimError::new(code, e.to_string())
    })
}

/// The 70001 answer for a UserSig past `expired_at`.
pub(crate) fn expired(expired_at: u64, now: u64) -> TimError {
    TimError::new(70001, VerifyError::Expired { expired_at, now }.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(q: &str) -> i64 {
        parse_query(Some(q)).unwrap_err().code
    }

    #[test]
    fn query_rules() {
        let good = "sdkappid=1400000000&identifier=admin&usersig=abc&random=99999999&contenttype=json";
        let q = parse_query(Some(good)).unwrap();
        assert_eq!((q.sdkappid, q.identifier.as_str()), (1_400_000_000, "admin"));
        assert_eq!(code("identifier=admin&usersig=abc&random=1&contenttype=json"), 60012);
        assert_eq!(code("sdkappid=x&identifier=admin&usersig=abc&random=1&contenttype=json"), 60002);
        assert_eq!(code("sdkappid=99999999999&identifier=admin&usersig=abc&random=1&contenttype=json"), 70020);
        assert_eq!(code("sdkappid=1&usersig=abc&random=1&contenttype=json"), 60004);
        assert_eq!(code("sdkappid=1&identifier=a&random=1&contenttype=json"), 60005);
        assert_eq!(code("sdkappid=1&identifier=a&usersig=abc&random=4294967296&contenttype=json"), 60002);
        assert_eq!(code("sdkappid=1&identifier=a&usersig=abc&contenttype=json"), 60002);
        assert_eq!(code("sdkappid=1&identifier=a&usersig=abc&random=1&contenttype=xml"), 60002);
        assert_eq!(code("sdkappid=1&identifier=a&usersig=abc&random=1"), 60002);
    }
}
