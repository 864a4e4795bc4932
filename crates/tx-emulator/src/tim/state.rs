//! TIM apps, accounts and their relationship chains.

use crate::seed::TimApp;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use tx_core::clock::SharedClock;
use tx_core::usersig::UserSigSigner;

/// All TIM apps, by SDKAppID.
#[derive(Debug, Default)]
pub(crate) struct TimWorld {
    pub apps: HashMap<u32, AppState>,
}

#[derive(Debug)]
pub(crate) struct AppState {
    pub signer: UserSigSigner,
    /// UserSigs that verified, by (identifier, UserSig), with their expiry: only the
    /// expiry depends on time, so a repeat needs no inflate and no HMAC (as a real
    /// server would cache them). Cleared with the key.
    pub verified: HashMap<(String, String), u64>,
    pub admins: HashSet<String>,
    pub users: HashMap<String, User>,
    pub blocklist_limit: usize,
    pub friend_limit: usize,
    pub group_limit: usize,
    order: u64,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Blocked {
    pub order: u64,
    pub added_at: u64,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Friend {
    pub order: u64,
    pub add_source: String,
    pub remark: String,
    pub remark_time: u64,
    pub groups: Vec<String>,
    pub add_wording: String,
    pub add_time: u64,
    pub custom: BTreeMap<String, Value>,
}

#[derive(Debug, Default)]
pub(crate) struct User {
    pub blocklist: HashMap<String, Blocked>,
    pub block_seq: u64,
    pub friends: HashMap<String, Friend>,
    pub standard_seq: u64,
    pub custom_seq: u64,
    pub groups: Vec<String>,
    pub group_seq: u64,
}

impl User {
    /// Friends in the order they were added.
    pub fn friends_in_order(&self) -> Vec<(&String, &Friend)> {
        let mut v: Vec<_> = self.friends.iter().collect();
        v.sort_by_key(|(_, f)| f.order);
        v
    }
}

impl TimWorld {
    /// Adds or updates the apps of a seed.
    pub fn apply(&mut self, apps: &[TimApp], clock: &SharedClock, now: u64) {
        for seed in apps {
            let signer = UserSigSigner::new(seed.sdkappid, seed.key.expose()).with_shared_clock(clock.clone());
            let app = self.apps.entry(seed.sdkappid).or_insert_with(|| AppState {
                signer: signer.clone(),
                verified: HashMap::new(),
                admins: HashSet::new(),
                users: HashMap::new(),
                blocklist_limit: 1000,
                friend_limit: 3000,
                group_limit: 100,
                order: 0,
            });
            app.signer = signer;
            app.verified.clear();
            app.blocklist_limit = seed.blocklist_limit.unwrap_or(app.blocklist_limit);
            app.friend_limit = seed.friend_limit.unwrap_or(app.friend_limit);
            app.group_limit = seed.group_limit.unwrap_or(app.group_limit);
            for admin in seed.effective_admins() {
                app.users.entry(admin.clone()).or_default();
                app.admins.insert(admin);
            }
            for id in &seed.accounts {
                app.users.entry(id.clone()).or_default();
            }
            for (owner, targets) in &seed.blocklists {
                app.users.entry(owner.clone()).or_default();
                for t in targets {
                    app.users.entry(t.clone()).or_default();
                    app.block(owner, t, now);
                }
            }
            for (a, others) in &seed.friends {
                app.users.entry(a.clone()).or_default();
                for b in others {
                    app.users.entry(b.clone()).or_default();
                    let f = Friend { add_source: "AddSource_Type_Seed".to_owned(), add_time: now, ..Friend::default() };
                    app.add_friend(a, b, f.clone());
                    app.add_friend(b, a, f);
                }
            }
        }
    }
}

impl AppState {
    pub fn next_order(&mut self) -> u64 {
        self.order += 1;
        self.order
    }

    pub fn exists(&self, id: &str) -> bool {
        self.users.contains_key(id)
    }

    /// Whether `a` has `b` on its blocklist.
    pub fn blocks(&self, a: &str, b: &str) -> bool {
        self.users.get(a).is_some_and(|u| u.blocklist.contains_key(b))
    }

    /// Whether `a` has `b` as a friend.
    pub fn has_friend(&self, a: &str, b: &str) -> bool {
        self.users.get(a).is_some_and(|u| u.friends.contains_key(b))
    }

    /// Puts `b` on `a`'s blocklist and ends their friendship both ways. The caller has
    /// checked existence, duplicates and the limit.
    pub fn block(&mut self, a: &str, b: &str, now: u64) {
        let order = self.next_order();
        if let Some(u) = self.users.get_mut(a) {
            u.blocklist.insert(b.to_owned(), Blocked { order, added_at: now });
            u.block_seq += 1;
        }
        self.remove_friend(a, b);
        self.remove_friend(b, a);
    }

    /// Adds `b` to `a`'s friend list (one direction).
    pub fn add_friend(&mut self, a: &str, b: &str, mut friend: Friend) {
        friend.order = self.next_order();
        if let Some(u) = self.users.get_mut(a) {
            for g in &friend.groups {
                if !u.groups.contains(g) {
                    u.groups.push(g.clone());
                    u.group_seq += 1;
                }
            }
            u.friends.insert(b.to_owned(), friend);
            u.standard_seq += 1;
        }
    }

    /// Removes `b` from `a`'s friend list; whether it was there.
    pub fn remove_friend(&mut self, a: &str, b: &str) -> bool {
        let Some(u) = self.users.get_mut(a) else { return false };
        let removed = u.friends.remove(b).is_some();
        if removed {
            u.standard_seq += 1;
        }
        removed
    }
}
