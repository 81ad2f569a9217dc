//! A stack: one CloudFormation template and the construct tree that makes it.
//!
//! ```
//! use ecscdk_synth::prelude::*;
//!
//! # fn main() -> ecscdk_synth::Result<()> {
//! let mut stack = Stack::new("Storage").env(Env::new("123456789012", "us-east-1"));
//! let root = stack.root();
//! let bucket = stack.add(root, "Bucket", RawResource::new("AWS::S3::Bucket"))?;
//! stack.output("BucketName", bucket.reference())?;
//! # Ok(()) }
//! ```

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::marker::PhantomData;

use crate::error::{Error, Result};
use crate::expr::Cond;
use crate::fast_hash::Children;
use crate::handle::{ConditionRef, MappingRef, OutputRef, Parameter, ParameterRef, ResourceRef};
use crate::reference::ReferenceStrength;
use crate::resource::{Resource, ResourceEntry, ResourceOptions};
use crate::template::{Mapping, Output, ParameterDecl, ParameterSpec, Rule};
use crate::tree::{ConstructPath, Node, NodeId, NodeKind, StackId, construct_id_problem};

/// Where a stack is deployed: an account and a region, or neither (an
/// environment-agnostic stack, deployable anywhere).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Env {
    pub(crate) account: Option<String>,
    pub(crate) region: Option<String>,
}

impl Env {
    /// A fixed account and region.
    pub fn new(account: impl Into<String>, region: impl Into<String>) -> Self {
        Self {
            account: Some(account.into()),
            region: Some(region.into()),
        }
    }

    /// No fixed account or region: the deploying credentials decide.
    #[must_use]
    pub fn agnostic() -> Self {
        Self::default()
    }

    /// The account, if fixed.
    #[must_use]
    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }

    /// The region, if fixed.
    #[must_use]
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The partition of the fixed region (`aws`, `aws-cn`, `aws-us-gov`,
    /// `aws-iso`, …), as the AWS CDK writes it into ARNs when it knows the
    /// region (its `@aws-cdk/core:enablePartitionLiterals` flag, on for new
    /// apps); `None` for an agnostic region.
    #[must_use]
    pub fn partition(&self) -> Option<&'static str> {
        let region = self.region.as_deref()?;
        Some(if region.starts_with("cn-") {
            "aws-cn"
        } else if region.starts_with("us-gov-") {
            "aws-us-gov"
        } else if region.starts_with("us-isob-") {
            "aws-iso-b"
        } else if region.starts_with("us-iso-") {
            "aws-iso"
        } else if region.starts_with("eu-isoe-") {
            "aws-iso-e"
        } else if region.starts_with("us-isof-") {
            "aws-iso-f"
        } else {
            "aws"
        })
    }

    /// The cloud-assembly form: `aws://ACCOUNT/REGION`, with
    /// `unknown-account` / `unknown-region` where not fixed.
    #[must_use]
    pub fn assembly_uri(&self) -> String {
        format!(
            "aws://{}/{}",
            self.account.as_deref().unwrap_or("unknown-account"),
            self.region.as_deref().unwrap_or("unknown-region")
        )
    }
}

/// A parameter as stored in its stack.
#[derive(Debug)]
pub(crate) struct ParameterEntry {
    pub(crate) node: NodeId,
    pub(crate) decl: ParameterDecl,
}

/// An element of a template section other than `Resources`, as stored.
#[derive(Debug)]
pub(crate) struct Entry<T> {
    pub(crate) node: NodeId,
    pub(crate) value: T,
}

/// State an L2 construct keeps beside its resources (a role's policy
/// document, a task definition's containers), keyed by the construct's node.
#[derive(Default)]
struct ConstructData(HashMap<u32, Box<dyn Any + Send + Sync>>);

impl std::fmt::Debug for ConstructData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConstructData({} entries)", self.0.len())
    }
}

/// One CloudFormation stack: its settings, its construct tree and the
/// elements of its template.
#[derive(Debug)]
pub struct Stack {
    pub(crate) id: StackId,
    pub(crate) construct_id: String,
    pub(crate) stack_name: Option<String>,
    pub(crate) env: Env,
    pub(crate) description: Option<String>,
    pub(crate) tags: BTreeMap<String, String>,
    pub(crate) termination_protection: bool,
    pub(crate) transforms: Vec<String>,
    pub(crate) nodes: Vec<Node>,
    /// Every node but the root, found by its parent and id.
    children: Children,
    pub(crate) resources: Vec<ResourceEntry>,
    pub(crate) parameters: Vec<ParameterEntry>,
    pub(crate) conditions: Vec<Entry<Cond>>,
    pub(crate) mappings: Vec<Entry<Mapping>>,
    pub(crate) rules: Vec<Entry<Rule>>,
    pub(crate) outputs: Vec<Entry<Output>>,
    pub(crate) stack_dependencies: Vec<(StackId, String)>,
    pub(crate) node_dependencies: Vec<(NodeId, NodeId)>,
    pub(crate) images: Vec<ImageEntry>,
    /// Warnings recorded by constructs ([`Stack::add_warning`]), in order:
    /// the node, the warning's id and the message.
    pub(crate) warnings: Vec<(NodeId, String, String)>,
    /// Acknowledged warnings ([`Stack::acknowledge_warning`]): the scope and
    /// the id.
    pub(crate) acknowledged: Vec<(NodeId, String)>,
    /// The strength of the references this stack makes to other stacks;
    /// `None` follows the app.
    pub(crate) reference_strength: Option<ReferenceStrength>,
    data: ConstructData,
}

impl Stack {
    /// A stack with construct id `id`, which is also its CloudFormation
    /// stack name unless [`stack_name`](Self::stack_name) gives another.
    ///
    /// Environment: agnostic until [`env`](Self::env) sets one.
    pub fn new(id: impl Into<String>) -> Self {
        let construct_id = id.into();
        let stack_id = StackId::fresh();
        Self {
            id: stack_id,
            nodes: vec![Node {
                id: construct_id.clone(),
                parent: None,
                children: Vec::new(),
                kind: NodeKind::Stack,
                fqn: Some("ecscdk.Stack"),
            }],
            construct_id,
            stack_name: None,
            env: Env::agnostic(),
            description: None,
            tags: BTreeMap::new(),
            termination_protection: false,
            transforms: Vec::new(),
            children: Children::default(),
            resources: Vec::new(),
            parameters: Vec::new(),
            conditions: Vec::new(),
            mappings: Vec::new(),
            rules: Vec::new(),
            outputs: Vec::new(),
            stack_dependencies: Vec::new(),
            node_dependencies: Vec::new(),
            images: Vec::new(),
            warnings: Vec::new(),
            acknowledged: Vec::new(),
            reference_strength: None,
            data: ConstructData::default(),
        }
    }

    /// The CloudFormation stack name.
    ///
    /// Default: the stack's construct id.
    #[must_use]
    pub fn stack_name(mut self, name: impl Into<String>) -> Self {
        self.stack_name = Some(name.into());
        self
    }

    /// The account and region to deploy to.
    ///
    /// Default: environment-agnostic.
    #[must_use]
    pub fn env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// How this stack reads values of other stacks of the app, whatever the
    /// app's [`cross_stack_references`](crate::App::cross_stack_references)
    /// says (the CDK sets the same per scope with the context key
    /// `@aws-cdk/core:defaultCrossStackReferences`).
    ///
    /// Default: the app's setting.
    #[must_use]
    pub fn cross_stack_references(mut self, strength: ReferenceStrength) -> Self {
        self.reference_strength = Some(strength);
        self
    }

    /// The template's `Description` (at most 1,024 bytes).
    ///
    /// Default: none.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// A stack tag; CloudFormation copies stack tags to every resource that
    /// supports tags.
    #[must_use]
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }

    /// Termination protection: CloudFormation refuses to delete the stack
    /// until it is turned off.
    ///
    /// Default: off.
    #[must_use]
    pub fn termination_protection(mut self, on: bool) -> Self {
        self.termination_protection = on;
        self
    }

    /// Adds a template transform such as `AWS::LanguageExtensions` (needed by
    /// `Fn::Length` and `Fn::ToJsonString`).
    #[must_use]
    pub fn transform(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        if !self.transforms.contains(&name) {
            self.transforms.push(name);
        }
        self
    }

    /// The stack's identity, carried by every handle of its elements.
    #[must_use]
    pub fn stack_id(&self) -> StackId {
        self.id
    }

    /// The stack's construct id (also its artifact id in `cdk.out`).
    #[must_use]
    pub fn id(&self) -> &str {
        &self.construct_id
    }

    /// The CloudFormation stack name.
    #[must_use]
    pub fn name(&self) -> &str {
        self.stack_name.as_deref().unwrap_or(&self.construct_id)
    }

    /// The environment.
    #[must_use]
    pub fn environment(&self) -> &Env {
        &self.env
    }

    /// The root of the stack's construct tree: the stack itself.
    #[must_use]
    pub fn root(&self) -> NodeId {
        NodeId {
            stack: self.id,
            index: 0,
        }
    }

    /// The construct path of a node of this stack.
    #[must_use]
    pub fn path(&self, node: NodeId) -> ConstructPath {
        if node.stack != self.id {
            return ConstructPath::new(format!("{}/<node of another stack>", self.construct_id));
        }
        // One allocation: the path's length first, then its ids written
        // from the end (L2 builders take a node's path for their errors).
        let ancestors = || {
            std::iter::successors(Some(node.index), |&i| {
                self.nodes.get(i as usize).and_then(|n| n.parent)
            })
            .filter_map(|i| self.nodes.get(i as usize))
        };
        let (count, bytes) =
            ancestors().fold((0usize, 0usize), |(c, b), n| (c + 1, b + n.id.len()));
        let mut path = vec![b'/'; (bytes + count).saturating_sub(1)];
        let mut end = path.len();
        for n in ancestors() {
            let start = end.saturating_sub(n.id.len());
            if let Some(slot) = path.get_mut(start..end) {
                slot.copy_from_slice(n.id.as_bytes());
            }
            end = start.saturating_sub(1);
        }
        ConstructPath::new(String::from_utf8(path).unwrap_or_default())
    }

    /// The logical ID the node gets from its path (overrides aside), as
    /// synth will compute it; L2 constructs use it where the CDK does, e.g.
    /// as the name of a role's default policy.
    #[must_use]
    pub fn logical_id_of(&self, node: NodeId) -> String {
        if node.stack != self.id {
            return String::new();
        }
        let components = self.path_components(node.index);
        crate::logical_id::logical_id(components.get(1..).unwrap_or_default())
    }

    /// The ids from the stack (included) down to `index`.
    pub(crate) fn path_components(&self, index: u32) -> Vec<&str> {
        let mut out = Vec::new();
        self.path_components_into(index, &mut out);
        out
    }

    /// [`Stack::path_components`] into `out` (emptied first), to reuse one
    /// buffer across many nodes.
    pub(crate) fn path_components_into<'a>(&'a self, index: u32, out: &mut Vec<&'a str>) {
        out.clear();
        let mut at = Some(index);
        while let Some(i) = at {
            let Some(node) = self.nodes.get(i as usize) else {
                break;
            };
            out.push(node.id.as_str());
            at = node.parent;
        }
        out.reverse();
    }

    /// The path of every node, by node index: one pass down the arena, each
    /// path its parent's plus `/` and its id (a parent always comes before
    /// its children), all in one buffer.
    pub(crate) fn node_paths(&self) -> NodePaths {
        let mut text = String::with_capacity(self.nodes.len() * 48);
        let mut spans: Vec<(u32, u32)> = Vec::with_capacity(self.nodes.len());
        let offset = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        for node in &self.nodes {
            let start = text.len();
            if let Some(&(from, to)) = node.parent.and_then(|p| spans.get(p as usize)) {
                text.extend_from_within(from as usize..to as usize);
                text.push('/');
            }
            text.push_str(&node.id);
            spans.push((offset(start), offset(text.len())));
        }
        NodePaths { text, spans }
    }

    /// The child `id` of `parent`, if it has one (the CDK's
    /// `node.tryFindChild`): how an L2 construct finds a stack-wide singleton
    /// it created earlier, or sees that a rule it is about to add exists.
    #[must_use]
    pub fn child(&self, parent: NodeId, id: &str) -> Option<NodeId> {
        if parent.stack != self.id {
            return None;
        }
        self.children
            .find(&self.nodes, parent.index, id)
            .map(|index| NodeId {
                stack: self.id,
                index,
            })
    }

    /// Adds a scope: a construct with no template element of its own, under
    /// which other constructs are added (an L2 construct's node).
    ///
    /// # Errors
    /// [`Error::InvalidId`] for an empty id or one containing `/`;
    /// [`Error::DuplicateId`] when `parent` already has a child `id`;
    /// [`Error::ForeignHandle`] when `parent` belongs to another stack.
    pub fn scope(&mut self, parent: NodeId, id: &str) -> Result<NodeId> {
        self.add_node(parent, id, NodeKind::Scope, None)
    }

    /// Like [`scope`](Self::scope), recording the construct's type name for
    /// `tree.json` (e.g. `ecscdk.ec2.Vpc`).
    ///
    /// # Errors
    /// As [`scope`](Self::scope).
    pub fn scope_of_type(&mut self, parent: NodeId, id: &str, fqn: &'static str) -> Result<NodeId> {
        self.add_node(parent, id, NodeKind::Scope, Some(fqn))
    }

    fn add_node(
        &mut self,
        parent: NodeId,
        id: &str,
        kind: NodeKind,
        fqn: Option<&'static str>,
    ) -> Result<NodeId> {
        if parent.stack != self.id {
            return Err(Error::ForeignHandle {
                path: ConstructPath::new(self.construct_id.clone()).child(id),
                what: "the parent scope",
            });
        }
        // The parent's path is built only for an error.
        if let Some(reason) = construct_id_problem(id) {
            return Err(Error::InvalidId {
                path: self.path(parent),
                id: id.to_owned(),
                reason,
            });
        }
        if self.children.find(&self.nodes, parent.index, id).is_some() {
            return Err(Error::DuplicateId {
                path: self.path(parent).child(id),
            });
        }
        let index = u32::try_from(self.nodes.len()).map_err(|_| Error::LimitExceeded {
            path: self.path(parent),
            what: "constructs in one stack",
            limit: u32::MAX as usize,
            actual: self.nodes.len(),
            fix: "split the stack",
        })?;
        self.nodes.push(Node {
            id: id.to_owned(),
            parent: Some(parent.index),
            children: Vec::new(),
            kind,
            fqn,
        });
        if let Some(p) = self.nodes.get_mut(parent.index as usize) {
            p.children.push(index);
        }
        self.children.insert(parent.index, id, index);
        Ok(NodeId {
            stack: self.id,
            index,
        })
    }

    fn next_index<T>(list: &[T]) -> u32 {
        // Bounded by the node count, which `add_node` keeps within u32.
        u32::try_from(list.len()).unwrap_or(u32::MAX)
    }

    /// Adds a resource under `parent` and returns its handle.
    ///
    /// Its logical ID is computed from its path at synth (see
    /// [`logical_id`](crate::logical_id())); L2 constructs name their main
    /// resource `Resource`, as the CDK does.
    ///
    /// # Errors
    /// As [`scope`](Self::scope).
    pub fn add<R: Resource>(&mut self, parent: NodeId, id: &str, resource: R) -> Result<R::Handle> {
        let index = Self::next_index(&self.resources);
        let node = self.add_node(parent, id, NodeKind::Resource(index), None)?;
        self.resources
            .push(ResourceEntry::new(node, Box::new(resource)));
        Ok(R::Handle::from(ResourceRef { node }))
    }

    fn resource_entry(&mut self, resource: ResourceRef) -> Result<&mut ResourceEntry> {
        let stack_path = ConstructPath::new(self.construct_id.clone());
        if resource.node.stack != self.id {
            return Err(Error::ForeignHandle {
                path: stack_path,
                what: "the resource",
            });
        }
        let kind = self.nodes.get(resource.node.index as usize).map(|n| n.kind);
        match kind {
            Some(NodeKind::Resource(i)) => {
                self.resources
                    .get_mut(i as usize)
                    .ok_or(Error::WrongHandle {
                        path: stack_path,
                        expected: "a resource",
                    })
            }
            _ => Err(Error::WrongHandle {
                path: stack_path,
                expected: "a resource",
            }),
        }
    }

    /// The attributes of a resource of this stack besides its properties:
    /// `DependsOn`, `Condition`, policies, metadata, logical-ID override and
    /// raw overrides.
    ///
    /// # Errors
    /// [`Error::ForeignHandle`] for a resource of another stack.
    pub fn resource_options(
        &mut self,
        resource: impl Into<ResourceRef>,
    ) -> Result<&mut ResourceOptions> {
        Ok(self.resource_entry(resource.into())?.options_mut())
    }

    /// The properties of a resource of this stack, to change them after it
    /// was added (how an L2 construct adds a container to its task
    /// definition).
    ///
    /// # Errors
    /// [`Error::ForeignHandle`] for a resource of another stack;
    /// [`Error::WrongHandle`] when the resource is not an `R`.
    pub fn properties_mut<R: Resource>(
        &mut self,
        resource: impl Into<ResourceRef>,
    ) -> Result<&mut R> {
        let stack_path = ConstructPath::new(self.construct_id.clone());
        let entry = self.resource_entry(resource.into())?;
        entry
            .props
            .as_any_mut()
            .downcast_mut::<R>()
            .ok_or(Error::WrongHandle {
                path: stack_path,
                expected: "a resource of the requested type",
            })
    }

    /// The properties of a resource of this stack.
    ///
    /// # Errors
    /// As [`properties_mut`](Self::properties_mut).
    pub fn properties<R: Resource>(&self, resource: impl Into<ResourceRef>) -> Result<&R> {
        let resource = resource.into();
        let stack_path = ConstructPath::new(self.construct_id.clone());
        let wrong = || Error::WrongHandle {
            path: stack_path.clone(),
            expected: "a resource of the requested type",
        };
        if resource.node.stack != self.id {
            return Err(Error::ForeignHandle {
                path: stack_path.clone(),
                what: "the resource",
            });
        }
        match self.nodes.get(resource.node.index as usize).map(|n| n.kind) {
            Some(NodeKind::Resource(i)) => self
                .resources
                .get(i as usize)
                .and_then(|e| e.props.as_any().downcast_ref::<R>())
                .ok_or_else(wrong),
            _ => Err(wrong()),
        }
    }

    /// Adds a template parameter with id `id` (its logical ID) directly under
    /// the stack.
    ///
    /// # Errors
    /// As [`scope`](Self::scope).
    pub fn parameter<T>(&mut self, id: &str, spec: ParameterSpec<T>) -> Result<Parameter<T>> {
        let index = Self::next_index(&self.parameters);
        let node = self.add_node(self.root(), id, NodeKind::Parameter(index), None)?;
        self.parameters.push(ParameterEntry {
            node,
            decl: spec.decl,
        });
        Ok(Parameter {
            raw: ParameterRef { node, index },
            _type: PhantomData,
        })
    }

    /// Adds a condition to the `Conditions` section.
    ///
    /// # Errors
    /// As [`scope`](Self::scope).
    pub fn condition(&mut self, id: &str, condition: Cond) -> Result<ConditionRef> {
        let index = Self::next_index(&self.conditions);
        let node = self.add_node(self.root(), id, NodeKind::Condition(index), None)?;
        self.conditions.push(Entry {
            node,
            value: condition,
        });
        Ok(ConditionRef { node, index })
    }

    /// Adds a mapping to the `Mappings` section.
    ///
    /// # Errors
    /// As [`scope`](Self::scope).
    pub fn mapping(&mut self, id: &str, mapping: Mapping) -> Result<MappingRef> {
        let index = Self::next_index(&self.mappings);
        let node = self.add_node(self.root(), id, NodeKind::Mapping(index), None)?;
        self.mappings.push(Entry {
            node,
            value: mapping,
        });
        Ok(MappingRef { node, index })
    }

    /// Adds a rule to the `Rules` section.
    ///
    /// # Errors
    /// As [`scope`](Self::scope).
    pub fn rule(&mut self, id: &str, rule: Rule) -> Result<()> {
        let index = Self::next_index(&self.rules);
        let node = self.add_node(self.root(), id, NodeKind::Rule(index), None)?;
        self.rules.push(Entry { node, value: rule });
        Ok(())
    }

    /// Adds an output directly under the stack.
    ///
    /// # Errors
    /// As [`scope`](Self::scope).
    pub fn output(&mut self, id: &str, output: impl Into<Output>) -> Result<OutputRef> {
        let root = self.root();
        self.output_in(root, id, output)
    }

    /// Adds an output under a scope (an L2 construct's outputs).
    ///
    /// # Errors
    /// As [`scope`](Self::scope).
    pub fn output_in(
        &mut self,
        parent: NodeId,
        id: &str,
        output: impl Into<Output>,
    ) -> Result<OutputRef> {
        let index = Self::next_index(&self.outputs);
        let node = self.add_node(parent, id, NodeKind::Output(index), None)?;
        self.outputs.push(Entry {
            node,
            value: output.into(),
        });
        Ok(OutputRef { node, index })
    }

    /// Records a warning about the construct `node` (the AWS CDK's
    /// `Annotations.of(scope).addWarningV2`): something valid that can
    /// surprise, such as a safe default that breaks some images. `id` names
    /// the kind of warning (`ecscdk:ecs:readOnlyRootFilesystem`), so that a
    /// user can acknowledge it ([`acknowledge_warning`](Self::acknowledge_warning)).
    /// `synth` and `deploy` print it with the construct's path and the id,
    /// the cloud assembly carries it (`aws:cdk:warning` metadata), and
    /// `--strict` fails on it. The same warning on the same node is kept
    /// once.
    pub fn add_warning(&mut self, node: NodeId, id: impl Into<String>, message: impl Into<String>) {
        let warning = (node, id.into(), message.into());
        if node.stack == self.id && !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// Acknowledges the warnings `id` on `scope` and every construct below
    /// it (the CDK's `Annotations.of(scope).acknowledgeWarning`): they are
    /// no longer printed, written or failed on with `--strict`. Say why in
    /// a comment beside the call; the choice stays visible in the code.
    pub fn acknowledge_warning(&mut self, scope: NodeId, id: impl Into<String>) {
        if scope.stack == self.id {
            self.acknowledged.push((scope, id.into()));
        }
    }

    /// The warnings not acknowledged, in order.
    pub(crate) fn open_warnings(&self) -> impl Iterator<Item = &(NodeId, String, String)> {
        self.warnings.iter().filter(|(node, id, _)| {
            !self
                .acknowledged
                .iter()
                .any(|(scope, ack)| ack == id && self.is_within(node.index, scope.index))
        })
    }

    /// Whether node `index` is `scope` or below it.
    fn is_within(&self, index: u32, scope: u32) -> bool {
        let mut current = Some(index);
        while let Some(i) = current {
            if i == scope {
                return true;
            }
            current = self.nodes.get(i as usize).and_then(|n| n.parent);
        }
        false
    }

    /// Makes this stack deploy after `other` (and be destroyed before it).
    pub fn add_dependency(&mut self, other: &Stack, reason: impl Into<String>) {
        self.stack_dependencies.push((other.id, reason.into()));
    }

    /// Makes every resource under `from` (a node of this stack) depend on
    /// every resource under `to`. When `to` is in another stack, this stack
    /// depends on that stack instead.
    ///
    /// # Errors
    /// [`Error::ForeignHandle`] when `from` belongs to another stack.
    pub fn add_node_dependency(&mut self, from: NodeId, to: NodeId) -> Result<()> {
        if from.stack != self.id {
            return Err(Error::ForeignHandle {
                path: ConstructPath::new(self.construct_id.clone()),
                what: "the dependent construct",
            });
        }
        self.node_dependencies.push((from, to));
        Ok(())
    }

    /// Stores state of the L2 construct at `node` (replacing earlier state of
    /// the same type). L2 constructs keep here what they need to change their
    /// resources later, such as a role's policy statements. `Send + Sync`
    /// like the stack, which synth reads from several threads.
    ///
    /// # Errors
    /// [`Error::ForeignHandle`] when `node` belongs to another stack.
    pub fn set_construct_data<T: Any + Send + Sync>(
        &mut self,
        node: NodeId,
        data: T,
    ) -> Result<()> {
        if node.stack != self.id {
            return Err(Error::ForeignHandle {
                path: ConstructPath::new(self.construct_id.clone()),
                what: "the construct",
            });
        }
        self.data.0.insert(node.index, Box::new(data));
        Ok(())
    }

    /// The state stored for the construct at `node`, if it is a `T`.
    pub fn construct_data_mut<T: Any>(&mut self, node: NodeId) -> Option<&mut T> {
        if node.stack != self.id {
            return None;
        }
        self.data.0.get_mut(&node.index)?.downcast_mut::<T>()
    }

    /// The state stored for the construct at `node`, if it is a `T`.
    #[must_use]
    pub fn construct_data<T: Any>(&self, node: NodeId) -> Option<&T> {
        if node.stack != self.id {
            return None;
        }
        self.data.0.get(&node.index)?.downcast_ref::<T>()
    }

    /// The resources in the subtree of `index`, in insertion order.
    pub(crate) fn resources_under(&self, index: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut todo = vec![index];
        while let Some(i) = todo.pop() {
            let Some(node) = self.nodes.get(i as usize) else {
                continue;
            };
            if let NodeKind::Resource(r) = node.kind {
                out.push(r);
            }
            todo.extend(node.children.iter().rev());
        }
        out.sort_unstable();
        out
    }
}

/// An image asset of a stack ([`Stack::add_docker_image_asset`]), kept
/// until synth stages it.
#[derive(Debug, Clone)]
pub(crate) struct ImageEntry {
    pub(crate) node: NodeId,
    pub(crate) source: crate::asset::DockerImageSource,
    /// The asset's fingerprint.
    pub(crate) hash: String,
}

/// Every node's path, by node index ([`Stack::node_paths`]), in one buffer.
#[derive(Debug, Clone, Default)]
pub(crate) struct NodePaths {
    text: String,
    /// Where each node's path starts and ends in `text`.
    spans: Vec<(u32, u32)>,
}

impl NodePaths {
    /// The path of node `index`; empty for a node the stack does not have.
    pub(crate) fn get(&self, index: u32) -> &str {
        self.spans
            .get(index as usize)
            .and_then(|&(from, to)| self.text.get(from as usize..to as usize))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::RawResource;

    #[test]
    fn partitions_follow_the_region() {
        let p = |region: &str| Env::new("123456789012", region).partition();
        assert_eq!(p("us-east-1"), Some("aws"));
        assert_eq!(p("cn-north-1"), Some("aws-cn"));
        assert_eq!(p("us-gov-west-1"), Some("aws-us-gov"));
        assert_eq!(p("us-isob-east-1"), Some("aws-iso-b"));
        assert_eq!(Env::agnostic().partition(), None);
    }

    #[test]
    fn paths_join_ids_from_the_stack_down() {
        let mut stack = Stack::new("Web");
        let vpc = stack.scope(stack.root(), "Vpc").unwrap();
        let subnet = stack
            .add(vpc, "Subnet", RawResource::new("AWS::EC2::Subnet"))
            .unwrap();
        assert_eq!(stack.path(subnet.node()).as_str(), "Web/Vpc/Subnet");
        assert_eq!(stack.path(stack.root()).as_str(), "Web");
        let accented = stack.scope(vpc, "Zoné").unwrap();
        assert_eq!(stack.path(accented).as_str(), "Web/Vpc/Zoné");
    }

    #[test]
    fn node_paths_agree_with_path() {
        let mut stack = Stack::new("Web");
        let vpc = stack.scope(stack.root(), "Vpc").unwrap();
        let subnet = stack.scope(vpc, "Subnet1").unwrap();
        stack
            .add(subnet, "Resource", RawResource::new("AWS::EC2::Subnet"))
            .unwrap();
        stack
            .add(stack.root(), "Topic", RawResource::new("AWS::SNS::Topic"))
            .unwrap();
        let paths = stack.node_paths();
        for index in 0..u32::try_from(stack.nodes.len()).unwrap() {
            let node = NodeId {
                stack: stack.id,
                index,
            };
            assert_eq!(paths.get(index), stack.path(node).as_str());
        }
        assert_eq!(paths.get(3), "Web/Vpc/Subnet1/Resource");
        assert_eq!(paths.get(99), "");
    }

    #[test]
    fn construct_data_is_kept_per_node_and_type() {
        let mut stack = Stack::new("Web");
        let a = stack.scope(stack.root(), "A").unwrap();
        stack.set_construct_data(a, vec![1u8]).unwrap();
        stack.construct_data_mut::<Vec<u8>>(a).unwrap().push(2);
        assert_eq!(stack.construct_data::<Vec<u8>>(a), Some(&vec![1, 2]));
        assert!(stack.construct_data::<String>(a).is_none());
        let other = Stack::new("Other");
        assert!(stack.set_construct_data(other.root(), 1u8).is_err());
    }

    #[test]
    fn children_are_found_by_id() {
        let mut stack = Stack::new("Web");
        let root = stack.root();
        let vpc = stack.scope(root, "Vpc").unwrap();
        assert_eq!(stack.child(root, "Vpc"), Some(vpc));
        assert_eq!(stack.child(root, "Other"), None);
        assert_eq!(stack.child(vpc, "Vpc"), None);
        let other = Stack::new("Other");
        assert_eq!(other.child(root, "Vpc"), None);
    }

    #[test]
    fn resources_under_a_scope_are_found() {
        let mut stack = Stack::new("Web");
        let a = stack.scope(stack.root(), "A").unwrap();
        stack
            .add(a, "X", RawResource::new("AWS::SNS::Topic"))
            .unwrap();
        let b = stack.scope(a, "B").unwrap();
        stack
            .add(b, "Y", RawResource::new("AWS::SNS::Topic"))
            .unwrap();
        stack
            .add(stack.root(), "Z", RawResource::new("AWS::SNS::Topic"))
            .unwrap();
        assert_eq!(stack.resources_under(a.index), vec![0, 1]);
    }
}
