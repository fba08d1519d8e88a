//! finAPI's OpenAPI files as a judge of the emulator's answers.
//!
//! The files are read as they are (`tests/openapi/spec/`, or `$FINAPI_OPENAPI_DIR`): the
//! schema a response must match is the one the file names for that path, method and status, with `$ref`
//! and `allOf` resolved. A body is checked for: every required property present, no property outside
//! the schema, JSON types (with `nullable`), `int32` range, enum values, string lengths and unique
//! items, recursively.
//!
//! Access V2 "keeps V1's schemas minus the deprecated fields": a property whose description says
//! "THIS FIELD IS DEPRECATED" is not required and must NOT appear. Where V2 (or a newer Web Form) differs
//! from the files otherwise, [`CHANGES`] says how, each with its source; nothing else is exempt.
#![allow(dead_code)]

use serde_json::{Map, Value};
use std::path::PathBuf;

/// How a newer API differs from the file for one property.
#[derive(Clone, Copy)]
enum Change {
    /// Deprecated in the file, kept by the newer API (checked against the file's definition).
    Kept,
    /// In the file (not marked deprecated), gone from the newer API: must not appear.
    Removed,
    /// Not in the file, added by the newer API with these JSON types.
    Added {
        types: &'static [&'static str],
        required: bool,
    },
}

/// (schema, property, change, source).
const CHANGES: [(&str, &str, Change, &str); 8] = [
    (
        "ErrorMessage",
        "requestId",
        Change::Kept,
        "finapi-access.md §3: V2's ErrorMessage requires it (V2-PHP); issue #3 item 11",
    ),
    (
        "ClientConfiguration",
        "aisWebFormMode",
        Change::Removed,
        "finapi-access.md §4: V1-only, removed in V2 (V2-PHP ClientConfiguration)",
    ),
    (
        "ClientConfiguration",
        "pisWebFormMode",
        Change::Removed,
        "finapi-access.md §4: V1-only, removed in V2",
    ),
    (
        "ClientConfiguration",
        "pisStandaloneWebFormMode",
        Change::Removed,
        "finapi-access.md §4: V1-only, removed in V2",
    ),
    (
        "ClientConfiguration",
        "aisViaWebForm",
        Change::Added {
            types: &["boolean"],
            required: true,
        },
        "finapi-access.md §4: V2 field, required (V2-PHP ClientConfiguration)",
    ),
    (
        "ClientConfiguration",
        "pisViaWebForm",
        Change::Added {
            types: &["boolean"],
            required: true,
        },
        "finapi-access.md §4: V2 field, required",
    ),
    (
        "ClientConfiguration",
        "pisStandaloneViaWebForm",
        Change::Added {
            types: &["boolean"],
            required: true,
        },
        "finapi-access.md §4: V2 field, required",
    ),
    (
        "Payload",
        "errorMessage",
        Change::Added {
            types: &["string", "null"],
            required: false,
        },
        "finapi-access.md §6: Web Form 2.906 adds errorMessage, a string (WF-DOC)",
    ),
];

fn change(schema: &str, property: &str) -> Option<Change> {
    CHANGES
        .iter()
        .find(|(s, p, _, _)| *s == schema && *p == property)
        .map(|(_, _, change, _)| *change)
}

const DEPRECATION_MARK: &str = "THIS FIELD IS DEPRECATED";

pub struct Spec {
    doc: Value,
    /// `access` or `webform`: how emulator paths map onto the file's paths.
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Access,
    WebForm,
}

fn openapi_dir() -> PathBuf {
    match std::env::var_os("FINAPI_OPENAPI_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/openapi/spec"),
    }
}

fn load(file: &str) -> Value {
    let path = openapi_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "cannot read finAPI's OpenAPI file {} ({error}); set FINAPI_OPENAPI_DIR",
            path.display()
        )
    });
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).expect("the OpenAPI file is YAML");
    to_json(&docs[0])
}

fn to_json(yaml: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match yaml {
        Yaml::Real(text) => text.parse::<f64>().map(Value::from).unwrap_or(Value::Null),
        Yaml::Integer(n) => Value::from(*n),
        Yaml::String(text) => Value::String(text.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let key = match key {
                        Yaml::String(text) => text.clone(),
                        Yaml::Integer(n) => n.to_string(),
                        other => format!("{other:?}"),
                    };
                    (key, to_json(value))
                })
                .collect(),
        ),
        _ => Value::Null,
    }
}

/// A schema with `$ref` and `allOf` resolved, and the name of the component it came from (for the
/// exceptions above and for messages).
#[derive(Clone)]
struct Resolved {
    name: String,
    schema: Map<String, Value>,
}

impl Spec {
    /// finAPI Access, V1 1.151.1 (V2's schemas minus deprecated fields).
    pub fn access() -> Spec {
        Spec {
            doc: load("finapi-access-v1.yaml"),
            kind: Kind::Access,
        }
    }

    /// finAPI Web Form 2.0, 2.430.0.
    pub fn web_form() -> Spec {
        Spec {
            doc: load("finapi-webform2.yaml"),
            kind: Kind::WebForm,
        }
    }

    /// The file's path for an emulator path template: V2's `/api/v2/oauth/…` is V1's `/oauth/…`, and
    /// `/api/v2/…` is `/api/v1/…`.
    fn file_path(&self, template: &str) -> String {
        match self.kind {
            Kind::WebForm => template.to_owned(),
            Kind::Access => match template.strip_prefix("/api/v2/oauth/") {
                Some(rest) => format!("/oauth/{rest}"),
                None => template.replacen("/api/v2/", "/api/v1/", 1),
            },
        }
    }

    /// The documented response for (method, path template, status): `Ok(Some(schema))` for a JSON body,
    /// `Ok(None)` for "no body", `Err` if the file does not document that status.
    fn documented_response(&self, method: &str, template: &str, status: u16) -> Result<Option<Value>, String> {
        let path = self.file_path(template);
        let operation = self
            .doc
            .pointer(&format!("/paths/{}/{}", escape(&path), method.to_ascii_lowercase()))
            .ok_or_else(|| format!("the OpenAPI file has no {method} {path}"))?;
        let response = operation
            .pointer(&format!("/responses/{status}"))
            .ok_or_else(|| format!("{method} {path} documents no status {status}"))?;
        Ok(response.pointer("/content/application~1json/schema").cloned())
    }

    /// Checks an answer against what the file documents for it; returns every problem found.
    pub fn problems(&self, method: &str, template: &str, status: u16, body: &str) -> Vec<String> {
        match self.documented_response(method, template, status) {
            Err(message) => vec![message],
            Ok(None) if body.trim().is_empty() => Vec::new(),
            Ok(None) => vec![format!("the file documents an empty body, the emulator sent {body}")],
            Ok(Some(schema)) => self.body_problems(&schema, body),
        }
    }

    /// Checks a body against a named component schema (for statuses the file does not list for an
    /// operation, such as a 415 or 405).
    pub fn component_problems(&self, name: &str, body: &str) -> Vec<String> {
        let schema = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
        self.body_problems(&schema, body)
    }

    fn body_problems(&self, schema: &Value, body: &str) -> Vec<String> {
        match serde_json::from_str::<Value>(body) {
            Err(error) => vec![format!("the body is not JSON ({error}): {body}")],
            Ok(value) => {
                let mut problems = Vec::new();
                self.check(schema, "", &value, "$", &mut problems);
                problems
            }
        }
    }

    fn component(&self, reference: &str) -> (String, Value) {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected $ref {reference}"));
        let schema = self
            .doc
            .pointer(&format!("/components/schemas/{}", escape(name)))
            .unwrap_or_else(|| panic!("no schema {name}"))
            .clone();
        (name.to_owned(), schema)
    }

    /// Resolves `$ref` and `allOf`: members are merged (properties and required lists united), and the
    /// schema's own keys (e.g. `nullable`) win.
    fn resolve(&self, schema: &Value, name: &str) -> Resolved {
        let mut schema = schema.as_object().cloned().unwrap_or_default();
        let mut name = name.to_owned();
        if let Some(Value::String(reference)) = schema.remove("$ref") {
            let (component, target) = self.component(&reference);
            let inner = self.resolve(&target, &component);
            name = inner.name;
            let mut merged = inner.schema;
            merged.extend(schema);
            schema = merged;
        }
        if let Some(Value::Array(members)) = schema.remove("allOf") {
            let mut merged = Map::new();
            for member in &members {
                let inner = self.resolve(member, &name);
                if members.len() == 1 {
                    name = inner.name.clone();
                }
                merge(&mut merged, inner.schema);
            }
            merge(&mut merged, schema);
            schema = merged;
        }
        Resolved { name, schema }
    }

    fn check(&self, schema: &Value, name: &str, value: &Value, at: &str, problems: &mut Vec<String>) {
        let Resolved { name, schema } = self.resolve(schema, name);
        if value.is_null() {
            if schema.get("nullable") != Some(&Value::Bool(true)) {
                problems.push(format!("{at}: null, but the schema ({name}) is not nullable"));
            }
            return;
        }
        if let Some(Value::String(wanted)) = schema.get("type") {
            if !has_type(value, wanted) {
                problems.push(format!("{at}: {value} is not of type {wanted} ({name})"));
                return;
            }
        }
        if schema.get("format").and_then(Value::as_str) == Some("int32")
            && value.as_i64().is_some_and(|n| i32::try_from(n).is_err())
        {
            problems.push(format!("{at}: {value} does not fit int32"));
        }
        if let Some(Value::Array(allowed)) = schema.get("enum") {
            if !allowed.contains(value) {
                problems.push(format!("{at}: {value} is not one of {name}'s values {allowed:?}"));
            }
        }
        if let Some(text) = value.as_str() {
            check_length(&schema, text, at, problems);
        }
        match value {
            Value::Object(object) => self.check_object(&schema, &name, object, at, problems),
            Value::Array(items) => self.check_array(&schema, &name, items, at, problems),
            _ => {}
        }
    }

    fn check_object(
        &self,
        schema: &Map<String, Value>,
        name: &str,
        object: &Map<String, Value>,
        at: &str,
        problems: &mut Vec<String>,
    ) {
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for field in required {
            let removed = properties.get(field).is_some_and(|p| gone(name, field, p));
            if !removed && !object.contains_key(field) {
                problems.push(format!("{at}: required property '{field}' of {name} is missing"));
            }
        }
        for (schema_name, field, change, _) in CHANGES {
            let added_required = matches!(change, Change::Added { required: true, .. });
            if schema_name == name && added_required && !object.contains_key(field) {
                problems.push(format!(
                    "{at}: required property '{field}' of {name} (added in V2) is missing"
                ));
            }
        }
        for (field, value) in object {
            let here = format!("{at}.{field}");
            match (properties.get(field), change(name, field)) {
                (Some(property), _) if gone(name, field, property) => problems.push(format!(
                    "{here}: deprecated or removed in V2 ({name}); the emulator must not send it"
                )),
                (Some(property), _) => self.check(property, name, value, &here, problems),
                (None, Some(Change::Added { types, .. })) => {
                    if !types.iter().any(|t| has_type(value, t)) {
                        problems.push(format!("{here}: {value} is not of type {types:?} ({name})"));
                    }
                }
                (None, _) => problems.push(format!("{here}: {name} has no property '{field}'")),
            }
        }
    }

    fn check_array(
        &self,
        schema: &Map<String, Value>,
        name: &str,
        items: &[Value],
        at: &str,
        problems: &mut Vec<String>,
    ) {
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                self.check(item_schema, name, item, &format!("{at}[{i}]"), problems);
            }
        }
        if schema.get("uniqueItems") == Some(&Value::Bool(true))
            && (1..items.len()).any(|i| items[..i].contains(&items[i]))
        {
            problems.push(format!("{at}: items must be unique ({name})"));
        }
    }
}

fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) {
    for (key, value) in from {
        match (key.as_str(), into.get_mut(&key), value) {
            ("properties", Some(Value::Object(existing)), Value::Object(more)) => existing.extend(more),
            ("required", Some(Value::Array(existing)), Value::Array(more)) => existing.extend(more),
            (_, _, value) => {
                into.insert(key, value);
            }
        }
    }
}

fn has_type(value: &Value, wanted: &str) -> bool {
    match wanted {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => false,
    }
}

fn check_length(schema: &Map<String, Value>, text: &str, at: &str, problems: &mut Vec<String>) {
    let length = text.chars().count() as u64;
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
        if length < min {
            problems.push(format!("{at}: shorter than {min} characters"));
        }
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
        if length > max {
            problems.push(format!("{at}: longer than {max} characters"));
        }
    }
}

fn is_deprecated(property: &Value) -> bool {
    property
        .get("description")
        .and_then(Value::as_str)
        .is_some_and(|text| text.contains(DEPRECATION_MARK))
}

/// A property the file has but the newer API does not send: deprecated (unless kept) or removed.
fn gone(schema: &str, field: &str, property: &Value) -> bool {
    match change(schema, field) {
        Some(Change::Kept) => false,
        Some(Change::Removed) => true,
        _ => is_deprecated(property),
    }
}

/// JSON pointer escaping (`~` → `~0`, `/` → `~1`).
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Reads a response and panics with every problem unless it matches what the file documents.
pub async fn assert_documented(spec: &Spec, method: &str, template: &str, response: reqwest::Response) -> Value {
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    let problems = spec.problems(method, template, status, &body);
    assert!(
        problems.is_empty(),
        "{method} {template} → {status} does not match finAPI's schema:\n  {}\nbody: {body}",
        problems.join("\n  ")
    );
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

/// Like [`assert_documented`], against a named component (for a status the file does not list).
pub async fn assert_component(spec: &Spec, component: &str, response: reqwest::Response) -> Value {
    let body = response.text().await.unwrap();
    let problems = spec.component_problems(component, &body);
    assert!(
        problems.is_empty(),
        "not a valid {component}:\n  {}\nbody: {body}",
        problems.join("\n  ")
    );
    serde_json::from_str(&body).unwrap_or(Value::Null)
}
