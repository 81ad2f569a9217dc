//! A fast hasher for the engine's own lookup maps.
//!
//! Their keys are construct ids and stack identities that the program itself
//! chose, so the standard library's SipHash (built to resist adversarial
//! keys) only costs time: it was a tenth of synth's instructions. This is
//! the multiply-and-rotate hash rustc uses for its own maps (FxHash). No
//! output depends on it: these maps are only looked up, never iterated.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` hashed with [`FxHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// FxHash: each word is mixed in with a rotate, an xor and a multiply.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        // The tail in pieces of 4, 2 and 1 bytes, so that its length counts
        // (`ab` and `ab\0` hash apart).
        let mut rest = chunks.remainder();
        for size in [4, 2, 1] {
            if rest.len() >= size {
                let (piece, tail) = rest.split_at(size);
                let mut word = [0u8; 8];
                if let Some(head) = word.get_mut(..size) {
                    head.copy_from_slice(piece);
                }
                self.add(u64::from_le_bytes(word));
                rest = tail;
            }
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

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
