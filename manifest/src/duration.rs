//! Durations written as Go and Copilot write them: `30s`, `5m`, `1h30m`,
//! `500ms`.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A length of time in a manifest: one or more `<number><unit>` with the
/// units `ms`, `s`, `m` and `h`, largest first (`1h30m`, `90s`, `500ms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(pub std::time::Duration);

impl Duration {
    /// Reads `text`; the error says what is wrong and how to write it.
    ///
    /// # Errors
    /// A message for text that is not a duration.
    pub fn parse(text: &str) -> Result<Self, String> {
        const UNITS: [(&str, u64); 4] = [("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)];
        let hint =
            "write a duration as <number><unit>, units h, m, s or ms, such as 30s, 5m or 1h30m";
        if text.is_empty() {
            return Err(format!("an empty duration; {hint}"));
        }
        let mut millis: u64 = 0;
        let mut rest = text;
        let mut last_rank: Option<usize> = None;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(format!("{text:?} is not a duration; {hint}"));
            }
            let (number, tail) = rest.split_at(digits);
            let unit_len = tail.bytes().take_while(u8::is_ascii_alphabetic).count();
            let (unit, tail) = tail.split_at(unit_len);
            let Some(rank) = UNITS.iter().position(|(u, _)| *u == unit) else {
                return Err(format!("{text:?} is not a duration; {hint}"));
            };
            if last_rank.is_some_and(|last| rank <= last) {
                return Err(format!(
                    "{text:?} repeats a unit or puts a smaller one first; {hint}"
                ));
            }
            last_rank = Some(rank);
            let value: u64 = number
                .parse()
                .map_err(|_| format!("{text:?} is too long a duration"))?;
            millis = value
                .checked_mul(UNITS[rank].1)
                .and_then(|m| millis.checked_add(m))
                .ok_or_else(|| format!("{text:?} is too long a duration"))?;
            rest = tail;
        }
        Ok(Self(std::time::Duration::from_millis(millis)))
    }

    /// The duration.
    #[must_use]
    pub fn get(self) -> std::time::Duration {
        self.0
    }
}

impl From<std::time::Duration> for Duration {
    fn from(value: std::time::Duration) -> Self {
        Self(value)
    }
}

/// The shortest text that reads back as the same duration (`90s` → `1m30s`).
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut millis = self.0.as_millis();
        if millis == 0 {
            return f.write_str("0s");
        }
        for (unit, size) in [("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] {
            if millis >= size {
                write!(f, "{}{unit}", millis / size)?;
                millis %= size;
            }
        }
        Ok(())
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$",
            "description": "A length of time: <number><unit>, units h, m, s and ms, largest first, such as 30s, 5m or 1h30m.",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Duration;

    #[test]
    fn reads_and_writes_go_style_durations() {
        for (text, millis, shown) in [
            ("30s", 30_000, "30s"),
            ("90s", 90_000, "1m30s"),
            ("1h30m", 5_400_000, "1h30m"),
            ("500ms", 500, "500ms"),
            ("0s", 0, "0s"),
        ] {
            let d = Duration::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(d.get().as_millis(), millis, "{text}");
            assert_eq!(d.to_string(), shown);
        }
    }

    #[test]
    fn rejects_what_is_not_a_duration() {
        for text in [
            "",
            "30",
            "s",
            "5 m",
            "1m1h",
            "3s3s",
            "2d",
            "-1s",
            "99999999999999999999h",
        ] {
            assert!(Duration::parse(text).is_err(), "{text:?} was accepted");
        }
    }
}
