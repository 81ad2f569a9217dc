//! Resources: the [`Resource`] trait every L1 type implements, raw resources
//! for any type, and the resource attributes (`DependsOn`, `Condition`,
//! policies, metadata, overrides) kept beside the properties.

use std::any::Any;
use std::fmt;

use indexmap::IndexMap;
use serde::Serialize;

use crate::expr::Operand;
use crate::handle::{ConditionRef, ResourceRef};
use crate::tree::NodeId;

/// A CloudFormation resource's properties, ready to be added to a stack.
///
/// Implemented by every generated L1 type and by [`RawResource`]. Serializing
/// the value yields the resource's `Properties` object. `Send + Sync`
/// because synth renders the stacks of an app on every core.
pub trait Resource: Serialize + Any + fmt::Debug + Send + Sync {
    /// The handle [`Stack::add`](crate::Stack::add) returns for it.
    type Handle: From<ResourceRef> + Copy;

    /// The CloudFormation type name, e.g. `AWS::S3::Bucket`.
    fn type_name(&self) -> &str;

    /// Reports every value CloudFormation would reject. Generated L1 types
    /// check the constraints of their registry schema here; literal values are
    /// checked, intrinsics are not.
    fn validate(&self, report: &mut Report) {
        let _ = report;
    }

    /// Reports what CloudFormation would reject in the rendered `Properties`
    /// of a resource whose overrides changed them (raw JSON the typed value
    /// never saw): called at synth only for resources with overrides, after
    /// they are applied. Generated L1 types check their schema's property
    /// names (`additionalProperties: false`) and `required` lists here.
    fn validate_rendered(&self, properties: &serde_json::Value, report: &mut Report) {
        let _ = (properties, report);
    }

    /// The properties whose change replaces the resource (the registry
    /// schema's `createOnlyProperties`), as JSON pointers below `Properties`
    /// such as `/LogGroupName`. `diff` marks such changes as replacements.
    fn create_only_properties(&self) -> &'static [&'static str] {
        &[]
    }

    /// The properties whose change may replace the resource (the registry
    /// schema's `conditionalCreateOnlyProperties`), as JSON pointers below
    /// `Properties`. `diff` marks such changes as possible replacements.
    fn conditional_create_only_properties(&self) -> &'static [&'static str] {
        &[]
    }
}

/// The object-safe part of [`Resource`], as stored in a stack.
pub(crate) trait DynResource:
    erased_serde::Serialize + Any + fmt::Debug + Send + Sync
{
    fn type_name(&self) -> &str;
    fn validate(&self, report: &mut Report);
    fn validate_rendered(&self, properties: &serde_json::Value, report: &mut Report);
    fn create_only_properties(&self) -> &'static [&'static str];
    fn conditional_create_only_properties(&self) -> &'static [&'static str];
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn as_any(&self) -> &dyn Any;
    /// Writes the properties into a template, `indent` levels deep, with
    /// code compiled for the template's serializer (the erased `Serialize`
    /// serves every other serializer).
    fn write_properties(&self, out: &mut Vec<u8>, indent: usize) -> serde_json::Result<()>;
}

impl<R: Resource> DynResource for R {
    fn type_name(&self) -> &str {
        Resource::type_name(self)
    }
    fn validate(&self, report: &mut Report) {
        Resource::validate(self, report);
    }
    fn validate_rendered(&self, properties: &serde_json::Value, report: &mut Report) {
        Resource::validate_rendered(self, properties, report);
    }
    fn create_only_properties(&self) -> &'static [&'static str] {
        Resource::create_only_properties(self)
    }
    fn conditional_create_only_properties(&self) -> &'static [&'static str] {
        Resource::conditional_create_only_properties(self)
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn write_properties(&self, out: &mut Vec<u8>, indent: usize) -> serde_json::Result<()> {
        crate::json::write_at(out, indent, self)
    }
}

erased_serde::serialize_trait_object!(DynResource);

/// The values of one resource that CloudFormation would reject, found by
/// [`Resource::validate`] and [`Resource::validate_rendered`].
#[derive(Debug, Default)]
pub struct Report {
    problems: Vec<Problem>,
}

/// One value CloudFormation would reject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The JSON pointer of the value below `Properties`, e.g. `/Tags/0/Key`.
    pub pointer: String,
    /// The schema keyword it breaks: `required`, `enum`, `maxLength`, …
    pub rule: &'static str,
    /// What is wrong, with the allowed values.
    pub message: String,
}

impl Report {
    /// Records a problem.
    pub fn push(
        &mut self,
        pointer: impl Into<String>,
        rule: &'static str,
        message: impl Into<String>,
    ) {
        self.problems.push(Problem {
            pointer: pointer.into(),
            rule,
            message: message.into(),
        });
    }

    /// The problems found.
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    pub(crate) fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

/// A resource of any type, with properties given as data. The escape hatch
/// for types that have no generated L1 struct.
///
/// ```
/// use ecscdk_synth::prelude::*;
/// let topic = RawResource::new("AWS::SNS::Topic").property("TopicName", "alerts");
/// # let _ = topic;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RawResource {
    type_name: String,
    properties: IndexMap<String, Operand>,
}

impl RawResource {
    /// A resource of type `type_name` with no properties yet.
    pub fn new(type_name: impl Into<String>) -> Self {
        Self {
            type_name: type_name.into(),
            properties: IndexMap::new(),
        }
    }

    /// Sets a property (replacing an earlier value of the same name).
    #[must_use]
    pub fn property(mut self, name: impl Into<String>, value: impl Into<Operand>) -> Self {
        self.properties.insert(name.into(), value.into());
        self
    }
}

impl Serialize for RawResource {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.properties.serialize(serializer)
    }
}

impl Resource for RawResource {
    type Handle = ResourceRef;

    fn type_name(&self) -> &str {
        &self.type_name
    }
}

/// What CloudFormation does with a resource when it is removed from the
/// template or its stack is deleted (`DeletionPolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum DeletionPolicy {
    /// Delete the resource (CloudFormation's default for most types).
    Delete,
    /// Keep the resource, outside the stack.
    Retain,
    /// Keep it only if the stack's creation fails.
    RetainExceptOnCreate,
    /// Take a snapshot, then delete (types that support snapshots).
    Snapshot,
}

/// What CloudFormation does with the old resource when an update replaces it
/// (`UpdateReplacePolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum UpdateReplacePolicy {
    /// Delete the old resource (CloudFormation's default).
    Delete,
    /// Keep the old resource, outside the stack.
    Retain,
    /// Take a snapshot, then delete (types that support snapshots).
    Snapshot,
}

/// The attributes of a resource besides its properties, and the overrides
/// applied to its rendered JSON. Reach it with
/// [`Stack::resource_options`](crate::Stack::resource_options).
#[derive(Debug, Default)]
pub struct ResourceOptions {
    pub(crate) logical_id: Option<String>,
    pub(crate) depends_on: Vec<ResourceRef>,
    pub(crate) condition: Option<ConditionRef>,
    pub(crate) deletion_policy: Option<DeletionPolicy>,
    pub(crate) update_replace_policy: Option<UpdateReplacePolicy>,
    pub(crate) update_policy: Option<Operand>,
    pub(crate) creation_policy: Option<Operand>,
    pub(crate) metadata: IndexMap<String, Operand>,
    pub(crate) overrides: Vec<(String, Option<Operand>)>,
}

impl ResourceOptions {
    /// Uses `id` as the logical ID instead of the one computed from the
    /// construct path. Checked at synth: 1 to 255 ASCII letters and digits.
    pub fn override_logical_id(&mut self, id: impl Into<String>) -> &mut Self {
        self.logical_id = Some(id.into());
        self
    }

    /// Adds `DependsOn`: CloudFormation creates `other` first and deletes it
    /// last. A resource of another stack makes this stack depend on that stack.
    pub fn depends_on(&mut self, other: impl Into<ResourceRef>) -> &mut Self {
        self.depends_on.push(other.into());
        self
    }

    /// Creates the resource only when `condition` holds (`Condition`).
    pub fn condition(&mut self, condition: ConditionRef) -> &mut Self {
        self.condition = Some(condition);
        self
    }

    /// Sets `DeletionPolicy`.
    pub fn deletion_policy(&mut self, policy: DeletionPolicy) -> &mut Self {
        self.deletion_policy = Some(policy);
        self
    }

    /// Sets `UpdateReplacePolicy`.
    pub fn update_replace_policy(&mut self, policy: UpdateReplacePolicy) -> &mut Self {
        self.update_replace_policy = Some(policy);
        self
    }

    /// Sets both `DeletionPolicy` and `UpdateReplacePolicy` to keep the
    /// resource (`Retain`) or delete it, like the CDK's `applyRemovalPolicy`.
    pub fn retain(&mut self, retain: bool) -> &mut Self {
        if retain {
            self.deletion_policy = Some(DeletionPolicy::Retain);
            self.update_replace_policy = Some(UpdateReplacePolicy::Retain);
        } else {
            self.deletion_policy = Some(DeletionPolicy::Delete);
            self.update_replace_policy = Some(UpdateReplacePolicy::Delete);
        }
        self
    }

    /// Sets `UpdatePolicy` (Auto Scaling groups, Lambda aliases, …).
    pub fn update_policy(&mut self, policy: impl Into<Operand>) -> &mut Self {
        self.update_policy = Some(policy.into());
        self
    }

    /// Sets `CreationPolicy` (wait for signals before the resource counts as
    /// created).
    pub fn creation_policy(&mut self, policy: impl Into<Operand>) -> &mut Self {
        self.creation_policy = Some(policy.into());
        self
    }

    /// Adds an entry to the resource's `Metadata`.
    pub fn metadata(&mut self, key: impl Into<String>, value: impl Into<Operand>) -> &mut Self {
        self.metadata.insert(key.into(), value.into());
        self
    }

    /// Sets any value of the rendered resource at a dotted path, creating
    /// objects on the way, like the CDK's `addOverride`:
    /// `add_override("Properties.Tags", …)`, `add_override("DependsOn", …)`.
    /// Write a literal dot in a key as `\.`. Applied last, at synth.
    pub fn add_override(
        &mut self,
        path: impl Into<String>,
        value: impl Into<Operand>,
    ) -> &mut Self {
        self.overrides.push((path.into(), Some(value.into())));
        self
    }

    /// Removes the value at a dotted path of the rendered resource.
    pub fn add_deletion_override(&mut self, path: impl Into<String>) -> &mut Self {
        self.overrides.push((path.into(), None));
        self
    }

    /// [`add_override`](Self::add_override) below `Properties`, like the CDK's
    /// `addPropertyOverride("A.B.C", value)`.
    pub fn add_property_override(&mut self, path: &str, value: impl Into<Operand>) -> &mut Self {
        self.add_override(format!("Properties.{path}"), value)
    }

    /// [`add_deletion_override`](Self::add_deletion_override) below `Properties`.
    pub fn add_property_deletion_override(&mut self, path: &str) -> &mut Self {
        self.add_deletion_override(format!("Properties.{path}"))
    }
}

/// A resource as stored in its stack.
#[derive(Debug)]
pub(crate) struct ResourceEntry {
    pub(crate) node: NodeId,
    pub(crate) props: Box<dyn DynResource>,
    /// Boxed, and only once asked for ([`ResourceEntry::options_mut`]):
    /// most resources have none, and a stack's resources sit in one vector
    /// whose spare capacity would otherwise hold hundreds of empty options.
    options: Option<Box<ResourceOptions>>,
}

/// The options of a resource that has none.
static NO_OPTIONS: std::sync::LazyLock<ResourceOptions> =
    std::sync::LazyLock::new(ResourceOptions::default);

impl ResourceEntry {
    /// A resource without options.
    pub(crate) fn new(node: NodeId, props: Box<dyn DynResource>) -> Self {
        Self {
            node,
            props,
            options: None,
        }
    }

    /// The resource's options.
    pub(crate) fn options(&self) -> &ResourceOptions {
        self.options.as_deref().unwrap_or(&NO_OPTIONS)
    }

    /// The resource's options, to change them.
    pub(crate) fn options_mut(&mut self) -> &mut ResourceOptions {
        self.options.get_or_insert_default()
    }
}
