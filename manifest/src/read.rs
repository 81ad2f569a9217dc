//! Reading a manifest from YAML, TOML or JSON into [`Manifest`], with
//! errors that give the file, the line and column, and the field path.

use std::path::Path;

use crate::error::{Error, Place};
use crate::locate::{FieldPath, Location, Segment, offset_location};
use crate::model::Manifest;

/// The text format of a manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML 1.2 (`.yaml`, `.yml`).
    Yaml,
    /// TOML 1.0 (`.toml`).
    Toml,
    /// JSON (`.json`).
    Json,
}

impl Format {
    /// The format a file's extension names.
    #[must_use]
    pub fn of(file: &Path) -> Option<Self> {
        match file.extension()?.to_str()? {
            "yaml" | "yml" => Some(Self::Yaml),
            "toml" => Some(Self::Toml),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// Reads a manifest from `text`; `file` names it in errors.
///
/// # Errors
/// [`Error::Parse`] for text that is not well-formed, fields the model does
/// not have (`deny_unknown_fields`), missing required fields and values of
/// the wrong type.
pub fn parse(text: &str, format: Format, file: &str) -> Result<Manifest, Error> {
    match format {
        Format::Yaml => {
            let de = serde_norway::Deserializer::from_str(text);
            serde_path_to_error::deserialize(de).map_err(|e| {
                let location = e.inner().location().map(|l| Location {
                    line: l.line(),
                    column: l.column(),
                });
                let message = bare_yaml_message(&e.inner().to_string());
                parse_error(file, location, e.path(), message, format, text)
            })
        }
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            let manifest = serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let inner = e.inner();
                let location = (inner.line() > 0).then(|| Location {
                    line: inner.line(),
                    column: inner.column(),
                });
                let message = inner.to_string();
                let message = match message.rfind(" at line ") {
                    Some(cut) => message[..cut].to_owned(),
                    None => message,
                };
                parse_error(file, location, e.path(), message, format, text)
            })?;
            de.end().map_err(|e| Error::Parse {
                at: Place {
                    file: file.to_owned(),
                    location: Some(Location {
                        line: e.line(),
                        column: e.column(),
                    }),
                    path: FieldPath::default(),
                },
                message: "text after the manifest's closing brace; remove it".to_owned(),
            })?;
            Ok(manifest)
        }
        Format::Toml => {
            let de = toml::de::Deserializer::parse(text).map_err(|e| Error::Parse {
                at: Place {
                    file: file.to_owned(),
                    location: e.span().map(|s| offset_location(text, s.start)),
                    path: FieldPath::default(),
                },
                message: e.message().to_owned(),
            })?;
            serde_path_to_error::deserialize(de).map_err(|e| {
                let location = e.inner().span().map(|s| offset_location(text, s.start));
                let message = e.inner().message().to_owned();
                parse_error(file, location, e.path(), message, format, text)
            })
        }
    }
}

fn parse_error(
    file: &str,
    location: Option<Location>,
    path: &serde_path_to_error::Path,
    message: String,
    format: Format,
    text: &str,
) -> Error {
    let path = field_path(path);
    // Prefer where the format says the problem is; fall back on where the
    // path is.
    let location = location.or_else(|| crate::locate::locate(format, text, &path));
    Error::Parse {
        at: Place {
            file: file.to_owned(),
            location,
            path,
        },
        message,
    }
}

fn field_path(path: &serde_path_to_error::Path) -> FieldPath {
    use serde_path_to_error::Segment as S;
    FieldPath(
        path.iter()
            .filter_map(|segment| match segment {
                S::Map { key } | S::Enum { variant: key } => Some(Segment::Key(key.clone())),
                S::Seq { index } => Some(Segment::Index(*index)),
                S::Unknown => None,
            })
            .collect(),
    )
}

/// serde_norway's message without its own path prefix and location suffix,
/// which the error shows in its own way.
fn bare_yaml_message(message: &str) -> String {
    let message = strip_locations(message);
    match message.split_once(": ") {
        Some((prefix, rest)) if !prefix.contains(' ') && !prefix.is_empty() => rest.to_owned(),
        _ => message,
    }
}

/// `message` without its ` at line L column C` parts.
fn strip_locations(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(" at line ") {
        out.push_str(&rest[..start]);
        let tail = &rest[start + " at line ".len()..];
        let digits = |t: &str| t.bytes().take_while(u8::is_ascii_digit).count();
        let line = digits(tail);
        let after = tail[line..].strip_prefix(" column ");
        match after {
            Some(after) if line > 0 && digits(after) > 0 => rest = &after[digits(after)..],
            _ => {
                out.push_str(" at line ");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}
