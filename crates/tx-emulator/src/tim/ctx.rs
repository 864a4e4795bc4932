//! What a TIM command handler gets besides the body, and how it reports per-item results.

use serde::Serialize;

/// The request's context.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx {
    /// The command, e.g. `black_list_add`.
    pub cmd: &'static str,
    /// Wall-clock unix seconds.
    pub now: u64,
    /// An injected per-item failure code for the last item.
    pub item_fault: Option<i64>,
    /// Spell the blocklist sequence `CurruentSequence`.
    pub legacy_sequence: bool,
}

impl Ctx {
    /// The injected code for item `i` of `len`, if any.
    pub fn fault_for(&self, i: usize, len: usize) -> Option<i64> {
        self.item_fault.filter(|_| i + 1 == len)
    }

    /// A `ResultInfo` such as `Err_SNS_BlackListAdd_Already_Exist`.
    pub fn info(&self, reason: &str) -> String {
        let mut s = String::from("Err_SNS_");
        for part in self.cmd.split('_') {
            let mut chars = part.chars();
            if let Some(c) = chars.next() {
                s.push(c.to_ascii_uppercase());
                s.extend(chars);
            }
        }
        s.push('_');
        s.push_str(reason);
        s
    }

    /// The `ResultInfo` of an injected item code.
    pub fn injected_info(&self, code: i64) -> String {
        let reason = match (self.cmd, code) {
            ("black_list_check", 30007) => "Check_Reverse_BlackList_Fail",
            (_, 30001) => "Invalid_Param",
            (_, 30002) => "SdkAppId_Illegal",
            (_, 30003) => "Account_Not_Exist",
            (_, 30006) => "Internal_Error",
            (_, 30007) => "Timeout",
            (_, 30008) => "Write_Conflict",
            _ => "Injected_Error",
        };
        self.info(reason)
    }
}

/// One `ResultItem` entry.
#[derive(Debug, Serialize)]
pub(crate) struct ResultItem {
    #[serde(rename = "To_Account")]
    pub to_account: String,
    #[serde(rename = "ResultCode")]
    pub result_code: i64,
    #[serde(rename = "ResultInfo")]
    pub result_info: String,
}

/// A reply of `ResultItem`s and `Fail_Account`.
#[derive(Serialize)]
pub(crate) struct ItemsReply {
    #[serde(rename = "ResultItem")]
    pub items: Vec<ResultItem>,
    #[serde(rename = "Fail_Account", skip_serializing_if = "Option::is_none")]
    pub fail: Option<Vec<String>>,
}

/// Per-item results being gathered: items, `Fail_Account` and the failure codes.
#[derive(Debug, Default)]
pub(crate) struct Results<T> {
    pub items: Vec<T>,
    pub fail: Vec<String>,
    pub codes: Vec<i64>,
}

impl<T> Results<T> {
    pub fn with_capacity(n: usize) -> Self {
        Results { items: Vec::with_capacity(n), fail: Vec::new(), codes: Vec::new() }
    }

    pub fn push(&mut self, account: &str, code: i64, item: T) {
        if code != 0 {
            self.fail.push(account.to_owned());
            self.codes.push(code);
        }
        self.items.push(item);
    }

    /// `Fail_Account`, present only when some item failed.
    pub fn fail_account(&mut self) -> Option<Vec<String>> {
        (!self.fail.is_empty()).then(|| std::mem::take(&mut self.fail))
    }
}

/// A relationship-chain outcome of one item: code and reason (empty on success).
pub(crate) type ItemOutcome = (i64, &'static str);

/// Success.
pub(crate) const OK: ItemOutcome = (0, "");
