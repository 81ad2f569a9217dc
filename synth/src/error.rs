//! The one error type of ecscdk.
//!
//! Every variant names the construct path (or the stack) it is about and says
//! what to do. The L2 constructs use the same type, through the generic
//! variants [`Error::InvalidProperty`], [`Error::Conflict`],
//! [`Error::Unsupported`] and [`Error::Missing`], so a user's `main` handles
//! a single `Result`.

use std::fmt;
use std::path::PathBuf;

use crate::tree::ConstructPath;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, where, and how to fix it.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A construct id that is empty or contains `/`.
    #[error("[{path}] invalid construct id {id:?}: {reason}")]
    InvalidId {
        /// The path of the construct's parent.
        path: ConstructPath,
        /// The id that was given.
        id: String,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// Two siblings with the same id.
    #[error(
        "[{path}] a construct with this id already exists under its parent; give one of them another id"
    )]
    DuplicateId {
        /// The path both constructs would have.
        path: ConstructPath,
    },
    /// A handle of one stack passed where a node of another stack is needed.
    #[error(
        "[{path}] {what} belongs to another stack; create it in this stack, or reference it through an expression (which becomes an export and an import)"
    )]
    ForeignHandle {
        /// The path of the construct that received the handle.
        path: ConstructPath,
        /// What the handle is.
        what: &'static str,
    },
    /// A handle that does not point at the kind of element expected.
    #[error("[{path}] the handle does not point at {expected} of this stack")]
    WrongHandle {
        /// The stack's path.
        path: ConstructPath,
        /// What was expected.
        expected: &'static str,
    },
    /// Two stacks with the same id or the same CloudFormation name in one app.
    #[error(
        "[{path}] a stack with this {what} is already in the app; stack ids and names must be unique"
    )]
    DuplicateStack {
        /// The stack's path (its id).
        path: ConstructPath,
        /// `id` or `name`.
        what: &'static str,
    },
    /// A stack name CloudFormation would reject.
    #[error(
        "[{path}] invalid stack name {name:?}: a stack name starts with a letter and holds only letters, digits and `-`, at most 128 characters"
    )]
    InvalidStackName {
        /// The stack's path.
        path: ConstructPath,
        /// The name given.
        name: String,
    },
    /// An environment (account or region) that is not well-formed.
    #[error("[{path}] invalid environment: {reason}")]
    InvalidEnvironment {
        /// The stack's path.
        path: ConstructPath,
        /// What is wrong.
        reason: String,
    },
    /// A logical ID CloudFormation would reject, computed or overridden.
    #[error(
        "[{path}] invalid logical ID {id:?}: {reason}; rename the construct or override its logical ID"
    )]
    InvalidLogicalId {
        /// The element's path.
        path: ConstructPath,
        /// The logical ID.
        id: String,
        /// Why it is rejected.
        reason: String,
    },
    /// Two elements of one template section that end up with one logical ID.
    #[error(
        "[{second}] logical ID {id:?} is already used by {first} in the same stack; rename one construct or override its logical ID"
    )]
    DuplicateLogicalId {
        /// The logical ID.
        id: String,
        /// The element that took it first.
        first: ConstructPath,
        /// The element that clashed.
        second: ConstructPath,
    },
    /// A value built outside any construct (e.g. a task size) that the
    /// service would reject; `what` names the function that refused it.
    #[error("{what}: {reason}")]
    InvalidValue {
        /// The function that refused the value (`FargateSize::new`).
        what: &'static str,
        /// What is wrong and what to do.
        reason: String,
    },
    /// A property value that CloudFormation or the service would reject.
    #[error("[{path}] {property}: {reason}")]
    InvalidProperty {
        /// The construct's path.
        path: ConstructPath,
        /// The property, as a JSON pointer below the resource (`/Properties/Cpu`)
        /// or as the builder setter's name.
        property: String,
        /// What is wrong and what to do.
        reason: String,
    },
    /// Two settings that cannot be combined. ([`Error::Unsupported`] is for
    /// a setting its construct's situation rules out.)
    #[error("[{path}] `{first}` conflicts with `{second}`: {fix}")]
    Conflict {
        /// The construct's path.
        path: ConstructPath,
        /// One setting (a builder's setter or method).
        first: &'static str,
        /// The other, or the value of a setting (`ScheduleTrigger::EventsRule`).
        second: &'static str,
        /// What to do.
        fix: &'static str,
    },
    /// A setting that the construct's situation rules out: a kind of load
    /// balancer, protocol or network mode that does not offer it, an
    /// imported construct, a construct of another stack. ([`Error::Conflict`]
    /// is for two settings given together.)
    #[error("[{path}] `{setting}` cannot be used {situation}: {fix}")]
    Unsupported {
        /// The construct's path.
        path: ConstructPath,
        /// The setting (a builder's setter or method).
        setting: &'static str,
        /// What rules it out, worded to follow "cannot be used" (e.g.
        /// "without a certificate", "on a network load balancer").
        situation: &'static str,
        /// What to do.
        fix: &'static str,
    },
    /// A required setting that was never given.
    #[error("[{path}] `{what}` is required: {fix}")]
    Missing {
        /// The construct's path.
        path: ConstructPath,
        /// The missing setting.
        what: &'static str,
        /// What to do.
        fix: &'static str,
    },
    /// Values looked up in AWS that the app's context file does not have yet.
    #[error("{}", crate::context::describe_missing(missing, file))]
    MissingContext {
        /// What is missing, and which constructs need it.
        missing: Vec<crate::context::MissingContext>,
        /// The context file read.
        file: PathBuf,
    },
    /// A context file that is not a JSON object.
    #[error("context file {}: {reason}; fix the JSON, or delete the file to look every value up again", file.display())]
    ContextFile {
        /// The file.
        file: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// An expression that cannot be resolved in the place it is used.
    #[error("[{path}] {reason}")]
    Unresolvable {
        /// The path of the element using the expression.
        path: ConstructPath,
        /// What cannot be resolved and what to do.
        reason: String,
    },
    /// A property override whose path cannot be applied.
    #[error("[{path}] cannot apply override {override_path:?}: {reason}")]
    InvalidOverride {
        /// The resource's path.
        path: ConstructPath,
        /// The dotted override path.
        override_path: String,
        /// Why.
        reason: &'static str,
    },
    /// Stacks that depend on each other in a circle.
    #[error(
        "stacks depend on each other in a cycle: {cycle}; {reason}. Move the shared resources into one stack or into a third stack both use"
    )]
    DependencyCycle {
        /// The stacks of the cycle, `A -> B -> A`.
        cycle: String,
        /// Each edge of the cycle and the reference or explicit dependency
        /// that makes it.
        reason: String,
    },
    /// A limit CloudFormation enforces on a template.
    #[error("[{path}] {what}: {actual} exceeds CloudFormation's limit of {limit}; {fix}")]
    LimitExceeded {
        /// The stack or element's path.
        path: ConstructPath,
        /// What is counted.
        what: &'static str,
        /// The limit.
        limit: usize,
        /// The count found.
        actual: usize,
        /// What to do.
        fix: &'static str,
    },
    /// Two exports with one name in one app (CloudFormation rejects the
    /// second at deploy).
    #[error(
        "[{second}] export name {name:?} is already exported by {first}; export names must be unique per account and region"
    )]
    DuplicateExportName {
        /// The export name.
        name: String,
        /// The output exporting it first.
        first: ConstructPath,
        /// The output exporting it again.
        second: ConstructPath,
    },
    /// A Docker image asset whose build context cannot be used.
    #[error("[{path}] {source}")]
    Asset {
        /// The asset's construct path.
        path: ConstructPath,
        /// What is wrong with the build context, and the fix.
        #[source]
        source: crate::asset::AssetError,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", file.display())]
    Io {
        /// The file or folder.
        file: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A template could not be serialized.
    #[error("[{path}] cannot serialize: {message}")]
    Serialize {
        /// The stack's path.
        path: ConstructPath,
        /// The serializer's message.
        message: String,
    },
    /// Several problems, found together at synth; printed one per line.
    #[error("{}", Multi(.0))]
    Many(Vec<Error>),
}

struct Multi<'a>(&'a [Error]);

impl fmt::Display for Multi<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Shows the variant, then the message (`Conflict: [Web/Lb] …`; each
/// problem of [`Error::Many`] on a line of its own), so that a failed
/// `unwrap` or test says which error it got, and `fn main() ->
/// ecscdk::Result<()>` still prints something a person can read.
impl Error {
    /// The context entries synth needed and did not find, when this error
    /// is [`Error::MissingContext`] or holds one ([`Error::Many`]).
    #[must_use]
    pub fn missing_context(&self) -> Option<(&[crate::context::MissingContext], &std::path::Path)> {
        match self {
            Self::MissingContext { missing, file } => Some((missing, file)),
            Self::Many(errors) => errors.iter().find_map(Self::missing_context),
            _ => None,
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Many(all) => {
                write!(f, "Many ({} problems):", all.len())?;
                for e in all {
                    write!(f, "\n{e:?}")?;
                }
                Ok(())
            }
            other => write!(f, "{}: {other}", other.variant()),
        }
    }
}

impl Error {
    /// The variant's name, as its `Debug` shows it.
    fn variant(&self) -> &'static str {
        match self {
            Self::InvalidId { .. } => "InvalidId",
            Self::DuplicateId { .. } => "DuplicateId",
            Self::ForeignHandle { .. } => "ForeignHandle",
            Self::WrongHandle { .. } => "WrongHandle",
            Self::DuplicateStack { .. } => "DuplicateStack",
            Self::InvalidStackName { .. } => "InvalidStackName",
            Self::InvalidEnvironment { .. } => "InvalidEnvironment",
            Self::InvalidLogicalId { .. } => "InvalidLogicalId",
            Self::DuplicateLogicalId { .. } => "DuplicateLogicalId",
            Self::InvalidValue { .. } => "InvalidValue",
            Self::InvalidProperty { .. } => "InvalidProperty",
            Self::Conflict { .. } => "Conflict",
            Self::Unsupported { .. } => "Unsupported",
            Self::Missing { .. } => "Missing",
            Self::Unresolvable { .. } => "Unresolvable",
            Self::MissingContext { .. } => "MissingContext",
            Self::ContextFile { .. } => "ContextFile",
            Self::InvalidOverride { .. } => "InvalidOverride",
            Self::DependencyCycle { .. } => "DependencyCycle",
            Self::LimitExceeded { .. } => "LimitExceeded",
            Self::DuplicateExportName { .. } => "DuplicateExportName",
            Self::Asset { .. } => "Asset",
            Self::Io { .. } => "Io",
            Self::Serialize { .. } => "Serialize",
            Self::Many(_) => "Many",
        }
    }

    /// The individual problems: the members of [`Error::Many`], or the error
    /// itself.
    #[must_use]
    pub fn problems(&self) -> &[Error] {
        match self {
            Self::Many(all) => all,
            other => std::slice::from_ref(other),
        }
    }

    /// One error from a list: the single one, or [`Error::Many`].
    ///
    /// Returns `None` for an empty list.
    #[must_use]
    pub fn from_list(mut errors: Vec<Error>) -> Option<Self> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(Self::Many(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_names_the_variant_before_the_message() {
        let conflict = Error::Conflict {
            path: ConstructPath::new("Web/Lb"),
            first: "idle_timeout",
            second: "cross_zone",
            fix: "drop one",
        };
        assert_eq!(
            format!("{conflict:?}"),
            "Conflict: [Web/Lb] `idle_timeout` conflicts with `cross_zone`: drop one"
        );
        let unsupported = Error::Unsupported {
            path: ConstructPath::new("Web/Lb"),
            setting: "idle_timeout",
            situation: "on a network load balancer",
            fix: "drop it",
        };
        assert_eq!(
            unsupported.to_string(),
            "[Web/Lb] `idle_timeout` cannot be used on a network load balancer: drop it"
        );
        let many = Error::Many(vec![conflict, unsupported]);
        assert_eq!(
            format!("{many:?}"),
            "Many (2 problems):\nConflict: [Web/Lb] `idle_timeout` conflicts with `cross_zone`: drop one\nUnsupported: [Web/Lb] `idle_timeout` cannot be used on a network load balancer: drop it"
        );
    }
}
