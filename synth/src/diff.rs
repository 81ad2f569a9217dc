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

use crate::assembly::ReplacingProperties;

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

    /// The resources that would be removed or (possibly) replaced.
    pub(crate) fn destructive(&self) -> impl Iterator<Item = &ResourceChange> {
        self.resources
            .iter()
            .filter(|r| r.action == Action::Remove || r.replacement != Replacement::No)
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
            },
            (Some(o), None) => ResourceChange {
                logical_id: id.clone(),
                type_name: type_of(Some(o)),
                action: Action::Remove,
                replacement: Replacement::No,
                changes: Vec::new(),
                replaced_with: None,
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
        let _ = writeln!(s, "{colored} {} {}{note}", r.type_name, r.logical_id);
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
}
