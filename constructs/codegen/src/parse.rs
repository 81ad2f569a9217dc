//! The parts of a CloudFormation registry schema the generator reads.
//!
//! Keywords it does not know (`handlers`, `tagging`, cfn-lint's `format`
//! values, …) are ignored; they are annotations for our purposes.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value as Json;

/// A resource provider schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceSchema {
    /// `AWS::ECS::Service`.
    pub type_name: String,
    /// What the resource is.
    #[serde(default)]
    pub description: Option<String>,
    /// The resource's properties.
    #[serde(default)]
    pub properties: BTreeMap<String, Node>,
    /// Property types shared by `$ref`.
    #[serde(default)]
    pub definitions: BTreeMap<String, Node>,
    /// Required top-level properties.
    #[serde(default)]
    pub required: Vec<String>,
    /// Top-level `additionalProperties` (`false` in every registry schema).
    #[serde(default)]
    pub additional_properties: Option<Json>,
    /// Properties set by CloudFormation (`/properties/Arn`).
    #[serde(default)]
    pub read_only_properties: Vec<String>,
    /// Properties whose change replaces the resource.
    #[serde(default)]
    pub create_only_properties: Vec<String>,
    /// Properties whose change may replace the resource.
    #[serde(default)]
    pub conditional_create_only_properties: Vec<String>,
    /// Properties that identify the resource.
    #[serde(default)]
    pub primary_identifier: Vec<String>,
    /// Top-level `anyOf` (branches of `required`).
    #[serde(default)]
    pub any_of: Vec<Node>,
    /// Top-level `oneOf` (branches of `required`).
    #[serde(default)]
    pub one_of: Vec<Node>,
}

/// One JSON-Schema node.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    /// `type`: one name or a list of names.
    #[serde(default, rename = "type")]
    pub ty: Option<Json>,
    /// `$ref`: `#/definitions/Name`.
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    /// `description`.
    #[serde(default)]
    pub description: Option<String>,
    /// `properties` of an object.
    #[serde(default)]
    pub properties: Option<BTreeMap<String, Node>>,
    /// `patternProperties` of a map.
    #[serde(default)]
    pub pattern_properties: Option<BTreeMap<String, Node>>,
    /// `additionalProperties`: a boolean or a schema.
    #[serde(default)]
    pub additional_properties: Option<Json>,
    /// `items` of an array.
    #[serde(default)]
    pub items: Option<Box<Node>>,
    /// `required` properties of an object.
    #[serde(default)]
    pub required: Vec<String>,
    /// `enum` members.
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<Json>>,
    /// `minLength`.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// `maxLength`.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// `pattern` (ECMA-262, unanchored).
    #[serde(default)]
    pub pattern: Option<String>,
    /// `minimum`.
    #[serde(default)]
    pub minimum: Option<f64>,
    /// `maximum`.
    #[serde(default)]
    pub maximum: Option<f64>,
    /// `minItems`.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// `maxItems`.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    #[serde(default)]
    pub unique_items: Option<bool>,
    /// `minProperties`.
    #[serde(default)]
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    #[serde(default)]
    pub max_properties: Option<u64>,
    /// `anyOf` branches.
    #[serde(default)]
    pub any_of: Vec<Node>,
    /// `oneOf` branches.
    #[serde(default)]
    pub one_of: Vec<Node>,
    /// `default`: documented, never written into the types.
    #[serde(default)]
    pub default: Option<Json>,
}

impl Node {
    /// The single `type` name, if there is exactly one.
    pub fn single_type(&self) -> Option<&str> {
        match &self.ty {
            Some(Json::String(s)) => Some(s),
            Some(Json::Array(items)) if items.len() == 1 => items[0].as_str(),
            _ => None,
        }
    }

    /// Whether `type` lists several names (`["object", "string"]`).
    pub fn multi_type(&self) -> bool {
        matches!(&self.ty, Some(Json::Array(items)) if items.len() > 1)
    }

    /// The definition a `$ref` names.
    pub fn ref_name(&self) -> Option<&str> {
        self.reference
            .as_deref()
            .and_then(|r| r.strip_prefix("#/definitions/"))
    }

    /// Whether `additionalProperties` is `false`.
    pub fn closed(&self) -> bool {
        matches!(self.additional_properties, Some(Json::Bool(false)))
    }

    /// The `required` lists of `anyOf`/`oneOf` branches that hold nothing
    /// but `required` (plus annotations).
    pub fn required_branches(branches: &[Node]) -> Option<Vec<Vec<String>>> {
        if branches.is_empty() || branches.iter().any(|b| b.required.is_empty()) {
            return None;
        }
        Some(branches.iter().map(|b| b.required.clone()).collect())
    }
}
