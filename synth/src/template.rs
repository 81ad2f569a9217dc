//! The template sections besides `Resources`: parameters, mappings, rules
//! and outputs, as the user describes them.

use std::marker::PhantomData;

use indexmap::IndexMap;

use crate::expr::{Cond, Operand, Value};
use crate::handle::ConditionRef;

/// A template parameter's declaration: its type and constraints. The type
/// parameter `T` is the type of the value a `Ref` of it yields.
///
/// ```
/// use ecscdk_synth::prelude::*;
/// let env = ParameterSpec::string().default("dev").allowed_values(["dev", "prod"]);
/// # let _ = env;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterSpec<T> {
    pub(crate) decl: ParameterDecl,
    _type: PhantomData<fn() -> T>,
}

/// The untyped declaration behind a [`ParameterSpec`].
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ParameterDecl {
    pub(crate) type_name: String,
    pub(crate) description: Option<String>,
    pub(crate) default: Option<Operand>,
    pub(crate) allowed_values: Vec<Operand>,
    pub(crate) allowed_pattern: Option<String>,
    pub(crate) constraint_description: Option<String>,
    pub(crate) min_length: Option<u32>,
    pub(crate) max_length: Option<u32>,
    pub(crate) min_value: Option<f64>,
    pub(crate) max_value: Option<f64>,
    pub(crate) no_echo: bool,
}

impl<T> ParameterSpec<T> {
    fn of_type(type_name: &str) -> Self {
        Self {
            decl: ParameterDecl {
                type_name: type_name.to_owned(),
                ..ParameterDecl::default()
            },
            _type: PhantomData,
        }
    }

    /// `Description`, shown by the console and the CLI.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.decl.description = Some(text.into());
        self
    }

    /// `ConstraintDescription`: the message shown when a value breaks a
    /// constraint.
    #[must_use]
    pub fn constraint_description(mut self, text: impl Into<String>) -> Self {
        self.decl.constraint_description = Some(text.into());
        self
    }

    /// `NoEcho`: mask the value in the console, the CLI and the API.
    #[must_use]
    pub fn no_echo(mut self) -> Self {
        self.decl.no_echo = true;
        self
    }
}

impl ParameterSpec<String> {
    /// A `String` parameter.
    #[must_use]
    pub fn string() -> Self {
        Self::of_type("String")
    }

    /// A parameter of an AWS-specific type whose value is one string, e.g.
    /// `AWS::EC2::VPC::Id`, `AWS::EC2::KeyPair::KeyName` or
    /// `AWS::SSM::Parameter::Value<String>`. CloudFormation checks the type.
    #[must_use]
    pub fn aws_type(type_name: &str) -> Self {
        Self::of_type(type_name)
    }

    /// `Default`.
    #[must_use]
    pub fn default(mut self, value: impl Into<String>) -> Self {
        self.decl.default = Some(Operand::Str(value.into()));
        self
    }

    /// `AllowedValues`.
    #[must_use]
    pub fn allowed_values<V: Into<String>>(mut self, values: impl IntoIterator<Item = V>) -> Self {
        self.decl.allowed_values = values.into_iter().map(|v| Operand::Str(v.into())).collect();
        self
    }

    /// `AllowedPattern`: a Java regular expression the value must match.
    #[must_use]
    pub fn allowed_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.decl.allowed_pattern = Some(pattern.into());
        self
    }

    /// `MinLength`.
    #[must_use]
    pub fn min_length(mut self, n: u32) -> Self {
        self.decl.min_length = Some(n);
        self
    }

    /// `MaxLength`.
    #[must_use]
    pub fn max_length(mut self, n: u32) -> Self {
        self.decl.max_length = Some(n);
        self
    }
}

impl ParameterSpec<f64> {
    /// A `Number` parameter.
    #[must_use]
    pub fn number() -> Self {
        Self::of_type("Number")
    }

    /// `Default`.
    #[must_use]
    pub fn default(mut self, value: f64) -> Self {
        self.decl.default = Some(number_operand(value));
        self
    }

    /// `AllowedValues`.
    #[must_use]
    pub fn allowed_values(mut self, values: impl IntoIterator<Item = f64>) -> Self {
        self.decl.allowed_values = values.into_iter().map(number_operand).collect();
        self
    }

    /// `MinValue`.
    #[must_use]
    pub fn min_value(mut self, n: f64) -> Self {
        self.decl.min_value = Some(n);
        self
    }

    /// `MaxValue`.
    #[must_use]
    pub fn max_value(mut self, n: f64) -> Self {
        self.decl.max_value = Some(n);
        self
    }
}

impl ParameterSpec<Vec<String>> {
    /// A `CommaDelimitedList` parameter.
    #[must_use]
    pub fn comma_delimited_list() -> Self {
        Self::of_type("CommaDelimitedList")
    }

    /// A `List<Number>` parameter.
    #[must_use]
    pub fn number_list() -> Self {
        Self::of_type("List<Number>")
    }

    /// A list parameter of an AWS-specific type, e.g.
    /// `List<AWS::EC2::Subnet::Id>`.
    #[must_use]
    pub fn aws_list_type(type_name: &str) -> Self {
        Self::of_type(type_name)
    }

    /// `Default`, as the comma-separated text CloudFormation expects.
    #[must_use]
    pub fn default(mut self, value: impl Into<String>) -> Self {
        self.decl.default = Some(Operand::Str(value.into()));
        self
    }
}

/// Writes whole numbers without a fraction (`3`, not `3.0`).
fn number_operand(n: f64) -> Operand {
    // Exact conversion check: only whole numbers in i64's range become Int.
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Operand::Int(n as i64)
    } else {
        Operand::Float(n)
    }
}

/// A stack output: a value shown after deploy, optionally exported for other
/// stacks (`Fn::ImportValue`).
///
/// ```
/// use ecscdk_synth::prelude::*;
/// let out = Output::new(Pseudo::region()).description("Where it runs");
/// # let _ = out;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub(crate) value: Operand,
    pub(crate) description: Option<String>,
    pub(crate) export_name: Option<Value<String>>,
    pub(crate) condition: Option<ConditionRef>,
}

impl Output {
    /// An output with this value.
    pub fn new(value: impl Into<Value<String>>) -> Self {
        Self {
            value: value.into().into(),
            description: None,
            export_name: None,
            condition: None,
        }
    }

    /// `Description` (at most 1,024 bytes).
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// `Export.Name`: other stacks in the account and region can import the
    /// value under this name.
    #[must_use]
    pub fn export_name(mut self, name: impl Into<Value<String>>) -> Self {
        self.export_name = Some(name.into());
        self
    }

    /// `Condition`: the output exists only when the condition holds.
    #[must_use]
    pub fn condition(mut self, condition: ConditionRef) -> Self {
        self.condition = Some(condition);
        self
    }
}

impl<T: Into<Value<String>>> From<T> for Output {
    fn from(value: T) -> Self {
        Self::new(value)
    }
}

/// A mapping of the `Mappings` section: top-level keys to second-level keys
/// to values, read with `Fn::FindInMap`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mapping {
    pub(crate) entries: IndexMap<String, IndexMap<String, Operand>>,
}

impl Mapping {
    /// An empty mapping.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a top-level key with its second-level keys and values.
    #[must_use]
    pub fn entry<K: Into<String>, V: Into<Operand>>(
        mut self,
        top: impl Into<String>,
        values: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let inner = values
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self.entries.insert(top.into(), inner);
        self
    }
}

/// A rule of the `Rules` section: assertions on parameter values that
/// CloudFormation checks before it creates or updates anything.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rule {
    pub(crate) condition: Option<Operand>,
    pub(crate) assertions: Vec<(Operand, Option<String>)>,
}

impl Rule {
    /// A rule with no condition (it always applies) and no assertions yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// `RuleCondition`: the rule applies only when this holds.
    #[must_use]
    pub fn when(mut self, condition: Cond) -> Self {
        self.condition = Some(condition.into());
        self
    }

    /// Adds an assertion with the message shown when it fails.
    #[must_use]
    pub fn assert(mut self, assertion: Cond, description: impl Into<String>) -> Self {
        self.assertions
            .push((assertion.into(), Some(description.into())));
        self
    }
}
