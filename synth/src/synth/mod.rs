//! Synthesis: from an app's stacks to one template per stack.
//!
//! 1. allocate logical IDs and check them (syntax, duplicates);
//! 2. validate every resource's properties, overrides included
//!    ([`render::check_overrides`]), and each stack's settings ([`checks`]);
//! 3. discover cross-stack references while writing a draft of each
//!    template ([`render::TemplateView::draft`]);
//! 4. create exports, order the stacks, reject cycles ([`order`]);
//! 5. keep each draft that is final, write the others again ([`render`]),
//!    and check CloudFormation's limits.
//!
//! Steps 1 to 3 need nothing from other stacks and step 5 nothing from
//! other templates: each runs one job per stack on every core. A draft is
//! final when nothing in it read another stack's values and the stack
//! exports nothing, which is every stack of an app without cross-stack
//! references: their templates are written once.

mod checks;
mod order;
mod overrides;
mod render;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::assembly::{Assembly, ReplacingProperties, StackArtifact};
use crate::context::{ContextValues, MissingContext};
use crate::error::{Error, Result};
use crate::fast_hash::FastMap;
use crate::logical_id::{logical_id, validate_logical_id};
use crate::reference::ReferenceStrength;
use crate::resolve::{self, Context, CrossRef, Index, Mode, Published, RefKey, Shared};
use crate::resource::Report;
use crate::stack::{NodePaths, Stack};
use crate::tree::{ConstructPath, NodeKind, StackId};
use checks::{check_export_names, check_size, check_stack_settings, push_problems};
use order::{deploy_order, explicit_dependencies};
use render::{OutputView, ResourceView, RuleView, TemplateView, check_overrides};

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

/// One output created for a cross-stack reference: exported (strong) or
/// published (weak).
#[derive(Debug, Clone)]
struct Export {
    /// The construct under the stack that holds it, as in the CDK.
    scope: &'static str,
    output_id: String,
    /// The export's name; `None` for a published output.
    name: Option<String>,
    key: RefKey,
}

/// The CDK's scope of the outputs that strong references export.
const EXPORTS_SCOPE: &str = "Exports";
/// The CDK's scope of the outputs that weak references read.
const PUBLISH_SCOPE: &str = "Publish";

/// Why `consumer` cannot read a value of `producer` with `strength`, if it
/// cannot.
fn environment_problem(
    consumer: &Stack,
    producer: &Stack,
    strength: ReferenceStrength,
) -> Option<String> {
    let (consumer_env, producer_env) = (&consumer.env, &producer.env);
    let accounts = (consumer_env.account(), producer_env.account());
    let regions = (consumer_env.region(), producer_env.region());
    if accounts.0 == accounts.1 && regions.0 == regions.1 {
        return None;
    }
    let what = format!(
        "references stack {} ({} vs {})",
        producer.construct_id,
        producer_env.assembly_uri(),
        consumer_env.assembly_uri()
    );
    // A stack without an account or region deploys wherever its
    // credentials point: synth cannot tell, and lets CloudFormation judge.
    let fixed = |pair: (Option<&str>, Option<&str>)| pair.0.is_some() && pair.1.is_some();
    if fixed(accounts) && accounts.0 != accounts.1 {
        return Some(format!(
            "{what} in another account; reading another account's stack needs a role for CloudFormation to assume, which ecscdk does not create: pass the value in as a parameter or a literal"
        ));
    }
    if fixed(regions) && regions.0 != regions.1 && strength != ReferenceStrength::Weak {
        return Some(format!(
            "{what} in another region; CloudFormation exports only reach stacks of the same region: use a weak reference (`ReferenceStrength::Weak`, for the app, this stack or this value)"
        ));
    }
    None
}

/// Logical IDs of one stack's elements, checked; `paths` are the nodes'
/// paths ([`Stack::node_paths`]).
fn allocate_ids(stack: &Stack, paths: &NodePaths, errors: &mut Vec<Error>) -> Vec<String> {
    let mut ids = vec![String::new(); stack.nodes.len()];
    // Resources and parameters share the namespace of `Ref`; every other
    // section has its own.
    let mut sections: Vec<(usize, u8)> = Vec::new();
    let mut found: Vec<(usize, Error)> = Vec::new();
    let path_of = |i: usize| ConstructPath::new(paths.get(u32::try_from(i).unwrap_or(u32::MAX)));
    let mut components = Vec::new();
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
        stack.path_components_into(index32, &mut components);
        let below_stack = components.get(1..).unwrap_or_default();
        let overridden = match node.kind {
            NodeKind::Resource(r) => stack
                .resources
                .get(r as usize)
                .and_then(|e| e.options().logical_id.clone()),
            _ => None,
        };
        // A generated ID holds only ASCII letters and digits and is short
        // enough by construction; only an empty one can be wrong.
        let check = overridden.is_some();
        let id = overridden.unwrap_or_else(|| logical_id(below_stack));
        let verdict = if check || id.is_empty() {
            validate_logical_id(&id)
        } else {
            Ok(())
        };
        match verdict {
            Err(reason) => found.push((
                index,
                Error::InvalidLogicalId {
                    path: path_of(index),
                    id: id.clone(),
                    reason,
                },
            )),
            Ok(()) => sections.push((index, section)),
        }
        if let Some(slot) = ids.get_mut(index) {
            *slot = id;
        }
    }
    // Duplicates among the valid IDs, keyed by the IDs themselves (no copy).
    let mut seen: FastMap<(u8, &str), usize> = FastMap::default();
    for &(index, section) in &sections {
        let id = ids.get(index).map_or("", String::as_str);
        if let Some(first) = seen.insert((section, id), index) {
            found.push((
                index,
                Error::DuplicateLogicalId {
                    id: id.to_owned(),
                    first: path_of(first),
                    second: path_of(index),
                },
            ));
        }
    }
    // In node order, as one pass would report them.
    found.sort_by_key(|(index, _)| *index);
    errors.extend(found.into_iter().map(|(_, e)| e));
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
    paths: &NodePaths,
    ctx: Context,
    errors: &mut Vec<Error>,
) -> Option<Context> {
    let path_of = |index: u32| paths.get(index);
    let (_, ctx) = resolve::with_context(ctx, || {
        for entry in &stack.resources {
            let path = path_of(entry.node.index);
            resolve::set_path(path);
            let view = ResourceView {
                stack,
                entry,
                path,
                ids: None,
                draft: None,
            };
            discover(&view);
            if !entry.options().overrides.is_empty() {
                check_overrides(&view, errors);
            }
        }
        for out in &stack.outputs {
            resolve::set_path(path_of(out.node.index));
            discover(&OutputView {
                output: &out.value,
                export: None,
                path: None,
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
    paths: NodePaths,
    /// Every node's logical ID, by node index.
    ids: Arc<[String]>,
    exports: Vec<Export>,
    depends_on: BTreeMap<StackId, String>,
    needs_language_extensions: bool,
}

/// What the app gives synth besides its stacks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Settings {
    pub(crate) strength: ReferenceStrength,
    pub(crate) context: Arc<ContextValues>,
    pub(crate) context_file: PathBuf,
}

/// One stack after the first pass, which needs no other stack's results.
pub(crate) struct FirstPass {
    plan: Plan,
    /// Problems of logical IDs and of the stack's settings.
    id_errors: Vec<Error>,
    property_errors: Vec<Error>,
    /// Problems of resources' overrides.
    override_errors: Vec<Error>,
    /// What the draft recorded, as a discovery pass would.
    ctx: Option<Context>,
    /// The template as written before the app's exports were decided, when
    /// it is already final: nothing in it read another stack's values and
    /// it needs no transform it lacks. (A producer's exports are added
    /// later; such a stack is written again then.)
    draft: Option<String>,
}

/// The first pass over one stack: logical IDs, property checks, and the
/// template written once with the context recording cross-stack
/// references and resolution problems (the discovery of earlier versions,
/// which walked every value once more before writing anything).
pub(crate) fn first_pass(stack: &Stack, index: &Arc<Index>, settings: &Settings) -> FirstPass {
    let mut id_errors = Vec::new();
    let paths = stack.node_paths();
    let ids: Arc<[String]> = allocate_ids(stack, &paths, &mut id_errors).into();
    check_stack_settings(stack, &mut id_errors);
    let mut property_errors = Vec::new();
    for entry in &stack.resources {
        let mut report = Report::default();
        entry.props.validate(&mut report);
        push_problems(stack, entry, report, &mut property_errors);
    }
    let plan = Plan {
        paths,
        ids,
        exports: Vec::new(),
        depends_on: BTreeMap::new(),
        needs_language_extensions: false,
    };
    let context = || {
        Context::new(
            index.clone(),
            stack.id,
            plan.ids.clone(),
            Mode::Discover,
            Arc::new(HashMap::new()),
            stack.reference_strength.unwrap_or(settings.strength),
            settings.context.clone(),
        )
    };
    let problems = RefCell::new(Vec::new());
    let (written, ctx) = write_template(stack, &plan, context(), Some(&problems));
    let (draft, ctx, override_errors) = match written {
        Ok(template) => (Some(template), ctx, problems.into_inner()),
        // Writing stopped at the problem, so what follows it was not
        // visited: discover the stack element by element instead.
        Err(_) => {
            let mut override_errors = Vec::new();
            let ctx = discover_stack(stack, &plan.paths, context(), &mut override_errors);
            (None, ctx, override_errors)
        }
    };
    let draft = draft.filter(|_| {
        ctx.as_ref()
            .is_some_and(|c| !c.read_other_stack && !c.needs_language_extensions)
    });
    FirstPass {
        plan,
        id_errors,
        property_errors,
        override_errors,
        ctx,
        draft,
    }
}

impl FirstPass {
    /// Whether this pass, made while the app was still being built
    /// ([`App::add`](crate::App::add)), is what synth would make now: it
    /// read nothing of another stack, found no problem whose message names
    /// one, and was made with the same settings.
    fn still_holds(&self, made_with: &Settings, settings: &Settings) -> bool {
        made_with == settings
            && self
                .ctx
                .as_ref()
                .is_some_and(|c| !c.read_other_stack && c.errors.is_empty())
    }
}

/// Synthesizes an app's stacks, given in the order they were added.
/// `ahead`: first passes made while the app was built, by stack position,
/// with the settings they were made with; each is used when it
/// [still holds](FirstPass::still_holds), else made again.
pub(crate) fn synthesize(
    stacks: &[Arc<Stack>],
    settings: &Settings,
    ahead: Vec<(usize, FirstPass, Settings)>,
) -> Result<Assembly> {
    let mut errors = Vec::new();
    let position: FastMap<StackId, usize> =
        stacks.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let index = Arc::new(Index {
        stacks: stacks
            .iter()
            .map(|s| (s.id, s.construct_id.clone()))
            .collect(),
    });
    let mut made: Vec<Mutex<Option<FirstPass>>> = std::iter::repeat_with(|| Mutex::new(None))
        .take(stacks.len())
        .collect();
    for (i, pass, made_with) in ahead {
        if pass.still_holds(&made_with, settings)
            && let Some(slot) = made.get_mut(i)
            && let Ok(slot) = slot.get_mut()
        {
            *slot = Some(pass);
        }
    }

    // 1. Logical IDs, 2. properties against the registry schemas'
    // constraints, and 3. cross-stack references and resolution problems,
    // found while writing a draft of each template: each stack on its own,
    // on every core. Problems are reported in the stacks' order: logical
    // IDs first, then properties, then references.
    let jobs: Vec<(&Arc<Stack>, Mutex<Option<FirstPass>>)> = stacks.iter().zip(made).collect();
    let first = crate::parallel::map(&jobs, |(stack, made)| {
        let made = made.lock().ok().and_then(|mut m| m.take());
        made.unwrap_or_else(|| first_pass(stack, &index, settings))
    });
    drop(jobs);
    let mut plans = Vec::with_capacity(stacks.len());
    let mut drafts = Vec::with_capacity(stacks.len());
    let mut later = Vec::with_capacity(stacks.len());
    let mut property_errors = Vec::new();
    for pass in first {
        errors.extend(pass.id_errors);
        property_errors.extend(pass.property_errors);
        plans.push(pass.plan);
        drafts.push(pass.draft);
        later.push((pass.override_errors, pass.ctx));
    }
    errors.extend(property_errors);

    let mut cross_refs: Vec<CrossRef> = Vec::new();
    let mut missing: Vec<MissingContext> = Vec::new();
    for ((stack, plan), (override_errors, ctx)) in stacks.iter().zip(plans.iter_mut()).zip(later) {
        errors.extend(override_errors);
        let Some(ctx) = ctx else {
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
        for (query, path) in ctx.missing {
            let path = ConstructPath::new(path);
            match missing
                .iter_mut()
                .find(|m: &&mut MissingContext| m.query.key() == query.key())
            {
                Some(entry) if !entry.paths.contains(&path) => entry.paths.push(path),
                Some(_) => {}
                None => missing.push(MissingContext {
                    query,
                    paths: vec![path],
                }),
            }
        }
        cross_refs.extend(ctx.cross_refs);
        explicit_dependencies(stack, &position, plan, &mut errors);
    }

    if !missing.is_empty() {
        errors.push(Error::MissingContext {
            missing,
            file: settings.context_file.clone(),
        });
    }

    // 4. Exports and published outputs, stack dependencies and order.
    let mut shared: HashMap<RefKey, Shared> = HashMap::new();
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
        if let Some(reason) = environment_problem(consumer, producer, cross.strength) {
            errors.push(Error::Unresolvable {
                path: ConstructPath::new(cross.path.clone()),
                reason,
            });
            continue;
        }
        if let Some(plan) = plans.get_mut(consumer_pos) {
            plan.depends_on.entry(producer.id).or_insert_with(|| {
                format!("{} uses {}", cross.path, path_of(producer, cross.key.node))
            });
        }
        let entry = shared.entry(cross.key.clone()).or_default();
        let needs_export = cross.strength.exports() && entry.export_name.is_none();
        let needs_output = cross.strength.publishes() && entry.published.is_none();
        if !needs_export && !needs_output {
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
        let mut created = Vec::new();
        if needs_export {
            let output_id = logical_id(&[EXPORTS_SCOPE, &format!("Output{resolved}")]);
            let name = export_name(producer.name(), &output_id);
            entry.export_name = Some(name.clone());
            created.push(Export {
                scope: EXPORTS_SCOPE,
                output_id,
                name: Some(name),
                key: cross.key.clone(),
            });
        }
        if needs_output {
            // aws-cdk-lib's `createGetStackOutput`: a plain output under the
            // producer's `Publish` scope, read by stack name and region.
            let output_id = logical_id(&[PUBLISH_SCOPE, &format!("Output{resolved}")]);
            entry.published = Some(Published {
                stack_name: producer.name().to_owned(),
                region: producer.env.region().map(str::to_owned),
                output_id: output_id.clone(),
            });
            created.push(Export {
                scope: PUBLISH_SCOPE,
                output_id,
                name: None,
                key: cross.key.clone(),
            });
        }
        if let Some(plan) = plans.get_mut(producer_pos) {
            plan.exports.extend(created);
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

    // 5. Templates: the drafts that are final as they are, the others
    // written again now that exports are known; each stack on its own, in
    // deployment order. tree.json is made when it is written.
    let shared = Arc::new(shared);
    let jobs: Vec<(usize, Mutex<Option<String>>)> = order
        .iter()
        .map(|&i| {
            let producer = plans.get(i).is_some_and(|p| !p.exports.is_empty());
            let draft = drafts.get_mut(i).and_then(Option::take);
            (i, Mutex::new(draft.filter(|_| !producer)))
        })
        .collect();
    let write = || {
        crate::parallel::map(&jobs, |(i, draft)| {
            let (stack, plan) = (stacks.get(*i)?, plans.get(*i)?);
            let draft = draft.lock().ok().and_then(|mut d| d.take());
            let template = match draft {
                Some(template) => Ok(template),
                None => {
                    let ctx = Context::new(
                        index.clone(),
                        stack.id,
                        plan.ids.clone(),
                        Mode::Emit,
                        shared.clone(),
                        stack.reference_strength.unwrap_or(settings.strength),
                        settings.context.clone(),
                    );
                    write_template(stack, plan, ctx, None).0
                }
            };
            Some(stack_artifact(stack, plan, template, stacks, &position))
        })
    };
    let written = write();
    let mut artifacts = Vec::with_capacity(stacks.len());
    let mut errors = Vec::new();
    for (artifact, size_errors) in written.into_iter().flatten() {
        errors.extend(size_errors);
        match artifact {
            Ok(artifact) => artifacts.push(artifact),
            Err(e) => errors.push(e),
        }
    }
    if let Some(e) = Error::from_list(errors) {
        return Err(e);
    }
    let tree = stacks
        .iter()
        .zip(plans)
        .map(|(stack, plan)| crate::assembly::TreeStack::new(stack.clone(), plan.ids, plan.paths))
        .collect();
    Ok(Assembly::new(artifacts, tree))
}

/// One stack's template and what the cloud assembly says of it, with the
/// problems of the template's size.
fn stack_artifact(
    stack: &Stack,
    plan: &Plan,
    template: Result<String>,
    stacks: &[Arc<Stack>],
    position: &FastMap<StackId, usize>,
) -> (Result<StackArtifact>, Vec<Error>) {
    let mut errors = Vec::new();
    let template = match template {
        Ok(template) => template,
        Err(e) => return (Err(e), errors),
    };
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
    let artifact = StackArtifact {
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
        warnings: stack
            .open_warnings()
            .map(|(node, id, message)| crate::assembly::Warning {
                path: stack.path(*node),
                id: id.clone(),
                message: message.clone(),
            })
            .collect(),
    };
    (Ok(artifact), errors)
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

/// Writes one stack's template as CDK-style JSON (one-space indent) with
/// `ctx` installed, and gives the context back with what it recorded.
/// `draft`: see [`TemplateView::draft`].
fn write_template(
    stack: &Stack,
    plan: &Plan,
    ctx: Context,
    draft: Option<&RefCell<Vec<Error>>>,
) -> (Result<String>, Option<Context>) {
    let resource_deps = resource_dependencies(stack, &plan.ids);
    let view = TemplateView {
        stack,
        plan,
        resource_deps: &resource_deps,
        draft,
    };
    let (written, ctx) = resolve::with_context(ctx, || {
        // Templates take about 700 bytes a resource: one allocation, no
        // copies while growing; the spare capacity is given back below.
        let mut out = Vec::with_capacity(4096 + 1024 * stack.resources.len());
        view.write(&mut out).map(|()| out)
    });
    if ctx.is_none() {
        return (Err(lost_context(stack)), ctx);
    }
    let template = written
        .map_err(|e| Error::Serialize {
            path: ConstructPath::new(stack.construct_id.clone()),
            message: e.to_string(),
        })
        .and_then(|mut bytes| {
            bytes.shrink_to_fit();
            String::from_utf8(bytes).map_err(|e| Error::Serialize {
                path: ConstructPath::new(stack.construct_id.clone()),
                message: e.to_string(),
            })
        });
    (template, ctx)
}

/// `DependsOn` of every resource (by resource index): explicit ones and
/// those from node dependencies, same-stack only, sorted and unique.
fn resource_dependencies<'a>(stack: &Stack, ids: &'a [String]) -> Vec<Vec<&'a str>> {
    let mut deps: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); stack.resources.len()];
    let id_of = |node: u32| ids.get(node as usize).map_or("", String::as_str);
    for (i, entry) in stack.resources.iter().enumerate() {
        for dep in &entry.options().depends_on {
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
        let targets: Vec<&str> = stack
            .resources_under(to.index)
            .into_iter()
            .filter_map(|r| stack.resources.get(r as usize))
            .map(|e| id_of(e.node.index))
            .collect();
        for r in stack.resources_under(from.index) {
            if let Some(set) = deps.get_mut(r as usize) {
                set.extend(targets.iter().copied());
            }
        }
    }
    for (i, entry) in stack.resources.iter().enumerate() {
        if let Some(set) = deps.get_mut(i) {
            set.remove(id_of(entry.node.index));
        }
    }
    deps.into_iter().map(|s| s.into_iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
