//! The advertiser black list as a fleet policy: entries to block and to unblock, applied
//! within the per-type caps.

use super::{FleetContext, Policy};
use crate::api::{Api, Counted};
use crate::code::ErrorCode;
use crate::protocol::with_context;
use crate::wire::blacklist::check_entries;
use crate::wire::{
    BlackList, BlackListEntry, BlackListItem, BlackListOp, BlackListType, GetBlackListRequest, SetBlackListRequest,
};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use serde::Serialize;
use serde::ser::SerializeStruct;
use std::collections::HashSet;
use std::sync::Arc;
use tx_core::Error;

/// The ret code of a block past a type's cap.
const OVER_CAP: i64 = 2035;

/// Advertisers every mini program of a fleet must block, and ones it must not.
///
/// ```
/// use wechat_ams::BlackListType;
/// use wechat_ams::fleet::BlackListPolicy;
/// use wechat_ams::wire::BlackListEntry;
///
/// let policy = BlackListPolicy::new()
///     .block(BlackListEntry::new(BlackListType::OfficialAccount, "gh_0123456789ab"))
///     .block(BlackListEntry::new(BlackListType::IosApp, "1234567890"))
///     .unblock(BlackListEntry::new(BlackListType::MiniProgram, "gh_ba9876543210"));
/// policy.validate()?;
/// assert_eq!((policy.blocked().len(), policy.unblocked().len()), (2, 1));
///
/// let both = BlackListPolicy::new()
///     .block(BlackListEntry::new(BlackListType::IosApp, "1"))
///     .unblock(BlackListEntry::new(BlackListType::IosApp, "1"));
/// assert_eq!(both.validate().unwrap_err().field(), Some("unblock[0]"));
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlackListPolicy {
    block: Vec<BlackListEntry>,
    unblock: Vec<BlackListEntry>,
}

impl BlackListPolicy {
    /// A policy that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an advertiser to block (its id trimmed; a repeat is ignored).
    pub fn block(mut self, entry: BlackListEntry) -> Self {
        push_unique(&mut self.block, entry);
        self
    }

    /// Adds an advertiser to unblock (its id trimmed; a repeat is ignored).
    pub fn unblock(mut self, entry: BlackListEntry) -> Self {
        push_unique(&mut self.unblock, entry);
        self
    }

    /// The advertisers to block.
    pub fn blocked(&self) -> &[BlackListEntry] {
        &self.block
    }

    /// The advertisers to unblock.
    pub fn unblocked(&self) -> &[BlackListEntry] {
        &self.unblock
    }

    /// Refuses a policy that cannot be applied: no entry at all, an unknown type, an empty
    /// id, an advertiser both blocked and unblocked, or more advertisers of one type to
    /// block than its cap.
    pub fn validate(&self) -> Result<(), Error> {
        if self.block.is_empty() && self.unblock.is_empty() {
            return Err(Error::invalid_input("black_list_policy", "blocks and unblocks nothing"));
        }
        check_entries("block", &self.block, true)?;
        check_entries("unblock", &self.unblock, false)?;
        if let Some(i) = self.unblock.iter().position(|e| self.block.contains(e)) {
            return Err(Error::invalid_input(
                format!("unblock[{i}]"),
                format_args!("{} {:?} is also to be blocked", self.unblock[i].kind, self.unblock[i].id),
            ));
        }
        Ok(())
    }
}

fn push_unique(list: &mut Vec<BlackListEntry>, entry: BlackListEntry) {
    let entry = BlackListEntry::new(entry.kind, entry.id.trim());
    if !list.contains(&entry) {
        list.push(entry);
    }
}

/// An advertiser the policy could not block on one mini program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RefusedEntry {
    /// The advertiser.
    #[serde(flatten)]
    pub entry: BlackListEntry,
    /// Why: 2035, its type's cap would be exceeded.
    pub code: ErrorCode,
    /// The detail.
    pub message: String,
}

/// What ensuring the advertiser black list did to one mini program.
///
/// Serialized as `{"change":"changed"|"unchanged","before":[…],"after":[…],"blocked":[…],
/// "unblocked":[…],"refused":[…]}`, entries as `{"type":1,"id":"gh_…"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BlackListChange {
    /// What it blocked before, by type then id.
    pub before: Vec<BlackListEntry>,
    /// What it blocks now, by type then id.
    pub after: Vec<BlackListEntry>,
    /// The entries this run blocked.
    pub blocked: Vec<BlackListEntry>,
    /// The entries this run unblocked.
    pub unblocked: Vec<BlackListEntry>,
    /// The entries to block that could not be (2035).
    pub refused: Vec<RefusedEntry>,
}

impl BlackListChange {
    /// Whether anything was written.
    pub fn is_changed(&self) -> bool {
        !self.blocked.is_empty() || !self.unblocked.is_empty()
    }

    /// Whether the mini program follows the policy entirely (nothing refused).
    pub fn is_complete(&self) -> bool {
        self.refused.is_empty()
    }
}

impl Serialize for BlackListChange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("BlackListChange", 6)?;
        st.serialize_field("change", if self.is_changed() { "changed" } else { "unchanged" })?;
        st.serialize_field("before", &self.before)?;
        st.serialize_field("after", &self.after)?;
        st.serialize_field("blocked", &self.blocked)?;
        st.serialize_field("unblocked", &self.unblocked)?;
        st.serialize_field("refused", &self.refused)?;
        st.end()
    }
}

/// The entries of a black list answer, by type then id.
pub(crate) fn entries(list: &BlackList) -> Vec<BlackListEntry> {
    let typed = |kind: BlackListType, items: &[BlackListItem]| {
        items.iter().map(move |i| BlackListEntry::new(kind, i.id.trim())).collect::<Vec<_>>()
    };
    let mut all = typed(BlackListType::OfficialAccount, &list.blacklist_biz);
    all.extend(typed(BlackListType::IosApp, &list.blacklist_ios));
    all.extend(typed(BlackListType::AndroidApp, &list.blacklist_android));
    all.extend(typed(BlackListType::MiniProgram, &list.blacklist_weapp));
    sort(&mut all);
    all
}

fn sort(entries: &mut Vec<BlackListEntry>) {
    entries.sort_by(|a, b| (a.kind.code(), &a.id).cmp(&(b.kind.code(), &b.id)));
    entries.dedup();
}

/// What to send: the entries to unblock, to block, and the ones refused for a cap.
fn plan(
    policy: &BlackListPolicy,
    before: &[BlackListEntry],
) -> (Vec<BlackListEntry>, Vec<BlackListEntry>, Vec<RefusedEntry>) {
    let held: HashSet<&BlackListEntry> = before.iter().collect();
    let unblock: Vec<BlackListEntry> = policy.unblock.iter().filter(|e| held.contains(e)).cloned().collect();
    let mut block = Vec::new();
    let mut refused = Vec::new();
    for entry in policy.block.iter().filter(|e| !held.contains(e)) {
        let cap = entry.kind.limit().unwrap_or(usize::MAX);
        let count = |list: &[BlackListEntry]| list.iter().filter(|e| e.kind == entry.kind).count();
        let held_after_unblock = count(before) - count(&unblock);
        if held_after_unblock + count(&block) < cap {
            block.push(entry.clone());
        } else {
            refused.push(RefusedEntry {
                entry: entry.clone(),
                code: ErrorCode::from(OVER_CAP),
                message: format!(
                    "not sent: the mini program blocks {held_after_unblock} advertisers of type {} already, and at most {cap} can be blocked",
                    entry.kind
                ),
            });
        }
    }
    (unblock, block, refused)
}

impl Policy for BlackListPolicy {
    type Value = BlackListChange;

    fn apply(self: Arc<Self>, cx: FleetContext, appid: String) -> BoxFuture<'static, Counted<BlackListChange>> {
        async move {
            let api: &Api = &cx.api;
            let (list, mut attempts) = api
                .send_counted(Some(&appid), &GetBlackListRequest {})
                .await
                .map_err(|(e, n)| (with_context(e, "agency_get_black_list"), n))?;
            let before = entries(&list);
            let (unblocked, mut blocked, mut refused) = plan(&self, &before);
            if !unblocked.is_empty() {
                let request = SetBlackListRequest { op: BlackListOp::Unblock, list: unblocked.clone() };
                match api.send_counted(Some(&appid), &request).await {
                    Ok((_, n)) => attempts += n,
                    Err((e, n)) => return Err((with_context(e, "agency_set_black_list (unblock)"), attempts + n)),
                }
            }
            if !blocked.is_empty() {
                let request = SetBlackListRequest { op: BlackListOp::Block, list: blocked.clone() };
                match api.send_counted(Some(&appid), &request).await {
                    Ok((_, n)) => attempts += n,
                    Err((e, n)) if e.code() == Some(OVER_CAP) => {
                        attempts += n;
                        refused.extend(blocked.drain(..).map(|entry| RefusedEntry {
                            entry,
                            code: ErrorCode::from(OVER_CAP),
                            message: e.message().to_owned(),
                        }));
                    }
                    Err((e, n)) => {
                        let step = if unblocked.is_empty() {
                            "agency_set_black_list (block)".to_owned()
                        } else {
                            format!("agency_set_black_list (block, after unblocking {} entries)", unblocked.len())
                        };
                        return Err((with_context(e, step), attempts + n));
                    }
                }
            }
            let removed: HashSet<&BlackListEntry> = unblocked.iter().collect();
            let mut after: Vec<BlackListEntry> = before.iter().filter(|e| !removed.contains(e)).cloned().collect();
            after.extend(blocked.iter().cloned());
            sort(&mut after);
            Ok((BlackListChange { before, after, blocked, unblocked, refused }, attempts))
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(kind: BlackListType, id: &str) -> BlackListEntry {
        BlackListEntry::new(kind, id)
    }

    #[test]
    fn plans_within_the_caps() {
        use BlackListType::*;
        let before: Vec<_> =
            (0..9).map(|i| e(IosApp, &format!("ios{i}"))).chain([e(OfficialAccount, "gh_a")]).collect();
        let policy = BlackListPolicy::new()
            .block(e(IosApp, "ios0"))
            .block(e(IosApp, "new1"))
            .block(e(IosApp, "new2"))
            .block(e(OfficialAccount, " gh_b "))
            .unblock(e(OfficialAccount, "gh_a"))
            .unblock(e(AndroidApp, "com.not.held"));
        policy.validate().unwrap();
        let (unblock, block, refused) = plan(&policy, &before);
        assert_eq!(unblock, [e(OfficialAccount, "gh_a")]);
        assert_eq!(block, [e(IosApp, "new1"), e(OfficialAccount, "gh_b")], "ios0 is held; new1 fills the 10th slot");
        assert_eq!(refused.len(), 1);
        assert_eq!((refused[0].entry.id.as_str(), refused[0].code.code()), ("new2", 2035));
        assert!(refused[0].message.contains("at most 10"), "{}", refused[0].message);
        // Unblocking frees a slot of the same type first.
        let full: Vec<_> = (0..20).map(|i| e(MiniProgram, &format!("gh_{i}"))).collect();
        let swap = BlackListPolicy::new().unblock(e(MiniProgram, "gh_0")).block(e(MiniProgram, "gh_new"));
        let (unblock, block, refused) = plan(&swap, &full);
        assert_eq!((unblock.len(), block.len(), refused.len()), (1, 1, 0));
    }

    #[test]
    fn policies_that_cannot_apply_are_refused() {
        use BlackListType::*;
        assert_eq!(BlackListPolicy::new().validate().unwrap_err().field(), Some("black_list_policy"));
        assert_eq!(
            BlackListPolicy::new().block(e(Other(9), "x")).validate().unwrap_err().field(),
            Some("block[0].type")
        );
        assert_eq!(
            BlackListPolicy::new().unblock(e(IosApp, "  ")).validate().unwrap_err().field(),
            Some("unblock[0].id")
        );
        let over = (0..11).fold(BlackListPolicy::new(), |p, i| p.block(e(AndroidApp, &format!("a{i}"))));
        let refused = over.validate().unwrap_err();
        assert_eq!(refused.field(), Some("block"));
        assert!(refused.to_string().contains("at most 10"), "{refused}");
        let dup = BlackListPolicy::new().block(e(IosApp, "1")).block(e(IosApp, " 1"));
        assert_eq!(dup.blocked().len(), 1);
    }

    #[test]
    fn changes_serialize_with_their_entries() {
        let change = BlackListChange {
            before: vec![],
            after: vec![e(BlackListType::OfficialAccount, "gh_a")],
            blocked: vec![e(BlackListType::OfficialAccount, "gh_a")],
            unblocked: vec![],
            refused: vec![RefusedEntry {
                entry: e(BlackListType::IosApp, "9"),
                code: ErrorCode::from(2035),
                message: "over".into(),
            }],
        };
        let json = serde_json::to_value(&change).unwrap();
        assert_eq!(json["change"], "changed");
        assert_eq!(json["after"][0], serde_json::json!({"type": 1, "id": "gh_a"}));
        assert_eq!(json["refused"][0], serde_json::json!({"type": 2, "id": "9", "code": 2035, "message": "over"}));
        assert!(change.is_changed() && !change.is_complete());
    }
}
