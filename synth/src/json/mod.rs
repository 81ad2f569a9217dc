//! How templates are written: JSON with a one-space indent, as the AWS CDK
//! writes them, and whole numbers without a fraction. (`tree.json` is
//! written by its own writer, `assembly::tree_stack_json`, with
//! [`write_str`] for its strings.)
//!
//! CloudFormation numbers that are floating point in Rust (`TargetValue`,
//! `Threshold`, …) would otherwise be written `70.0`; the CDK, and people,
//! write `70`. Both are the same JSON number; writing the short form keeps
//! ported templates byte-comparable and diffs quiet.

mod rendered;
mod writer;

use serde::Serialize;

pub use rendered::WriteTemplate;
pub(crate) use rendered::serialize_rendered;
use writer::JsonWriter;
use writer::line_break;
pub(crate) use writer::write_str;

/// Writes `value` as it would appear `indent` levels deep in a template.
///
/// Generic over the value, so its `Serialize` impl is compiled for this one
/// serializer: no type-erased calls for values whose type is known.
pub(crate) fn write_at<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    indent: usize,
    value: &T,
) -> serde_json::Result<()> {
    value.serialize(&mut JsonWriter::at(out, indent))
}

/// A JSON object of a template written entry by entry, each value by its
/// own serializer at the object's depth (see [`write_at`]), so that a value
/// whose type is only known behind a trait object can still be written by
/// code compiled for the template's serializer. Writes exactly what
/// serializing a map with [`JsonWriter`] writes.
pub(crate) struct ObjectWriter<'a> {
    out: &'a mut Vec<u8>,
    /// The depth of the object's entries.
    indent: usize,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    /// Opens an object written `indent` levels deep.
    pub(crate) fn begin(out: &'a mut Vec<u8>, indent: usize) -> Self {
        out.push(b'{');
        Self {
            out,
            indent: indent + 1,
            empty: true,
        }
    }

    /// Writes the key of the next entry; its value must follow, by
    /// [`value_at`](Self::value_at) or [`object`](Self::object).
    pub(crate) fn key(&mut self, key: &str) -> serde_json::Result<()> {
        line_break(self.out, !self.empty, self.indent);
        self.empty = false;
        write_str(self.out, key);
        self.out.extend_from_slice(b": ");
        Ok(())
    }

    /// Where the value of the entry just keyed goes, and its depth.
    pub(crate) fn value_at(&mut self) -> (&mut Vec<u8>, usize) {
        (self.out, self.indent)
    }

    /// Writes one entry.
    pub(crate) fn entry<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> serde_json::Result<()> {
        self.key(key)?;
        write_at(self.out, self.indent, value)
    }

    /// Opens an object as the value of entry `key`.
    pub(crate) fn object(&mut self, key: &str) -> serde_json::Result<ObjectWriter<'_>> {
        self.key(key)?;
        Ok(ObjectWriter::begin(self.out, self.indent))
    }

    /// Closes the object.
    pub(crate) fn end(self) -> serde_json::Result<()> {
        let depth = self.indent.saturating_sub(1);
        if !self.empty {
            line_break(self.out, false, depth);
        }
        self.out.push(b'}');
        Ok(())
    }
}

/// Writes a newline (after a comma when `comma`) and `indent` spaces.
#[cfg(test)]
mod tests {
    use super::*;

    fn write<T: Serialize + ?Sized>(v: &T) -> String {
        let mut out = Vec::new();
        write_at(&mut out, 0, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// What serde_json writes with a one-space indent.
    pub(super) fn serde_json_pretty<T: Serialize + ?Sized>(v: &T) -> String {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(
            &mut out,
            serde_json::ser::PrettyFormatter::with_indent(b" "),
        );
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
        assert_eq!(write(&deep), serde_json_pretty(&deep));
    }

    /// Strings with every ASCII character, at every offset of the eight-byte
    /// words the writer checks at once, and beyond ASCII.
    fn hostile_strings() -> Vec<String> {
        let mut strings: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        strings.push((0u8..0x80).map(char::from).collect());
        for special in ['"', '\\', '\n', '\u{1}', '\u{1f}', '\u{7f}', 'é', '€', '😀'] {
            for at in 0..20 {
                let mut s: String = "abcdefghijklmnopqrstuvwxyz".chars().take(at).collect();
                s.push(special);
                s.push_str("tail-0123456789");
                strings.push(s);
            }
        }
        // Short strings, tested as one or two words made of overlapping
        // pieces: the special character at every position of every length.
        for special in ['"', '\\', '\n', '\u{1}', '\u{1f}', ' ', '\u{7f}', 'é'] {
            for len in 1..=20 {
                for at in 0..len {
                    let s: String = (0..len)
                        .map(|i| if i == at { special } else { 'a' })
                        .collect();
                    strings.push(s);
                }
            }
        }
        strings.push(String::new());
        strings.push("x".repeat(1000));
        strings
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for s in hostile_strings() {
            assert_eq!(write(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
            let as_key = std::collections::BTreeMap::from([(s.clone(), 1)]);
            assert_eq!(write(&as_key), serde_json_pretty(&as_key), "{s:?}");
        }
        let all = hostile_strings();
        assert_eq!(write(&all), serde_json_pretty(&all));
    }

    #[derive(Serialize)]
    enum Variants {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        Struct { a: Option<u8>, b: Vec<()> },
        EmptyTuple(),
        EmptyStruct {},
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    enum Key {
        A,
        B,
    }

    /// A map from pairs, for keys no standard map takes.
    struct AsMap<'a, K, V>(&'a [(K, V)]);

    impl<K: Serialize, V: Serialize> Serialize for AsMap<'_, K, V> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }

    #[derive(Serialize)]
    struct Newtype(String);

    #[derive(Serialize)]
    struct Typed {
        variants: Vec<Variants>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        none: Option<u8>,
        unit: (),
        unit_struct: Unit,
        newtype: Newtype,
        tuple: (u8, char, bool),
        #[serde(with = "serde_bytes_like")]
        bytes: Vec<u8>,
        integer_keys: std::collections::BTreeMap<i64, bool>,
        bool_keys: std::collections::BTreeMap<bool, u8>,
        char_keys: std::collections::BTreeMap<char, u8>,
        unit_variant_keys: std::collections::BTreeMap<Key, u8>,
        numbers: (i8, i16, i32, i64, i128, u8, u16, u32, u64, u128),
        floats: (f32, f32, f64, f64, f64, f64),
        empty: (Vec<u8>, std::collections::BTreeMap<String, u8>),
    }

    /// Bytes through `serialize_bytes`, without a crate for it.
    mod serde_bytes_like {
        pub(super) fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }

    fn typed() -> Typed {
        Typed {
            variants: vec![
                Variants::Unit,
                Variants::Newtype(7),
                Variants::Tuple(-1, "t".to_owned()),
                Variants::Struct {
                    a: Some(1),
                    b: vec![(), ()],
                },
                Variants::EmptyTuple(),
                Variants::EmptyStruct {},
            ],
            skipped: None,
            none: None,
            unit: (),
            unit_struct: Unit,
            newtype: Newtype("n".to_owned()),
            tuple: (1, '"', true),
            bytes: vec![0, 255, 10],
            integer_keys: [(-5, true), (i64::MAX, false)].into(),
            bool_keys: [(true, 1), (false, 0)].into(),
            char_keys: [('\n', 1), ('k', 2)].into(),
            unit_variant_keys: [(Key::A, 1), (Key::B, 2)].into(),
            numbers: (
                i8::MIN,
                i16::MIN,
                i32::MIN,
                i64::MIN,
                i128::MIN,
                u8::MAX,
                u16::MAX,
                u32::MAX,
                u64::MAX,
                u128::MAX,
            ),
            // f32 is written as serde_json writes it, whole or not; NaN
            // and infinity as null.
            floats: (70.0, 0.1, 0.1, 1e300, f64::NAN, f64::NEG_INFINITY),
            empty: (Vec::new(), std::collections::BTreeMap::new()),
        }
    }

    #[test]
    fn every_kind_of_value_is_written_as_serde_json_writes_it() {
        let value = typed();
        assert_eq!(write(&value), serde_json_pretty(&value));
        let float_keys = [(1.5f64, 0), (-2.0, 1)];
        assert_eq!(
            write(&AsMap(&float_keys)),
            serde_json_pretty(&AsMap(&float_keys))
        );
        let newtype_keys = [(Newtype("k".to_owned()), 0)];
        assert_eq!(
            write(&AsMap(&newtype_keys)),
            serde_json_pretty(&AsMap(&newtype_keys))
        );
    }

    #[test]
    fn keys_that_are_not_strings_are_refused() {
        let unit_key = [((), 1)];
        assert!(serde_json::to_string(&AsMap(&unit_key)).is_err());
        let mut out = Vec::new();
        assert!(write_at(&mut out, 0, &AsMap(&unit_key)).is_err());
        let nan_key = [(f64::NAN, 1)];
        assert!(serde_json::to_string(&AsMap(&nan_key)).is_err());
        assert!(write_at(&mut out, 0, &AsMap(&nan_key)).is_err());
    }

    #[test]
    fn whole_floats_are_written_as_integers() {
        assert_eq!(
            write(&serde_json::json!([70.0, 0.5, -3.0, 1e300])),
            "[\n 70,\n 0.5,\n -3,\n 1e+300\n]"
        );
        assert_eq!(write(&serde_json::json!({"a": 1})), "{\n \"a\": 1\n}");
    }

    #[test]
    fn an_object_written_entry_by_entry_is_the_serialized_object() {
        let inner = serde_json::json!({"list": [1, {"k": []}], "empty": {}, "f": 2.0});
        let expected = serde_json::json!({
            "a": 1,
            "nested": {"x\"y": inner.clone(), "empty": {}, "after": "z"},
            "empty": {},
            "last": [inner.clone()]
        });
        let mut out = Vec::new();
        let mut top = ObjectWriter::begin(&mut out, 0);
        top.entry("a", &1).unwrap();
        let mut nested = top.object("nested").unwrap();
        nested.key("x\"y").unwrap();
        let (into, indent) = nested.value_at();
        write_at(into, indent, &inner).unwrap();
        nested.object("empty").unwrap().end().unwrap();
        nested.entry("after", "z").unwrap();
        nested.end().unwrap();
        top.object("empty").unwrap().end().unwrap();
        top.entry("last", &[&inner]).unwrap();
        top.end().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), write(&expected));
        let mut empty = Vec::new();
        ObjectWriter::begin(&mut empty, 0).end().unwrap();
        assert_eq!(empty, b"{}");
    }
}
