//! How templates are written: JSON with a one-space indent, as the AWS CDK
//! writes them, and whole numbers without a fraction.
//!
//! CloudFormation numbers that are floating point in Rust (`TargetValue`,
//! `Threshold`, …) would otherwise be written `70.0`; the CDK, and people,
//! write `70`. Both are the same JSON number; writing the short form keeps
//! ported templates byte-comparable and diffs quiet.

use std::io;

use serde_json::ser::{Formatter, PrettyFormatter};

/// The largest integer an `f64` holds exactly (2^53).
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

/// A pretty printer with a one-space indent that writes whole `f64`s as
/// integers.
pub(crate) struct TemplateFormatter {
    pretty: PrettyFormatter<'static>,
}

impl TemplateFormatter {
    pub(crate) fn new() -> Self {
        Self {
            pretty: PrettyFormatter::with_indent(b" "),
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
            self.pretty.write_i64(writer, whole)
        } else {
            self.pretty.write_f64(writer, value)
        }
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.pretty.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.pretty.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_object_value(writer)
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
    fn whole_floats_are_written_as_integers() {
        assert_eq!(
            write(&serde_json::json!([70.0, 0.5, -3.0, 1e300])),
            "[\n 70,\n 0.5,\n -3,\n 1e+300\n]"
        );
        assert_eq!(write(&serde_json::json!({"a": 1})), "{\n \"a\": 1\n}");
    }
}
