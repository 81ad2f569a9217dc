//! Synthesis: from an app's stacks to one template per stack.
//!
//! 1. allocate logical IDs and check them (syntax, duplicates);
//! 2. validate every resource's properties;
//! 3. discover cross-stack references by a first serialization pass;
//! 4. create exports, order the stacks, reject cycles;
//! 5. write each template and check CloudFormation's limits.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::assembly::{Assembly, ReplacingProperties, StackArtifact};
use crate::error::{Error, Result};
use crate::expr::Operand;
use crate::fast_hash::FastMap;
use crate::logical_id::{logical_id, validate_logical_id};
use crate::resolve::{self, Context, CrossRef, Index, Mode, RefKey, StackIndex};
use crate::resource::{Report, ResourceEntry};
use crate::stack::Stack;
use crate::tree::{ConstructPath, NodeKind, StackId};

/// CloudFormation's limits on one template, as cfn-lint 1.58 records them
/// (`cfnlint/helpers.py`, `LIMITS`) and the CloudFormation quotas page lists.
pub mod limits {
    /// Resources per template.
    pub const RESOURCES: usize = 500;
    /// Outputs per template.
    pub const OUTPUTS: usize = 200;
    /// Parameters per template.
    pub const PARAMETERS: usize = 200;
    /// Mappings per template.
    pub const MAPPINGS: usize = 200;
    /// Top-level keys per mapping.
    pub const MAPPING_ATTRIBUTES: usize = 200;
    /// Bytes of a template's or an output's description.
    pub const DESCRIPTION_BYTES: usize = 1024;
    /// Bytes of a template body passed directly (`TemplateBody`).
    pub const DIRECT_TEMPLATE_BYTES: usize = 51_200;
    /// Bytes of a template uploaded to S3 (`TemplateURL`).
    pub const TEMPLATE_BYTES: usize = 1_000_000;
}

/// One export created for a cross-stack reference.
#[derive(Debug, Clone)]
struct Export {
    output_id: String,
    name: String,
    key: RefKey,
}

/// Logical IDs of one stack's elements, checked; `paths` are the nodes'
/// paths ([`Stack::node_paths`]).
fn allocate_ids(stack: &Stack, paths: &[String], errors: &mut Vec<Error>) -> Vec<String> {
    let mut ids = vec![String::new(); stack.nodes.len()];
    // Resources and parameters share the namespace of `Ref`; every other
    // section has its own.
    let mut seen: FastMap<(u8, String), usize> = FastMap::default();
    for (index, node) in stack.nodes.iter().enumerate() {
        let section = match node.kind {
            NodeKind::Stack | NodeKind::Scope => continue,
            NodeKind::Resource(_) | NodeKind::Parameter(_) => 0,
            NodeKind::Condition(_) => 1,
            NodeKind::Mapping(_) => 2,
            NodeKind::Rule(_) => 3,
            NodeKind::Output(_) => 4,
        };
        let index32 = u32::try_from(index).unwrap_or(u32::MAX);
        let components = stack.path_components(index32);
        let below_stack = components.get(1..).unwrap_or_default();
        let overridden = match node.kind {
            NodeKind::Resource(r) => stack
                .resources
                .get(r as usize)
                .and_then(|e| e.options.logical_id.clone()),
            _ => None,
        };
        let id = overridden.unwrap_or_else(|| logical_id(below_stack));
        let path_of = |i: usize| ConstructPath::new(paths.get(i).cloned().unwrap_or_default());
        if let Err(reason) = validate_logical_id(&id) {
            errors.push(Error::InvalidLogicalId {
                path: path_of(index),
                id: id.clone(),
                reason,
            });
        } else if let Some(first) = seen.insert((section, id.clone()), index) {
            errors.push(Error::DuplicateLogicalId {
                id: id.clone(),
                first: path_of(first),
                second: path_of(index),
            });
        }
        if let Some(slot) = ids.get_mut(index) {
            *slot = id;
        }
    }
    ids
}

fn path_of(stack: &Stack, index: u32) -> String {
    stack.path_components(index).join("/")
}

/// Serializes `value` to nowhere, so that resolution records what it finds.
fn discover<T: Serialize + ?Sized>(value: &T) {
    // Resolution problems are recorded in the context, not returned; the
    // walk writes nothing, so it has no error of its own.
    let _ = value.serialize(crate::walk::Walk);
}

/// The first pass over one stack: cross-stack references and resolution
/// errors, without writing anything.
fn discover_stack(
    stack: &Stack,
    paths: &[String],
    ctx: Context,
    errors: &mut Vec<Error>,
) -> Option<Context> {
    let path_of = |index: u32| paths.get(index as usize).map_or("", String::as_str);
    let (_, ctx) = resolve::with_context(ctx, || {
        for entry in &stack.resources {
            let path = path_of(entry.node.index);
            resolve::set_path(path);
            let view = ResourceView {
                stack,
                entry,
                path,
                ids: None,
            };
            discover(&view);
            if !entry.options.overrides.is_empty() {
                check_overrides(&view, errors);
            }
        }
        for out in &stack.outputs {
            resolve::set_path(path_of(out.node.index));
            discover(&OutputView {
                output: &out.value,
                export: None,
            });
        }
        for cond in &stack.conditions {
            resolve::set_path(path_of(cond.node.index));
            discover(&cond.value);
        }
        for rule in &stack.rules {
            resolve::set_path(path_of(rule.node.index));
            discover(&RuleView(&rule.value));
        }
    });
    ctx
}

/// Everything known about a stack once references are resolved.
struct Plan {
    /// Every node's path, by node index.
    paths: Vec<String>,
    ids: Vec<String>,
    exports: Vec<Export>,
    depends_on: BTreeMap<StackId, String>,
    needs_language_extensions: bool,
}

/// Synthesizes an app's stacks, given in the order they were added.
pub(crate) fn synthesize(stacks: &[Stack]) -> Result<Assembly> {
    let mut errors = Vec::new();
    let position: FastMap<StackId, usize> =
        stacks.iter().enumerate().map(|(i, s)| (s.id, i)).collect();

    // 1. Logical IDs.
    let mut index = Index::default();
    let mut plans = Vec::with_capacity(stacks.len());
    for stack in stacks {
        let paths = stack.node_paths();
        let ids = allocate_ids(stack, &paths, &mut errors);
        index.stacks.insert(
            stack.id,
            StackIndex {
                construct_id: stack.construct_id.clone(),
                logical_ids: ids.clone(),
            },
        );
        plans.push(Plan {
            paths,
            ids,
            exports: Vec::new(),
            depends_on: BTreeMap::new(),
            needs_language_extensions: false,
        });
        check_stack_settings(stack, &mut errors);
    }
    let index = Arc::new(index);

    // 2. Properties against the registry schemas' constraints.
    for stack in stacks {
        for entry in &stack.resources {
            let mut report = Report::default();
            entry.props.validate(&mut report);
            push_problems(stack, entry, report, &mut errors);
        }
    }

    // 3. Cross-stack references and resolution problems.
    let no_exports = Arc::new(HashMap::new());
    let mut cross_refs: Vec<CrossRef> = Vec::new();
    for (stack, plan) in stacks.iter().zip(plans.iter_mut()) {
        let ctx = Context::new(index.clone(), stack.id, Mode::Discover, no_exports.clone());
        let Some(ctx) = discover_stack(stack, &plan.paths, ctx, &mut errors) else {
            errors.push(lost_context(stack));
            continue;
        };
        for (path, reason) in ctx.errors {
            errors.push(Error::Unresolvable {
                path: ConstructPath::new(path),
                reason,
            });
        }
        plan.needs_language_extensions = ctx.needs_language_extensions;
        cross_refs.extend(ctx.cross_refs);
        explicit_dependencies(stack, &position, plan, &mut errors);
    }

    // 4. Exports, stack dependencies and order.
    let mut export_names: HashMap<RefKey, String> = HashMap::new();
    for cross in &cross_refs {
        let (Some(&consumer_pos), Some(&producer_pos)) = (
            position.get(&cross.consumer),
            position.get(&cross.key.producer),
        ) else {
            continue;
        };
        let (Some(consumer), Some(producer)) = (stacks.get(consumer_pos), stacks.get(producer_pos))
        else {
            continue;
        };
        if let (Some(a), Some(b)) = (consumer.env.account(), producer.env.account())
            && (a != b || consumer.env.region() != producer.env.region())
        {
            errors.push(Error::Unresolvable {
                path: ConstructPath::new(cross.path.clone()),
                reason: format!(
                    "references stack {} in another environment ({} vs {}); CloudFormation exports only reach stacks of the same account and region",
                    producer.construct_id,
                    producer.env.assembly_uri(),
                    consumer.env.assembly_uri()
                ),
            });
            continue;
        }
        if let Some(plan) = plans.get_mut(consumer_pos) {
            plan.depends_on.entry(producer.id).or_insert_with(|| {
                format!("{} uses {}", cross.path, path_of(producer, cross.key.node))
            });
        }
        if export_names.contains_key(&cross.key) {
            continue;
        }
        // Only the referenced element's id: copying all of the producer's
        // ids for every reference made this quadratic.
        let target = plans
            .get(producer_pos)
            .and_then(|p| p.ids.get(cross.key.node as usize))
            .cloned()
            .unwrap_or_default();
        let resolved = match &cross.key.attr {
            None => serde_json::json!({ "Ref": target }),
            Some(attr) => serde_json::json!({ "Fn::GetAtt": [target, attr] }),
        };
        let output_id = logical_id(&["Exports", &format!("Output{resolved}")]);
        let name = export_name(producer.name(), &output_id);
        export_names.insert(cross.key.clone(), name.clone());
        if let Some(plan) = plans.get_mut(producer_pos) {
            plan.exports.push(Export {
                output_id,
                name,
                key: cross.key.clone(),
            });
        }
    }
    for plan in &mut plans {
        plan.exports.sort_by(|a, b| a.output_id.cmp(&b.output_id));
    }
    let order = match deploy_order(stacks, &plans, &position) {
        Ok(order) => order,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    check_export_names(stacks, &plans, &mut errors);
    if let Some(e) = Error::from_list(errors) {
        return Err(e);
    }

    // 5. Templates.
    let export_names = Arc::new(export_names);
    let mut artifacts = Vec::with_capacity(stacks.len());
    let mut errors = Vec::new();
    for &i in &order {
        let (Some(stack), Some(plan)) = (stacks.get(i), plans.get(i)) else {
            continue;
        };
        match write_template(stack, plan, &index, &export_names) {
            Ok(template) => {
                check_size(stack, template.len(), &mut errors);
                let dependencies = plan
                    .depends_on
                    .keys()
                    .filter_map(|id| position.get(id).and_then(|&p| stacks.get(p)))
                    .map(|s| s.construct_id.clone())
                    .collect();
                let replacing_properties = stack
                    .resources
                    .iter()
                    .filter_map(|entry| {
                        let always = entry.props.create_only_properties();
                        let conditionally = entry.props.conditional_create_only_properties();
                        if always.is_empty() && conditionally.is_empty() {
                            return None;
                        }
                        let id = plan.ids.get(entry.node.index as usize)?;
                        Some((
                            id.clone(),
                            ReplacingProperties {
                                always,
                                conditionally,
                            },
                        ))
                    })
                    .collect();
                artifacts.push(StackArtifact {
                    id: stack.construct_id.clone(),
                    stack_name: stack.name().to_owned(),
                    env: stack.env.clone(),
                    tags: stack.tags.clone(),
                    termination_protection: stack.termination_protection,
                    needs_upload: template.len() > limits::DIRECT_TEMPLATE_BYTES,
                    template,
                    dependencies,
                    replacing_properties,
                    images: crate::image_asset::artifacts(stack),
                });
            }
            Err(e) => errors.push(e),
        }
    }
    if let Some(e) = Error::from_list(errors) {
        return Err(e);
    }
    let paths: Vec<&[String]> = plans.iter().map(|p| p.paths.as_slice()).collect();
    let tree = crate::assembly::tree_json(stacks, &index, &paths)?;
    Ok(Assembly::new(artifacts, tree))
}

fn lost_context(stack: &Stack) -> Error {
    Error::Serialize {
        path: ConstructPath::new(stack.construct_id.clone()),
        message: "the synth context was lost while writing".to_owned(),
    }
}

/// The CDK's export naming: the producer's stack name, a colon, and the
/// output's logical ID, keeping the last 255 characters in all.
fn export_name(stack_name: &str, output_id: &str) -> String {
    let prefix = format!("{stack_name}:");
    let keep = 255usize.saturating_sub(prefix.len());
    let start = output_id.len().saturating_sub(keep);
    format!("{prefix}{}", output_id.get(start..).unwrap_or(output_id))
}

/// Stack dependencies from `add_dependency`, `DependsOn` and node
/// dependencies that point into other stacks.
fn explicit_dependencies(
    stack: &Stack,
    position: &FastMap<StackId, usize>,
    plan: &mut Plan,
    errors: &mut Vec<Error>,
) {
    let stack_path = ConstructPath::new(stack.construct_id.clone());
    let mut add = |other: StackId, reason: String, errors: &mut Vec<Error>| {
        if other == stack.id {
            return;
        }
        if position.contains_key(&other) {
            plan.depends_on.entry(other).or_insert(reason);
        } else {
            errors.push(Error::Unresolvable {
                path: stack_path.clone(),
                reason: "depends on a stack that was not added to the app; add it with `App::add`"
                    .to_owned(),
            });
        }
    };
    for (other, reason) in &stack.stack_dependencies {
        let reason = if reason.is_empty() {
            format!("{} depends on it explicitly", stack.construct_id)
        } else {
            reason.clone()
        };
        add(*other, reason, errors);
    }
    for entry in &stack.resources {
        for dep in &entry.options.depends_on {
            add(
                dep.node.stack,
                format!(
                    "{} has DependsOn on a resource of it",
                    path_of(stack, entry.node.index)
                ),
                errors,
            );
        }
        if let Some(cond) = entry.options.condition
            && cond.node.stack != stack.id
        {
            errors.push(Error::Unresolvable {
                path: stack.path(entry.node),
                reason: "uses a condition of another stack; declare the condition in this stack"
                    .to_owned(),
            });
        }
    }
    for (from, to) in &stack.node_dependencies {
        add(
            to.stack,
            format!(
                "{} depends on a construct of it",
                path_of(stack, from.index)
            ),
            errors,
        );
    }
}

/// Stacks in deployment order: each after the stacks it depends on, ties
/// kept in the order they were added to the app.
fn deploy_order(
    stacks: &[Stack],
    plans: &[Plan],
    position: &FastMap<StackId, usize>,
) -> Result<Vec<usize>> {
    let deps: Vec<Vec<usize>> = plans
        .iter()
        .map(|p| {
            p.depends_on
                .keys()
                .filter_map(|id| position.get(id).copied())
                .collect()
        })
        .collect();
    let mut placed = vec![false; stacks.len()];
    let mut order = Vec::with_capacity(stacks.len());
    while order.len() < stacks.len() {
        let next = (0..stacks.len()).find(|&i| {
            !placed.get(i).copied().unwrap_or(true)
                && deps
                    .get(i)
                    .is_some_and(|d| d.iter().all(|&j| placed.get(j).copied().unwrap_or(false)))
        });
        match next {
            Some(i) => {
                if let Some(p) = placed.get_mut(i) {
                    *p = true;
                }
                order.push(i);
            }
            None => return Err(cycle_error(stacks, plans, &deps, &placed)),
        }
    }
    Ok(order)
}

/// Describes one cycle among the stacks not yet placed.
fn cycle_error(stacks: &[Stack], plans: &[Plan], deps: &[Vec<usize>], placed: &[bool]) -> Error {
    let start = (0..stacks.len())
        .find(|&i| !placed.get(i).copied().unwrap_or(true))
        .unwrap_or(0);
    // Walk unplaced dependencies until a stack repeats.
    let mut walk = vec![start];
    let mut at = start;
    loop {
        let next = deps.get(at).and_then(|d| {
            d.iter()
                .copied()
                .find(|&j| !placed.get(j).copied().unwrap_or(true))
        });
        let Some(next) = next else { break };
        if let Some(pos) = walk.iter().position(|&w| w == next) {
            walk.drain(..pos);
            walk.push(next);
            break;
        }
        walk.push(next);
        at = next;
    }
    let name = |i: usize| stacks.get(i).map_or("?", |s| s.construct_id.as_str());
    let cycle = walk
        .iter()
        .map(|&i| name(i))
        .collect::<Vec<_>>()
        .join(" -> ");
    let reason = match walk.as_slice() {
        [.., a, b] => stacks
            .get(*b)
            .and_then(|producer| plans.get(*a).and_then(|p| p.depends_on.get(&producer.id)))
            .cloned()
            .unwrap_or_default(),
        _ => String::new(),
    };
    Error::DependencyCycle { cycle, reason }
}

fn check_stack_settings(stack: &Stack, errors: &mut Vec<Error>) {
    let path = ConstructPath::new(stack.construct_id.clone());
    let name = stack.name();
    let name_ok = name.len() <= 128
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !name_ok {
        errors.push(Error::InvalidStackName {
            path: path.clone(),
            name: name.to_owned(),
        });
    }
    if let Some(account) = stack.env.account()
        && (account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()))
    {
        errors.push(Error::InvalidEnvironment {
            path: path.clone(),
            reason: format!("account {account:?} is not 12 digits"),
        });
    }
    if let Some(region) = stack.env.region()
        && (region.is_empty()
            || !region
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    {
        errors.push(Error::InvalidEnvironment {
            path: path.clone(),
            reason: format!("region {region:?} is not a region name such as us-east-1"),
        });
    }
    let counts = [
        (
            "resources",
            stack.resources.len(),
            limits::RESOURCES,
            "split the stack into several stacks",
        ),
        (
            "parameters",
            stack.parameters.len(),
            limits::PARAMETERS,
            "pass values through fewer parameters or mappings",
        ),
        (
            "mappings",
            stack.mappings.len(),
            limits::MAPPINGS,
            "merge mappings",
        ),
    ];
    for (what, actual, limit, fix) in counts {
        if actual > limit {
            errors.push(Error::LimitExceeded {
                path: path.clone(),
                what,
                limit,
                actual,
                fix,
            });
        }
    }
    if let Some(d) = &stack.description
        && d.len() > limits::DESCRIPTION_BYTES
    {
        errors.push(Error::LimitExceeded {
            path: path.clone(),
            what: "bytes of template description",
            limit: limits::DESCRIPTION_BYTES,
            actual: d.len(),
            fix: "shorten the description",
        });
    }
    for mapping in &stack.mappings {
        let mpath = stack.path(mapping.node);
        if mapping.value.entries.len() > limits::MAPPING_ATTRIBUTES {
            errors.push(Error::LimitExceeded {
                path: mpath.clone(),
                what: "top-level keys in a mapping",
                limit: limits::MAPPING_ATTRIBUTES,
                actual: mapping.value.entries.len(),
                fix: "split the mapping",
            });
        }
        let has_expr = mapping
            .value
            .entries
            .values()
            .flat_map(|inner| inner.values())
            .any(resolve::has_expr);
        if has_expr {
            errors.push(Error::InvalidProperty {
                path: mpath,
                property: "Mappings".to_owned(),
                reason: "mapping values must be literal strings or lists; CloudFormation does not evaluate intrinsics in mappings".to_owned(),
            });
        }
    }
    for out in &stack.outputs {
        if let Some(d) = &out.value.description
            && d.len() > limits::DESCRIPTION_BYTES
        {
            errors.push(Error::LimitExceeded {
                path: stack.path(out.node),
                what: "bytes of output description",
                limit: limits::DESCRIPTION_BYTES,
                actual: d.len(),
                fix: "shorten the description",
            });
        }
    }
}

fn check_export_names(stacks: &[Stack], plans: &[Plan], errors: &mut Vec<Error>) {
    let mut seen: HashMap<String, ConstructPath> = HashMap::new();
    for (stack, plan) in stacks.iter().zip(plans) {
        let outputs = stack.outputs.len() + plan.exports.len();
        if outputs > limits::OUTPUTS {
            errors.push(Error::LimitExceeded {
                path: ConstructPath::new(stack.construct_id.clone()),
                what: "outputs (cross-stack exports included)",
                limit: limits::OUTPUTS,
                actual: outputs,
                fix: "remove outputs or split the stack",
            });
        }
        let user = stack.outputs.iter().filter_map(|o| {
            o.value
                .export_name
                .as_ref()
                .and_then(|n| n.literal())
                .map(|n| (n.clone(), stack.path(o.node)))
        });
        let generated = plan.exports.iter().map(|e| {
            (
                e.name.clone(),
                ConstructPath::new(format!("{}/Exports/{}", stack.construct_id, e.output_id)),
            )
        });
        for (name, path) in user.chain(generated) {
            if let Some(first) = seen.get(&name) {
                errors.push(Error::DuplicateExportName {
                    name,
                    first: first.clone(),
                    second: path,
                });
            } else {
                seen.insert(name, path);
            }
        }
    }
}

fn check_size(stack: &Stack, bytes: usize, errors: &mut Vec<Error>) {
    if bytes > limits::TEMPLATE_BYTES {
        errors.push(Error::LimitExceeded {
            path: ConstructPath::new(stack.construct_id.clone()),
            what: "bytes of template",
            limit: limits::TEMPLATE_BYTES,
            actual: bytes,
            fix: "split the stack into several stacks",
        });
    }
}

/// Writes one stack's template as CDK-style JSON (one-space indent).
fn write_template(
    stack: &Stack,
    plan: &Plan,
    index: &Arc<Index>,
    export_names: &Arc<HashMap<RefKey, String>>,
) -> Result<String> {
    let ctx = Context::new(index.clone(), stack.id, Mode::Emit, export_names.clone());
    let resource_deps = resource_dependencies(stack, &plan.ids);
    let view = TemplateView {
        stack,
        plan,
        resource_deps: &resource_deps,
    };
    let (written, ctx) = resolve::with_context(ctx, || {
        // Templates take about 700 bytes a resource: one allocation, no
        // copies while growing; the spare capacity is given back below.
        let mut out = Vec::with_capacity(4096 + 1024 * stack.resources.len());
        let mut ser =
            serde_json::Serializer::with_formatter(&mut out, crate::json::TemplateFormatter::new());
        view.serialize(&mut ser).map(|()| out)
    });
    if ctx.is_none() {
        return Err(lost_context(stack));
    }
    let mut bytes = written.map_err(|e| Error::Serialize {
        path: ConstructPath::new(stack.construct_id.clone()),
        message: e.to_string(),
    })?;
    bytes.shrink_to_fit();
    String::from_utf8(bytes).map_err(|e| Error::Serialize {
        path: ConstructPath::new(stack.construct_id.clone()),
        message: e.to_string(),
    })
}

/// `DependsOn` of every resource (by resource index): explicit ones and
/// those from node dependencies, same-stack only, sorted and unique.
fn resource_dependencies(stack: &Stack, ids: &[String]) -> Vec<Vec<String>> {
    let mut deps: Vec<BTreeSet<String>> = vec![BTreeSet::new(); stack.resources.len()];
    let id_of = |node: u32| ids.get(node as usize).cloned().unwrap_or_default();
    for (i, entry) in stack.resources.iter().enumerate() {
        for dep in &entry.options.depends_on {
            if dep.node.stack == stack.id
                && let Some(set) = deps.get_mut(i)
            {
                set.insert(id_of(dep.node.index));
            }
        }
    }
    for (from, to) in &stack.node_dependencies {
        if to.stack != stack.id {
            continue;
        }
        let targets: Vec<String> = stack
            .resources_under(to.index)
            .into_iter()
            .filter_map(|r| stack.resources.get(r as usize))
            .map(|e| id_of(e.node.index))
            .collect();
        for r in stack.resources_under(from.index) {
            if let Some(set) = deps.get_mut(r as usize) {
                set.extend(targets.iter().cloned());
            }
        }
    }
    for (i, entry) in stack.resources.iter().enumerate() {
        if let Some(set) = deps.get_mut(i) {
            set.remove(&id_of(entry.node.index));
        }
    }
    deps.into_iter().map(|s| s.into_iter().collect()).collect()
}

struct TemplateView<'a> {
    stack: &'a Stack,
    plan: &'a Plan,
    resource_deps: &'a [Vec<String>],
}

impl Serialize for TemplateView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let stack = self.stack;
        let ids = &self.plan.ids;
        let id_of = |node: u32| ids.get(node as usize).map_or("", String::as_str);
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("AWSTemplateFormatVersion", "2010-09-09")?;
        if let Some(d) = &stack.description {
            map.serialize_entry("Description", d)?;
        }
        let mut transforms = stack.transforms.clone();
        if self.plan.needs_language_extensions
            && !transforms.iter().any(|t| t == "AWS::LanguageExtensions")
        {
            transforms.insert(0, "AWS::LanguageExtensions".to_owned());
        }
        match transforms.as_slice() {
            [] => {}
            [one] => map.serialize_entry("Transform", one)?,
            many => map.serialize_entry("Transform", many)?,
        }
        if !stack.parameters.is_empty() {
            let params: Vec<(&str, ParameterView<'_>)> = stack
                .parameters
                .iter()
                .map(|p| (id_of(p.node.index), ParameterView(&p.decl)))
                .collect();
            map.serialize_entry("Parameters", &Pairs(&params))?;
        }
        if !stack.rules.is_empty() {
            let rules: Vec<(&str, RuleView<'_>)> = stack
                .rules
                .iter()
                .map(|r| (id_of(r.node.index), RuleView(&r.value)))
                .collect();
            map.serialize_entry("Rules", &Pairs(&rules))?;
        }
        if !stack.mappings.is_empty() {
            let mappings: Vec<(&str, _)> = stack
                .mappings
                .iter()
                .map(|m| (id_of(m.node.index), &m.value.entries))
                .collect();
            map.serialize_entry("Mappings", &Pairs(&mappings))?;
        }
        if !stack.conditions.is_empty() {
            let conditions: Vec<(&str, _)> = stack
                .conditions
                .iter()
                .map(|c| (id_of(c.node.index), &c.value))
                .collect();
            map.serialize_entry("Conditions", &Pairs(&conditions))?;
        }
        let resources: Vec<(&str, ResourceView<'_>)> = stack
            .resources
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                (
                    id_of(entry.node.index),
                    ResourceView {
                        stack,
                        entry,
                        path: self
                            .plan
                            .paths
                            .get(entry.node.index as usize)
                            .map_or("", String::as_str),
                        ids: Some((
                            ids,
                            self.resource_deps.get(i).map_or(&[][..], Vec::as_slice),
                        )),
                    },
                )
            })
            .collect();
        map.serialize_entry("Resources", &Pairs(&resources))?;
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
                    },
                ));
            }
            map.serialize_entry("Outputs", &Pairs(&outputs))?;
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

struct RuleView<'a>(&'a crate::template::Rule);

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

struct OutputView<'a> {
    output: &'a crate::template::Output,
    export: Option<&'a Export>,
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
            map.serialize_entry("Export", &Named(&export.name))?;
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
struct ResourceView<'a> {
    stack: &'a Stack,
    entry: &'a ResourceEntry,
    /// The resource's construct path.
    path: &'a str,
    ids: Option<(&'a [String], &'a [String])>,
}

impl ResourceView<'_> {
    fn write_plain<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let entry = self.entry;
        let o = &entry.options;
        map.serialize_entry("Type", entry.props.type_name())?;
        map.serialize_entry("Properties", &*entry.props)?;
        if let Some((_, deps)) = self.ids
            && !deps.is_empty()
        {
            map.serialize_entry("DependsOn", deps)?;
        }
        if let Some(c) = o.condition {
            map.serialize_entry("Condition", &ConditionName(c))?;
        }
        if let Some(p) = &o.creation_policy {
            map.serialize_entry("CreationPolicy", p)?;
        }
        if let Some(p) = &o.update_policy {
            map.serialize_entry("UpdatePolicy", p)?;
        }
        if let Some(p) = o.update_replace_policy {
            map.serialize_entry("UpdateReplacePolicy", &p)?;
        }
        if let Some(p) = o.deletion_policy {
            map.serialize_entry("DeletionPolicy", &p)?;
        }
        map.serialize_entry(
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

impl Serialize for ResourceView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        if self.entry.options.overrides.is_empty() || self.ids.is_none() {
            let mut map = s.serialize_map(None)?;
            self.write_plain(&mut map)?;
            return map.end();
        }
        // With overrides: render to a JSON value, apply them, write it.
        let plain = PlainView(self);
        let mut value = serde_json::to_value(&plain).map_err(S::Error::custom)?;
        for (path, replacement) in &self.entry.options.overrides {
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
        self.0.write_plain(&mut map)?;
        map.end()
    }
}

/// Turns a resource's report into [`Error::InvalidProperty`] errors.
fn push_problems(stack: &Stack, entry: &ResourceEntry, report: Report, errors: &mut Vec<Error>) {
    for problem in report.into_problems() {
        errors.push(Error::InvalidProperty {
            path: stack.path(entry.node),
            property: format!("/Properties{}", problem.pointer),
            reason: format!("{} (schema rule `{}`)", problem.message, problem.rule),
        });
    }
}

/// Applies a resource's overrides to its rendering, reporting the ones that
/// cannot be applied, then validates the rendered `Properties`
/// ([`Resource::validate_rendered`](crate::Resource::validate_rendered)).
fn check_overrides(view: &ResourceView<'_>, errors: &mut Vec<Error>) {
    let Ok(mut value) = serde_json::to_value(PlainView(view)) else {
        return;
    };
    for (path, replacement) in &view.entry.options.overrides {
        let replacement = replacement
            .as_ref()
            .map(|op| serde_json::to_value(op).unwrap_or_default());
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

/// Splits a dotted override path; `\.` is a literal dot.
fn split_override_path(path: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                chars.next();
                if let Some(last) = parts.last_mut() {
                    last.push('.');
                }
            }
            '.' => parts.push(String::new()),
            c => {
                if let Some(last) = parts.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    parts
}

/// Sets (or with `None` removes) the value at a dotted path.
pub(crate) fn apply_override(
    root: &mut serde_json::Value,
    path: &str,
    value: Option<serde_json::Value>,
) -> Result<(), &'static str> {
    let parts = split_override_path(path);
    if parts.iter().any(String::is_empty) {
        return Err("a path component is empty");
    }
    let Some((last, parents)) = parts.split_last() else {
        return Err("the path is empty");
    };
    let mut at = root;
    for part in parents {
        let Some(obj) = at.as_object_mut() else {
            return Err("a component on the way is not an object");
        };
        if !obj.contains_key(part) {
            if value.is_none() {
                return Ok(());
            }
            obj.insert(
                part.clone(),
                serde_json::Value::Object(serde_json::Map::new()),
            );
        }
        let Some(next) = obj.get_mut(part) else {
            return Err("a component on the way is missing");
        };
        at = next;
    }
    let Some(obj) = at.as_object_mut() else {
        return Err("the parent of the last component is not an object");
    };
    match value {
        Some(v) => {
            obj.insert(last.clone(), v);
        }
        None => {
            obj.shift_remove(last);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn overrides_create_objects_and_delete_keys() {
        let mut v = json!({"Properties": {"A": 1}});
        apply_override(&mut v, "Properties.B.C", Some(json!(2))).unwrap();
        apply_override(&mut v, "Properties.A", None).unwrap();
        apply_override(&mut v, "Properties.X\\.Y", Some(json!(3))).unwrap();
        assert_eq!(v, json!({"Properties": {"B": {"C": 2}, "X.Y": 3}}));
        assert!(apply_override(&mut v, "Properties.B.C.D", Some(json!(1))).is_err());
    }

    #[test]
    fn export_names_keep_the_tail_within_255() {
        assert_eq!(
            export_name("Net", "ExportsOutputRefVpc"),
            "Net:ExportsOutputRefVpc"
        );
        let long = "X".repeat(300);
        assert_eq!(export_name("Net", &long).len(), 255);
    }
}
