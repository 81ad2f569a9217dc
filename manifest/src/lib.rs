//! ecscdk's declarative front-end: the same model as the Rust builders,
//! read from a manifest in YAML, TOML or JSON.
//!
//! ```yaml
//! # yaml-language-server: $schema=ecscdk.schema.json
//! environments:
//!   prod: { account: "123456789012", region: us-east-1 }
//! stacks:
//!   Web:
//!     environment: prod
//!     vpc: { max_azs: 2, nat_gateways: 1 }
//!     cluster: { container_insights: enhanced }
//!     load_balanced_services:
//!       Site:
//!         container:
//!           image: public.ecr.aws/nginx/nginx:1.27
//!           ports: [{ port: 80 }]
//!         desired_count: 2
//! ```
//!
//! [`read::parse`] reads the text into a [`Manifest`] (unknown fields are
//! errors, each with its file, line, column and field path), and
//! [`lower::lower`] calls the builders a Rust program would call, so the
//! templates are the same byte for byte. The `ecscdk` command runs
//! `synth`, `list`, `diff`, `deploy` and `destroy` on a manifest, and
//! `ecscdk import copilot` converts an AWS Copilot workspace.

pub mod copilot;
pub mod duration;
pub mod error;
pub mod locate;
pub mod lower;
pub mod model;
pub mod read;
pub mod rust;

use std::path::Path;

pub use error::{Error, Place};
pub use model::Manifest;
pub use read::Format;

/// The file names the `ecscdk` command looks for when given none.
pub const DEFAULT_FILES: [&str; 4] = ["ecscdk.yaml", "ecscdk.yml", "ecscdk.toml", "ecscdk.json"];

/// Reads and builds the app of a manifest file. Build contexts are relative
/// to the file's directory.
///
/// # Errors
/// [`Error::Io`] and [`Error::UnknownFormat`] for a file that cannot be
/// read; the errors of [`read::parse`] and [`lower::lower`].
pub fn load_app(file: &Path) -> Result<ecscdk::App, Error> {
    let format = Format::of(file).ok_or_else(|| Error::UnknownFormat {
        file: file.to_owned(),
    })?;
    let text = std::fs::read_to_string(file).map_err(|source| Error::Io {
        file: file.to_owned(),
        source,
    })?;
    let name = file.display().to_string();
    let base_dir = file.parent().unwrap_or(Path::new("."));
    app_from_str(&text, format, &name, base_dir)
}

/// Reads and builds the app of a manifest's text; `file` names it in errors
/// and `base_dir` is where build contexts start.
///
/// # Errors
/// The errors of [`read::parse`] and [`lower::lower`].
pub fn app_from_str(
    text: &str,
    format: Format,
    file: &str,
    base_dir: &Path,
) -> Result<ecscdk::App, Error> {
    let manifest = read::parse(text, format, file)?;
    lower::lower(
        &manifest,
        &lower::Source {
            file,
            text,
            format,
            base_dir,
        },
    )
}

/// The manifest's JSON Schema (draft 2020-12), as committed in
/// `manifest/ecscdk.schema.json`, pretty-printed with a final newline.
#[must_use]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Manifest);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
