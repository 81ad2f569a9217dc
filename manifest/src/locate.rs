//! Where a field path (`stacks.Web.services.Api.task_definition`) sits in a
//! manifest's text, so that an error found after parsing (a reference to a
//! task definition that does not exist, a builder's check) still points at a
//! line and column.
//!
//! YAML and JSON are walked with `saphyr-parser`'s events (JSON is YAML's
//! flow style); TOML with the `toml` crate's spanned tables.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, Span};

use crate::read::Format;

/// One step of a field path: a key of a mapping or an index of a sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// A field path, shown with dots and brackets: `stacks.Web.ports[0]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Segment>);

impl FieldPath {
    /// This path with a key appended.
    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        let mut next = self.0.clone();
        next.push(Segment::Key(key.to_owned()));
        Self(next)
    }

    /// This path with an index appended.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        let mut next = self.0.clone();
        next.push(Segment::Index(index));
        Self(next)
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A line and column, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// The line.
    pub line: usize,
    /// The column, in characters.
    pub column: usize,
}

/// Where `path` is in `text`: the key for a mapping entry, the item for a
/// sequence entry, and, when the path goes deeper than the text, the
/// deepest part the text has (a missing field is reported at its parent).
#[must_use]
pub fn locate(format: Format, text: &str, path: &FieldPath) -> Option<Location> {
    match format {
        Format::Yaml | Format::Json => locate_yaml(text, path),
        Format::Toml => locate_toml(text, path),
    }
}

/// A node of a YAML document with where it starts.
enum Node<'a> {
    Map(Span, Vec<(Cow<'a, str>, Span, Node<'a>)>),
    Seq(Span, Vec<Node<'a>>),
    Leaf(Span),
}

impl Node<'_> {
    fn span(&self) -> Span {
        match self {
            Node::Map(span, _) | Node::Seq(span, _) | Node::Leaf(span) => *span,
        }
    }
}

fn locate_yaml(text: &str, path: &FieldPath) -> Option<Location> {
    let mut events = Parser::new_from_str(text).map_while(Result::ok);
    let root = loop {
        let (event, span) = events.next()?;
        match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
            other => break build(other, span, &mut events, 0)?,
        }
    };
    let mut node = &root;
    let mut found = root.span();
    for segment in &path.0 {
        let next = match (node, segment) {
            (Node::Map(_, entries), Segment::Key(key)) => entries
                .iter()
                .find(|(k, _, _)| k == key)
                .map(|(_, key_span, value)| (*key_span, value)),
            (Node::Seq(_, items), Segment::Index(index)) => {
                items.get(*index).map(|item| (item.span(), item))
            }
            _ => None,
        };
        let Some((span, child)) = next else { break };
        found = span;
        node = child;
    }
    Some(Location {
        line: found.start.line(),
        column: found.start.col() + 1,
    })
}

/// Deep documents are cut off rather than recursed into without end.
const MAX_DEPTH: usize = 128;

fn build<'a>(
    event: Event<'a>,
    span: Span,
    events: &mut impl Iterator<Item = (Event<'a>, Span)>,
    depth: usize,
) -> Option<Node<'a>> {
    if depth > MAX_DEPTH {
        return None;
    }
    match event {
        Event::MappingStart(..) => {
            let mut entries = Vec::new();
            loop {
                let (key, key_span) = events.next()?;
                let key = match key {
                    Event::MappingEnd => return Some(Node::Map(span, entries)),
                    Event::Scalar(text, ..) => text,
                    other => {
                        // A complex key: read it and give it no name.
                        build(other, key_span, events, depth + 1)?;
                        Cow::Borrowed("")
                    }
                };
                let (value, value_span) = events.next()?;
                let value = build(value, value_span, events, depth + 1)?;
                entries.push((key, key_span, value));
            }
        }
        Event::SequenceStart(..) => {
            let mut items = Vec::new();
            loop {
                let (item, item_span) = events.next()?;
                if matches!(item, Event::SequenceEnd) {
                    return Some(Node::Seq(span, items));
                }
                items.push(build(item, item_span, events, depth + 1)?);
            }
        }
        _ => Some(Node::Leaf(span)),
    }
}

fn locate_toml(text: &str, path: &FieldPath) -> Option<Location> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut found = root.span();
    let mut table = Some(root.get_ref());
    let mut array: Option<&toml::de::DeArray<'_>> = None;
    for segment in &path.0 {
        let value = match (segment, table, array) {
            (Segment::Key(key), Some(t), _) => {
                t.iter().find(|(k, _)| k.get_ref() == key).map(|(k, v)| {
                    found = k.span();
                    v
                })
            }
            (Segment::Index(index), _, Some(a)) => a.get(*index).inspect(|v| found = v.span()),
            _ => None,
        };
        let Some(value) = value else { break };
        (table, array) = match value.get_ref() {
            DeValue::Table(t) => (Some(t), None),
            DeValue::Array(a) => (None, Some(a)),
            _ => (None, None),
        };
    }
    Some(offset_location(text, found.start))
}

/// The line and column of a byte offset.
#[must_use]
pub fn offset_location(text: &str, offset: usize) -> Location {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Location {
        line,
        column: before[line_start..].chars().count() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> FieldPath {
        FieldPath(
            text.split('.')
                .map(|s| match s.parse() {
                    Ok(i) => Segment::Index(i),
                    Err(_) => Segment::Key(s.to_owned()),
                })
                .collect(),
        )
    }

    #[test]
    fn finds_keys_and_items_in_yaml_json_and_toml() {
        let yaml = "stacks:\n  Web:\n    services:\n      Api:\n        ports:\n          - port: 80\n          - port: 81\n";
        let at = |f, t, p| locate(f, t, &path(p)).map(|l| (l.line, l.column));
        assert_eq!(
            at(Format::Yaml, yaml, "stacks.Web.services.Api"),
            Some((4, 7))
        );
        assert_eq!(
            at(Format::Yaml, yaml, "stacks.Web.services.Api.ports.1"),
            Some((7, 13))
        );
        assert_eq!(
            at(Format::Yaml, yaml, "stacks.Web.services.Api.cpu"),
            Some((4, 7))
        );
        let json = "{\n  \"stacks\": {\n    \"Web\": {\"vpc\": {}}\n  }\n}";
        assert_eq!(at(Format::Json, json, "stacks.Web.vpc"), Some((3, 13)));
        let toml = "[stacks.Web.vpc]\nmax_azs = 2\n\n[stacks.Web.cluster]\nname = \"c\"\n";
        assert_eq!(
            at(Format::Toml, toml, "stacks.Web.cluster.name"),
            Some((5, 1))
        );
    }
}
