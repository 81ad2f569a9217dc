//! Values and CloudFormation intrinsic functions, typed.
//!
//! A [`Value<T>`] is either a literal `T` or an [`Expr<T>`]: an intrinsic
//! function that CloudFormation evaluates to a `T` at deploy time. Intrinsics
//! point at resources, parameters, conditions and mappings through copyable
//! handles, never through strings, so a reference cannot dangle and a
//! reference from another stack is recognised and turned into an export and
//! an `Fn::ImportValue` at synth.
//!
//! ```
//! use ecscdk_synth::prelude::*;
//!
//! let name: Value<String> = Expr::join("-", [Value::from(Pseudo::stack_name()), "logs".into()]).into();
//! let azs: Expr<Vec<String>> = Expr::get_azs();
//! let first_az: Expr<String> = Expr::select(0, azs);
//! # let _ = (name, first_az);
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use crate::context::{ContextLookup, ContextQuery};
use crate::handle::{ConditionRef, MappingRef, Parameter, ParameterRef, ResourceRef};
use crate::reference::ReferenceStrength;

/// A literal `T` or an intrinsic that yields a `T` at deploy time.
///
/// Every property of a generated L1 type is a `Value`, so any property can be
/// set from a reference.
#[derive(Clone, PartialEq)]
pub enum Value<T> {
    /// A value known at synth.
    Lit(T),
    /// A value CloudFormation computes at deploy time.
    Expr(Expr<T>),
}

impl<T: fmt::Debug> fmt::Debug for Value<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Lit(v) => v.fmt(f),
            Self::Expr(e) => e.fmt(f),
        }
    }
}

impl<T> Value<T> {
    /// The literal, if this value is one.
    #[must_use]
    pub fn literal(&self) -> Option<&T> {
        match self {
            Self::Lit(v) => Some(v),
            Self::Expr(_) => None,
        }
    }
}

impl<T> From<Expr<T>> for Value<T> {
    fn from(e: Expr<T>) -> Self {
        Self::Expr(e)
    }
}

impl From<&str> for Value<String> {
    fn from(s: &str) -> Self {
        Self::Lit(s.to_owned())
    }
}

impl From<String> for Value<String> {
    fn from(s: String) -> Self {
        Self::Lit(s)
    }
}

impl From<&String> for Value<String> {
    fn from(s: &String) -> Self {
        Self::Lit(s.clone())
    }
}

macro_rules! literal_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Value<$t> {
            fn from(v: $t) -> Self {
                Self::Lit(v)
            }
        }
    )*};
}
literal_from!(bool, i32, i64, u8, u16, u32, u64, f64);

impl<T, V: Into<Value<T>>> From<Vec<V>> for Value<Vec<Value<T>>> {
    fn from(items: Vec<V>) -> Self {
        Self::Lit(items.into_iter().map(Into::into).collect())
    }
}

impl<T, V: Into<Value<T>>, const N: usize> From<[V; N]> for Value<Vec<Value<T>>> {
    fn from(items: [V; N]) -> Self {
        Self::Lit(items.into_iter().map(Into::into).collect())
    }
}

/// A string-keyed map of values (container labels, log driver options, …).
impl<T> From<std::collections::BTreeMap<String, Value<T>>>
    for Value<std::collections::BTreeMap<String, Value<T>>>
{
    fn from(map: std::collections::BTreeMap<String, Value<T>>) -> Self {
        Self::Lit(map)
    }
}

/// A string-keyed map of values from key/value pairs:
/// `[("awslogs-group", Value::from(name)), ("awslogs-region", Pseudo::region().into())]`.
impl<K: Into<String>, V: Into<Value<T>>, T, const N: usize> From<[(K, V); N]>
    for Value<std::collections::BTreeMap<String, Value<T>>>
{
    fn from(pairs: [(K, V); N]) -> Self {
        Self::Lit(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

/// A whole number where a CloudFormation `number` is expected (`70` for a
/// threshold), so that integer literals need no `.0`.
impl From<i32> for Value<f64> {
    fn from(v: i32) -> Self {
        Self::Lit(f64::from(v))
    }
}

/// A list of free-form JSON values (items of a schema array without a type).
impl From<Vec<Operand>> for Value<Vec<Operand>> {
    fn from(items: Vec<Operand>) -> Self {
        Self::Lit(items)
    }
}

/// A list-valued expression (`Fn::GetAZs`, `Fn::Split`, `Fn::Cidr`, a list
/// parameter) used where a list of values is expected.
impl<T> From<Expr<Vec<T>>> for Value<Vec<Value<T>>> {
    fn from(e: Expr<Vec<T>>) -> Self {
        Self::Expr(e.retype())
    }
}

/// An intrinsic function that CloudFormation evaluates to a `T`.
pub struct Expr<T> {
    pub(crate) node: Box<Intrinsic>,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for Expr<T> {
    fn clone(&self) -> Self {
        Self {
            node: self.node.clone(),
            _type: PhantomData,
        }
    }
}

impl<T> PartialEq for Expr<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<T> fmt::Debug for Expr<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.node.fmt(f)
    }
}

/// The untyped intrinsic behind an [`Expr`]. Exposed for inspection (tests,
/// `diff`); build expressions through the typed functions on [`Expr`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Intrinsic {
    /// `Ref` of a resource.
    RefResource(ResourceRef),
    /// `Ref` of a parameter.
    RefParameter(ParameterRef),
    /// `Ref` of a pseudo parameter.
    Pseudo(PseudoParameter),
    /// `Fn::GetAtt` of a resource attribute.
    GetAtt(ResourceRef, String),
    /// `Fn::Sub` with a template string and its variables.
    Sub(String, BTreeMap<String, Operand>),
    /// `Fn::Join` with a delimiter.
    Join(String, Operand),
    /// `Fn::Select` of an index in a list.
    Select(Operand, Operand),
    /// `Fn::Split` of a string on a delimiter.
    Split(String, Operand),
    /// `Fn::GetAZs` of a region (empty string: the stack's region).
    GetAzs(Operand),
    /// `Fn::ImportValue` of an export name.
    ImportValue(Operand),
    /// `Fn::If`: the second operand when the condition holds, else the third.
    If(ConditionRef, Operand, Operand),
    /// `Fn::Equals`.
    Equals(Operand, Operand),
    /// `Fn::And`.
    And(Vec<Operand>),
    /// `Fn::Or`.
    Or(Vec<Operand>),
    /// `Fn::Not`.
    Not(Operand),
    /// `Condition`: the value of a named condition.
    Condition(ConditionRef),
    /// `Fn::FindInMap`.
    FindInMap(MappingRef, Operand, Operand),
    /// `Fn::Base64`.
    Base64(Operand),
    /// `Fn::Cidr` of an IP block, a count and the subnet's host bits.
    Cidr(Operand, Operand, Operand),
    /// `Fn::Length` of a list (needs the `AWS::LanguageExtensions` transform).
    Length(Operand),
    /// `Fn::ToJsonString` (needs the `AWS::LanguageExtensions` transform).
    ToJsonString(Operand),
    /// `Fn::Contains` (rules only).
    Contains(Operand, Operand),
    /// `Fn::EachMemberEquals` (rules only).
    EachMemberEquals(Operand, Operand),
    /// `Fn::EachMemberIn` (rules only).
    EachMemberIn(Operand, Operand),
    /// `Fn::GetStackOutput` of a stack name, an optional region (the stack's
    /// own when absent) and an output's logical ID.
    GetStackOutput(Operand, Option<Operand>, Operand),
    /// A value of the app's context (`cdk.context.json`), written as the
    /// literal found there ([`Expr::from_context`]).
    Lookup(Box<ContextLookup>),
    /// The operand, written as usual, except that a reference to another
    /// stack in it is written with this strength
    /// ([`Expr::with_reference_strength`]).
    WithReferenceStrength(ReferenceStrength, Operand),
}

impl Intrinsic {
    /// The `Fn::…` name CloudFormation uses for this function.
    #[must_use]
    pub fn function_name(&self) -> &'static str {
        match self {
            Self::RefResource(_) | Self::RefParameter(_) | Self::Pseudo(_) => "Ref",
            Self::GetAtt(..) => "Fn::GetAtt",
            Self::Sub(..) => "Fn::Sub",
            Self::Join(..) => "Fn::Join",
            Self::Select(..) => "Fn::Select",
            Self::Split(..) => "Fn::Split",
            Self::GetAzs(_) => "Fn::GetAZs",
            Self::ImportValue(_) => "Fn::ImportValue",
            Self::If(..) => "Fn::If",
            Self::Equals(..) => "Fn::Equals",
            Self::And(_) => "Fn::And",
            Self::Or(_) => "Fn::Or",
            Self::Not(_) => "Fn::Not",
            Self::Condition(_) => "Condition",
            Self::FindInMap(..) => "Fn::FindInMap",
            Self::Base64(_) => "Fn::Base64",
            Self::Cidr(..) => "Fn::Cidr",
            Self::Length(_) => "Fn::Length",
            Self::ToJsonString(_) => "Fn::ToJsonString",
            Self::Contains(..) => "Fn::Contains",
            Self::EachMemberEquals(..) => "Fn::EachMemberEquals",
            Self::EachMemberIn(..) => "Fn::EachMemberIn",
            Self::GetStackOutput(..) => "Fn::GetStackOutput",
            Self::Lookup(_) => "",
            Self::WithReferenceStrength(_, Operand::Expr(inner)) => inner.function_name(),
            Self::WithReferenceStrength(..) => "",
        }
    }
}

/// An untyped argument of an intrinsic: JSON data in which intrinsics may
/// appear anywhere. Also the value type of raw resource properties.
///
/// Operands compare by the JSON they stand for: a
/// [`Rendered`](Self::Rendered) value equals the operand tree it renders to.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Operand {
    /// JSON `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A list.
    List(Vec<Operand>),
    /// An object; keys keep the order they were inserted in.
    Map(indexmap::IndexMap<String, Operand>),
    /// An intrinsic function.
    Expr(Box<Intrinsic>),
    /// A value kept in its own typed form and written only with the
    /// template ([`Render`]).
    Rendered(Arc<dyn Render>),
}

/// A JSON value that a construct keeps in its own typed form (an IAM policy
/// document, say) and that synth writes straight from it, instead of an
/// [`Operand`] tree rebuilt each time the value changes: a document with a
/// map and a string per key costs tens of allocations as a tree, and a
/// builder may change it once per statement.
///
/// Its `Serialize` impl writes what [`to_operand`](Self::to_operand)'s
/// tree would write, byte for byte; intrinsics inside resolve as in any
/// operand.
///
/// Every `Serialize` type has [`WriteTemplate`](crate::WriteTemplate), by
/// which the template writer writes the value without type erasure.
pub trait Render:
    erased_serde::Serialize + crate::WriteTemplate + fmt::Debug + Send + Sync
{
    /// The value as an operand tree, for comparisons and inspection.
    fn to_operand(&self) -> Operand;
}

erased_serde::serialize_trait_object!(Render);

impl Operand {
    /// `value`, kept as it is until the template is written.
    pub fn rendered(value: impl Render + 'static) -> Self {
        Self::Rendered(Arc::new(value))
    }
}

impl PartialEq for Operand {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Rendered(a), Self::Rendered(b)) => {
                Arc::ptr_eq(a, b) || a.to_operand() == b.to_operand()
            }
            (Self::Rendered(a), b) => a.to_operand() == *b,
            (a, Self::Rendered(b)) => *a == b.to_operand(),
            (Self::Null, Self::Null) => true,
            (Self::Bool(a), Self::Bool(b)) => a == b,
            (Self::Int(a), Self::Int(b)) => a == b,
            (Self::Float(a), Self::Float(b)) => a == b,
            (Self::Str(a), Self::Str(b)) => a == b,
            (Self::List(a), Self::List(b)) => a == b,
            (Self::Map(a), Self::Map(b)) => a == b,
            (Self::Expr(a), Self::Expr(b)) => a == b,
            _ => false,
        }
    }
}

impl Operand {
    /// An object from key/value pairs, in the order given.
    pub fn map<K: Into<String>, V: Into<Operand>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        Self::Map(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// A list from items.
    pub fn list<V: Into<Operand>>(items: impl IntoIterator<Item = V>) -> Self {
        Self::List(items.into_iter().map(Into::into).collect())
    }
}

impl From<Intrinsic> for Operand {
    fn from(i: Intrinsic) -> Self {
        Self::Expr(Box::new(i))
    }
}

impl<T> From<Expr<T>> for Operand {
    fn from(e: Expr<T>) -> Self {
        Self::Expr(e.node)
    }
}

impl<T> From<&Expr<T>> for Operand {
    fn from(e: &Expr<T>) -> Self {
        Self::Expr(e.node.clone())
    }
}

impl<T: Into<Operand>> From<Value<T>> for Operand {
    fn from(v: Value<T>) -> Self {
        match v {
            Value::Lit(v) => v.into(),
            Value::Expr(e) => e.into(),
        }
    }
}

impl<T: Into<Operand>> From<Vec<T>> for Operand {
    fn from(items: Vec<T>) -> Self {
        Self::list(items)
    }
}

impl<T: Into<Operand>> From<Option<T>> for Operand {
    fn from(v: Option<T>) -> Self {
        v.map_or(Self::Null, Into::into)
    }
}

impl From<&str> for Operand {
    fn from(s: &str) -> Self {
        Self::Str(s.to_owned())
    }
}

impl From<String> for Operand {
    fn from(s: String) -> Self {
        Self::Str(s)
    }
}

impl From<bool> for Operand {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<f64> for Operand {
    fn from(f: f64) -> Self {
        Self::Float(f)
    }
}

macro_rules! int_operand {
    ($($t:ty),*) => {$(
        impl From<$t> for Operand {
            fn from(v: $t) -> Self {
                Self::Int(i64::from(v))
            }
        }
    )*};
}
int_operand!(i32, i64, u8, u16, u32);

impl From<serde_json::Value> for Operand {
    fn from(v: serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Self::Null,
            serde_json::Value::Bool(b) => Self::Bool(b),
            serde_json::Value::Number(n) => n
                .as_i64()
                .map_or_else(|| Self::Float(n.as_f64().unwrap_or_default()), Self::Int),
            serde_json::Value::String(s) => Self::Str(s),
            serde_json::Value::Array(a) => Self::list(a),
            serde_json::Value::Object(o) => Self::map(o),
        }
    }
}

/// The pseudo parameters CloudFormation defines in every template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PseudoParameter {
    /// `AWS::AccountId`.
    AccountId,
    /// `AWS::Region`.
    Region,
    /// `AWS::Partition`.
    Partition,
    /// `AWS::URLSuffix`.
    UrlSuffix,
    /// `AWS::StackName`.
    StackName,
    /// `AWS::StackId`.
    StackId,
    /// `AWS::NoValue`: removes the property it is assigned to.
    NoValue,
    /// `AWS::NotificationARNs`.
    NotificationArns,
}

impl PseudoParameter {
    /// The name used in `Ref` and in `Fn::Sub` strings.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::AccountId => "AWS::AccountId",
            Self::Region => "AWS::Region",
            Self::Partition => "AWS::Partition",
            Self::UrlSuffix => "AWS::URLSuffix",
            Self::StackName => "AWS::StackName",
            Self::StackId => "AWS::StackId",
            Self::NoValue => "AWS::NoValue",
            Self::NotificationArns => "AWS::NotificationARNs",
        }
    }

    /// Every pseudo parameter.
    pub const ALL: [Self; 8] = [
        Self::AccountId,
        Self::Region,
        Self::Partition,
        Self::UrlSuffix,
        Self::StackName,
        Self::StackId,
        Self::NoValue,
        Self::NotificationArns,
    ];
}

/// Typed constructors for the pseudo parameters.
pub struct Pseudo;

impl Pseudo {
    /// `AWS::AccountId`: the account the stack is deployed to.
    #[must_use]
    pub fn account_id() -> Expr<String> {
        Expr::wrap(Intrinsic::Pseudo(PseudoParameter::AccountId))
    }
    /// `AWS::Region`: the region the stack is deployed to.
    #[must_use]
    pub fn region() -> Expr<String> {
        Expr::wrap(Intrinsic::Pseudo(PseudoParameter::Region))
    }
    /// `AWS::Partition`: `aws`, `aws-cn`, `aws-us-gov`, …
    #[must_use]
    pub fn partition() -> Expr<String> {
        Expr::wrap(Intrinsic::Pseudo(PseudoParameter::Partition))
    }
    /// `AWS::URLSuffix`: usually `amazonaws.com`.
    #[must_use]
    pub fn url_suffix() -> Expr<String> {
        Expr::wrap(Intrinsic::Pseudo(PseudoParameter::UrlSuffix))
    }
    /// `AWS::StackName`.
    #[must_use]
    pub fn stack_name() -> Expr<String> {
        Expr::wrap(Intrinsic::Pseudo(PseudoParameter::StackName))
    }
    /// `AWS::StackId`.
    #[must_use]
    pub fn stack_id() -> Expr<String> {
        Expr::wrap(Intrinsic::Pseudo(PseudoParameter::StackId))
    }
    /// `AWS::NotificationARNs`: the stack's notification topics.
    #[must_use]
    pub fn notification_arns() -> Expr<Vec<String>> {
        Expr::wrap(Intrinsic::Pseudo(PseudoParameter::NotificationArns))
    }
    /// `AWS::NoValue`: assigned to a property (usually inside `Fn::If`), it
    /// removes the property.
    #[must_use]
    pub fn no_value<T>() -> Expr<T> {
        Expr::wrap(Intrinsic::Pseudo(PseudoParameter::NoValue))
    }
}

impl<T> Expr<T> {
    pub(crate) fn wrap(node: Intrinsic) -> Self {
        Self {
            node: Box::new(node),
            _type: PhantomData,
        }
    }

    /// The untyped intrinsic.
    #[must_use]
    pub fn intrinsic(&self) -> &Intrinsic {
        &self.node
    }

    /// Views this expression as one of another type. Use it where
    /// CloudFormation converts for you (a `Number` parameter used where a
    /// string is expected, a `Ref` that yields an ARN, …).
    #[must_use]
    pub fn retype<U>(self) -> Expr<U> {
        Expr {
            node: self.node,
            _type: PhantomData,
        }
    }

    /// `Fn::If`: `then` when `condition` holds, else `otherwise`.
    pub fn if_(
        condition: ConditionRef,
        then: impl Into<Value<T>>,
        otherwise: impl Into<Value<T>>,
    ) -> Self
    where
        T: Into<Operand>,
    {
        Self::wrap(Intrinsic::If(
            condition,
            then.into().into(),
            otherwise.into().into(),
        ))
    }

    /// `Fn::Select`: the item at `index` of a list.
    pub fn select(index: impl Into<Value<i64>>, list: impl Into<Operand>) -> Self {
        Self::wrap(Intrinsic::Select(index.into().into(), list.into()))
    }

    /// The value of `query` in the app's context (`cdk.context.json`),
    /// written into the template as the literal found there; see
    /// [`context`](crate::context). Synth fails with
    /// [`Error::MissingContext`](crate::Error::MissingContext) while the
    /// file has no entry for it.
    #[must_use]
    pub fn from_context(query: ContextQuery) -> Self {
        Self::wrap(Intrinsic::Lookup(Box::new(ContextLookup {
            query,
            item: None,
        })))
    }

    /// The item at `index` (from 0) of the list that `query` has in the
    /// app's context, as [`from_context`](Self::from_context); when the list
    /// is shorter, synth fails naming the element and saying `fix`.
    #[must_use]
    pub fn from_context_item(query: ContextQuery, index: usize, fix: impl Into<String>) -> Self {
        Self::wrap(Intrinsic::Lookup(Box::new(ContextLookup {
            query,
            item: Some((index, fix.into())),
        })))
    }

    /// `Fn::GetStackOutput`: the output `output_name` (its logical ID) of the
    /// deployed stack `stack_name`, in `region` or else the stack's own.
    ///
    /// References between stacks of one app need no explicit call: use the
    /// other stack's handle, and with [`ReferenceStrength::Weak`] synth
    /// publishes the output and writes this function.
    pub fn get_stack_output(
        stack_name: impl Into<Value<String>>,
        output_name: impl Into<Value<String>>,
        region: Option<Value<String>>,
    ) -> Self {
        Self::wrap(Intrinsic::GetStackOutput(
            stack_name.into().into(),
            region.map(Into::into),
            output_name.into().into(),
        ))
    }

    /// This expression, with every reference it makes to another stack of
    /// the app written as `strength` says, whatever the app's and the
    /// stack's setting ([`App::cross_stack_references`](crate::App::cross_stack_references)).
    /// References within the stack are unaffected.
    #[must_use]
    pub fn with_reference_strength(self, strength: ReferenceStrength) -> Self {
        Self::wrap(Intrinsic::WithReferenceStrength(
            strength,
            Operand::Expr(self.node),
        ))
    }

    /// `Fn::ImportValue`: the value another stack exported under `name`.
    ///
    /// References between stacks of one app need no explicit import: use the
    /// other stack's handle and synth creates the export and the import.
    pub fn import_value(name: impl Into<Value<String>>) -> Self {
        Self::wrap(Intrinsic::ImportValue(name.into().into()))
    }
}

impl Expr<String> {
    /// `Fn::Sub` of a template string that names only pseudo parameters
    /// (`${AWS::Region}`) and literals (`${!Literal}`).
    pub fn sub(template: impl Into<String>) -> Self {
        Self::wrap(Intrinsic::Sub(template.into(), BTreeMap::new()))
    }

    /// `Fn::Sub` with variables: every `${Name}` in `template` must be one of
    /// `vars` or a pseudo parameter; synth reports any other name.
    pub fn sub_with<K: Into<String>, V: Into<Value<String>>>(
        template: impl Into<String>,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let vars = vars
            .into_iter()
            .map(|(k, v)| (k.into(), Operand::from(v.into())))
            .collect();
        Self::wrap(Intrinsic::Sub(template.into(), vars))
    }

    /// `Fn::Join` of values with a delimiter.
    pub fn join<V: Into<Value<String>>>(
        delimiter: impl Into<String>,
        items: impl IntoIterator<Item = V>,
    ) -> Self {
        let items = items.into_iter().map(|v| Operand::from(v.into())).collect();
        Self::wrap(Intrinsic::Join(delimiter.into(), Operand::List(items)))
    }

    /// `Fn::Join` of a list-valued expression with a delimiter.
    pub fn join_list(delimiter: impl Into<String>, list: Expr<Vec<String>>) -> Self {
        Self::wrap(Intrinsic::Join(delimiter.into(), list.into()))
    }

    /// `Fn::Base64` of a string (typically EC2 user data).
    pub fn base64(value: impl Into<Value<String>>) -> Self {
        Self::wrap(Intrinsic::Base64(value.into().into()))
    }

    /// `Fn::FindInMap`: the value at `top`/`second` of a mapping.
    pub fn find_in_map(
        mapping: MappingRef,
        top: impl Into<Value<String>>,
        second: impl Into<Value<String>>,
    ) -> Self {
        Self::wrap(Intrinsic::FindInMap(
            mapping,
            top.into().into(),
            second.into().into(),
        ))
    }

    /// `Fn::ToJsonString` of an object or list that may hold intrinsics.
    /// Needs the `AWS::LanguageExtensions` transform on the stack.
    pub fn to_json_string(value: impl Into<Operand>) -> Self {
        Self::wrap(Intrinsic::ToJsonString(value.into()))
    }
}

impl Expr<Vec<String>> {
    /// `Fn::GetAZs` of the stack's own region.
    #[must_use]
    pub fn get_azs() -> Self {
        Self::wrap(Intrinsic::GetAzs(Operand::Str(String::new())))
    }

    /// `Fn::GetAZs` of a region.
    pub fn get_azs_in(region: impl Into<Value<String>>) -> Self {
        Self::wrap(Intrinsic::GetAzs(region.into().into()))
    }

    /// `Fn::Split` of a string on a delimiter.
    pub fn split(delimiter: impl Into<String>, source: impl Into<Value<String>>) -> Self {
        Self::wrap(Intrinsic::Split(delimiter.into(), source.into().into()))
    }

    /// `Fn::Cidr`: `count` CIDR blocks of `cidr_bits` host bits carved from
    /// `ip_block`.
    pub fn cidr(
        ip_block: impl Into<Value<String>>,
        count: impl Into<Value<i64>>,
        cidr_bits: impl Into<Value<i64>>,
    ) -> Self {
        Self::wrap(Intrinsic::Cidr(
            ip_block.into().into(),
            count.into().into(),
            cidr_bits.into().into(),
        ))
    }
}

impl Expr<i64> {
    /// `Fn::Length` of a list. Needs the `AWS::LanguageExtensions` transform.
    pub fn length(list: impl Into<Operand>) -> Self {
        Self::wrap(Intrinsic::Length(list.into()))
    }
}

/// A condition: a boolean expression, used in the `Conditions` section, in
/// `Fn::If` (through the condition's handle) and in rules.
pub type Cond = Expr<bool>;

impl Expr<bool> {
    /// `Fn::Equals` of two values.
    pub fn equals(a: impl Into<Operand>, b: impl Into<Operand>) -> Self {
        Self::wrap(Intrinsic::Equals(a.into(), b.into()))
    }

    /// `Fn::And` of 2 to 10 conditions.
    pub fn and(conditions: impl IntoIterator<Item = Cond>) -> Self {
        Self::wrap(Intrinsic::And(
            conditions.into_iter().map(Operand::from).collect(),
        ))
    }

    /// `Fn::Or` of 2 to 10 conditions.
    pub fn or(conditions: impl IntoIterator<Item = Cond>) -> Self {
        Self::wrap(Intrinsic::Or(
            conditions.into_iter().map(Operand::from).collect(),
        ))
    }

    /// `Condition`: the value of a condition of the `Conditions` section.
    #[must_use]
    pub fn condition(condition: ConditionRef) -> Self {
        Self::wrap(Intrinsic::Condition(condition))
    }

    /// `Fn::Contains` (rules only): whether `list` holds `value`.
    pub fn contains(list: impl Into<Operand>, value: impl Into<Operand>) -> Self {
        Self::wrap(Intrinsic::Contains(list.into(), value.into()))
    }

    /// `Fn::EachMemberEquals` (rules only).
    pub fn each_member_equals(list: impl Into<Operand>, value: impl Into<Operand>) -> Self {
        Self::wrap(Intrinsic::EachMemberEquals(list.into(), value.into()))
    }

    /// `Fn::EachMemberIn` (rules only).
    pub fn each_member_in(list: impl Into<Operand>, allowed: impl Into<Operand>) -> Self {
        Self::wrap(Intrinsic::EachMemberIn(list.into(), allowed.into()))
    }
}

/// `Fn::Not`: `!condition`.
impl std::ops::Not for Expr<bool> {
    type Output = Self;

    fn not(self) -> Self {
        Self::wrap(Intrinsic::Not(self.into()))
    }
}

// The expressions a handle gives, kept with the expressions they build so
// that `handle.rs` needs nothing from this file.

impl ResourceRef {
    /// `Ref` of the resource: what it returns depends on the resource type
    /// (often its name or id, sometimes its ARN).
    #[must_use]
    pub fn reference(self) -> Expr<String> {
        Expr::wrap(Intrinsic::RefResource(self))
    }

    /// `Fn::GetAtt` of one of the resource's attributes, as a string.
    #[must_use]
    pub fn attr(self, name: &str) -> Expr<String> {
        self.attr_as(name)
    }

    /// `Fn::GetAtt` of one of the resource's attributes, with the type the
    /// attribute has (a list of subnet ids, a number, …).
    #[must_use]
    pub fn attr_as<T>(self, name: &str) -> Expr<T> {
        Expr::wrap(Intrinsic::GetAtt(self, name.to_owned()))
    }
}

impl<T> Parameter<T> {
    /// `Ref` of the parameter: the value given at deploy time.
    #[must_use]
    pub fn value(self) -> Expr<T> {
        Expr::wrap(Intrinsic::RefParameter(self.raw))
    }
}

impl ConditionRef {
    /// The condition as a boolean expression (`{"Condition": "Name"}`).
    #[must_use]
    pub fn value(self) -> Expr<bool> {
        Expr::condition(self)
    }
}

impl MappingRef {
    /// `Fn::FindInMap` of a top-level key and a second-level key.
    pub fn find(
        self,
        top: impl Into<crate::Value<String>>,
        second: impl Into<crate::Value<String>>,
    ) -> Expr<String> {
        Expr::find_in_map(self, top, second)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_expressions_convert_into_values() {
        let v: Value<String> = "x".into();
        assert_eq!(v.literal().map(String::as_str), Some("x"));
        let e: Value<String> = Pseudo::region().into();
        assert!(e.literal().is_none());
        let list: Value<Vec<Value<String>>> = ["a", "b"].into();
        assert_eq!(list.literal().map(Vec::len), Some(2));
        let azs: Value<Vec<Value<String>>> = Expr::get_azs().into();
        assert!(matches!(azs, Value::Expr(_)));
    }

    #[test]
    fn function_names_follow_cloudformation() {
        assert_eq!(Expr::get_azs().intrinsic().function_name(), "Fn::GetAZs");
        assert_eq!(Pseudo::region().intrinsic().function_name(), "Ref");
        assert_eq!(
            (!Cond::equals("a", "b")).intrinsic().function_name(),
            "Fn::Not"
        );
    }
}
