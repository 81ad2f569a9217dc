//! The construct tree: ids, paths and the copyable handles that point into it.
//!
//! Every stack owns an arena of nodes. Node 0 is the stack itself; every other
//! node has a parent and a string id unique among its siblings. A node's path
//! is its stack's id followed by the ids from the stack down, joined with `/`,
//! as in the AWS CDK (`Web/Vpc/PublicSubnet1/Subnet`).

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};

/// Identifies one [`Stack`](crate::Stack) for the life of the process.
///
/// Handles carry it so that a handle used in another stack is recognised as a
/// cross-stack reference. It is an identity only: it never appears in output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StackId(u32);

impl StackId {
    /// A process-unique identity. The counter only hands out fresh numbers;
    /// no output ever depends on its value.
    pub(crate) fn fresh() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        Self(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// A node of the construct tree: the stack itself, a scope, a resource, a
/// parameter, a condition, a mapping, a rule or an output.
///
/// Cheap to copy; it stays valid for the life of its stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    pub(crate) stack: StackId,
    pub(crate) index: u32,
}

impl NodeId {
    /// The stack this node belongs to.
    #[must_use]
    pub fn stack(self) -> StackId {
        self.stack
    }
}

/// A construct path such as `Web/Vpc/PublicSubnet1`: the stack id followed by
/// the ids of the constructs below it. Every error names one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConstructPath(String);

impl ConstructPath {
    /// A path from its text (components joined with `/`), for errors about
    /// things that are not in a stack, such as the app's own settings.
    pub fn new(path: impl Into<String>) -> Self {
        Self(path.into())
    }

    /// The path as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path of a child of this path.
    #[must_use]
    pub fn child(&self, id: &str) -> Self {
        Self(format!("{}/{id}", self.0))
    }
}

impl fmt::Display for ConstructPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a construct id is not acceptable, or `None` when it is.
pub(crate) fn construct_id_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("a construct id must not be empty")
    } else if id.contains('/') {
        Some("a construct id must not contain `/`, which separates path components")
    } else {
        None
    }
}

/// What a node of the tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeKind {
    Stack,
    Scope,
    Resource(u32),
    Parameter(u32),
    Condition(u32),
    Mapping(u32),
    Rule(u32),
    Output(u32),
}

/// One node in a stack's arena.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) id: String,
    pub(crate) parent: Option<u32>,
    pub(crate) children: Vec<u32>,
    pub(crate) kind: NodeKind,
    /// The construct's type name for `tree.json`, e.g. `ecscdk.ecs.Cluster`.
    pub(crate) fqn: Option<&'static str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_without_slash_and_not_empty_are_accepted() {
        assert!(construct_id_problem("Vpc").is_none());
        assert!(construct_id_problem("a b.c-d").is_none());
        assert!(construct_id_problem("").is_some());
        assert!(construct_id_problem("a/b").is_some());
    }
}
