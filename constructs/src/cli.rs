//! The command line every ecscdk program understands: `synth` and `list`,
//! and with the `deploy` feature `deploy`, `diff`, `destroy`, `bootstrap`
//! and `list --deployed`, carried out by the `ecscdk-deploy` crate.
//!
//! ```no_run
//! use ecscdk::prelude::*;
//!
//! fn main() -> ecscdk::cli::Result<()> {
//!     let mut app = App::new();
//!     let mut stack = Stack::new("Queue");
//!     let root = stack.root();
//!     stack.add(root, "Topic", RawResource::new("AWS::SNS::Topic"))?;
//!     app.add(stack)?;
//!     app.run() // synth | list | diff | deploy | destroy | bootstrap, from argv
//! }
//! ```

use std::fmt;
use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
#[cfg(feature = "deploy")]
use ecscdk_deploy as deploy;
use ecscdk_synth::context::ContextValues;
use ecscdk_synth::{App, Assembly, ConstructPath, StackArtifact};

/// A `Result` whose error is [`enum@Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a command failed.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A problem found while building or synthesizing the app.
    #[error(transparent)]
    Synth(#[from] ecscdk_synth::Error),
    /// A problem met while deploying, diffing or destroying.
    #[cfg(feature = "deploy")]
    #[error(transparent)]
    Deploy(#[from] ecscdk_deploy::Error),
    /// A command line that does not parse, or a request for help or the
    /// version (clap's message says which).
    #[error("{0}")]
    Usage(clap::Error),
    /// Warnings recorded by constructs, with `--strict`.
    #[error(
        "{count} warning(s), printed above, and --strict: address them, or run without --strict"
    )]
    Strict {
        /// How many warnings there were.
        count: usize,
    },
    /// `context --reset` of an entry the context file does not have.
    #[error("no context entry {given:?} in {}; run `context` to list the entries and their numbers", file.display())]
    UnknownContextEntry {
        /// The key or number given.
        given: String,
        /// The context file.
        file: PathBuf,
    },
    /// `run-task --wait`: the task's container exited with a code other
    /// than 0; `run()` exits the process with that code.
    #[error("{path}: the task's container exited with code {code}")]
    TaskExit {
        /// The task definition's construct path.
        path: String,
        /// The container's exit code.
        code: i32,
    },
    /// A stack named on the command line that is not in the app.
    #[error("no stack named {name:?} in this app; the app has: {known}")]
    UnknownStack {
        /// The name given.
        name: String,
        /// The stacks the app has.
        known: String,
    },
}

/// Shows the message, so that a `main` returning this error prints
/// something a person can read.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Runs an app's command line: `app.run()` in a program's `main`.
pub trait Run {
    /// Runs the command line given to the program. Help, the version and
    /// usage errors are printed by clap, which exits the process with its
    /// usual status (0 for help, 2 for a usage error); `run-task --wait`
    /// exits with the code of the task's container.
    ///
    /// # Errors
    /// As [`run_with_args`](Self::run_with_args), but for usage errors.
    fn run(self) -> Result<()>;

    /// Runs a command line given as arguments (the first is the program
    /// name), without ever exiting the process.
    ///
    /// # Errors
    /// [`Error::Usage`] for a command line that does not parse (and for
    /// `--help`); [`Error::UnknownStack`] for a stack not in the app; the
    /// synth errors; with the `deploy` feature, the deploy errors.
    fn run_with_args<I, T>(&self, args: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone;
}

impl Run for App {
    fn run(self) -> Result<()> {
        let result = run(&self, std::env::args_os(), Leftover::LeftToExit);
        // The process ends next and its memory goes back to the system at
        // once: freeing the app's allocations one by one first would cost
        // about a tenth of a large app's synth (measured in the benchmark).
        // The app holds no buffer that needs flushing.
        std::mem::forget(self);
        match result {
            Err(Error::Usage(e)) => e.exit(),
            Err(e @ Error::TaskExit { code, .. }) => {
                eprintln!("{e}");
                std::process::exit(code)
            }
            other => other,
        }
    }

    fn run_with_args<I, T>(&self, args: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        run(self, args, Leftover::Freed)
    }
}

/// What becomes of a synthesized assembly once a command is done with it.
#[derive(Debug, Clone, Copy)]
enum Leftover {
    /// Freed, as usual: the caller goes on.
    Freed,
    /// Left to the process's exit, which comes next ([`Run::run`]), like the
    /// app: freeing a large assembly's templates, IDs and paths one by one
    /// is work nobody waits for.
    LeftToExit,
}

impl Leftover {
    fn dispose(self, assembly: Assembly) {
        match self {
            Self::Freed => drop(assembly),
            Self::LeftToExit => std::mem::forget(assembly),
        }
    }
}

#[derive(Debug, Parser)]
#[command(about = "Synthesize this app's CloudFormation templates (and, with the `deploy` feature, deploy, diff and destroy them)", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Fail when a construct recorded a warning (warnings are printed
    /// either way, to stderr).
    #[arg(long, global = true)]
    strict: bool,
    #[cfg(feature = "deploy")]
    #[command(flatten)]
    connection: deploy::Connection,
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
        /// Also show each stack's live status (`NOT_DEPLOYED` when absent).
        #[cfg(feature = "deploy")]
        #[arg(long)]
        deployed: bool,
    },
    /// Create or update stacks (all, or those named) in dependency order, and
    /// follow each to the end.
    #[cfg(feature = "deploy")]
    Deploy {
        /// Stacks to deploy (default: all).
        stacks: Vec<String>,
        /// Through a reviewable change set, or CreateStack/UpdateStack.
        #[arg(long, value_enum, default_value = "change-set")]
        method: deploy::Method,
        /// Create the change set and stop, for review.
        #[arg(long)]
        no_execute: bool,
        /// Template parameters: `Stack:Key=Value`, or `Key=Value` for every
        /// stack that declares it. Repeatable.
        #[arg(long = "parameters", value_name = "STACK:KEY=VALUE")]
        parameters: Vec<String>,
        /// SNS topic ARNs that receive the stack's events. Repeatable.
        #[arg(long = "notification-arns", value_name = "ARN")]
        notification_arns: Vec<String>,
        /// Give up on a stack that makes no progress for this long (30m, 90s, 1h).
        #[arg(long, default_value = "30m", value_parser = deploy::parse_duration)]
        timeout: std::time::Duration,
        /// Write every stack's outputs to this JSON file.
        #[arg(long)]
        outputs_file: Option<PathBuf>,
        /// Deploy only the stacks named, not the stacks they depend on.
        #[arg(short, long)]
        exclusively: bool,
        /// The cloud assembly folder, written before deploying: image
        /// assets are built from the contexts staged there.
        #[arg(short, long, default_value = "cdk.out")]
        output: PathBuf,
        /// Wait for CloudFormation alone to decide a service's rollout,
        /// instead of cancelling the update when ECS shows it failed.
        #[arg(long)]
        no_fail_fast: bool,
        /// A rollout fails when this many tasks of the new deployment stop
        /// for the same cause (image pull, essential container exit, failed
        /// health checks, failure to start).
        #[arg(long, default_value_t = 3, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        fail_after_stopped_tasks: u32,
        /// A rollout fails when ECS reports for this long that it cannot
        /// place a task.
        #[arg(long, default_value = "5m", value_parser = deploy::parse_duration, value_name = "DURATION")]
        fail_after_unplaceable: std::time::Duration,
        /// Deploy up to N stacks at the same time; a stack starts once the
        /// stacks it depends on are deployed, and the first failure starts
        /// no other.
        #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        concurrency: u32,
    },
    /// Show what a deploy would change: resources, properties, replacements,
    /// policy statements and network rules.
    #[cfg(feature = "deploy")]
    Diff {
        /// Stacks to compare (default: all).
        stacks: Vec<String>,
        /// Compare with this template file instead of the deployed one.
        #[arg(long)]
        template: Option<PathBuf>,
        /// Exit non-zero when a resource would be replaced or removed.
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
    },
    /// Delete stacks (all, or those named), dependents first.
    #[cfg(feature = "deploy")]
    Destroy {
        /// Stacks to delete (default: all).
        stacks: Vec<String>,
        /// Do not ask for confirmation.
        #[arg(short, long)]
        force: bool,
        /// Give up on a stack that makes no progress for this long.
        #[arg(long, default_value = "30m", value_parser = deploy::parse_duration)]
        timeout: std::time::Duration,
        /// Delete up to N stacks at the same time; a stack is deleted once
        /// the stacks that depend on it are gone.
        #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        concurrency: u32,
    },
    /// Show what runs now: each stack's status and, for each ECS service of
    /// its template (by construct path), the desired, running and pending
    /// task counts, the deployments, the latest events, the latest stopped
    /// tasks and the load balancer targets that are not healthy.
    #[cfg(feature = "deploy")]
    Status {
        /// Stacks to show (default: all).
        stacks: Vec<String>,
    },
    /// Run a task definition of the app once, as a standalone task (a
    /// migration, a backfill) on its cluster, with the networking of a
    /// service or the VPC's private subnets; print the task's ARN, or with
    /// --wait follow it, print its logs and exit with its container's code.
    #[cfg(feature = "deploy")]
    RunTask {
        /// The task definition, or a service whose task definition to run,
        /// as `Stack/Construct`.
        path: String,
        /// Take the networking, launch type or capacity provider strategy
        /// of this service (`Stack/Construct`); by default that of the
        /// service PATH names, or of the task definition's only service.
        #[arg(long, value_name = "PATH")]
        service: Option<String>,
        /// The cluster's name (by default the service's, or the stack's
        /// only cluster).
        #[arg(long)]
        cluster: Option<String>,
        /// Subnets for an awsvpc task, instead of the service's or the
        /// VPC's private ones (comma-separated or repeated).
        #[arg(long, value_delimiter = ',', value_name = "SUBNET")]
        subnets: Vec<String>,
        /// Security groups for an awsvpc task (comma-separated or repeated).
        #[arg(long, value_delimiter = ',', value_name = "GROUP")]
        security_groups: Vec<String>,
        /// Give the task a public IP address.
        #[arg(long)]
        public_ip: bool,
        /// A capacity provider of the strategy, with its weight and base
        /// (repeatable).
        #[arg(long = "capacity-provider", value_name = "NAME[:WEIGHT[:BASE]]", value_parser = deploy::parse_capacity_provider)]
        capacity_providers: Vec<(String, i32, i32)>,
        /// The launch type, instead of the service's placement or the
        /// cluster's default capacity provider strategy.
        #[arg(long, value_parser = ["FARGATE", "EC2", "EXTERNAL"], conflicts_with = "capacity_providers")]
        launch_type: Option<String>,
        /// The container to override and take the exit code of (default:
        /// the first essential one).
        #[arg(long)]
        container: Option<String>,
        /// An environment variable for the container (repeatable).
        #[arg(long = "env", value_name = "KEY=VALUE", value_parser = deploy::parse_env)]
        env: Vec<(String, String)>,
        /// Follow the task to its end, print its logs, and exit with its
        /// container's exit code.
        #[arg(short, long)]
        wait: bool,
        /// The command to run instead of the container's, after `--`.
        #[arg(last = true, value_name = "COMMAND")]
        command: Vec<String>,
    },
    /// Print the awslogs output of a service's or a task definition's
    /// containers, named by construct path (`Web/Service`), from the log
    /// groups and stream prefixes the app configured.
    #[cfg(feature = "deploy")]
    Logs {
        /// The service or task definition, as `Stack/Construct`.
        path: String,
        /// How far back to start (10m, 1h, 90s).
        #[arg(long, default_value = "10m", value_parser = deploy::parse_duration)]
        since: std::time::Duration,
        /// Keep printing new events until interrupted.
        #[arg(short, long)]
        follow: bool,
    },
    /// List the values the app looked up in AWS and keeps in its context
    /// file (cdk.context.json), or remove them so that the next synth looks
    /// them up again, as `cdk context` does.
    Context {
        /// Remove this entry: its key, or its number in the listing.
        #[arg(long, value_name = "KEY_OR_NUMBER", conflicts_with = "clear")]
        reset: Option<String>,
        /// Remove every entry.
        #[arg(long)]
        clear: bool,
        /// Print the entries as JSON.
        #[arg(long, conflicts_with_all = ["reset", "clear"])]
        json: bool,
    },
    /// Create the staging bucket (encrypted, versioned, private) that
    /// templates over 51,200 bytes are uploaded to, and the repository image
    /// assets are pushed to (unless a `cdk bootstrap` made it).
    #[cfg(feature = "deploy")]
    Bootstrap {
        /// Give up when nothing progresses for this long.
        #[arg(long, default_value = "30m", value_parser = deploy::parse_duration)]
        timeout: std::time::Duration,
        /// Print the toolkit stack's template (with the repository) instead
        /// of deploying it, as `cdk bootstrap --show-template` does.
        #[arg(long)]
        show_template: bool,
    },
}

/// When `diff` fails.
#[cfg(feature = "deploy")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    /// A replacement or a removal.
    Destructive,
}

fn run<I, T>(app: &App, args: I, leftover: Leftover) -> Result<()>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::try_parse_from(args).map_err(Error::Usage)?;
    #[cfg(feature = "deploy")]
    let lookup = &cli.connection;
    #[cfg(not(feature = "deploy"))]
    let lookup = &();
    match cli.command {
        Command::Synth {
            stacks,
            output,
            yaml,
            quiet,
        } => {
            let assembly = synthesize(app, lookup)?;
            let result = synth(&assembly, &stacks, &output, yaml, quiet, cli.strict);
            leftover.dispose(assembly);
            result
        }
        #[cfg(not(feature = "deploy"))]
        Command::List { long } => {
            let assembly = synthesize(app, lookup)?;
            let result = list(&assembly, long, None);
            leftover.dispose(assembly);
            result
        }
        #[cfg(feature = "deploy")]
        Command::List { long, deployed } => {
            let assembly = synthesize(app, lookup)?;
            let statuses = if deployed {
                Some(deploy::statuses(&assembly, &cli.connection)?)
            } else {
                None
            };
            let result = list(&assembly, long, statuses);
            leftover.dispose(assembly);
            result
        }
        Command::Context { reset, clear, json } => context(app, reset, clear, json),
        #[cfg(feature = "deploy")]
        Command::Logs {
            path,
            since,
            follow,
        } => {
            let assembly = synthesize(app, lookup)?;
            Ok(deploy::logs(
                &assembly,
                &path,
                &cli.connection,
                since,
                follow,
            )?)
        }
        #[cfg(feature = "deploy")]
        Command::RunTask {
            path,
            service,
            cluster,
            subnets,
            security_groups,
            public_ip,
            capacity_providers,
            launch_type,
            container,
            env,
            wait,
            command,
        } => {
            let assembly = synthesize(app, lookup)?;
            let opts = deploy::RunTaskOptions {
                service,
                cluster,
                subnets,
                security_groups,
                public_ip,
                capacity_providers,
                launch_type,
                container,
                command,
                env,
                wait,
            };
            match deploy::run_task(&assembly, &path, &cli.connection, &opts)? {
                0 => Ok(()),
                code => Err(Error::TaskExit { path, code }),
            }
        }
        #[cfg(feature = "deploy")]
        Command::Status { stacks } => {
            let assembly = synthesize(app, lookup)?;
            let selected = select(&assembly, &stacks)?;
            Ok(deploy::status(&assembly, &selected, &cli.connection)?)
        }
        #[cfg(feature = "deploy")]
        Command::Deploy {
            stacks,
            method,
            no_execute,
            parameters,
            notification_arns,
            timeout,
            outputs_file,
            exclusively,
            output,
            no_fail_fast,
            fail_after_stopped_tasks,
            fail_after_unplaceable,
            concurrency,
        } => {
            let parameters = parameters
                .iter()
                .map(|p| deploy::parse_parameter(p))
                .collect::<deploy::Result<Vec<_>>>()?;
            let assembly = synthesize(app, lookup)?;
            report_warnings(&assembly, cli.strict)?;
            let selected = select(&assembly, &stacks)?;
            assembly.write(&output)?;
            let opts = deploy::DeployOptions {
                method,
                execute: !no_execute,
                parameters,
                notification_arns,
                timeout,
                outputs_file,
                exclusively,
                assembly_dir: output,
                fail_fast: (!no_fail_fast).then_some(deploy::FailFast {
                    stopped_tasks: fail_after_stopped_tasks,
                    unplaceable_for: fail_after_unplaceable,
                }),
                concurrency: usize::try_from(concurrency).unwrap_or(1),
            };
            Ok(deploy::deploy(
                &assembly,
                &selected,
                &cli.connection,
                &opts,
            )?)
        }
        #[cfg(feature = "deploy")]
        Command::Diff {
            stacks,
            template,
            fail_on,
        } => {
            let assembly = synthesize(app, lookup)?;
            report_warnings(&assembly, cli.strict)?;
            let selected = select(&assembly, &stacks)?;
            Ok(deploy::diff(
                &assembly,
                &selected,
                &cli.connection,
                template.as_deref(),
                fail_on == Some(FailOn::Destructive),
            )?)
        }
        #[cfg(feature = "deploy")]
        Command::Destroy {
            stacks,
            force,
            timeout,
            concurrency,
        } => {
            let assembly = synthesize(app, lookup)?;
            let selected = select(&assembly, &stacks)?;
            Ok(deploy::destroy(
                &assembly,
                &selected,
                &cli.connection,
                force,
                timeout,
                usize::try_from(concurrency).unwrap_or(1),
            )?)
        }
        #[cfg(feature = "deploy")]
        Command::Bootstrap {
            show_template: true,
            ..
        } => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", deploy::bootstrap_template());
            Ok(())
        }
        #[cfg(feature = "deploy")]
        Command::Bootstrap { timeout, .. } => Ok(deploy::bootstrap(&cli.connection, timeout)?),
    }
}

/// How synth looks up missing context: through AWS with the `deploy`
/// feature, not at all without.
#[cfg(feature = "deploy")]
type Lookup = deploy::Connection;
#[cfg(not(feature = "deploy"))]
type Lookup = ();

/// Synthesizes the app. With the `deploy` feature, entries the context file
/// lacks are looked up in AWS, saved to the file, and synth runs again (the
/// CDK CLI's loop); without it, the error says how to add them.
fn synthesize(app: &App, lookup: &Lookup) -> Result<Assembly> {
    #[cfg(not(feature = "deploy"))]
    let () = *lookup;
    match app.synth() {
        Ok(assembly) => Ok(assembly),
        #[cfg(feature = "deploy")]
        Err(e) if e.missing_context().is_some() => {
            let Some((missing, file)) = e.missing_context() else {
                return Err(e.into());
            };
            let keys: Vec<String> = missing.iter().map(|m| m.query.key()).collect();
            eprintln!("Looking up context: {}", keys.join(", "));
            let found = deploy::lookup_context(missing, lookup)?;
            let mut values = ContextValues::load(file)?;
            for (key, value) in found {
                values.set(key, value);
            }
            values.save(file)?;
            eprintln!("Saved to {}", file.display());
            Ok(app.synth()?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The `context` command.
fn context(app: &App, reset: Option<String>, clear: bool, json: bool) -> Result<()> {
    let file = app.context_file_path();
    let mut values = ContextValues::load(&file)?;
    let mut out = std::io::stdout().lock();
    if clear {
        values = ContextValues::new();
        values.save(&file)?;
        let _ = writeln!(out, "All context values cleared from {}.", file.display());
        return Ok(());
    }
    if let Some(given) = reset {
        let key = given
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| values.iter().nth(i).map(|(k, _)| k.clone()))
            .unwrap_or_else(|| given.clone());
        if values.remove(&key).is_none() {
            return Err(Error::UnknownContextEntry { given, file });
        }
        values.save(&file)?;
        let _ = writeln!(
            out,
            "Context value {key} reset. It will be looked up again on the next synth."
        );
        return Ok(());
    }
    if json {
        let map: serde_json::Map<String, serde_json::Value> =
            values.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let text = serde_json::to_string_pretty(&map).unwrap_or_default();
        let _ = writeln!(out, "{text}");
        return Ok(());
    }
    if values.is_empty() {
        let _ = writeln!(
            out,
            "No context values in {}: synth looks them up when a construct needs one.",
            file.display()
        );
        return Ok(());
    }
    let _ = writeln!(out, "Context found in {}:\n", file.display());
    let width = values.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let _ = writeln!(out, " #  {:width$}  Value", "Key");
    for (i, (key, value)) in values.iter().enumerate() {
        let _ = writeln!(out, "{:>2}  {key:width$}  {value}", i + 1);
    }
    let _ = writeln!(
        out,
        "\nRun `context --reset KEY_OR_NUMBER` to remove an entry; it is looked up again on the next synth."
    );
    Ok(())
}

/// Prints the warnings constructs recorded, to stderr, one a line
/// (`warning: [path] message`); with `strict`, fails when there is one.
fn report_warnings(assembly: &Assembly, strict: bool) -> Result<()> {
    let mut err = std::io::stderr().lock();
    let mut count = 0;
    for warning in assembly.stacks().iter().flat_map(|s| &s.warnings) {
        count += 1;
        let _ = writeln!(err, "warning: {warning}");
    }
    if strict && count > 0 {
        return Err(Error::Strict { count });
    }
    Ok(())
}

fn select<'a>(assembly: &'a Assembly, names: &[String]) -> Result<Vec<&'a StackArtifact>> {
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
    assembly: &Assembly,
    names: &[String],
    output: &std::path::Path,
    yaml: bool,
    quiet: bool,
    strict: bool,
) -> Result<()> {
    report_warnings(assembly, strict)?;
    let selected = select(assembly, names)?;
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
                    serde_json::from_str(&stack.template).map_err(|e| {
                        ecscdk_synth::Error::Serialize {
                            path: ConstructPath::new(stack.id.clone()),
                            message: e.to_string(),
                        }
                    })?;
                serde_norway::to_string(&value).map_err(|e| ecscdk_synth::Error::Serialize {
                    path: ConstructPath::new(stack.id.clone()),
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

fn list(assembly: &Assembly, long: bool, statuses: Option<Vec<String>>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for (i, s) in assembly.stacks().iter().enumerate() {
        let status = statuses.as_ref().and_then(|st| st.get(i));
        let status = status.map_or_else(String::new, |st| format!("\t{st}"));
        let line = if long {
            let deps = if s.dependencies.is_empty() {
                "-".to_owned()
            } else {
                s.dependencies.join(",")
            };
            format!(
                "{}\tname={}\tenv={}\tdepends-on={}{status}\n",
                s.id,
                s.stack_name,
                s.env.assembly_uri(),
                deps
            )
        } else {
            format!("{}{status}\n", s.id)
        };
        let _ = out.write_all(line.as_bytes());
    }
    Ok(())
}
