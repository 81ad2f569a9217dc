//! A manifest written back as Rust: the program that makes the builder
//! calls [`crate::lower`] makes, in the same order, so it synthesizes the
//! same templates byte for byte. `ecscdk import copilot PATH --rust FILE`
//! writes it, so that an app can move from YAML to Rust and keep growing
//! there.
//!
//! [`to_rust`] writes a whole `main.rs` (an `app()` function and a `main`
//! that runs the command line) for a crate depending on `ecscdk` with its
//! `deploy` feature; [`to_rust_module`] writes the `app()` function alone,
//! as a library module (`pub fn app() -> ecscdk::Result<App>`).
//!
//! The code is laid out close to rustfmt's style; [`rustfmt`] runs the
//! real one over it for the exact layout.
//!
//! # Paths
//!
//! A manifest's relative paths (the build contexts of images and
//! `context_file`) start at the manifest's directory. The program keeps that
//! meaning: it names the directory once, as `const MANIFEST_DIR: &str`, and
//! joins each path, as written in the manifest, to it
//! (`Path::new(MANIFEST_DIR).join("../images/hello")`). [`ManifestDir`]
//! says how the constant is written: by default relative to the crate the
//! program is compiled in (`env!("CARGO_MANIFEST_DIR")`), so the program
//! finds its files whatever directory it runs from. The constant is
//! written only when a path needs it.
//!
//! The context file is set with `.context_file(…)` only when the manifest
//! sets `context_file`; otherwise the app uses ecscdk's default,
//! `cdk.context.json` in the program's package directory, which is the
//! manifest's default (next to the manifest) when the crate and the
//! manifest share a directory.
//!
//! # What is checked
//!
//! The emitter resolves what it must to write the code, as lowering does:
//! environments, task definitions and services named by other entries,
//! output references, topics named by alarms, the metrics of alarms, the
//! services of deployment alarms and dashboard rows, CPU units and task
//! sizes, log retention days, schedule expressions, deployment strategies,
//! `image` against `build` and the source of each secret. A manifest
//! failing one of these is an error (the message names the entry). What
//! only the builders check (a port out of range, a missing build context,
//! …) is not checked here: the program fails as the manifest's lowering
//! does, when it runs.
//!
//! A field of a stack the emitter does not know (one the model gained
//! after it) is refused with an error naming it, rather than left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use ecscdk::ecs::{FARGATE_SIZES, FargateCpu, FargateSize};
use ecscdk::logs::RetentionDays;

use crate::model::{
    self, AutoScalingSpec, BuildSpec, CapacityEntry, ContainerSpec, Manifest, StackSpec,
    TaskDefinitionSpec, VolumeSpec,
};

/// Where the generated program finds the manifest's directory, which the
/// manifest's relative paths (build contexts, `context_file`) start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManifestDir {
    /// The manifest's directory relative to the root of the crate the
    /// program is compiled in (the directory of its `Cargo.toml`): `""` or
    /// `"."` when the manifest sits next to `Cargo.toml`, `"src"` when it
    /// sits in `src/`. Written as
    /// `concat!(env!("CARGO_MANIFEST_DIR"), "/src")`, so the program finds
    /// its files from any working directory. An absolute path is written
    /// as it is.
    CrateRelative(String),
    /// A path written as it is: absolute, or relative to the directory the
    /// program runs in.
    Literal(String),
}

impl Default for ManifestDir {
    fn default() -> Self {
        Self::CrateRelative(String::new())
    }
}

/// How the Rust is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Where the program finds the manifest's directory.
    ///
    /// Default: the crate's root ([`ManifestDir::CrateRelative`] of `""`).
    pub manifest_dir: ManifestDir,
    /// The manifest's name, such as `ecscdk.yaml`, for the header comment.
    ///
    /// Default: none (the header says "a manifest").
    pub source: Option<String>,
}

/// The `main.rs` of a program equivalent to `manifest`, with the default
/// [`Options`]: `fn app() -> ecscdk::Result<App>` and
/// `fn main() -> ecscdk::cli::Result<()> { app()?.run() }`.
///
/// # Errors
/// A message naming the entry when the manifest would not lower (see the
/// module's documentation for what is checked).
pub fn to_rust(manifest: &Manifest) -> Result<String, String> {
    to_rust_with(manifest, &Options::default())
}

/// As [`to_rust`], with `options`.
///
/// # Errors
/// As [`to_rust`].
pub fn to_rust_with(manifest: &Manifest, options: &Options) -> Result<String, String> {
    write(manifest, options, Flavour::Program)
}

/// A library module equivalent to `manifest`: `pub fn app() ->
/// ecscdk::Result<App>`, without `main`.
///
/// # Errors
/// As [`to_rust`].
pub fn to_rust_module(manifest: &Manifest, options: &Options) -> Result<String, String> {
    write(manifest, options, Flavour::Module)
}

/// `text` as a Rust string literal, quotes included: backslashes, quotes,
/// line breaks, tabs and other control characters escaped, as are the
/// invisible and bidirectional formatting characters rustc and clippy warn
/// about; every other character as it is.
#[must_use]
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() || invisible(c) => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters that do not show, or reorder the text around them: escaped
/// so that the code reads as it runs (rustc's
/// `text_direction_codepoint_in_literal`, clippy's `invisible_characters`).
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{61c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fffb}'
    )
}

/// Formats `code` with rustfmt (edition 2024): the `rustfmt` on the `PATH`,
/// or the one the `RUSTFMT` environment variable names.
///
/// # Errors
/// When rustfmt cannot be run or rejects the code; the message says which.
pub fn rustfmt(code: &str) -> Result<String, String> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};

    let program = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut child = Command::new(&program)
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", program.to_string_lossy()))?;
    let written = match child.stdin.take() {
        Some(mut stdin) => stdin.write_all(code.as_bytes()),
        None => Ok(()),
    };
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    written.map_err(|e| format!("rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt wrote no UTF-8: {e}"))
}

// ---------------------------------------------------------------------------
// Expressions and their layout.

/// The line width rustfmt keeps to.
const MAX_WIDTH: usize = 100;
/// rustfmt's `fn_call_width`, `chain_width` and `array_width` (its default
/// "small heuristics").
const SMALL_WIDTH: usize = 60;
/// One level of indentation.
const INDENT: usize = 4;

/// A Rust expression, as far as builder code needs: paths, literals, calls,
/// method chains and arrays.
#[derive(Debug, Clone)]
enum Expr {
    /// Written as it is: a literal, a path, `&mut stack`, `2..=10`.
    Atom(String),
    /// `callee(args)`.
    Call(String, Vec<Expr>),
    /// `base.m(args).n(args)?`.
    Chain(Box<Expr>, Vec<Link>),
    /// `expr?` of an expression that is not a chain.
    Try(Box<Expr>),
    /// `[a, b]`.
    Array(Vec<Expr>),
    /// `&expr`.
    Borrow(Box<Expr>),
}

/// One method call of a chain.
#[derive(Debug, Clone)]
struct Link {
    method: String,
    args: Vec<Expr>,
    try_: bool,
}

fn atom(text: impl Into<String>) -> Expr {
    Expr::Atom(text.into())
}

fn lit(text: &str) -> Expr {
    Expr::Atom(string_literal(text))
}

fn call(callee: impl Into<String>, args: Vec<Expr>) -> Expr {
    Expr::Call(callee.into(), args)
}

impl Expr {
    /// `self.method(args)`.
    fn m(self, method: &str, args: Vec<Expr>) -> Self {
        let link = Link {
            method: method.to_owned(),
            args,
            try_: false,
        };
        match self {
            Self::Chain(base, mut links) => {
                links.push(link);
                Self::Chain(base, links)
            }
            other => Self::Chain(Box::new(other), vec![link]),
        }
    }

    /// `self?`.
    fn try_(self) -> Self {
        match self {
            Self::Chain(base, mut links) => {
                if let Some(last) = links.last_mut() {
                    last.try_ = true;
                }
                Self::Chain(base, links)
            }
            other => Self::Try(Box::new(other)),
        }
    }

    /// The expression on one line.
    fn flat(&self) -> String {
        match self {
            Self::Atom(text) => text.clone(),
            Self::Call(callee, args) => format!("{callee}({})", flat_list(args)),
            Self::Chain(base, links) => {
                let mut out = base.flat();
                for link in links {
                    out.push_str(&link.flat());
                }
                out
            }
            Self::Try(inner) => format!("{}?", inner.flat()),
            Self::Array(items) => format!("[{}]", flat_list(items)),
            Self::Borrow(inner) => format!("&{}", inner.flat()),
        }
    }

    /// Whether one line is within rustfmt's small heuristics, nested
    /// calls, chains and arrays included.
    fn small(&self) -> bool {
        match self {
            Self::Atom(_) => true,
            Self::Call(_, args) => small_list(args),
            Self::Chain(base, links) => {
                (links.len() < 2 || self.flat().len() <= SMALL_WIDTH)
                    && base.small()
                    && links.iter().all(|l| small_list(&l.args))
            }
            Self::Try(inner) | Self::Borrow(inner) => inner.small(),
            Self::Array(items) => small_list(items),
        }
    }

    /// The expression laid out from a column where `budget` characters
    /// remain on its first line; later lines start at `indent`.
    fn render(&self, indent: usize, budget: usize) -> String {
        let flat = self.flat();
        if flat.len() <= budget && self.small() {
            return flat;
        }
        match self {
            Self::Atom(text) => text.clone(),
            Self::Call(callee, args) => {
                let rest = budget.saturating_sub(callee.len());
                format!("{callee}{}", render_args(args, indent, rest))
            }
            Self::Try(inner) => format!("{}?", inner.render(indent, budget.saturating_sub(1))),
            Self::Borrow(inner) => format!("&{}", inner.render(indent, budget.saturating_sub(1))),
            Self::Array(items) => vertical('[', items, ']', indent),
            Self::Chain(base, links) => {
                let base_flat = base.flat();
                // A single call on a short base stays on the base's line.
                if let [link] = links.as_slice()
                    && base_flat.len() + link.method.len() + 2 <= budget
                    && base.small()
                {
                    let head = format!("{base_flat}.{}", link.method);
                    let tail = usize::from(link.try_);
                    let args =
                        render_args(&link.args, indent, budget.saturating_sub(head.len() + tail));
                    return format!("{head}{args}{}", if link.try_ { "?" } else { "" });
                }
                let mut out = base.render(indent, budget);
                let child = if out.contains('\n') {
                    indent
                } else {
                    indent + INDENT
                };
                for link in links {
                    out.push('\n');
                    out.push_str(&" ".repeat(child));
                    let head = format!(".{}", link.method);
                    let tail = usize::from(link.try_);
                    let width = MAX_WIDTH.saturating_sub(child + head.len() + tail + 1);
                    out.push_str(&head);
                    out.push_str(&render_args(&link.args, child, width));
                    if link.try_ {
                        out.push('?');
                    }
                }
                out
            }
        }
    }
}

impl Link {
    fn flat(&self) -> String {
        format!(
            ".{}({}){}",
            self.method,
            flat_list(&self.args),
            if self.try_ { "?" } else { "" }
        )
    }
}

fn flat_list(items: &[Expr]) -> String {
    items.iter().map(Expr::flat).collect::<Vec<_>>().join(", ")
}

fn small_list(items: &[Expr]) -> bool {
    flat_list(items).len() <= SMALL_WIDTH && items.iter().all(Expr::small)
}

/// `(args)` from a column where `budget` characters remain.
fn render_args(args: &[Expr], indent: usize, budget: usize) -> String {
    let flat = format!("({})", flat_list(args));
    if flat.len() <= budget && small_list(args) {
        return flat;
    }
    if let [only @ (Expr::Call(..) | Expr::Array(_))] = args {
        let inner = only.render(indent, budget.saturating_sub(2));
        let first = inner.lines().next().map_or(0, str::len);
        if first < budget {
            return format!("({inner})");
        }
    }
    vertical('(', args, ')', indent)
}

/// One item a line, each followed by a comma.
fn vertical(open: char, items: &[Expr], close: char, indent: usize) -> String {
    let inner = indent + INDENT;
    let mut out = String::new();
    out.push(open);
    out.push('\n');
    for item in items {
        out.push_str(&" ".repeat(inner));
        out.push_str(&item.render(inner, MAX_WIDTH.saturating_sub(inner + 1)));
        out.push_str(",\n");
    }
    out.push_str(&" ".repeat(indent));
    out.push(close);
    out
}

/// A statement of a function body.
#[derive(Debug, Clone)]
enum Stmt {
    /// `let [mut] name = expr;`
    Let {
        name: String,
        mutable: bool,
        value: Expr,
    },
    /// `expr;`
    Expr(Expr),
    /// `head {` body `}`
    Block(String, Vec<Stmt>),
    /// The function's value: `expr`, no semicolon.
    Tail(Expr),
    /// A blank line between parts.
    Blank,
}

fn render_stmts(stmts: &[Stmt], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for stmt in stmts {
        match stmt {
            Stmt::Let {
                name,
                mutable,
                value,
            } => {
                let head = format!("let {}{name} = ", if *mutable { "mut " } else { "" });
                let budget = MAX_WIDTH.saturating_sub(indent + head.len() + 1);
                out.push_str(&format!("{pad}{head}{};\n", value.render(indent, budget)));
            }
            Stmt::Expr(value) => {
                let budget = MAX_WIDTH.saturating_sub(indent + 1);
                out.push_str(&format!("{pad}{};\n", value.render(indent, budget)));
            }
            Stmt::Block(head, body) => {
                out.push_str(&format!("{pad}{head} {{\n"));
                render_stmts(body, indent + INDENT, out);
                out.push_str(&format!("{pad}}}\n"));
            }
            Stmt::Tail(value) => {
                let budget = MAX_WIDTH.saturating_sub(indent);
                out.push_str(&format!("{pad}{}\n", value.render(indent, budget)));
            }
            Stmt::Blank => out.push('\n'),
        }
    }
}

// ---------------------------------------------------------------------------
// The program.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Program,
    Module,
}

/// The `use` lines the code needs.
#[derive(Debug, Default)]
struct Uses {
    /// `ecscdk::<module>` → the names used from it.
    items: BTreeMap<&'static str, BTreeSet<&'static str>>,
    /// `use ecscdk::<module>;` for paths written `module::Name`.
    modules: BTreeSet<&'static str>,
    duration: bool,
    path: bool,
}

impl Uses {
    /// `Name`, imported from `ecscdk::<module>`.
    fn name(&mut self, module: &'static str, name: &'static str) -> &'static str {
        self.items.entry(module).or_default().insert(name);
        name
    }

    fn lines(&self) -> String {
        let mut out = String::new();
        if self.path {
            out.push_str("use std::path::Path;\n");
        }
        if self.duration {
            out.push_str("use std::time::Duration;\n");
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let mut lines: BTreeMap<String, String> = BTreeMap::new();
        for module in &self.modules {
            lines.insert(
                format!("ecscdk::{module}"),
                format!("use ecscdk::{module};\n"),
            );
        }
        lines.insert("ecscdk::prelude".into(), "use ecscdk::prelude::*;\n".into());
        for (module, names) in &self.items {
            let names: Vec<&str> = names.iter().copied().collect();
            let line = match names.as_slice() {
                [one] => format!("use ecscdk::{module}::{one};\n"),
                _ => {
                    let one_line = format!("use ecscdk::{module}::{{{}}};", names.join(", "));
                    if one_line.len() <= MAX_WIDTH {
                        format!("{one_line}\n")
                    } else {
                        let mut text = format!("use ecscdk::{module}::{{\n");
                        let mut line = String::new();
                        for name in names {
                            let extra = if line.is_empty() { 0 } else { 1 };
                            if INDENT + line.len() + extra + name.len() + 1 > MAX_WIDTH {
                                text.push_str(&format!("    {line}\n"));
                                line.clear();
                            }
                            if !line.is_empty() {
                                line.push(' ');
                            }
                            line.push_str(name);
                            line.push(',');
                        }
                        text.push_str(&format!("    {line}\n}};\n"));
                        text
                    }
                }
            };
            lines.insert(format!("ecscdk::{module}"), line);
        }
        for line in lines.values() {
            out.push_str(line);
        }
        out
    }
}

/// Unique snake-case variable names.
#[derive(Debug, Default)]
struct Names {
    taken: BTreeSet<String>,
}

impl Names {
    fn new(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn fresh(&mut self, id: &str) -> String {
        let base = snake_case(id);
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// `ServiceName` → `service_name`, `HTTPServer` → `http_server`,
/// `my-task` → `my_task`; a keyword or a name starting with a digit gets
/// a `_` after it or an `x_` before it.
fn snake_case(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let trimmed = out.trim_end_matches('_');
    let mut name = if trimmed.is_empty() {
        "construct".to_owned()
    } else {
        trimmed.to_owned()
    };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "x_");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names the code gives itself, kept from constructs.
const RESERVED: &[&str] = &["app", "stack", "main", "queue"];

fn write(manifest: &Manifest, options: &Options, flavour: Flavour) -> Result<String, String> {
    let mut uses = Uses::default();
    for (name, spec) in &manifest.stacks {
        unsupported(spec).map_err(|e| format!("stacks.{name}.{e}"))?;
    }
    let plan = plan(manifest)?;

    let mut app = call("App::new", vec![]);
    if let Some(file) = &manifest.context_file {
        uses.path = true;
        app = app.m("context_file", vec![manifest_path(file)]);
    }
    if let Some(strength) = manifest.cross_stack_references {
        let variant = match strength {
            model::ReferenceStrength::Strong => "Strong",
            model::ReferenceStrength::Weak => "Weak",
        };
        app = app.m(
            "cross_stack_references",
            vec![atom(format!("ReferenceStrength::{variant}"))],
        );
    }
    let mut body = Vec::new();
    if manifest.stacks.is_empty() {
        body.push(Stmt::Tail(call("Ok", vec![app])));
    } else {
        body.push(Stmt::Let {
            name: "app".into(),
            mutable: true,
            value: app,
        });
        for ((name, spec), h) in manifest.stacks.iter().zip(&plan.stacks) {
            let stmts = stack(manifest, name, spec, h, &plan, &mut uses)
                .map_err(|e| format!("stacks.{name}.{e}"))?;
            body.push(Stmt::Blank);
            body.extend(stmts);
            body.push(Stmt::Expr(
                atom("app").m("add", vec![atom(h.stack.as_str())]).try_(),
            ));
        }
        body.push(Stmt::Tail(call("Ok", vec![atom("app")])));
    }

    let mut out = String::new();
    let source = options
        .source
        .as_deref()
        .map_or_else(|| "a manifest".to_owned(), |s| format!("`{s}`"));
    out.push_str(&format!(
        "//! The ecscdk app of {source}, as Rust: the builder calls the manifest\n\
         //! makes, in the same order, so both synthesize the same templates.\n"
    ));
    match flavour {
        Flavour::Program => out.push_str(
            "//!\n\
             //! `cargo run -- synth` writes them to `cdk.out/`; `cargo run -- deploy`\n\
             //! deploys them.\n\n",
        ),
        Flavour::Module => {
            out.push_str("//! Generated by `ecscdk_manifest::rust::to_rust_module`.\n\n");
        }
    }
    out.push_str(&uses.lines());
    if uses.path {
        let (value, note) = match &options.manifest_dir {
            ManifestDir::CrateRelative(dir) if Path::new(dir).is_absolute() => {
                (string_literal(dir), "")
            }
            ManifestDir::CrateRelative(dir) => {
                let dir = dir.trim_end_matches('/');
                let value = if dir.is_empty() || dir == "." {
                    "env!(\"CARGO_MANIFEST_DIR\")".to_owned()
                } else {
                    format!(
                        "concat!(env!(\"CARGO_MANIFEST_DIR\"), {})",
                        string_literal(&format!("/{dir}"))
                    )
                };
                (
                    value,
                    "\n/// (found from the crate's root, whatever directory the program runs in)",
                )
            }
            ManifestDir::Literal(dir) => (
                string_literal(dir),
                "\n/// (relative to the directory the program runs in)",
            ),
        };
        out.push_str(&format!(
            "\n/// The directory of the manifest: its relative paths (build contexts, the\n\
             /// context file) start here{note}.\n\
             const MANIFEST_DIR: &str = {value};\n"
        ));
    }
    let visibility = match flavour {
        Flavour::Program => "",
        Flavour::Module => "pub ",
    };
    out.push_str(&format!(
        "\n/// Builds the app.\n\
         ///\n\
         /// # Errors\n\
         /// The builders' errors, which name the construct path.\n\
         {visibility}fn app() -> ecscdk::Result<App> {{\n"
    ));
    render_stmts(&body, INDENT, &mut out);
    out.push_str("}\n");
    if flavour == Flavour::Program {
        out.push_str("\nfn main() -> ecscdk::cli::Result<()> {\n    app()?.run()\n}\n");
    }
    Ok(out)
}

/// `Path::new(MANIFEST_DIR).join("…")`.
fn manifest_path(path: &str) -> Expr {
    call("Path::new", vec![atom("MANIFEST_DIR")]).m("join", vec![lit(path)])
}

fn duration(uses: &mut Uses, d: crate::duration::Duration) -> Expr {
    uses.duration = true;
    let d: Duration = d.get();
    if d.subsec_nanos() == 0 {
        call("Duration::from_secs", vec![atom(d.as_secs().to_string())])
    } else {
        call(
            "Duration::from_millis",
            vec![atom(d.as_millis().to_string())],
        )
    }
}

fn float(value: f64) -> Result<Expr, String> {
    if value.is_finite() {
        Ok(atom(format!("{value:?}")))
    } else {
        Err(format!("{value} is not a number Rust can write"))
    }
}

/// The variables of one stack: its own and those of its constructs, as
/// `(construct id, variable)` where later entries refer to them.
#[derive(Debug, Default)]
struct StackVars {
    /// The stack's variable.
    stack: String,
    /// GuardDuty's detector.
    detector: Option<String>,
    /// The VPC built here.
    own_vpc: Option<String>,
    /// The VPC of the stack: its own, or `vpc_from`'s.
    vpc: Option<(String, String)>,
    /// The cluster built here.
    own_cluster: Option<String>,
    /// The cluster its services run in: its own, or `cluster_from`'s.
    cluster: Option<(String, String)>,
    tasks: BTreeMap<String, String>,
    /// The tasks written inside services, by service id.
    inline_tasks: BTreeMap<String, String>,
    services: BTreeMap<String, String>,
    load_balanced: BTreeMap<String, String>,
    network_load_balanced: BTreeMap<String, String>,
    queue_services: BTreeMap<String, String>,
    scheduled: BTreeMap<String, String>,
    /// Auto Scaling groups, by id.
    asgs: BTreeMap<String, String>,
    /// Their capacity providers, by the provider's id.
    asg_providers: BTreeMap<String, String>,
    mi_providers: BTreeMap<String, String>,
    /// The task definitions of EC2 services, by service id.
    ec2_tasks: BTreeMap<String, String>,
    ec2_services: BTreeMap<String, String>,
    /// The task definitions of Managed Instances services, by service id.
    mi_tasks: BTreeMap<String, String>,
    mi_services: BTreeMap<String, String>,
    topics: BTreeMap<String, String>,
    /// The recommended alarms of a service (of any kind), by its id.
    recommended: BTreeMap<String, String>,
    alarms: BTreeMap<String, String>,
}

/// The variables of every stack, and those read after their construct is
/// built (the others are built without a `let`).
#[derive(Debug, Default)]
struct Plan {
    stacks: Vec<StackVars>,
    used: BTreeSet<String>,
}

/// Unique variable names for the whole `app()`: a construct id's snake
/// case, then the stack's name before it (`api_service`), then a number.
fn construct_var(names: &mut Names, stack: &str, id: &str) -> String {
    let base = snake_case(id);
    if names.taken.contains(&base) {
        names.fresh(&format!("{}_{base}", snake_case(stack)))
    } else {
        names.fresh(id)
    }
}

fn plan(manifest: &Manifest) -> Result<Plan, String> {
    let mut names = Names::new(RESERVED);
    let mut plan = Plan::default();
    let single = manifest.stacks.len() == 1;
    let by_name = |stacks: &[StackVars], name: &str| -> Option<usize> {
        manifest
            .stacks
            .get_index_of(name)
            .filter(|&i| i < stacks.len())
    };
    for (name, spec) in &manifest.stacks {
        let mut v = StackVars {
            stack: if single {
                "stack".to_owned()
            } else {
                construct_var(&mut names, name, &format!("{name}Stack"))
            },
            ..StackVars::default()
        };
        let at = |field: &str| format!("stacks.{name}.{field}");
        if let Some(detector) = &spec.guardduty_detector {
            let id = detector.id.as_deref().unwrap_or("GuardDuty");
            let var = construct_var(&mut names, name, id);
            if detector.acknowledge_warning {
                plan.used.insert(var.clone());
            }
            v.detector = Some(var);
        }
        if let Some(vpc) = &spec.vpc {
            let id = vpc.id.clone().unwrap_or_else(|| "Vpc".to_owned());
            let var = construct_var(&mut names, name, &id);
            v.own_vpc = Some(var.clone());
            v.vpc = Some((id, var));
        }
        if let Some(from) = &spec.vpc_from {
            if spec.vpc.is_some() {
                return Err(format!(
                    "{}: give `vpc` or `vpc_from`, not both",
                    at("vpc_from")
                ));
            }
            let other = by_name(&plan.stacks, from)
                .and_then(|i| plan.stacks.get(i))
                .ok_or_else(|| format!("{}: no stack {from:?} before this one", at("vpc_from")))?;
            v.vpc = Some(
                other
                    .vpc
                    .clone()
                    .ok_or_else(|| format!("{}: stack {from:?} has no `vpc`", at("vpc_from")))?,
            );
        }
        if let Some(cluster) = &spec.cluster {
            let Some((_, vpc)) = &v.vpc else {
                return Err(format!(
                    "{}: a cluster needs the stack's `vpc`",
                    at("cluster")
                ));
            };
            plan.used.insert(vpc.clone());
            let id = cluster.id.clone().unwrap_or_else(|| "Cluster".to_owned());
            let var = construct_var(&mut names, name, &id);
            v.own_cluster = Some(var.clone());
            v.cluster = Some((id, var));
        }
        if let Some(from) = &spec.cluster_from {
            let other = by_name(&plan.stacks, from)
                .and_then(|i| plan.stacks.get(i))
                .ok_or_else(|| {
                    format!("{}: no stack {from:?} before this one", at("cluster_from"))
                })?;
            v.cluster = Some(other.cluster.clone().ok_or_else(|| {
                format!("{}: stack {from:?} has no `cluster`", at("cluster_from"))
            })?);
        }
        for (id, group) in &spec.auto_scaling_groups {
            if let (Some((_, vpc)), Some((_, cluster))) = (&v.vpc, &v.cluster) {
                plan.used.insert(vpc.clone());
                plan.used.insert(cluster.clone());
            }
            let var = construct_var(&mut names, name, id);
            plan.used.insert(var.clone());
            v.asgs.insert(id.clone(), var);
            let provider_id = asg_provider_id(id, group);
            let provider = construct_var(&mut names, name, &provider_id);
            plan.used.insert(provider.clone());
            v.asg_providers.insert(provider_id, provider);
        }
        for id in spec.managed_instances_providers.keys() {
            if let Some((_, cluster)) = &v.cluster {
                plan.used.insert(cluster.clone());
            }
            let var = construct_var(&mut names, name, id);
            v.mi_providers.insert(id.clone(), var);
        }
        for id in spec.topics.keys() {
            let var = construct_var(&mut names, name, id);
            v.topics.insert(id.clone(), var);
        }
        let any_service = !spec.services.is_empty()
            || !spec.ec2_services.is_empty()
            || !spec.managed_instances_services.is_empty()
            || !spec.load_balanced_services.is_empty()
            || !spec.network_load_balanced_services.is_empty()
            || !spec.queue_processing_services.is_empty()
            || !spec.scheduled_tasks.is_empty();
        if any_service && let Some((_, var)) = &v.cluster {
            plan.used.insert(var.clone());
        }
        for id in spec.task_definitions.keys() {
            let var = construct_var(&mut names, name, id);
            v.tasks.insert(id.clone(), var);
        }
        for (id, service) in &spec.ec2_services {
            let task_id = service
                .task
                .id
                .clone()
                .unwrap_or_else(|| format!("{id}Task"));
            let task = construct_var(&mut names, name, &task_id);
            plan.used.insert(task.clone());
            v.ec2_tasks.insert(id.clone(), task);
            let var = construct_var(&mut names, name, id);
            if service.auto_scaling.is_some() {
                plan.used.insert(var.clone());
            }
            v.ec2_services.insert(id.clone(), var);
        }
        for (id, service) in &spec.managed_instances_services {
            let task_id = service
                .task
                .id
                .clone()
                .unwrap_or_else(|| format!("{id}Task"));
            let task = construct_var(&mut names, name, &task_id);
            plan.used.insert(task.clone());
            v.mi_tasks.insert(id.clone(), task);
            let var = construct_var(&mut names, name, id);
            if service.auto_scaling.is_some() {
                plan.used.insert(var.clone());
            }
            v.mi_services.insert(id.clone(), var);
            for share in &service.capacity_provider_strategy {
                if let Some(provider) = v.mi_providers.get(&share.provider) {
                    plan.used.insert(provider.clone());
                }
            }
        }
        for (id, service) in &spec.services {
            if let Some(task) = &service.task {
                let task_id = task.id.clone().unwrap_or_else(|| format!("{id}Task"));
                let var = construct_var(&mut names, name, &task_id);
                plan.used.insert(var.clone());
                v.inline_tasks.insert(id.clone(), var);
            }
            if let Some(task) = &service.task_definition
                && let Some(var) = v.tasks.get(task)
            {
                plan.used.insert(var.clone());
            }
            let var = construct_var(&mut names, name, id);
            if service.auto_scaling.is_some()
                || !service.allow_from.is_empty()
                || service.recommended_alarms.is_some()
            {
                plan.used.insert(var.clone());
            }
            v.services.insert(id.clone(), var);
            if service.recommended_alarms.is_some() {
                let alarms = construct_var(&mut names, name, &format!("{id}Alarms"));
                v.recommended.insert(id.clone(), alarms);
            }
        }
        for (id, service) in &spec.services {
            for (i, rule) in service.allow_from.iter().enumerate() {
                let here = format!("services.{id}.allow_from[{i}]");
                let services = match &rule.stack {
                    Some(other) => {
                        &by_name(&plan.stacks, other)
                            .and_then(|i| plan.stacks.get(i))
                            .ok_or_else(|| {
                                format!("{}: no stack {other:?} before this one", at(&here))
                            })?
                            .services
                    }
                    None => &v.services,
                };
                let from = services.get(&rule.service).ok_or_else(|| {
                    format!("{}.service: no service {:?}", at(&here), rule.service)
                })?;
                plan.used.insert(from.clone());
            }
        }
        for (id, service) in &spec.load_balanced_services {
            let var = construct_var(&mut names, name, id);
            if service.auto_scaling.is_some()
                || !service.load_balancer_ingress.is_empty()
                || service.recommended_alarms.is_some()
            {
                plan.used.insert(var.clone());
            }
            v.load_balanced.insert(id.clone(), var);
            if service.recommended_alarms.is_some() {
                let alarms = construct_var(&mut names, name, &format!("{id}Alarms"));
                v.recommended.insert(id.clone(), alarms);
            }
        }
        for (id, service) in &spec.network_load_balanced_services {
            let var = construct_var(&mut names, name, id);
            if service.auto_scaling.is_some() {
                plan.used.insert(var.clone());
            }
            v.network_load_balanced.insert(id.clone(), var);
        }
        for id in spec.queue_processing_services.keys() {
            let var = construct_var(&mut names, name, id);
            v.queue_services.insert(id.clone(), var);
        }
        for id in spec.scheduled_tasks.keys() {
            let var = construct_var(&mut names, name, id);
            v.scheduled.insert(id.clone(), var);
        }
        for (id, alarm) in &spec.alarms {
            let var = construct_var(&mut names, name, id);
            // What does not resolve is reported when the stack is written.
            if let Ok((metric_var, _)) = metric_expr(&v, &alarm.metric) {
                plan.used.insert(metric_var);
            }
            if let Some(service) = &alarm.deployment_alarm_of {
                plan.used.insert(var.clone());
                if let Some((service_var, _)) = service_expr(&v, service) {
                    plan.used.insert(service_var);
                }
            }
            v.alarms.insert(id.clone(), var);
        }
        for dashboard in spec.dashboards.values() {
            for service in dashboard.rows.iter().filter_map(|r| r.service.as_ref()) {
                if let Some((service_var, _)) = service_expr(&v, service) {
                    plan.used.insert(service_var);
                }
                if let Some(alarms) = v.recommended.get(service) {
                    plan.used.insert(alarms.clone());
                }
            }
        }
        let topic_refs = spec
            .services
            .values()
            .filter_map(|s| s.recommended_alarms.as_ref())
            .chain(
                spec.load_balanced_services
                    .values()
                    .filter_map(|s| s.recommended_alarms.as_ref()),
            )
            .filter_map(|r| r.topic.as_ref())
            .chain(
                spec.alarms
                    .values()
                    .flat_map(|a| a.alarm_topic.iter().chain(&a.ok_topic)),
            );
        for topic in topic_refs {
            if let Some(var) = v.topics.get(topic) {
                plan.used.insert(var.clone());
            }
        }
        for (output, reference) in &spec.outputs {
            let value = output_value(&v, reference)
                .map_err(|e| format!("{}: {e}", at(&format!("outputs.{output}"))))?;
            plan.used.insert(output_var(&value).to_owned());
        }
        plan.stacks.push(v);
    }
    Ok(plan)
}

/// What an output reads.
enum OutputValue {
    /// `handle.a().b()`.
    Chain(String, Vec<&'static str>),
    /// The dead-letter queue of a queue service, an `Option`.
    QueueDeadLetter(String),
}

fn output_value(v: &StackVars, reference: &str) -> Result<OutputValue, String> {
    let Some((id, attribute)) = reference.rsplit_once('.') else {
        return Err(format!(
            "{reference:?} is not a reference; write `<construct id>.<attribute>`"
        ));
    };
    let unknown = |kind: &str| format!("a {kind} has no output attribute {attribute:?}");
    let chain =
        |var: &String, calls: &[&'static str]| OutputValue::Chain(var.clone(), calls.to_vec());
    for services in [&v.ec2_services, &v.mi_services] {
        if let Some(var) = services.get(id) {
            return match attribute {
                "name" => Ok(chain(var, &["name"])),
                "arn" => Ok(chain(var, &["arn"])),
                _ => Err(unknown("service")),
            };
        }
    }
    for providers in [&v.mi_providers, &v.asg_providers] {
        if let Some(var) = providers.get(id) {
            return match attribute {
                "name" => Ok(chain(var, &["name"])),
                _ => Err(unknown("capacity provider")),
            };
        }
    }
    if let Some(var) = v.services.get(id) {
        return match attribute {
            "name" => Ok(chain(var, &["name"])),
            "arn" => Ok(chain(var, &["arn"])),
            _ => Err(unknown("service")),
        };
    }
    if let Some((_, var)) = v.cluster.as_ref().filter(|(cid, _)| cid == id) {
        return match attribute {
            "name" => Ok(chain(var, &["name"])),
            "arn" => Ok(chain(var, &["arn"])),
            _ => Err(unknown("cluster")),
        };
    }
    if let Some((_, var)) = v.vpc.as_ref().filter(|(vid, _)| vid == id) {
        return match attribute {
            "id" => Ok(chain(var, &["vpc_id"])),
            _ => Err(unknown("VPC")),
        };
    }
    for services in [&v.load_balanced, &v.network_load_balanced] {
        if let Some(var) = services.get(id) {
            return match attribute {
                "service_name" => Ok(chain(var, &["service", "name"])),
                "load_balancer_dns" => Ok(chain(var, &["load_balancer", "dns_name"])),
                _ => Err(unknown("load-balanced service")),
            };
        }
    }
    if let Some(var) = v.queue_services.get(id) {
        return match attribute {
            "service_name" => Ok(chain(var, &["service", "name"])),
            "queue_url" => Ok(chain(var, &["queue", "url"])),
            "queue_arn" => Ok(chain(var, &["queue", "arn"])),
            "dead_letter_queue_url" => Ok(OutputValue::QueueDeadLetter(var.clone())),
            _ => Err(unknown("queue processing service")),
        };
    }
    if let Some(var) = v.scheduled.get(id) {
        return match attribute {
            "dead_letter_queue_url" => Ok(chain(var, &["dead_letter_queue", "url"])),
            _ => Err(unknown("scheduled task")),
        };
    }
    Err(format!("no construct {id:?} in this stack"))
}

/// The variable an output reads.
fn output_var(value: &OutputValue) -> &str {
    match value {
        OutputValue::Chain(var, _) | OutputValue::QueueDeadLetter(var) => var,
    }
}

/// The ECS service of an entry of `services` or of a pattern, as lowering
/// finds it: its handle's variable and the expression of the service.
fn service_expr(v: &StackVars, id: &str) -> Option<(String, Expr)> {
    if let Some(var) = v.services.get(id) {
        return Some((var.clone(), atom(var.as_str())));
    }
    [
        &v.load_balanced,
        &v.network_load_balanced,
        &v.queue_services,
    ]
    .into_iter()
    .find_map(|services| services.get(id))
    .map(|var| (var.clone(), atom(var.as_str()).m("service", vec![])))
}

/// The metric `<id>.<metric>` names, as lowering finds it: the variable of
/// the construct it is read from, and the expression.
fn metric_expr(v: &StackVars, reference: &str) -> Result<(String, Expr), String> {
    let Some((id, name)) = reference.rsplit_once('.') else {
        return Err(format!(
            "{reference:?} is not a metric; write `<construct id>.<metric>`"
        ));
    };
    let load_balancer = v
        .load_balanced
        .get(id)
        .or_else(|| v.network_load_balanced.get(id));
    let of = |var: &String, part: &str, method: &str| {
        (
            var.clone(),
            atom(var.as_str()).m(part, vec![]).m(method, vec![]),
        )
    };
    match (name, load_balancer) {
        ("target_5xx_count", Some(var)) => {
            return Ok(of(var, "load_balancer", "metric_target_5xx_count"));
        }
        ("elb_5xx_count", Some(var)) => {
            return Ok(of(var, "load_balancer", "metric_elb_5xx_count"));
        }
        _ => {}
    }
    if let Some(var) = v.queue_services.get(id) {
        match name {
            "oldest_message_age" => return Ok(of(var, "queue", "metric_oldest_message_age")),
            "visible_messages" => return Ok(of(var, "queue", "metric_visible_messages")),
            _ => {}
        }
    }
    let Some((var, service)) = service_expr(v, id) else {
        return Err(format!("no service {id:?} in this stack"));
    };
    let method = match name {
        "cpu_utilization" => "metric_cpu_utilization",
        "memory_utilization" => "metric_memory_utilization",
        "running_task_count" => "metric_running_task_count",
        "desired_task_count" => "metric_desired_task_count",
        "pending_task_count" => "metric_pending_task_count",
        _ => return Err(format!("{id:?} has no metric {name:?}")),
    };
    Ok((var, service.m(method, vec![])))
}

/// `Some(topic)` of the entry of `topics` named, or `None`.
fn topic_arg(v: &StackVars, name: Option<&str>) -> Result<Expr, String> {
    match name {
        None => Ok(atom("None")),
        Some(name) => v
            .topics
            .get(name)
            .map(|var| call("Some", vec![atom(var.as_str())]))
            .ok_or_else(|| format!("no topic {name:?} in this stack; define it under `topics`")),
    }
}

/// `&var`.
fn borrow(var: &str) -> Expr {
    atom(format!("&{var}"))
}

/// The statements that build one stack into its variable; errors start
/// with the field path below the stack.
fn stack(
    manifest: &Manifest,
    name: &str,
    spec: &StackSpec,
    v: &StackVars,
    plan: &Plan,
    uses: &mut Uses,
) -> Result<Vec<Stmt>, String> {
    let mut out = Vec::new();
    let stack_var = v.stack.as_str();
    let stack_arg = || atom(format!("&mut {stack_var}"));
    let let_or_expr = |var: &str, value: Expr| {
        if plan.used.contains(var) {
            Stmt::Let {
                name: var.to_owned(),
                mutable: false,
                value,
            }
        } else {
            Stmt::Expr(value)
        }
    };
    let built = |value: Expr| value.m("build", vec![stack_arg()]).try_();

    let mut value = call("Stack::new", vec![lit(name)]);
    if let Some(env_name) = &spec.environment {
        let Some(env) = manifest.environments.get(env_name) else {
            return Err(format!(
                "environment: no environment {env_name:?} under `environments`"
            ));
        };
        value = value.m(
            "env",
            vec![call("Env::new", vec![lit(&env.account), lit(&env.region)])],
        );
    }
    if let Some(description) = &spec.description {
        value = value.m("description", vec![lit(description)]);
    }
    for (key, tag) in &spec.tags {
        value = value.m("tag", vec![lit(key), lit(tag)]);
    }
    let builds = spec.guardduty_detector.is_some()
        || spec.vpc.is_some()
        || spec.cluster.is_some()
        || !spec.auto_scaling_groups.is_empty()
        || !spec.managed_instances_providers.is_empty()
        || !spec.topics.is_empty()
        || !spec.ec2_services.is_empty()
        || !spec.managed_instances_services.is_empty()
        || !spec.task_definitions.is_empty()
        || !spec.services.is_empty()
        || !spec.load_balanced_services.is_empty()
        || !spec.network_load_balanced_services.is_empty()
        || !spec.queue_processing_services.is_empty()
        || !spec.scheduled_tasks.is_empty()
        || !spec.alarms.is_empty()
        || !spec.dashboards.is_empty()
        || !spec.outputs.is_empty();
    out.push(Stmt::Let {
        name: stack_var.to_owned(),
        mutable: builds,
        value,
    });

    if let (Some(detector), Some(var)) = (&spec.guardduty_detector, &v.detector) {
        let id = detector.id.as_deref().unwrap_or("GuardDuty");
        let ty = uses.name("guardduty", "RuntimeMonitoring");
        let mut b = call(format!("{ty}::builder"), vec![lit(id)]);
        if let Some(on) = detector.fargate_agent_management {
            b = b.m("fargate_agent_management", vec![atom(on.to_string())]);
        }
        if let Some(on) = detector.ec2_agent_management {
            b = b.m("ec2_agent_management", vec![atom(on.to_string())]);
        }
        out.push(let_or_expr(var, built(b)));
        if detector.acknowledge_warning {
            let warning = uses.name("guardduty", "DETECTOR_WARNING");
            out.push(Stmt::Expr(atom(stack_var).m(
                "acknowledge_warning",
                vec![atom(var.as_str()).m("node", vec![]), atom(warning)],
            )));
        }
        out.push(Stmt::Blank);
    }

    if let Some(vpc) = &spec.vpc
        && vpc.existing.is_some()
        && (vpc.cidr.is_some() || vpc.max_azs.is_some() || vpc.nat_gateways.is_some())
    {
        return Err("vpc.existing: an existing VPC has its own range, zones and NAT gateways; remove `cidr`, `max_azs` and `nat_gateways`, or `existing`".into());
    }
    if let (Some(vpc), Some(var), Some(existing)) = (&spec.vpc, &v.own_vpc, &vpc_existing(spec)) {
        let id = vpc.id.as_deref().unwrap_or("Vpc");
        let ty = uses.name("ec2", "Vpc");
        let attributes_ty = uses.name("ec2", "VpcAttributes");
        let ids = |ids: &[String]| Expr::Array(ids.iter().map(|i| lit(i)).collect());
        let mut attributes = call(
            format!("{attributes_ty}::new"),
            vec![lit(&existing.id), ids(&existing.availability_zones)],
        );
        if let Some(cidr) = &existing.cidr {
            attributes = attributes.m("cidr_block", vec![lit(cidr)]);
        }
        for (method, list) in [
            ("public_subnet_ids", &existing.public_subnets),
            ("private_subnet_ids", &existing.private_subnets),
            ("isolated_subnet_ids", &existing.isolated_subnets),
        ] {
            if !list.is_empty() {
                attributes = attributes.m(method, vec![ids(list)]);
            }
        }
        let e = call(
            format!("{ty}::from_attributes"),
            vec![atom(format!("&mut {stack_var}")), lit(id), attributes],
        )
        .try_();
        out.push(let_or_expr(var, e));
    } else if let (Some(vpc), Some(var)) = (&spec.vpc, &v.own_vpc) {
        let id = vpc.id.as_deref().unwrap_or("Vpc");
        let ty = uses.name("ec2", "Vpc");
        let mut b = call(format!("{ty}::builder"), vec![lit(id)]);
        if let Some(cidr) = &vpc.cidr {
            b = b.m("cidr", vec![lit(cidr)]);
        }
        if let Some(n) = vpc.max_azs {
            b = b.m("max_azs", vec![atom(n.to_string())]);
        }
        if let Some(n) = vpc.nat_gateways {
            b = b.m("nat_gateways", vec![atom(n.to_string())]);
        }
        out.push(let_or_expr(var, built(b)));
    }
    if let (Some(cluster), Some(var)) = (&spec.cluster, &v.own_cluster) {
        let Some((_, vpc)) = &v.vpc else {
            return Err("cluster: a cluster needs the stack's `vpc`".into());
        };
        let id = cluster.id.as_deref().unwrap_or("Cluster");
        let ty = uses.name("ecs", "Cluster");
        let mut b = call(format!("{ty}::builder"), vec![lit(id)]).m("vpc", vec![borrow(vpc)]);
        if let Some(name) = &cluster.name {
            b = b.m("cluster_name", vec![lit(name)]);
        }
        if let Some(insights) = cluster.container_insights {
            let variant = match insights {
                model::ContainerInsights::Enabled => "Enabled",
                model::ContainerInsights::Enhanced => "Enhanced",
                model::ContainerInsights::Disabled => "Disabled",
            };
            let ty = uses.name("ecs", "ContainerInsights");
            b = b.m("container_insights", vec![atom(format!("{ty}::{variant}"))]);
        }
        if cluster.fargate_capacity_providers {
            b = b.m("fargate_capacity_providers", vec![]);
        }
        if let Some(namespace) = &cluster.default_cloud_map_namespace {
            let variant = match namespace.kind {
                Some(model::NamespaceKind::Http) => "Http",
                Some(model::NamespaceKind::PrivateDns) | None => "DnsPrivate",
            };
            let ty = uses.name("servicediscovery", "NamespaceType");
            b = b.m(
                "default_cloud_map_namespace",
                vec![lit(&namespace.name), atom(format!("{ty}::{variant}"))],
            );
        }
        if cluster.runtime_monitoring {
            b = b.m("runtime_monitoring", vec![atom("true")]);
        }
        out.push(let_or_expr(var, built(b)));
    }

    for (id, group) in &spec.auto_scaling_groups {
        let here = format!("auto_scaling_groups.{id}");
        let (Some((_, vpc)), Some((_, cluster))) = (&v.vpc, &v.cluster) else {
            return Err(format!(
                "{here}: an Auto Scaling group joins the stack's cluster in its VPC; add `cluster` and `vpc`"
            ));
        };
        let ty = uses.name("ecs", "AutoScalingGroup");
        let mut b = call(
            format!("{ty}::builder"),
            vec![lit(id), borrow(vpc), lit(&group.instance_type)],
        );
        if let Some(ami) = group.machine_image {
            let family = match ami.family {
                Some(model::AmiFamilySpec::AmazonLinux2023) | None => "AmazonLinux2023",
                Some(model::AmiFamilySpec::AmazonLinux2) => "AmazonLinux2",
                Some(model::AmiFamilySpec::Bottlerocket) => "Bottlerocket",
            };
            let hardware = match ami.hardware {
                Some(model::AmiHardwareSpec::Standard) | None => "Standard",
                Some(model::AmiHardwareSpec::Arm64) => "Arm64",
                Some(model::AmiHardwareSpec::Gpu) => "Gpu",
                Some(model::AmiHardwareSpec::Neuron) => "Neuron",
            };
            let image = uses.name("ecs", "EcsOptimizedImage");
            let family_ty = uses.name("ecs", "AmiFamily");
            let hardware_ty = uses.name("ecs", "AmiHardware");
            b = b.m(
                "machine_image",
                vec![call(
                    format!("{image}::new"),
                    vec![
                        atom(format!("{family_ty}::{family}")),
                        atom(format!("{hardware_ty}::{hardware}")),
                    ],
                )],
            );
        }
        if group.min_capacity.is_some() || group.max_capacity.is_some() {
            b = b.m(
                "capacity",
                vec![
                    atom(group.min_capacity.unwrap_or(0).to_string()),
                    atom(group.max_capacity.unwrap_or(1).to_string()),
                ],
            );
        }
        if let Some(n) = group.desired_capacity {
            b = b.m("desired_capacity", vec![atom(n.to_string())]);
        }
        let var = v.asgs.get(id).map_or("asg", String::as_str);
        out.push(Stmt::Blank);
        out.push(let_or_expr(var, built(b)));
        let provider_spec = group.capacity_provider.clone().unwrap_or_default();
        let provider_id = asg_provider_id(id, group);
        let ty = uses.name("ecs", "AsgCapacityProvider");
        let mut p = call(
            format!("{ty}::builder"),
            vec![lit(&provider_id), borrow(var)],
        );
        if let Some(on) = provider_spec.managed_scaling {
            p = p.m("managed_scaling", vec![atom(on.to_string())]);
        }
        if let Some(percent) = provider_spec.target_capacity_percent {
            p = p.m("target_capacity_percent", vec![atom(percent.to_string())]);
        }
        if let Some(on) = provider_spec.managed_termination_protection {
            p = p.m("managed_termination_protection", vec![atom(on.to_string())]);
        }
        if let Some(on) = provider_spec.managed_draining {
            p = p.m("managed_draining", vec![atom(on.to_string())]);
        }
        if let Some(name) = &provider_spec.capacity_provider_name {
            p = p.m("capacity_provider_name", vec![lit(name)]);
        }
        let provider = v
            .asg_providers
            .get(&provider_id)
            .map_or("provider", String::as_str);
        out.push(let_or_expr(provider, built(p)));
        out.push(Stmt::Expr(
            atom(cluster.as_str())
                .m(
                    "add_asg_capacity_provider",
                    vec![stack_arg(), borrow(provider)],
                )
                .try_(),
        ));
    }

    for (id, provider) in &spec.managed_instances_providers {
        let here = format!("managed_instances_providers.{id}");
        let Some((_, cluster)) = &v.cluster else {
            return Err(format!(
                "{here}: a capacity provider belongs to the stack's cluster; add `cluster`"
            ));
        };
        let [cpu_min, cpu_max] = provider.vcpus;
        let [mem_min, mem_max] = provider.memory_mib;
        let ty = uses.name("ecs", "InstanceRequirements");
        let mut requirements = call(
            format!("{ty}::new"),
            vec![
                atom(format!("{cpu_min}..={cpu_max}")),
                atom(format!("{mem_min}..={mem_max}")),
            ],
        );
        for maker in &provider.cpu_manufacturers {
            let ty = uses.name("ecs", "CpuManufacturer");
            let variant = match maker {
                model::CpuManufacturerSpec::Intel => "Intel",
                model::CpuManufacturerSpec::Amd => "Amd",
                model::CpuManufacturerSpec::AmazonWebServices => "AmazonWebServices",
            };
            requirements =
                requirements.m("cpu_manufacturer", vec![atom(format!("{ty}::{variant}"))]);
        }
        if provider.current_generation {
            let ty = uses.name("ecs", "InstanceGeneration");
            requirements =
                requirements.m("instance_generation", vec![atom(format!("{ty}::Current"))]);
        }
        let ty = uses.name("ecs", "ManagedInstancesCapacityProvider");
        let mut b = call(format!("{ty}::builder"), vec![lit(id), borrow(cluster)])
            .m("instance_requirements", vec![requirements]);
        if let Some(gib) = provider.task_volume_storage_gib {
            b = b.m("task_volume_storage_gib", vec![atom(gib.to_string())]);
        }
        if provider.propagate_tags {
            b = b.m("propagate_tags", vec![]);
        }
        if let Some(name) = &provider.capacity_provider_name {
            b = b.m("capacity_provider_name", vec![lit(name)]);
        }
        let var = v.mi_providers.get(id).map_or("provider", String::as_str);
        out.push(Stmt::Blank);
        out.push(let_or_expr(var, built(b)));
    }

    for (id, topic) in &spec.topics {
        let ty = uses.name("sns", "Topic");
        let mut b = call(format!("{ty}::builder"), vec![lit(id)]);
        if let Some(name) = &topic.topic_name {
            b = b.m("topic_name", vec![lit(name)]);
        }
        if let Some(name) = &topic.display_name {
            b = b.m("display_name", vec![lit(name)]);
        }
        let subscription = uses.name("sns", "Subscription");
        let owned = |text: &str| lit(text).m("to_owned", vec![]);
        let into = |text: &str| lit(text).m("into", vec![]);
        let kinds = [
            ("Email", &topic.email, &owned as &dyn Fn(&str) -> Expr),
            ("Https", &topic.https, &owned),
            ("Sqs", &topic.sqs, &into),
            ("Lambda", &topic.lambda, &into),
        ];
        for (kind, endpoints, value) in kinds {
            for endpoint in endpoints {
                b = b.m(
                    "subscription",
                    vec![call(
                        format!("{subscription}::{kind}"),
                        vec![value(endpoint)],
                    )],
                );
            }
        }
        let var = v.topics.get(id).map_or("topic", String::as_str);
        out.push(let_or_expr(var, built(b)));
    }

    for (id, task) in &spec.task_definitions {
        let here = format!("task_definitions.{id}");
        if task.id.is_some() {
            return Err(format!("{here}.id: the key of the entry is its id"));
        }
        let var = v.tasks.get(id).map_or("task", String::as_str);
        let value =
            task_definition(id, task, stack_var, uses).map_err(|e| format!("{here}.{e}"))?;
        out.push(Stmt::Blank);
        out.push(let_or_expr(var, value));
    }

    let cluster_var = |here: &str| {
        v.cluster
            .as_ref()
            .map(|(_, var)| borrow(var))
            .ok_or_else(|| format!("{here}: services run in the stack's cluster; add `cluster`"))
    };

    for (id, service) in &spec.ec2_services {
        let here = format!("ec2_services.{id}");
        let cluster = cluster_var(&here)?;
        let task = &service.task;
        let mode = match task.network_mode {
            model::Ec2NetworkModeSpec::Bridge => "Bridge",
            model::Ec2NetworkModeSpec::Host => "Host",
            model::Ec2NetworkModeSpec::Awsvpc => "AwsVpc",
            model::Ec2NetworkModeSpec::None => "None",
        };
        let task_id = task.id.clone().unwrap_or_else(|| format!("{id}Task"));
        let mode_ty = uses.name("ecs", "Ec2NetworkMode");
        let ty = uses.name("ecs", "Ec2TaskDefinition");
        let mut t = call(
            format!("{ty}::builder"),
            vec![lit(&task_id), atom(format!("{mode_ty}::{mode}"))],
        );
        if let Some(units) = task.cpu {
            t = t.m("cpu", vec![atom(units.to_string())]);
        }
        if let Some(mib) = task.memory_mib {
            t = t.m("memory_mib", vec![atom(mib.to_string())]);
        }
        if let Some(family) = &task.family {
            t = t.m("family", vec![lit(family)]);
        }
        for volume in &task.volumes {
            let ty = uses.name("ecs", "Ec2Volume");
            let value = match &volume.efs_file_system {
                Some(fs) => {
                    let efs = uses.name("ecs", "EfsVolume");
                    call(
                        format!("{ty}::efs"),
                        vec![call(
                            format!("{efs}::new"),
                            vec![lit(&volume.name), lit(fs)],
                        )],
                    )
                }
                None => call(format!("{ty}::scratch"), vec![lit(&volume.name)]),
            };
            t = t.m("volume", vec![value]);
        }
        t = containers(uses, t, &task.containers).map_err(|e| format!("{here}.task.{e}"))?;
        let task_var = v.ec2_tasks.get(id).map_or("task", String::as_str);
        out.push(Stmt::Blank);
        out.push(let_or_expr(task_var, built(t)));
        let ty = uses.name("ecs", "Ec2Service");
        let mut b = call(
            format!("{ty}::builder"),
            vec![lit(id), cluster, borrow(task_var)],
        );
        if let Some(n) = service.desired_count {
            b = b.m("desired_count", vec![atom(n.to_string())]);
        }
        if service.daemon {
            b = b.m("daemon", vec![]);
        }
        b = service_settings(
            uses,
            b,
            service.circuit_breaker,
            service.min_healthy_percent,
            service.max_percent,
            service.service_name.as_deref(),
            service.enable_execute_command,
        );
        if !service.capacity_provider_strategy.is_empty() {
            let strategy = provider_strategy(
                &v.asg_providers,
                &service.capacity_provider_strategy,
                "Auto Scaling group",
            )
            .map_err(|e| format!("{here}.{e}"))?;
            b = b.m("capacity_provider_strategy", vec![strategy]);
        }
        let var = v.ec2_services.get(id).map_or("service", String::as_str);
        out.push(let_or_expr(var, built(b)));
        if let Some(scaling) = &service.auto_scaling {
            out.push(Stmt::Expr(auto_scale(atom(var), stack_var, scaling)?));
        }
    }

    for (id, service) in &spec.managed_instances_services {
        let here = format!("managed_instances_services.{id}");
        let cluster = cluster_var(&here)?;
        let task = &service.task;
        let mode = match task.network_mode {
            model::ManagedInstancesNetworkModeSpec::Awsvpc => "AwsVpc",
            model::ManagedInstancesNetworkModeSpec::Host => "Host",
        };
        let task_id = task.id.clone().unwrap_or_else(|| format!("{id}Task"));
        let mode_ty = uses.name("ecs", "ManagedInstancesNetworkMode");
        let ty = uses.name("ecs", "ManagedInstancesTaskDefinition");
        let mut t = call(
            format!("{ty}::builder"),
            vec![lit(&task_id), atom(format!("{mode_ty}::{mode}"))],
        );
        if let Some(units) = task.cpu {
            t = t.m("cpu", vec![atom(units.to_string())]);
        }
        if let Some(mib) = task.memory_mib {
            t = t.m("memory_mib", vec![atom(mib.to_string())]);
        }
        if let Some(family) = &task.family {
            t = t.m("family", vec![lit(family)]);
        }
        for volume in &task.scratch_volumes {
            t = t.m("scratch_volume", vec![lit(volume)]);
        }
        t = containers(uses, t, &task.containers).map_err(|e| format!("{here}.task.{e}"))?;
        let task_var = v.mi_tasks.get(id).map_or("task", String::as_str);
        out.push(Stmt::Blank);
        out.push(let_or_expr(task_var, built(t)));
        let ty = uses.name("ecs", "ManagedInstancesService");
        let mut b = call(
            format!("{ty}::builder"),
            vec![lit(id), cluster, borrow(task_var)],
        );
        if let Some(n) = service.desired_count {
            b = b.m("desired_count", vec![atom(n.to_string())]);
        }
        b = service_settings(
            uses,
            b,
            service.circuit_breaker,
            service.min_healthy_percent,
            service.max_percent,
            service.service_name.as_deref(),
            service.enable_execute_command,
        );
        let strategy = provider_strategy(
            &v.mi_providers,
            &service.capacity_provider_strategy,
            "Managed Instances",
        )
        .map_err(|e| format!("{here}.{e}"))?;
        b = b.m("capacity_provider_strategy", vec![strategy]);
        let var = v.mi_services.get(id).map_or("service", String::as_str);
        out.push(let_or_expr(var, built(b)));
        if let Some(scaling) = &service.auto_scaling {
            out.push(Stmt::Expr(auto_scale(atom(var), stack_var, scaling)?));
        }
    }

    for (id, service) in &spec.services {
        let here = format!("services.{id}");
        let cluster = cluster_var(&here)?;
        out.push(Stmt::Blank);
        let (task_var, task_spec) = match (&service.task_definition, &service.task) {
            (Some(name), None) => {
                let Some(var) = v.tasks.get(name) else {
                    return Err(format!(
                        "{here}.task_definition: no task definition {name:?} in this stack"
                    ));
                };
                (var.clone(), spec.task_definitions.get(name))
            }
            (None, Some(inline)) => {
                let task_id = inline.id.clone().unwrap_or_else(|| format!("{id}Task"));
                let var = v
                    .inline_tasks
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| "task".to_owned());
                let value = task_definition(&task_id, inline, stack_var, uses)
                    .map_err(|e| format!("{here}.task.{e}"))?;
                out.push(Stmt::Let {
                    name: var.clone(),
                    mutable: false,
                    value,
                });
                (var, Some(inline))
            }
            (Some(_), Some(_)) => {
                return Err(format!(
                    "{here}: give `task_definition` or `task`, not both"
                ));
            }
            (None, None) => {
                return Err(format!(
                    "{here}: a service needs `task` or `task_definition`"
                ));
            }
        };
        let ty = uses.name("ecs", "FargateService");
        let mut b = call(
            format!("{ty}::builder"),
            vec![lit(id), cluster, borrow(&task_var)],
        );
        if let Some(n) = service.desired_count {
            b = b.m("desired_count", vec![atom(n.to_string())]);
        }
        if let Some(breaker) = service.circuit_breaker {
            b = b.m("circuit_breaker", vec![circuit_breaker(uses, breaker)]);
        }
        if let Some(p) = service.min_healthy_percent {
            b = b.m("min_healthy_percent", vec![atom(p.to_string())]);
        }
        if let Some(p) = service.max_percent {
            b = b.m("max_percent", vec![atom(p.to_string())]);
        }
        if let Some(name) = &service.service_name {
            b = b.m("service_name", vec![lit(name)]);
        }
        if service.enable_execute_command {
            b = b.m("enable_execute_command", vec![]);
        }
        if !service.capacity_provider_strategy.is_empty() {
            b = b.m(
                "capacity_provider_strategy",
                vec![capacity(uses, &service.capacity_provider_strategy)],
            );
        }
        if let Some(version) = &service.platform_version {
            b = b.m("platform_version", vec![platform_version(uses, version)]);
        }
        if service.assign_public_ip {
            b = b.m("assign_public_ip", vec![atom("true")]);
        }
        if let Some(kind) = service.subnets {
            b = b.m("vpc_subnets", vec![subnet_selection(uses, kind)]);
        }
        if let Some(map) = &service.cloud_map {
            let ty = uses.name("ecs", "CloudMapOptions");
            let mut options = call(format!("{ty}::named"), vec![lit(&map.name)]);
            if let Some(kind) = map.dns_record_type {
                let ty = uses.name("servicediscovery", "DnsRecordType");
                let variant = match kind {
                    model::DnsRecordTypeSpec::A => "A",
                    model::DnsRecordTypeSpec::Srv => "Srv",
                };
                options = options.m("dns_record_type", vec![atom(format!("{ty}::{variant}"))]);
            }
            if let Some(ttl) = map.dns_ttl {
                options = options.m("dns_ttl", vec![duration(uses, ttl)]);
            }
            b = b.m("cloud_map", vec![options]);
        }
        if let Some(connect) = &service.service_connect {
            let ty = uses.name("ecs", "ServiceConnect");
            let mut config = call(format!("{ty}::in_cluster_namespace"), vec![]);
            for (i, port) in connect.ports.iter().enumerate() {
                let port = connect_port(uses, port, task_spec)
                    .map_err(|e| format!("{here}.service_connect.ports[{i}]: {e}"))?;
                config = config.m("port", vec![port]);
            }
            b = b.m("service_connect", vec![config]);
        }
        let var = v.services.get(id).map_or("service", String::as_str);
        out.push(let_or_expr(var, built(b)));
        if let Some(scaling) = &service.auto_scaling {
            out.push(Stmt::Expr(auto_scale(atom(var), stack_var, scaling)?));
        }
        if let Some(alarms) = &service.recommended_alarms {
            let topic = topic_arg(v, alarms.topic.as_deref())
                .map_err(|e| format!("{here}.recommended_alarms.topic: {e}"))?;
            out.push(recommended_alarms(v, id, atom(var), stack_var, topic, plan));
        }
    }
    let mut rules = Vec::new();
    for (id, service) in &spec.services {
        for (i, rule) in service.allow_from.iter().enumerate() {
            let here = format!("services.{id}.allow_from[{i}]");
            let services = match &rule.stack {
                Some(other) => manifest
                    .stacks
                    .get_index_of(other)
                    .and_then(|i| plan.stacks.get(i))
                    .map(|s| &s.services)
                    .ok_or_else(|| format!("{here}.stack: no stack {other:?}"))?,
                None => &v.services,
            };
            let Some(from) = services.get(&rule.service) else {
                return Err(format!("{here}.service: no service {:?}", rule.service));
            };
            let Some(to) = v.services.get(id) else {
                continue;
            };
            let port = uses.name("ec2", "Port");
            let description = match &rule.description {
                Some(text) => call("Some", vec![lit(text)]),
                None => atom("None"),
            };
            rules.push(Stmt::Expr(
                atom(to.as_str())
                    .m("connections", vec![])
                    .m(
                        "allow_from",
                        vec![
                            stack_arg(),
                            borrow(from),
                            call(format!("{port}::tcp"), vec![atom(rule.port.to_string())]),
                            description,
                        ],
                    )
                    .try_(),
            ));
        }
    }
    if !rules.is_empty() {
        out.push(Stmt::Blank);
        out.append(&mut rules);
    }

    for (id, service) in &spec.load_balanced_services {
        let here = format!("load_balanced_services.{id}");
        let cluster = cluster_var(&here)?;
        let name = service.container_name.as_deref().unwrap_or("web");
        let container = container(uses, name, &service.container)
            .map_err(|e| format!("{here}.container{e}"))?;
        let ty = uses.name("patterns", "ApplicationLoadBalancedFargateService");
        let mut b = call(format!("{ty}::builder"), vec![lit(id), cluster, container]);
        if let Some(size) =
            size(uses, service.cpu, service.memory_mib).map_err(|e| format!("{here}.{e}"))?
        {
            b = b.m("size", vec![size]);
        }
        for volume in &service.volumes {
            b = b.m("volume", vec![volume_expr(uses, volume)]);
        }
        if let Some(n) = service.desired_count {
            b = b.m("desired_count", vec![atom(n.to_string())]);
        }
        if let Some(breaker) = service.circuit_breaker {
            b = b.m("circuit_breaker", vec![circuit_breaker(uses, breaker)]);
        }
        if let Some(public) = service.public_load_balancer {
            b = b.m("public_load_balancer", vec![atom(public.to_string())]);
        }
        if let Some(port) = service.listener_port {
            b = b.m("listener_port", vec![atom(port.to_string())]);
        }
        if let Some(arn) = &service.certificate_arn {
            b = b.m("certificate_arn", vec![lit(arn)]);
        }
        if let Some(name) = &service.domain_name {
            b = b.m("domain_name", vec![lit(name)]);
        }
        if let Some(zone) = &service.domain_zone {
            b = b.m("domain_zone", vec![hosted_zone(uses, zone)]);
        }
        if let Some(on) = service.redirect_http {
            b = b.m("redirect_http", vec![atom(on.to_string())]);
        }
        if let Some(timeout) = service.idle_timeout {
            b = b.m("idle_timeout", vec![duration(uses, timeout)]);
        }
        if let Some(p) = service.min_healthy_percent {
            b = b.m("min_healthy_percent", vec![atom(p.to_string())]);
        }
        if let Some(p) = service.max_percent {
            b = b.m("max_percent", vec![atom(p.to_string())]);
        }
        if let Some(check) = &service.health_check {
            let check =
                target_health_check(uses, check).map_err(|e| format!("{here}.health_check.{e}"))?;
            b = b.m("health_check", vec![check]);
        }
        if let Some(delay) = service.deregistration_delay {
            b = b.m("deregistration_delay", vec![duration(uses, delay)]);
        }
        if let Some(strategy) = &service.deployment_strategy {
            let strategy = deployment_strategy(uses, strategy)
                .map_err(|e| format!("{here}.deployment_strategy: {e}"))?;
            b = b.m("deployment_strategy", vec![strategy]);
        }
        if let Some(bake) = service.bake_time {
            b = b.m("bake_time", vec![duration(uses, bake)]);
        }
        if let Some(port) = service.test_listener_port {
            b = b.m("test_listener_port", vec![atom(port.to_string())]);
        }
        for (i, hook) in service.lifecycle_hooks.iter().enumerate() {
            b = b.m("lifecycle_hook", vec![lifecycle_hook(uses, hook, i)]);
        }
        if service.enable_execute_command {
            b = b.m("enable_execute_command", vec![]);
        }
        if service.assign_public_ip {
            b = b.m("assign_public_ip", vec![atom("true")]);
        }
        if let Some(kind) = service.subnets {
            b = b.m("task_subnets", vec![subnet_selection(uses, kind)]);
        }
        let var = v.load_balanced.get(id).map_or("service", String::as_str);
        out.push(Stmt::Blank);
        out.push(let_or_expr(var, built(b)));
        if let Some(scaling) = &service.auto_scaling {
            let service = atom(var).m("service", vec![]);
            out.push(Stmt::Expr(auto_scale(service, stack_var, scaling)?));
        }
        for rule in &service.load_balancer_ingress {
            let peer = uses.name("ec2", "Peer");
            let port = uses.name("ec2", "Port");
            let description = match &rule.description {
                Some(text) => call("Some", vec![lit(text)]),
                None => atom("None"),
            };
            out.push(Stmt::Expr(
                atom(var)
                    .m("load_balancer", vec![])
                    .m("connections", vec![])
                    .m(
                        "allow_from",
                        vec![
                            stack_arg(),
                            Expr::Borrow(Box::new(call(
                                format!("{peer}::ipv4"),
                                vec![lit(&rule.cidr)],
                            ))),
                            call(format!("{port}::tcp"), vec![atom(rule.port.to_string())]),
                            description,
                        ],
                    )
                    .try_(),
            ));
        }
        if let Some(alarms) = &service.recommended_alarms {
            let topic = topic_arg(v, alarms.topic.as_deref())
                .map_err(|e| format!("{here}.recommended_alarms.topic: {e}"))?;
            let service = atom(var).m("service", vec![]);
            out.push(recommended_alarms(v, id, service, stack_var, topic, plan));
        }
    }

    for (id, service) in &spec.network_load_balanced_services {
        let here = format!("network_load_balanced_services.{id}");
        let cluster = cluster_var(&here)?;
        let name = service.container_name.as_deref().unwrap_or("web");
        let container = container(uses, name, &service.container)
            .map_err(|e| format!("{here}.container{e}"))?;
        let ty = uses.name("patterns", "NetworkLoadBalancedFargateService");
        let mut b = call(format!("{ty}::builder"), vec![lit(id), cluster, container]);
        if let Some(size) =
            size(uses, service.cpu, service.memory_mib).map_err(|e| format!("{here}.{e}"))?
        {
            b = b.m("size", vec![size]);
        }
        for volume in &service.volumes {
            b = b.m("volume", vec![volume_expr(uses, volume)]);
        }
        if let Some(name) = &service.domain_name {
            b = b.m("domain_name", vec![lit(name)]);
        }
        if let Some(zone) = &service.domain_zone {
            b = b.m("domain_zone", vec![hosted_zone(uses, zone)]);
        }
        if let Some(check) = &service.health_check {
            let check =
                target_health_check(uses, check).map_err(|e| format!("{here}.health_check.{e}"))?;
            b = b.m("health_check", vec![check]);
        }
        if let Some(delay) = service.deregistration_delay {
            b = b.m("deregistration_delay", vec![duration(uses, delay)]);
        }
        if let Some(n) = service.desired_count {
            b = b.m("desired_count", vec![atom(n.to_string())]);
        }
        if let Some(breaker) = service.circuit_breaker {
            b = b.m("circuit_breaker", vec![circuit_breaker(uses, breaker)]);
        }
        if let Some(public) = service.public_load_balancer {
            b = b.m("public_load_balancer", vec![atom(public.to_string())]);
        }
        if let Some(port) = service.listener_port {
            b = b.m("listener_port", vec![atom(port.to_string())]);
        }
        if let Some(on) = service.preserve_client_ip {
            b = b.m("preserve_client_ip", vec![atom(on.to_string())]);
        }
        if service.enable_execute_command {
            b = b.m("enable_execute_command", vec![]);
        }
        if service.assign_public_ip {
            b = b.m("assign_public_ip", vec![atom("true")]);
        }
        if let Some(kind) = service.subnets {
            b = b.m("task_subnets", vec![subnet_selection(uses, kind)]);
        }
        let var = v
            .network_load_balanced
            .get(id)
            .map_or("service", String::as_str);
        out.push(Stmt::Blank);
        out.push(let_or_expr(var, built(b)));
        if let Some(scaling) = &service.auto_scaling {
            let service = atom(var).m("service", vec![]);
            out.push(Stmt::Expr(auto_scale(service, stack_var, scaling)?));
        }
    }

    for (id, service) in &spec.queue_processing_services {
        let here = format!("queue_processing_services.{id}");
        let cluster = cluster_var(&here)?;
        let name = service
            .container_name
            .as_deref()
            .unwrap_or("QueueProcessingContainer");
        let container = container(uses, name, &service.container)
            .map_err(|e| format!("{here}.container{e}"))?;
        let ty = uses.name("patterns", "QueueProcessingFargateService");
        let mut b = call(format!("{ty}::builder"), vec![lit(id), cluster, container]);
        if let Some(size) =
            size(uses, service.cpu, service.memory_mib).map_err(|e| format!("{here}.{e}"))?
        {
            b = b.m("size", vec![size]);
        }
        if let Some(timeout) = service.visibility_timeout {
            b = b.m("visibility_timeout", vec![duration(uses, timeout)]);
        }
        if let Some(period) = service.retention_period {
            b = b.m("retention_period", vec![duration(uses, period)]);
        }
        if let Some(count) = service.max_receive_count {
            b = b.m("max_receive_count", vec![atom(count.to_string())]);
        }
        if let Some([min, max]) = service.capacity {
            b = b.m("capacity", vec![atom(format!("{min}..={max}"))]);
        }
        if let Some(breaker) = service.circuit_breaker {
            b = b.m("circuit_breaker", vec![circuit_breaker(uses, breaker)]);
        }
        if !service.capacity_provider_strategy.is_empty() {
            b = b.m(
                "capacity_provider_strategy",
                vec![capacity(uses, &service.capacity_provider_strategy)],
            );
        }
        if service.enable_execute_command {
            b = b.m("enable_execute_command", vec![]);
        }
        if service.assign_public_ip {
            b = b.m("assign_public_ip", vec![atom("true")]);
        }
        if let Some(kind) = service.subnets {
            b = b.m("task_subnets", vec![subnet_selection(uses, kind)]);
        }
        let var = v.queue_services.get(id).map_or("service", String::as_str);
        out.push(Stmt::Blank);
        out.push(let_or_expr(var, built(b)));
    }

    for (id, task) in &spec.scheduled_tasks {
        let here = format!("scheduled_tasks.{id}");
        let cluster = cluster_var(&here)?;
        let name = task
            .container_name
            .as_deref()
            .unwrap_or("ScheduledContainer");
        let container =
            container(uses, name, &task.container).map_err(|e| format!("{here}.container{e}"))?;
        let mut schedule = schedule_expression(uses, &task.schedule)
            .map_err(|e| format!("{here}.schedule: {e}"))?;
        if let Some(zone) = &task.timezone {
            schedule = schedule.m("timezone", vec![lit(zone)]);
        }
        let ty = uses.name("patterns", "ScheduledFargateTask");
        let mut b = call(
            format!("{ty}::builder"),
            vec![lit(id), cluster, container, schedule],
        );
        if let Some(size) =
            size(uses, task.cpu, task.memory_mib).map_err(|e| format!("{here}.{e}"))?
        {
            b = b.m("size", vec![size]);
        }
        if let Some(text) = &task.description {
            b = b.m("description", vec![lit(text)]);
        }
        if let Some(n) = task.task_count {
            b = b.m("task_count", vec![atom(n.to_string())]);
        }
        if let Some(n) = task.retry_attempts {
            b = b.m("retry_attempts", vec![atom(n.to_string())]);
        }
        if let Some(age) = task.max_event_age {
            b = b.m("max_event_age", vec![duration(uses, age)]);
        }
        if let Some(on) = task.enabled {
            b = b.m("enabled", vec![atom(on.to_string())]);
        }
        if let Some(version) = &task.platform_version {
            b = b.m("platform_version", vec![platform_version(uses, version)]);
        }
        if task.assign_public_ip {
            b = b.m("assign_public_ip", vec![atom("true")]);
        }
        if let Some(kind) = task.subnets {
            b = b.m("task_subnets", vec![subnet_selection(uses, kind)]);
        }
        let var = v.scheduled.get(id).map_or("task", String::as_str);
        out.push(Stmt::Blank);
        out.push(let_or_expr(var, built(b)));
    }

    if !spec.alarms.is_empty() {
        out.push(Stmt::Blank);
    }
    for (id, alarm) in &spec.alarms {
        let here = format!("alarms.{id}");
        out.extend(
            alarm_stmts(v, id, alarm, stack_var, plan, uses).map_err(|e| format!("{here}.{e}"))?,
        );
    }

    for (id, dashboard) in &spec.dashboards {
        let here = format!("dashboards.{id}");
        let ty = uses.name("cloudwatch", "Dashboard");
        let mut b = call(format!("{ty}::builder"), vec![lit(id)]);
        for (i, row) in dashboard.rows.iter().enumerate() {
            let at = format!("{here}.rows[{i}]");
            let widgets = match (&row.markdown, &row.service) {
                (Some(text), None) => {
                    let ty = uses.name("cloudwatch", "TextWidget");
                    let mut widget = call(format!("{ty}::new"), vec![lit(text)]);
                    if let Some(w) = row.width {
                        widget = widget.m("width", vec![atom(w.to_string())]);
                    }
                    if let Some(h) = row.height {
                        widget = widget.m("height", vec![atom(h.to_string())]);
                    }
                    Expr::Array(vec![widget])
                }
                (None, Some(service)) => {
                    if row.width.is_some() || row.height.is_some() {
                        return Err(format!(
                            "{at}: a service's row has its own widget sizes; remove `width` and `height`"
                        ));
                    }
                    let alarms = match v.recommended.get(service) {
                        Some(var) => atom(var.as_str()).m("all", vec![]),
                        None => Expr::Array(Vec::new()),
                    };
                    let Some((_, service)) = service_expr(v, service) else {
                        return Err(format!(
                            "{at}.service: no service {service:?} in this stack"
                        ));
                    };
                    service.m("dashboard_widgets", vec![alarms])
                }
                _ => {
                    return Err(format!(
                        "{at}: a row is `markdown: TEXT` or `service: ID`; give one of them"
                    ));
                }
            };
            b = b.m("row", vec![widgets]);
        }
        out.push(Stmt::Blank);
        out.push(Stmt::Expr(built(b)));
    }

    if !spec.outputs.is_empty() {
        out.push(Stmt::Blank);
    }
    for (name, reference) in &spec.outputs {
        let value = output_value(v, reference).map_err(|e| format!("outputs.{name}: {e}"))?;
        match value {
            OutputValue::Chain(var, calls) => {
                let mut expr = atom(var);
                for c in calls {
                    expr = expr.m(c, vec![]);
                }
                out.push(Stmt::Expr(
                    atom(stack_var).m("output", vec![lit(name), expr]).try_(),
                ));
            }
            OutputValue::QueueDeadLetter(var) => {
                // Always there: a manifest gives no queue of its own.
                out.push(Stmt::Block(
                    format!("if let Some(queue) = {var}.dead_letter_queue()"),
                    vec![Stmt::Expr(
                        atom(stack_var)
                            .m("output", vec![lit(name), atom("queue").m("url", vec![])])
                            .try_(),
                    )],
                ));
            }
        }
    }
    Ok(out)
}

/// `.container(…)` of each container of a task definition; an error
/// starts with the field below the task.
fn containers(
    uses: &mut Uses,
    mut task: Expr,
    containers: &indexmap::IndexMap<String, ContainerSpec>,
) -> Result<Expr, String> {
    if containers.is_empty() {
        return Err("containers: a task definition needs a container".into());
    }
    for (name, spec) in containers {
        let c = container(uses, name, spec).map_err(|e| format!("containers.{name}{e}"))?;
        task = task.m("container", vec![c]);
    }
    Ok(task)
}

/// The deployment settings EC2 and Managed Instances services share with
/// Fargate services, in lowering's order.
fn service_settings(
    uses: &mut Uses,
    mut b: Expr,
    breaker: Option<model::CircuitBreaker>,
    min_healthy_percent: Option<u32>,
    max_percent: Option<u32>,
    service_name: Option<&str>,
    enable_execute_command: bool,
) -> Expr {
    if let Some(breaker) = breaker {
        b = b.m("circuit_breaker", vec![circuit_breaker(uses, breaker)]);
    }
    if let Some(p) = min_healthy_percent {
        b = b.m("min_healthy_percent", vec![atom(p.to_string())]);
    }
    if let Some(p) = max_percent {
        b = b.m("max_percent", vec![atom(p.to_string())]);
    }
    if let Some(name) = service_name {
        b = b.m("service_name", vec![lit(name)]);
    }
    if enable_execute_command {
        b = b.m("enable_execute_command", vec![]);
    }
    b
}

/// `[provider.strategy().base(n).weight(n), …]` of capacity providers of
/// the stack (`kind` names them in an error).
fn provider_strategy(
    providers: &BTreeMap<String, String>,
    shares: &[model::ProviderShare],
    kind: &str,
) -> Result<Expr, String> {
    let mut items = Vec::new();
    for (i, share) in shares.iter().enumerate() {
        let Some(var) = providers.get(&share.provider) else {
            return Err(format!(
                "capacity_provider_strategy[{i}].provider: no {kind} provider {:?} in this stack",
                share.provider
            ));
        };
        let mut entry = atom(var.as_str()).m("strategy", vec![]);
        if let Some(base) = share.base {
            entry = entry.m("base", vec![atom(base.to_string())]);
        }
        if let Some(weight) = share.weight {
            entry = entry.m("weight", vec![atom(weight.to_string())]);
        }
        items.push(entry);
    }
    Ok(Expr::Array(items))
}

/// The construct id of an Auto Scaling group's capacity provider.
fn asg_provider_id(id: &str, group: &model::AutoScalingGroupSpec) -> String {
    group
        .capacity_provider
        .as_ref()
        .and_then(|p| p.id.clone())
        .unwrap_or_else(|| format!("{id}Provider"))
}

/// The fields of a stack the emitter writes.
const STACK_FIELDS: &[&str] = &[
    "environment",
    "description",
    "tags",
    "guardduty_detector",
    "vpc",
    "vpc_from",
    "cluster",
    "cluster_from",
    "auto_scaling_groups",
    "managed_instances_providers",
    "topics",
    "task_definitions",
    "ec2_services",
    "managed_instances_services",
    "services",
    "load_balanced_services",
    "network_load_balanced_services",
    "queue_processing_services",
    "scheduled_tasks",
    "alarms",
    "dashboards",
    "outputs",
];

/// Fails on a field of the stack the emitter does not know (one the model
/// gained after it), rather than leave it out.
fn unsupported(spec: &StackSpec) -> Result<(), String> {
    let value = serde_json::to_value(spec).map_err(|e| format!("cannot be read back: {e}"))?;
    let fields: Vec<&str> = value
        .as_object()
        .into_iter()
        .flat_map(|fields| fields.keys())
        .map(String::as_str)
        .filter(|field| !STACK_FIELDS.contains(field))
        .collect();
    match fields.first() {
        None => Ok(()),
        Some(first) => Err(format!(
            "{first}: the Rust emitter cannot write {} yet; keep this stack in the manifest",
            fields.join(", ")
        )),
    }
}

/// `let var = value;` when `var` is read later, else `value;`.
fn bind(plan: &Plan, var: &str, value: Expr) -> Stmt {
    if plan.used.contains(var) {
        Stmt::Let {
            name: var.to_owned(),
            mutable: false,
            value,
        }
    } else {
        Stmt::Expr(value)
    }
}

/// `service.add_recommended_alarms(&mut stack, topic)?` of the service
/// `id`, kept in a variable when a dashboard reads the alarms.
fn recommended_alarms(
    v: &StackVars,
    id: &str,
    service: Expr,
    stack: &str,
    topic: Expr,
    plan: &Plan,
) -> Stmt {
    let value = service
        .m(
            "add_recommended_alarms",
            vec![atom(format!("&mut {stack}")), topic],
        )
        .try_();
    match v.recommended.get(id) {
        Some(var) => bind(plan, var, value),
        None => Stmt::Expr(value),
    }
}

/// An alarm and, with `deployment_alarm_of`, the call that makes it a
/// deployment alarm; an error starts with the field below the alarm.
fn alarm_stmts(
    v: &StackVars,
    id: &str,
    alarm: &model::AlarmSpec,
    stack: &str,
    plan: &Plan,
    uses: &mut Uses,
) -> Result<Vec<Stmt>, String> {
    let (_, mut metric) = metric_expr(v, &alarm.metric).map_err(|e| format!("metric: {e}"))?;
    if let Some(period) = alarm.period {
        metric = metric.m("period", vec![duration(uses, period)]);
    }
    if let Some(statistic) = alarm.statistic {
        let ty = uses.name("cloudwatch", "Statistic");
        let variant = match statistic {
            model::StatisticSpec::Average => "Average",
            model::StatisticSpec::Minimum => "Minimum",
            model::StatisticSpec::Maximum => "Maximum",
            model::StatisticSpec::Sum => "Sum",
            model::StatisticSpec::SampleCount => "SampleCount",
        };
        metric = metric.m("statistic", vec![atom(format!("{ty}::{variant}"))]);
    }
    let threshold = float(alarm.threshold).map_err(|e| format!("threshold: {e}"))?;
    let ty = uses.name("cloudwatch", "Alarm");
    let mut b = call(format!("{ty}::builder"), vec![lit(id), metric, threshold]);
    if let Some(c) = alarm.comparison {
        let ty = uses.name("cloudwatch", "Comparison");
        let variant = match c {
            model::ComparisonSpec::GreaterThanOrEqual => "GreaterThanOrEqual",
            model::ComparisonSpec::GreaterThan => "GreaterThan",
            model::ComparisonSpec::LessThan => "LessThan",
            model::ComparisonSpec::LessThanOrEqual => "LessThanOrEqual",
        };
        b = b.m("comparison", vec![atom(format!("{ty}::{variant}"))]);
    }
    if let Some(n) = alarm.evaluation_periods {
        b = b.m("evaluation_periods", vec![atom(n.to_string())]);
    }
    if let Some(n) = alarm.datapoints_to_alarm {
        b = b.m("datapoints_to_alarm", vec![atom(n.to_string())]);
    }
    if let Some(t) = alarm.treat_missing_data {
        let ty = uses.name("cloudwatch", "TreatMissingData");
        let variant = match t {
            model::TreatMissingDataSpec::Breaching => "Breaching",
            model::TreatMissingDataSpec::NotBreaching => "NotBreaching",
            model::TreatMissingDataSpec::Ignore => "Ignore",
            model::TreatMissingDataSpec::Missing => "Missing",
        };
        b = b.m("treat_missing_data", vec![atom(format!("{ty}::{variant}"))]);
    }
    if let Some(text) = &alarm.description {
        b = b.m("description", vec![lit(text)]);
    }
    if let Some(name) = &alarm.alarm_name {
        b = b.m("alarm_name", vec![lit(name)]);
    }
    for (field, topic) in [
        ("alarm_topic", &alarm.alarm_topic),
        ("ok_topic", &alarm.ok_topic),
    ] {
        if let Some(name) = topic {
            let Some(var) = v.topics.get(name) else {
                return Err(format!(
                    "{field}: no topic {name:?} in this stack; define it under `topics`"
                ));
            };
            b = b.m(field, vec![atom(var.as_str())]);
        }
    }
    let value = b.m("build", vec![atom(format!("&mut {stack}"))]).try_();
    let var = v.alarms.get(id).map_or("alarm", String::as_str);
    let mut out = vec![bind(plan, var, value)];
    match (&alarm.deployment_alarm_of, alarm.rollback) {
        (Some(service), rollback) => {
            let Some((_, service)) = service_expr(v, service) else {
                return Err(format!(
                    "deployment_alarm_of: no service {service:?} in this stack"
                ));
            };
            out.push(Stmt::Expr(
                service
                    .m(
                        "add_deployment_alarm",
                        vec![
                            atom(format!("&mut {stack}")),
                            atom(var),
                            atom(rollback.unwrap_or(true).to_string()),
                        ],
                    )
                    .try_(),
            ));
        }
        (None, Some(_)) => {
            return Err("rollback: `rollback` goes with `deployment_alarm_of: SERVICE`".into());
        }
        (None, None) => {}
    }
    Ok(out)
}

/// The `DeploymentStrategy` of a load-balanced service.
fn deployment_strategy(
    uses: &mut Uses,
    spec: &model::DeploymentStrategySpec,
) -> Result<Expr, String> {
    use model::DeploymentKind as K;
    let ty = uses.name("ecs", "DeploymentStrategy");
    match (spec.kind, spec.percent, spec.bake) {
        (K::Rolling, None, None) => Ok(atom(format!("{ty}::Rolling"))),
        (K::BlueGreen, None, None) => Ok(atom(format!("{ty}::BlueGreen"))),
        (kind @ (K::Linear | K::Canary), Some(percent), Some(bake)) => {
            let f = if kind == K::Linear {
                "linear"
            } else {
                "canary"
            };
            Ok(call(
                format!("{ty}::{f}"),
                vec![float(percent)?, duration(uses, bake)],
            ))
        }
        (K::Linear | K::Canary, _, _) => {
            Err("linear and canary deployments need `percent` and `bake`".into())
        }
        (K::Rolling | K::BlueGreen, _, _) => {
            Err("`percent` and `bake` belong to linear and canary deployments".into())
        }
    }
}

/// A lifecycle hook: a pause, or a Lambda function (its id defaulted to
/// `Hook<n>` as lowering does).
fn lifecycle_hook(uses: &mut Uses, spec: &model::LifecycleHookSpec, index: usize) -> Expr {
    use model::LifecycleStageSpec as M;
    let stage_ty = uses.name("ecs", "LifecycleStage");
    let stages = Expr::Array(
        spec.stages
            .iter()
            .map(|s| {
                let variant = match s {
                    M::ReconcileService => "ReconcileService",
                    M::PreScaleUp => "PreScaleUp",
                    M::PostScaleUp => "PostScaleUp",
                    M::TestTrafficShift => "TestTrafficShift",
                    M::PostTestTrafficShift => "PostTestTrafficShift",
                    M::PreProductionTrafficShift => "PreProductionTrafficShift",
                    M::ProductionTrafficShift => "ProductionTrafficShift",
                    M::PostProductionTrafficShift => "PostProductionTrafficShift",
                };
                atom(format!("{stage_ty}::{variant}"))
            })
            .collect(),
    );
    let ty = uses.name("ecs", "LifecycleHook");
    let mut hook = match &spec.lambda {
        Some(arn) => {
            let id = spec
                .id
                .clone()
                .unwrap_or_else(|| format!("Hook{}", index + 1));
            call(format!("{ty}::lambda"), vec![lit(&id), lit(arn), stages])
        }
        None => call(format!("{ty}::pause"), vec![stages]),
    };
    if let Some(timeout) = spec.timeout {
        let action = uses.name("ecs", "HookTimeoutAction");
        let variant = match spec.on_timeout {
            Some(model::HookTimeoutActionSpec::Continue) => "Continue",
            Some(model::HookTimeoutActionSpec::Rollback) | None => "Rollback",
        };
        hook = hook.m(
            "timeout",
            vec![
                duration(uses, timeout),
                atom(format!("{action}::{variant}")),
            ],
        );
    }
    hook
}

/// `&HostedZone::from_attributes(id, name)`.
fn hosted_zone(uses: &mut Uses, zone: &model::HostedZoneSpec) -> Expr {
    let ty = uses.name("route53", "HostedZone");
    Expr::Borrow(Box::new(call(
        format!("{ty}::from_attributes"),
        vec![lit(&zone.id), lit(&zone.name)],
    )))
}

fn task_definition(
    id: &str,
    task: &TaskDefinitionSpec,
    stack: &str,
    uses: &mut Uses,
) -> Result<Expr, String> {
    let ty = uses.name("ecs", "FargateTaskDefinition");
    let mut b = call(format!("{ty}::builder"), vec![lit(id)]);
    if let Some(units) = task.cpu {
        b = b.m(
            "cpu",
            vec![fargate_cpu(uses, units).map_err(|e| format!("cpu: {e}"))?],
        );
    }
    if let Some(memory) = task.memory_mib {
        b = b.m("memory_mib", vec![atom(memory.to_string())]);
    }
    if let Some(family) = &task.family {
        b = b.m("family", vec![lit(family)]);
    }
    if let Some(arch) = task.cpu_architecture {
        let os = uses.name("ecs", "OperatingSystem");
        let ty = uses.name("ecs", "CpuArchitecture");
        let variant = match arch {
            model::CpuArchitectureSpec::X86_64 => "X86_64",
            model::CpuArchitectureSpec::Arm64 => "Arm64",
        };
        b = b.m(
            "runtime_platform",
            vec![
                atom(format!("{os}::Linux")),
                atom(format!("{ty}::{variant}")),
            ],
        );
    }
    if let Some(gib) = task.ephemeral_storage_gib {
        b = b.m("ephemeral_storage_gib", vec![atom(gib.to_string())]);
    }
    for volume in &task.volumes {
        b = b.m("volume", vec![volume_expr(uses, volume)]);
    }
    if task.containers.is_empty() {
        return Err("containers: a task definition needs a container".into());
    }
    for (name, spec) in &task.containers {
        let c = container(uses, name, spec).map_err(|e| format!("containers.{name}{e}"))?;
        b = b.m("container", vec![c]);
    }
    Ok(b.m("build", vec![atom(format!("&mut {stack}"))]).try_())
}

/// The variant of `FargateCpu` with `units`.
fn fargate_cpu(uses: &mut Uses, units: u32) -> Result<Expr, String> {
    let variant = match units {
        256 => "Vcpu0_25",
        512 => "Vcpu0_5",
        1024 => "Vcpu1",
        2048 => "Vcpu2",
        4096 => "Vcpu4",
        8192 => "Vcpu8",
        16384 => "Vcpu16",
        _ => {
            return Err(format!(
                "Fargate has no {units} CPU units; use 256, 512, 1024, 2048, 4096, 8192 or 16384"
            ));
        }
    };
    if FargateCpu::from_units(units).is_none() {
        return Err(format!("ecscdk has no FargateCpu of {units} units"));
    }
    let ty = uses.name("ecs", "FargateCpu");
    Ok(atom(format!("{ty}::{variant}")))
}

/// `FargateSize::new(cpu, memory)?` of a pattern, either defaulted as
/// lowering does.
fn size(uses: &mut Uses, cpu: Option<u32>, memory: Option<u32>) -> Result<Option<Expr>, String> {
    if cpu.is_none() && memory.is_none() {
        return Ok(None);
    }
    let units = cpu.unwrap_or(256);
    let cpu_expr = fargate_cpu(uses, units).map_err(|e| format!("cpu: {e}"))?;
    let memory = match memory {
        Some(m) => m,
        None => FARGATE_SIZES
            .iter()
            .find(|row| row.cpu == units)
            .map_or(512, |row| row.min_memory_mib),
    };
    if let Some(cpu) = FargateCpu::from_units(units) {
        FargateSize::new(cpu, memory).map_err(|e| format!("memory_mib: {e}"))?;
    }
    let ty = uses.name("ecs", "FargateSize");
    Ok(Some(
        call(
            format!("{ty}::new"),
            vec![cpu_expr, atom(memory.to_string())],
        )
        .try_(),
    ))
}

fn volume_expr(uses: &mut Uses, volume: &VolumeSpec) -> Expr {
    let ty = uses.name("ecs", "Volume");
    match &volume.efs_file_system {
        Some(id) => {
            let efs = uses.name("ecs", "EfsVolume");
            call(
                format!("{ty}::efs"),
                vec![call(
                    format!("{efs}::new"),
                    vec![lit(&volume.name), lit(id)],
                )],
            )
        }
        None => call(format!("{ty}::scratch"), vec![lit(&volume.name)]),
    }
}

/// `PlatformVersion::Latest`, `V1_4_0`, or `Other("…".to_owned())`, as
/// the manifest's lowering reads the text.
fn platform_version(uses: &mut Uses, text: &str) -> Expr {
    let ty = uses.name("ecs", "PlatformVersion");
    match text {
        "LATEST" => atom(format!("{ty}::Latest")),
        "1.4.0" => atom(format!("{ty}::V1_4_0")),
        other => call(
            format!("{ty}::Other"),
            vec![atom(format!("{}.to_owned()", string_literal(other)))],
        ),
    }
}

fn circuit_breaker(uses: &mut Uses, breaker: model::CircuitBreaker) -> Expr {
    let ty = uses.name("ecs", "CircuitBreaker");
    let variant = match breaker {
        model::CircuitBreaker::Rollback => "Rollback",
        model::CircuitBreaker::StopOnly => "StopOnly",
        model::CircuitBreaker::Off => "Off",
    };
    atom(format!("{ty}::{variant}"))
}

fn capacity(uses: &mut Uses, entries: &[CapacityEntry]) -> Expr {
    let ty = uses.name("ecs", "FargateCapacity");
    Expr::Array(
        entries
            .iter()
            .map(|entry| {
                let f = match entry.provider {
                    model::FargateProvider::Fargate => "on_demand",
                    model::FargateProvider::FargateSpot => "spot",
                };
                let mut c = call(format!("{ty}::{f}"), vec![]);
                if let Some(base) = entry.base {
                    c = c.m("base", vec![atom(base.to_string())]);
                }
                if let Some(weight) = entry.weight {
                    c = c.m("weight", vec![atom(weight.to_string())]);
                }
                c
            })
            .collect(),
    )
}

fn connect_port(
    uses: &mut Uses,
    port: &model::ServiceConnectPortSpec,
    task: Option<&TaskDefinitionSpec>,
) -> Result<Expr, String> {
    let ty = uses.name("ecs", "ServiceConnectPort");
    let mut out = call(format!("{ty}::named"), vec![lit(&port.port_name)]);
    if let Some(name) = &port.discovery_name {
        out = out.m("discovery_name", vec![lit(name)]);
    }
    if port.dns_name.is_some() || port.client_port.is_some() {
        let container_port = task
            .into_iter()
            .flat_map(|t| t.containers.values())
            .flat_map(|c| &c.ports)
            .find(|p| p.name.as_deref() == Some(port.port_name.as_str()))
            .map(|p| p.port);
        let Some(client_port) = port.client_port.or(container_port) else {
            return Err(format!("no container port is named {:?}", port.port_name));
        };
        let dns = port
            .dns_name
            .as_deref()
            .or(port.discovery_name.as_deref())
            .unwrap_or(&port.port_name);
        out = out.m("alias", vec![lit(dns), atom(client_port.to_string())]);
    }
    if let Some(timeout) = port.per_request_timeout {
        out = out.m("per_request_timeout", vec![duration(uses, timeout)]);
    }
    Ok(out)
}

/// `service.auto_scale(&mut stack, min..=max)?.on_cpu(p)?.on_memory(p)?`.
fn auto_scale(service: Expr, stack: &str, spec: &AutoScalingSpec) -> Result<Expr, String> {
    let mut e = service
        .m(
            "auto_scale",
            vec![
                atom(format!("&mut {stack}")),
                atom(format!("{}..={}", spec.min, spec.max)),
            ],
        )
        .try_();
    if let Some(percent) = spec.cpu_percent {
        e = e
            .m(
                "on_cpu",
                vec![float(percent).map_err(|m| format!("auto_scaling.cpu_percent: {m}"))?],
            )
            .try_();
    }
    if let Some(percent) = spec.memory_percent {
        e = e
            .m(
                "on_memory",
                vec![float(percent).map_err(|m| format!("auto_scaling.memory_percent: {m}"))?],
            )
            .try_();
    }
    Ok(e)
}

/// The target group's health check; an error starts with the field.
fn target_health_check(uses: &mut Uses, check: &model::TargetHealthCheck) -> Result<Expr, String> {
    uses.modules.insert("elbv2");
    let path = lit(check.path.as_deref().unwrap_or("/"));
    let mut hc = match check.protocol {
        Some(model::HealthCheckProtocol::Http) => call("elbv2::HealthCheck::http", vec![path]),
        Some(model::HealthCheckProtocol::Tcp) if check.path.is_some() => {
            return Err("path: a TCP health check has no path".into());
        }
        Some(model::HealthCheckProtocol::Tcp) => call("elbv2::HealthCheck::tcp", vec![]),
        None => call("elbv2::HealthCheck::path", vec![path]),
    };
    if let Some(port) = check.port {
        hc = hc.m("port", vec![atom(port.to_string())]);
    }
    if let Some(d) = check.interval {
        hc = hc.m("interval", vec![duration(uses, d)]);
    }
    if let Some(d) = check.timeout {
        hc = hc.m("timeout", vec![duration(uses, d)]);
    }
    if let Some(n) = check.healthy_threshold {
        hc = hc.m("healthy_threshold", vec![atom(n.to_string())]);
    }
    if let Some(n) = check.unhealthy_threshold {
        hc = hc.m("unhealthy_threshold", vec![atom(n.to_string())]);
    }
    if let Some(codes) = &check.success_codes {
        hc = hc.m("success_codes", vec![lit(codes)]);
    }
    Ok(hc)
}

/// `cron(…)`, `rate(N unit)` and `at(…)`, read as lowering reads them.
fn schedule_expression(uses: &mut Uses, text: &str) -> Result<Expr, String> {
    let inner = |prefix: &str| {
        text.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(')'))
    };
    let ty = uses.name("scheduler", "ScheduleExpression");
    if let Some(body) = inner("cron(") {
        return Ok(call(format!("{ty}::cron"), vec![lit(body)]));
    }
    if let Some(body) = inner("at(") {
        return Ok(call(format!("{ty}::at"), vec![lit(body)]));
    }
    if let Some(body) = inner("rate(") {
        let mut words = body.split_whitespace();
        let value = words.next().and_then(|n| n.parse::<u32>().ok());
        let unit = match words.next() {
            Some("minute" | "minutes") => Some("Minutes"),
            Some("hour" | "hours") => Some("Hours"),
            Some("day" | "days") => Some("Days"),
            _ => None,
        };
        if let (Some(value), Some(unit), None) = (value, unit, words.next()) {
            let unit_ty = uses.name("scheduler", "RateUnit");
            return Ok(call(
                format!("{ty}::rate"),
                vec![atom(value.to_string()), atom(format!("{unit_ty}::{unit}"))],
            ));
        }
    }
    Err(format!("{text:?} is not a schedule"))
}

/// The variant of `RetentionDays` keeping logs `days` days.
fn retention(uses: &mut Uses, days: u32) -> Option<Expr> {
    use RetentionDays as R;
    let variants = [
        (R::OneDay, "OneDay"),
        (R::ThreeDays, "ThreeDays"),
        (R::FiveDays, "FiveDays"),
        (R::OneWeek, "OneWeek"),
        (R::TwoWeeks, "TwoWeeks"),
        (R::OneMonth, "OneMonth"),
        (R::TwoMonths, "TwoMonths"),
        (R::ThreeMonths, "ThreeMonths"),
        (R::FourMonths, "FourMonths"),
        (R::FiveMonths, "FiveMonths"),
        (R::SixMonths, "SixMonths"),
        (R::OneYear, "OneYear"),
        (R::ThirteenMonths, "ThirteenMonths"),
        (R::EighteenMonths, "EighteenMonths"),
        (R::TwoYears, "TwoYears"),
        (R::ThreeYears, "ThreeYears"),
        (R::FiveYears, "FiveYears"),
        (R::SixYears, "SixYears"),
        (R::SevenYears, "SevenYears"),
        (R::EightYears, "EightYears"),
        (R::NineYears, "NineYears"),
        (R::TenYears, "TenYears"),
    ];
    let (_, variant) = variants.into_iter().find(|(r, _)| r.days() == days)?;
    let ty = uses.name("logs", "RetentionDays");
    Some(atom(format!("{ty}::{variant}")))
}

fn build_image(uses: &mut Uses, build: &BuildSpec) -> Expr {
    uses.path = true;
    let ty = uses.name("ecr_assets", "AssetImage");
    let mut asset = call(format!("{ty}::new"), vec![manifest_path(&build.context)]);
    if let Some(file) = &build.dockerfile {
        asset = asset.m("file", vec![lit(file)]);
    }
    for (key, value) in &build.args {
        asset = asset.m("build_arg", vec![lit(key), lit(value)]);
    }
    if let Some(target) = &build.target {
        asset = asset.m("target", vec![lit(target)]);
    }
    if let Some(platform) = build.platform {
        let platform_ty = uses.name("ecr_assets", "Platform");
        let variant = match platform {
            model::BuildPlatform::LinuxAmd64 => "LinuxAmd64",
            model::BuildPlatform::LinuxArm64 => "LinuxArm64",
        };
        asset = asset.m("platform", vec![atom(format!("{platform_ty}::{variant}"))]);
    }
    asset.m("into", vec![])
}

/// `Container::builder(name, image)` and its setters; an error starts with
/// the field path below the container (`.secrets.X: …`), or `: ` for the
/// container itself.
fn container(uses: &mut Uses, name: &str, spec: &ContainerSpec) -> Result<Expr, String> {
    let image = match (&spec.image, &spec.build) {
        (Some(image), None) => {
            let ty = uses.name("ecs", "ContainerImage");
            call(format!("{ty}::registry"), vec![lit(image)])
        }
        (None, Some(build)) => build_image(uses, build),
        (Some(_), Some(_)) => return Err(".build: give `image` or `build`, not both".into()),
        (None, None) => return Err(": a container needs `image` or `build`".into()),
    };
    let ty = uses.name("ecs", "Container");
    let mut c = call(format!("{ty}::builder"), vec![lit(name), image]);
    for port in &spec.ports {
        let ty = uses.name("ecs", "PortMapping");
        let f = match port.protocol {
            Some(model::PortProtocol::Udp) => "udp",
            Some(model::PortProtocol::Tcp) | None => "tcp",
        };
        let mut mapping = call(format!("{ty}::{f}"), vec![atom(port.port.to_string())]);
        if let Some(name) = &port.name {
            mapping = mapping.m("name", vec![lit(name)]);
        }
        if let Some(protocol) = port.app_protocol {
            let ty = uses.name("ecs", "AppProtocol");
            let variant = match protocol {
                model::AppProtocol::Http => "Http",
                model::AppProtocol::Http2 => "Http2",
                model::AppProtocol::Grpc => "Grpc",
            };
            mapping = mapping.m("app_protocol", vec![atom(format!("{ty}::{variant}"))]);
        }
        c = c.m("port", vec![mapping]);
    }
    for (key, value) in &spec.environment {
        c = c.m("env", vec![lit(key), lit(value)]);
    }
    for (key, secret) in &spec.secrets {
        let ty = uses.name("ecs", "ContainerSecret");
        let value = match (
            &secret.ssm_parameter,
            &secret.secrets_manager,
            &secret.json_key,
        ) {
            (Some(p), None, None) if p.starts_with("arn:") => {
                call(format!("{ty}::ssm_parameter"), vec![lit(p)])
            }
            (Some(p), None, None) => call(format!("{ty}::ssm_parameter_name"), vec![lit(p)]),
            (None, Some(arn), None) => call(format!("{ty}::secrets_manager"), vec![lit(arn)]),
            (None, Some(arn), Some(k)) => call(
                format!("{ty}::secrets_manager_json_key"),
                vec![lit(arn), lit(k)],
            ),
            (Some(_), _, Some(_)) | (None, None, Some(_)) => {
                return Err(format!(
                    ".secrets.{key}.json_key: `json_key` needs `secrets_manager`"
                ));
            }
            (Some(_), Some(_), _) => {
                return Err(format!(
                    ".secrets.{key}: give `ssm_parameter` or `secrets_manager`"
                ));
            }
            (None, None, None) => {
                return Err(format!(".secrets.{key}: a secret needs a source"));
            }
        };
        c = c.m("secret", vec![lit(key), value]);
    }
    if let Some(command) = &spec.command {
        c = c.m("command", vec![string_list(command)]);
    }
    if let Some(entry_point) = &spec.entry_point {
        c = c.m("entry_point", vec![string_list(entry_point)]);
    }
    if let Some(dir) = &spec.working_directory {
        c = c.m("working_directory", vec![lit(dir)]);
    }
    if let Some(user) = &spec.user {
        c = c.m("user", vec![lit(user)]);
    }
    if let Some(essential) = spec.essential {
        c = c.m("essential", vec![atom(essential.to_string())]);
    }
    if let Some(check) = &spec.health_check {
        let ty = uses.name("ecs", "HealthCheck");
        let mut hc = call(format!("{ty}::shell"), vec![lit(&check.command)]);
        if let Some(d) = check.interval {
            hc = hc.m("interval", vec![duration(uses, d)]);
        }
        if let Some(d) = check.timeout {
            hc = hc.m("timeout", vec![duration(uses, d)]);
        }
        if let Some(n) = check.retries {
            hc = hc.m("retries", vec![atom(n.to_string())]);
        }
        if let Some(d) = check.start_period {
            hc = hc.m("start_period", vec![duration(uses, d)]);
        }
        c = c.m("health_check", vec![hc]);
    }
    if let Some(logging) = &spec.logging {
        let ty = uses.name("ecs", "LogDriver");
        let mut driver = call(format!("{ty}::aws_logs"), vec![lit(&logging.stream_prefix)]);
        if let Some(days) = logging.retention_days {
            let Some(days_expr) = retention(uses, days) else {
                return Err(format!(
                    ".logging.retention_days: CloudWatch Logs has no retention of {days} days"
                ));
            };
            driver = driver.m("retention", vec![days_expr]);
        }
        c = c.m("logging", vec![driver]);
    }
    match spec.read_only_root_filesystem {
        Some(true) => c = c.m("read_only_root_filesystem", vec![]),
        Some(false) => c = c.m("writable_root_filesystem", vec![]),
        None => {}
    }
    for mount in &spec.mounts {
        c = c.m(
            "mount",
            vec![
                lit(&mount.volume),
                lit(&mount.path),
                atom(mount.read_only.to_string()),
            ],
        );
    }
    if let Some(mib) = spec.memory_limit_mib {
        c = c.m("memory_limit_mib", vec![atom(mib.to_string())]);
    }
    if let Some(mib) = spec.memory_reservation_mib {
        c = c.m("memory_reservation_mib", vec![atom(mib.to_string())]);
    }
    if let Some(units) = spec.cpu {
        c = c.m("cpu_units", vec![atom(units.to_string())]);
    }
    if let Some(timeout) = spec.start_timeout {
        c = c.m("start_timeout", vec![duration(uses, timeout)]);
    }
    if let Some(timeout) = spec.stop_timeout {
        c = c.m("stop_timeout", vec![duration(uses, timeout)]);
    }
    if let Some(policy) = &spec.restart_policy {
        let ty = uses.name("ecs", "RestartPolicy");
        let f = if policy.enabled {
            "enabled"
        } else {
            "disabled"
        };
        let mut p = call(format!("{ty}::{f}"), vec![]);
        if !policy.ignored_exit_codes.is_empty() {
            let codes = policy
                .ignored_exit_codes
                .iter()
                .map(|code| atom(code.to_string()))
                .collect();
            p = p.m("ignored_exit_codes", vec![Expr::Array(codes)]);
        }
        if let Some(period) = policy.attempt_period {
            p = p.m("attempt_period", vec![duration(uses, period)]);
        }
        c = c.m("restart_policy", vec![p]);
    }
    for control in &spec.system_controls {
        c = c.m(
            "system_control",
            vec![lit(&control.namespace), lit(&control.value)],
        );
    }
    Ok(c)
}

/// `["a", "b"]`, or `Vec::<String>::new()` for none (an empty array has no
/// element type to infer).
fn string_list(items: &[String]) -> Expr {
    if items.is_empty() {
        atom("Vec::<String>::new()")
    } else {
        Expr::Array(items.iter().map(|s| lit(s)).collect())
    }
}

/// The existing VPC a stack's `vpc` names, if it names one.
fn vpc_existing(spec: &model::StackSpec) -> Option<model::ExistingVpcSpec> {
    spec.vpc.as_ref().and_then(|vpc| vpc.existing.clone())
}

/// `SubnetSelection::public()` and the like.
fn subnet_selection(uses: &mut Uses, kind: model::SubnetKind) -> Expr {
    let ty = uses.name("ec2", "SubnetSelection");
    let f = match kind {
        model::SubnetKind::Public => "public",
        model::SubnetKind::Private => "private_with_egress",
        model::SubnetKind::Isolated => "isolated",
    };
    call(format!("{ty}::{f}"), vec![])
}

#[cfg(test)]
mod tests {
    use super::{snake_case, string_literal};

    #[test]
    fn string_literals_escape_what_rust_needs() {
        assert_eq!(string_literal("plain"), r#""plain""#);
        assert_eq!(string_literal(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(string_literal(r"C:\dir\"), r#""C:\\dir\\""#);
        assert_eq!(string_literal("a\nb\r\tc\0"), r#""a\nb\r\tc\0""#);
        assert_eq!(string_literal("bell\u{7}"), r#""bell\u{7}""#);
        assert_eq!(string_literal("it's"), r#""it's""#);
        assert_eq!(string_literal("{braces} $VAR #"), r#""{braces} $VAR #""#);
        // Printable Unicode stays as it is; what hides or reorders text
        // is escaped.
        assert_eq!(string_literal("café ☕ 東京"), "\"café ☕ 東京\"");
        assert_eq!(string_literal("e\u{301}"), "\"e\u{301}\"");
        assert_eq!(string_literal("a\u{202e}b"), r#""a\u{202e}b""#);
        assert_eq!(
            string_literal("zero\u{200b}width"),
            r#""zero\u{200b}width""#
        );
        assert_eq!(string_literal("\u{feff}bom"), r#""\u{feff}bom""#);
        assert_eq!(string_literal("line\u{2028}sep"), r#""line\u{2028}sep""#);
    }

    #[test]
    fn ids_become_snake_case_variables() {
        for (id, name) in [
            ("Service", "service"),
            ("ServiceName", "service_name"),
            ("HTTPServer", "http_server"),
            ("ApiV2", "api_v2"),
            ("my-task", "my_task"),
            ("web.api", "web_api"),
            ("2nd", "x_2nd"),
            ("Type", "type_"),
            ("Self", "self_"),
            ("--", "construct"),
        ] {
            assert_eq!(snake_case(id), name, "{id}");
        }
    }
}
