//! The checks that the generated L1 types (`crate::cfn`) run at synth: one
//! function per schema keyword, called from the generated `validate_at`
//! impls with the constraints as constants; and, for resources with
//! overrides, one walk of the rendered JSON ([`rendered`]) over a table of
//! [`Shape`]s (known property names, `required` lists).
//!
//! Literals are checked; an intrinsic is checked only where a literal is
//! visible in it (the branches of `Fn::If`). Paths are built on the stack
//! and rendered as JSON pointers only when a problem is reported, so a
//! valid resource costs no allocation.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, OnceLock};

use ecscdk_synth::{Intrinsic, Operand, PseudoParameter, Report, Value};

/// Where a value sits below `Properties`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path<'a> {
    /// `Properties` itself.
    Root,
    /// A property of an object.
    Key(&'a Path<'a>, &'static str),
    /// An item of a list.
    Index(&'a Path<'a>, usize),
    /// An entry of a map.
    Entry(&'a Path<'a>, &'a str),
}

impl<'a> Path<'a> {
    /// The property `name` of the object at `self`.
    pub(crate) fn key(&'a self, name: &'static str) -> Self {
        Path::Key(self, name)
    }

    /// Item `i` of the list at `self`.
    pub(crate) fn index(&'a self, i: usize) -> Self {
        Path::Index(self, i)
    }

    /// Entry `key` of the map at `self`.
    pub(crate) fn entry(&'a self, key: &'a str) -> Self {
        Path::Entry(self, key)
    }

    /// The JSON pointer (`/ContainerDefinitions/0/Memory`; `""` for the root).
    pub(crate) fn pointer(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(parent, name) => {
                parent.write(out);
                out.push('/');
                escape(out, name);
            }
            Path::Index(parent, i) => {
                parent.write(out);
                let _ = write!(out, "/{i}");
            }
            Path::Entry(parent, key) => {
                parent.write(out);
                out.push('/');
                escape(out, key);
            }
        }
    }
}

fn escape(out: &mut String, segment: &str) {
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Implemented by every generated struct: report each value the schema
/// rejects, below `at`.
pub(crate) trait Validate {
    /// Checks `self`, found at `at`.
    fn validate_at(&self, at: &Path<'_>, report: &mut Report);
}

impl<T: Validate> Validate for Value<T> {
    fn validate_at(&self, at: &Path<'_>, report: &mut Report) {
        if let Value::Lit(v) = self {
            v.validate_at(at, report);
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate_at(&self, at: &Path<'_>, report: &mut Report) {
        (**self).validate_at(at, report);
    }
}

/// Whether `name` has 1 to `max` ASCII letters, digits, hyphens and
/// underscores: how AWS spells the names of ECS services, daemons and task
/// definition families, SNS topics and CloudWatch dashboards.
pub(crate) fn is_simple_name(name: &str, max: usize) -> bool {
    (1..=max).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A schema `pattern`, compiled on first use and cached.
pub(crate) struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regex::Regex>>,
}

impl Pattern {
    /// A pattern from its source (the generator only emits patterns the
    /// `regex` crate compiles).
    pub(crate) const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// Whether `s` matches (unanchored, as in JSON Schema). A pattern that
    /// does not compile matches everything.
    pub(crate) fn is_match(&self, s: &str) -> bool {
        self.compiled().is_none_or(|r| r.is_match(s))
    }

    /// The first two capture groups of a match, or `None` without a match
    /// (or when the pattern does not compile).
    pub(crate) fn two_groups(&self, s: &str) -> Option<(String, String)> {
        let caps = self.compiled()?.captures(s)?;
        Some((
            caps.get(1)?.as_str().to_owned(),
            caps.get(2)?.as_str().to_owned(),
        ))
    }

    fn compiled(&self) -> Option<&regex::Regex> {
        self.compiled
            .get_or_init(|| compile_once(self.source))
            .as_ref()
    }
}

/// Compiles `source`, once per distinct source in the process: the registry
/// schemas repeat their patterns (the tag pattern
/// `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$` is in 15 resource types), and a
/// pattern with Unicode classes takes a few hundred microseconds to compile,
/// which was about 1.7 ms of every synth of the scale app. A `Regex` clone
/// shares the compiled program.
fn compile_once(source: &'static str) -> Option<regex::Regex> {
    static COMPILED: Mutex<Vec<(&str, Option<regex::Regex>)>> = Mutex::new(Vec::new());
    let Ok(mut compiled) = COMPILED.lock() else {
        return regex::Regex::new(source).ok();
    };
    if let Some((_, regex)) = compiled.iter().find(|(s, _)| *s == source) {
        return regex.clone();
    }
    let regex = regex::Regex::new(source).ok();
    compiled.push((source, regex.clone()));
    regex
}

/// The literals an intrinsic certainly or possibly yields: the branches of
/// `Fn::If`, recursively. Other intrinsics yield nothing checkable.
fn branches<'o>(intrinsic: &'o Intrinsic, out: &mut Vec<&'o Operand>) {
    if let Intrinsic::If(_, a, b) = intrinsic {
        for op in [a, b] {
            match op {
                Operand::Expr(inner) => branches(inner, out),
                op => out.push(op),
            }
        }
    }
}

fn with_literal_branches<T>(v: &Value<T>, mut f: impl FnMut(&Operand)) {
    if let Value::Expr(e) = v {
        let mut out = Vec::new();
        branches(e.intrinsic(), &mut out);
        for op in out {
            f(op);
        }
    }
}

fn is_no_value(intrinsic: &Intrinsic) -> bool {
    matches!(intrinsic, Intrinsic::Pseudo(PseudoParameter::NoValue))
}

/// A required property set to `AWS::NoValue` is a missing property.
pub(crate) fn present<T>(v: &Value<T>, at: &Path<'_>, report: &mut Report) {
    if let Value::Expr(e) = v
        && is_no_value(e.intrinsic())
    {
        missing(at, report);
    }
}

/// [`present`] for a free-form JSON property.
pub(crate) fn present_json(v: &Operand, at: &Path<'_>, report: &mut Report) {
    match v {
        Operand::Expr(e) if is_no_value(e) => missing(at, report),
        Operand::Null => missing(at, report),
        _ => {}
    }
}

fn missing(at: &Path<'_>, report: &mut Report) {
    report.push(
        at.pointer(),
        "required",
        "the property is required, but `AWS::NoValue` removes it; set a value",
    );
}

/// `minLength`, `maxLength`, `pattern`.
pub(crate) struct StrRules {
    pub(crate) min: Option<usize>,
    pub(crate) max: Option<usize>,
    pub(crate) pattern: Option<&'static Pattern>,
}

/// Checks a string value (a literal, or the literal branches of `Fn::If`).
pub(crate) fn string(v: &Value<String>, at: &Path<'_>, rules: &StrRules, report: &mut Report) {
    match v {
        Value::Lit(s) => check_str(s, at, rules, report),
        Value::Expr(_) => with_literal_branches(v, |op| {
            if let Operand::Str(s) = op {
                check_str(s, at, rules, report);
            }
        }),
    }
}

fn check_str(s: &str, at: &Path<'_>, rules: &StrRules, report: &mut Report) {
    // Lengths count characters (code points), as JSON Schema does; the byte
    // length bounds the count from above, so most strings need no count.
    if let Some(max) = rules.max
        && s.len() > max
    {
        let n = s.chars().count();
        if n > max {
            report.push(
                at.pointer(),
                "maxLength",
                format!("{n} characters is too long; at most {max} are allowed"),
            );
        }
    }
    if let Some(min) = rules.min
        && s.len() < min.saturating_mul(4)
    {
        let n = s.chars().count();
        if n < min {
            report.push(
                at.pointer(),
                "minLength",
                format!("{n} characters is too short; at least {min} are required"),
            );
        }
    }
    if let Some(p) = rules.pattern
        && !p.is_match(s)
    {
        report.push(
            at.pointer(),
            "pattern",
            format!("{s:?} does not match the pattern {}", p.source),
        );
    }
}

/// Checks the literal branches of an enum-typed intrinsic (a typed literal
/// is always one of the values).
pub(crate) fn enum_branches<T>(v: &Value<T>, values: &[&str], at: &Path<'_>, report: &mut Report) {
    with_literal_branches(v, |op| match op {
        Operand::Str(s) if values.contains(&s.as_str()) => {}
        Operand::Expr(_) => {}
        other => report.push(
            at.pointer(),
            "enum",
            format!("{} is not one of {}", show(other), listed(values)),
        ),
    });
}

fn listed(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn show(op: &Operand) -> String {
    match op {
        Operand::Str(s) => format!("{s:?}"),
        Operand::Int(i) => i.to_string(),
        Operand::Float(f) => f.to_string(),
        Operand::Bool(b) => b.to_string(),
        Operand::Null => "null".to_owned(),
        _ => "the value".to_owned(),
    }
}

/// `minimum`, `maximum` and an `enum` of integers.
pub(crate) struct IntRules {
    pub(crate) min: Option<i64>,
    pub(crate) max: Option<i64>,
    pub(crate) one_of: &'static [i64],
}

/// Checks an integer value.
pub(crate) fn integer(v: &Value<i64>, at: &Path<'_>, rules: &IntRules, report: &mut Report) {
    match v {
        Value::Lit(n) => check_int(*n, at, rules, report),
        Value::Expr(_) => with_literal_branches(v, |op| {
            if let Operand::Int(n) = op {
                check_int(*n, at, rules, report);
            }
        }),
    }
}

fn check_int(n: i64, at: &Path<'_>, rules: &IntRules, report: &mut Report) {
    if let Some(min) = rules.min
        && n < min
    {
        report.push(
            at.pointer(),
            "minimum",
            format!("{n} is too small; the minimum is {min}"),
        );
    }
    if let Some(max) = rules.max
        && n > max
    {
        report.push(
            at.pointer(),
            "maximum",
            format!("{n} is too large; the maximum is {max}"),
        );
    }
    if !rules.one_of.is_empty() && !rules.one_of.contains(&n) {
        let allowed: Vec<String> = rules.one_of.iter().map(i64::to_string).collect();
        report.push(
            at.pointer(),
            "enum",
            format!("{n} is not one of {}", allowed.join(", ")),
        );
    }
}

/// `minimum` and `maximum` of a number.
pub(crate) struct NumRules {
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
}

/// Checks a number value.
pub(crate) fn number(v: &Value<f64>, at: &Path<'_>, rules: &NumRules, report: &mut Report) {
    let mut check = |n: f64| {
        if let Some(min) = rules.min
            && n < min
        {
            report.push(
                at.pointer(),
                "minimum",
                format!("{n} is too small; the minimum is {min}"),
            );
        }
        if let Some(max) = rules.max
            && n > max
        {
            report.push(
                at.pointer(),
                "maximum",
                format!("{n} is too large; the maximum is {max}"),
            );
        }
    };
    match v {
        Value::Lit(n) => check(*n),
        Value::Expr(_) => with_literal_branches(v, |op| match op {
            #[allow(clippy::cast_precision_loss)]
            Operand::Int(n) => check(*n as f64),
            Operand::Float(n) => check(*n),
            _ => {}
        }),
    }
}

/// `minItems`, `maxItems`, `uniqueItems`.
pub(crate) struct ListRules {
    pub(crate) min: Option<usize>,
    pub(crate) max: Option<usize>,
    pub(crate) unique: bool,
}

/// Checks a list and returns its items when it is a literal, for the
/// checks of each item.
pub(crate) fn list<'v, I: PartialEq>(
    v: &'v Value<Vec<I>>,
    at: &Path<'_>,
    rules: &ListRules,
    report: &mut Report,
) -> Option<&'v [I]> {
    let Value::Lit(items) = v else {
        return None;
    };
    let n = items.len();
    if let Some(min) = rules.min
        && n < min
    {
        report.push(
            at.pointer(),
            "minItems",
            format!("{n} items are too few; at least {min} are required"),
        );
    }
    if let Some(max) = rules.max
        && n > max
    {
        report.push(
            at.pointer(),
            "maxItems",
            format!("{n} items are too many; at most {max} are allowed"),
        );
    }
    if rules.unique
        && let Some(j) = (1..n).find(|&j| items[..j].contains(&items[j]))
    {
        let i = items[..j].iter().position(|x| *x == items[j]).unwrap_or(0);
        report.push(
            at.pointer(),
            "uniqueItems",
            format!("items {i} and {j} are equal; the items must be unique"),
        );
    }
    Some(items)
}

/// `minProperties`, `maxProperties` and the key pattern of a map.
pub(crate) struct MapRules {
    pub(crate) min: Option<usize>,
    pub(crate) max: Option<usize>,
    pub(crate) keys: Option<&'static Pattern>,
}

/// Checks a map and returns its entries when it is a literal.
pub(crate) fn map<'v, I>(
    v: &'v Value<BTreeMap<String, I>>,
    at: &Path<'_>,
    rules: &MapRules,
    report: &mut Report,
) -> Option<&'v BTreeMap<String, I>> {
    let Value::Lit(entries) = v else {
        return None;
    };
    let n = entries.len();
    if let Some(min) = rules.min
        && n < min
    {
        report.push(
            at.pointer(),
            "minProperties",
            format!("{n} entries are too few; at least {min} are required"),
        );
    }
    if let Some(max) = rules.max
        && n > max
    {
        report.push(
            at.pointer(),
            "maxProperties",
            format!("{n} entries are too many; at most {max} are allowed"),
        );
    }
    if let Some(p) = rules.keys {
        for key in entries.keys() {
            if !p.is_match(key) {
                report.push(
                    at.entry(key).pointer(),
                    "patternProperties",
                    format!("the key {key:?} does not match the pattern {}", p.source),
                );
            }
        }
    }
    Some(entries)
}

/// `anyOf` of `required` branches: at least one branch must be set.
pub(crate) fn any_of(branches: &[bool], names: &str, at: &Path<'_>, report: &mut Report) {
    if !branches.iter().any(|b| *b) {
        report.push(
            at.pointer(),
            "anyOf",
            format!("set at least one of {names}"),
        );
    }
}

/// `oneOf` of `required` branches: exactly one branch must be set.
pub(crate) fn one_of(branches: &[bool], names: &str, at: &Path<'_>, report: &mut Report) {
    let n = branches.iter().filter(|b| **b).count();
    if n != 1 {
        report.push(
            at.pointer(),
            "oneOf",
            format!("set exactly one of {names} ({n} are set)"),
        );
    }
}

/// What the schema says about the shape of one object type, for the checks
/// of rendered JSON (`Resource::validate_rendered`).
pub(crate) struct Shape {
    /// Whether the object is closed (`additionalProperties: false`).
    pub(crate) closed: bool,
    /// Every property name the schema knows, sorted, with the shape of its
    /// value.
    pub(crate) properties: &'static [(&'static str, Kind)],
    /// The `required` property names.
    pub(crate) required: &'static [&'static str],
}

/// The shape of a property value, as far as the checks of rendered JSON
/// descend into it.
pub(crate) enum Kind {
    /// A value holding no object type: nothing to check below it.
    Leaf,
    /// An object type: the index of its [`Shape`] in the resource's table.
    Object(usize),
    /// A list of values of this kind.
    List(&'static Kind),
    /// A map of string keys to values of this kind.
    #[allow(
        dead_code,
        reason = "no vendored schema maps keys to object types yet; the generator emits it when one does"
    )]
    Map(&'static Kind),
}

/// Checks the rendered `Properties` of a resource against its shapes
/// (`shapes[0]` is the resource's): unknown names in closed objects and
/// missing required properties. Intrinsics are not looked into.
pub(crate) fn rendered(properties: &serde_json::Value, shapes: &[Shape], report: &mut Report) {
    walk(properties, &Kind::Object(0), shapes, &Path::Root, report);
}

/// Whether a JSON object is an intrinsic function or a condition reference.
fn is_intrinsic(object: &serde_json::Map<String, serde_json::Value>) -> bool {
    let mut keys = object.keys();
    match (keys.next(), keys.next()) {
        (Some(key), None) => key == "Ref" || key == "Condition" || key.starts_with("Fn::"),
        _ => false,
    }
}

fn walk(
    value: &serde_json::Value,
    kind: &Kind,
    shapes: &[Shape],
    at: &Path<'_>,
    report: &mut Report,
) {
    match (kind, value) {
        (Kind::Object(i), serde_json::Value::Object(object)) if !is_intrinsic(object) => {
            let Some(shape) = shapes.get(*i) else {
                return;
            };
            for (name, v) in object {
                match shape
                    .properties
                    .binary_search_by(|(known, _)| (*known).cmp(name.as_str()))
                {
                    Ok(j) => {
                        if let Some((_, kind)) = shape.properties.get(j) {
                            walk(v, kind, shapes, &at.entry(name), report);
                        }
                    }
                    Err(_) if shape.closed => report.push(
                        at.entry(name).pointer(),
                        "additionalProperties",
                        format!("the schema has no property {name:?} here; check its spelling"),
                    ),
                    Err(_) => {}
                }
            }
            for &name in shape.required {
                if !object.contains_key(name) {
                    report.push(
                        at.key(name).pointer(),
                        "required",
                        "the property is required, but it is missing once the overrides are applied; set it or drop the override that removes it",
                    );
                }
            }
        }
        (Kind::List(item), serde_json::Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, item, shapes, &at.index(i), report);
            }
        }
        (Kind::Map(item), serde_json::Value::Object(entries)) if !is_intrinsic(entries) => {
            for (key, v) in entries {
                walk(v, item, shapes, &at.entry(key), report);
            }
        }
        // Leaves, intrinsics, and values of another type (not checked here).
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_with_one_source_share_its_compilation_and_match_alike() {
        static TAGS_A: Pattern = Pattern::new("^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");
        static TAGS_B: Pattern = Pattern::new("^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");
        static BROKEN: Pattern = Pattern::new("(unclosed");
        for pattern in [&TAGS_A, &TAGS_B] {
            assert!(pattern.is_match("Team: Café 42"));
            assert!(!pattern.is_match("no*stars"));
        }
        // A pattern the regex crate cannot compile checks nothing.
        assert!(BROKEN.is_match("anything"));
        assert_eq!(BROKEN.two_groups("anything"), None);
        static PAIR: Pattern = Pattern::new("^(a+)-(b+)$");
        assert_eq!(
            PAIR.two_groups("aa-b"),
            Some(("aa".to_owned(), "b".to_owned()))
        );
    }

    #[test]
    fn pointers_escape_and_nest() {
        let root = Path::Root;
        let a = root.key("Options");
        let b = a.entry("a/b~c");
        let c = b.index(3);
        assert_eq!(c.pointer(), "/Options/a~1b~0c/3");
        assert_eq!(root.pointer(), "");
    }

    #[test]
    fn rendered_json_is_walked_past_intrinsics() {
        static SHAPES: [Shape; 2] = [
            Shape {
                closed: true,
                properties: &[
                    ("Items", Kind::List(&Kind::Object(1))),
                    ("Name", Kind::Leaf),
                ],
                required: &["Name"],
            },
            Shape {
                closed: true,
                properties: &[("Key", Kind::Leaf)],
                required: &["Key"],
            },
        ];
        let properties = serde_json::json!({
            "Items": [
                { "Key": "a", "Kye": "b" },
                { "Fn::If": ["C", { "Nope": 1 }, { "Key": "c" }] },
                { "Ref": "AWS::NoValue" },
                {}
            ],
            "Extra": { "Ref": "P" }
        });
        let mut report = Report::default();
        rendered(&properties, &SHAPES, &mut report);
        let found: Vec<(&str, &str)> = report
            .problems()
            .iter()
            .map(|p| (p.pointer.as_str(), p.rule))
            .collect();
        assert_eq!(
            found,
            [
                ("/Items/0/Kye", "additionalProperties"),
                ("/Items/3/Key", "required"),
                ("/Extra", "additionalProperties"),
                ("/Name", "required"),
            ]
        );
    }

    #[test]
    fn lengths_count_characters() {
        let mut report = Report::default();
        let rules = StrRules {
            min: Some(2),
            max: Some(3),
            pattern: None,
        };
        check_str("été", &Path::Root, &rules, &mut report);
        assert!(report.problems().is_empty());
        check_str("étés", &Path::Root, &rules, &mut report);
        check_str("é", &Path::Root, &rules, &mut report);
        let rules: Vec<&str> = report.problems().iter().map(|p| p.rule).collect();
        assert_eq!(rules, ["maxLength", "minLength"]);
    }
}
