//! The commands over many mini programs: `ams category get|set|ensure` and
//! `ams blacklist get|add|remove`. One path for `--appid` flags and `--appids FILE`: the
//! AppIDs are checked in full, then streamed through the SDK's fleet runner, one record per
//! mini program as it completes (see [`crate::run`]).

use super::{Ctx, refresh, sdk};
use crate::cli::{AdvertisersArgs, AppidsArgs, CategoriesArg};
use crate::exit::CliError;
use crate::input::remaining::{Format, Remaining};
use crate::input::{Ids, check_appid};
use crate::output::{Column, Printer, Row};
use crate::run::{self, View};
use serde_json::Value;
use tx_sdk::bulk::Outcome;
use tx_sdk::wechat::fleet::{Authorizer, BlackListChange, BlackListPolicy, Policy};
use tx_sdk::wechat::wire::BlackListEntry;
use tx_sdk::wechat::{AmsCategory, BlackListType, CategoryChange, CategorySet, FleetBulk, FleetRecord};

const CATEGORIES: &[Column] = &[
    Column::new("INDEX", "index", 6),
    Column::new("AUTHORIZER", "authorizer_appid", 18),
    Column::new("STATUS", "status", 13),
    Column::new("CATEGORIES", "categories", 30),
    Column::new("ERROR", "error", 0),
];

const ENSURE: &[Column] = &[
    Column::new("INDEX", "index", 6),
    Column::new("AUTHORIZER", "authorizer_appid", 18),
    Column::new("STATUS", "status", 13),
    Column::new("CHANGE", "change", 9),
    Column::new("BEFORE", "before", 24),
    Column::new("AFTER", "after", 24),
    Column::new("ERROR", "error", 0),
];

const ENTRIES: &[Column] = &[
    Column::new("INDEX", "index", 6),
    Column::new("AUTHORIZER", "authorizer_appid", 18),
    Column::new("STATUS", "status", 13),
    Column::new("ENTRIES", "entries", 40),
    Column::new("ERROR", "error", 0),
];

const CHANGES: &[Column] = &[
    Column::new("INDEX", "index", 6),
    Column::new("AUTHORIZER", "authorizer_appid", 18),
    Column::new("STATUS", "status", 13),
    Column::new("CHANGE", "change", 9),
    Column::new("BLOCKED", "blocked", 24),
    Column::new("UNBLOCKED", "unblocked", 24),
    Column::new("REFUSED", "refused", 24),
    Column::new("ERROR", "error", 0),
];

/// Runs a fleet command over the checked AppIDs of `targets`.
async fn run<P: Policy>(
    ctx: &Ctx<'_>,
    command: &'static str,
    columns: &'static [Column],
    targets: &AppidsArgs,
    bulk: impl FnOnce(Ids) -> Result<FleetBulk<P>, CliError>,
    value: &dyn Fn(Row, &P::Value) -> Row,
) -> Result<u8, CliError> {
    let ids = Ids::from_args(&targets.appid, targets.appids.as_deref(), "--appid", check_appid)?;
    if let Err(e) = refresh::ensure(ctx.wechat, ids.peek()?).await {
        // Each mini program then fails with the cause (or the run stops on it), so that
        // every input item is still accounted for.
        eprintln!("tx: {e}");
    }
    let total = ids.len();
    let remaining = targets.resume.remaining.as_deref().map(|p| Remaining::create(p, Format::Ids)).transpose()?;
    let bulk = bulk(ids)?.max_in_flight(ctx.concurrency);
    let fields = |row: Row, r: &FleetRecord<P::Value>| {
        let row = row.field("authorizer_appid", r.item.as_ref().map(|a| a.authorizer_appid.as_str()));
        match &r.outcome {
            Outcome::Ok(v) => value(row, v),
            _ => row,
        }
    };
    let input_fields = |a: &Authorizer| vec![a.authorizer_appid.clone()];
    let view = View { command, fields: &fields, input_fields: &input_fields };
    let mut out = Printer::new(ctx.json, columns);
    run::run(bulk, total, view, remaining, &mut out).await
}

/// The categories of `--categories`: known ones only, separated by `,` or `|`.
fn categories(arg: &CategoriesArg) -> Result<CategorySet, CliError> {
    let mut set = CategorySet::new();
    for part in arg.categories.split([',', '|']).map(str::trim).filter(|p| !p.is_empty()) {
        match AmsCategory::from_wire(part) {
            AmsCategory::Unknown(_) => {
                let known: Vec<&str> = AmsCategory::ALL.iter().map(|c| c.as_str()).collect();
                return Err(CliError::input(format!(
                    "--categories: {part:?} is not a category (known: {})",
                    known.join(", ")
                )));
            }
            category => {
                set.insert(category);
            }
        }
    }
    Ok(set)
}

pub async fn category_get(ctx: &Ctx<'_>, targets: &AppidsArgs) -> Result<u8, CliError> {
    let bulk = |ids: Ids| Ok(ctx.wechat.fleet().category_blacklists(ids.stream()?));
    let value = |row: Row, set: &CategorySet| row.field("categories", set.to_string());
    run(ctx, "wechat ams category get", CATEGORIES, targets, bulk, &value).await
}

pub async fn category_set(ctx: &Ctx<'_>, targets: &AppidsArgs, arg: &CategoriesArg) -> Result<u8, CliError> {
    let wanted = categories(arg)?;
    let bulk = |ids: Ids| ctx.wechat.fleet().set_category_blacklist(ids.stream()?, wanted).map_err(sdk);
    let value = |row: Row, set: &CategorySet| row.field("categories", set.to_string());
    run(ctx, "wechat ams category set", CATEGORIES, targets, bulk, &value).await
}

pub async fn category_ensure(ctx: &Ctx<'_>, targets: &AppidsArgs, arg: &CategoriesArg) -> Result<u8, CliError> {
    let wanted = categories(arg)?;
    let bulk = |ids: Ids| ctx.wechat.fleet().ensure_category_blacklist(ids.stream()?, wanted).map_err(sdk);
    let value = |row: Row, change: &CategoryChange| {
        let (kind, before, after) = match change {
            CategoryChange::Unchanged { categories } => ("unchanged", categories, categories),
            CategoryChange::Changed { before, after } => ("changed", before, after),
            _ => ("changed", change.after(), change.after()),
        };
        row.field("change", kind).field("before", before.to_string()).field("after", after.to_string())
    };
    run(ctx, "wechat ams category ensure", ENSURE, targets, bulk, &value).await
}

/// What `blacklist add` and `remove` do with their advertisers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Block,
    Unblock,
}

/// The advertisers of the flags, as black-list entries.
fn advertisers(args: &AdvertisersArgs) -> Vec<BlackListEntry> {
    let typed = |kind: BlackListType, ids: &[String]| {
        ids.iter().map(move |id| BlackListEntry::new(kind, id.trim())).collect::<Vec<_>>()
    };
    let mut all = typed(BlackListType::OfficialAccount, &args.official_account);
    all.extend(typed(BlackListType::IosApp, &args.ios_app));
    all.extend(typed(BlackListType::AndroidApp, &args.android_app));
    all.extend(typed(BlackListType::MiniProgram, &args.mini_program));
    all
}

fn entries(list: &[BlackListEntry]) -> Value {
    serde_json::to_value(list).unwrap_or_default()
}

pub async fn blacklist_get(ctx: &Ctx<'_>, targets: &AppidsArgs) -> Result<u8, CliError> {
    let bulk = |ids: Ids| Ok(ctx.wechat.fleet().black_lists(ids.stream()?));
    let value = |row: Row, list: &Vec<BlackListEntry>| row.field("entries", entries(list));
    run(ctx, "wechat ams blacklist get", ENTRIES, targets, bulk, &value).await
}

pub async fn blacklist_change(
    ctx: &Ctx<'_>,
    targets: &AppidsArgs,
    args: &AdvertisersArgs,
    change: Change,
) -> Result<u8, CliError> {
    let policy = advertisers(args).into_iter().fold(BlackListPolicy::new(), |p, entry| match change {
        Change::Block => p.block(entry),
        Change::Unblock => p.unblock(entry),
    });
    policy.validate().map_err(sdk)?;
    let command = match change {
        Change::Block => "wechat ams blacklist add",
        Change::Unblock => "wechat ams blacklist remove",
    };
    let bulk = |ids: Ids| ctx.wechat.fleet().ensure_black_list(ids.stream()?, policy).map_err(sdk);
    let value = |row: Row, c: &BlackListChange| {
        let refused = serde_json::to_value(&c.refused).unwrap_or_default();
        row.field("change", if c.is_changed() { "changed" } else { "unchanged" })
            .field("before", entries(&c.before))
            .field("after", entries(&c.after))
            .field("blocked", entries(&c.blocked))
            .field("unblocked", entries(&c.unblocked))
            .field("refused", refused)
    };
    run(ctx, command, CHANGES, targets, bulk, &value).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_known_ones_separated_by_commas_or_pipes() {
        let arg = |s: &str| CategoriesArg { categories: s.to_owned() };
        assert_eq!(categories(&arg("LOAN, CHESS")).unwrap().to_string(), "CHESS|LOAN");
        assert_eq!(categories(&arg("CHESS|LOAN|")).unwrap().to_string(), "CHESS|LOAN");
        assert!(categories(&arg("")).unwrap().is_empty());
        let e = categories(&arg("CHESS,SECURITIES")).unwrap_err().to_string();
        assert!(e.contains("\"SECURITIES\" is not a category") && e.contains("SECURITES"), "{e}");
    }
}
