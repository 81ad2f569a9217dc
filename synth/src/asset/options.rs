//! The options of [`fingerprint`](fn@super::fingerprint), as the CDK's
//! `FingerprintOptions` (`core/lib/fs/options.ts`).

/// How symbolic links are treated (the CDK's `SymlinkFollowMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SymlinkFollow {
    /// Never follow: a link is hashed as its link text.
    Never,
    /// Follow every link.
    Always,
    /// Follow links that lead outside the directory; a link inside it is hashed
    /// as its link text. The CDK's default, and what Docker image assets use.
    #[default]
    External,
    /// Follow only links that stay inside the directory (`internal-only`).
    BlockExternal,
}

impl SymlinkFollow {
    /// The CDK's string for the mode, which goes into the hash.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Never => "never",
            Self::Always => "always",
            Self::External => "external",
            Self::BlockExternal => "internal-only",
        }
    }

    /// `shouldFollow` of `core/lib/fs/utils.js`.
    pub(crate) fn follows(self, internal: bool) -> bool {
        match self {
            Self::Always => true,
            Self::External => !internal,
            Self::BlockExternal => internal,
            Self::Never => false,
        }
    }
}

/// How exclude patterns are read (the CDK's `IgnoreMode`). Only the Docker
/// mode, which Docker image assets use, is implemented: the CDK's `glob`
/// (minimatch) and `git` modes are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum IgnoreMode {
    /// `.dockerignore` rules (`@balena/dockerignore`).
    #[default]
    Docker,
}

impl IgnoreMode {
    /// The CDK's string for the mode, which goes into the hash.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Docker => "docker",
        }
    }
}

/// What [`fingerprint`](fn@super::fingerprint) hashes besides the files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FingerprintOptions {
    /// Extra text mixed into the hash (`extraHash`); `None` and `""` hash alike.
    pub extra_hash: Option<String>,
    /// Exclude patterns, in order; later ones win.
    pub exclude: Vec<String>,
    /// How `exclude` is read.
    pub ignore_mode: IgnoreMode,
    /// How symbolic links are treated.
    pub follow: SymlinkFollow,
}
