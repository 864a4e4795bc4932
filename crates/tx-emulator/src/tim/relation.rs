//! The two-way relation check behind `black_list_check` and `friend_check`.

use super::body::Body;
use super::ctx::{Ctx, Results};
use super::envelope::TimError;
use serde::Serialize;

/// The wire names one check command uses.
pub(crate) struct RelationNames {
    /// `CheckType` that looks at both users' lists.
    pub both: &'static str,
    /// `CheckType` that looks at the owner's list only.
    pub single: &'static str,
    pub both_way: &'static str,
    pub a_with_b: &'static str,
    pub b_with_a: &'static str,
    pub none: &'static str,
}

/// One checked account.
#[derive(Serialize)]
pub(crate) struct CheckItem {
    #[serde(rename = "To_Account")]
    to_account: String,
    #[serde(rename = "Relation")]
    relation: &'static str,
    #[serde(rename = "ResultCode")]
    result_code: i64,
    #[serde(rename = "ResultInfo")]
    result_info: String,
}

/// Reads `CheckType` and answers each of `to`: `links(b)` is `None` for an unknown account,
/// else whether A lists B and whether B lists A. With the single type, B's side is ignored.
pub(crate) fn check_relations(
    body: &Body<'_>,
    ctx: &Ctx,
    to: &[&str],
    names: &RelationNames,
    links: impl Fn(&str) -> Option<(bool, bool)>,
) -> Result<Results<CheckItem>, TimError> {
    let check_type = body.string("CheckType")?;
    let both = if check_type == names.both {
        true
    } else if check_type == names.single {
        false
    } else {
        return Err(body.err(format!("CheckType {check_type} is not a valid value")));
    };
    let mut results = Results::with_capacity(to.len());
    for (i, b) in to.iter().enumerate() {
        let (relation, code, info) = if let Some(code) = ctx.fault_for(i, to.len()) {
            (names.none, code, ctx.injected_info(code))
        } else if let Some((a_lists_b, b_lists_a)) = links(b) {
            let relation = match (a_lists_b, both && b_lists_a) {
                (true, true) => names.both_way,
                (true, false) => names.a_with_b,
                (false, true) => names.b_with_a,
                (false, false) => names.none,
            };
            (relation, 0, String::new())
        } else {
            (names.none, 30003, ctx.info("Account_Not_Exist"))
        };
        let item = CheckItem { to_account: (*b).to_owned(), relation, result_code: code, result_info: info };
        results.push(b, code, item);
    }
    Ok(results)
}
