//! The deploy side's errors. An error of the engine (a synth problem met on
//! the way) is wrapped, not copied.

use std::fmt;
use std::path::PathBuf;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong while talking to AWS, for which stack, and how to fix it.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A synth problem: the assembly could not be produced or read.
    #[error(transparent)]
    Synth(#[from] ecscdk_synth::Error),
    /// A command-line argument that cannot be used.
    #[error("invalid {argument} {value:?}: {fix}")]
    InvalidArgument {
        /// The option, e.g. `--parameters`.
        argument: &'static str,
        /// The value given.
        value: String,
        /// What a valid value looks like.
        fix: &'static str,
    },
    /// A call to an AWS service failed.
    #[error("[{stack}] {action} failed: {message}; {fix}")]
    Service {
        /// The stack it was about.
        stack: String,
        /// The call, e.g. `CreateChangeSet`.
        action: &'static str,
        /// The service's message (or the raw response when it could not be
        /// decoded).
        message: String,
        /// What to do.
        fix: String,
    },
    /// A deployment or deletion that ended in a failed or rolled-back state.
    #[error("[{stack}] {operation} failed with status {status}{}; fix the resources named above and deploy again", failure_lines(.reasons))]
    DeployFailed {
        /// The stack's name.
        stack: String,
        /// `deploy` or `destroy`.
        operation: &'static str,
        /// The final stack status, e.g. `ROLLBACK_COMPLETE`.
        status: String,
        /// Each failed resource with its reason (`Topic: Invalid name`).
        reasons: Vec<String>,
    },
    /// A stack that made no progress within the deploy budget.
    #[error(
        "[{stack}] no progress for {waited_secs} s (status {status}); still in progress: {stuck}. {action}; raise --timeout if it needs longer"
    )]
    Stuck {
        /// The stack's name.
        stack: String,
        /// Its status when the budget ran out.
        status: String,
        /// The resources still in progress, or the stack itself.
        stuck: String,
        /// How long nothing changed.
        waited_secs: u64,
        /// What was done about it (update cancelled, or why not).
        action: String,
    },
    /// A service's ECS rollout that failed while its stack was created or
    /// updated ([`crate::FailFast`]).
    #[error(
        "[{stack}] {service}: the rollout failed: {cause}{}\n{action}; fix the cause and deploy again (--no-fail-fast waits for CloudFormation instead)",
        failure_lines(.evidence)
    )]
    RolloutFailed {
        /// The stack's name.
        stack: String,
        /// The service's construct path.
        service: String,
        /// Why it counts as failed.
        cause: String,
        /// The stopped tasks (and targets) that show it, one per line.
        evidence: Vec<String>,
        /// What was done about the stack operation.
        action: String,
    },
    /// `diff --fail-on destructive` found replacements or removals.
    #[error("{count} destructive change(s): {what}; review them, or deploy without --fail-on")]
    Destructive {
        /// How many resources would be replaced or removed.
        count: usize,
        /// `Stack/LogicalId (replaced)`, comma-separated.
        what: String,
    },
    /// A staging bucket is needed but `bootstrap` was not run.
    #[error(
        "[{stack}] the template is {bytes} bytes, over the 51,200 bytes CloudFormation accepts inline, and no staging bucket exists in this account and region; run the `bootstrap` command first"
    )]
    NotBootstrapped {
        /// The stack's name.
        stack: String,
        /// The template size.
        bytes: usize,
    },
    /// No docker-compatible CLI to build an image asset with.
    #[error(
        "[{asset}] no container CLI can build this image ({tried}); install one (`apt-get install podman`, Docker Engine or Finch) or name it in CDK_DOCKER; nothing was deployed"
    )]
    NoContainerCli {
        /// The asset's construct path.
        asset: String,
        /// Each CLI tried and why it was passed over.
        tried: String,
    },
    /// The repository an image asset goes to does not exist: the account
    /// and region were not bootstrapped for images.
    #[error(
        "[{asset}] no ECR repository {repository:?} in this account and region: run this app's `bootstrap` command (or `cdk bootstrap`) first; nothing was deployed"
    )]
    ImagesNotBootstrapped {
        /// The asset's construct path.
        asset: String,
        /// The repository looked for.
        repository: String,
    },
    /// A stack with image assets is pinned to an account other than the
    /// one of the deploying credentials: its images would be looked for,
    /// and its task definitions would pull them, in the pinned account.
    #[error(
        "[{stack}] the stack's environment is account {expected}, but the credentials are for account {actual}; deploy with credentials (a --profile) of account {expected}, or change the stack's env; nothing was deployed"
    )]
    WrongAccount {
        /// The stack's id.
        stack: String,
        /// The account of the stack's environment.
        expected: String,
        /// The account of the credentials (STS `GetCallerIdentity`).
        actual: String,
    },
    /// An update that would remove an export another stack imports.
    #[error(
        "[{stack}] the update removes the export {export}, which {} still import(s), so CloudFormation would fail the update halfway and roll it back: deploy those stacks first without the reference, or keep the export one more deploy (`ReferenceStrength::Both` for a cross-stack reference of the app, or an output with that export name)",
        importers.join(", ")
    )]
    ExportInUse {
        /// The stack being updated.
        stack: String,
        /// The export's name.
        export: String,
        /// The stacks that import it (`ListImports`).
        importers: Vec<String>,
    },
    /// A construct path that names nothing the command can use.
    #[error(
        "no {wanted} has the path {path:?}{}; the app has: {known}",
        found.as_ref().map_or_else(String::new, |kind| format!(" (it is an {kind})"))
    )]
    UnknownPath {
        /// The path given.
        path: String,
        /// What the command needs, e.g. `task definition or service`.
        wanted: &'static str,
        /// The kind of resource the path does name, if any.
        found: Option<String>,
        /// The paths it could have been.
        known: String,
    },
    /// A command about a deployed stack, for a stack that is not deployed.
    #[error("[{stack}] the stack is not deployed; deploy it first")]
    NotDeployed {
        /// The stack's name.
        stack: String,
    },
    /// `run-task`: ECS could not start the task.
    #[error(
        "{path}: ECS could not start the task on cluster {cluster}: {}; add capacity, or choose other capacity with --capacity-provider",
        reasons.join("; ")
    )]
    TaskNotStarted {
        /// The task definition's construct path.
        path: String,
        /// The cluster's name.
        cluster: String,
        /// ECS's reasons (`RESOURCE:MEMORY`, …).
        reasons: Vec<String>,
    },
    /// `run-task --wait`: the task stopped before its container ran.
    #[error("{path}: the task stopped before its container ran: {task}")]
    TaskFailed {
        /// The task definition's construct path.
        path: String,
        /// The stopped task in words.
        task: String,
    },
    /// A context entry that could not be looked up.
    #[error(
        "cannot look up the context entry `{key}`: {reason}\nGive credentials for the entry's account, or add the entry to the app's cdk.context.json by hand: {{\"{key}\": {example}}}"
    )]
    Context {
        /// The entry's key.
        key: String,
        /// Why.
        reason: String,
        /// A value of the entry's shape, as JSON.
        example: String,
    },
    /// A command of the container CLI (login, build, tag, push) failed.
    #[error("[{asset}] `{command}` failed ({status}):\n{tail}\n{fix}")]
    ImageCommand {
        /// The asset's construct path.
        asset: String,
        /// The command line (build arguments' values hidden).
        command: String,
        /// Its exit status, or why it could not run.
        status: String,
        /// The last lines of its output.
        tail: String,
        /// What to do.
        fix: &'static str,
    },
    /// The user declined, or stopped the program while it waited.
    #[error("{what}")]
    Aborted {
        /// What was stopped and what state things are in.
        what: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", file.display())]
    Io {
        /// The file or folder.
        file: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

fn failure_lines(reasons: &[String]) -> String {
    reasons.iter().fold(String::new(), |mut acc, r| {
        acc.push_str("\n  ");
        acc.push_str(r);
        acc
    })
}

/// Shows the variant, then the message (`Stuck: [Web] …`; a synth error as
/// the engine's `Debug` shows it), so that a failed `unwrap` or test says
/// which error it got.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let variant = match self {
            Self::Synth(inner) => return write!(f, "Synth({inner:?})"),
            Self::InvalidArgument { .. } => "InvalidArgument",
            Self::Service { .. } => "Service",
            Self::DeployFailed { .. } => "DeployFailed",
            Self::Stuck { .. } => "Stuck",
            Self::RolloutFailed { .. } => "RolloutFailed",
            Self::Destructive { .. } => "Destructive",
            Self::NotBootstrapped { .. } => "NotBootstrapped",
            Self::NoContainerCli { .. } => "NoContainerCli",
            Self::ImagesNotBootstrapped { .. } => "ImagesNotBootstrapped",
            Self::WrongAccount { .. } => "WrongAccount",
            Self::ImageCommand { .. } => "ImageCommand",
            Self::Context { .. } => "Context",
            Self::ExportInUse { .. } => "ExportInUse",
            Self::UnknownPath { .. } => "UnknownPath",
            Self::NotDeployed { .. } => "NotDeployed",
            Self::TaskNotStarted { .. } => "TaskNotStarted",
            Self::TaskFailed { .. } => "TaskFailed",
            Self::Aborted { .. } => "Aborted",
            Self::Io { .. } => "Io",
        };
        write!(f, "{variant}: {self}")
    }
}
