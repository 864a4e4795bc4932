//! Entry points for the fuzz targets (`fuzz/`), compiled only with the `fuzzing` feature:
//! the decode path of every `v4/sns/*` and account answer, as the client runs it.

use crate::protocol::{code, decode};
use crate::wire;
use crate::{accounts, blocklist};
use serde::de::DeserializeOwned;
use tx_core::batch::BatchOp;
use tx_core::{Error, PlatformCode};

/// What decoding one answer type gave: the per-item `(id, code)` pairs it yields, or the
/// error the client would return.
#[derive(Debug)]
pub struct Decoded {
    /// The endpoint whose answer type was used.
    pub endpoint: &'static str,
    /// The items, or the call's error.
    pub result: Result<Vec<(String, i64)>, Error>,
}

/// How many answer types [`decode_reply`] chooses from.
pub const ENDPOINTS: usize = 12;

/// Decodes `body` as the answer of endpoint `index` (modulo [`ENDPOINTS`]); a batch
/// answer is matched against `chunk`, the ids the request would have carried.
pub fn decode_reply(index: usize, body: &[u8], chunk: &[String]) -> Decoded {
    let chunk: Vec<&String> = chunk.iter().collect();
    let from = || "fuzz-from".to_owned();
    match index % ENDPOINTS {
        0 => batch("v4/sns/black_list_add", &blocklist::AccountsOp::add(from()), &chunk, body),
        1 => batch("v4/sns/black_list_check", &blocklist::CheckOp { from: from(), check_type: "x" }, &chunk, body),
        2 => batch("v4/im_open_login_svc/multiaccount_import", &accounts::ImportOp, &chunk, body),
        3 => batch("v4/im_open_login_svc/account_check", &accounts::CheckOp, &chunk, body),
        4 => batch("v4/im_open_login_svc/account_delete", &accounts::DeleteOp, &chunk, body),
        5 => items("v4/sns/black_list_get", body, |r: wire::blocklist::GetReply| {
            let _ = r.sequence();
            r.items.into_iter().map(|i| (i.to_account, i64::try_from(i.added_at).unwrap_or(i64::MAX))).collect()
        }),
        6 => items("v4/sns/friend_check", body, |r: wire::friends::CheckReply| {
            r.items.into_iter().map(|i| i.into_wire()).map(|w| (w.id, w.code)).collect()
        }),
        7 => items("v4/sns/friend_get", body, |r: wire::friends::GetReply| {
            r.items.into_iter().map(|i| (tags(i.values.iter().map(|v| v.tag.as_str())), 0)).collect()
        }),
        8 => items("v4/sns/friend_get_list", body, |r: wire::friends::GetListReply| {
            r.items.into_iter().map(|i| (i.to_account, i.result_code)).collect()
        }),
        9 => items("v4/sns/group_add", body, |r: wire::groups::AddReply| {
            r.items.into_iter().map(|i| i.into_wire(())).map(|w| (w.id, w.code)).collect()
        }),
        10 => items("v4/sns/group_delete", body, |r: wire::groups::SequenceReply| {
            vec![(String::new(), i64::try_from(r.sequence).unwrap_or(i64::MAX))]
        }),
        _ => items("v4/sns/group_get", body, |r: wire::groups::GetReply| {
            r.items.into_iter().map(|g| (g.name, g.members.len() as i64)).collect()
        }),
    }
}

/// The tags of a friend's values as the client reads them, joined.
fn tags<'a>(wire_tags: impl Iterator<Item = &'a str>) -> String {
    wire_tags.map(|t| crate::Tag::from_wire(t).as_str().to_owned()).collect::<Vec<_>>().join(",")
}

fn batch<B>(endpoint: &'static str, op: &B, chunk: &[&String], body: &[u8]) -> Decoded
where
    B: BatchOp<Item = String>,
{
    let result = decode::<B::Reply>(body).map(|reply| {
        op.results(chunk, reply)
            .into_iter()
            .map(|r| {
                let _ = B::Code::from(r.code).verdict();
                (r.id, r.code)
            })
            .collect()
    });
    Decoded { endpoint, result: classified(result) }
}

fn items<R: DeserializeOwned>(
    endpoint: &'static str,
    body: &[u8],
    read: impl FnOnce(R) -> Vec<(String, i64)>,
) -> Decoded {
    Decoded { endpoint, result: classified(decode::<R>(body).map(read)) }
}

/// Runs the retry classification the pipeline applies to an error.
fn classified<T>(result: Result<T, Error>) -> Result<T, Error> {
    if let Err(e) = &result
        && let Some(c) = e.code()
    {
        let _ = (code::verdict(c), code::kind(c));
    }
    result
}
