//! `POST watermarks/add` and `GET watermarks/get`: warning texts on images.

use super::common::{Filter, FilterField, FilterOperator, Material, MaterialType, PageInfo, validate_enum};
use super::common::{validate_fields, validate_materials};
use super::de::{missing_enum, opt_string, or_default};
use crate::validate::{self, MAX_WARNING_TEXTS};
use serde::{Deserialize, Serialize};
use tx_core::{Error, lenient};

tx_core::open_str_enum! {
    /// How `watermarks/add` names its materials (`source_type`).
    pub enum MaterialSourceType {
        /// By material id (`materials[].material_id`): the only value the endpoint documents.
        Id = "MATERIAL_SOURCE_TYPE_ID",
        /// By URL: defined by the official SDKs, not documented for this endpoint.
        Url = "MATERIAL_SOURCE_TYPE_URL",
    }
}

tx_core::open_str_enum! {
    /// The state of a warning-text record (`status`).
    pub enum WatermarkStatus {
        /// Done: a dedup hit or finished processing; the result fields are filled.
        Success = "success",
        /// Queued: poll `watermarks/get` with the record id.
        Processing = "processing",
        /// The material is missing or not supported; see `reason`.
        Failed = "failed",
        /// The record was deleted.
        Deleted = "deleted",
    }
}

impl WatermarkStatus {
    /// Whether the record is done (`success`, `failed`, `deleted`). `processing` is not, and
    /// neither is a status this crate does not know: poll it until the deadline.
    pub fn is_terminal(&self) -> bool {
        matches!(self, WatermarkStatus::Success | WatermarkStatus::Failed | WatermarkStatus::Deleted)
    }
}

/// One warning text of `watermark_configs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WatermarkConfig {
    /// The text drawn on the image.
    pub text_content: String,
}

impl WatermarkConfig {
    /// A warning text (see [`WarningText`](crate::WarningText) for the prescribed ones).
    pub fn new(text_content: impl Into<String>) -> Self {
        WatermarkConfig { text_content: text_content.into() }
    }
}

/// `POST watermarks/add`: add warning texts to up to 100 images.
///
/// ```
/// use tencent_ads::{WarningText, WatermarksAddRequest};
/// let request = WatermarksAddRequest::new(1_234, ["123", "456"], [WarningText::LOAN_RISK]);
/// request.validate()?;
/// let body = serde_json::to_value(&request).unwrap();
/// assert_eq!(body["account_id"], 1_234);
/// assert_eq!(body["watermark_configs"][0]["text_content"], "贷款有风险，借款需谨慎");
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct WatermarksAddRequest {
    /// The advertiser or agency account.
    pub account_id: i64,
    /// The business unit, `0..=9999999999`; not sent when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<i64>,
    /// How materials are named; [`MaterialSourceType::Id`] by default.
    pub source_type: MaterialSourceType,
    /// The kind of the materials; `IMAGE`, the only one the endpoint takes.
    pub material_type: MaterialType,
    /// 1 to 100 materials.
    pub materials: Vec<Material>,
    /// 1 to 10 texts, each added to every material. A sibling of `materials`, not nested.
    pub watermark_configs: Vec<WatermarkConfig>,
}

impl WatermarksAddRequest {
    /// Images of `account_id` given by id, and the texts to add to each.
    pub fn new(
        account_id: i64,
        material_ids: impl IntoIterator<Item = impl Into<String>>,
        texts: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        WatermarksAddRequest {
            account_id,
            organization_id: None,
            source_type: MaterialSourceType::Id,
            material_type: MaterialType::Image,
            materials: material_ids.into_iter().map(Material::id).collect(),
            watermark_configs: texts.into_iter().map(WatermarkConfig::new).collect(),
        }
    }

    /// Sets the business unit.
    pub fn with_organization_id(mut self, organization_id: i64) -> Self {
        self.organization_id = Some(organization_id);
        self
    }

    /// Checks the request against the documented rules, before anything is sent.
    pub fn validate(&self) -> Result<(), Error> {
        validate::check_account_id(self.account_id)?;
        validate::check_organization_id(self.organization_id)?;
        let sources = [MaterialSourceType::Id, MaterialSourceType::Url];
        validate_enum("source_type", &self.source_type, self.source_type.is_known(), &sources)?;
        validate_enum("material_type", &self.material_type, self.material_type.is_known(), &[MaterialType::Image])?;
        validate_materials("materials", &self.materials)?;
        validate::check_count("watermark_configs", self.watermark_configs.len(), 1, MAX_WARNING_TEXTS)?;
        for (i, c) in self.watermark_configs.iter().enumerate() {
            validate::check_warning_text(format!("watermark_configs[{i}].text_content"), &c.text_content)?;
        }
        Ok(())
    }
}

/// The answer of `watermarks/add`: counts and one result per material.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct WatermarksAddResponse {
    /// All materials of the request.
    #[serde(default, deserialize_with = "lenient::u64_from_any")]
    pub total_count: u64,
    /// Materials queued for asynchronous processing.
    #[serde(default, deserialize_with = "lenient::u64_from_any")]
    pub processing_count: u64,
    /// Materials for which an existing result was reused.
    #[serde(default, deserialize_with = "lenient::u64_from_any")]
    pub success_count: u64,
    /// Materials missing or not supported.
    #[serde(default, deserialize_with = "lenient::u64_from_any")]
    pub failed_count: u64,
    /// One entry per material.
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub results: Vec<WatermarkAddResult>,
}

/// The result of `watermarks/add` for one material. Keep it: `watermarks/get` records carry
/// neither `reason` nor the md5.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct WatermarkAddResult {
    /// The material of the request (trimmed).
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub original_material_id: String,
    /// The material's md5, its unique key.
    #[serde(default, deserialize_with = "opt_string")]
    pub original_material_md5: Option<String>,
    /// The material's name.
    #[serde(default, deserialize_with = "opt_string")]
    pub material_name: Option<String>,
    /// The record to poll with `watermarks/get`.
    #[serde(default, deserialize_with = "opt_string")]
    pub record_id: Option<String>,
    /// The state of the record.
    #[serde(default = "missing_enum")]
    pub status: WatermarkStatus,
    /// The material with the text, once done.
    #[serde(default, deserialize_with = "opt_string")]
    pub result_material_id: Option<String>,
    /// The URL of the material with the text, once done.
    #[serde(default, deserialize_with = "opt_string")]
    pub result_material_url: Option<String>,
    /// Free text: reused an existing result; submitted, query later; missing or unsupported.
    #[serde(default, deserialize_with = "opt_string")]
    pub reason: Option<String>,
}

/// `GET watermarks/get`: warning-text records, filtered by record id or all of them, paged.
///
/// ```
/// use tencent_ads::WatermarksGetRequest;
/// let request = WatermarksGetRequest::new(1_234).with_record_ids(["401", "402"]);
/// request.validate()?;
/// assert_eq!((request.page, request.page_size), (1, 100));
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct WatermarksGetRequest {
    /// The advertiser or agency account.
    pub account_id: i64,
    /// The business unit; not sent when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<i64>,
    /// `record_id` filters (`EQUALS` or `IN`); none lists every record.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filtering: Vec<Filter>,
    /// The page, from 1; 0 asks for no paging.
    pub page: u32,
    /// Records per page, `1..=100`. Always sent: the documented default is 20 in one place
    /// and 10 in another. 100 by default, to poll with as few calls as the quota allows.
    pub page_size: u32,
    /// The fields to return; all when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

impl WatermarksGetRequest {
    /// The first page of 100 records of `account_id`, unfiltered.
    pub fn new(account_id: i64) -> Self {
        WatermarksGetRequest {
            account_id,
            organization_id: None,
            filtering: Vec::new(),
            page: 1,
            page_size: validate::MAX_PAGE_SIZE,
            fields: Vec::new(),
        }
    }

    /// Sets the business unit.
    pub fn with_organization_id(mut self, organization_id: i64) -> Self {
        self.organization_id = Some(organization_id);
        self
    }

    /// Asks for these records only (`record_id IN […]`, at most 100 per request).
    pub fn with_record_ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.filtering = vec![Filter::record_ids(ids)];
        self
    }

    /// Sets the page (from 1; 0 for no paging).
    pub fn with_page(mut self, page: u32) -> Self {
        self.page = page;
        self
    }

    /// Sets the page size (`1..=100`).
    pub fn with_page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size;
        self
    }

    /// Asks for these fields only.
    pub fn with_fields(mut self, fields: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// Checks the request against the documented rules, before anything is sent.
    pub fn validate(&self) -> Result<(), Error> {
        validate::check_account_id(self.account_id)?;
        validate::check_organization_id(self.organization_id)?;
        for (i, f) in self.filtering.iter().enumerate() {
            f.validate(i, &FilterField::RecordId, &[FilterOperator::Equals, FilterOperator::In])?;
        }
        validate::check_page_size(self.page_size)?;
        validate_fields(&self.fields)
    }
}

/// The answer of `watermarks/get`: a page of records.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct WatermarksGetResponse {
    /// The records of this page.
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub list: Vec<WatermarkRecord>,
    /// Where this page stands.
    #[serde(default, deserialize_with = "or_default")]
    pub page_info: PageInfo,
}

/// A warning-text record of `watermarks/get`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct WatermarkRecord {
    /// The record (trimmed).
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub record_id: String,
    /// The state of the record.
    #[serde(default = "missing_enum")]
    pub status: WatermarkStatus,
    /// The material the text was added to.
    #[serde(default, deserialize_with = "opt_string")]
    pub original_material_id: Option<String>,
    /// The material's name.
    #[serde(default, deserialize_with = "opt_string")]
    pub material_name: Option<String>,
    /// The URL of the original material.
    #[serde(default, deserialize_with = "opt_string")]
    pub original_material_url: Option<String>,
    /// The material with the text, once done.
    #[serde(default, deserialize_with = "opt_string")]
    pub result_material_id: Option<String>,
    /// The URL of the material with the text, once done.
    #[serde(default, deserialize_with = "opt_string")]
    pub result_material_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add() -> WatermarksAddRequest {
        WatermarksAddRequest::new(1, ["123"], ["贷款有风险,借款需谨慎"])
    }

    #[test]
    fn add_requests_follow_the_documented_limits() {
        assert!(add().validate().is_ok());
        assert!(add().with_organization_id(9_999_999_999).validate().is_ok());
        assert_eq!(add().with_organization_id(10_000_000_000).validate().unwrap_err().field(), Some("organization_id"));
        let mut r = add();
        r.account_id = 0;
        assert_eq!(r.validate().unwrap_err().field(), Some("account_id"));

        let ids: Vec<String> = (1..=101).map(|i| i.to_string()).collect();
        assert!(WatermarksAddRequest::new(1, &ids[..100], ["t"]).validate().is_ok());
        assert_eq!(WatermarksAddRequest::new(1, &ids, ["t"]).validate().unwrap_err().field(), Some("materials"));
        let none: [&str; 0] = [];
        assert_eq!(WatermarksAddRequest::new(1, none, ["t"]).validate().unwrap_err().field(), Some("materials"));
        let e = WatermarksAddRequest::new(1, ["1", "2", "3", "4<"], ["t"]).validate().unwrap_err();
        assert_eq!(e.field(), Some("materials[3].material_id"));

        let texts: Vec<String> = (0..11).map(|i| format!("text {i}")).collect();
        assert!(WatermarksAddRequest::new(1, ["1"], &texts[..10]).validate().is_ok());
        let e = WatermarksAddRequest::new(1, ["1"], &texts).validate().unwrap_err();
        assert_eq!(e.field(), Some("watermark_configs"));
        assert_eq!(
            WatermarksAddRequest::new(1, ["1"], none).validate().unwrap_err().field(),
            Some("watermark_configs")
        );
        let e = WatermarksAddRequest::new(1, ["1"], ["ok", " "]).validate().unwrap_err();
        assert_eq!(e.field(), Some("watermark_configs[1].text_content"));
        let e = WatermarksAddRequest::new(1, ["1"], ["a\nb"]).validate().unwrap_err();
        assert_eq!(e.field(), Some("watermark_configs[0].text_content"));
        assert!(WatermarksAddRequest::new(1, ["1"], ["创业/加盟有风险,投资需谨慎"]).validate().is_ok());
    }

    #[test]
    fn add_request_enums() {
        let mut r = add();
        r.material_type = MaterialType::Video;
        let e = r.validate().unwrap_err();
        assert_eq!(e.to_string(), "invalid input: material_type must be one of IMAGE, got \"VIDEO\"");
        r.material_type = MaterialType::from_wire("GIF");
        assert!(r.validate().is_ok(), "values this crate does not know are sent as they are");
        r.material_type = MaterialType::from_wire("");
        assert_eq!(r.validate().unwrap_err().field(), Some("material_type"));
        let mut r = add();
        r.source_type = MaterialSourceType::Url;
        assert!(r.validate().is_ok());
        r.source_type = MaterialSourceType::from_wire("MATERIAL_SOURCE_TYPE_<X>");
        assert_eq!(r.validate().unwrap_err().field(), Some("source_type"));
    }

    #[test]
    fn organization_id_is_sent_only_when_set() {
        let body = serde_json::to_value(add()).unwrap();
        assert!(body.get("organization_id").is_none());
        let body = serde_json::to_value(add().with_organization_id(0)).unwrap();
        assert_eq!(body["organization_id"], 0);
    }

    #[test]
    fn get_requests_follow_the_documented_limits() {
        let r = WatermarksGetRequest::new(1);
        assert!(r.validate().is_ok());
        assert!(r.clone().with_page(0).validate().is_ok(), "0 asks for no paging");
        assert!(r.clone().with_page_size(1).validate().is_ok());
        assert_eq!(r.clone().with_page_size(0).validate().unwrap_err().field(), Some("page_size"));
        assert_eq!(r.clone().with_page_size(101).validate().unwrap_err().field(), Some("page_size"));
        assert_eq!(r.clone().with_organization_id(-1).validate().unwrap_err().field(), Some("organization_id"));
        let e = r.clone().with_fields(["record_id", "sta/tus"]).validate().unwrap_err();
        assert_eq!(e.field(), Some("fields[1]"));

        let ids: Vec<String> = (0..101).map(|i| i.to_string()).collect();
        assert!(r.clone().with_record_ids(&ids[..100]).validate().is_ok());
        let e = r.clone().with_record_ids(&ids).validate().unwrap_err();
        assert_eq!(e.field(), Some("filtering[0].values"));
        let mut by_job = r.clone();
        by_job.filtering = vec![Filter::record_ids(["1"]), Filter::job_id("j")];
        assert_eq!(by_job.validate().unwrap_err().field(), Some("filtering[1].field"));
        let mut equals = r;
        equals.filtering = vec![Filter::new(FilterField::RecordId, FilterOperator::Equals, ["401"])];
        assert!(equals.validate().is_ok());
    }

    #[test]
    fn statuses() {
        for s in [WatermarkStatus::Success, WatermarkStatus::Failed, WatermarkStatus::Deleted] {
            assert!(s.is_terminal(), "{s}");
        }
        assert!(!WatermarkStatus::Processing.is_terminal());
        assert!(!WatermarkStatus::from_wire("queued").is_terminal());
    }

    #[test]
    fn answers_decode_leniently() {
        let json = r#"{"results": [{"original_material_id": 123, "status": "failed", "record_id": "",
            "reason": "素材不存在或不支持添加警示语", "extra": {"x": 1}}, {}], "total_count": "2", "failed_count": 1}"#;
        let r: WatermarksAddResponse = serde_json::from_str(json).unwrap();
        assert_eq!((r.total_count, r.failed_count, r.processing_count), (2, 1, 0));
        assert_eq!(r.results[0].original_material_id, "123");
        assert_eq!(r.results[0].status, WatermarkStatus::Failed);
        assert_eq!(r.results[0].record_id, None);
        assert_eq!(r.results[0].reason.as_deref(), Some("素材不存在或不支持添加警示语"));
        assert_eq!(r.results[1].status, WatermarkStatus::Unknown(String::new()));
        let empty: WatermarksAddResponse = serde_json::from_str(r#"{"results": null}"#).unwrap();
        assert!(empty.results.is_empty());

        let page: WatermarksGetResponse =
            serde_json::from_str(r#"{"list": [{"record_id": " 113 ", "status": "paused", "result_material_id": ""}]}"#)
                .unwrap();
        assert_eq!(page.list[0].record_id, "113");
        assert_eq!(page.list[0].status, WatermarkStatus::Unknown("paused".into()));
        assert_eq!(page.list[0].result_material_id, None);
        assert_eq!(page.page_info, PageInfo::default());
    }
}
