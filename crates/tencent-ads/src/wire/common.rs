//! Shapes shared by several endpoints: materials, filters, paging, material types.

use crate::validate::{self, MAX_FILTER_VALUES};
use serde::{Deserialize, Serialize};
use tx_core::{Error, WireEnum, lenient};

tx_core::open_str_enum! {
    /// The kind of a material (`material_type`). `watermarks/add` takes `IMAGE` only;
    /// `material_async_tasks/add` takes `IMAGE` and `VIDEO`.
    pub enum MaterialType {
        /// An image.
        Image = "IMAGE",
        /// A video.
        Video = "VIDEO",
    }
}

tx_core::open_str_enum! {
    /// The field a filter of a GET request looks at.
    pub enum FilterField {
        /// `watermarks/get`: a warning-text record.
        RecordId = "record_id",
        /// `material_async_tasks/get`: a job of `material_async_tasks/add`.
        JobId = "job_id",
    }
}

tx_core::open_str_enum! {
    /// How a filter compares its field with its values.
    pub enum FilterOperator {
        /// The field equals the one value.
        Equals = "EQUALS",
        /// The field is one of the values.
        In = "IN",
    }
}

/// A material to process: `materials[]` of `watermarks/add`, `material_detail[]` of
/// `material_async_tasks/add`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Material {
    /// The material id, a string on the wire.
    pub material_id: String,
}

impl Material {
    /// A material given by its id.
    pub fn id(material_id: impl Into<String>) -> Self {
        Material { material_id: material_id.into() }
    }
}

/// One condition of `filtering`: `{field, operator, values}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Filter {
    /// The field compared.
    pub field: FilterField,
    /// The comparison.
    pub operator: FilterOperator,
    /// The values compared with (strings, even for numeric ids).
    pub values: Vec<String>,
}

impl Filter {
    /// A filter on any field.
    pub fn new(
        field: FilterField,
        operator: FilterOperator,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Filter { field, operator, values: values.into_iter().map(Into::into).collect() }
    }

    /// `record_id IN [ids]`, the polling filter of `watermarks/get`.
    pub fn record_ids(ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Filter::new(FilterField::RecordId, FilterOperator::In, ids)
    }

    /// `job_id EQUALS [id]`, the filter of `material_async_tasks/get`.
    pub fn job_id(id: impl Into<String>) -> Self {
        Filter::new(FilterField::JobId, FilterOperator::Equals, [id.into()])
    }

    /// Checks the filter at `filtering[index]` against the fields and operators an endpoint
    /// accepts: values not empty, at most 100, exactly one for `EQUALS`, none blank or
    /// holding a forbidden character.
    pub(crate) fn validate(
        &self,
        index: usize,
        field: &FilterField,
        operators: &[FilterOperator],
    ) -> Result<(), Error> {
        if self.field != *field {
            return Err(Error::invalid_input(
                format!("filtering[{index}].field"),
                format_args!("must be {field}, got {:?}", self.field.as_str()),
            ));
        }
        if !operators.contains(&self.operator) {
            let allowed: Vec<&str> = operators.iter().map(FilterOperator::as_str).collect();
            return Err(Error::invalid_input(
                format!("filtering[{index}].operator"),
                format_args!("must be one of {}, got {:?}", allowed.join(", "), self.operator.as_str()),
            ));
        }
        let max = if self.operator == FilterOperator::Equals { 1 } else { MAX_FILTER_VALUES };
        let n = self.values.len();
        if n == 0 || n > max {
            let rule = if max == 1 {
                format!("must have exactly 1 value for EQUALS, got {n}")
            } else {
                format!("must have 1 to {max} values per request, got {n}")
            };
            return Err(Error::invalid_input(format!("filtering[{index}].values"), rule));
        }
        for (i, value) in self.values.iter().enumerate() {
            validate::check_value(|| format!("filtering[{index}].values[{i}]"), value)?;
        }
        Ok(())
    }
}

/// `page_info` of a paged answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct PageInfo {
    /// The page returned (1-based).
    #[serde(default, deserialize_with = "lenient::u64_from_any")]
    pub page: u64,
    /// Items per page.
    #[serde(default, deserialize_with = "lenient::u64_from_any")]
    pub page_size: u64,
    /// Items in all pages.
    #[serde(default, deserialize_with = "lenient::u64_from_any")]
    pub total_number: u64,
    /// Number of pages.
    #[serde(default, deserialize_with = "lenient::u64_from_any")]
    pub total_page: u64,
}

impl PageInfo {
    /// Whether a page follows this one.
    pub fn has_next(&self) -> bool {
        self.page < self.total_page
    }
}

/// Checks the `fields` list of a GET request: each name non-blank and clean.
pub(crate) fn validate_fields(fields: &[String]) -> Result<(), Error> {
    for (i, f) in fields.iter().enumerate() {
        validate::check_value(|| format!("fields[{i}]"), f)?;
    }
    Ok(())
}

/// Checks materials: `1..=100`, each id non-blank and clean.
pub(crate) fn validate_materials(list: &'static str, materials: &[Material]) -> Result<(), Error> {
    validate::check_count(list, materials.len(), 1, validate::MAX_MATERIALS_PER_REQUEST)?;
    for (i, m) in materials.iter().enumerate() {
        validate::check_value(|| format!("{list}[{i}].material_id"), &m.material_id)?;
    }
    Ok(())
}

/// Checks a request-side enum value: a known value among `allowed`, or a value this crate
/// does not know (sent as is: the service may accept values added after this release)
/// unless it is blank or holds a forbidden character.
pub(crate) fn validate_enum<T: PartialEq + WireEnum>(
    field: &'static str,
    value: &T,
    known: bool,
    allowed: &[T],
) -> Result<(), Error> {
    if !known {
        return validate::check_value(|| field.to_owned(), value.as_wire());
    }
    if !allowed.contains(value) {
        let names: Vec<&str> = allowed.iter().map(WireEnum::as_wire).collect();
        return Err(Error::invalid_input(
            field,
            format_args!("must be one of {}, got {:?}", names.join(", "), value.as_wire()),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_serialize_as_documented() {
        let json = serde_json::to_string(&Filter::record_ids(["113"])).unwrap();
        assert_eq!(json, r#"{"field":"record_id","operator":"IN","values":["113"]}"#);
        let json = serde_json::to_string(&Filter::job_id("5d2a5771-a827-4e9a-bb83-39f539d9caba")).unwrap();
        assert_eq!(json, r#"{"field":"job_id","operator":"EQUALS","values":["5d2a5771-a827-4e9a-bb83-39f539d9caba"]}"#);
    }

    #[test]
    fn filter_rules() {
        let both = [FilterOperator::Equals, FilterOperator::In];
        assert!(Filter::record_ids(["1", "2"]).validate(0, &FilterField::RecordId, &both).is_ok());
        let e = Filter::job_id("j").validate(2, &FilterField::RecordId, &both).unwrap_err();
        assert_eq!(e.field(), Some("filtering[2].field"));
        let e = Filter::record_ids(["1"]).validate(0, &FilterField::RecordId, &[FilterOperator::Equals]).unwrap_err();
        assert_eq!(e.to_string(), "invalid input: filtering[0].operator must be one of EQUALS, got \"IN\"");
        let two = Filter::new(FilterField::JobId, FilterOperator::Equals, ["a", "b"]);
        let e = two.validate(0, &FilterField::JobId, &[FilterOperator::Equals]).unwrap_err();
        assert_eq!(e.to_string(), "invalid input: filtering[0].values must have exactly 1 value for EQUALS, got 2");
        let none = Filter::record_ids(Vec::<String>::new());
        assert_eq!(none.validate(0, &FilterField::RecordId, &both).unwrap_err().field(), Some("filtering[0].values"));
        let ids: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        assert!(Filter::record_ids(ids.clone()).validate(0, &FilterField::RecordId, &both).is_ok());
        let mut many = ids;
        many.push("100".into());
        let e = Filter::record_ids(many).validate(0, &FilterField::RecordId, &both).unwrap_err();
        assert_eq!(e.to_string(), "invalid input: filtering[0].values must have 1 to 100 values per request, got 101");
        let e = Filter::record_ids(["1", "2>"]).validate(1, &FilterField::RecordId, &both).unwrap_err();
        assert_eq!(e.field(), Some("filtering[1].values[1]"));
        let unknown_op = Filter::new(FilterField::RecordId, FilterOperator::from_wire("CONTAINS"), ["1"]);
        assert!(unknown_op.validate(0, &FilterField::RecordId, &both).is_err());
    }

    #[test]
    fn materials_rules() {
        assert!(validate_materials("materials", &[Material::id("123")]).is_ok());
        assert_eq!(validate_materials("materials", &[]).unwrap_err().field(), Some("materials"));
        let many: Vec<Material> = (0..101).map(|i| Material::id(i.to_string())).collect();
        assert!(validate_materials("materials", &many[..100]).is_ok());
        assert_eq!(validate_materials("material_detail", &many).unwrap_err().field(), Some("material_detail"));
        let bad = [Material::id("1"), Material::id("2"), Material::id("3"), Material::id("4\t")];
        assert_eq!(validate_materials("materials", &bad).unwrap_err().field(), Some("materials[3].material_id"));
        let blank = [Material::id(" ")];
        assert_eq!(validate_materials("materials", &blank).unwrap_err().field(), Some("materials[0].material_id"));
    }

    #[test]
    fn fields_rules() {
        assert!(validate_fields(&["record_id".into(), "status".into()]).is_ok());
        assert_eq!(validate_fields(&["a".into(), String::new()]).unwrap_err().field(), Some("fields[1]"));
    }

    #[test]
    fn page_info_decodes_numbers_or_strings() {
        let p: PageInfo =
            serde_json::from_str(r#"{"page": 1, "page_size": "10", "total_number": 25, "total_page": "3", "x": 1}"#)
                .unwrap();
        assert_eq!((p.page, p.page_size, p.total_number, p.total_page), (1, 10, 25, 3));
        assert!(p.has_next());
        let last: PageInfo = serde_json::from_str(r#"{"page": 3, "total_page": 3}"#).unwrap();
        assert!(!last.has_next());
        assert_eq!(serde_json::from_str::<PageInfo>("{}").unwrap(), PageInfo::default());
    }
}
