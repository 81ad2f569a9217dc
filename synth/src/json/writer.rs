//! A serde serializer that writes JSON into a byte buffer, in the layout of
//! templates (one-space indent).
//!
//! It writes what serde_json writes for the same value with
//! `PrettyFormatter::with_indent(b" ")` or with no formatter, except that a
//! whole `f64` is written as an integer (see the module above). It exists
//! for speed: serde_json examines a string byte by byte to find what needs
//! escaping, which was the largest single cost of synth; this writer checks
//! eight bytes at a time and copies clean strings whole. Keys and strings
//! are escaped exactly as serde_json escapes them.

use serde::ser::{self, Error as _, Serialize};

/// The largest integer an `f64` holds exactly (2^53).
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

/// `,` then a newline then spaces: every line break of the pretty layout is
/// a slice of it, written with one call.
const BREAK: &[u8] = b",\n                                                                ";

/// Writes JSON into `out` in the template layout: a newline and one space
/// per level before every entry.
pub(crate) struct JsonWriter<'a> {
    out: &'a mut Vec<u8>,
    /// How deep the next line is, in levels (pretty layout only).
    indent: usize,
}

impl<'a> JsonWriter<'a> {
    /// A writer whose next value is `indent` levels deep.
    pub(crate) fn at(out: &'a mut Vec<u8>, indent: usize) -> Self {
        Self { out, indent }
    }

    /// Before an entry of an object or array: a comma unless it is the
    /// first, and a new line at the current depth.
    fn separate(&mut self, first: bool) {
        line_break(self.out, !first, self.indent);
    }

    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.indent += 1;
    }

    fn close(&mut self, bracket: u8, empty: bool) {
        self.indent = self.indent.saturating_sub(1);
        if !empty {
            line_break(self.out, false, self.indent);
        }
        self.out.push(bracket);
    }

    fn integer(&mut self, value: impl itoa::Integer) -> serde_json::Result<()> {
        write_integer(self.out, value);
        Ok(())
    }

    fn colon(&mut self) {
        self.out.extend_from_slice(b": ");
    }
}

/// Writes a newline (after a comma when `comma`) and `indent` spaces.
pub(crate) fn line_break(out: &mut Vec<u8>, comma: bool, indent: usize) {
    let start = usize::from(!comma);
    match BREAK.get(start..2 + indent) {
        Some(slice) => out.extend_from_slice(slice),
        None => {
            out.extend_from_slice(BREAK.get(start..2).unwrap_or(b"\n"));
            out.resize(out.len() + indent, b' ');
        }
    }
}

/// Whether a byte is written escaped: control characters, `"` and `\`.
const fn escaped(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Whether any of the eight bytes of `word` is [`escaped`]: the classic
/// "has a zero byte" and "has a byte less than n" tests on one word.
const fn any_escaped(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    /// Bytes below `n` (at most 0x80) set their high bit in the result;
    /// the result is zero exactly when there are none.
    const fn below(word: u64, n: u64) -> u64 {
        word.wrapping_sub(ONES * n) & !word & HIGHS
    }
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    (below(word, 0x20) | below(word ^ QUOTES, 1) | below(word ^ BACKSLASHES, 1)) != 0
}

/// Reads eight bytes as one word, for [`any_escaped`] (byte order does not
/// matter to it).
fn word(eight: &[u8]) -> u64 {
    <[u8; 8]>::try_from(eight).map_or(0, u64::from_ne_bytes)
}

/// Whether `bytes` holds no byte to escape: a word at a time, the last
/// word overlapping the one before it (up to 16 bytes, the first and the
/// last word cover everything). Shorter strings (most keys and many
/// values) are tested as one word too, made of overlapping pieces: a byte
/// tested twice changes nothing, and spaces fill what is left.
fn all_clean(bytes: &[u8]) -> bool {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    let n = bytes.len();
    if n >= 8 {
        let first = bytes.get(..8).map_or(0, word);
        let last = bytes.get(n - 8..).map_or(0, word);
        if n <= 16 {
            return !any_escaped(first) && !any_escaped(last);
        }
        let mut words = bytes.chunks_exact(8);
        return !(words.any(|w| any_escaped(word(w))) || any_escaped(last));
    }
    let word = if n >= 4 {
        // Bytes 0..4 and n-4..n cover all of them.
        let half = |at: usize| {
            bytes
                .get(at..at + 4)
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .map_or(0, u32::from_ne_bytes)
        };
        u64::from(half(0)) | u64::from(half(n - 4)) << 32
    } else if n > 0 {
        // Bytes 0, n/2 and n-1 cover all of them.
        let byte = |at: usize| u64::from(bytes.get(at).copied().unwrap_or(0));
        (SPACES & !0xff_ffff) | byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16
    } else {
        return true;
    };
    !any_escaped(word)
}

/// How many bytes at the start of `bytes` need no escaping.
fn clean_prefix(bytes: &[u8]) -> usize {
    let mut clean = 0;
    for chunk in bytes.chunks_exact(8) {
        if any_escaped(word(chunk)) {
            break;
        }
        clean += 8;
    }
    let rest = bytes.get(clean..).unwrap_or_default();
    clean + rest.iter().position(|&b| escaped(b)).unwrap_or(rest.len())
}

/// Writes `s` as a JSON string, escaped as serde_json escapes it: `\"`,
/// `\\`, `\b`, `\t`, `\n`, `\f`, `\r`, and `\u00xx` (lower-case hex) for the
/// other control characters; everything else as it is.
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if all_clean(bytes) {
        // The usual case: one reservation, then three copies.
        out.reserve(bytes.len() + 2);
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
    } else {
        write_escaped(out, bytes);
    }
}

/// [`write_str`] for a string with something to escape.
#[cold]
#[inline(never)]
fn write_escaped(out: &mut Vec<u8>, mut bytes: &[u8]) {
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    loop {
        let clean = clean_prefix(bytes);
        let (run, rest) = bytes.split_at(clean.min(bytes.len()));
        out.extend_from_slice(run);
        let Some((&byte, rest)) = rest.split_first() else {
            break;
        };
        write_escape(out, byte);
        bytes = rest;
    }
    out.push(b'"');
}

fn write_escape(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x09 => b't',
        0x0a => b'n',
        0x0c => b'f',
        0x0d => b'r',
        _ => {
            let hex = |nibble: u8| HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(byte >> 4), hex(byte & 0xf)]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

fn write_integer(out: &mut Vec<u8>, value: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// A whole `f64` within the exact range is written as an integer; any
/// other finite one as serde_json writes it (with zmij); `NaN` and infinities as
/// `null`, as serde_json does.
fn write_f64(out: &mut Vec<u8>, value: f64) {
    if !value.is_finite() {
        out.extend_from_slice(b"null");
    } else if value.fract() == 0.0 && value.abs() < EXACT_INTEGER_LIMIT {
        // Exact: the value is whole and within the range an f64 holds
        // without rounding.
        #[allow(clippy::cast_possible_truncation)]
        write_integer(out, value as i64);
    } else {
        out.extend_from_slice(zmij::Buffer::new().format_finite(value).as_bytes());
    }
}

/// An object or array being written; `first` until its first entry.
pub(crate) struct Compound<'w, 'a> {
    writer: &'w mut JsonWriter<'a>,
    first: bool,
    /// Written after the closing bracket: the `}` of a variant's object.
    variant: bool,
}

impl<'w, 'a> Compound<'w, 'a> {
    fn open(writer: &'w mut JsonWriter<'a>, bracket: u8, variant: bool) -> Self {
        writer.open(bracket);
        Self {
            writer,
            first: true,
            variant,
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> serde_json::Result<()> {
        self.writer.separate(self.first);
        self.first = false;
        value.serialize(&mut *self.writer)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> serde_json::Result<()> {
        self.writer.separate(self.first);
        self.first = false;
        write_str(self.writer.out, key);
        self.writer.colon();
        value.serialize(&mut *self.writer)
    }

    fn close(self, bracket: u8) -> serde_json::Result<()> {
        self.writer.close(bracket, self.first);
        if self.variant {
            self.writer.close(b'}', false);
        }
        Ok(())
    }
}

impl JsonWriter<'_> {
    /// Opens `{"variant": ` for an enum variant with data.
    fn open_variant(&mut self, variant: &str) {
        self.open(b'{');
        self.separate(true);
        write_str(self.out, variant);
        self.colon();
    }
}

/// `serialize_i8` to `serialize_u128`, each by the serializer's own
/// `integer` method.
macro_rules! integers {
    () => {
        integers!(serialize_i8 i8, serialize_i16 i16, serialize_i32 i32, serialize_i64 i64,
            serialize_i128 i128, serialize_u8 u8, serialize_u16 u16, serialize_u32 u32,
            serialize_u64 u64, serialize_u128 u128);
    };
    ($($method:ident $type:ty),*) => {
        $(
            fn $method(self, v: $type) -> serde_json::Result<()> {
                self.integer(v)
            }
        )*
    };
}

impl<'w, 'a> ser::Serializer for &'w mut JsonWriter<'a> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = Compound<'w, 'a>;
    type SerializeTuple = Compound<'w, 'a>;
    type SerializeTupleStruct = Compound<'w, 'a>;
    type SerializeTupleVariant = Compound<'w, 'a>;
    type SerializeMap = Compound<'w, 'a>;
    type SerializeStruct = Compound<'w, 'a>;
    type SerializeStructVariant = Compound<'w, 'a>;

    integers!();

    fn serialize_bool(self, v: bool) -> serde_json::Result<()> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> serde_json::Result<()> {
        // As serde_json: no whole-number rule for f32.
        if v.is_finite() {
            self.out
                .extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
        } else {
            self.out.extend_from_slice(b"null");
        }
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> serde_json::Result<()> {
        write_f64(self.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> serde_json::Result<()> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> serde_json::Result<()> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> serde_json::Result<()> {
        use ser::SerializeSeq as _;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for byte in v {
            seq.serialize_element(byte)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> serde_json::Result<()> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> serde_json::Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> serde_json::Result<()> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> serde_json::Result<()> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> serde_json::Result<()> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> serde_json::Result<()> {
        // A rendered operand's value, written without type erasure.
        if let Some(rendered) = super::rendered::take_pending(name) {
            return rendered.write_template(self.out, self.indent);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> serde_json::Result<()> {
        self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.close(b'}', false);
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> serde_json::Result<Self::SerializeSeq> {
        Ok(Compound::open(self, b'[', false))
    }
    fn serialize_tuple(self, len: usize) -> serde_json::Result<Self::SerializeTuple> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> serde_json::Result<Self::SerializeTupleStruct> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> serde_json::Result<Self::SerializeTupleVariant> {
        self.open_variant(variant);
        Ok(Compound::open(self, b'[', true))
    }
    fn serialize_map(self, _len: Option<usize>) -> serde_json::Result<Self::SerializeMap> {
        Ok(Compound::open(self, b'{', false))
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> serde_json::Result<Self::SerializeStruct> {
        Ok(Compound::open(self, b'{', false))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> serde_json::Result<Self::SerializeStructVariant> {
        self.open_variant(variant);
        Ok(Compound::open(self, b'{', true))
    }
}

/// The serde traits of a compound whose entries are values: each writes an
/// element and closes with `]`.
macro_rules! elements {
    ($($trait:ident $method:ident),*) => {
        $(
            impl ser::$trait for Compound<'_, '_> {
                type Ok = ();
                type Error = serde_json::Error;
                fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> serde_json::Result<()> {
                    self.element(value)
                }
                fn end(self) -> serde_json::Result<()> {
                    self.close(b']')
                }
            }
        )*
    };
}

elements!(
    SerializeSeq serialize_element,
    SerializeTuple serialize_element,
    SerializeTupleStruct serialize_field,
    SerializeTupleVariant serialize_field
);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> serde_json::Result<()> {
        self.writer.separate(self.first);
        self.first = false;
        key.serialize(MapKey(self.writer.out))?;
        self.writer.colon();
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> serde_json::Result<()> {
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> serde_json::Result<()> {
        self.close(b'}')
    }
}

/// The serde traits of a compound whose entries are named fields: each
/// writes a key and its value and closes with `}`.
macro_rules! fields {
    ($($trait:ident),*) => {
        $(
            impl ser::$trait for Compound<'_, '_> {
                type Ok = ();
                type Error = serde_json::Error;
                fn serialize_field<T: Serialize + ?Sized>(
                    &mut self,
                    key: &'static str,
                    value: &T,
                ) -> serde_json::Result<()> {
                    self.field(key, value)
                }
                fn end(self) -> serde_json::Result<()> {
                    self.close(b'}')
                }
            }
        )*
    };
}

fields!(SerializeStruct, SerializeStructVariant);

/// An object's key: a string, or a value serde_json writes as a quoted
/// string (integers, booleans, finite floats, chars, unit variants);
/// anything else is an error, as in serde_json.
struct MapKey<'a>(&'a mut Vec<u8>);

impl MapKey<'_> {
    fn quoted(self, text: &[u8]) -> serde_json::Result<()> {
        self.0.push(b'"');
        self.0.extend_from_slice(text);
        self.0.push(b'"');
        Ok(())
    }

    fn integer(self, value: impl itoa::Integer) -> serde_json::Result<()> {
        self.quoted(itoa::Buffer::new().format(value).as_bytes())
    }
}

fn key_must_be_a_string() -> serde_json::Error {
    serde_json::Error::custom("key must be a string")
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = ser::Impossible<(), serde_json::Error>;
    type SerializeTuple = ser::Impossible<(), serde_json::Error>;
    type SerializeTupleStruct = ser::Impossible<(), serde_json::Error>;
    type SerializeTupleVariant = ser::Impossible<(), serde_json::Error>;
    type SerializeMap = ser::Impossible<(), serde_json::Error>;
    type SerializeStruct = ser::Impossible<(), serde_json::Error>;
    type SerializeStructVariant = ser::Impossible<(), serde_json::Error>;

    fn serialize_str(self, v: &str) -> serde_json::Result<()> {
        write_str(self.0, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> serde_json::Result<()> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> serde_json::Result<()> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> serde_json::Result<()> {
        value.serialize(self)
    }
    integers!();

    fn serialize_bool(self, v: bool) -> serde_json::Result<()> {
        self.quoted(if v { b"true" } else { b"false" })
    }
    fn serialize_f32(self, v: f32) -> serde_json::Result<()> {
        if !v.is_finite() {
            return Err(serde_json::Error::custom("float key must be finite"));
        }
        self.quoted(zmij::Buffer::new().format_finite(v).as_bytes())
    }
    fn serialize_f64(self, v: f64) -> serde_json::Result<()> {
        if !v.is_finite() {
            return Err(serde_json::Error::custom("float key must be finite"));
        }
        self.quoted(zmij::Buffer::new().format_finite(v).as_bytes())
    }
    fn serialize_bytes(self, _v: &[u8]) -> serde_json::Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> serde_json::Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> serde_json::Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> serde_json::Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> serde_json::Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> serde_json::Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> serde_json::Result<Self::SerializeSeq> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> serde_json::Result<Self::SerializeTuple> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> serde_json::Result<Self::SerializeTupleStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> serde_json::Result<Self::SerializeTupleVariant> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> serde_json::Result<Self::SerializeMap> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> serde_json::Result<Self::SerializeStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> serde_json::Result<Self::SerializeStructVariant> {
        Err(key_must_be_a_string())
    }
}
