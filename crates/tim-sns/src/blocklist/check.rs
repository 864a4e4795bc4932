//! `black_list_check`: the blocklist relation between A and each B.

use super::add::MAX_ACCOUNTS_PER_REQUEST;
use crate::protocol::code::ErrorCode;
use crate::types::wire_enum;
use crate::wire::CheckRequest;
use crate::wire::blocklist::CheckReply;
use tx_core::Error;
use tx_core::batch::{BatchOp, WireResult};
use tx_core::pipeline::Call;

wire_enum! {
    /// The blocklist relation of A (`From_Account`) and B (a `To_Account`).
    ///
    /// Only trusted when the item succeeded: a failed item still carries a `Relation`
    /// (the official sample pairs `BlackCheckResult_Type_NO` with `ResultCode` 30007), which
    /// is why a failed [`crate::ItemResult`] has no value.
    ///
    /// ```
    /// use tim_sns::Relation;
    /// let r = Relation::from_wire("BlackCheckResult_Type_AWithB");
    /// assert_eq!(r, Relation::AWithB);
    /// assert_eq!(r.a_blocks_b(), Some(true));
    /// assert_eq!(Relation::from_wire("BlackCheckResult_Type_New"), Relation::Unknown("BlackCheckResult_Type_New".into()));
    /// ```
    pub enum Relation {
        /// `BlackCheckResult_Type_NO`: B is not on A's list (Both mode: nor A on B's).
        No = "BlackCheckResult_Type_NO",
        /// `BlackCheckResult_Type_AWithB`: B is on A's list (Both mode: A is not on B's).
        AWithB = "BlackCheckResult_Type_AWithB",
        /// `BlackCheckResult_Type_BWithA` (Both mode only): A is on B's list, B not on A's.
        BWithA = "BlackCheckResult_Type_BWithA",
        /// `BlackCheckResult_Type_BothWay` (Both mode only): each is on the other's list.
        BothWay = "BlackCheckResult_Type_BothWay",
    }
}

impl Relation {
    /// Whether A blocks B; `None` for an unknown relation.
    pub fn a_blocks_b(&self) -> Option<bool> {
        match self {
            Relation::AWithB | Relation::BothWay => Some(true),
            Relation::No | Relation::BWithA => Some(false),
            Relation::Unknown(_) => None,
        }
    }

    /// Whether B blocks A, as far as a [`crate::CheckType::Both`] check tells; `None` for an
    /// unknown relation. (A `Single` check does not look, and answers `false`.)
    pub fn b_blocks_a(&self) -> Option<bool> {
        match self {
            Relation::BWithA | Relation::BothWay => Some(true),
            Relation::No | Relation::AWithB => Some(false),
            Relation::Unknown(_) => None,
        }
    }
}

/// Checks `from` against targets.
#[derive(Debug)]
pub(crate) struct CheckOp {
    pub from: String,
    pub check_type: &'static str,
}

impl BatchOp for CheckOp {
    type Item = String;
    type Value = Relation;
    type Reply = CheckReply;
    type Code = ErrorCode;
    const MAX_CHUNK: usize = MAX_ACCOUNTS_PER_REQUEST;

    fn id(item: &String) -> &str {
        item
    }

    fn call(&self, chunk: &[&String]) -> Result<Call, Error> {
        let to = chunk.iter().map(|s| s.as_str()).collect();
        Call::post_json("v4/sns/black_list_check", &CheckRequest { from: &self.from, to, check_type: self.check_type })
    }

    fn results(&self, _chunk: &[&Self::Item], reply: CheckReply) -> Vec<WireResult<Relation>> {
        reply.into_items().into_iter().map(|i| i.into_wire()).collect()
    }
}
