//! Template diff: what a deploy would change, computed from two templates.
//!
//! Resources are matched by logical ID. A modified resource lists each
//! changed top-level property (and resource attribute), and is marked as a
//! replacement when a changed value sits at or below one of its create-only
//! properties ([`ReplacingProperties`], recorded at synth from the L1 types'
//! registry schemas) or when its type changes. Policy statements (objects
//! with `Effect` and `Action`) and network rules (objects with `IpProtocol`)
//! are found by their shape, wherever they sit, and listed in their own
//! tables.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value as Json;

use ecscdk_synth::ReplacingProperties;

/// Whether a change replaces the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Replacement {
    /// Updated in place.
    No,
    /// May be replaced (a conditionally create-only property).
    Conditional,
    /// Replaced.
    Always,
}

/// One changed value of a resource.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PropertyChange {
    /// `Properties/Name` or an attribute such as `DependsOn`.
    pub(crate) path: String,
    pub(crate) old: Option<Json>,
    pub(crate) new: Option<Json>,
    pub(crate) replacement: Replacement,
}

/// What happens to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Add,
    Remove,
    Modify,
}

/// One resource that differs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResourceChange {
    pub(crate) logical_id: String,
    pub(crate) type_name: String,
    pub(crate) action: Action,
    pub(crate) replacement: Replacement,
    pub(crate) changes: Vec<PropertyChange>,
    /// The replaced resource a create-only property refers to, when that is
    /// what replaces this one (a listener of a replaced load balancer).
    pub(crate) replaced_with: Option<String>,
    /// A deploy-time trap the templates alone do not show: why CloudFormation
    /// would fail this change, and what to do instead.
    pub(crate) trap: Option<String>,
    /// For an ECS service: the new deployment the change starts (its
    /// strategy and why), which replaces every running task.
    pub(crate) deployment: Option<String>,
}

/// One row of the statement or rule tables.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Row {
    pub(crate) added: bool,
    pub(crate) logical_id: String,
    pub(crate) cells: Vec<String>,
}

/// The difference between a deployed template and a synthesized one.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TemplateDiff {
    pub(crate) resources: Vec<ResourceChange>,
    /// Other sections (`Outputs`, `Parameters`, …): `(section/key, old, new)`.
    pub(crate) other: Vec<PropertyChange>,
    pub(crate) statements: Vec<Row>,
    pub(crate) rules: Vec<Row>,
}

impl TemplateDiff {
    /// Whether nothing differs.
    pub(crate) fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.other.is_empty()
    }

    /// The resources that would be removed or (possibly) replaced, and those
    /// caught in a replacement trap.
    pub(crate) fn destructive(&self) -> impl Iterator<Item = &ResourceChange> {
        self.resources.iter().filter(|r| {
            r.action == Action::Remove || r.replacement != Replacement::No || r.trap.is_some()
        })
    }
}

/// Compares `old` (deployed; `Json::Null` when there is none) with `new`.
pub(crate) fn diff(
    old: &Json,
    new: &Json,
    replacing: &BTreeMap<String, ReplacingProperties>,
) -> TemplateDiff {
    let (mut old, mut new) = (old.clone(), new.clone());
    normalize(&mut old);
    normalize(&mut new);
    let (old, new) = (&old, &new);
    let empty = serde_json::Map::new();
    let section = |t: &'_ Json, name: &str| -> serde_json::Map<String, Json> {
        t.get(name)
            .and_then(Json::as_object)
            .unwrap_or(&empty)
            .clone()
    };
    let old_res = section(old, "Resources");
    let new_res = section(new, "Resources");
    let mut out = TemplateDiff::default();
    let mut ids: Vec<&String> = old_res.keys().chain(new_res.keys()).collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        let (o, n) = (old_res.get(id), new_res.get(id));
        let type_of = |r: Option<&Json>| {
            r.and_then(|r| r.get("Type"))
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_owned()
        };
        let change = match (o, n) {
            (None, Some(n)) => ResourceChange {
                logical_id: id.clone(),
                type_name: type_of(Some(n)),
                action: Action::Add,
                replacement: Replacement::No,
                changes: Vec::new(),
                replaced_with: None,
                trap: None,
                deployment: None,
            },
            (Some(o), None) => ResourceChange {
                logical_id: id.clone(),
                type_name: type_of(Some(o)),
                action: Action::Remove,
                replacement: Replacement::No,
                changes: Vec::new(),
                replaced_with: None,
                trap: None,
                deployment: None,
            },
            (Some(o), Some(n)) if o != n => {
                modified(id, o, n, replacing.get(id.as_str()), &type_of(Some(n)))
            }
            _ => continue,
        };
        out.resources.push(change);
        tables(id, o, n, &mut out);
    }
    cascade(&new_res, replacing, &mut out);
    target_group_traps(&old_res, &new_res, &mut out);
    ecs_load_balancer_traps(&old_res, &new_res, &mut out);
    ecs_deployments(&old_res, &new_res, &mut out);
    for name in ["Parameters", "Conditions", "Mappings", "Outputs", "Rules"] {
        let (o, n) = (section(old, name), section(new, name));
        let mut keys: Vec<&String> = o.keys().chain(n.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            if o.get(k) != n.get(k) {
                out.other.push(PropertyChange {
                    path: format!("{name}/{k}"),
                    old: o.get(k).cloned(),
                    new: n.get(k).cloned(),
                    replacement: Replacement::No,
                });
            }
        }
    }
    out
}

/// Whole numbers written with a fraction (`7.0`) compare equal to the same
/// integer (`7`), as CloudFormation reads them.
fn normalize(v: &mut Json) {
    match v {
        Json::Number(n) => {
            if let Some(f) = n.as_f64()
                && n.is_f64()
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *v = Json::from(f as i64);
            }
        }
        Json::Array(items) => items.iter_mut().for_each(normalize),
        Json::Object(m) => m.values_mut().for_each(normalize),
        _ => {}
    }
}

fn modified(
    id: &str,
    o: &Json,
    n: &Json,
    replacing: Option<&ReplacingProperties>,
    type_name: &str,
) -> ResourceChange {
    let mut changes = Vec::new();
    let empty = serde_json::Map::new();
    let props = |r: &'_ Json| {
        r.get("Properties")
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (op, np) = (props(o), props(n));
    let mut keys: Vec<&String> = op.keys().chain(np.keys()).collect();
    keys.sort();
    keys.dedup();
    let old_props = Json::Object(op.clone());
    let new_props = Json::Object(np.clone());
    for k in keys {
        let (ov, nv) = (op.get(k), np.get(k));
        if ov == nv {
            continue;
        }
        let top = format!("/{}", escape(k));
        let mut replacement = Replacement::No;
        if let Some(r) = replacing {
            for (pointers, kind) in [
                (r.always, Replacement::Always),
                (r.conditionally, Replacement::Conditional),
            ] {
                for p in pointers {
                    if !(p == &top || p.starts_with(&format!("{top}/"))) {
                        continue;
                    }
                    // A pointer through an array (`/*/`) cannot be followed
                    // exactly: the top-level change counts.
                    let differs = p.contains('*')
                        || old_props.pointer(p) != new_props.pointer(p)
                        || kind == Replacement::Conditional;
                    if differs {
                        replacement = replacement.max(kind);
                    }
                }
            }
        }
        changes.push(PropertyChange {
            path: format!("Properties/{k}"),
            old: ov.cloned(),
            new: nv.cloned(),
            replacement,
        });
    }
    let mut attrs: Vec<&String> = o
        .as_object()
        .into_iter()
        .flat_map(|m| m.keys())
        .chain(n.as_object().into_iter().flat_map(|m| m.keys()))
        .filter(|k| k.as_str() != "Properties")
        .collect();
    attrs.sort();
    attrs.dedup();
    for k in attrs {
        let (ov, nv) = (o.get(k), n.get(k));
        if ov != nv {
            changes.push(PropertyChange {
                path: k.clone(),
                old: ov.cloned(),
                new: nv.cloned(),
                replacement: if k == "Type" {
                    Replacement::Always
                } else {
                    Replacement::No
                },
            });
        }
    }
    let replacement = changes
        .iter()
        .map(|c| c.replacement)
        .max()
        .unwrap_or(Replacement::No);
    ResourceChange {
        logical_id: id.to_owned(),
        type_name: type_name.to_owned(),
        action: Action::Modify,
        replacement,
        changes,
        replaced_with: None,
        trap: None,
        deployment: None,
    }
}

/// A resource whose create-only property refers (`Ref`, `Fn::GetAtt`,
/// `Fn::Sub`) to a replaced resource is replaced too, though its own template
/// text does not change: the reference resolves to a new physical ID. Repeats
/// until nothing more is found.
fn cascade(
    new_res: &serde_json::Map<String, Json>,
    replacing: &BTreeMap<String, ReplacingProperties>,
    out: &mut TemplateDiff,
) {
    loop {
        let replaced: Vec<String> = out
            .resources
            .iter()
            .filter(|r| r.action == Action::Modify && r.replacement == Replacement::Always)
            .map(|r| r.logical_id.clone())
            .collect();
        let mut found = None;
        'search: for (id, resource) in new_res {
            let already = out.resources.iter().any(|r| {
                &r.logical_id == id
                    && (r.action != Action::Modify || r.replacement == Replacement::Always)
            });
            if already {
                continue;
            }
            let Some(r) = replacing.get(id) else { continue };
            let Some(props) = resource.get("Properties") else {
                continue;
            };
            for p in r.always {
                // Through an array: look at the whole top-level property.
                let pointer = match p.find("/*") {
                    Some(i) => &p[..i],
                    None => p,
                };
                let Some(value) = props.pointer(pointer) else {
                    continue;
                };
                if let Some(target) = replaced.iter().find(|t| refers_to(value, t)) {
                    found = Some((
                        id.clone(),
                        (*p).to_owned(),
                        target.clone(),
                        resource.clone(),
                    ));
                    break 'search;
                }
            }
        }
        let Some((id, pointer, target, resource)) = found else {
            return;
        };
        let value = resource
            .get("Properties")
            .and_then(|p| p.pointer(&pointer))
            .cloned();
        let change = PropertyChange {
            path: format!("Properties{pointer}"),
            old: value.clone(),
            new: value,
            replacement: Replacement::Always,
        };
        if let Some(existing) = out.resources.iter_mut().find(|r| r.logical_id == id) {
            existing.replacement = Replacement::Always;
            existing.replaced_with = Some(target);
            existing.changes.push(change);
        } else {
            out.resources.push(ResourceChange {
                logical_id: id,
                type_name: resource
                    .get("Type")
                    .and_then(Json::as_str)
                    .unwrap_or("")
                    .to_owned(),
                action: Action::Modify,
                replacement: Replacement::Always,
                changes: vec![change],
                replaced_with: Some(target),
                trap: None,
                deployment: None,
            });
            out.resources
                .sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
        }
    }
}

/// Whether `value` holds a `Ref`, `Fn::GetAtt` or `Fn::Sub` of `id`.
fn refers_to(value: &Json, id: &str) -> bool {
    match value {
        Json::Object(m) => {
            if m.get("Ref").and_then(Json::as_str) == Some(id) {
                return true;
            }
            if let Some(att) = m.get("Fn::GetAtt") {
                let target = match att {
                    Json::Array(a) => a.first().and_then(Json::as_str),
                    Json::String(s) => s.split('.').next(),
                    _ => None,
                };
                if target == Some(id) {
                    return true;
                }
            }
            if let Some(sub) = m.get("Fn::Sub") {
                let text = match sub {
                    Json::Array(a) => a.first().and_then(Json::as_str),
                    Json::String(s) => Some(s.as_str()),
                    _ => None,
                };
                if text.is_some_and(|t| {
                    t.contains(&format!("${{{id}}}")) || t.contains(&format!("${{{id}."))
                }) {
                    return true;
                }
            }
            m.values().any(|v| refers_to(v, id))
        }
        Json::Array(items) => items.iter().any(|v| refers_to(v, id)),
        _ => false,
    }
}

const LISTENER: &str = "AWS::ElasticLoadBalancingV2::Listener";
const LISTENER_RULE: &str = "AWS::ElasticLoadBalancingV2::ListenerRule";
const TARGET_GROUP: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";
const ECS_SERVICE: &str = "AWS::ECS::Service";

fn type_name(r: Option<&Json>) -> &str {
    r.and_then(|r| r.get("Type"))
        .and_then(Json::as_str)
        .unwrap_or("")
}

/// The logical ID a `Ref` or `Fn::GetAtt` names.
fn ref_target(v: &Json) -> Option<String> {
    let m = v.as_object()?;
    if let Some(id) = m.get("Ref").and_then(Json::as_str) {
        return Some(id.to_owned());
    }
    match m.get("Fn::GetAtt")? {
        Json::Array(a) => a.first().and_then(Json::as_str).map(str::to_owned),
        Json::String(s) => s.split('.').next().map(str::to_owned),
        _ => None,
    }
}

/// The logical IDs of the target groups a `TargetGroupArn` under `v` refers
/// to (listener actions, forward configs, a service's load balancers).
fn target_groups(v: &Json, out: &mut Vec<String>) {
    match v {
        Json::Object(m) => {
            for (k, child) in m {
                if k == "TargetGroupArn" {
                    if let Some(id) = ref_target(child)
                        && !out.contains(&id)
                    {
                        out.push(id);
                    }
                } else {
                    target_groups(child, out);
                }
            }
        }
        Json::Array(items) => items.iter().for_each(|i| target_groups(i, out)),
        _ => {}
    }
}

fn replaced_ids(out: &TemplateDiff) -> Vec<String> {
    out.resources
        .iter()
        .filter(|r| r.action == Action::Modify && r.replacement == Replacement::Always)
        .map(|r| r.logical_id.clone())
        .collect()
}

/// Records a trap on `id`, adding it to the diff when it has no other change.
fn set_trap(
    out: &mut TemplateDiff,
    new_res: &serde_json::Map<String, Json>,
    id: &str,
    text: String,
) {
    if let Some(existing) = out.resources.iter_mut().find(|r| r.logical_id == id) {
        existing.trap = Some(text);
        return;
    }
    out.resources.push(ResourceChange {
        logical_id: id.to_owned(),
        type_name: type_name(new_res.get(id)).to_owned(),
        action: Action::Modify,
        replacement: Replacement::No,
        changes: Vec::new(),
        replaced_with: None,
        trap: Some(text),
        deployment: None,
    });
    out.resources
        .sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
}

/// The load balancer trap no schema shows: when a load balancer is replaced
/// (a new `Scheme`, `Name` or `Type`), CloudFormation replaces its listeners
/// and their rules too, but not the target groups they forward to. It creates
/// the new listener first, while the old load balancer still holds the target
/// group, and a target group belongs to one load balancer at a time: the
/// update fails with `TargetGroupAssociationLimit` and rolls back (aws-cdk
/// issues 15233 and 33253, cloudformation-coverage-roadmap 780). Such a target
/// group must be replaced along with the load balancer.
fn target_group_traps(
    old_res: &serde_json::Map<String, Json>,
    new_res: &serde_json::Map<String, Json>,
    out: &mut TemplateDiff,
) {
    let replaced = replaced_ids(out);
    // Listeners and rules that move to another load balancer, with why.
    let mut moving: Vec<(&String, String)> = Vec::new();
    for id in &replaced {
        let Some(res) = new_res.get(id) else { continue };
        let listener = match type_name(Some(res)) {
            LISTENER => id.clone(),
            LISTENER_RULE => {
                let Some(l) = res
                    .pointer("/Properties/ListenerArn")
                    .and_then(ref_target)
                    .filter(|l| replaced.contains(l))
                else {
                    continue;
                };
                l
            }
            _ => continue,
        };
        let lb = new_res
            .get(&listener)
            .and_then(|l| l.pointer("/Properties/LoadBalancerArn"))
            .and_then(ref_target);
        let why = match lb {
            Some(lb) if replaced.contains(&lb) => format!("load balancer {lb} is replaced"),
            _ => format!("listener {listener} moves to another load balancer"),
        };
        moving.push((id, why));
    }
    // The target groups attached to a load balancer in the deployed template.
    let mut attached = Vec::new();
    for r in old_res.values() {
        if matches!(type_name(Some(r)), LISTENER | LISTENER_RULE)
            && let Some(p) = r.get("Properties")
        {
            target_groups(p, &mut attached);
        }
    }
    for (mover, why) in moving {
        let mut groups = Vec::new();
        if let Some(p) = new_res.get(mover).and_then(|r| r.get("Properties")) {
            target_groups(p, &mut groups);
        }
        for tg in groups {
            let trapped = type_name(new_res.get(&tg)) == TARGET_GROUP
                && old_res.contains_key(&tg)
                && attached.contains(&tg)
                && !replaced.contains(&tg)
                && !out
                    .resources
                    .iter()
                    .any(|r| r.logical_id == tg && r.trap.is_some());
            if !trapped {
                continue;
            }
            let services: Vec<&String> = new_res
                .iter()
                .filter(|(_, r)| type_name(Some(r)) == ECS_SERVICE)
                .filter(|(_, r)| {
                    let mut g = Vec::new();
                    if let Some(lbs) = r.pointer("/Properties/LoadBalancers") {
                        target_groups(lbs, &mut g);
                    }
                    g.contains(&tg)
                })
                .map(|(id, _)| id)
                .collect();
            let services = if services.is_empty() {
                String::new()
            } else {
                format!(
                    "; the service {} then moves to the new target group in place (not with the CODE_DEPLOY or EXTERNAL deployment controller)",
                    services
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let text = format!(
                "not replaced, but {why}: CloudFormation creates the new {mover} while {tg} is still attached to the old load balancer, and a target group belongs to one load balancer at a time, so the update fails (TargetGroupAssociationLimit) and rolls back; replace {tg} as well (a new construct id, or a new Name){services}"
            );
            set_trap(out, new_res, &tg, text);
        }
    }
}

/// ECS cannot update the load balancers of a service whose deployment
/// controller is `CODE_DEPLOY` (UpdateService answers "Unable to update load
/// balancers on services with a CODE_DEPLOY deployment controller") or
/// `EXTERNAL`; with the `ECS` controller the change is made in place.
fn ecs_load_balancer_traps(
    old_res: &serde_json::Map<String, Json>,
    new_res: &serde_json::Map<String, Json>,
    out: &mut TemplateDiff,
) {
    let replaced = replaced_ids(out);
    for (id, new) in new_res {
        if type_name(Some(new)) != ECS_SERVICE || replaced.contains(id) {
            continue;
        }
        let Some(old) = old_res.get(id) else { continue };
        let controller = |r: &Json| {
            r.pointer("/Properties/DeploymentController/Type")
                .and_then(Json::as_str)
                .map(str::to_owned)
        };
        let Some(controller) = controller(new)
            .or_else(|| controller(old))
            .filter(|c| c == "CODE_DEPLOY" || c == "EXTERNAL")
        else {
            continue;
        };
        let (ol, nl) = (
            old.pointer("/Properties/LoadBalancers"),
            new.pointer("/Properties/LoadBalancers"),
        );
        let mut groups = Vec::new();
        if let Some(lbs) = nl {
            target_groups(lbs, &mut groups);
        }
        let what = if ol != nl {
            "its LoadBalancers change".to_owned()
        } else if let Some(tg) = groups.iter().find(|g| replaced.contains(g)) {
            format!("its target group {tg} is replaced")
        } else {
            continue;
        };
        let text = format!(
            "{what}, and ECS cannot update the load balancers of a service with the {controller} deployment controller: the update fails; shift traffic through the deployment controller, or replace the service (a new construct id)"
        );
        set_trap(out, new_res, id, text);
    }
}

/// The properties of an `AWS::ECS::Service` whose change makes ECS start a
/// new deployment, replacing every task: those the ECS API Reference
/// (`UpdateService`) says trigger one (the task definition, network
/// configuration, platform version, load balancers with their advanced
/// configuration, service registries, Service Connect, volume
/// configurations, VPC Lattice), and `ForceNewDeployment`. The desired
/// count, capacity provider strategy, deployment configuration (strategy,
/// hooks, alarms), placement, grace period, ECS Exec and tag settings are
/// updated in place; the last two reach only tasks started later.
const DEPLOYING_PROPERTIES: &[&str] = &[
    "ForceNewDeployment",
    "LoadBalancers",
    "NetworkConfiguration",
    "PlatformVersion",
    "ServiceConnectConfiguration",
    "ServiceRegistries",
    "TaskDefinition",
    "VolumeConfigurations",
    "VpcLatticeConfigurations",
];

/// Marks each ECS service (updated, not replaced or added) whose change
/// starts a new deployment: a deploying property changes, or its task
/// definition is replaced (a new revision, though the service's own text is
/// unchanged). The note names the strategy the deployment runs with.
fn ecs_deployments(
    old_res: &serde_json::Map<String, Json>,
    new_res: &serde_json::Map<String, Json>,
    out: &mut TemplateDiff,
) {
    let replaced = replaced_ids(out);
    for (id, new) in new_res {
        if type_name(Some(new)) != ECS_SERVICE || replaced.contains(id) {
            continue;
        }
        let Some(old) = old_res.get(id) else { continue };
        let controller = new
            .pointer("/Properties/DeploymentController/Type")
            .and_then(Json::as_str)
            .unwrap_or("ECS");
        if controller != "ECS" {
            continue;
        }
        let mut causes: Vec<String> = DEPLOYING_PROPERTIES
            .iter()
            .filter(|p| {
                let pointer = format!("/Properties/{p}");
                old.pointer(&pointer) != new.pointer(&pointer)
            })
            .map(|p| format!("{p} changes"))
            .collect();
        if let Some(task) = new
            .pointer("/Properties/TaskDefinition")
            .and_then(ref_target)
            .filter(|t| replaced.contains(t))
            && !causes.iter().any(|c| c.starts_with("TaskDefinition"))
        {
            causes.push(format!("its task definition {task} gets a new revision"));
        }
        if causes.is_empty() {
            continue;
        }
        let strategy = new
            .pointer("/Properties/DeploymentConfiguration/Strategy")
            .and_then(Json::as_str)
            .unwrap_or("ROLLING");
        let text = format!(
            "a new {strategy} deployment replaces every task: {}",
            causes.join(", ")
        );
        if let Some(existing) = out.resources.iter_mut().find(|r| r.logical_id == *id) {
            existing.deployment = Some(text);
            continue;
        }
        out.resources.push(ResourceChange {
            logical_id: id.clone(),
            type_name: ECS_SERVICE.to_owned(),
            action: Action::Modify,
            replacement: Replacement::No,
            changes: Vec::new(),
            replaced_with: None,
            trap: None,
            deployment: Some(text),
        });
        out.resources
            .sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Adds the statement and rule rows of one resource.
fn tables(id: &str, o: Option<&Json>, n: Option<&Json>, out: &mut TemplateDiff) {
    let type_name = n.or(o).and_then(|r| r.get("Type")).and_then(Json::as_str);
    let egress_type = type_name.is_some_and(|t| t.contains("Egress"));
    let collect = |r: Option<&Json>| {
        let mut statements = Vec::new();
        let mut rules = Vec::new();
        if let Some(p) = r.and_then(|r| r.get("Properties")) {
            walk(p, egress_type, false, &mut statements, &mut rules);
        }
        (statements, rules)
    };
    let (os, or) = collect(o);
    let (ns, nr) = collect(n);
    for (old, new, table) in [(os, ns, &mut out.statements), (or, nr, &mut out.rules)] {
        for cells in &old {
            if !new.contains(cells) {
                table.push(Row {
                    added: false,
                    logical_id: id.to_owned(),
                    cells: cells.clone(),
                });
            }
        }
        for cells in &new {
            if !old.contains(cells) {
                table.push(Row {
                    added: true,
                    logical_id: id.to_owned(),
                    cells: cells.clone(),
                });
            }
        }
    }
}

fn walk(
    v: &Json,
    egress: bool,
    under_egress: bool,
    statements: &mut Vec<Vec<String>>,
    rules: &mut Vec<Vec<String>>,
) {
    match v {
        Json::Object(m) => {
            if m.contains_key("Effect") && (m.contains_key("Action") || m.contains_key("NotAction"))
            {
                statements.push(vec![
                    cell(m.get("Effect")),
                    cell(m.get("Action").or_else(|| m.get("NotAction"))),
                    cell(m.get("Principal")),
                    cell(m.get("Resource").or_else(|| m.get("NotResource"))),
                    cell(m.get("Condition")),
                ]);
                return;
            }
            if m.contains_key("IpProtocol") {
                let direction = if egress || under_egress { "out" } else { "in" };
                let ports = match (m.get("FromPort"), m.get("ToPort")) {
                    (Some(f), Some(t)) if f == t => cell(Some(f)),
                    (Some(f), Some(t)) => format!("{}-{}", cell(Some(f)), cell(Some(t))),
                    _ => "all".to_owned(),
                };
                let peer = [
                    "CidrIp",
                    "CidrIpv6",
                    "SourceSecurityGroupId",
                    "DestinationSecurityGroupId",
                    "SourcePrefixListId",
                    "DestinationPrefixListId",
                ]
                .iter()
                .find_map(|k| m.get(*k))
                .map_or_else(|| "-".to_owned(), |p| cell(Some(p)));
                rules.push(vec![
                    direction.to_owned(),
                    cell(m.get("IpProtocol")),
                    ports,
                    peer,
                ]);
                return;
            }
            for (k, child) in m {
                walk(
                    child,
                    egress,
                    under_egress || k.contains("Egress"),
                    statements,
                    rules,
                );
            }
        }
        Json::Array(items) => {
            for item in items {
                walk(item, egress, under_egress, statements, rules);
            }
        }
        _ => {}
    }
}

fn cell(v: Option<&Json>) -> String {
    match v {
        None => "-".to_owned(),
        Some(Json::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// ANSI colors, or none.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub(crate) color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn green(self, t: &str) -> String {
        self.paint("32", t)
    }
    fn red(self, t: &str) -> String {
        self.paint("31", t)
    }
    fn yellow(self, t: &str) -> String {
        self.paint("33", t)
    }
    fn bold(self, t: &str) -> String {
        self.paint("1", t)
    }
}

fn compact(v: Option<&Json>) -> String {
    v.map_or_else(|| "(none)".to_owned(), Json::to_string)
}

/// The diff as text, like `cdk diff`.
pub(crate) fn render(stack: &str, d: &TemplateDiff, style: Style) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", style.bold(&format!("Stack {stack}")));
    if d.is_empty() {
        let _ = writeln!(s, "There were no differences");
        return s;
    }
    if !d.statements.is_empty() {
        let _ = writeln!(s, "Policy statement changes");
        table(
            &mut s,
            &[
                "",
                "Resource",
                "Effect",
                "Action",
                "Principal",
                "Target",
                "Condition",
            ],
            &d.statements,
            style,
        );
    }
    if !d.rules.is_empty() {
        let _ = writeln!(s, "Network rule changes");
        table(
            &mut s,
            &["", "Resource", "Direction", "Protocol", "Ports", "Peer"],
            &d.rules,
            style,
        );
    }
    if !d.resources.is_empty() {
        let _ = writeln!(s, "Resources");
    }
    for r in &d.resources {
        let (mark, colored) = match r.action {
            Action::Add => ("[+]", style.green("[+]")),
            Action::Remove => ("[-]", style.red("[-]")),
            Action::Modify => ("[~]", style.yellow("[~]")),
        };
        let _ = mark;
        let note = match (r.action, r.replacement, &r.replaced_with) {
            (Action::Remove, _, _) => style.red(" (removed)"),
            (_, Replacement::Always, Some(cause)) => {
                style.red(&format!(" (replacement, because {cause} is replaced)"))
            }
            (_, Replacement::Always, None) => style.red(" (replacement)"),
            (_, Replacement::Conditional, _) => style.red(" (may be replaced)"),
            _ => String::new(),
        };
        let trap = if r.trap.is_some() {
            style.red(" (the deploy would fail)")
        } else {
            String::new()
        };
        let deploys = if r.deployment.is_some() {
            style.yellow(" (new ECS deployment)")
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "{colored} {} {}{note}{trap}{deploys}",
            r.type_name, r.logical_id
        );
        if let Some(t) = &r.trap {
            let branch = if r.changes.is_empty() && r.deployment.is_none() {
                "└─"
            } else {
                "├─"
            };
            let _ = writeln!(s, " {branch} {}", style.red(&format!("[!] {t}")));
        }
        if let Some(d) = &r.deployment {
            let branch = if r.changes.is_empty() {
                "└─"
            } else {
                "├─"
            };
            let _ = writeln!(s, " {branch} [i] {d}");
        }
        let last = r.changes.len().saturating_sub(1);
        for (i, c) in r.changes.iter().enumerate() {
            let branch = if i == last { "└─" } else { "├─" };
            let pipe = if i == last { "  " } else { "│ " };
            let why = match c.replacement {
                Replacement::Always => style.red(" (requires replacement)"),
                Replacement::Conditional => style.red(" (may cause replacement)"),
                Replacement::No => String::new(),
            };
            let _ = writeln!(s, " {branch} [~] {}{why}", c.path);
            let _ = writeln!(
                s,
                " {pipe}    {}",
                style.red(&format!("- {}", compact(c.old.as_ref())))
            );
            let _ = writeln!(
                s,
                " {pipe}    {}",
                style.green(&format!("+ {}", compact(c.new.as_ref())))
            );
        }
    }
    if !d.other.is_empty() {
        let _ = writeln!(s, "Other changes");
        for c in &d.other {
            let mark = match (&c.old, &c.new) {
                (None, _) => style.green("[+]"),
                (_, None) => style.red("[-]"),
                _ => style.yellow("[~]"),
            };
            let _ = writeln!(
                s,
                "{mark} {}: {} -> {}",
                c.path,
                compact(c.old.as_ref()),
                compact(c.new.as_ref())
            );
        }
    }
    s
}

fn table(s: &mut String, header: &[&str], rows: &[Row], style: Style) {
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut line = vec![
                if r.added { "+" } else { "-" }.to_owned(),
                r.logical_id.clone(),
            ];
            line.extend(r.cells.iter().cloned());
            line
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for line in &lines {
        for (w, c) in widths.iter_mut().zip(line) {
            *w = (*w).max(c.chars().count());
        }
    }
    let fmt_line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let head: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    let _ = writeln!(s, "  {}", fmt_line(&head));
    for (line, row) in lines.iter().zip(rows) {
        let text = fmt_line(line);
        let text = if row.added {
            style.green(&text)
        } else {
            style.red(&text)
        };
        let _ = writeln!(s, "  {text}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn replacing() -> BTreeMap<String, ReplacingProperties> {
        BTreeMap::from([(
            "Logs".to_owned(),
            ReplacingProperties {
                always: &["/LogGroupName"],
                conditionally: &[],
            },
        )])
    }

    #[test]
    fn marks_a_create_only_change_as_replacement() {
        let old = json!({"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "a", "RetentionInDays": 7}}}});
        let new = json!({"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "b", "RetentionInDays": 7}}}});
        let d = diff(&old, &new, &replacing());
        assert_eq!(d.resources.len(), 1);
        assert_eq!(d.resources[0].replacement, Replacement::Always);
        assert_eq!(d.destructive().count(), 1);
        let text = render("S", &d, Style { color: false });
        assert!(
            text.contains("[~] AWS::Logs::LogGroup Logs (replacement)"),
            "{text}"
        );
        assert!(
            text.contains("Properties/LogGroupName (requires replacement)"),
            "{text}"
        );
    }

    #[test]
    fn an_in_place_change_is_not_destructive() {
        let old = json!({"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 7}}}});
        let new = json!({"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 14}}}});
        let d = diff(&old, &new, &replacing());
        assert_eq!(d.resources[0].replacement, Replacement::No);
        assert_eq!(d.destructive().count(), 0);
    }

    #[test]
    fn lists_added_and_removed_resources_and_outputs() {
        let old = json!({"Resources": {"A": {"Type": "T::A"}}, "Outputs": {"X": {"Value": 1}}});
        let new = json!({"Resources": {"B": {"Type": "T::B"}}});
        let d = diff(&old, &new, &BTreeMap::new());
        let actions: Vec<Action> = d.resources.iter().map(|r| r.action).collect();
        assert_eq!(actions, [Action::Remove, Action::Add]);
        assert_eq!(d.other.len(), 1);
        assert_eq!(d.destructive().count(), 1);
    }

    #[test]
    fn tables_statement_and_rule_changes() {
        let old = json!({"Resources": {
            "Sg": {"Type": "X::SecurityGroup", "Properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"}]}},
            "Role": {"Type": "X::Role", "Properties": {"Policies": [{"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]}}
        }});
        let new = json!({"Resources": {
            "Sg": {"Type": "X::SecurityGroup", "Properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}]}},
            "Role": {"Type": "X::Role", "Properties": {"Policies": [{"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}]}}]}}
        }});
        let d = diff(&old, &new, &BTreeMap::new());
        assert_eq!(d.rules.len(), 2);
        assert_eq!(d.statements.len(), 2);
        let text = render("S", &d, Style { color: false });
        assert!(
            text.contains("+  Sg        in         tcp       443"),
            "{text}"
        );
    }

    #[test]
    fn a_replacement_cascades_through_create_only_references() {
        let replacing = BTreeMap::from([
            (
                "Lb".to_owned(),
                ReplacingProperties {
                    always: &["/Scheme", "/Name"],
                    conditionally: &[],
                },
            ),
            (
                "Listener".to_owned(),
                ReplacingProperties {
                    always: &["/LoadBalancerArn"],
                    conditionally: &[],
                },
            ),
        ]);
        let t = |scheme: &str| {
            json!({"Resources": {
                "Lb": {"Type": "X::LoadBalancer", "Properties": {"Scheme": scheme}},
                "Listener": {"Type": "X::Listener", "Properties": {"LoadBalancerArn": {"Ref": "Lb"}, "Port": 80}}
            }})
        };
        let d = diff(&t("internal"), &t("internet-facing"), &replacing);
        assert_eq!(d.resources.len(), 2, "{d:?}");
        assert!(
            d.resources
                .iter()
                .all(|r| r.replacement == Replacement::Always)
        );
        let text = render("S", &d, Style { color: false });
        assert!(
            text.contains("[~] X::Listener Listener (replacement, because Lb is replaced)"),
            "{text}"
        );
    }

    #[test]
    fn switching_between_a_conditional_property_and_another_may_replace() {
        let replacing = BTreeMap::from([(
            "Service".to_owned(),
            ReplacingProperties {
                always: &["/Cluster"],
                conditionally: &["/LaunchType"],
            },
        )]);
        let old = json!({"Resources": {"Service": {"Type": "X::Service", "Properties": {"LaunchType": "FARGATE"}}}});
        let new = json!({"Resources": {"Service": {"Type": "X::Service", "Properties": {"CapacityProviderStrategy": [{"CapacityProvider": "FARGATE_SPOT", "Weight": 1}]}}}});
        let d = diff(&old, &new, &replacing);
        assert_eq!(d.resources[0].replacement, Replacement::Conditional);
        assert_eq!(d.destructive().count(), 1);
    }

    fn load_balancer_replacing() -> BTreeMap<String, ReplacingProperties> {
        BTreeMap::from([
            (
                "Lb".to_owned(),
                ReplacingProperties {
                    always: &["/Name", "/Type", "/Scheme"],
                    conditionally: &[],
                },
            ),
            (
                "Listener".to_owned(),
                ReplacingProperties {
                    always: &["/LoadBalancerArn"],
                    conditionally: &[],
                },
            ),
            (
                "Rule".to_owned(),
                ReplacingProperties {
                    always: &["/ListenerArn"],
                    conditionally: &[],
                },
            ),
            (
                "Tg".to_owned(),
                ReplacingProperties {
                    always: &["/Name", "/Port", "/Protocol", "/TargetType", "/VpcId"],
                    conditionally: &[],
                },
            ),
            (
                "ApiTg".to_owned(),
                ReplacingProperties {
                    always: &["/Name", "/Port", "/Protocol", "/TargetType", "/VpcId"],
                    conditionally: &[],
                },
            ),
        ])
    }

    /// A load balancer, its listener forwarding to `tg`, a rule forwarding
    /// `/api` to `ApiTg`, and a service in `tg`.
    fn load_balanced(scheme: &str, tg: &str, tg_name: &str, controller: &str) -> Json {
        json!({"Resources": {
            "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": scheme}},
            "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
                "LoadBalancerArn": {"Ref": "Lb"}, "Port": 80, "Protocol": "HTTP",
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": tg}}]
            }},
            "Rule": {"Type": "AWS::ElasticLoadBalancingV2::ListenerRule", "Properties": {
                "ListenerArn": {"Ref": "Listener"}, "Priority": 1,
                "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}],
                "Actions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": {"Ref": "ApiTg"}}]}}]
            }},
            tg: {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Name": tg_name, "Port": 80, "Protocol": "HTTP", "TargetType": "ip"}},
            "ApiTg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Port": 8080, "Protocol": "HTTP", "TargetType": "ip"}},
            "Service": {"Type": "AWS::ECS::Service", "Properties": {
                "DeploymentController": {"Type": controller},
                "LoadBalancers": [{"ContainerName": "web", "ContainerPort": 80, "TargetGroupArn": {"Ref": tg}}]
            }}
        }})
    }

    #[test]
    fn a_replaced_load_balancer_traps_the_target_groups_its_listeners_keep() {
        let old = load_balanced("internet-facing", "Tg", "web", "ECS");
        let new = load_balanced("internal", "Tg", "web", "ECS");
        let d = diff(&old, &new, &load_balancer_replacing());
        let summary: Vec<(&str, Replacement, bool)> = d
            .resources
            .iter()
            .map(|r| (r.logical_id.as_str(), r.replacement, r.trap.is_some()))
            .collect();
        assert_eq!(
            summary,
            [
                ("ApiTg", Replacement::No, true),
                ("Lb", Replacement::Always, false),
                ("Listener", Replacement::Always, false),
                ("Rule", Replacement::Always, false),
                ("Tg", Replacement::No, true),
            ]
        );
        assert_eq!(d.destructive().count(), 5);
        let text = render("S", &d, Style { color: false });
        assert!(
            text.contains("[~] AWS::ElasticLoadBalancingV2::TargetGroup Tg (the deploy would fail)\n └─ [!] not replaced, but load balancer Lb is replaced: CloudFormation creates the new Listener while Tg is still attached to the old load balancer"),
            "{text}"
        );
        assert!(text.contains("(TargetGroupAssociationLimit)"), "{text}");
        assert!(
            text.contains("the service Service then moves to the new target group in place"),
            "{text}"
        );
        assert!(
            text.contains("[!] not replaced, but load balancer Lb is replaced: CloudFormation creates the new Rule while ApiTg"),
            "{text}"
        );
    }

    #[test]
    fn a_target_group_replaced_with_its_load_balancer_is_no_trap() {
        let old = load_balanced("internet-facing", "Tg", "web", "ECS");
        // A new name replaces the target group; a new id creates another one.
        for new in [
            load_balanced("internal", "Tg", "web-internal", "ECS"),
            load_balanced("internal", "TgInternal", "web", "ECS"),
        ] {
            let d = diff(&old, &new, &load_balancer_replacing());
            let trapped: Vec<&str> = d
                .resources
                .iter()
                .filter(|r| r.trap.is_some())
                .map(|r| r.logical_id.as_str())
                .collect();
            assert_eq!(trapped, ["ApiTg"], "{d:?}");
        }
    }

    #[test]
    fn a_code_deploy_service_cannot_change_target_groups() {
        let old = load_balanced("internal", "Tg", "web", "CODE_DEPLOY");
        let new = load_balanced("internal", "TgNew", "web", "CODE_DEPLOY");
        let d = diff(&old, &new, &load_balancer_replacing());
        let service = d
            .resources
            .iter()
            .find(|r| r.logical_id == "Service")
            .unwrap();
        assert_eq!(service.replacement, Replacement::No);
        let trap = service.trap.as_deref().unwrap();
        assert!(
            trap.starts_with("its LoadBalancers change, and ECS cannot update the load balancers of a service with the CODE_DEPLOY deployment controller"),
            "{trap}"
        );
        // The ECS controller updates them in place.
        let old = load_balanced("internal", "Tg", "web", "ECS");
        let new = load_balanced("internal", "TgNew", "web", "ECS");
        let d = diff(&old, &new, &load_balancer_replacing());
        assert!(d.resources.iter().all(|r| r.trap.is_none()), "{d:?}");
    }

    #[test]
    fn whole_numbers_compare_equal_with_or_without_a_fraction() {
        let old = json!({"Resources": {"A": {"Type": "T::A", "Properties": {"N": 70.0}}}});
        let new = json!({"Resources": {"A": {"Type": "T::A", "Properties": {"N": 70}}}});
        assert!(diff(&old, &new, &BTreeMap::new()).is_empty());
    }

    #[test]
    fn equal_templates_have_no_differences() {
        let t = json!({"Resources": {"A": {"Type": "T::A"}}});
        let d = diff(&t, &t, &BTreeMap::new());
        assert!(d.is_empty());
        assert!(render("S", &d, Style { color: false }).contains("no differences"));
    }

    #[test]
    fn says_which_service_changes_start_a_new_deployment() {
        let service = |props: Json| json!({"Type": "AWS::ECS::Service", "Properties": props});
        let task = |image: &str| json!({"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Image": image}]}});
        let old = json!({"Resources": {
            "Task": task("web:1"),
            "Api": service(json!({"TaskDefinition": {"Ref": "Task"}, "DesiredCount": 2,
                "DeploymentConfiguration": {"Strategy": "BLUE_GREEN"}})),
            "Worker": service(json!({"TaskDefinition": "arn:td:1", "DesiredCount": 1})),
        }});
        // The task definition is replaced (a new revision): the service's text
        // is unchanged, yet it deploys. The worker only scales: no deployment.
        let new = json!({"Resources": {
            "Task": task("web:2"),
            "Api": service(json!({"TaskDefinition": {"Ref": "Task"}, "DesiredCount": 2,
                "DeploymentConfiguration": {"Strategy": "BLUE_GREEN"}})),
            "Worker": service(json!({"TaskDefinition": "arn:td:1", "DesiredCount": 3})),
        }});
        let replacing = BTreeMap::from([(
            "Task".to_owned(),
            ReplacingProperties {
                always: &["/ContainerDefinitions"],
                conditionally: &[],
            },
        )]);
        let d = diff(&old, &new, &replacing);
        let notes: Vec<(&str, Option<&str>)> = d
            .resources
            .iter()
            .map(|r| (r.logical_id.as_str(), r.deployment.as_deref()))
            .collect();
        assert_eq!(
            notes,
            [
                (
                    "Api",
                    Some(
                        "a new BLUE_GREEN deployment replaces every task: its task definition Task gets a new revision"
                    )
                ),
                ("Task", None),
                ("Worker", None),
            ]
        );
        let text = render("S", &d, Style { color: false });
        assert!(
            text.contains("[~] AWS::ECS::Service Api (new ECS deployment)\n └─ [i] a new BLUE_GREEN deployment"),
            "{text}"
        );
        // A new network configuration deploys with the default strategy.
        let old =
            json!({"Resources": {"Worker": service(json!({"NetworkConfiguration": {"A": 1}}))}});
        let new =
            json!({"Resources": {"Worker": service(json!({"NetworkConfiguration": {"A": 2}}))}});
        let d = diff(&old, &new, &BTreeMap::new());
        assert_eq!(
            d.resources[0].deployment.as_deref(),
            Some("a new ROLLING deployment replaces every task: NetworkConfiguration changes")
        );
        // Another deployment controller makes no ECS deployment.
        let old = json!({"Resources": {"W": service(json!({"TaskDefinition": "a", "DeploymentController": {"Type": "EXTERNAL"}}))}});
        let new = json!({"Resources": {"W": service(json!({"TaskDefinition": "b", "DeploymentController": {"Type": "EXTERNAL"}}))}});
        assert_eq!(
            diff(&old, &new, &BTreeMap::new()).resources[0].deployment,
            None
        );
    }
}
