//! A fast hasher for the engine's own lookup maps.
//!
//! Their keys are construct ids and stack identities that the program itself
//! chose, so the standard library's SipHash (built to resist adversarial
//! keys) only costs time: it was about 4% of synth's instructions. These
//! maps use the multiply-and-rotate hash rustc uses for its own maps
//! (FxHash, from the `rustc-hash` crate). No output depends on it: these
//! maps are only looked up, never iterated.

/// A `HashMap` hashed with FxHash.
pub(crate) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

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
