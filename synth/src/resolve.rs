//! Resolution of handles to logical IDs while a template is written.
//!
//! Expressions hold handles, not names. Turning a handle into JSON needs to
//! know which stack is being written (a handle of another stack becomes an
//! `Fn::ImportValue`) and every element's logical ID. Synth puts that
//! knowledge in a [`Context`] and installs it for the current thread while it
//! serializes one stack; the `Serialize` impls of [`Intrinsic`] read it. No
//! context is installed outside synth, so serializing an expression anywhere
//! else is an error rather than a guess.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::context::{ContextQuery, ContextValues};
use crate::expr::{Expr, Intrinsic, Operand, PseudoParameter, Value};
use crate::fast_hash::FastMap;
use crate::handle::ResourceRef;
use crate::reference::ReferenceStrength;
use crate::tree::StackId;

/// What synth knows about every stack of the app while writing templates:
/// each stack's construct id, to name it in errors and to tell a stack of
/// the app from one that was never added.
#[derive(Debug, Default)]
pub(crate) struct Index {
    pub(crate) stacks: FastMap<StackId, String>,
}

/// A value of one stack used by another: the producer's resource and, for
/// `Fn::GetAtt`, the attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct RefKey {
    pub(crate) producer: StackId,
    pub(crate) node: u32,
    pub(crate) attr: Option<String>,
}

/// A cross-stack use found while discovering.
#[derive(Debug, Clone)]
pub(crate) struct CrossRef {
    pub(crate) consumer: StackId,
    pub(crate) key: RefKey,
    pub(crate) path: String,
    pub(crate) strength: ReferenceStrength,
}

/// How consumers reach a value of another stack, once synth has decided:
/// the export's name (strong) and the published output (weak).
#[derive(Debug, Clone, Default)]
pub(crate) struct Shared {
    pub(crate) export_name: Option<String>,
    pub(crate) published: Option<Published>,
}

/// A plain output read with `Fn::GetStackOutput`.
#[derive(Debug, Clone)]
pub(crate) struct Published {
    pub(crate) stack_name: String,
    /// The producer's region; `None` when it is not fixed (`AWS::Region`).
    pub(crate) region: Option<String>,
    pub(crate) output_id: String,
}

/// Whether synth is looking for cross-stack references or writing output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Discover,
    Emit,
}

/// The state installed while one stack is serialized.
#[derive(Debug)]
pub(crate) struct Context {
    pub(crate) index: Arc<Index>,
    pub(crate) stack: StackId,
    /// The logical ID of every node of the stack being written, by node
    /// index; empty for scopes.
    pub(crate) ids: Arc<[String]>,
    pub(crate) mode: Mode,
    /// The path of the element being written, for error messages.
    pub(crate) path: String,
    pub(crate) cross_refs: Vec<CrossRef>,
    pub(crate) shared: Arc<HashMap<RefKey, Shared>>,
    /// The strength of references this stack makes (the stack's setting or
    /// the app's), and the one an enclosing
    /// [`Intrinsic::WithReferenceStrength`] imposes.
    pub(crate) strength: ReferenceStrength,
    pub(crate) strength_override: Option<ReferenceStrength>,
    /// The app's context, and the lookups it did not have.
    pub(crate) lookups: Arc<ContextValues>,
    pub(crate) missing: Vec<(ContextQuery, String)>,
    pub(crate) errors: Vec<(String, String)>,
    pub(crate) needs_language_extensions: bool,
    /// Whether anything written read a value of another stack, in any
    /// mode: a template written before the app's exports were decided is
    /// final only when nothing did.
    pub(crate) read_other_stack: bool,
}

impl Context {
    pub(crate) fn new(
        index: Arc<Index>,
        stack: StackId,
        ids: Arc<[String]>,
        mode: Mode,
        shared: Arc<HashMap<RefKey, Shared>>,
        strength: ReferenceStrength,
        lookups: Arc<ContextValues>,
    ) -> Self {
        Self {
            lookups,
            missing: Vec::new(),
            index,
            stack,
            ids,
            mode,
            path: String::new(),
            cross_refs: Vec::new(),
            shared,
            strength,
            strength_override: None,
            errors: Vec::new(),
            needs_language_extensions: false,
            read_other_stack: false,
        }
    }

    fn error(&mut self, reason: String) {
        if self.mode == Mode::Discover {
            self.errors.push((self.path.clone(), reason));
        }
    }

    /// The logical ID of a node of the stack being written.
    fn local_id(&self, node: u32) -> &str {
        self.ids.get(node as usize).map_or("", String::as_str)
    }

    fn stack_label(&self, stack: StackId) -> String {
        self.index.stacks.get(&stack).map_or_else(
            || "a stack that is not in the app".to_owned(),
            |construct_id| format!("stack {construct_id}"),
        )
    }

    /// A same-stack element's logical ID, or an error for an element of
    /// another stack (parameters, conditions and mappings do not cross).
    fn same_stack_element(&mut self, stack: StackId, node: u32, what: &str) -> String {
        if stack == self.stack {
            return self.local_id(node).to_owned();
        }
        let label = self.stack_label(stack);
        self.error(format!(
            "uses a {what} of {label}; a {what} can only be used in its own stack: declare it in this stack too, or pass its value through a resource or an output"
        ));
        String::new()
    }

    /// The logical ID of a resource of the stack being written; `None` for
    /// a resource of another stack.
    fn local_resource_id(&self, r: ResourceRef) -> Option<&str> {
        (r.node.stack == self.stack).then(|| self.local_id(r.node.index))
    }

    /// How a resource of another stack is read: recorded as a cross-stack
    /// reference while discovering; its export or published output while
    /// emitting. (A resource of this stack: [`Self::local_resource_id`].)
    fn other_stack_resource(&mut self, r: ResourceRef, attr: Option<&str>) -> Resolved {
        self.read_other_stack = true;
        let stack = r.node.stack;
        if !self.index.stacks.contains_key(&stack) {
            self.error(
                "references a resource of a stack that was not added to the app; add that stack with `App::add`".to_owned(),
            );
            return Resolved::Import(String::new());
        }
        let key = RefKey {
            producer: stack,
            node: r.node.index,
            attr: attr.map(str::to_owned),
        };
        let strength = self.strength_override.unwrap_or(self.strength);
        match self.mode {
            Mode::Discover => {
                self.cross_refs.push(CrossRef {
                    consumer: self.stack,
                    key,
                    path: self.path.clone(),
                    strength,
                });
                Resolved::Import(String::new())
            }
            Mode::Emit => {
                let shared = self.shared.get(&key);
                match (strength, shared.and_then(|s| s.published.clone())) {
                    (ReferenceStrength::Strong, _) | (_, None) => Resolved::Import(
                        shared
                            .and_then(|s| s.export_name.clone())
                            .unwrap_or_default(),
                    ),
                    (_, Some(published)) => Resolved::StackOutput(published),
                }
            }
        }
    }
}

enum Resolved {
    Import(String),
    StackOutput(Published),
}

thread_local! {
    static CONTEXT: RefCell<Option<Context>> = const { RefCell::new(None) };
}

/// Runs `f` with `ctx` installed for this thread and returns the context
/// with what it collected (`None` only if `f` removed it, which nothing does).
pub(crate) fn with_context<R>(ctx: Context, f: impl FnOnce() -> R) -> (R, Option<Context>) {
    let previous = CONTEXT.with(|c| c.borrow_mut().replace(ctx));
    let out = f();
    let ctx = CONTEXT.with(|c| {
        let mut slot = c.borrow_mut();
        let mine = slot.take();
        *slot = previous;
        mine
    });
    (out, ctx)
}

/// Switches the installed context to `mode`, returning the mode it had
/// (`None` when no context is installed).
pub(crate) fn set_mode(mode: Mode) -> Option<Mode> {
    CONTEXT.with(|c| {
        c.borrow_mut()
            .as_mut()
            .map(|ctx| std::mem::replace(&mut ctx.mode, mode))
    })
}

/// Sets the path of the element about to be written.
pub(crate) fn set_path(path: &str) {
    CONTEXT.with(|c| {
        if let Some(ctx) = c.borrow_mut().as_mut() {
            path.clone_into(&mut ctx.path);
        }
    });
}

fn with_ctx<R, E: serde::ser::Error>(f: impl FnOnce(&mut Context) -> R) -> Result<R, E> {
    CONTEXT.with(|c| {
        let mut slot = c.borrow_mut();
        match slot.as_mut() {
            Some(ctx) => Ok(f(ctx)),
            None => Err(E::custom(
                "an expression can only be serialized by synth (`App::synth`), which resolves its references",
            )),
        }
    })
}

/// An argument of an intrinsic as written.
enum Arg<'a> {
    Str(&'a str),
    Owned(String),
    Op(&'a Operand),
    Vars(&'a BTreeMap<String, Operand>),
    /// A list of a fixed length, borrowed: no allocation.
    Seq(&'a [Arg<'a>]),
    /// A list of any length.
    List(Vec<Arg<'a>>),
}

impl Serialize for Arg<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Str(v) => s.serialize_str(v),
            Self::Owned(v) => s.serialize_str(v),
            Self::Op(op) => op.serialize(s),
            Self::Vars(vars) => vars.serialize(s),
            Self::Seq(items) => serialize_list(s, items),
            Self::List(items) => serialize_list(s, items),
        }
    }
}

fn serialize_list<S: Serializer>(s: S, items: &[Arg<'_>]) -> Result<S::Ok, S::Error> {
    let mut seq = s.serialize_seq(Some(items.len()))?;
    for item in items {
        seq.serialize_element(item)?;
    }
    seq.end()
}

fn call<S: Serializer>(s: S, name: &str, arg: &Arg<'_>) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry(name, arg)?;
    map.end()
}

fn resource_ref<S: Serializer>(
    s: S,
    r: ResourceRef,
    attr: Option<&str>,
) -> Result<S::Ok, S::Error> {
    // A resource of the same stack, the common case, is written while the
    // context is borrowed, straight from its logical ID: no copy of the ID.
    // Nothing below reads the context again: the arguments are plain text.
    let mut s = Some(s);
    let local = with_ctx::<_, S::Error>(|ctx| {
        let id = ctx.local_resource_id(r)?;
        let s = s.take()?;
        Some(match attr {
            None => call(s, "Ref", &Arg::Str(id)),
            Some(a) => call(s, "Fn::GetAtt", &Arg::Seq(&[Arg::Str(id), Arg::Str(a)])),
        })
    })?;
    if let Some(written) = local {
        return written;
    }
    let Some(s) = s else {
        return Err(serde::ser::Error::custom("the serializer was used up"));
    };
    match with_ctx::<_, S::Error>(|ctx| ctx.other_stack_resource(r, attr))? {
        Resolved::Import(name) => call(s, "Fn::ImportValue", &Arg::Owned(name)),
        Resolved::StackOutput(published) => {
            let mut map = s.serialize_map(Some(1))?;
            map.serialize_entry("Fn::GetStackOutput", &published)?;
            map.end()
        }
    }
}

/// The argument of `Fn::GetStackOutput`, keys in the CDK's order.
impl Serialize for Published {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("StackName", &self.stack_name)?;
        match &self.region {
            Some(region) => map.serialize_entry("Region", region)?,
            None => map.serialize_entry("Region", &Intrinsic::Pseudo(PseudoParameter::Region))?,
        }
        map.serialize_entry("OutputName", &self.output_id)?;
        map.end()
    }
}

/// The names a `Fn::Sub` string refers to (`${Name}`; `${!Literal}` is not a
/// reference).
fn sub_references(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else { break };
        let name = &rest[..end];
        if !name.starts_with('!') {
            out.push(name);
        }
        rest = &rest[end + 1..];
    }
    out
}

fn check_sub(template: &str, vars: &BTreeMap<String, Operand>) -> Result<(), String> {
    for name in sub_references(template) {
        let pseudo = PseudoParameter::ALL.iter().any(|p| p.name() == name);
        if !pseudo && !vars.contains_key(name) {
            return Err(format!(
                "Fn::Sub string {template:?} refers to ${{{name}}}, which is neither a pseudo parameter nor one of its variables; pass it as a variable (`Expr::sub_with`) or write ${{!{name}}} for a literal"
            ));
        }
    }
    Ok(())
}

impl Serialize for Intrinsic {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::RefResource(r) => resource_ref(s, *r, None),
            Self::GetAtt(r, attr) => resource_ref(s, *r, Some(attr)),
            Self::RefParameter(p) => {
                let id = with_ctx::<_, S::Error>(|ctx| {
                    ctx.same_stack_element(p.node.stack, p.node.index, "parameter")
                })?;
                call(s, "Ref", &Arg::Owned(id))
            }
            Self::Pseudo(p) => call(s, "Ref", &Arg::Str(p.name())),
            Self::Sub(template, vars) => {
                if let Err(reason) = check_sub(template, vars) {
                    with_ctx::<_, S::Error>(|ctx| ctx.error(reason))?;
                }
                if vars.is_empty() {
                    call(s, "Fn::Sub", &Arg::Str(template))
                } else {
                    call(
                        s,
                        "Fn::Sub",
                        &Arg::Seq(&[Arg::Str(template), Arg::Vars(vars)]),
                    )
                }
            }
            Self::Join(delimiter, list) => call(
                s,
                "Fn::Join",
                &Arg::Seq(&[Arg::Str(delimiter), Arg::Op(list)]),
            ),
            Self::Select(index, list) => {
                call(s, "Fn::Select", &Arg::Seq(&[Arg::Op(index), Arg::Op(list)]))
            }
            Self::Split(delimiter, source) => call(
                s,
                "Fn::Split",
                &Arg::Seq(&[Arg::Str(delimiter), Arg::Op(source)]),
            ),
            Self::GetAzs(region) => call(s, "Fn::GetAZs", &Arg::Op(region)),
            Self::ImportValue(name) => call(s, "Fn::ImportValue", &Arg::Op(name)),
            Self::If(cond, then, otherwise) => {
                let id = with_ctx::<_, S::Error>(|ctx| {
                    ctx.same_stack_element(cond.node.stack, cond.node.index, "condition")
                })?;
                call(
                    s,
                    "Fn::If",
                    &Arg::Seq(&[Arg::Owned(id), Arg::Op(then), Arg::Op(otherwise)]),
                )
            }
            Self::Equals(a, b) => call(s, "Fn::Equals", &Arg::Seq(&[Arg::Op(a), Arg::Op(b)])),
            Self::And(items) => call(
                s,
                "Fn::And",
                &Arg::List(items.iter().map(Arg::Op).collect()),
            ),
            Self::Or(items) => call(s, "Fn::Or", &Arg::List(items.iter().map(Arg::Op).collect())),
            Self::Not(c) => call(s, "Fn::Not", &Arg::Seq(&[Arg::Op(c)])),
            Self::Condition(cond) => {
                let id = with_ctx::<_, S::Error>(|ctx| {
                    ctx.same_stack_element(cond.node.stack, cond.node.index, "condition")
                })?;
                call(s, "Condition", &Arg::Owned(id))
            }
            Self::FindInMap(mapping, top, second) => {
                let id = with_ctx::<_, S::Error>(|ctx| {
                    ctx.same_stack_element(mapping.node.stack, mapping.node.index, "mapping")
                })?;
                call(
                    s,
                    "Fn::FindInMap",
                    &Arg::Seq(&[Arg::Owned(id), Arg::Op(top), Arg::Op(second)]),
                )
            }
            Self::Base64(v) => call(s, "Fn::Base64", &Arg::Op(v)),
            Self::Cidr(block, count, bits) => call(
                s,
                "Fn::Cidr",
                &Arg::Seq(&[Arg::Op(block), Arg::Op(count), Arg::Op(bits)]),
            ),
            Self::Length(list) => {
                with_ctx::<_, S::Error>(|ctx| ctx.needs_language_extensions = true)?;
                call(s, "Fn::Length", &Arg::Op(list))
            }
            Self::ToJsonString(v) => {
                with_ctx::<_, S::Error>(|ctx| ctx.needs_language_extensions = true)?;
                call(s, "Fn::ToJsonString", &Arg::Op(v))
            }
            Self::Contains(a, b) => call(s, "Fn::Contains", &Arg::Seq(&[Arg::Op(a), Arg::Op(b)])),
            Self::EachMemberEquals(a, b) => call(
                s,
                "Fn::EachMemberEquals",
                &Arg::Seq(&[Arg::Op(a), Arg::Op(b)]),
            ),
            Self::EachMemberIn(a, b) => {
                call(s, "Fn::EachMemberIn", &Arg::Seq(&[Arg::Op(a), Arg::Op(b)]))
            }
            Self::GetStackOutput(stack_name, region, output_name) => {
                struct Args<'a>(&'a Operand, Option<&'a Operand>, &'a Operand);
                impl Serialize for Args<'_> {
                    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        let mut map = s.serialize_map(None)?;
                        map.serialize_entry("StackName", self.0)?;
                        if let Some(region) = self.1 {
                            map.serialize_entry("Region", region)?;
                        }
                        map.serialize_entry("OutputName", self.2)?;
                        map.end()
                    }
                }
                let args = Args(stack_name, region.as_ref(), output_name);
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("Fn::GetStackOutput", &args)?;
                map.end()
            }
            Self::Lookup(lookup) => {
                let found = with_ctx::<_, S::Error>(|ctx| {
                    match crate::context::resolve(&ctx.lookups, lookup) {
                        Ok(Some(value)) => Some(value.clone()),
                        Ok(None) => {
                            if ctx.mode == Mode::Discover {
                                ctx.missing.push((lookup.query.clone(), ctx.path.clone()));
                            }
                            None
                        }
                        Err(reason) => {
                            ctx.error(reason);
                            None
                        }
                    }
                })?;
                match found {
                    Some(value) => value.serialize(s),
                    None => s.serialize_unit(),
                }
            }
            Self::WithReferenceStrength(strength, inner) => {
                let outer =
                    with_ctx::<_, S::Error>(|ctx| ctx.strength_override.replace(*strength))?;
                let out = inner.serialize(s);
                with_ctx::<_, S::Error>(|ctx| ctx.strength_override = outer)?;
                out
            }
        }
    }
}

impl Serialize for Operand {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => s.serialize_unit(),
            Self::Bool(b) => s.serialize_bool(*b),
            Self::Int(i) => s.serialize_i64(*i),
            Self::Float(f) => {
                if f.is_finite() {
                    s.serialize_f64(*f)
                } else {
                    Err(S::Error::custom("a number must be finite"))
                }
            }
            Self::Str(v) => s.serialize_str(v),
            Self::List(items) => items.serialize(s),
            Self::Map(map) => map.serialize(s),
            Self::Expr(e) => e.serialize(s),
            Self::Rendered(value) => crate::json::serialize_rendered(value, s),
        }
    }
}

impl<T> Serialize for Expr<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.node.serialize(s)
    }
}

impl<T: Serialize> Serialize for Value<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Lit(v) => v.serialize(s),
            Self::Expr(e) => e.serialize(s),
        }
    }
}

/// Whether an operand holds an intrinsic anywhere.
pub(crate) fn has_expr(op: &Operand) -> bool {
    match op {
        Operand::Expr(_) => true,
        Operand::List(items) => items.iter().any(has_expr),
        Operand::Map(map) => map.values().any(has_expr),
        Operand::Rendered(value) => has_expr(&value.to_operand()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_references_skip_literals() {
        assert_eq!(
            sub_references("a-${X}-${!Y}-${AWS::Region}"),
            vec!["X", "AWS::Region"]
        );
        assert_eq!(sub_references("no refs"), Vec::<&str>::new());
    }

    #[test]
    fn references_outside_synth_fail_to_serialize() {
        let mut stack = crate::Stack::new("S");
        let root = stack.root();
        let topic = stack
            .add(root, "T", crate::RawResource::new("AWS::SNS::Topic"))
            .unwrap();
        assert!(serde_json::to_string(&topic.reference()).is_err());
    }
}
