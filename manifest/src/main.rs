//! The `ecscdk` command: an app's command line (`synth`, `list`, `diff`,
//! `deploy`, `destroy`, …) run on a manifest instead of a Rust program,
//! plus `schema` and `import copilot`.
//!
//! ```text
//! ecscdk synth -f ecscdk.yaml
//! ecscdk diff                      # ecscdk.yaml (or .yml, .toml, .json) here
//! ecscdk schema > ecscdk.schema.json
//! ecscdk import copilot ../my-copilot-app     # writes ecscdk.yaml there
//! ```

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use ecscdk::cli::{Error as CliError, Run};
use ecscdk_manifest::{DEFAULT_FILES, Error, json_schema, load_app};

const HELP: &str = "\
ecscdk: synthesize and deploy the stacks of an ecscdk manifest

Usage:
  ecscdk [-f FILE] <COMMAND> [ARGS...]   an app command on the manifest FILE
  ecscdk schema                          print the manifest's JSON Schema
  ecscdk import copilot [DIR] [-o FILE] [--rust FILE] [--force]
                                         convert the AWS Copilot workspace in DIR
                                         (default: here) into FILE (default:
                                         DIR/ecscdk.yaml) and, with --rust, into a
                                         Rust program; prints what it could not
                                         convert, field by field
  ecscdk --help | --version

FILE defaults to ecscdk.yaml, ecscdk.yml, ecscdk.toml or ecscdk.json in the
current directory. COMMAND is one of an ecscdk app's commands, with the same
options and output as `cargo run -- COMMAND`: synth, list, diff, deploy,
destroy, bootstrap, context, status, logs, run-task (see `ecscdk -f FILE
COMMAND --help`).
";

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    match run(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<OsString>) -> Result<ExitCode, String> {
    let (file, rest) = split_file_option(args)?;
    let first = rest.get(1).and_then(|a| a.to_str());
    match first {
        None | Some("-h" | "--help" | "help") => {
            print!("{HELP}");
            return Ok(ExitCode::SUCCESS);
        }
        Some("-V" | "--version") => {
            println!("ecscdk {}", env!("CARGO_PKG_VERSION"));
            return Ok(ExitCode::SUCCESS);
        }
        Some("schema") => {
            print!("{}", json_schema());
            return Ok(ExitCode::SUCCESS);
        }
        Some("import") => return import(&rest[2..]),
        _ => {}
    }
    let file = match file {
        Some(file) => file,
        None => DEFAULT_FILES
            .iter()
            .map(PathBuf::from)
            .find(|f| f.is_file())
            .ok_or_else(|| Error::NoManifest.to_string())?,
    };
    let app = load_app(&file).map_err(|e| e.to_string())?;
    match app.run_with_args(rest) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(CliError::Usage(e)) => e.exit(),
        Err(e @ CliError::TaskExit { code, .. }) => {
            eprintln!("{e}");
            Ok(ExitCode::from(
                u8::try_from(code.clamp(1, 255)).unwrap_or(1),
            ))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Takes `-f FILE`, `--file FILE` or `--file=FILE` out of the arguments
/// (before a `--`), wherever it is, so that `ecscdk synth -f x.yaml` and
/// `ecscdk -f x.yaml synth` both work; the rest goes to the app.
fn split_file_option(args: Vec<OsString>) -> Result<(Option<PathBuf>, Vec<OsString>), String> {
    let mut file: Option<PathBuf> = None;
    let mut rest = Vec::with_capacity(args.len());
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let text = arg.to_str();
        if text == Some("--") {
            rest.push(arg);
            rest.extend(args.by_ref());
            break;
        }
        let value = match text {
            Some("-f" | "--file") => Some(args.next().ok_or("-f needs a file: -f ecscdk.yaml")?),
            Some(t) if t.starts_with("--file=") => Some(OsString::from(&t["--file=".len()..])),
            _ => None,
        };
        match value {
            Some(value) if file.is_some() => {
                return Err(format!(
                    "two manifests given ({} and {}); give one -f",
                    file.unwrap_or_default().display(),
                    PathBuf::from(value).display()
                ));
            }
            Some(value) => file = Some(PathBuf::from(value)),
            None => rest.push(arg),
        }
    }
    Ok((file, rest))
}

/// `ecscdk import copilot [DIR] [-o FILE] [--rust FILE] [--force]`.
fn import(args: &[OsString]) -> Result<ExitCode, String> {
    let usage = "usage: ecscdk import copilot [DIR] [-o FILE] [--rust FILE] [--force]";
    let mut args = args.iter().map(|a| a.to_string_lossy().into_owned());
    if args.next().as_deref() != Some("copilot") {
        return Err(format!("import knows one source, copilot; {usage}"));
    }
    let (mut dir, mut output, mut rust, mut force) = (None, None, None, false);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-o" | "--output" => output = Some(PathBuf::from(args.next().ok_or(usage)?)),
            "--rust" => rust = Some(PathBuf::from(args.next().ok_or(usage)?)),
            "--force" => force = true,
            "-h" | "--help" => {
                println!("{usage}");
                return Ok(ExitCode::SUCCESS);
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}; {usage}")),
            path if dir.is_none() => dir = Some(PathBuf::from(path)),
            extra => {
                return Err(format!(
                    "one workspace at a time, not also {extra}; {usage}"
                ));
            }
        }
    }
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let output = output.unwrap_or_else(|| dir.join("ecscdk.yaml"));
    for file in std::iter::once(&output).chain(rust.as_ref()) {
        if file.exists() && !force {
            return Err(format!(
                "{} exists; pass --force to replace it, or -o/--rust another file",
                file.display()
            ));
        }
    }
    let imported = ecscdk_manifest::copilot::import(&dir).map_err(|e| e.to_string())?;
    let yaml = serde_norway::to_string(&imported.manifest).map_err(|e| e.to_string())?;
    let header = "# Converted from an AWS Copilot workspace by `ecscdk import copilot`.\n\
                  # Check the notes it printed, then: ecscdk diff -f THIS_FILE\n";
    write(&output, &format!("{header}{yaml}"))?;
    eprintln!("wrote {}", output.display());
    if let Some(rust) = &rust {
        let options = ecscdk_manifest::rust::Options {
            source: Some("ecscdk.yaml".to_owned()),
            ..ecscdk_manifest::rust::Options::default()
        };
        let program = ecscdk_manifest::rust::to_rust_with(&imported.manifest, &options)?;
        // Formatted when rustfmt is at hand; the code compiles either way.
        let program = ecscdk_manifest::rust::rustfmt(&program).unwrap_or(program);
        write(rust, &program)?;
        eprintln!(
            "wrote {} (the main.rs of a crate beside copilot/: build contexts and cdk.context.json are read from the crate's folder)",
            rust.display()
        );
    }
    let report = imported.report();
    if report.is_empty() {
        eprintln!("every field was converted");
    } else {
        eprintln!("not converted, or converted with a difference:\n{report}");
    }
    Ok(ExitCode::SUCCESS)
}

fn write(file: &std::path::Path, text: &str) -> Result<(), String> {
    std::fs::write(file, text).map_err(|e| format!("{}: {e}", file.display()))
}
