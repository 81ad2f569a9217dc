//! Values an app looks up in its AWS account once and then keeps, as the AWS
//! CDK keeps them in `cdk.context.json`: same file, same keys, same format,
//! so a CDK project's file works unchanged.
//!
//! A construct that needs such a value (a VPC needs its region's
//! Availability Zones when its stack's environment is concrete) puts an
//! [`Expr::from_context`](crate::Expr::from_context) in its template, naming
//! a [`ContextQuery`]. Synth reads the app's context file and writes the value
//! found there; when the file has no entry, synth fails with
//! [`Error::MissingContext`] listing what is missing. The command line
//! (`ecscdk::cli`, with the `deploy` feature) then looks the entries up in
//! AWS, saves them, and synthesizes again — the CDK CLI's loop, without
//! running the program twice. The engine itself never calls AWS.
//!
//! Keep the file under version control: it pins what synth writes, so a
//! template does not change because AWS answered differently one day (the
//! CDK's advice too).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};

use crate::error::{Error, Result};
use crate::tree::ConstructPath;

/// The name of the context file in the app's folder, as in the CDK.
pub const CONTEXT_FILE: &str = "cdk.context.json";

/// A value to look up: a provider (the kind of lookup, such as
/// `availability-zones`) and its parameters (such as the account and the
/// region), which together make the entry's key.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextQuery {
    provider: String,
    /// Sorted by name, as the key lists them.
    props: Vec<(String, String)>,
    what: String,
    example: Json,
}

impl ContextQuery {
    /// A lookup by `provider` with `props`. `what` says in words what the
    /// value is ("the Availability Zones of account … in region …"), and
    /// `example` is a value of the right shape, shown in the error that asks
    /// for a missing entry.
    pub fn new<K: Into<String>, V: Into<String>>(
        provider: impl Into<String>,
        props: impl IntoIterator<Item = (K, V)>,
        what: impl Into<String>,
        example: Json,
    ) -> Self {
        let mut props: Vec<(String, String)> = props
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        props.sort();
        Self {
            provider: provider.into(),
            props,
            what: what.into(),
            example,
        }
    }

    /// The provider's name.
    #[must_use]
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// The parameters, sorted by name.
    #[must_use]
    pub fn props(&self) -> &[(String, String)] {
        &self.props
    }

    /// The parameter `name`, if given.
    #[must_use]
    pub fn prop(&self, name: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A value of the right shape, shown where the user is asked for one.
    #[must_use]
    pub fn example(&self) -> &Json {
        &self.example
    }

    /// What the value is, in words.
    #[must_use]
    pub fn what(&self) -> &str {
        &self.what
    }

    /// The entry's key, as the CDK forms it (`ContextProvider.getKey`): the
    /// provider, then each parameter as `name=value` in name order, all
    /// joined with `:`, with a `:` in a value written `$:`
    /// (`availability-zones:account=123456789012:region=us-east-1`). The
    /// CDK's code also replaces `$` with the JavaScript replacement string
    /// `"$$"`, which writes a single `$`: `$` stays as it is.
    #[must_use]
    pub fn key(&self) -> String {
        let mut key = self.provider.clone();
        for (name, value) in &self.props {
            key.push(':');
            key.push_str(name);
            key.push('=');
            key.push_str(&value.replace(':', "$:"));
        }
        key
    }
}

/// A value of a [`ContextQuery`] used in a template: the whole value, or
/// the item at an index of a list value.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextLookup {
    pub(crate) query: ContextQuery,
    pub(crate) item: Option<(usize, String)>,
}

/// An entry synth needed and the context file did not have.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingContext {
    /// What to look up.
    pub query: ContextQuery,
    /// The constructs that need it.
    pub paths: Vec<ConstructPath>,
}

/// The entries of an app's context, by key, in the order of the file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContextValues(Map<String, Json>);

impl ContextValues {
    /// No entries.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a context file; a file that does not exist has no entries.
    ///
    /// # Errors
    /// [`Error::Io`] when the file exists but cannot be read;
    /// [`Error::ContextFile`] when it is not a JSON object.
    pub fn load(file: &Path) -> Result<Self> {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::new()),
            Err(source) => {
                return Err(Error::Io {
                    file: file.to_path_buf(),
                    source,
                });
            }
        };
        match serde_json::from_str::<Json>(&text) {
            Ok(Json::Object(map)) => Ok(Self(map)),
            Ok(_) => Err(Error::ContextFile {
                file: file.to_path_buf(),
                reason: "it is not a JSON object of keys and values".to_owned(),
            }),
            Err(e) => Err(Error::ContextFile {
                file: file.to_path_buf(),
                reason: e.to_string(),
            }),
        }
    }

    /// Writes the entries as the CDK CLI does: JSON, two-space indent, a
    /// final newline.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be written.
    pub fn save(&self, file: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(&self.0).map_err(|e| Error::ContextFile {
            file: file.to_path_buf(),
            reason: e.to_string(),
        })?;
        text.push('\n');
        std::fs::write(file, text).map_err(|source| Error::Io {
            file: file.to_path_buf(),
            source,
        })
    }

    /// The value under `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.0.get(key)
    }

    /// Sets `key` (after the existing entries when it is new).
    pub fn set(&mut self, key: impl Into<String>, value: Json) {
        self.0.insert(key.into(), value);
    }

    /// Removes `key`; returns its value.
    pub fn remove(&mut self, key: &str) -> Option<Json> {
        self.0.shift_remove(key)
    }

    /// The entries, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Json)> {
        self.0.iter()
    }

    /// How many entries there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no entry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// These entries, with those of `other` added or replacing.
    #[must_use]
    pub fn merged(mut self, other: &Self) -> Self {
        for (k, v) in other.iter() {
            self.0.insert(k.clone(), v.clone());
        }
        self
    }
}

/// Where an app keeps its context when it does not say: `cdk.context.json`
/// in the package folder of the program when Cargo runs it (`cargo run`,
/// `cargo test` set `CARGO_MANIFEST_DIR`), otherwise in the current
/// folder.
#[must_use]
pub fn default_context_file() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default()
        .join(CONTEXT_FILE)
}

/// The value a lookup resolves to in `values`, `Ok(None)` when the entry is
/// missing, or why the entry does not fit.
pub(crate) fn resolve<'a>(
    values: &'a ContextValues,
    lookup: &ContextLookup,
) -> std::result::Result<Option<&'a Json>, String> {
    let key = lookup.query.key();
    let Some(value) = values.get(&key) else {
        return Ok(None);
    };
    let Some((index, fix)) = &lookup.item else {
        return Ok(Some(value));
    };
    match value {
        Json::Array(items) => items.get(*index).map(Some).ok_or_else(|| {
            format!(
                "needs item {} of the context value `{key}` ({}), which lists {}: {fix}",
                index + 1,
                lookup.query.what,
                items.len()
            )
        }),
        _ => Err(format!(
            "needs a list in the context value `{key}` ({}), and the entry holds {value}; remove the entry (`context --reset`) so that it is looked up again",
            lookup.query.what
        )),
    }
}

/// How many of the constructs that need an entry its error names.
const SHOWN_PATHS: usize = 2;

/// The message of [`Error::MissingContext`].
pub(crate) fn describe_missing(missing: &[MissingContext], file: &Path) -> String {
    let mut text = String::new();
    for entry in missing {
        let mut paths: Vec<&str> = entry
            .paths
            .iter()
            .take(SHOWN_PATHS)
            .map(ConstructPath::as_str)
            .collect();
        let more = entry.paths.len().saturating_sub(SHOWN_PATHS);
        let more = format!("and {more} more");
        if entry.paths.len() > SHOWN_PATHS {
            paths.push(&more);
        }
        let key = entry.query.key();
        text.push_str(&format!(
            "[{}] needs {} (context key `{key}`), and {} has no such entry: run the app's `synth` (or `diff`, `deploy`) with AWS credentials for that account, built with the `deploy` feature, which looks it up and saves it there, or add it by hand: {{\"{key}\": {}}}\n",
            paths.join(", "),
            entry.query.what,
            file.display(),
            entry.query.example
        ));
    }
    text.pop();
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_cdks() {
        let q = ContextQuery::new(
            "availability-zones",
            [("region", "us-east-1"), ("account", "123456789012")],
            "zones",
            Json::Null,
        );
        assert_eq!(
            q.key(),
            "availability-zones:account=123456789012:region=us-east-1"
        );
        let q = ContextQuery::new("p", [("a", "x:y$z")], "", Json::Null);
        assert_eq!(q.key(), "p:a=x$:y$z");
    }
}
