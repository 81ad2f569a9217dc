//! `ecscdk-codegen`: generates ecscdk's L1 types (`constructs/src/cfn/`) from
//! the CloudFormation registry schemas vendored in `schemas/`.
//!
//! `cargo run -p ecscdk-codegen` deletes and rewrites `constructs/src/cfn/`;
//! `tests/fresh.rs` renders in memory and fails when the committed files differ.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub mod emit;
pub mod fixups;
pub mod model;
pub mod naming;
pub mod parse;

/// What can go wrong while generating.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A schema is not valid JSON or not a resource schema.
    #[error("{file}: {source}")]
    Json {
        /// The schema file.
        file: String,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// A schema has a shape the generator does not handle.
    #[error("{type_name}: {reason}")]
    InvalidSchema {
        /// The resource type.
        type_name: String,
        /// What is wrong.
        reason: String,
    },
    /// `resources.txt` and the schema files disagree.
    #[error("schemas/resources.txt: {0}; run constructs/codegen/refresh-schemas.sh")]
    List(String),
    /// A fixup no longer applies: the upstream schema changed.
    #[error(
        "fixup `{name}` never applied: {reason}; remove it from fixups.rs if the schema is fixed"
    )]
    StaleFixup {
        /// The fixup's function name.
        name: &'static str,
        /// What it looked for.
        reason: String,
    },
    /// The generated tokens do not parse (a generator bug).
    #[error("{file}: generated code does not parse: {reason}")]
    Emit {
        /// The schema the file comes from.
        file: String,
        /// The parse error.
        reason: String,
    },
}

impl Error {
    pub(crate) fn schema(type_name: &str, reason: impl Into<String>) -> Self {
        Self::InvalidSchema {
            type_name: type_name.to_owned(),
            reason: reason.into(),
        }
    }
}

/// The generated files, by path relative to `constructs/src/cfn/`.
#[derive(Debug, Default)]
pub struct Generated {
    /// File contents by relative path.
    pub files: BTreeMap<PathBuf, String>,
    /// Patterns the `regex` crate cannot compile, not checked at synth:
    /// (type name, pattern).
    pub skipped_patterns: Vec<(String, String)>,
}

/// The vendored schemas: `constructs/codegen/schemas/`.
#[must_use]
pub fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// Where the generated code lives: `constructs/src/cfn/`.
#[must_use]
pub fn output_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../src/cfn")
}

/// The schema file name of a type: `AWS::ECS::Service` → `aws-ecs-service.json`.
#[must_use]
pub fn schema_file_name(type_name: &str) -> String {
    format!("{}.json", type_name.to_ascii_lowercase().replace("::", "-"))
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })
}

/// The type names listed in `resources.txt`.
///
/// # Errors
/// When the list cannot be read.
pub fn allow_list(schemas: &Path) -> Result<Vec<String>, Error> {
    Ok(read(&schemas.join("resources.txt"))?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

/// Renders every file of `constructs/src/cfn/` in memory.
///
/// # Errors
/// When a schema is missing, unreadable or of an unknown shape, when a
/// fixup no longer applies, or when the generated code does not parse.
pub fn render(schemas: &Path) -> Result<Generated, Error> {
    let types = allow_list(schemas)?;
    let mut expected: Vec<String> = types.iter().map(|t| schema_file_name(t)).collect();
    expected.sort();
    let mut present = Vec::new();
    let entries = std::fs::read_dir(schemas).map_err(|source| Error::Io {
        path: schemas.to_owned(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: schemas.to_owned(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            present.push(name);
        }
    }
    present.sort();
    if present != expected {
        let missing: Vec<&String> = expected.iter().filter(|e| !present.contains(e)).collect();
        let extra: Vec<&String> = present.iter().filter(|p| !expected.contains(p)).collect();
        return Err(Error::List(format!(
            "missing schema files {missing:?}, unlisted schema files {extra:?}"
        )));
    }

    let mut fixups = fixups::Fixups::default();
    let mut skipped = model::Skipped::default();
    let mut modules = Vec::new();
    for type_name in &types {
        let file = schema_file_name(type_name);
        let text = read(&schemas.join(&file))?;
        let mut raw: serde_json::Value =
            serde_json::from_str(&text).map_err(|source| Error::Json {
                file: file.clone(),
                source,
            })?;
        fixups.apply(type_name, &mut raw);
        let schema: parse::ResourceSchema =
            serde_json::from_value(raw).map_err(|source| Error::Json {
                file: file.clone(),
                source,
            })?;
        if &schema.type_name != type_name {
            return Err(Error::List(format!(
                "{file} holds {}, not {type_name}",
                schema.type_name
            )));
        }
        modules.push(model::build(&file, &schema, &mut skipped)?);
    }
    fixups.finish()?;

    let mut out = Generated::default();
    let mut by_service: BTreeMap<&str, Vec<&model::Module>> = BTreeMap::new();
    for m in &modules {
        by_service.entry(&m.service_module).or_default().push(m);
        out.files.insert(
            Path::new(&m.service_module).join(format!("{}.rs", m.file_module)),
            emit::resource_file(m)?,
        );
    }
    for (service, mut ms) in by_service {
        ms.sort_by(|a, b| a.file_module.cmp(&b.file_module));
        out.files.insert(
            Path::new(service).join("mod.rs"),
            emit::service_file(service, &ms)?,
        );
    }
    out.files
        .insert(PathBuf::from("mod.rs"), emit::root_file(&modules)?);
    out.skipped_patterns = skipped.patterns.into_iter().collect();
    Ok(out)
}

/// Deletes `out_dir` and writes the generated files into it.
///
/// # Errors
/// When a file cannot be removed or written.
pub fn write(generated: &Generated, out_dir: &Path) -> Result<(), Error> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    if out_dir.exists() {
        std::fs::remove_dir_all(out_dir).map_err(io(out_dir))?;
    }
    for (rel, text) in &generated.files {
        let path = out_dir.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::write(&path, text).map_err(io(&path))?;
    }
    Ok(())
}
