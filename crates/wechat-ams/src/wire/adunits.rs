//! Ad units (actions 7–10, 15, 16): create, update, template type, the template and
//! general lists, and the code snippet of a unit.

use super::enums::ad_unit_status_from_any;
use super::{Ack, AdSlot, AdUnitStatus, OPERATION_PATH, Paging, SlotId, TmplType, action, de};
use crate::validate;
use serde::{Deserialize, Serialize};
use tx_core::{Error, lenient};

/// `agency_create_adunit`: creates an ad unit. **Not idempotent**: never repeated after an
/// ambiguous failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreateAdUnitRequest {
    /// The unit's name.
    pub name: String,
    /// The slot (`type` on the wire).
    #[serde(rename = "type")]
    pub slot: AdSlot,
    /// Reward video: the shortest video, 6 s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_duration_min: Option<u32>,
    /// Reward video: the longest video, 15, 30 or 60 s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_duration_max: Option<u32>,
    /// Template slot: the template type (this or `tmpl_id` is required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmpl_type: Option<TmplType>,
    /// Template slot: a template id from the platform's native-template management.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmpl_id: Option<String>,
}

impl CreateAdUnitRequest {
    /// A unit named `name` in `slot`, without the optional fields.
    pub fn new(name: impl Into<String>, slot: AdSlot) -> Self {
        CreateAdUnitRequest {
            name: name.into(),
            slot,
            video_duration_min: None,
            video_duration_max: None,
            tmpl_type: None,
            tmpl_id: None,
        }
    }
}

/// The answer of `agency_create_adunit`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CreatedAdUnit {
    /// The new unit's id.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub ad_unit_id: String,
}

/// `agency_update_adunit`: renames a unit, switches it on or off, changes its options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateAdUnitRequest {
    /// The unit's name.
    pub name: String,
    /// The unit.
    pub ad_unit_id: String,
    /// On or off.
    pub status: AdUnitStatus,
    /// Reward video: the shortest video, 6 s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_duration_min: Option<u32>,
    /// Reward video: the longest video, 15, 30 or 60 s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_duration_max: Option<u32>,
    /// Template slot: the template type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmpl_type: Option<TmplType>,
    /// Template slot: the template id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmpl_id: Option<String>,
}

impl UpdateAdUnitRequest {
    /// Sets `ad_unit_id`'s name and status, without the optional fields.
    pub fn new(ad_unit_id: impl Into<String>, name: impl Into<String>, status: AdUnitStatus) -> Self {
        UpdateAdUnitRequest {
            name: name.into(),
            ad_unit_id: ad_unit_id.into(),
            status,
            video_duration_min: None,
            video_duration_max: None,
            tmpl_type: None,
            tmpl_id: None,
        }
    }
}

/// `agency_get_tmpl_type`: the template type of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetTmplTypeRequest {
    /// The unit.
    pub ad_unit_id: String,
}

/// The answer of `agency_get_tmpl_type`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AdUnitTmplType {
    /// The template type (may be one that create does not accept).
    #[serde(default)]
    pub tmpl_type: TmplType,
}

/// `get_agency_ad_unit_list` (no `agency_` prefix): template ad units, by template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetTemplateAdUnitListRequest {
    /// The page.
    #[serde(flatten)]
    pub paging: Paging,
    /// The slot: `SLOT_ID_WEAPP_TEMPLATE`.
    pub ad_slot: AdSlot,
    /// Only this template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmpl_id: Option<String>,
    /// Whether to list the units bound to each template (sent as 0/1).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "de::serialize_flag")]
    pub is_return_tmpl_bind_list: Option<bool>,
}

impl GetTemplateAdUnitListRequest {
    /// A page of the template slot's units.
    pub fn new(paging: Paging) -> Self {
        GetTemplateAdUnitListRequest {
            paging,
            ad_slot: AdSlot::Template,
            tmpl_id: None,
            is_return_tmpl_bind_list: None,
        }
    }
}

/// The answer of `get_agency_ad_unit_list`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TemplateAdUnitList {
    /// How many templates match.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub total_num: i64,
    /// This page's templates.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub ad_unit_list: Vec<TmplItem>,
}

/// A template and the units bound to it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TmplItem {
    /// The template id (a number in one table, a string elsewhere).
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub tmpl_id: String,
    /// The name.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub ad_unit_name: String,
    /// The slot.
    #[serde(default)]
    pub slot_id: SlotId,
    /// How many units are bound to the template.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub tmpl_bind_total_num: i64,
    /// The bound units, when asked for.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub tmpl_bind_list: Vec<AdUnit>,
}

/// `agency_get_adunit_list`: the ad units of every slot except cover, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetAdUnitListRequest {
    /// The page.
    #[serde(flatten)]
    pub paging: Paging,
    /// Only this slot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ad_slot: Option<AdSlot>,
    /// Only this unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ad_unit_id: Option<String>,
}

impl GetAdUnitListRequest {
    /// A page of every slot's units.
    pub fn new(paging: Paging) -> Self {
        GetAdUnitListRequest { paging, ad_slot: None, ad_unit_id: None }
    }
}

/// The answer of `agency_get_adunit_list`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AdUnitList {
    /// This page's units.
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub ad_unit: Vec<AdUnit>,
    /// How many units match.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub total_num: i64,
}

/// An ad unit.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AdUnit {
    /// The slot.
    #[serde(default = "no_slot")]
    pub ad_slot: AdSlot,
    /// The unit's id.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub ad_unit_id: String,
    /// The name.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub ad_unit_name: String,
    /// The sizes (documented as one object, sent as an array).
    #[serde(default, deserialize_with = "lenient::vec_or_single")]
    pub ad_unit_size: Vec<AdUnitSize>,
    /// On or off (1/2, or the string).
    #[serde(default = "no_status", deserialize_with = "ad_unit_status_from_any")]
    pub ad_unit_status: AdUnitStatus,
    /// The unit type, free-form (e.g. `AD_UNIT_TYPE_REWARED_VIDEO`, sic).
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub ad_unit_type: String,
    /// The mini program.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub appid: String,
    /// Reward video: the shortest video, in seconds.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub video_duration_min: i64,
    /// Reward video: the longest video, in seconds.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub video_duration_max: i64,
}

/// A size of an ad unit, in pixels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AdUnitSize {
    /// Height.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub height: i64,
    /// Width.
    #[serde(default, deserialize_with = "lenient::i64_from_any")]
    pub width: i64,
}

/// `agency_get_adunit_code`: the code snippet that places a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetAdUnitCodeRequest {
    /// The unit.
    pub ad_unit_id: String,
}

/// The answer of `agency_get_adunit_code`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AdUnitCode {
    /// An `<ad unit-id="…"></ad>` snippet.
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub code: String,
}

fn no_slot() -> AdSlot {
    AdSlot::Unknown(String::new())
}

fn no_status() -> AdUnitStatus {
    AdUnitStatus::Unknown(String::new())
}

/// The rules shared by create and update: durations and template fields.
fn check_options(
    video_duration_min: Option<u32>,
    video_duration_max: Option<u32>,
    tmpl_type: Option<TmplType>,
    tmpl_id: Option<&str>,
) -> Result<(), Error> {
    validate::video_durations(video_duration_min, video_duration_max)?;
    if let Some(t) = tmpl_type
        && !t.is_accepted()
    {
        return Err(Error::invalid_input(
            "tmpl_type",
            format_args!("is {}; accepted values are {:?}", t.0, TmplType::ACCEPTED),
        ));
    }
    if let Some(id) = tmpl_id {
        validate::required("tmpl_id", id)?;
    }
    Ok(())
}

fn check_create(r: &CreateAdUnitRequest) -> Result<(), Error> {
    validate::required("name", &r.name)?;
    if !r.slot.is_plausible() {
        return Err(Error::invalid_input("type", format_args!("is {:?}, which is not an ad slot", r.slot.as_str())));
    }
    check_options(r.video_duration_min, r.video_duration_max, r.tmpl_type, r.tmpl_id.as_deref())?;
    if r.slot == AdSlot::Template && r.tmpl_type.is_none() && r.tmpl_id.is_none() {
        return Err(Error::invalid_input("tmpl_type", "or tmpl_id is required for type SLOT_ID_WEAPP_TEMPLATE"));
    }
    Ok(())
}

fn check_update(r: &UpdateAdUnitRequest) -> Result<(), Error> {
    validate::required("name", &r.name)?;
    validate::required("ad_unit_id", &r.ad_unit_id)?;
    if !r.status.is_known() {
        return Err(Error::invalid_input(
            "status",
            format_args!("is {:?}; expected AD_UNIT_STATUS_ON or AD_UNIT_STATUS_OFF", r.status.as_str()),
        ));
    }
    check_options(r.video_duration_min, r.video_duration_max, r.tmpl_type, r.tmpl_id.as_deref())
}

fn check_slot(field: &'static str, slot: &AdSlot) -> Result<(), Error> {
    if !slot.is_plausible() {
        return Err(Error::invalid_input(field, format_args!("is {:?}, which is not an ad slot", slot.as_str())));
    }
    Ok(())
}

action!(CreateAdUnitRequest => CreatedAdUnit, "agency_create_adunit", OPERATION_PATH, Authorizer, NotIdempotent, |r| check_create(r));
action!(UpdateAdUnitRequest => Ack, "agency_update_adunit", OPERATION_PATH, Authorizer, Idempotent, |r| check_update(r));
action!(GetTmplTypeRequest => AdUnitTmplType, "agency_get_tmpl_type", OPERATION_PATH, Authorizer, Idempotent,
    |r| validate::required("ad_unit_id", &r.ad_unit_id));
action!(GetTemplateAdUnitListRequest => TemplateAdUnitList, "get_agency_ad_unit_list", OPERATION_PATH, Authorizer, Idempotent, |r| {
    validate::paging(r.paging.page, r.paging.page_size, None)?;
    check_slot("ad_slot", &r.ad_slot)?;
    match &r.tmpl_id {
        Some(id) => validate::required("tmpl_id", id),
        None => Ok(()),
    }
});
action!(GetAdUnitListRequest => AdUnitList, "agency_get_adunit_list", OPERATION_PATH, Authorizer, Idempotent, |r| {
    validate::paging(r.paging.page, r.paging.page_size, None)?;
    if let Some(slot) = &r.ad_slot {
        check_slot("ad_slot", slot)?;
    }
    match &r.ad_unit_id {
        Some(id) => validate::required("ad_unit_id", id),
        None => Ok(()),
    }
});
action!(GetAdUnitCodeRequest => AdUnitCode, "agency_get_adunit_code", OPERATION_PATH, Authorizer, Idempotent,
    |r| validate::required("ad_unit_id", &r.ad_unit_id));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Action;
    use tx_core::envelope::wechat::decode;

    #[test]
    fn create_requests() {
        let mut r = CreateAdUnitRequest::new("reward", AdSlot::RewardVideo);
        r.video_duration_min = Some(6);
        r.video_duration_max = Some(30);
        assert!(r.validate().is_ok());
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"name":"reward","type":"SLOT_ID_WEAPP_REWARD_VIDEO","video_duration_min":6,"video_duration_max":30}"#
        );
        r.video_duration_max = Some(45);
        assert_eq!(r.validate().unwrap_err().field(), Some("video_duration_max"));

        let mut t = CreateAdUnitRequest::new("grid", AdSlot::Template);
        assert_eq!(t.validate().unwrap_err().field(), Some("tmpl_type"));
        t.tmpl_id = Some("1024".into());
        assert!(t.validate().is_ok());
        t.tmpl_id = None;
        t.tmpl_type = Some(TmplType(5));
        assert!(t.validate().unwrap_err().to_string().contains("is 5; accepted values"));
        t.tmpl_type = Some(TmplType(100003));
        assert!(t.validate().is_ok());
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"name":"grid","type":"SLOT_ID_WEAPP_TEMPLATE","tmpl_type":100003}"#
        );

        assert_eq!(CreateAdUnitRequest::new(" ", AdSlot::Banner).validate().unwrap_err().field(), Some("name"));
        assert_eq!(
            CreateAdUnitRequest::new("x", AdSlot::from_wire("banner")).validate().unwrap_err().field(),
            Some("type")
        );
        assert!(CreateAdUnitRequest::new("x", AdSlot::from_wire("SLOT_ID_BIZ_BOTTOM")).validate().is_ok());
    }

    #[test]
    fn update_requests() {
        let r = UpdateAdUnitRequest::new("adunit-1", "home", AdUnitStatus::Off);
        assert!(r.validate().is_ok());
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"name":"home","ad_unit_id":"adunit-1","status":"AD_UNIT_STATUS_OFF"}"#
        );
        assert_eq!(
            UpdateAdUnitRequest::new("", "home", AdUnitStatus::On).validate().unwrap_err().field(),
            Some("ad_unit_id")
        );
        let unknown = UpdateAdUnitRequest::new("a", "home", AdUnitStatus::from_wire("ON"));
        assert_eq!(unknown.validate().unwrap_err().field(), Some("status"));
        let mut empty_tmpl = UpdateAdUnitRequest::new("a", "home", AdUnitStatus::On);
        empty_tmpl.tmpl_id = Some(String::new());
        assert_eq!(empty_tmpl.validate().unwrap_err().field(), Some("tmpl_id"));
    }

    #[test]
    fn list_requests() {
        let mut r = GetTemplateAdUnitListRequest::new(Paging::new(1, 10));
        r.is_return_tmpl_bind_list = Some(true);
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"page":1,"page_size":10,"ad_slot":"SLOT_ID_WEAPP_TEMPLATE","is_return_tmpl_bind_list":1}"#
        );
        assert!(r.validate().is_ok());
        assert_eq!(GetTemplateAdUnitListRequest::new(Paging::new(0, 10)).validate().unwrap_err().field(), Some("page"));
        let mut l = GetAdUnitListRequest::new(Paging::new(2, 20));
        assert_eq!(serde_json::to_string(&l).unwrap(), r#"{"page":2,"page_size":20}"#);
        l.ad_slot = Some(AdSlot::from_wire("cover"));
        assert_eq!(l.validate().unwrap_err().field(), Some("ad_slot"));
        assert_eq!(
            GetAdUnitCodeRequest { ad_unit_id: String::new() }.validate().unwrap_err().field(),
            Some("ad_unit_id")
        );
        assert_eq!(
            GetTmplTypeRequest { ad_unit_id: String::new() }.validate().unwrap_err().field(),
            Some("ad_unit_id")
        );
    }

    #[test]
    fn ad_unit_size_is_an_object_or_an_array_and_status_a_number_or_a_string() {
        let body = br#"{"ret":0,"err_msg":"","total_num":2,"ad_unit":[
            {"ad_slot":"SLOT_ID_WEAPP_REWARD_VIDEO","ad_unit_id":"adunit-1","ad_unit_name":"r","ad_unit_size":[{"height":166,"width":582}],
             "ad_unit_status":1,"ad_unit_type":"AD_UNIT_TYPE_REWARED_VIDEO","appid":"wx2c2769f8efd9abc2","video_duration_min":6,"video_duration_max":"30"},
            {"ad_slot":"SLOT_ID_WEAPP_BANNER","ad_unit_id":12345,"ad_unit_size":{"height":"100","width":300},"ad_unit_status":"AD_UNIT_STATUS_OFF","unknown":true}]}"#;
        let list: AdUnitList = decode(body).unwrap();
        assert_eq!(list.total_num, 2);
        let [a, b] = &list.ad_unit[..] else { panic!("two units") };
        assert_eq!(a.ad_unit_size, [AdUnitSize { height: 166, width: 582 }]);
        assert_eq!((a.ad_unit_status.clone(), a.video_duration_max), (AdUnitStatus::On, 30));
        assert_eq!(a.ad_unit_type, "AD_UNIT_TYPE_REWARED_VIDEO");
        assert_eq!(b.ad_unit_id, "12345");
        assert_eq!(b.ad_unit_size, [AdUnitSize { height: 100, width: 300 }]);
        assert_eq!(b.ad_unit_status, AdUnitStatus::Off);
        assert_eq!(b.appid, "");
        let string_two: AdUnit = serde_json::from_str(r#"{"ad_unit_status":"2"}"#).unwrap();
        assert_eq!(string_two.ad_unit_status, AdUnitStatus::Off);
        assert_eq!(string_two.ad_slot, AdSlot::Unknown(String::new()));
        assert!(decode::<AdUnitList>(b"{}").unwrap().ad_unit.is_empty());
    }

    #[test]
    fn template_lists_take_tmpl_id_as_a_number_or_a_string() {
        let body =
            br#"{"total_num":1,"ad_unit_list":[{"tmpl_id":10086,"ad_unit_name":"grid","slot_id":1030436212907001,
            "tmpl_bind_total_num":"1","tmpl_bind_list":{"ad_unit_id":"adunit-9","ad_unit_status":2}}]}"#;
        let list: TemplateAdUnitList = decode(body).unwrap();
        let t = &list.ad_unit_list[0];
        assert_eq!((t.tmpl_id.as_str(), t.tmpl_bind_total_num), ("10086", 1));
        assert_eq!(t.slot_id, SlotId::Id(1030436212907001));
        assert_eq!(t.tmpl_bind_list[0].ad_unit_id, "adunit-9");
        let s: TmplItem = serde_json::from_str(r#"{"tmpl_id":"10086"}"#).unwrap();
        assert_eq!(s.tmpl_id, "10086");
        assert!(s.tmpl_bind_list.is_empty());
    }

    #[test]
    fn small_answers() {
        assert_eq!(decode::<CreatedAdUnit>(br#"{"ret":0,"ad_unit_id":"adunit-7"}"#).unwrap().ad_unit_id, "adunit-7");
        assert_eq!(decode::<AdUnitTmplType>(br#"{"tmpl_type":"100005"}"#).unwrap().tmpl_type, TmplType(100005));
        let code: AdUnitCode = decode(br#"{"code":"<ad unit-id=\"adunit-7\"></ad>"}"#).unwrap();
        assert_eq!(code.code, r#"<ad unit-id="adunit-7"></ad>"#);
    }
}
