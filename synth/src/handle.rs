//! Copyable handles to the elements of a stack.
//!
//! Adding a resource, parameter, condition or mapping to a [`Stack`](crate::Stack)
//! returns a handle. Handles are `Copy`; expressions are taken from them
//! (`bucket.reference()`, `bucket.attr("Arn")`, `env.value()`, defined in
//! `expr.rs` beside the expressions they build), and synth resolves them to
//! logical IDs, or to an export and an import when the expression is used in
//! another stack.

use std::marker::PhantomData;

use crate::tree::{NodeId, StackId};

/// A resource in some stack. Generated L1 types wrap it in a typed handle
/// with one accessor per attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceRef {
    pub(crate) node: NodeId,
}

impl ResourceRef {
    /// The resource's node in the construct tree.
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The stack the resource belongs to.
    #[must_use]
    pub fn stack(self) -> StackId {
        self.node.stack
    }
}

/// A parameter of some stack, whose value has type `T` (`String`, `f64`,
/// `Vec<String>`).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Parameter<T> {
    pub(crate) raw: ParameterRef,
    pub(crate) _type: PhantomData<fn() -> T>,
}

impl<T> Clone for Parameter<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Parameter<T> {}

impl<T> Parameter<T> {
    /// The untyped handle.
    #[must_use]
    pub fn untyped(self) -> ParameterRef {
        self.raw
    }
}

/// A parameter without its value type; see [`Parameter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParameterRef {
    pub(crate) node: NodeId,
    pub(crate) index: u32,
}

/// A condition of the `Conditions` section of some stack; use it in
/// [`Expr::if_`](crate::Expr::if_), on a resource or on an output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConditionRef {
    pub(crate) node: NodeId,
    pub(crate) index: u32,
}

/// A mapping of the `Mappings` section of some stack; read it with
/// [`MappingRef::find`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MappingRef {
    pub(crate) node: NodeId,
    pub(crate) index: u32,
}

/// An output of some stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OutputRef {
    pub(crate) node: NodeId,
    pub(crate) index: u32,
}
