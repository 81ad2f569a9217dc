//! A fast hasher for the engine's own lookup maps.
//!
//! Their keys are construct ids and stack identities that the program itself
//! chose, so the standard library's SipHash (built to resist adversarial
//! keys) only costs time: it was about 4% of synth's instructions. These
//! maps use the multiply-and-rotate hash rustc uses for its own maps
//! (FxHash, from the `rustc-hash` crate). No output depends on it: these
//! maps are only looked up, never iterated.

use std::hash::BuildHasher;

use crate::tree::Node;

/// A `HashMap` hashed with FxHash.
pub(crate) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// A stack's nodes by parent and id, without a copy of the id: each slot
/// holds a node's index and the hash of its (parent, id), compared against
/// the node itself on a match. A key of the parent and an owned id cost an
/// allocation per node, and growing the table re-hashed every id; growing
/// this one moves 16-byte slots and reads no string.
#[derive(Debug, Default)]
pub(crate) struct Children {
    slots: hashbrown::HashTable<ChildSlot>,
}

#[derive(Debug, Clone, Copy)]
struct ChildSlot {
    hash: u64,
    index: u32,
}

fn child_hash(parent: u32, id: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one((parent, id))
}

impl Children {
    /// The index of the child `id` of node `parent`, looked up in `nodes`.
    pub(crate) fn find(&self, nodes: &[Node], parent: u32, id: &str) -> Option<u32> {
        self.slots
            .find(child_hash(parent, id), |slot| {
                nodes
                    .get(slot.index as usize)
                    .is_some_and(|n| n.parent == Some(parent) && n.id == id)
            })
            .map(|slot| slot.index)
    }

    /// Records node `index`, the child `id` of `parent`, which
    /// [`find`](Self::find) has not found.
    pub(crate) fn insert(&mut self, parent: u32, id: &str, index: u32) {
        let hash = child_hash(parent, id);
        self.slots
            .insert_unique(hash, ChildSlot { hash, index }, |slot| slot.hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn children_are_found_by_parent_and_id_only() {
        let mut nodes = Vec::new();
        let mut children = Children::default();
        for i in 0..2000u32 {
            let (parent, id) = (i % 7, format!("Service{}", i / 7));
            assert_eq!(children.find(&nodes, parent, &id), None);
            nodes.push(Node {
                id: id.clone(),
                parent: Some(parent),
                children: Vec::new(),
                kind: crate::tree::NodeKind::Scope,
                fqn: None,
            });
            children.insert(parent, &id, i);
        }
        assert_eq!(children.find(&nodes, 3, "Service1"), Some(10));
        assert_eq!(children.find(&nodes, 4, "Service1"), Some(11));
        assert_eq!(children.find(&nodes, 3, "Service1\0"), None);
        assert_eq!(children.find(&nodes, 9, "Service1"), None);
        for (i, node) in nodes.iter().enumerate() {
            let parent = node.parent.unwrap_or_default();
            assert_eq!(children.find(&nodes, parent, &node.id), Some(i as u32));
        }
    }

    #[test]
    fn maps_find_what_they_hold() {
        let mut map: FastMap<(u32, String), u32> = FastMap::default();
        for i in 0..1000u32 {
            map.insert((i % 7, format!("Service{i}")), i);
        }
        assert_eq!(map.len(), 1000);
        assert_eq!(map.get(&(3, "Service10".to_owned())), Some(&10));
        assert_eq!(map.get(&(4, "Service10".to_owned())), None);
        // Strings that differ only after the first eight bytes, or in length.
        assert_ne!(
            map.hasher().hash_one("ServiceA1"),
            map.hasher().hash_one("ServiceA2")
        );
        assert_ne!(map.hasher().hash_one("ab"), map.hasher().hash_one("ab\0"));
    }
}
