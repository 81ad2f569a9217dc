//! The `ecscdk` command: an app's command line (`synth`, `list`, `diff`,
//! `deploy`, `destroy`, …) run on a manifest instead of a Rust program,
//! plus `schema` and `import copilot`.
//!
//! ```text
//! ecscdk synth -f ecscdk.yaml
//! ecscdk diff                      # ecscdk.yaml (or .yml, .toml, .json) here
//! ecscdk schema > ecscdk.schema.json
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
