//! The manifest's errors: each names the file, the line and column, and
//! the field path, then says what is wrong and how to fix it.

use std::fmt;
use std::path::PathBuf;

use crate::locate::{FieldPath, Location};

/// Where in a manifest something is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The manifest file, as given.
    pub file: String,
    /// The line and column, when the text could be read that far.
    pub location: Option<Location>,
    /// The field path, such as `stacks.Web.services.Api.desired_count`.
    pub path: FieldPath,
}

/// `file:line:column: path`, as compilers print it.
impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(Location { line, column }) = self.location {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.path)
    }
}

/// Why a manifest could not be read or built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The manifest file could not be read.
    #[error("{}: {source}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A file whose extension names no manifest format.
    #[error("{}: not a manifest format ecscdk reads; name the file .yaml, .yml, .toml or .json", file.display())]
    UnknownFormat {
        /// The file.
        file: PathBuf,
    },
    /// No manifest given and none in the current directory.
    #[error(
        "no manifest given and no ecscdk.yaml, ecscdk.yml, ecscdk.toml or ecscdk.json here; pass one with -f FILE"
    )]
    NoManifest,
    /// Text that is not well-formed, or that does not fit the model: an
    /// unknown field, a missing one, a value of the wrong type.
    #[error("{at}: {message}")]
    Parse {
        /// Where.
        at: Place,
        /// What is wrong, and what would be right.
        message: String,
    },
    /// A manifest that reads well but says something ecscdk cannot build,
    /// such as a reference to a task definition that does not exist.
    #[error("{at}: {message}")]
    Invalid {
        /// Where.
        at: Place,
        /// What is wrong, and the fix.
        message: String,
    },
    /// A builder refused the values: its error names the construct path.
    #[error("{at}: {source}")]
    Build {
        /// Where.
        at: Place,
        /// The builder's error.
        source: Box<ecscdk::Error>,
    },
}

impl Error {
    /// Where in the manifest the error is, for the errors that have a place.
    #[must_use]
    pub fn place(&self) -> Option<&Place> {
        match self {
            Self::Parse { at, .. } | Self::Invalid { at, .. } | Self::Build { at, .. } => Some(at),
            _ => None,
        }
    }
}
