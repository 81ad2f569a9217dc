//! The command line every ecscdk program understands: `synth` and `list`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::app::App;
use crate::assembly::Assembly;
use crate::error::{Error, Result};

#[derive(Debug, Parser)]
#[command(about = "Synthesize this app's CloudFormation templates", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write every stack's template into a cloud assembly (cdk.out) and print
    /// the template of the one stack selected.
    Synth {
        /// Stacks whose templates to print (all are written).
        stacks: Vec<String>,
        /// The cloud assembly folder.
        #[arg(short, long, default_value = "cdk.out")]
        output: PathBuf,
        /// Print YAML instead of JSON.
        #[arg(long)]
        yaml: bool,
        /// Print nothing; only write the assembly.
        #[arg(short, long)]
        quiet: bool,
    },
    /// List the stacks in deployment order.
    #[command(alias = "ls")]
    List {
        /// Also show each stack's name, environment and dependencies.
        #[arg(short, long)]
        long: bool,
    },
}

pub(crate) fn run<I, T>(app: &App, args: I) -> Result<()>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        // Help, version and usage errors: clap prints them and picks the exit code.
        Err(e) => e.exit(),
    };
    match cli.command {
        Command::Synth {
            stacks,
            output,
            yaml,
            quiet,
        } => synth(app, &stacks, &output, yaml, quiet),
        Command::List { long } => list(app, long),
    }
}

fn select<'a>(assembly: &'a Assembly, names: &[String]) -> Result<Vec<&'a crate::StackArtifact>> {
    names
        .iter()
        .map(|name| {
            assembly
                .stacks()
                .iter()
                .find(|s| &s.id == name || &s.stack_name == name)
                .ok_or_else(|| Error::UnknownStack {
                    name: name.clone(),
                    known: assembly
                        .stacks()
                        .iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })
        })
        .collect()
}

fn synth(
    app: &App,
    names: &[String],
    output: &std::path::Path,
    yaml: bool,
    quiet: bool,
) -> Result<()> {
    let assembly = app.synth()?;
    let selected = select(&assembly, names)?;
    assembly.write(output)?;
    if quiet {
        return Ok(());
    }
    let shown = match (selected.as_slice(), assembly.stacks()) {
        ([one], _) => Some(*one),
        ([], [one]) => Some(one),
        _ => None,
    };
    let mut out = std::io::stdout().lock();
    match shown {
        Some(stack) => {
            let text = if yaml {
                let value: serde_json::Value =
                    serde_json::from_str(&stack.template).map_err(|e| Error::Serialize {
                        path: crate::ConstructPath::new(stack.id.clone()),
                        message: e.to_string(),
                    })?;
                serde_norway::to_string(&value).map_err(|e| Error::Serialize {
                    path: crate::ConstructPath::new(stack.id.clone()),
                    message: e.to_string(),
                })?
            } else {
                format!("{}\n", stack.template)
            };
            // A closed pipe (`| head`) is not an error of synth.
            let _ = out.write_all(text.as_bytes());
        }
        None => {
            let ids: Vec<&str> = assembly.stacks().iter().map(|s| s.id.as_str()).collect();
            eprintln!(
                "Successfully synthesized to {}\nSupply a stack id ({}) to display its template.",
                output.display(),
                ids.join(", ")
            );
        }
    }
    Ok(())
}

fn list(app: &App, long: bool) -> Result<()> {
    let assembly = app.synth()?;
    let mut out = std::io::stdout().lock();
    for s in assembly.stacks() {
        let line = if long {
            let deps = if s.dependencies.is_empty() {
                "-".to_owned()
            } else {
                s.dependencies.join(",")
            };
            format!(
                "{}\tname={}\tenv={}\tdepends-on={}\n",
                s.id,
                s.stack_name,
                s.env.assembly_uri(),
                deps
            )
        } else {
            format!("{}\n", s.id)
        };
        let _ = out.write_all(line.as_bytes());
    }
    Ok(())
}
