//! Fixes for quirks of the vendored schemas, applied to the raw JSON before
//! it is parsed (in the spirit of k8s-openapi's fixups).
//!
//! Each fixup is a named function with its reason. It returns whether it
//! changed anything; one that never applies across a whole run is an error
//! ([`Error::StaleFixup`]), so a fixup dies loudly once upstream fixes the
//! schema.

use serde_json::Value as Json;

use crate::Error;

/// A fixup: the type it applies to, its name, and the edit.
type Fixup = (&'static str, &'static str, fn(&mut Json) -> bool);

/// Every fixup.
const FIXUPS: &[Fixup] = &[];

/// Tracks which fixups applied during one run.
#[derive(Debug, Default)]
pub struct Fixups {
    applied: Vec<&'static str>,
}

impl Fixups {
    /// Applies the fixups of `type_name` to its raw schema.
    pub fn apply(&mut self, type_name: &str, schema: &mut Json) {
        for (ty, name, fix) in FIXUPS {
            if *ty == type_name && fix(schema) {
                self.applied.push(name);
            }
        }
    }

    /// Fails if a fixup never applied.
    ///
    /// # Errors
    /// [`Error::StaleFixup`] naming the first fixup that did nothing.
    pub fn finish(self) -> Result<(), Error> {
        for (ty, name, _) in FIXUPS {
            if !self.applied.contains(name) {
                return Err(Error::StaleFixup {
                    name,
                    reason: format!("nothing to change in {ty}"),
                });
            }
        }
        Ok(())
    }
}
