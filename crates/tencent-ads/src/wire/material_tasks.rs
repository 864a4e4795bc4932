//! `POST material_async_tasks/add` and `GET material_async_tasks/get`: the newer, job-based
//! form of warning texts, for images and videos.

use super::common::{Filter, FilterField, FilterOperator, Material, MaterialType, PageInfo};
use super::common::{validate_enum, validate_fields, validate_materials};
use super::de::{missing_enum, opt_enum, opt_string, or_default};
use crate::validate::{self, MAX_TASK_FILTERS, MAX_TASK_PAGE, MAX_WARNING_TEXTS};
use serde::{Deserialize, Serialize};
use tx_core::{Error, lenient};

tx_core::open_str_enum! {
    /// How `material_async_tasks/add` names its materials (`material_param_type`).
    pub enum MaterialParamType {
        /// By material id: the only value the endpoint documents.
        Id = "MATERIAL_PARAM_TYPE_ID",
        /// By URL: defined by the official SDKs, not documented for this endpoint.
        Url = "MATERIAL_PARAM_TYPE_URL",
    }
}

tx_core::open_str_enum! {
    /// Whose materials `material_async_tasks/get` looks at (`ownership_type`).
    pub enum OwnershipType {
        /// The account's own materials.
        Owned = "OWNED",
    }
}

tx_core::open_str_enum! {
    /// The state of one task of a job (`task_status`).
    pub enum TaskStatus {
        /// The status is not known yet; polled until the deadline.
        StatusUnknown = "MATERIAL_TASK_STATUS_UNKNOWN",
        /// The warning text is being added.
        WatermarkProcessing = "MATERIAL_TASK_STATUS_WATERMARK_PROCESSING",
        /// Done; the result fields are filled.
        WatermarkSuccess = "MATERIAL_TASK_STATUS_WATERMARK_SUCCESS",
        /// Failed; see `message`.
        WatermarkFailed = "MATERIAL_TASK_STATUS_WATERMARK_FAILED",
        /// Ended by an exception; see `message`.
        WatermarkException = "MATERIAL_TASK_STATUS_WATERMARK_EXCEPTION",
        /// The result was deleted.
        WatermarkDeleted = "MATERIAL_TASK_STATUS_WATERMARK_DELETED",
        /// Pre-review in progress (not documented for warning-text tasks).
        PrereviewProcessing = "MATERIAL_TASK_STATUS_PREREVIEW_PROCESSING",
        /// Pre-review found something to repair (not documented for warning-text tasks).
        PrereviewHasRepairDetail = "MATERIAL_TASK_STATUS_PREREVIEW_HAS_REPAIR_DETAIL",
        /// Pre-review found nothing to repair (not documented for warning-text tasks).
        PrereviewNoRepairDetail = "MATERIAL_TASK_STATUS_PREREVIEW_NO_REPAIR_DETAIL",
        /// Pre-review ended by an exception (not documented for warning-text tasks).
        PrereviewException = "MATERIAL_TASK_STATUS_PREREVIEW_EXCEPTION",
    }
}

impl TaskStatus {
    /// Whether a warning-text task is done: success, failed, exception or deleted.
    /// Processing, `MATERIAL_TASK_STATUS_UNKNOWN`, the pre-review statuses and statuses this
    /// crate does not know are polled until the deadline.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TaskStatus::WatermarkSuccess
                | TaskStatus::WatermarkFailed
                | TaskStatus::WatermarkException
                | TaskStatus::WatermarkDeleted
        )
    }
}

/// `task_specs.watermark_spec`: the texts to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WatermarkSpec {
    /// 1 to 10 texts.
    pub text: Vec<String>,
}

/// `task_specs`: what the job does to each material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TaskSpecs {
    /// Add warning texts.
    pub watermark_spec: WatermarkSpec,
}

/// `POST material_async_tasks/add`: start a job that adds warning texts to up to 100 images
/// or videos. The answer is a job id to poll with [`MaterialTasksGetRequest`].
///
/// ```
/// use tencent_ads::{MaterialTasksAddRequest, MaterialType};
/// let request = MaterialTasksAddRequest::new(1_234, MaterialType::Video, ["123"], ["开包不可退"]);
/// request.validate()?;
/// let body = serde_json::to_value(&request).unwrap();
/// assert_eq!(body["task_specs"]["watermark_spec"]["text"][0], "开包不可退");
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MaterialTasksAddRequest {
    /// The advertiser or agency account.
    pub account_id: i64,
    /// The business unit, `0..=9999999999`; not sent when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<i64>,
    /// How materials are named; [`MaterialParamType::Id`] by default.
    pub material_param_type: MaterialParamType,
    /// `IMAGE` or `VIDEO`.
    pub material_type: MaterialType,
    /// 1 to 100 materials.
    pub material_detail: Vec<Material>,
    /// What to do with them.
    pub task_specs: TaskSpecs,
}

impl MaterialTasksAddRequest {
    /// Materials of `account_id` given by id, and the texts to add to each.
    pub fn new(
        account_id: i64,
        material_type: MaterialType,
        material_ids: impl IntoIterator<Item = impl Into<String>>,
        texts: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        MaterialTasksAddRequest {
            account_id,
            organization_id: None,
            material_param_type: MaterialParamType::Id,
            material_type,
            material_detail: material_ids.into_iter().map(Material::id).collect(),
            task_specs: TaskSpecs {
                watermark_spec: WatermarkSpec { text: texts.into_iter().map(Into::into).collect() },
            },
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
        let params = [MaterialParamType::Id, MaterialParamType::Url];
        validate_enum("material_param_type", &self.material_param_type, self.material_param_type.is_known(), &params)?;
        let types = [MaterialType::Image, MaterialType::Video];
        validate_enum("material_type", &self.material_type, self.material_type.is_known(), &types)?;
        validate_materials("material_detail", &self.material_detail)?;
        let texts = &self.task_specs.watermark_spec.text;
        validate::check_count("task_specs.watermark_spec.text", texts.len(), 1, MAX_WARNING_TEXTS)?;
        for (i, t) in texts.iter().enumerate() {
            validate::check_warning_text(format!("task_specs.watermark_spec.text[{i}]"), t)?;
        }
        Ok(())
    }
}

/// The answer of `material_async_tasks/add`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct MaterialTasksAddResponse {
    /// The job to poll (a UUID string, trimmed).
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub job_id: String,
}

/// `GET material_async_tasks/get`: the tasks of a job, paged.
///
/// ```
/// use tencent_ads::MaterialTasksGetRequest;
/// let request = MaterialTasksGetRequest::new(1_234).with_job_id("949cb7b5-5249-4ab8-a27e-d2ae081137f8");
/// request.validate()?;
/// # Ok::<(), tx_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MaterialTasksGetRequest {
    /// The advertiser account (agency ids are refused by the service).
    pub account_id: i64,
    /// The business unit; not sent when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<i64>,
    /// Whose materials; not sent when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ownership_type: Option<OwnershipType>,
    /// 1 to 10 `job_id EQUALS` filters; none lists every task.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filtering: Vec<Filter>,
    /// The page, `1..=99999`.
    pub page: u32,
    /// Tasks per page, `1..=100`; 100 by default (the documented default is 10): a job has
    /// up to 100 materials, so one page holds all its tasks.
    pub page_size: u32,
    /// The fields to return (defined by the SDKs only); all when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

impl MaterialTasksGetRequest {
    /// The first page of 100 tasks of `account_id`, unfiltered.
    pub fn new(account_id: i64) -> Self {
        MaterialTasksGetRequest {
            account_id,
            organization_id: None,
            ownership_type: None,
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

    /// Sets whose materials to look at.
    pub fn with_ownership_type(mut self, ownership_type: OwnershipType) -> Self {
        self.ownership_type = Some(ownership_type);
        self
    }

    /// Asks for the tasks of this job (`job_id EQUALS [id]`).
    pub fn with_job_id(mut self, job_id: impl Into<String>) -> Self {
        self.filtering = vec![Filter::job_id(job_id)];
        self
    }

    /// Sets the page (`1..=99999`).
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
        if let Some(o) = &self.ownership_type {
            validate_enum("ownership_type", o, o.is_known(), &[OwnershipType::Owned])?;
        }
        if !self.filtering.is_empty() {
            validate::check_count("filtering", self.filtering.len(), 1, MAX_TASK_FILTERS)?;
        }
        for (i, f) in self.filtering.iter().enumerate() {
            f.validate(i, &FilterField::JobId, &[FilterOperator::Equals])?;
        }
        if !(1..=MAX_TASK_PAGE).contains(&self.page) {
            return Err(Error::invalid_input(
                "page",
                format_args!("must be in 1..={MAX_TASK_PAGE}, got {}", self.page),
            ));
        }
        validate::check_page_size(self.page_size)?;
        validate_fields(&self.fields)
    }
}

/// The answer of `material_async_tasks/get`: a page of tasks.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct MaterialTasksGetResponse {
    /// The tasks of this page.
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub list: Vec<MaterialTask>,
    /// Where this page stands.
    #[serde(default, deserialize_with = "or_default")]
    pub page_info: PageInfo,
}

/// One entry of `list[]`: a task's result, by kind of task.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct MaterialTask {
    /// The result of a warning-text task.
    #[serde(default)]
    pub watermark_result: Option<WatermarkTaskResult>,
}

/// `watermark_result`: one material of a warning-text job.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct WatermarkTaskResult {
    /// The task (trimmed).
    #[serde(default, deserialize_with = "lenient::string_from_any")]
    pub task_id: String,
    /// The state of the task.
    #[serde(default = "missing_enum")]
    pub task_status: TaskStatus,
    /// Details, or the error of a failed task.
    #[serde(default, deserialize_with = "opt_string")]
    pub message: Option<String>,
    /// The material's name.
    #[serde(default, deserialize_with = "opt_string")]
    pub material_name: Option<String>,
    /// The kind of the material.
    #[serde(default, deserialize_with = "opt_enum")]
    pub material_type: Option<MaterialType>,
    /// The material of the request (trimmed: the documented sample sends `" 123"`).
    #[serde(default, deserialize_with = "opt_string")]
    pub original_material_id: Option<String>,
    /// The original material's unique key.
    #[serde(default, deserialize_with = "opt_string")]
    pub original_material_uuid: Option<String>,
    /// The URL of the original material.
    #[serde(default, deserialize_with = "opt_string")]
    pub original_material_url: Option<String>,
    /// The URL of the original video's cover image.
    #[serde(default, deserialize_with = "opt_string")]
    pub original_cover_image_url: Option<String>,
    /// The material with the text, once done.
    #[serde(default, deserialize_with = "opt_string")]
    pub result_material_id: Option<String>,
    /// The result material's unique key.
    #[serde(default, deserialize_with = "opt_string")]
    pub result_material_uuid: Option<String>,
    /// The URL of the material with the text, once done.
    #[serde(default, deserialize_with = "opt_string")]
    pub result_material_url: Option<String>,
    /// The URL of the result video's cover image.
    #[serde(default, deserialize_with = "opt_string")]
    pub result_cover_image_url: Option<String>,
    /// When the task was created, Unix seconds (documented as an integer, sent as a string).
    #[serde(default, deserialize_with = "lenient::opt_i64_from_any")]
    pub create_time: Option<i64>,
    /// When the task last changed, Unix seconds.
    #[serde(default, deserialize_with = "lenient::opt_i64_from_any")]
    pub update_time: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add() -> MaterialTasksAddRequest {
        MaterialTasksAddRequest::new(1, MaterialType::Image, ["123"], ["开包不可退"])
    }

    #[test]
    fn add_requests_follow_the_documented_limits() {
        assert!(add().validate().is_ok());
        assert!(MaterialTasksAddRequest::new(1, MaterialType::Video, ["1"], ["t"]).validate().is_ok());
        let e = MaterialTasksAddRequest::new(1, MaterialType::from_wire(" "), ["1"], ["t"]).validate().unwrap_err();
        assert_eq!(e.field(), Some("material_type"));
        assert_eq!(add().with_organization_id(-1).validate().unwrap_err().field(), Some("organization_id"));
        let ids: Vec<String> = (0..101).map(|i| i.to_string()).collect();
        assert!(MaterialTasksAddRequest::new(1, MaterialType::Image, &ids[..100], ["t"]).validate().is_ok());
        let e = MaterialTasksAddRequest::new(1, MaterialType::Image, &ids, ["t"]).validate().unwrap_err();
        assert_eq!(e.field(), Some("material_detail"));
        let e = MaterialTasksAddRequest::new(1, MaterialType::Image, ["1", "2&"], ["t"]).validate().unwrap_err();
        assert_eq!(e.field(), Some("material_detail[1].material_id"));
        let texts: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        assert!(MaterialTasksAddRequest::new(1, MaterialType::Image, ["1"], &texts[..10]).validate().is_ok());
        let e = MaterialTasksAddRequest::new(1, MaterialType::Image, ["1"], &texts).validate().unwrap_err();
        assert_eq!(e.field(), Some("task_specs.watermark_spec.text"));
        let none: [&str; 0] = [];
        let e = MaterialTasksAddRequest::new(1, MaterialType::Image, ["1"], none).validate().unwrap_err();
        assert_eq!(e.field(), Some("task_specs.watermark_spec.text"));
        let e = MaterialTasksAddRequest::new(1, MaterialType::Image, ["1"], ["t", "\"t\""]).validate().unwrap_err();
        assert_eq!(e.field(), Some("task_specs.watermark_spec.text[1]"));
        let mut url = add();
        url.material_param_type = MaterialParamType::from_wire("");
        assert_eq!(url.validate().unwrap_err().field(), Some("material_param_type"));
    }

    #[test]
    fn add_requests_serialize_as_documented() {
        let body = serde_json::to_value(add().with_organization_id(7)).unwrap();
        let expected = serde_json::json!({
            "account_id": 1,
            "organization_id": 7,
            "material_param_type": "MATERIAL_PARAM_TYPE_ID",
            "material_type": "IMAGE",
            "material_detail": [{"material_id": "123"}],
            "task_specs": {"watermark_spec": {"text": ["开包不可退"]}}
        });
        assert_eq!(body, expected);
    }

    #[test]
    fn get_requests_follow_the_documented_limits() {
        let r = MaterialTasksGetRequest::new(1).with_job_id("j-1");
        assert!(r.validate().is_ok());
        assert!(r.clone().with_ownership_type(OwnershipType::Owned).validate().is_ok());
        let e = r.clone().with_ownership_type(OwnershipType::from_wire("SHARED")).validate();
        assert!(e.is_ok(), "values this crate does not know are sent as they are");
        assert!(r.clone().with_page(99_999).validate().is_ok());
        for page in [0, 100_000] {
            assert_eq!(r.clone().with_page(page).validate().unwrap_err().field(), Some("page"), "{page}");
        }
        assert_eq!(r.clone().with_page_size(0).validate().unwrap_err().field(), Some("page_size"));
        assert_eq!(r.clone().with_page_size(101).validate().unwrap_err().field(), Some("page_size"));
        let mut many = r.clone();
        many.filtering = (0..11).map(|i| Filter::job_id(format!("j{i}"))).collect();
        assert_eq!(many.validate().unwrap_err().field(), Some("filtering"));
        many.filtering.truncate(10);
        assert!(many.validate().is_ok());
        let mut by_record = r.clone();
        by_record.filtering = vec![Filter::record_ids(["1"])];
        assert_eq!(by_record.validate().unwrap_err().field(), Some("filtering[0].field"));
        let mut with_in = r;
        with_in.filtering = vec![Filter::new(FilterField::JobId, FilterOperator::In, ["a"])];
        assert_eq!(with_in.validate().unwrap_err().field(), Some("filtering[0].operator"));
        assert!(MaterialTasksGetRequest::new(1).validate().is_ok(), "no filter lists every task");
    }

    #[test]
    fn statuses() {
        let terminal = [
            TaskStatus::WatermarkSuccess,
            TaskStatus::WatermarkFailed,
            TaskStatus::WatermarkException,
            TaskStatus::WatermarkDeleted,
        ];
        for s in TaskStatus::ALL {
            assert_eq!(s.is_terminal(), terminal.contains(s), "{s}");
        }
        assert!(!TaskStatus::from_wire("MATERIAL_TASK_STATUS_NEW").is_terminal());
        assert_eq!(TaskStatus::from_wire("MATERIAL_TASK_STATUS_UNKNOWN"), TaskStatus::StatusUnknown);
    }

    #[test]
    fn answers_decode_leniently() {
        let r: MaterialTasksAddResponse = serde_json::from_str(r#"{"job_id": " 949cb7b5 "}"#).unwrap();
        assert_eq!(r.job_id, "949cb7b5");
        let json = r#"{"list": [{"watermark_result": {"task_id": 1167, "task_status": "MATERIAL_TASK_STATUS_WATERMARK_FAILED",
            "message": "素材不存在", "create_time": 1768358050, "update_time": "", "material_type": ""}}, {"other_result": {}}],
            "page_info": null}"#;
        let page: MaterialTasksGetResponse = serde_json::from_str(json).unwrap();
        let w = page.list[0].watermark_result.as_ref().unwrap();
        assert_eq!(w.task_id, "1167");
        assert_eq!(w.task_status, TaskStatus::WatermarkFailed);
        assert_eq!(w.message.as_deref(), Some("素材不存在"));
        assert_eq!((w.create_time, w.update_time), (Some(1_768_358_050), None));
        assert_eq!(w.material_type, None);
        assert_eq!(page.list[1].watermark_result, None);
    }
}
