//! All 26 AMS actions against the emulator over HTTP, each with the token its action takes
//! (the emulator answers 48001 to the wrong kind), and input refused before any I/O.

mod common;

use common::*;
use futures_util::TryStreamExt;
use tx_core::ErrorKind;
use tx_emulator::WechatAdUnit;
use wechat_ams::wire::{
    BlackListEntry, CreateAdUnitRequest, DateRange, GetAdUnitListRequest, GetAdposGeneralRequest,
    GetAgencyAdsDetailRequest, GetSettlementRequest, GetTemplateAdUnitListRequest, Paging, UpdateAdUnitRequest,
};
use wechat_ams::{
    AdSlot, AdUnitStatus, AmsCategory, BlackListType, CategorySet, CoverStatus, Opened, SlotId, TmplType,
};

fn range() -> DateRange {
    DateRange::new("2023-11-01", "2023-11-14")
}

#[tokio::test]
async fn share_ratios_take_the_component_token() {
    let (emu, clock) = start(2).await;
    let wechat = client(&emu, &clock, 2).await;
    assert_eq!(wechat.provider().share_ratio().await.unwrap(), 40);
    wechat.provider().set_share_ratio(35).await.unwrap();
    assert_eq!(wechat.provider().share_ratio().await.unwrap(), 35);
    let (a, b) = (appid(0), appid(1));
    assert_eq!(wechat.ams(&a).share_ratio().get().await.unwrap(), 35, "no custom ratio: the default");
    wechat.ams(&a).share_ratio().set(20).await.unwrap();
    assert_eq!(wechat.ams(&a).share_ratio().get().await.unwrap(), 20);
    assert_eq!(wechat.ams(&a).share_ratio().effective().await.unwrap(), 20);
    assert_eq!(wechat.ams(&b).share_ratio().effective().await.unwrap(), 35);
    assert_eq!(requests(&emu, &set_default("set_share_ratio")), 1);
    assert_eq!(requests(&emu, &set_default("agency_set_custom_share_ratio")), 1);
    assert_eq!(requests(&emu, &get_default("get_share_ratio")), 4);
    assert_eq!(requests(&emu, &get_default("agency_get_custom_share_ratio")), 2);
    assert_eq!((component_fetches(&emu), fetches(&emu, &a)), (1, 0), "the component token only");
}

#[tokio::test]
async fn the_publisher_is_opened_once() {
    let (b, clock) =
        emulator([authorizer(0).publisher(false), authorizer(1).publisher(false).can_open_publisher(false)]);
    let emu = b.start().await.unwrap();
    let wechat = client(&emu, &clock, 2).await;
    let (mp, small) = (wechat.ams(appid(0)), wechat.ams(appid(1)));
    let units = mp.adunits().list().try_collect::<Vec<_>>().await.unwrap_err();
    assert_eq!(units.code(), Some(1807));
    assert!(units.message().contains("agency_create_publisher"), "the hint: {units}");
    assert!(mp.publisher().can_open().await.unwrap());
    assert_eq!(mp.publisher().ensure_open().await.unwrap(), Opened::Now);
    assert_eq!(mp.publisher().ensure_open().await.unwrap(), Opened::Already);
    assert_eq!(mp.publisher().create().await.unwrap_err().code(), Some(2021));
    assert!(mp.adunits().list().try_collect::<Vec<_>>().await.unwrap().is_empty());
    assert!(!small.publisher().can_open().await.unwrap());
    let e = small.publisher().ensure_open().await.unwrap_err();
    assert_eq!((e.code(), e.kind()), (Some(2013), ErrorKind::Api));
    assert_eq!(requests(&emu, &op("agency_create_publisher")), 4);
}

#[tokio::test]
async fn ad_units_are_created_updated_listed_and_placed() {
    let (emu, clock) = start(1).await;
    let wechat = client(&emu, &clock, 1).await;
    let units = wechat.ams(appid(0)).adunits();
    let banner = units.create(&CreateAdUnitRequest::new("home banner", AdSlot::Banner)).await.unwrap();
    let mut reward = CreateAdUnitRequest::new("level done", AdSlot::RewardVideo);
    reward.video_duration_min = Some(6);
    reward.video_duration_max = Some(30);
    let reward = units.create(&reward).await.unwrap();
    let mut grid = CreateAdUnitRequest::new("grid", AdSlot::Template);
    grid.tmpl_type = Some(TmplType(3));
    grid.tmpl_id = Some("1024".into());
    let grid = units.create(&grid).await.unwrap();

    units.update(&UpdateAdUnitRequest::new(&banner, "home banner (off)", AdUnitStatus::Off)).await.unwrap();
    let all: Vec<_> = units.list().try_collect().await.unwrap();
    assert_eq!(
        all.iter().map(|u| u.ad_unit_id.as_str()).collect::<Vec<_>>(),
        [&grid, &reward, &banner],
        "newest first"
    );
    let b = &all[2];
    assert_eq!(
        (b.ad_unit_name.as_str(), &b.ad_unit_status, &b.ad_slot),
        ("home banner (off)", &AdUnitStatus::Off, &AdSlot::Banner)
    );
    assert_eq!((all[1].video_duration_min, all[1].video_duration_max), (6, 30));
    assert_eq!(b.ad_unit_size.len(), 1, "an array in the sample, normalized");

    // One item per page: three pages, three requests, then the stream ends.
    let before = requests(&emu, &op("agency_get_adunit_list"));
    let paged: Vec<_> = units.list_with(GetAdUnitListRequest::new(Paging::new(1, 1))).try_collect().await.unwrap();
    assert_eq!(paged, all);
    assert_eq!(requests(&emu, &op("agency_get_adunit_list")) - before, 3);
    let mut only_banners = GetAdUnitListRequest::new(Paging::new(1, 10));
    only_banners.ad_slot = Some(AdSlot::Banner);
    let page = units.list_page(&only_banners).await.unwrap();
    assert_eq!((page.total_num, page.ad_unit.len()), (1, 1));

    assert_eq!(units.tmpl_type(&grid).await.unwrap(), TmplType(3));
    assert_eq!(units.code(&banner).await.unwrap(), format!("<ad unit-id=\"{banner}\"></ad>"));
    let mut bound = GetTemplateAdUnitListRequest::new(Paging::new(1, 10));
    bound.is_return_tmpl_bind_list = Some(true);
    let templates: Vec<_> = units.templates_with(bound).try_collect().await.unwrap();
    assert_eq!(templates.len(), 1);
    assert_eq!((templates[0].tmpl_id.as_str(), templates[0].tmpl_bind_total_num), ("1024", 1));
    assert_eq!(templates[0].tmpl_bind_list[0].ad_unit_id, grid);
    assert_eq!(units.templates().try_collect::<Vec<_>>().await.unwrap().len(), 1);
    let first = units.templates_page(&GetTemplateAdUnitListRequest::new(Paging::new(1, 10))).await.unwrap();
    assert_eq!(first.total_num, 1);
    assert_eq!(units.code("adunit-missing").await.unwrap_err().code(), Some(1701));
}

#[tokio::test(start_paused = true)]
async fn the_cover_ad_is_toggled_at_most_hourly() {
    let (emu, clock) = start(1).await;
    let wechat = client(&emu, &clock, 1).await;
    let cover = wechat.ams(appid(0)).cover();
    assert_eq!(cover.status().await.unwrap().status, CoverStatus::NeverToggled);
    assert_eq!(cover.ensure_open().await.unwrap(), Opened::Now);
    let on = cover.status().await.unwrap();
    assert_eq!((on.status, on.next_open_time), (CoverStatus::On, T0 as i64 + 3600));
    assert_eq!(cover.ensure_open().await.unwrap(), Opened::Already, "ret 2067");
    assert_eq!(cover.set_status(CoverStatus::On).await.unwrap_err().code(), Some(2067));
    // An hour's wait is more than the policy honours: refused at once, with the wait.
    let e = cover.set_status(CoverStatus::Off).await.unwrap_err();
    assert_eq!(
        (e.code(), e.kind(), e.retry_after()),
        (Some(2008), ErrorKind::Throttled, Some(std::time::Duration::from_secs(3600)))
    );
    assert_eq!(emu.stats().endpoint(&op("agency_set_cover_adpos_status")).errors.get(&2008), Some(&1), "not resent");
    // The key is held for that hour: another toggle fails here, without a request.
    let held = cover.set_status(CoverStatus::Off).await.unwrap_err();
    assert_eq!((held.kind(), held.code(), held.request_not_sent()), (ErrorKind::Throttled, None, true));
    assert_eq!(requests(&emu, &op("agency_set_cover_adpos_status")), 4, "the held toggle was not sent");
    clock.advance(3600);
    tokio::time::advance(std::time::Duration::from_secs(3600)).await;
    cover.set_status(CoverStatus::Off).await.unwrap();
    assert_eq!(cover.status().await.unwrap().status, CoverStatus::Off);
    cover.set_scenes(&[1000, 1007, 1089]).await.unwrap();
    assert_eq!(cover.scenes().await.unwrap(), [1000, 1007, 1089]);
}

#[tokio::test]
async fn advertisers_are_blocked_and_unblocked() {
    let (emu, clock) = start(1).await;
    let wechat = client(&emu, &clock, 1).await;
    let list = wechat.ams(appid(0)).black_list();
    let account = BlackListEntry::new(BlackListType::OfficialAccount, "gh_0123456789ab");
    let ios = BlackListEntry::new(BlackListType::IosApp, "1234567890");
    let game = BlackListEntry::new(BlackListType::MiniProgram, "gh_ba9876543210");
    list.block(vec![account.clone(), ios.clone(), game.clone()]).await.unwrap();
    let got = list.get().await.unwrap();
    assert_eq!(got.blacklist_biz[0].id, "gh_0123456789ab");
    assert_eq!(got.blacklist_ios[0].id, "1234567890");
    assert_eq!(got.blacklist_weapp[0].id, "gh_ba9876543210");
    assert!(got.blacklist_android.is_empty());
    list.unblock(vec![ios]).await.unwrap();
    let got = list.get().await.unwrap();
    assert!(got.blacklist_ios.is_empty());
    assert_eq!(got.blacklist_biz.len(), 1);
    // Past the cap the server refuses the whole block (2035).
    let more: Vec<_> =
        (0..20).map(|i| BlackListEntry::new(BlackListType::OfficialAccount, format!("gh_more{i}"))).collect();
    let e = list.block(more).await.unwrap_err();
    assert_eq!((e.code(), e.kind()), (Some(2035), ErrorKind::Api));
    assert_eq!(list.get().await.unwrap().blacklist_biz.len(), 1, "nothing changed");
}

#[tokio::test]
async fn categories_are_read_and_replaced() {
    let (b, clock) = emulator([authorizer(0).ams_category("LOAN|CHESS")]);
    let emu = b.start().await.unwrap();
    let wechat = client(&emu, &clock, 1).await;
    let categories = wechat.ams(appid(0)).category_blacklist();
    assert_eq!(categories.get().await.unwrap().to_string(), "CHESS|LOAN");
    let wanted = CategorySet::from_iter([AmsCategory::Securities, AmsCategory::TechnicalService]);
    categories.set(&wanted).await.unwrap();
    assert_eq!(categories.get().await.unwrap(), wanted);
    categories.set(&CategorySet::new()).await.unwrap();
    assert!(categories.get().await.unwrap().is_empty());
    // ensure: one read, and a write only when the set differs.
    assert!(categories.ensure(&wanted).await.unwrap().is_changed());
    assert!(!categories.ensure(&wanted).await.unwrap().is_changed());
    assert_eq!(requests(&emu, &op("agency_set_mp_amscategory_blacklist")), 3);
}

#[tokio::test]
async fn statistics_and_settlements_of_a_mini_program() {
    let (b, clock) = emulator([authorizer(0)
        .ad_unit(WechatAdUnit::new("横幅", "SLOT_ID_WEAPP_BANNER").id("adunit-banner"))
        .ad_unit(WechatAdUnit::new("激励", "SLOT_ID_WEAPP_REWARD_VIDEO").id("adunit-reward"))
        .stats_seed(7)]);
    let emu = b.start().await.unwrap();
    let wechat = client(&emu, &clock, 1).await;
    let stats = wechat.ams(appid(0)).stats();
    let rows: Vec<_> = stats.adpos(range()).try_collect().await.unwrap();
    assert_eq!(rows.len(), 28, "14 days, 2 slots");
    assert!(rows.windows(2).all(|w| w[0].date >= w[1].date), "newest first");
    assert!(rows.iter().all(|r| r.publisher_income >= 0 && r.exposure_count >= r.click_count));
    assert_eq!(rows[0].slot_id, Some(SlotId::Id(1)));
    let mut first = GetAdposGeneralRequest::new(Paging::new(1, 5), range());
    first.ad_slot = Some(AdSlot::Banner);
    let page = stats.adpos_page(&first).await.unwrap();
    assert_eq!((page.total_num, page.list.len(), page.summary.len()), (14, 5, 1));
    let total: i64 = rows.iter().filter(|r| r.ad_slot == AdSlot::Banner).map(|r| r.publisher_income).sum();
    assert_eq!(page.summary[0].publisher_income, total, "the summary sums the rows");

    let units: Vec<_> = stats.adunits(range()).try_collect().await.unwrap();
    let mut ids: Vec<_> = units.iter().map(|u| u.ad_unit_id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["adunit-banner", "adunit-reward"]);
    assert!(units.iter().all(|u| u.stat_item.len() == 14));

    let periods: Vec<_> = stats.settlements(DateRange::new("2023-10-01", "2023-11-14")).try_collect().await.unwrap();
    assert_eq!(periods.len(), 3, "Oct 1-15, Oct 16-31, Nov 1-15");
    assert!(periods.windows(2).all(|w| w[0].date >= w[1].date));
    let request =
        GetSettlementRequest { paging: Paging::new(1, 10), range: DateRange::new("2023-10-01", "2023-11-14") };
    let page = stats.settlement_page(&request).await.unwrap();
    assert_eq!(page.revenue_all, periods.iter().map(|p| p.settled_revenue).sum::<i64>().max(page.revenue_all));
    assert_eq!(page.total_num, 3);
}

#[tokio::test]
async fn the_providers_statistics_take_the_component_token() {
    let (b, clock) = emulator([
        authorizer(0).ad_unit(WechatAdUnit::new("横幅", "SLOT_ID_WEAPP_BANNER").id("adunit-a")),
        authorizer(1).ad_unit(WechatAdUnit::new("横幅", "SLOT_ID_WEAPP_BANNER").id("adunit-b")),
    ]);
    let emu = b.start().await.unwrap();
    let wechat = client(&emu, &clock, 2).await;
    let provider = wechat.provider();
    let rows: Vec<_> = provider.ads_stats(range()).try_collect().await.unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.income >= r.agency_income && r.income >= r.publisher_income));
    let detail: Vec<_> = provider.ads_detail(range()).try_collect().await.unwrap();
    let mut apps: Vec<_> = detail.iter().map(|d| d.appid.clone()).collect();
    apps.sort();
    assert_eq!(apps, [appid(0), appid(1)]);
    let page = provider.ads_detail_page(&GetAgencyAdsDetailRequest::new(Paging::new(1, 200), range())).await.unwrap();
    assert_eq!(page.total_num, 2);
    let summary = provider
        .ads_stats_page(&wechat_ams::wire::GetAgencyAdsStatRequest::new(Paging::new(1, 10), range()))
        .await
        .unwrap();
    assert_eq!(summary.summary.len(), 1);
    let periods: Vec<_> =
        provider.settled_revenue(DateRange::new("2023-11-01", "2023-11-14")).try_collect().await.unwrap();
    assert_eq!(periods.len(), 1);
    assert_eq!(requests(&emu, &op("get_agency_settled_revenue")), 1, "on /wxa/operationams, as documented");
    assert_eq!((fetches(&emu, &appid(0)), fetches(&emu, &appid(1))), (0, 0));

    // The path can be overridden (a peer posts it to getdefaultamsinfo); this emulator
    // serves it where the documentation says, and says so.
    let elsewhere =
        builder(&emu, &clock).action_path("get_agency_settled_revenue", "/wxa/getdefaultamsinfo").build().unwrap();
    let e = elsewhere.provider().settled_revenue(range()).try_collect::<Vec<_>>().await.unwrap_err();
    assert_eq!(e.code(), Some(1700));
    assert_eq!(requests(&emu, &get_default("get_agency_settled_revenue")), 1);
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let (emu, clock) = start(1).await;
    let wechat = client(&emu, &clock, 1).await;
    let a = appid(0);
    let field = |r: Result<(), tx_core::Error>| {
        let e = r.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
        e.field().unwrap().to_owned()
    };
    assert_eq!(field(wechat.ams("gh_0123456789ab").cover().set_scenes(&[1000]).await), "authorizer_appid");
    assert_eq!(field(wechat.ams(COMPONENT).cover().status().await.map(drop)), "authorizer_appid");
    assert_eq!(field(wechat.ams(&a).cover().set_scenes(&[]).await), "cover_scene_list");
    assert_eq!(field(wechat.ams(&a).cover().set_status(CoverStatus::NeverToggled).await), "status");
    let unknown: CategorySet = "CHESS|SECURITIES".parse().unwrap();
    assert_eq!(field(wechat.ams(&a).category_blacklist().set(&unknown).await), "ams_category");
    assert_eq!(field(wechat.ams(&a).category_blacklist().ensure(&unknown).await.map(drop)), "ams_category");
    let template = CreateAdUnitRequest::new("grid", AdSlot::Template);
    assert_eq!(field(wechat.ams(&a).adunits().create(&template).await.map(drop)), "tmpl_type");
    let over: Vec<_> = (0..11).map(|i| BlackListEntry::new(BlackListType::AndroidApp, format!("com.a{i}"))).collect();
    assert_eq!(field(wechat.ams(&a).black_list().block(over).await), "list");
    assert_eq!(field(wechat.ams(&a).share_ratio().set(101).await), "share_ratio");
    assert_eq!(field(wechat.provider().set_share_ratio(101).await), "share_ratio");
    let reversed = DateRange::new("2023-11-14", "2023-11-01");
    let e = wechat.ams(&a).stats().adpos(reversed).try_collect::<Vec<_>>().await.unwrap_err();
    assert_eq!(e.field(), Some("end_date"));
    let e = wechat
        .ams(&a)
        .stats()
        .adpos_with(GetAdposGeneralRequest::new(Paging::new(0, 10), range()))
        .try_collect::<Vec<_>>()
        .await;
    assert_eq!(e.unwrap_err().field(), Some("page"));
    let big = GetAgencyAdsDetailRequest::new(Paging::new(1, 201), range());
    assert_eq!(
        wechat.provider().ads_detail_with(big).try_collect::<Vec<_>>().await.unwrap_err().field(),
        Some("page_size")
    );
    assert_eq!(field(wechat.authorization().query_auth("").await.map(drop)), "authorization_code");
    assert_eq!(field(wechat.tokens().put_refresh_token("wx1", "r").await), "authorizer_appid");
    assert_eq!(emu.stats().total_requests(), 0, "nothing was sent");
}
