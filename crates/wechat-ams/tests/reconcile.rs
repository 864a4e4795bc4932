//! Lost replies to writes: the `set_*` actions replace state, so a write whose reply was
//! lost is sent again and its repeat answers success with the state the first attempt set;
//! an "ensure open" whose first attempt opened the publisher finds it open.

mod common;

use common::*;
use tx_emulator::{Fault, FaultPlan};
use wechat_ams::wire::BlackListEntry;
use wechat_ams::{AmsCategory, BlackListType, CategorySet, Opened};

fn lost_replies() -> [Fault; 2] {
    [Fault::AppliedDrop, Fault::AppliedHttp(503)]
}

async fn with_lost_reply(action: &str, fault: Fault) -> (tx_emulator::Emulator, wechat_ams::Client) {
    let (b, clock) = emulator([authorizer(0)]);
    let emu = b.faults(FaultPlan::seeded(1).script(op(action), [fault])).start().await.unwrap();
    let wechat = client(&emu, &clock, 1).await;
    (emu, wechat)
}

#[tokio::test]
async fn a_category_set_whose_reply_was_lost_is_repeated_and_holds() {
    let wanted: CategorySet = [AmsCategory::Securities].into_iter().collect();
    for fault in lost_replies() {
        let (emu, wechat) = with_lost_reply("agency_set_mp_amscategory_blacklist", fault.clone()).await;
        let mp = wechat.ams(appid(0));
        mp.category_blacklist().set(&wanted).await.unwrap();
        assert_eq!(requests(&emu, &op("agency_set_mp_amscategory_blacklist")), 2, "{fault:?}");
        assert_eq!(mp.category_blacklist().get().await.unwrap(), wanted, "{fault:?}");
    }
}

#[tokio::test]
async fn an_advertiser_block_whose_reply_was_lost_is_repeated_and_holds() {
    for fault in lost_replies() {
        let (emu, wechat) = with_lost_reply("agency_set_black_list", fault.clone()).await;
        let mp = wechat.ams(appid(0));
        let entry = BlackListEntry::new(BlackListType::OfficialAccount, "gh_0123456789ab");
        mp.black_list().block(vec![entry]).await.unwrap();
        assert_eq!(requests(&emu, &op("agency_set_black_list")), 2, "{fault:?}");
        let list = mp.black_list().get().await.unwrap();
        let ids: Vec<&str> = list.blacklist_biz.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["gh_0123456789ab"], "blocked once, not twice: {fault:?}");
    }
}

#[tokio::test]
async fn an_ensure_open_whose_first_attempt_opened_the_publisher_succeeds() {
    for fault in lost_replies() {
        let (emu, wechat) = with_lost_reply("agency_create_publisher", fault.clone()).await;
        let opened = wechat.ams(appid(0)).publisher().ensure_open().await.unwrap();
        assert_eq!(opened, Opened::Already, "the repeat found the first attempt's work: {fault:?}");
        assert_eq!(requests(&emu, &op("agency_create_publisher")), 2);
    }
}
