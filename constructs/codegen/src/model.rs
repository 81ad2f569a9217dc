//! From a registry schema to the Rust types of one resource module.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use crate::Error;
use crate::naming::{pascal_case, snake_case};
use crate::parse::{Node, ResourceSchema};

/// Everything one resource file declares.
#[derive(Debug)]
pub struct Module {
    /// `aws-ecs-service.json`.
    pub schema_file: String,
    /// `AWS::ECS::Service`.
    pub type_name: String,
    /// `ecs`.
    pub service_module: String,
    /// `service`.
    pub file_module: String,
    /// `CfnService`.
    pub struct_name: String,
    /// `CfnServiceRef`.
    pub handle_name: String,
    /// The resource struct.
    pub root: StructDef,
    /// Property types, by name.
    pub structs: BTreeMap<String, StructDef>,
    /// String enums, by name.
    pub enums: BTreeMap<String, EnumDef>,
    /// `Fn::GetAtt` attributes.
    pub attrs: Vec<Attr>,
    /// `createOnlyProperties`, as pointers below `Properties`.
    pub create_only: Vec<String>,
    /// `conditionalCreateOnlyProperties`, as pointers below `Properties`.
    pub conditional_create_only: Vec<String>,
    /// `primaryIdentifier`, as pointers below `Properties`.
    pub primary_identifier: Vec<String>,
    /// Top-level `readOnlyProperties` names: known to the schema, but not
    /// fields of the resource struct.
    pub read_only_names: Vec<String>,
}

/// A struct: the resource or one of its property types.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// Rust name.
    pub name: String,
    /// Schema description.
    pub description: Option<String>,
    /// Fields in schema (alphabetical) order.
    pub fields: Vec<Field>,
    /// `anyOf` of `required` branches.
    pub any_of: Option<Vec<Vec<String>>>,
    /// `oneOf` of `required` branches.
    pub one_of: Option<Vec<Vec<String>>>,
    /// `additionalProperties: false`: no names besides the fields'.
    pub closed: bool,
}

impl StructDef {
    /// Whether some field is required (then the struct has `new`, not `Default`).
    pub fn has_required(&self) -> bool {
        self.fields.iter().any(|f| f.required)
    }
}

/// One property.
#[derive(Debug, Clone)]
pub struct Field {
    /// CloudFormation name.
    pub cfn_name: String,
    /// snake_case name.
    pub rust_name: String,
    /// Its type.
    pub ty: Ty,
    /// Its constraints.
    pub rules: Rules,
    /// Required by the schema.
    pub required: bool,
    /// Schema description.
    pub description: Option<String>,
    /// Schema default, as JSON.
    pub default: Option<String>,
    /// Listed in `createOnlyProperties`.
    pub create_only: bool,
    /// Listed in `conditionalCreateOnlyProperties`.
    pub conditional_create_only: bool,
}

/// The value type of a property (inside `Value<…>`).
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `String`.
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// Free JSON (`Operand`), e.g. IAM policy documents.
    Json,
    /// A generated string enum.
    Enum(String),
    /// A generated struct.
    Struct(String),
    /// An array.
    List(Box<Ty>, Box<Rules>),
    /// A string-keyed map.
    Map(Box<Ty>, Box<Rules>),
}

/// The constraints of one value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`, when the `regex` crate can compile it.
    pub pattern: Option<String>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `enum` of integers.
    pub int_enum: Vec<i64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
    /// The single `patternProperties` key pattern of a map.
    pub key_pattern: Option<String>,
}

impl Rules {
    /// Whether any constraint is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Rust name.
    pub name: String,
    /// Schema description of its first use.
    pub description: Option<String>,
    /// (variant, CloudFormation value), in schema order.
    pub variants: Vec<(String, String)>,
}

/// A `Fn::GetAtt` attribute.
#[derive(Debug, Clone)]
pub struct Attr {
    /// `Endpoint.Address`.
    pub name: String,
    /// `endpoint_address`.
    pub rust_name: String,
    /// Its type.
    pub ty: AttrTy,
    /// Schema description.
    pub description: Option<String>,
}

/// The type of an attribute's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AttrTy {
    /// `String`.
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// `Vec<String>`.
    StringList,
    /// Anything else: `Operand`.
    Json,
}

/// Patterns the `regex` crate cannot compile (lookaround, `\Z`, `\p{Print}`),
/// collected across modules so the generator can report them.
#[derive(Debug, Default)]
pub struct Skipped {
    /// (type name, pattern).
    pub patterns: BTreeSet<(String, String)>,
}

/// Builds the module of one schema.
///
/// # Errors
/// When the schema has a shape the generator does not know.
pub fn build(
    schema_file: &str,
    schema: &ResourceSchema,
    skipped: &mut Skipped,
) -> Result<Module, Error> {
    let parts: Vec<&str> = schema.type_name.split("::").collect();
    let [_, service, resource] = parts.as_slice() else {
        return Err(Error::schema(
            &schema.type_name,
            "type name is not Org::Service::Resource",
        ));
    };
    let struct_name = format!("Cfn{resource}");
    let handle_name = format!("Cfn{resource}Ref");
    let strip = |p: &String| p.strip_prefix("/properties").unwrap_or(p).to_owned();
    let create_only: Vec<String> = schema.create_only_properties.iter().map(strip).collect();
    let conditional_create_only: Vec<String> = schema
        .conditional_create_only_properties
        .iter()
        .map(strip)
        .collect();
    let read_only: BTreeSet<String> = schema.read_only_properties.iter().map(strip).collect();

    let mut b = Builder {
        schema,
        structs: BTreeMap::new(),
        enums: BTreeMap::new(),
        taken: BTreeSet::new(),
        def_types: BTreeMap::new(),
        skipped,
        in_progress: BTreeSet::new(),
    };
    b.taken.insert(struct_name.clone());
    b.taken.insert(handle_name.clone());
    for (name, def) in &schema.definitions {
        if is_struct_like(def) || is_string_enum(def) {
            b.taken.insert(name.clone());
        }
    }

    let props: BTreeMap<String, Node> = schema
        .properties
        .iter()
        .filter(|(name, _)| !read_only.contains(&format!("/{name}")))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut root = b.struct_fields(
        &struct_name,
        schema.description.clone(),
        &props,
        &schema.required,
    )?;
    root.any_of = Node::required_branches(&schema.any_of);
    root.one_of = Node::required_branches(&schema.one_of);
    root.closed = matches!(schema.additional_properties, Some(Json::Bool(false)));
    for field in &mut root.fields {
        let pointer = format!("/{}", field.cfn_name);
        field.create_only = create_only.contains(&pointer);
        field.conditional_create_only = conditional_create_only.contains(&pointer);
    }

    let mut attrs = Vec::new();
    for pointer in &read_only {
        let segments: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
        if segments.iter().any(|s| *s == "*" || s.is_empty()) {
            continue;
        }
        let node = b.lookup(&segments);
        let name = segments.join(".");
        attrs.push(Attr {
            rust_name: snake_case(&segments.join("_")),
            ty: node.as_ref().map_or(AttrTy::String, |n| b.attr_ty(n)),
            description: node
                .and_then(|n| n.description)
                .filter(|d| !d.trim().is_empty()),
            name,
        });
    }

    Ok(Module {
        schema_file: schema_file.to_owned(),
        type_name: schema.type_name.clone(),
        service_module: service.to_ascii_lowercase(),
        file_module: snake_case(resource),
        struct_name,
        handle_name,
        root,
        structs: b.structs,
        enums: b.enums,
        attrs,
        create_only,
        conditional_create_only,
        primary_identifier: schema.primary_identifier.iter().map(strip).collect(),
        read_only_names: read_only
            .iter()
            .filter_map(|p| p.strip_prefix('/'))
            .filter(|name| schema.properties.contains_key(*name))
            .map(str::to_owned)
            .collect(),
    })
}

fn is_struct_like(node: &Node) -> bool {
    node.properties.is_some()
        || (node.single_type() == Some("object")
            && node.pattern_properties.is_none()
            && node.closed())
}

fn is_string_enum(node: &Node) -> bool {
    node.single_type() == Some("string")
        && node
            .enum_values
            .as_ref()
            .is_some_and(|v| !v.is_empty() && v.iter().all(Json::is_string))
}

struct Builder<'a> {
    schema: &'a ResourceSchema,
    structs: BTreeMap<String, StructDef>,
    enums: BTreeMap<String, EnumDef>,
    /// Every type name declared or reserved in the module.
    taken: BTreeSet<String>,
    /// Definitions already resolved to a type.
    def_types: BTreeMap<String, (Ty, Rules)>,
    skipped: &'a mut Skipped,
    in_progress: BTreeSet<String>,
}

impl Builder<'_> {
    fn definition(&self, name: &str) -> Result<&Node, Error> {
        self.schema
            .definitions
            .get(name)
            .ok_or_else(|| Error::schema(&self.schema.type_name, format!("no definition {name:?}")))
    }

    fn struct_fields(
        &mut self,
        name: &str,
        description: Option<String>,
        properties: &BTreeMap<String, Node>,
        required: &[String],
    ) -> Result<StructDef, Error> {
        let mut fields = Vec::with_capacity(properties.len());
        for (cfn_name, node) in properties {
            let (ty, rules) = self.resolve(node, cfn_name, name)?;
            let mut description = node.description.clone().filter(|d| !d.trim().is_empty());
            if description.is_none()
                && let Some(def) = node.ref_name().and_then(|r| self.schema.definitions.get(r))
            {
                description = def.description.clone().filter(|d| !d.trim().is_empty());
            }
            fields.push(Field {
                rust_name: snake_case(cfn_name),
                cfn_name: cfn_name.clone(),
                ty,
                rules,
                required: required.contains(cfn_name),
                description,
                default: node.default.as_ref().map(Json::to_string),
                create_only: false,
                conditional_create_only: false,
            });
        }
        let mut seen = BTreeSet::new();
        for f in &mut fields {
            while !seen.insert(f.rust_name.clone()) {
                f.rust_name.push('_');
            }
        }
        Ok(StructDef {
            name: name.to_owned(),
            description,
            fields,
            any_of: None,
            one_of: None,
            closed: false,
        })
    }

    /// A fresh type name for an inline type of property `hint` in `parent`.
    fn fresh_name(&mut self, hint: &str, parent: &str) -> String {
        let base: String = hint.chars().filter(char::is_ascii_alphanumeric).collect();
        let base = if base.starts_with(|c: char| c.is_ascii_uppercase()) {
            base
        } else {
            pascal_case(hint)
        };
        let parent = parent.strip_prefix("Cfn").unwrap_or(parent);
        let mut candidates = vec![base.clone(), format!("{parent}{base}")];
        candidates.extend((2..).take(50).map(|i| format!("{parent}{base}{i}")));
        for c in candidates {
            if !self.taken.contains(&c) {
                self.taken.insert(c.clone());
                return c;
            }
        }
        format!("{parent}{base}X")
    }

    fn string_enum(&mut self, node: &Node, hint: &str, parent: &str, fixed: Option<&str>) -> Ty {
        let values: Vec<String> = node
            .enum_values
            .iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        // Reuse an enum of the same name (or the parent-qualified one) and values.
        let base: String = hint.chars().filter(char::is_ascii_alphanumeric).collect();
        let short_parent = parent.strip_prefix("Cfn").unwrap_or(parent);
        for candidate in [base.clone(), format!("{short_parent}{base}")] {
            if let Some(existing) = self.enums.get(&candidate)
                && existing.variants.iter().map(|(_, v)| v).eq(values.iter())
            {
                return Ty::Enum(candidate);
            }
        }
        let name = match fixed {
            Some(n) => n.to_owned(),
            None => self.fresh_name(hint, parent),
        };
        let mut variants: Vec<(String, String)> = Vec::new();
        for value in values {
            let mut variant = pascal_case(&value);
            if variant.is_empty() {
                variant = "Empty".to_owned();
            }
            let mut n = 2;
            let stem = variant.clone();
            while variants.iter().any(|(v, _)| *v == variant) {
                variant = format!("{stem}{n}");
                n += 1;
            }
            variants.push((variant, value));
        }
        self.enums.insert(
            name.clone(),
            EnumDef {
                name: name.clone(),
                description: node.description.clone().filter(|d| !d.trim().is_empty()),
                variants,
            },
        );
        Ty::Enum(name)
    }

    fn rules_of(&mut self, node: &Node) -> Rules {
        let pattern = node
            .pattern
            .as_deref()
            .map(translate_pattern)
            .and_then(|p| {
                if regex::Regex::new(&p).is_ok() {
                    Some(p)
                } else {
                    self.skipped
                        .patterns
                        .insert((self.schema.type_name.clone(), p));
                    None
                }
            });
        let key_pattern = node.pattern_properties.as_ref().and_then(|pp| {
            (pp.len() == 1)
                .then(|| pp.keys().next().cloned())
                .flatten()
                .map(|p| translate_pattern(&p))
                .filter(|p| regex::Regex::new(p).is_ok())
        });
        Rules {
            min_length: node.min_length,
            max_length: node.max_length,
            pattern,
            minimum: node.minimum,
            maximum: node.maximum,
            int_enum: if node.single_type() == Some("integer") {
                node.enum_values
                    .iter()
                    .flatten()
                    .filter_map(Json::as_i64)
                    .collect()
            } else {
                Vec::new()
            },
            min_items: node.min_items,
            max_items: node.max_items,
            unique_items: node.unique_items == Some(true),
            min_properties: node.min_properties,
            max_properties: node.max_properties,
            key_pattern,
        }
    }

    /// The type and constraints of a property node named `hint` in `parent`.
    fn resolve(&mut self, node: &Node, hint: &str, parent: &str) -> Result<(Ty, Rules), Error> {
        if let Some(def_name) = node.ref_name() {
            let def_name = def_name.to_owned();
            let (ty, mut rules) = self.resolve_definition(&def_name)?;
            // Constraints written beside the `$ref` add to the definition's.
            let own = self.rules_of(node);
            merge(&mut rules, own);
            return Ok((ty, rules));
        }
        if node.reference.is_some() {
            return Err(Error::schema(
                &self.schema.type_name,
                format!("unsupported $ref {:?}", node.reference),
            ));
        }
        self.resolve_inline(node, hint, parent, None)
    }

    fn resolve_definition(&mut self, def_name: &str) -> Result<(Ty, Rules), Error> {
        if let Some(done) = self.def_types.get(def_name) {
            return Ok(done.clone());
        }
        let def = self.definition(def_name)?.clone();
        if self.in_progress.contains(def_name) {
            // A recursive definition: only structs may recurse (through a list).
            if is_struct_like(&def) {
                return Ok((Ty::Struct(def_name.to_owned()), Rules::default()));
            }
            return Err(Error::schema(
                &self.schema.type_name,
                format!("definition {def_name} refers to itself"),
            ));
        }
        self.in_progress.insert(def_name.to_owned());
        let resolved = self.resolve_inline(&def, def_name, def_name, Some(def_name))?;
        self.in_progress.remove(def_name);
        self.def_types.insert(def_name.to_owned(), resolved.clone());
        Ok(resolved)
    }

    /// `fixed`: the name to give a struct or enum (a definition's name).
    fn resolve_inline(
        &mut self,
        node: &Node,
        hint: &str,
        parent: &str,
        fixed: Option<&str>,
    ) -> Result<(Ty, Rules), Error> {
        let rules = self.rules_of(node);
        if node.multi_type() {
            return Ok((Ty::Json, Rules::default()));
        }
        let ty = match node.single_type() {
            Some("string") if is_string_enum(node) => {
                return Ok((
                    self.string_enum(node, hint, parent, fixed),
                    Rules::default(),
                ));
            }
            Some("string") => Ty::String,
            Some("integer") => Ty::Integer,
            Some("number") => Ty::Number,
            Some("boolean") => Ty::Boolean,
            Some("array") => {
                let (item, item_rules) = match &node.items {
                    Some(items) => self.resolve(items, hint, parent)?,
                    None => (Ty::Json, Rules::default()),
                };
                Ty::List(Box::new(item), Box::new(item_rules))
            }
            Some("object") | None if node.properties.is_some() => {
                let name = match fixed {
                    Some(n) => n.to_owned(),
                    None => self.fresh_name(hint, parent),
                };
                let props = node.properties.clone().unwrap_or_default();
                let mut def =
                    self.struct_fields(&name, node.description.clone(), &props, &node.required)?;
                def.any_of = Node::required_branches(&node.any_of);
                def.one_of = Node::required_branches(&node.one_of);
                def.closed = node.closed();
                self.structs.insert(name.clone(), def);
                Ty::Struct(name)
            }
            Some("object") => {
                if let Some(pp) = &node.pattern_properties {
                    let value = match pp.values().next() {
                        Some(v) if pp.len() == 1 => {
                            self.resolve(v, &format!("{hint}Value"), parent)?
                        }
                        _ => (Ty::Json, Rules::default()),
                    };
                    Ty::Map(Box::new(value.0), Box::new(value.1))
                } else if let Some(Json::Object(_)) = &node.additional_properties {
                    let ap: Node = serde_json::from_value(
                        node.additional_properties.clone().unwrap_or_default(),
                    )
                    .map_err(|e| Error::schema(&self.schema.type_name, e.to_string()))?;
                    let (v, r) = self.resolve(&ap, &format!("{hint}Value"), parent)?;
                    Ty::Map(Box::new(v), Box::new(r))
                } else if node.closed() {
                    let name = match fixed {
                        Some(n) => n.to_owned(),
                        None => self.fresh_name(hint, parent),
                    };
                    let mut def =
                        self.struct_fields(&name, node.description.clone(), &BTreeMap::new(), &[])?;
                    def.closed = true;
                    self.structs.insert(name.clone(), def);
                    Ty::Struct(name)
                } else {
                    Ty::Json
                }
            }
            None => Ty::Json,
            Some(other) => {
                return Err(Error::schema(
                    &self.schema.type_name,
                    format!("unknown type {other:?} for {parent}.{hint}"),
                ));
            }
        };
        Ok((ty, rules))
    }

    /// The node at a path of property names, following `$ref`s.
    fn lookup(&self, segments: &[&str]) -> Option<Node> {
        let mut node = self.schema.properties.get(*segments.first()?)?.clone();
        for seg in &segments[1..] {
            node = self.deref(node);
            node = node.properties.as_ref()?.get(*seg)?.clone();
        }
        Some(self.deref(node))
    }

    fn deref(&self, node: Node) -> Node {
        match node.ref_name().and_then(|r| self.schema.definitions.get(r)) {
            Some(def) => def.clone(),
            None => node,
        }
    }

    fn attr_ty(&self, node: &Node) -> AttrTy {
        match node.single_type() {
            Some("string") => AttrTy::String,
            Some("integer") => AttrTy::Integer,
            Some("number") => AttrTy::Number,
            Some("boolean") => AttrTy::Boolean,
            Some("array") => match node.items.as_deref().map(|i| self.deref(i.clone())) {
                Some(item) if item.single_type() == Some("string") => AttrTy::StringList,
                _ => AttrTy::Json,
            },
            None if node.multi_type() => AttrTy::Json,
            None => AttrTy::String,
            _ => AttrTy::Json,
        }
    }
}

/// Adds `extra`'s constraints to `rules` (the stricter one wins).
fn merge(rules: &mut Rules, extra: Rules) {
    fn max_opt<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Option<T> {
        match (a, b) {
            (Some(a), Some(b)) => Some(if a > b { a } else { b }),
            (a, b) => a.or(b),
        }
    }
    fn min_opt<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Option<T> {
        match (a, b) {
            (Some(a), Some(b)) => Some(if a < b { a } else { b }),
            (a, b) => a.or(b),
        }
    }
    rules.min_length = max_opt(rules.min_length, extra.min_length);
    rules.max_length = min_opt(rules.max_length, extra.max_length);
    rules.minimum = max_opt(rules.minimum, extra.minimum);
    rules.maximum = min_opt(rules.maximum, extra.maximum);
    rules.min_items = max_opt(rules.min_items, extra.min_items);
    rules.max_items = min_opt(rules.max_items, extra.max_items);
    rules.min_properties = max_opt(rules.min_properties, extra.min_properties);
    rules.max_properties = min_opt(rules.max_properties, extra.max_properties);
    rules.unique_items |= extra.unique_items;
    if rules.pattern.is_none() {
        rules.pattern = extra.pattern;
    }
    if rules.key_pattern.is_none() {
        rules.key_pattern = extra.key_pattern;
    }
    if rules.int_enum.is_empty() {
        rules.int_enum = extra.int_enum;
    }
}

/// Rewrites the ECMA-262 (and Python) idioms of the schemas' patterns that
/// the `regex` crate reads differently: a `[` inside a character class is a
/// literal in ECMA-262 but opens a nested class in `regex`. Lookaround and
/// `\p{Print}` stay unsupported: such patterns are skipped (and reported by
/// the generator).
pub fn translate_pattern(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push('\\');
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '[' if in_class => out.push_str("\\["),
            '[' => {
                in_class = true;
                out.push('[');
                // A leading `]` or `^]` is part of the class.
                let rest = chars.as_str();
                if let Some(stripped) = rest.strip_prefix("^]") {
                    out.push_str("^\\]");
                    chars = stripped.chars();
                } else if let Some(stripped) = rest.strip_prefix(']') {
                    out.push_str("\\]");
                    chars = stripped.chars();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::translate_pattern;

    #[test]
    fn patterns_are_translated_to_the_regex_dialect() {
        assert_eq!(
            translate_pattern(r"^([a-z,@[\]+=])*$"),
            r"^([a-z,@\[\]+=])*$"
        );
        assert_eq!(translate_pattern(r"^\[a\]$"), r"^\[a\]$");
    }
}
