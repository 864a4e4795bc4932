//! The output contract of `docs/cli-output.md`, read from the page itself, and a check of
//! records against it.

use serde_json::Value;
use std::collections::HashMap;

/// When a field is present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    /// In every record of the kind.
    Always,
    /// Exactly when `status` has this value.
    WhenStatus(String),
    /// May be absent.
    Optional,
}

/// One documented field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Its name.
    pub name: String,
    /// The JSON types it may have.
    pub types: Vec<String>,
    /// When it is present.
    pub presence: Presence,
}

/// The fields of each `(record kind, command)`, and of errors.
#[derive(Debug, Default)]
pub struct Contract {
    kinds: HashMap<(String, String), Vec<Field>>,
    summary: Vec<Field>,
    error: Vec<Field>,
}

fn table(lines: &mut std::iter::Peekable<std::str::Lines<'_>>) -> Vec<Field> {
    let mut fields = Vec::new();
    while let Some(line) = lines.peek() {
        let line = line.trim();
        if !line.starts_with('|') {
            if fields.is_empty() && line.is_empty() {
                lines.next();
                continue;
            }
            break;
        }
        lines.next();
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() < 3 || cells[0] == "field" || cells[0].starts_with("---") {
            continue;
        }
        let presence = match cells[2] {
            "always" => Presence::Always,
            "optional" => Presence::Optional,
            p => Presence::WhenStatus(p.strip_prefix("when status is ").unwrap_or(p).to_owned()),
        };
        let types = cells[1].split(" or ").map(|t| t.trim().to_owned()).collect();
        fields.push(Field { name: cells[0].to_owned(), types, presence });
    }
    fields
}

fn backticked(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

impl Contract {
    /// Reads the page.
    pub fn load() -> Contract {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/cli-output.md");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut contract = Contract::default();
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next() {
            if let Some(heading) = line.strip_prefix("### ") {
                let names = backticked(heading);
                let (kind, commands) = names.split_first().expect("a heading names a kind");
                let fields = table(&mut lines);
                if kind == "summary" {
                    contract.summary = fields;
                } else {
                    for command in commands {
                        contract.kinds.insert((kind.clone(), command.clone()), fields.clone());
                    }
                }
            } else if line.trim() == "## Errors" {
                while lines.peek().is_some_and(|l| !l.trim_start().starts_with('|')) {
                    lines.next();
                }
                contract.error = table(&mut lines);
            }
        }
        assert!(!contract.kinds.is_empty() && !contract.summary.is_empty() && !contract.error.is_empty());
        contract
    }

    /// Whether the page documents records of `kind` for `command`.
    pub fn documents(&self, kind: &str, command: &str) -> bool {
        kind == "summary" || self.kinds.contains_key(&(kind.to_owned(), command.to_owned()))
    }

    /// Checks one record; returns what is wrong with it.
    pub fn check(&self, record: &Value) -> Result<(), String> {
        let object = record.as_object().ok_or("not an object")?;
        let kind = object.get("record").and_then(Value::as_str).ok_or("no `record`")?;
        let command = object.get("command").and_then(Value::as_str).ok_or("no `command`")?;
        let fields = if kind == "summary" {
            &self.summary
        } else {
            self.kinds
                .get(&(kind.to_owned(), command.to_owned()))
                .ok_or_else(|| format!("no documented `{kind}` records of `{command}`"))?
        };
        check_fields(fields, record)?;
        if let Some(error) = object.get("error") {
            check_fields(&self.error, error).map_err(|e| format!("error: {e}"))?;
        }
        Ok(())
    }
}

fn type_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn check_fields(fields: &[Field], value: &Value) -> Result<(), String> {
    let object = value.as_object().ok_or("not an object")?;
    for name in object.keys() {
        if !fields.iter().any(|f| &f.name == name) {
            return Err(format!("undocumented field `{name}` in {value}"));
        }
    }
    let status = object.get("status").and_then(Value::as_str);
    for field in fields {
        let present = object.get(&field.name);
        let required = match &field.presence {
            Presence::Always => Some(true),
            Presence::WhenStatus(s) => Some(status == Some(s.as_str())),
            Presence::Optional => None,
        };
        match (required, present) {
            (Some(true), None) => return Err(format!("missing `{}` in {value}", field.name)),
            (Some(false), Some(_)) => return Err(format!("`{}` present for status {status:?} in {value}", field.name)),
            _ => {}
        }
        if let Some(v) = present
            && !field.types.iter().any(|t| t == type_of(v))
        {
            return Err(format!("`{}` is {} not {:?} in {value}", field.name, type_of(v), field.types));
        }
    }
    Ok(())
}
