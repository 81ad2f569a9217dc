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
const FIXUPS: &[Fixup] = &[(
    "AWS::Logs::LogGroup",
    "log_group_python_end_anchor",
    log_group_python_end_anchor,
)];

/// `AWS::Logs::LogGroup`'s `LogGroupName` and `KmsKeyId` patterns end with
/// `\Z`, Python's end-of-input anchor (the schema is checked by Python
/// tooling upstream). JSON Schema patterns are ECMA-262, where `\Z` is not
/// an anchor (`jsonschema` rejects the pattern; the `regex` crate has no
/// `\Z` either). For these single-line values `$` means the same.
/// Upstream: the registry schema of AWS::Logs::LogGroup as bundled in
/// cfn-lint 1.58.0 (`cfnlint/data/schemas/resources/<id>.json`).
fn log_group_python_end_anchor(schema: &mut Json) -> bool {
    let mut changed = false;
    for name in ["LogGroupName", "KmsKeyId"] {
        if let Some(Json::String(p)) = schema.pointer_mut(&format!("/properties/{name}/pattern"))
            && p.ends_with("\\Z")
        {
            p.truncate(p.len() - 2);
            p.push('$');
            changed = true;
        }
    }
    changed
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixup_that_never_applies_is_an_error() {
        let mut fixups = Fixups::default();
        fixups.apply(
            "AWS::Logs::LogGroup",
            &mut serde_json::json!({ "properties": {} }),
        );
        assert!(matches!(
            fixups.finish(),
            Err(Error::StaleFixup {
                name: "log_group_python_end_anchor",
                ..
            })
        ));
    }

    #[test]
    fn the_python_anchor_becomes_a_dollar() {
        let mut schema = serde_json::json!({ "properties": { "LogGroupName": { "pattern": "^[a-z]{1,512}\\Z" } } });
        assert!(log_group_python_end_anchor(&mut schema));
        assert_eq!(
            schema["properties"]["LogGroupName"]["pattern"],
            "^[a-z]{1,512}$"
        );
    }
}
