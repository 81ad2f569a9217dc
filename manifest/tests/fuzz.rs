//! The reader under malformed input: a generated corpus (the example
//! manifests and `tests/data/every_field.yaml`, in YAML, TOML and JSON, mutated byte-wise and value-wise by a
//! seeded generator) is read, lowered and synthesized; nothing may panic,
//! and every error of the reader names a place in the file.
//!
//! `ECSCDK_FUZZ_RUNS` (default 250 per source) and `ECSCDK_FUZZ_SEED` widen
//! or move the corpus.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use ecscdk_manifest::{Error, Format, Manifest, app_from_str};
use serde_json::Value;

/// xorshift64*: small, seeded, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ": ",
    "- ",
    "\"",
    "'",
    "\t",
    "\n",
    "  ",
    "&a ",
    "*a",
    "!!binary ",
    "<<: *a",
    "~",
    "null",
    "1e999",
    "-1",
    "4294967296",
    "18446744073709551616",
    "0",
    "\"\"",
    "true",
    "=",
    "[[x]]",
    "\u{0}",
    "\u{feff}",
    "é",
    "🦀",
    "#",
    "---\n",
    "...\n",
    "? ",
    "|\n",
    ">-\n",
    "%YAML 1.1\n",
    "cpu: 7",
    "memory_mib: 3",
    "max_azs: 0",
    "nat_gateways: 99",
    "desired_count: 4000000000",
    "task_definition: X",
    "schedule: rate(0 days)",
];

fn mutate_text(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..=rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                bytes.splice(at..at, token.bytes());
            }
            1 => {
                let end = (at + 1 + rng.below(40)).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            2 => bytes.truncate(at),
            3 if at < bytes.len() => {
                const PUNCTUATION: &[u8] = b"{}[]:,-\"'#&*!|>% \n\t0a";
                bytes[at] = PUNCTUATION[rng.below(PUNCTUATION.len())];
            }
            4 => {
                let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
                let line = lines[rng.below(lines.len())].to_vec();
                bytes.splice(at..at, line.into_iter().chain([b'\n']));
            }
            _ if at < bytes.len() => bytes[at] = rng.next() as u8,
            _ => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

const LEAVES: &[fn(&mut Rng) -> Value] = &[
    |_| Value::from(0),
    |_| Value::from(-1),
    |_| Value::from(u64::MAX),
    |r| Value::from(r.below(70_000)),
    |_| Value::from(1e300),
    |_| Value::from(""),
    |_| Value::from("x".repeat(300)),
    |_| Value::from("a/b:c"),
    |_| Value::from("cron(0 2 * * ? *)"),
    |_| Value::from("1h30m"),
    |_| Value::Null,
    |_| Value::Bool(true),
    |_| Value::Array(vec![]),
    |_| Value::Object(serde_json::Map::new()),
];

/// Replaces, removes or renames one node of the manifest's value tree.
fn mutate_value(rng: &mut Rng, value: &mut Value) {
    let mut node = value;
    loop {
        let children = match node {
            Value::Object(map) if !map.is_empty() => map.len(),
            Value::Array(items) if !items.is_empty() => items.len(),
            _ => 0,
        };
        if children == 0 || rng.below(4) == 0 {
            break;
        }
        let pick = rng.below(children);
        let child = match node {
            Value::Object(map) => {
                if rng.below(8) == 0 {
                    let key = map.keys().nth(pick).cloned().unwrap();
                    match rng.below(3) {
                        0 => {
                            map.shift_remove(&key);
                        }
                        1 => {
                            let v = map.shift_remove(&key).unwrap();
                            map.insert(format!("{key}x"), v);
                        }
                        _ => {
                            let v = map[&key].clone();
                            map.insert("Default".to_owned(), v);
                        }
                    }
                    return;
                }
                map.values_mut().nth(pick).unwrap()
            }
            Value::Array(items) => &mut items[pick],
            _ => unreachable!(),
        };
        node = child;
    }
    *node = LEAVES[rng.below(LEAVES.len())](rng);
}

fn sources() -> Vec<(String, Format, String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/src");
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    names.sort();
    // Every field of the schema, at least once.
    names.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/every_field.yaml"));
    for path in names {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let manifest: Manifest = serde_norway::from_str(&text).unwrap();
        let base = path.parent().unwrap().to_owned();
        let json = serde_json::to_string_pretty(&manifest).unwrap();
        let toml = toml::to_string(&manifest).unwrap();
        out.push((name.clone(), Format::Json, json, base.clone()));
        out.push((name.clone(), Format::Toml, toml, base.clone()));
        out.push((name, Format::Yaml, text, base));
    }
    out
}

fn run(text: &str, format: Format, base: &Path) -> Result<(), Error> {
    let app = app_from_str(text, format, "fuzz", base)?;
    // Synth errors (limits, validation) are fine; panics are not.
    let _ = app.synth();
    Ok(())
}

#[test]
fn no_malformed_manifest_panics_and_reader_errors_are_placed() {
    let runs: usize = std::env::var("ECSCDK_FUZZ_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(250);
    let seed: u64 = std::env::var("ECSCDK_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5EED);
    let mut rng = Rng(seed | 1);
    let (mut built, mut rejected, mut unplaced) = (0, 0, Vec::new());
    for (name, format, text, base) in sources() {
        let value: Value = match format {
            Format::Json => serde_json::from_str(&text).unwrap(),
            Format::Toml => {
                serde_json::to_value(toml::from_str::<Manifest>(&text).unwrap()).unwrap()
            }
            Format::Yaml => serde_norway::from_str(&text).unwrap(),
        };
        for i in 0..runs {
            let input = if i % 2 == 0 {
                mutate_text(&mut rng, &text)
            } else {
                let mut v = value.clone();
                mutate_value(&mut rng, &mut v);
                match format {
                    Format::Json => serde_json::to_string_pretty(&v).unwrap(),
                    Format::Yaml => serde_norway::to_string(&v).unwrap(),
                    Format::Toml => match toml::to_string(&v) {
                        Ok(t) => t,
                        Err(_) => continue,
                    },
                }
            };
            let outcome = catch_unwind(AssertUnwindSafe(|| run(&input, format, &base)));
            match outcome {
                Err(_) => panic!("{name} ({format:?}), run {i}, seed {seed}: panicked on\n{input}"),
                Ok(Ok(())) => built += 1,
                Ok(Err(e)) => {
                    rejected += 1;
                    if matches!(e, Error::Parse { .. })
                        && e.place().is_some_and(|p| p.location.is_none())
                    {
                        unplaced.push(format!("{name} ({format:?}): {e}"));
                    }
                }
            }
        }
    }
    eprintln!(
        "fuzz: {built} built, {rejected} rejected, {} parse errors without a line",
        unplaced.len()
    );
    assert!(
        built > 0 && rejected > 0,
        "the corpus exercised one side only"
    );
    assert!(
        unplaced.is_empty(),
        "parse errors without a line and column: {unplaced:#?}"
    );
}
