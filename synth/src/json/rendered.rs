//! How a [`Render`] value reaches the template writer without type erasure.
//!
//! An [`Operand::Rendered`](crate::Operand::Rendered) value sits behind a
//! trait object, so serde can only reach it through `erased_serde`: a
//! virtual call for every key, string and compound of the value. An IAM
//! policy document took about 4,000 instructions that way, and the scale
//! app writes two or three per service.
//!
//! The operand instead hands its value to the serializer as a newtype
//! struct under a reserved name ([`RENDERED`]), leaving the value itself in
//! a per-thread slot. The template writer knows the name: it takes the
//! value from the slot and writes it with code compiled for itself
//! ([`WriteTemplate`]). Any other serializer sees an ordinary newtype
//! struct and serializes the wrapped value, which empties the slot and
//! goes through `erased_serde` as before. Either way the slot is empty
//! again before the value's own fields are written, so a rendered value
//! inside another one finds the slot as it expects.

use std::cell::Cell;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::expr::Render;

/// The newtype struct name that marks a rendered value. No Rust type can
/// have it, so no other value is mistaken for one.
pub(crate) const RENDERED: &str = "$ecscdk::Rendered";

thread_local! {
    /// The rendered value being handed to the serializer, between
    /// [`serialize_rendered`] and whoever takes it.
    static PENDING: Cell<Option<Arc<dyn Render>>> = const { Cell::new(None) };
}

/// Writes a value in the template layout with code compiled for the
/// template writer. Implemented for every `Serialize` type, so every
/// [`Render`] value has it; not meant to be implemented or called outside
/// this crate.
#[doc(hidden)]
pub trait WriteTemplate {
    /// Writes `self` as it would appear `indent` levels deep in a template.
    ///
    /// # Errors
    /// The value's own serialization errors.
    fn write_template(&self, out: &mut Vec<u8>, indent: usize) -> serde_json::Result<()>;
}

impl<T: Serialize> WriteTemplate for T {
    fn write_template(&self, out: &mut Vec<u8>, indent: usize) -> serde_json::Result<()> {
        super::write_at(out, indent, self)
    }
}

/// Serializes a rendered operand's value into `s`; see the module.
pub(crate) fn serialize_rendered<S: Serializer>(
    value: &Arc<dyn Render>,
    s: S,
) -> Result<S::Ok, S::Error> {
    PENDING.with(|slot| slot.set(Some(Arc::clone(value))));
    s.serialize_newtype_struct(RENDERED, &Erased(value))
}

/// The value taken back from the slot, when the serializer is the template
/// writer and `name` is [`RENDERED`].
pub(super) fn take_pending(name: &str) -> Option<Arc<dyn Render>> {
    if name == RENDERED {
        PENDING.with(Cell::take)
    } else {
        None
    }
}

/// What a serializer other than the template writer serializes: the value
/// through `erased_serde`, after emptying the slot.
struct Erased<'a>(&'a Arc<dyn Render>);

impl Serialize for Erased<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        PENDING.with(Cell::take);
        (**self.0).serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use serde::ser::SerializeMap as _;

    use super::*;
    use crate::Operand;

    thread_local! {
        /// The serializer types that wrote a [`Doc`], in order.
        static WRITERS: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    }

    /// A rendered value that records which serializer wrote it, with an
    /// optional operand inside (which may be rendered too).
    #[derive(Debug)]
    struct Doc {
        name: &'static str,
        inner: Option<Operand>,
    }

    impl Serialize for Doc {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            WRITERS.with(|w| w.borrow_mut().push(std::any::type_name::<S>()));
            let mut map = s.serialize_map(None)?;
            map.serialize_entry("Name", self.name)?;
            if let Some(inner) = &self.inner {
                map.serialize_entry("Inner", inner)?;
            }
            map.end()
        }
    }

    impl Render for Doc {
        fn to_operand(&self) -> Operand {
            let mut map = indexmap::IndexMap::new();
            map.insert("Name".to_owned(), Operand::Str(self.name.to_owned()));
            if let Some(inner) = &self.inner {
                let inner = match inner {
                    Operand::Rendered(r) => r.to_operand(),
                    other => other.clone(),
                };
                map.insert("Inner".to_owned(), inner);
            }
            Operand::Map(map)
        }
    }

    /// A list holding a rendered document that holds another one, and the
    /// same list as a plain operand tree.
    fn nested() -> (Operand, Operand) {
        let inner = Doc {
            name: "inner\u{1}",
            inner: Some(Operand::List(vec![Operand::Int(1), Operand::Null])),
        };
        let outer = Doc {
            name: "a \"quoted\"\tname",
            inner: Some(Operand::rendered(inner)),
        };
        let tree = Operand::List(vec![outer.to_operand(), Operand::Str("after".to_owned())]);
        let rendered = Operand::List(vec![
            Operand::rendered(outer),
            Operand::Str("after".to_owned()),
        ]);
        (rendered, tree)
    }

    fn writers() -> Vec<&'static str> {
        WRITERS.with(|w| std::mem::take(&mut *w.borrow_mut()))
    }

    fn slot_is_empty() -> bool {
        PENDING.with(|slot| {
            let pending = slot.take();
            let empty = pending.is_none();
            slot.set(pending);
            empty
        })
    }

    #[test]
    fn the_template_writer_writes_rendered_values_with_its_own_code() {
        let (rendered, tree) = nested();
        writers();
        let mut written = Vec::new();
        super::super::write_at(&mut written, 2, &rendered).unwrap();
        let mut expected = Vec::new();
        super::super::write_at(&mut expected, 2, &tree).unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            String::from_utf8(expected).unwrap()
        );
        let seen = writers();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(seen.iter().all(|w| w.contains("JsonWriter")), "{seen:?}");
        assert!(slot_is_empty());
    }

    #[test]
    fn other_serializers_get_rendered_values_through_erasure() {
        let (rendered, tree) = nested();
        writers();
        assert_eq!(
            serde_json::to_value(&rendered).unwrap(),
            serde_json::to_value(&tree).unwrap()
        );
        let seen = writers();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(seen.iter().all(|w| !w.contains("JsonWriter")), "{seen:?}");
        assert!(slot_is_empty());
        // And the template layout through serde_json's own writer.
        let mut written = Vec::new();
        super::super::write_at(&mut written, 0, &rendered).unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            super::super::tests::serde_json_pretty(&tree)
        );
        assert!(slot_is_empty());
    }
}
