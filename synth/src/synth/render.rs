//! A stack rendered as its template: serialization views over the stack's
//! elements (resources with their overrides applied, parameters, rules,
//! conditions, outputs with their exports), written in CloudFormation's
//! section order without building an intermediate JSON tree; and a
//! resource checked against its schema with its overrides applied.

use std::cell::RefCell;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::checks::push_problems;
use super::overrides::apply_override;
use super::{Export, Plan, discover};
use crate::error::{Error, Result};
use crate::expr::Operand;
use crate::json::{ObjectWriter, write_at};
use crate::resolve::{self, Mode};
use crate::resource::{DynResource, Report, ResourceEntry};
use crate::stack::Stack;

pub(super) struct TemplateView<'a> {
    pub(super) stack: &'a Stack,
    pub(super) plan: &'a Plan,
    pub(super) resource_deps: &'a [Vec<&'a str>],
    /// `Some` for a draft: the template written in the first pass over the
    /// stack, with the context in [`Mode::Discover`], so that writing it
    /// records what a discovery pass would, in the same order (resources,
    /// outputs, conditions, rules). The cell collects the problems of
    /// resources' overrides.
    pub(super) draft: Option<&'a RefCell<Vec<Error>>>,
}

impl TemplateView<'_> {
    fn path_of(&self, node: u32) -> &str {
        self.plan.paths.get(node)
    }
}

/// Writes `value` without recording anything when `quiet`: a draft writes
/// some sections before the ones discovery visits first, and walks them
/// again afterwards in discovery's order.
struct Quiet<'a, T>(&'a T, bool);

impl<T: Serialize> Serialize for Quiet<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !self.1 {
            return self.0.serialize(s);
        }
        let previous = resolve::set_mode(Mode::Emit);
        let written = self.0.serialize(s);
        if let Some(mode) = previous {
            resolve::set_mode(mode);
        }
        written
    }
}

impl TemplateView<'_> {
    /// Writes the template into `out`.
    pub(super) fn write(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let stack = self.stack;
        let ids = &self.plan.ids;
        let id_of = |node: u32| ids.get(node as usize).map_or("", String::as_str);
        let mut map = ObjectWriter::begin(out, 0);
        map.entry("AWSTemplateFormatVersion", "2010-09-09")?;
        if let Some(d) = &stack.description {
            map.entry("Description", d)?;
        }
        let mut transforms = stack.transforms.clone();
        if self.plan.needs_language_extensions
            && !transforms.iter().any(|t| t == "AWS::LanguageExtensions")
        {
            transforms.insert(0, "AWS::LanguageExtensions".to_owned());
        }
        match transforms.as_slice() {
            [] => {}
            [one] => map.entry("Transform", one)?,
            many => map.entry("Transform", many)?,
        }
        if !stack.parameters.is_empty() {
            let params: Vec<(&str, ParameterView<'_>)> = stack
                .parameters
                .iter()
                .map(|p| (id_of(p.node.index), ParameterView(&p.decl)))
                .collect();
            map.entry("Parameters", &Pairs(&params))?;
        }
        if !stack.rules.is_empty() {
            let rules: Vec<(&str, RuleView<'_>)> = stack
                .rules
                .iter()
                .map(|r| (id_of(r.node.index), RuleView(&r.value)))
                .collect();
            map.entry("Rules", &Quiet(&Pairs(&rules), self.draft.is_some()))?;
        }
        if !stack.mappings.is_empty() {
            let mappings: Vec<(&str, _)> = stack
                .mappings
                .iter()
                .map(|m| (id_of(m.node.index), &m.value.entries))
                .collect();
            // Not visited by discovery (a mapping holds no intrinsics).
            map.entry("Mappings", &Quiet(&Pairs(&mappings), self.draft.is_some()))?;
        }
        if !stack.conditions.is_empty() {
            let conditions: Vec<(&str, _)> = stack
                .conditions
                .iter()
                .map(|c| (id_of(c.node.index), &c.value))
                .collect();
            map.entry(
                "Conditions",
                &Quiet(&Pairs(&conditions), self.draft.is_some()),
            )?;
        }
        let mut resources = map.object("Resources")?;
        for (i, entry) in stack.resources.iter().enumerate() {
            resources.key(id_of(entry.node.index))?;
            let (out, indent) = resources.value_at();
            ResourceView {
                stack,
                entry,
                path: self.path_of(entry.node.index),
                ids: Some((
                    ids,
                    self.resource_deps.get(i).map_or(&[][..], Vec::as_slice),
                )),
                draft: self.draft,
            }
            .write(out, indent)?;
        }
        resources.end()?;
        if !stack.outputs.is_empty() || !self.plan.exports.is_empty() {
            let mut outputs: Vec<(&str, OutputView<'_>)> = stack
                .outputs
                .iter()
                .map(|o| {
                    (
                        id_of(o.node.index),
                        OutputView {
                            output: &o.value,
                            export: None,
                            path: self.draft.map(|_| self.path_of(o.node.index)),
                        },
                    )
                })
                .collect();
            for export in &self.plan.exports {
                outputs.push((
                    export.output_id.as_str(),
                    OutputView {
                        output: &EMPTY_OUTPUT,
                        export: Some(export),
                        path: None,
                    },
                ));
            }
            map.entry("Outputs", &Pairs(&outputs))?;
        }
        if self.draft.is_some() {
            // Written quietly above; walked here in discovery's order.
            for cond in &stack.conditions {
                resolve::set_path(self.path_of(cond.node.index));
                discover(&cond.value);
            }
            for rule in &stack.rules {
                resolve::set_path(self.path_of(rule.node.index));
                discover(&RuleView(&rule.value));
            }
        }
        map.end()
    }
}

static EMPTY_OUTPUT: crate::template::Output = crate::template::Output {
    value: Operand::Null,
    description: None,
    export_name: None,
    condition: None,
};

/// A JSON object from key/value pairs in order.
struct Pairs<'a, K, V>(&'a [(K, V)]);

impl<K: Serialize, V: Serialize> Serialize for Pairs<'_, K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

struct ParameterView<'a>(&'a crate::template::ParameterDecl);

impl Serialize for ParameterView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("Type", &d.type_name)?;
        if let Some(v) = &d.default {
            map.serialize_entry("Default", v)?;
        }
        if !d.allowed_values.is_empty() {
            map.serialize_entry("AllowedValues", &d.allowed_values)?;
        }
        if let Some(v) = &d.allowed_pattern {
            map.serialize_entry("AllowedPattern", v)?;
        }
        if let Some(v) = &d.constraint_description {
            map.serialize_entry("ConstraintDescription", v)?;
        }
        if let Some(v) = &d.description {
            map.serialize_entry("Description", v)?;
        }
        if let Some(v) = d.min_length {
            map.serialize_entry("MinLength", &v)?;
        }
        if let Some(v) = d.max_length {
            map.serialize_entry("MaxLength", &v)?;
        }
        if let Some(v) = d.min_value {
            map.serialize_entry("MinValue", &v)?;
        }
        if let Some(v) = d.max_value {
            map.serialize_entry("MaxValue", &v)?;
        }
        if d.no_echo {
            map.serialize_entry("NoEcho", &true)?;
        }
        map.end()
    }
}

pub(super) struct RuleView<'a>(pub(super) &'a crate::template::Rule);

impl Serialize for RuleView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Assertion<'a>(&'a Operand, Option<&'a String>);
        impl Serialize for Assertion<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(None)?;
                map.serialize_entry("Assert", self.0)?;
                if let Some(d) = self.1 {
                    map.serialize_entry("AssertDescription", d)?;
                }
                map.end()
            }
        }
        let mut map = s.serialize_map(None)?;
        if let Some(c) = &self.0.condition {
            map.serialize_entry("RuleCondition", c)?;
        }
        let assertions: Vec<Assertion<'_>> = self
            .0
            .assertions
            .iter()
            .map(|(a, d)| Assertion(a, d.as_ref()))
            .collect();
        map.serialize_entry("Assertions", &assertions)?;
        map.end()
    }
}

pub(super) struct OutputView<'a> {
    pub(super) output: &'a crate::template::Output,
    pub(super) export: Option<&'a Export>,
    /// The output's path, set as the context's before writing (a draft).
    pub(super) path: Option<&'a str>,
}

impl Serialize for OutputView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Named<'a, T>(&'a T);
        impl<T: Serialize> Serialize for Named<'_, T> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("Name", self.0)?;
                map.end()
            }
        }
        if let Some(path) = self.path {
            resolve::set_path(path);
        }
        let mut map = s.serialize_map(None)?;
        if let Some(export) = self.export {
            let target = crate::handle::ResourceRef {
                node: crate::tree::NodeId {
                    stack: export.key.producer,
                    index: export.key.node,
                },
            };
            match &export.key.attr {
                None => map.serialize_entry("Value", &target.reference())?,
                Some(attr) => map.serialize_entry("Value", &target.attr(attr))?,
            }
            if let Some(name) = &export.name {
                map.serialize_entry("Export", &Named(name))?;
            }
            return map.end();
        }
        let o = self.output;
        if let Some(d) = &o.description {
            map.serialize_entry("Description", d)?;
        }
        map.serialize_entry("Value", &o.value)?;
        if let Some(name) = &o.export_name {
            map.serialize_entry("Export", &Named(name))?;
        }
        if let Some(c) = o.condition {
            map.serialize_entry("Condition", &ConditionName(c))?;
        }
        map.end()
    }
}

/// A condition's logical ID, as used in `Condition` attributes.
struct ConditionName(crate::handle::ConditionRef);

impl Serialize for ConditionName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // `{"Condition": "Name"}` resolves the name and checks the stack;
        // unwrap it to the bare name.
        let v = serde_json::to_value(self.0.value()).map_err(serde::ser::Error::custom)?;
        let name = v
            .get("Condition")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned();
        s.serialize_str(&name)
    }
}

/// One resource as written: `ids` is `None` in the discovery pass.
pub(super) struct ResourceView<'a> {
    pub(super) stack: &'a Stack,
    pub(super) entry: &'a ResourceEntry,
    /// The resource's construct path.
    pub(super) path: &'a str,
    pub(super) ids: Option<(&'a [String], &'a [&'a str])>,
    /// In a draft ([`TemplateView::draft`]): where the problems of the
    /// resource's overrides go.
    pub(super) draft: Option<&'a RefCell<Vec<Error>>>,
}

/// Where a resource's entries are written: a serializer's map, or an
/// [`ObjectWriter`] of the template, which writes the properties with code
/// compiled for the template's serializer.
trait Entries {
    type Error;
    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Self::Error>;
    fn properties(&mut self, props: &dyn DynResource) -> Result<(), Self::Error>;
}

/// A serializer's map as [`Entries`].
struct MapEntries<'m, M>(&'m mut M);

impl<M: SerializeMap> Entries for MapEntries<'_, M> {
    type Error = M::Error;
    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), M::Error> {
        self.0.serialize_entry(key, value)
    }
    fn properties(&mut self, props: &dyn DynResource) -> Result<(), M::Error> {
        self.0.serialize_entry("Properties", props)
    }
}

impl Entries for ObjectWriter<'_> {
    type Error = serde_json::Error;
    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> serde_json::Result<()> {
        ObjectWriter::entry(self, key, value)
    }
    fn properties(&mut self, props: &dyn DynResource) -> serde_json::Result<()> {
        self.key("Properties")?;
        let (out, indent) = self.value_at();
        props.write_properties(out, indent)
    }
}

impl ResourceView<'_> {
    fn write_plain<E: Entries>(&self, map: &mut E) -> Result<(), E::Error> {
        let entry = self.entry;
        let o = entry.options();
        map.entry("Type", entry.props.type_name())?;
        map.properties(&*entry.props)?;
        if let Some((_, deps)) = self.ids
            && !deps.is_empty()
        {
            map.entry("DependsOn", deps)?;
        }
        if let Some(c) = o.condition {
            map.entry("Condition", &ConditionName(c))?;
        }
        if let Some(p) = &o.creation_policy {
            map.entry("CreationPolicy", p)?;
        }
        if let Some(p) = &o.update_policy {
            map.entry("UpdatePolicy", p)?;
        }
        if let Some(p) = o.update_replace_policy {
            map.entry("UpdateReplacePolicy", &p)?;
        }
        if let Some(p) = o.deletion_policy {
            map.entry("DeletionPolicy", &p)?;
        }
        map.entry(
            "Metadata",
            &Metadata {
                entries: &o.metadata,
                path: self.path,
            },
        )?;
        for (_, value) in &o.overrides {
            if let Some(v) = value
                && self.ids.is_none()
            {
                // Discovery only: overrides may hold references too.
                discover(v);
            }
        }
        Ok(())
    }
}

impl ResourceView<'_> {
    /// Writes the resource into a template, `indent` levels deep: what its
    /// `Serialize` impl writes, with the properties written by code
    /// compiled for the template's serializer.
    fn write(&self, out: &mut Vec<u8>, indent: usize) -> serde_json::Result<()> {
        let has_overrides = !self.entry.options().overrides.is_empty();
        if has_overrides && self.ids.is_some() {
            // A draft's walk and checks, or the overrides applied to a
            // JSON value.
            return write_at(out, indent, self);
        }
        if self.draft.is_some() {
            resolve::set_path(self.path);
        }
        let mut map = ObjectWriter::begin(out, indent);
        self.write_plain(&mut map)?;
        map.end()
    }
}

impl Serialize for ResourceView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        let has_overrides = !self.entry.options().overrides.is_empty();
        if let Some(problems) = self.draft {
            resolve::set_path(self.path);
            if has_overrides && self.ids.is_some() {
                // As discovery does: walk the resource and check its
                // overrides, then write it without recording it twice more.
                let walk = ResourceView {
                    ids: None,
                    draft: None,
                    ..*self
                };
                discover(&walk);
                check_overrides(&walk, &mut problems.borrow_mut());
                let written = Quiet(
                    &ResourceView {
                        draft: None,
                        ..*self
                    },
                    true,
                )
                .serialize(s);
                return written;
            }
        }
        if !has_overrides || self.ids.is_none() {
            let mut map = s.serialize_map(None)?;
            self.write_plain(&mut MapEntries(&mut map))?;
            return map.end();
        }
        // With overrides: render to a JSON value, apply them, write it.
        let plain = PlainView(self);
        let mut value = serde_json::to_value(&plain).map_err(S::Error::custom)?;
        for (path, replacement) in &self.entry.options().overrides {
            let replacement = match replacement {
                Some(op) => Some(serde_json::to_value(op).map_err(S::Error::custom)?),
                None => None,
            };
            if let Err(reason) = apply_override(&mut value, path, replacement) {
                return Err(S::Error::custom(format!(
                    "{}: cannot apply override {path:?}: {reason}",
                    self.stack.path(self.entry.node)
                )));
            }
        }
        value.serialize(s)
    }
}

/// A resource's `Metadata`: the user's entries, then `aws:cdk:path`.
struct Metadata<'a> {
    entries: &'a indexmap::IndexMap<String, Operand>,
    path: &'a str,
}

impl Serialize for Metadata<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.entries.len() + 1))?;
        for (k, v) in self.entries {
            map.serialize_entry(k, v)?;
        }
        map.serialize_entry("aws:cdk:path", self.path)?;
        map.end()
    }
}

struct PlainView<'a, 'b>(&'a ResourceView<'b>);

impl Serialize for PlainView<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        self.0.write_plain(&mut MapEntries(&mut map))?;
        map.end()
    }
}

/// Applies a resource's overrides to its rendering, reporting the ones that
/// cannot be applied, then validates the rendered `Properties`
/// ([`Resource::validate_rendered`](crate::Resource::validate_rendered)).
///
/// It records nothing in the context: the walk before it did
/// ([`discover`]), and recording again reported each problem twice.
pub(super) fn check_overrides(view: &ResourceView<'_>, errors: &mut Vec<Error>) {
    let Ok(mut value) = serde_json::to_value(Quiet(&PlainView(view), true)) else {
        return;
    };
    for (path, replacement) in &view.entry.options().overrides {
        let replacement = replacement
            .as_ref()
            .map(|op| serde_json::to_value(Quiet(op, true)).unwrap_or_default());
        if let Err(reason) = apply_override(&mut value, path, replacement) {
            errors.push(Error::InvalidOverride {
                path: view.stack.path(view.entry.node),
                override_path: path.clone(),
                reason,
            });
        }
    }
    // A deletion override may remove `Properties` itself: then none is set.
    let empty = serde_json::Value::Object(serde_json::Map::new());
    let properties = value.get("Properties").unwrap_or(&empty);
    let mut report = Report::default();
    view.entry.props.validate_rendered(properties, &mut report);
    push_problems(view.stack, view.entry, report, errors);
}
