//! How templates are written: JSON with a one-space indent, as the AWS CDK
//! writes them, and whole numbers without a fraction.
//!
//! CloudFormation numbers that are floating point in Rust (`TargetValue`,
//! `Threshold`, …) would otherwise be written `70.0`; the CDK, and people,
//! write `70`. Both are the same JSON number; writing the short form keeps
//! ported templates byte-comparable and diffs quiet.

use std::io;

use serde_json::ser::{CompactFormatter, Formatter};

/// The largest integer an `f64` holds exactly (2^53).
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

/// `,` then a newline then spaces: every line break of the output is a
/// slice of it, written with one call (serde_json's `PrettyFormatter`
/// writes the indent one level at a time).
const BREAK: &[u8] = b",\n                                                                ";

/// A pretty printer with a one-space indent, writing exactly what
/// serde_json's `PrettyFormatter::with_indent(b" ")` writes, except that
/// whole `f64`s are written as integers.
pub(crate) struct TemplateFormatter {
    indent: usize,
    has_value: bool,
}

impl TemplateFormatter {
    pub(crate) fn new() -> Self {
        Self {
            indent: 0,
            has_value: false,
        }
    }
}

/// Writes a newline (after a comma when `comma`) and `indent` spaces.
fn line_break<W: ?Sized + io::Write>(writer: &mut W, comma: bool, indent: usize) -> io::Result<()> {
    let start = if comma { 0 } else { 1 };
    match BREAK.get(start..2 + indent) {
        Some(slice) => writer.write_all(slice),
        None => {
            writer.write_all(BREAK.get(start..2).unwrap_or(b"\n"))?;
            for _ in 0..indent {
                writer.write_all(b" ")?;
            }
            Ok(())
        }
    }
}

impl Formatter for TemplateFormatter {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        if value.is_finite() && value.fract() == 0.0 && value.abs() < EXACT_INTEGER_LIMIT {
            // Exact: the value is whole and within the range an f64 holds
            // without rounding.
            #[allow(clippy::cast_possible_truncation)]
            let whole = value as i64;
            self.write_i64(writer, whole)
        } else {
            CompactFormatter.write_f64(writer, value)
        }
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.indent += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.indent = self.indent.saturating_sub(1);
        if self.has_value {
            line_break(writer, false, self.indent)?;
        }
        writer.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        line_break(writer, !first, self.indent)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.indent += 1;
        self.has_value = false;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.indent = self.indent.saturating_sub(1);
        if self.has_value {
            line_break(writer, false, self.indent)?;
        }
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        line_break(writer, !first, self.indent)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn write(v: &serde_json::Value) -> String {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, TemplateFormatter::new());
        v.serialize(&mut ser).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn layout_is_serde_jsons_pretty_printer_with_one_space() {
        let mut deep = serde_json::json!({"leaf": [1, "two", {}, []]});
        for i in 0..80 {
            deep = serde_json::json!({"level": i, "next": deep, "list": [[], [deep.clone()]], "empty": {}});
            if i > 6 {
                // Keep the value small: only the innermost levels branch.
                deep["list"] = serde_json::json!([[], [i]]);
            }
        }
        let mut expected = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(
            &mut expected,
            serde_json::ser::PrettyFormatter::with_indent(b" "),
        );
        deep.serialize(&mut ser).unwrap();
        assert_eq!(write(&deep), String::from_utf8(expected).unwrap());
    }

    #[test]
    fn whole_floats_are_written_as_integers() {
        assert_eq!(
            write(&serde_json::json!([70.0, 0.5, -3.0, 1e300])),
            "[\n 70,\n 0.5,\n -3,\n 1e+300\n]"
        );
        assert_eq!(write(&serde_json::json!({"a": 1})), "{\n \"a\": 1\n}");
    }
}
