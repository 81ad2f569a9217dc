//! `deploy`, `diff`, `destroy`, `bootstrap` and `list --deployed`: the
//! synthesized stacks handed to CloudFormation through the AWS SDK for Rust,
//! followed to the end.
//!
//! Every wait has a budget: when a stack makes no progress (no new event, no
//! status change) for `--timeout`, the wait stops, names the resources still
//! in progress, cancels the update where CloudFormation allows, and fails.
//! A deploy that finds its stack in progress (an earlier run was
//! interrupted) waits for that operation first; a stack whose creation
//! failed (`ROLLBACK_COMPLETE`) is deleted and created again.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::config::http::HttpResponse;
use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::types::{
    Capability, ChangeSetStatus, ChangeSetType, Parameter, StackStatus, Tag, TemplateStage,
};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value as Json;

use crate::diff::{self, Style};
use crate::error::{Error, Result};
use ecscdk_synth::{Assembly, ConstructPath, Env, StackArtifact};

/// The name of the stack `bootstrap` creates, holding the staging bucket.
pub(crate) const TOOLKIT_STACK: &str = "EcscdkToolkit";

/// Where and as whom to call AWS.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Connection {
    /// The named profile of ~/.aws/config to use.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// The region, for stacks whose environment does not name one.
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Send every call to this endpoint (e.g. a local moto server) instead of
    /// AWS; `AWS_ENDPOINT_URL` works too.
    #[arg(long, global = true)]
    pub endpoint_url: Option<String>,
}

/// How `deploy` creates or updates a stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// Create a change set, then execute it (reviewable, the default).
    ChangeSet,
    /// `CreateStack` / `UpdateStack` directly.
    Direct,
}

/// `deploy`'s options.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// Through a change set or directly.
    pub method: Method,
    /// Execute the change set; `false` stops at it for review.
    pub execute: bool,
    /// Template parameters: (stack, key, value); no stack means every stack
    /// that declares the key.
    pub parameters: Vec<(Option<String>, String, String)>,
    /// SNS topics that receive the stacks' events.
    pub notification_arns: Vec<String>,
    /// The no-progress budget of each wait.
    pub timeout: Duration,
    /// Where to write every stack's outputs as JSON.
    pub outputs_file: Option<PathBuf>,
    /// Deploy only the named stacks, not the stacks they depend on.
    pub exclusively: bool,
    /// The folder the assembly was written to, where image assets' build
    /// contexts are staged.
    pub assembly_dir: PathBuf,
}

/// Parses `--parameters Stack:Key=Value` (or `Key=Value` for every stack).
pub fn parse_parameter(text: &str) -> Result<(Option<String>, String, String)> {
    let invalid = || Error::InvalidArgument {
        argument: "--parameters",
        value: text.to_owned(),
        fix: "write Stack:Key=Value, or Key=Value for every stack",
    };
    let (head, value) = text.split_once('=').ok_or_else(invalid)?;
    let (stack, key) = match head.split_once(':') {
        Some((s, k)) => (Some(s.to_owned()), k),
        None => (None, head),
    };
    if key.is_empty() || stack.as_deref() == Some("") {
        return Err(invalid());
    }
    Ok((stack, key.to_owned(), value.to_owned()))
}

/// Parses a duration such as `30m`, `90s`, `1h` or a number of seconds.
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    let t = text.trim();
    let (num, unit) = t
        .find(|c: char| !c.is_ascii_digit())
        .map_or((t, "s"), |i| t.split_at(i));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{text:?} is not a duration; write e.g. 30m, 90s or 1h"))?;
    let secs = match unit {
        "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("{text:?}: the unit must be s, m or h")),
    };
    Ok(Duration::from_secs(secs))
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            file: PathBuf::from("<async runtime>"),
            source,
        })
}

/// The clients of one environment.
pub(crate) struct Aws {
    cfn: Client,
    autoscaling: aws_sdk_autoscaling::Client,
    s3: aws_sdk_s3::Client,
    pub(crate) ecr: aws_sdk_ecr::Client,
    pub(crate) sts: aws_sdk_sts::Client,
    pub(crate) region: String,
}

pub(crate) async fn connect(conn: &Connection, stack_region: Option<&str>) -> Result<Aws> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(8));
    if let Some(p) = &conn.profile {
        loader = loader.profile_name(p);
    }
    // The stack's environment wins over --region.
    if let Some(r) = stack_region
        .map(str::to_owned)
        .or_else(|| conn.region.clone())
    {
        loader = loader.region(aws_config::Region::new(r));
    }
    if let Some(e) = &conn.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    let config = loader.load().await;
    // AWS's own endpoints are named after the region: a malformed one
    // would only show, after a minute of retries, as a failed DNS lookup.
    // Another endpoint may name its regions as it likes.
    if config.endpoint_url().is_none()
        && let Some(r) = config.region()
        && !region_shaped(r.as_ref())
    {
        return Err(Error::InvalidArgument {
            argument: "region",
            value: r.to_string(),
            fix: "write a region code such as us-east-1 or eu-west-2 (an availability zone such as us-east-1a is not a region) in the stack's Env, --region, AWS_REGION or the profile",
        });
    }
    let region = config
        .region()
        .map_or_else(|| "us-east-1".to_owned(), ToString::to_string);
    let s3_config = aws_sdk_s3::config::Builder::from(&config)
        .force_path_style(config.endpoint_url().is_some())
        .build();
    let cfn_config = aws_sdk_cloudformation::config::Builder::from(&config)
        .retry_classifier(UnreachableIsFinal)
        .build();
    Ok(Aws {
        cfn: Client::from_conf(cfn_config),
        autoscaling: aws_sdk_autoscaling::Client::new(&config),
        s3: aws_sdk_s3::Client::from_conf(s3_config),
        ecr: aws_sdk_ecr::Client::new(&config),
        sts: aws_sdk_sts::Client::new(&config),
        region,
    })
}

/// Whether `region` has the shape of every AWS region code (`us-east-1`,
/// `us-gov-west-1`, `eusc-de-east-1`): a lowercase prefix, lowercase words,
/// and a number, joined by dashes.
fn region_shaped(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let lower = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
    match parts.as_slice() {
        [prefix, words @ .., number] => {
            (2..=4).contains(&prefix.len())
                && lower(prefix)
                && !words.is_empty()
                && words.iter().all(lower)
                && (1..=2).contains(&number.len())
                && number.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// Leaves a refused connection and a host name DNS does not know unretried:
/// nothing listens at that address (a mistyped `--endpoint-url`, a local
/// server not started) or no such endpoint exists (a mistyped region), and
/// the eight attempts with backoff that throttling gets would keep the
/// command silent for about a minute. Timeouts, resets and temporary DNS
/// failures are still retried.
#[derive(Debug)]
struct UnreachableIsFinal;

impl aws_sdk_cloudformation::config::retry::ClassifyRetry for UnreachableIsFinal {
    fn classify_retry(
        &self,
        ctx: &aws_sdk_cloudformation::config::interceptors::InterceptorContext,
    ) -> aws_sdk_cloudformation::config::retry::RetryAction {
        use aws_sdk_cloudformation::config::retry::RetryAction;
        let Some(Err(err)) = ctx.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        let mut source: Option<&(dyn std::error::Error + 'static)> = err
            .as_connector_error()
            .map(|e| e as &(dyn std::error::Error + 'static));
        while let Some(e) = source {
            let refused = e
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused);
            // getaddrinfo's "no such name" (glibc, musl, macOS, Windows),
            // not its "temporary failure".
            let text = e.to_string();
            let unknown_host = [
                "Name or service not known",
                "Name does not resolve",
                "nodename nor servname provided",
                "No such host is known",
            ]
            .iter()
            .any(|m| text.contains(m));
            if refused || unknown_host {
                return RetryAction::RetryForbidden;
            }
            source = e.source();
        }
        RetryAction::NoActionIndicated
    }

    fn name(&self) -> &'static str {
        "UnreachableIsFinal"
    }
}

/// The message of an SDK error: the service's code and message, the
/// undecodable raw body when there is one, and a hint for the usual causes.
pub(crate) fn service_error<E>(
    stack: &str,
    action: &'static str,
    e: &SdkError<E, HttpResponse>,
) -> Error
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
{
    let mut message = match (e.code(), e.message()) {
        (Some(code), Some(msg)) => format!("{code}: {msg}"),
        (None, Some(msg)) => msg.to_owned(),
        _ => {
            // The chain of causes, without the Debug dump.
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(cause) = source {
                let part = cause.to_string();
                if !text.contains(&part) {
                    text = format!("{text}: {part}");
                }
                source = cause.source();
            }
            text
        }
    };
    if e.code().is_none()
        && let Some(raw) = e.raw_response()
    {
        // A body the SDK could not decode (e.g. JSON where XML was due):
        // show it as the reason.
        let body = raw
            .body()
            .bytes()
            .map(|b| {
                String::from_utf8_lossy(b)
                    .chars()
                    .take(600)
                    .collect::<String>()
            })
            .unwrap_or_default();
        message = format!("{message} (HTTP {}; raw response: {body})", raw.status());
    }
    let lower = message.to_lowercase();
    let fix = if lower.contains("credentials") {
        "configure credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a --profile, or SSO) and retry"
    } else if lower.contains("region") || lower.contains("dispatch failure") {
        "check --region / the stack's environment and --endpoint-url, and that the endpoint is reachable"
    } else if lower.contains("throttl") || lower.contains("rate exceeded") {
        "CloudFormation is throttling this account; wait a minute and retry"
    } else if lower.contains("updateterminationprotection")
        || lower.contains("termination protection")
    {
        "disable the stack's termination protection first"
    } else {
        "fix the cause above and retry"
    };
    Error::Service {
        stack: stack.to_owned(),
        action,
        message,
        fix: fix.to_owned(),
    }
}

fn is_missing<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
    e.message().is_some_and(|m| m.contains("does not exist"))
}

/// The stack's live description, or `None` when it does not exist.
async fn describe(
    cfn: &Client,
    name: &str,
) -> Result<Option<aws_sdk_cloudformation::types::Stack>> {
    match cfn.describe_stacks().stack_name(name).send().await {
        Ok(out) => Ok(out
            .stacks()
            .first()
            .cloned()
            .filter(|s| s.stack_status() != Some(&StackStatus::DeleteComplete))),
        Err(e) if is_missing(&e) => Ok(None),
        Err(e) => Err(service_error(name, "DescribeStacks", &e)),
    }
}

fn status_text(s: Option<&StackStatus>) -> String {
    s.map_or_else(|| "UNKNOWN".to_owned(), |s| s.as_str().to_owned())
}

fn in_progress(s: &StackStatus) -> bool {
    s.as_str().ends_with("_IN_PROGRESS") && *s != StackStatus::ReviewInProgress
}

/// Plain lines when stderr is not a terminal, a progress bar when it is.
struct Reporter {
    bar: Option<ProgressBar>,
}

impl Reporter {
    fn new(stack: &str, total: u64) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total);
            if let Ok(style) =
                ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} resources {msg}")
            {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_prefix(stack.to_owned());
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Self { bar }
    }
    fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }
    fn set(&self, done: u64, msg: &str) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            bar.set_message(msg.to_owned());
        }
    }
    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// What the wait is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Goal {
    Deploy,
    Destroy,
}

/// How a wait follows a stack.
#[derive(Clone, Copy)]
struct Watch<'a> {
    /// The number of resources, for the progress bar (0: unknown).
    total: u64,
    /// The no-progress budget.
    budget: Duration,
    goal: Goal,
    /// Auto Scaling groups to keep unprotected while a stack is deleted.
    guard: Option<&'a Unprotect<'a>>,
}

impl Watch<'_> {
    fn new(total: u64, budget: Duration, goal: Goal) -> Self {
        Self {
            total,
            budget,
            goal,
            guard: None,
        }
    }
}

/// Follows the stack until it leaves its in-progress state, printing new
/// events. Returns the final status (`DELETE_COMPLETE` when it is gone).
async fn wait(
    cfn: &Client,
    name: &str,
    target: &str,
    after: Option<String>,
    watch: Watch<'_>,
) -> Result<StackStatus> {
    let Watch {
        total,
        budget,
        goal,
        guard,
    } = watch;
    let reporter = Reporter::new(name, total);
    let mut last_unprotect = Instant::now();
    let mut seen: HashSet<String> = HashSet::new();
    let mut done: HashSet<String> = HashSet::new();
    let mut failures: Vec<String> = Vec::new();
    let mut last_progress = Instant::now();
    let mut last_status: Option<StackStatus> = None;
    let mut delay = Duration::from_millis(500);
    let result = loop {
        // The events since `after`, oldest first.
        match cfn.describe_stack_events().stack_name(target).send().await {
            Ok(out) => {
                let mut fresh: Vec<_> = out
                    .stack_events()
                    .iter()
                    .take_while(|e| after.is_none() || e.event_id() != after.as_deref())
                    .filter(|e| e.event_id().is_some_and(|id| !seen.contains(id)))
                    .collect();
                fresh.reverse();
                for e in fresh {
                    seen.insert(e.event_id().unwrap_or_default().to_owned());
                    last_progress = Instant::now();
                    let status = e.resource_status().map_or("", |s| s.as_str());
                    let id = e.logical_resource_id().unwrap_or("-");
                    let reason = e.resource_status_reason().unwrap_or("");
                    let is_stack = id == name;
                    if !is_stack && status.ends_with("_COMPLETE") {
                        done.insert(id.to_owned());
                    }
                    if status.ends_with("_FAILED") && !reason.is_empty() && !is_stack {
                        failures.push(format!("{id}: {reason}"));
                    }
                    let time = e
                        .timestamp()
                        .and_then(|t| t.fmt(aws_smithy_types_fmt()).ok())
                        .unwrap_or_default();
                    reporter.line(&format!(
                        "{name} | {time} | {status:<26} | {} | {id}{}",
                        e.resource_type().unwrap_or("-"),
                        if reason.is_empty() {
                            String::new()
                        } else {
                            format!(" | {reason}")
                        }
                    ));
                }
            }
            Err(e) if is_missing(&e) && goal == Goal::Destroy => {
                break Ok(StackStatus::DeleteComplete);
            }
            Err(e) => break Err(service_error(name, "DescribeStackEvents", &e)),
        }
        let stack = match describe(cfn, target).await {
            Ok(Some(s)) => s,
            Ok(None) if goal == Goal::Destroy => break Ok(StackStatus::DeleteComplete),
            Ok(None) => {
                break Err(Error::DeployFailed {
                    stack: name.to_owned(),
                    operation: "deploy",
                    status: "DELETED".to_owned(),
                    reasons: failures.clone(),
                });
            }
            Err(e) => break Err(e),
        };
        let status = stack.stack_status().cloned();
        if status != last_status {
            last_progress = Instant::now();
            last_status.clone_from(&status);
        }
        let text = status_text(status.as_ref());
        reporter.set(done.len().min(total as usize) as u64, &text);
        match &status {
            Some(s) if in_progress(s) => {}
            Some(s) => {
                if let Some(r) = stack.stack_status_reason().filter(|r| !r.is_empty()) {
                    reporter.line(&format!("{name} | {text} | {r}"));
                }
                break Ok(s.clone());
            }
            None => break Ok(StackStatus::from("UNKNOWN")),
        }
        if let Some(guard) = guard
            && last_unprotect.elapsed() >= UNPROTECT_EVERY
        {
            // ECS may protect an instance again while the stack's services
            // still run: clear it until the groups are gone.
            guard.run(name, |line| reporter.line(line)).await;
            last_unprotect = Instant::now();
        }
        if last_progress.elapsed() >= budget {
            break Err(stuck(cfn, name, &text, budget).await);
        }
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            _ = tokio::signal::ctrl_c() => {
                break Err(Error::Aborted {
                    what: format!(
                        "[{name}] interrupted while the stack is {text}; CloudFormation keeps working on it, and the next deploy or destroy waits for it to finish"
                    ),
                });
            }
        }
        delay = (delay * 2).min(Duration::from_secs(5));
    };
    reporter.finish();
    let status = result?;
    let ok = match goal {
        Goal::Deploy => matches!(
            status,
            StackStatus::CreateComplete | StackStatus::UpdateComplete | StackStatus::ImportComplete
        ),
        Goal::Destroy => status == StackStatus::DeleteComplete,
    };
    if ok {
        return Ok(status);
    }
    if failures.is_empty() {
        failures = failed_resources(cfn, name).await;
    }
    Err(Error::DeployFailed {
        stack: name.to_owned(),
        operation: match goal {
            Goal::Deploy => "deploy",
            Goal::Destroy => "destroy",
        },
        status: status.as_str().to_owned(),
        reasons: failures,
    })
}

/// The id of the stack's newest event, so that a wait prints only what
/// follows it.
async fn newest_event(cfn: &Client, name: &str) -> Option<String> {
    cfn.describe_stack_events()
        .stack_name(name)
        .send()
        .await
        .ok()?
        .stack_events()
        .first()?
        .event_id()
        .map(str::to_owned)
}

fn aws_smithy_types_fmt() -> aws_sdk_cloudformation::primitives::DateTimeFormat {
    aws_sdk_cloudformation::primitives::DateTimeFormat::DateTime
}

/// The failed resources of a stack with their reasons.
async fn failed_resources(cfn: &Client, name: &str) -> Vec<String> {
    let Ok(out) = cfn.describe_stack_resources().stack_name(name).send().await else {
        return Vec::new();
    };
    out.stack_resources()
        .iter()
        .filter(|r| {
            r.resource_status()
                .is_some_and(|s| s.as_str().ends_with("_FAILED"))
        })
        .map(|r| {
            format!(
                "{}: {}",
                r.logical_resource_id().unwrap_or("-"),
                r.resource_status_reason().unwrap_or("no reason given")
            )
        })
        .collect()
}

/// The deploy budget ran out: name what is stuck and cancel what can be.
async fn stuck(cfn: &Client, name: &str, status: &str, budget: Duration) -> Error {
    let mut resources: Vec<String> =
        match cfn.describe_stack_resources().stack_name(name).send().await {
            Ok(out) => out
                .stack_resources()
                .iter()
                .filter(|r| {
                    r.resource_status()
                        .is_some_and(|s| s.as_str().ends_with("_IN_PROGRESS"))
                })
                .filter_map(|r| {
                    Some(format!(
                        "{} ({})",
                        r.logical_resource_id().filter(|id| !id.is_empty())?,
                        r.resource_type().unwrap_or("-")
                    ))
                })
                .collect(),
            Err(_) => Vec::new(),
        };
    if resources.is_empty() {
        resources.push(format!("the stack itself ({status})"));
    }
    let action = if status == "UPDATE_IN_PROGRESS" {
        match cfn.cancel_update_stack().stack_name(name).send().await {
            Ok(_) => "the update was cancelled (CloudFormation rolls it back)".to_owned(),
            Err(e) => format!(
                "cancelling the update failed ({})",
                e.message().unwrap_or("unknown error")
            ),
        }
    } else {
        format!(
            "CloudFormation cannot cancel a stack in {status}; it keeps working, and the next deploy waits for it"
        )
    };
    Error::Stuck {
        stack: name.to_owned(),
        status: status.to_owned(),
        stuck: resources.join(", "),
        waited_secs: budget.as_secs(),
        action,
    }
}

/// The capabilities a template needs: IAM resources need `CAPABILITY_IAM`,
/// named ones `CAPABILITY_NAMED_IAM`, macros and nested stacks
/// `CAPABILITY_AUTO_EXPAND`.
fn capabilities(template: &Json) -> Vec<Capability> {
    let mut caps = Vec::new();
    let resources = template.get("Resources").and_then(Json::as_object);
    let iam: Vec<&Json> = resources
        .into_iter()
        .flat_map(|r| r.values())
        .filter(|r| {
            r.get("Type")
                .and_then(Json::as_str)
                .is_some_and(|t| t.starts_with("AWS::IAM::"))
        })
        .collect();
    let named = iam.iter().any(|r| {
        r.get("Properties")
            .and_then(Json::as_object)
            .is_some_and(|p| {
                [
                    "RoleName",
                    "UserName",
                    "GroupName",
                    "ManagedPolicyName",
                    "InstanceProfileName",
                ]
                .iter()
                .any(|k| p.contains_key(*k))
            })
    });
    if named {
        caps.push(Capability::CapabilityNamedIam);
    } else if !iam.is_empty() {
        caps.push(Capability::CapabilityIam);
    }
    let nested = resources.into_iter().flat_map(|r| r.values()).any(|r| {
        r.get("Type").and_then(Json::as_str).is_some_and(|t| {
            t == "AWS::CloudFormation::Stack" || t == "AWS::Serverless::Application"
        })
    });
    if template.get("Transform").is_some() || nested {
        caps.push(Capability::CapabilityAutoExpand);
    }
    caps
}

fn template_json(stack: &StackArtifact) -> Result<Json> {
    serde_json::from_str(&stack.template).map_err(|e| {
        Error::Synth(ecscdk_synth::Error::Serialize {
            path: ConstructPath::new(stack.id.clone()),
            message: e.to_string(),
        })
    })
}

/// Where the template goes: inline, or uploaded to the staging bucket.
enum Body {
    Inline(String),
    Url(String),
}

async fn body(aws: &Aws, stack: &StackArtifact) -> Result<Body> {
    if !stack.needs_upload {
        return Ok(Body::Inline(stack.template.clone()));
    }
    let bucket = staging_bucket(&aws.cfn)
        .await?
        .ok_or_else(|| Error::NotBootstrapped {
            stack: stack.stack_name.clone(),
            bytes: stack.template.len(),
        })?;
    let key = format!("templates/{}-{:016x}.json", stack.id, fnv(&stack.template));
    aws.s3
        .put_object()
        .bucket(&bucket)
        .key(&key)
        .body(stack.template.clone().into_bytes().into())
        .content_type("application/json")
        .send()
        .await
        .map_err(|e| service_error(&stack.stack_name, "PutObject (staging bucket)", &e))?;
    Ok(Body::Url(format!(
        "https://{bucket}.s3.{}.amazonaws.com/{key}",
        aws.region
    )))
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

async fn staging_bucket(cfn: &Client) -> Result<Option<String>> {
    let Some(stack) = describe(cfn, TOOLKIT_STACK).await? else {
        return Ok(None);
    };
    Ok(stack
        .outputs()
        .iter()
        .find(|o| o.output_key() == Some("BucketName"))
        .and_then(|o| o.output_value())
        .map(str::to_owned))
}

/// The toolkit stack: one encrypted, versioned, private staging bucket, and
/// unless another stack made it (a `cdk bootstrap`), the container-asset
/// repository, named as the AWS CDK's bootstrap names it so image URIs are
/// the same whichever bootstrap an account has.
pub(crate) fn toolkit_template(with_repository: bool) -> String {
    let mut template = serde_json::json!({
        "Description": "ecscdk toolkit: the staging bucket for templates over 51,200 bytes and the repository of image assets (created by `bootstrap`)",
        "Resources": {
            "StagingBucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                    ]},
                    "VersioningConfiguration": {"Status": "Enabled"},
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": true, "BlockPublicPolicy": true,
                        "IgnorePublicAcls": true, "RestrictPublicBuckets": true
                    },
                    "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                    "LifecycleConfiguration": {"Rules": [
                        {"Id": "ExpireOldVersions", "Status": "Enabled", "NoncurrentVersionExpiration": {"NoncurrentDays": 30}}
                    ]}
                },
                "UpdateReplacePolicy": "Retain",
                "DeletionPolicy": "Retain"
            }
        },
        "Outputs": {"BucketName": {"Value": {"Ref": "StagingBucket"}}}
    });
    if with_repository {
        // Tags are content hashes, so they never move (IMMUTABLE). Every
        // push is tagged, so no untagged image is expected; the lifecycle
        // rule is the CDK bootstrap's own (its comment: Security Hub wants
        // one), so a repository is kept alike whichever bootstrap made it.
        // Kept when the stack goes: running services still pull from it.
        let lifecycle = serde_json::json!({"rules": [{
            "rulePriority": 1,
            "description": "Untagged images should not exist, but expire any older than one year",
            "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 365},
            "action": {"type": "expire"}
        }]});
        template["Resources"]["ContainerAssetsRepository"] = serde_json::json!({
            "Type": "AWS::ECR::Repository",
            "Properties": {
                "RepositoryName": {"Fn::Sub": container_assets_repository()},
                "ImageTagMutability": "IMMUTABLE",
                "ImageScanningConfiguration": {"ScanOnPush": true},
                "EncryptionConfiguration": {"EncryptionType": "AES256"},
                "LifecyclePolicy": {"LifecyclePolicyText": lifecycle.to_string()}
            },
            "UpdateReplacePolicy": "Retain",
            "DeletionPolicy": "Retain"
        });
        template["Outputs"]["ContainerAssetsRepository"] =
            serde_json::json!({"Value": {"Ref": "ContainerAssetsRepository"}});
    }
    template.to_string()
}

/// The toolkit stack's template, pretty-printed, as `bootstrap` deploys it
/// where no container-asset repository exists yet (with the staging bucket
/// and the repository): what `bootstrap --show-template` prints, for a
/// review or a deployment by other means (the CDK's `cdk bootstrap
/// --show-template`).
#[must_use]
pub fn bootstrap_template() -> String {
    let compact = toolkit_template(true);
    serde_json::from_str::<Json>(&compact)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or(compact)
}

/// The container-asset repository's name as a `Fn::Sub` template: the AWS
/// CDK bootstrap's, the one synth names images after.
fn container_assets_repository() -> String {
    ecscdk_synth::container_assets_repository(&Env::agnostic())
}

fn parameters_for(
    stack: &StackArtifact,
    opts: &DeployOptions,
    template: &Json,
    existing: Option<&aws_sdk_cloudformation::types::Stack>,
) -> Vec<Parameter> {
    let declared: Vec<&String> = template
        .get("Parameters")
        .and_then(Json::as_object)
        .map(|p| p.keys().collect())
        .unwrap_or_default();
    let mut given: BTreeMap<&str, &str> = BTreeMap::new();
    for (s, k, v) in &opts.parameters {
        let applies = s
            .as_deref()
            .is_none_or(|s| s == stack.id || s == stack.stack_name);
        if applies && declared.contains(&k) {
            given.insert(k, v);
        }
    }
    // The deployed values, passed again as values: `UsePreviousValue` only
    // for a value DescribeStacks masks (`NoEcho`). (moto 5.2 fails with HTTP
    // 500 on `UsePreviousValue` for a parameter that took its default.)
    let previous: BTreeMap<&str, &str> = existing
        .map(|e| {
            e.parameters()
                .iter()
                .filter_map(|p| Some((p.parameter_key()?, p.parameter_value().unwrap_or_default())))
                .collect()
        })
        .unwrap_or_default();
    declared
        .iter()
        .filter_map(|k| {
            if let Some(v) = given.get(k.as_str()) {
                Some(
                    Parameter::builder()
                        .parameter_key(k.as_str())
                        .parameter_value(*v)
                        .build(),
                )
            } else if let Some(v) = previous.get(k.as_str()) {
                let p = Parameter::builder().parameter_key(k.as_str());
                Some(if v.chars().all(|c| c == '*') {
                    p.use_previous_value(true).build()
                } else {
                    p.parameter_value(*v).build()
                })
            } else {
                None
            }
        })
        .collect()
}

/// `--notification-arns`, or nothing: an empty list would remove the topics
/// a stack already has.
fn notification_arns(opts: &DeployOptions) -> Option<Vec<String>> {
    (!opts.notification_arns.is_empty()).then(|| opts.notification_arns.clone())
}

fn tags(stack: &StackArtifact) -> Vec<Tag> {
    stack
        .tags
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

fn no_changes(reason: &str) -> bool {
    let r = reason.to_lowercase();
    r.contains("didn't contain changes")
        || r.contains("no updates are to be performed")
        || r.contains("submitted information didn't contain changes")
}

/// Makes the stack ready for a create or an update: waits for an operation
/// in progress, removes a stack whose creation failed.
async fn prepare(
    cfn: &Client,
    name: &str,
    budget: Duration,
) -> Result<Option<aws_sdk_cloudformation::types::Stack>> {
    let mut current = describe(cfn, name).await?;
    if let Some(s) = &current
        && s.stack_status().is_some_and(in_progress)
    {
        eprintln!(
            "{name}: waiting for the operation in progress ({}) to finish",
            status_text(s.stack_status())
        );
        let goal = if s.stack_status() == Some(&StackStatus::DeleteInProgress) {
            Goal::Destroy
        } else {
            Goal::Deploy
        };
        // A failed earlier operation is not this deploy's failure; running
        // out of budget or being interrupted is.
        if let Err(e @ (Error::Stuck { .. } | Error::Aborted { .. })) = wait(
            cfn,
            name,
            name,
            newest_event(cfn, name).await,
            Watch::new(0, budget, goal),
        )
        .await
        {
            return Err(e);
        }
        current = describe(cfn, name).await?;
    }
    if let Some(s) = &current
        && s.stack_status() == Some(&StackStatus::UpdateRollbackFailed)
    {
        eprintln!(
            "{name}: an earlier update's rollback failed (UPDATE_ROLLBACK_FAILED); continuing the rollback"
        );
        let after = newest_event(cfn, name).await;
        cfn.continue_update_rollback()
            .stack_name(name)
            .send()
            .await
            .map_err(|e| service_error(name, "ContinueUpdateRollback", &e))?;
        let status = match wait(cfn, name, name, after, Watch::new(0, budget, Goal::Deploy)).await {
            Err(e @ (Error::Stuck { .. } | Error::Aborted { .. })) => return Err(e),
            Err(Error::DeployFailed { status, .. }) => status,
            Err(e) => return Err(e),
            Ok(s) => s.as_str().to_owned(),
        };
        if status != StackStatus::UpdateRollbackComplete.as_str() {
            return Err(Error::DeployFailed {
                stack: name.to_owned(),
                operation: "deploy",
                status,
                reasons: failed_resources(cfn, name).await,
            });
        }
        current = describe(cfn, name).await?;
    }
    if let Some(s) = &current
        && s.stack_status() == Some(&StackStatus::RollbackComplete)
    {
        eprintln!(
            "{name}: its creation failed earlier (ROLLBACK_COMPLETE); deleting it to create it again"
        );
        let target = s.stack_id().unwrap_or(name).to_owned();
        let after = newest_event(cfn, name).await;
        cfn.delete_stack()
            .stack_name(name)
            .send()
            .await
            .map_err(|e| service_error(name, "DeleteStack", &e))?;
        wait(
            cfn,
            name,
            &target,
            after,
            Watch::new(0, budget, Goal::Destroy),
        )
        .await?;
        current = None;
    }
    Ok(current)
}

/// What one stack's deploy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Deployed {
    /// Created or updated.
    Changed,
    /// The template and parameters matched the deployed stack.
    NoChanges,
    /// A change set was left for review (`--no-execute`).
    Reviewed(String),
}

async fn deploy_stack(
    aws: &Aws,
    stack: &StackArtifact,
    opts: &DeployOptions,
) -> Result<(Deployed, BTreeMap<String, String>)> {
    let cfn = &aws.cfn;
    let name = stack.stack_name.as_str();
    let template = template_json(stack)?;
    let existing = prepare(cfn, name, opts.timeout).await?;
    let caps = capabilities(&template);
    let params = parameters_for(stack, opts, &template, existing.as_ref());
    let body = body(aws, stack).await?;
    let total = template
        .get("Resources")
        .and_then(Json::as_object)
        .map_or(0, |r| r.len() as u64);
    let since = SystemTime::now();
    let after = match &existing {
        Some(_) => newest_event(cfn, name).await,
        None => None,
    };
    let exists = existing
        .as_ref()
        .is_some_and(|s| s.stack_status() != Some(&StackStatus::ReviewInProgress));
    eprintln!(
        "{name}: {} ({} resources, {})",
        if exists { "updating" } else { "creating" },
        total,
        match opts.method {
            Method::ChangeSet => "change set",
            Method::Direct => "direct",
        }
    );
    let outcome = match opts.method {
        Method::Direct => {
            let result = if exists {
                let mut req = cfn
                    .update_stack()
                    .stack_name(name)
                    .set_parameters(Some(params))
                    .set_capabilities(Some(caps))
                    .set_tags(Some(tags(stack)))
                    .set_notification_arns(notification_arns(opts));
                req = match &body {
                    Body::Inline(t) => req.template_body(t),
                    Body::Url(u) => req.template_url(u),
                };
                req.send().await.map(|_| ()).map_err(|e| {
                    if e.message().is_some_and(no_changes) {
                        None
                    } else {
                        Some(service_error(name, "UpdateStack", &e))
                    }
                })
            } else {
                let mut req = cfn
                    .create_stack()
                    .stack_name(name)
                    .set_parameters(Some(params))
                    .set_capabilities(Some(caps))
                    .set_tags(Some(tags(stack)))
                    .set_notification_arns(notification_arns(opts))
                    .enable_termination_protection(stack.termination_protection);
                req = match &body {
                    Body::Inline(t) => req.template_body(t),
                    Body::Url(u) => req.template_url(u),
                };
                req.send()
                    .await
                    .map(|_| ())
                    .map_err(|e| Some(service_error(name, "CreateStack", &e)))
            };
            match result {
                Ok(()) => Deployed::Changed,
                Err(None) => Deployed::NoChanges,
                Err(Some(e)) => return Err(e),
            }
        }
        Method::ChangeSet => {
            let change_set = format!(
                "ecscdk-{}",
                since
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis())
            );
            let mut req = cfn
                .create_change_set()
                .stack_name(name)
                .change_set_name(&change_set)
                .change_set_type(if exists {
                    ChangeSetType::Update
                } else {
                    ChangeSetType::Create
                })
                .description("ecscdk deploy")
                .set_parameters(Some(params))
                .set_capabilities(Some(caps))
                .set_tags(Some(tags(stack)))
                .set_notification_arns(notification_arns(opts));
            req = match &body {
                Body::Inline(t) => req.template_body(t),
                Body::Url(u) => req.template_url(u),
            };
            let ready = match req.send().await {
                Ok(_) => change_set_ready(cfn, name, &change_set, opts.timeout).await?,
                // CloudFormation answers an unchanged template with a FAILED
                // change set; moto with a ValidationError of CreateChangeSet.
                Err(e) if e.message().is_some_and(no_changes) => None,
                Err(e) => return Err(service_error(name, "CreateChangeSet", &e)),
            };
            match ready {
                None => {
                    let _ = cfn
                        .delete_change_set()
                        .stack_name(name)
                        .change_set_name(&change_set)
                        .send()
                        .await;
                    Deployed::NoChanges
                }
                Some(summary) => {
                    for line in &summary {
                        eprintln!("{name}: change set: {line}");
                    }
                    if opts.execute {
                        cfn.execute_change_set()
                            .stack_name(name)
                            .change_set_name(&change_set)
                            .send()
                            .await
                            .map_err(|e| service_error(name, "ExecuteChangeSet", &e))?;
                        Deployed::Changed
                    } else {
                        Deployed::Reviewed(change_set)
                    }
                }
            }
        }
    };
    if outcome == Deployed::Changed {
        wait(
            cfn,
            name,
            name,
            after,
            Watch::new(total, opts.timeout, Goal::Deploy),
        )
        .await?;
    }
    if matches!(outcome, Deployed::Reviewed(_)) {
        return Ok((outcome, BTreeMap::new()));
    }
    let live = describe(cfn, name).await?;
    let protected = live
        .as_ref()
        .and_then(aws_sdk_cloudformation::types::Stack::enable_termination_protection)
        .unwrap_or(false);
    if live.is_some() && protected != stack.termination_protection {
        cfn.update_termination_protection()
            .stack_name(name)
            .enable_termination_protection(stack.termination_protection)
            .send()
            .await
            .map_err(|e| service_error(name, "UpdateTerminationProtection", &e))?;
    }
    let outputs = live
        .map(|s| {
            s.outputs()
                .iter()
                .filter_map(|o| Some((o.output_key()?.to_owned(), o.output_value()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    Ok((outcome, outputs))
}

/// Waits for a change set to be computed. `None` when it holds no changes;
/// otherwise one line per resource change.
async fn change_set_ready(
    cfn: &Client,
    name: &str,
    change_set: &str,
    budget: Duration,
) -> Result<Option<Vec<String>>> {
    let start = Instant::now();
    let mut delay = Duration::from_millis(300);
    loop {
        let out = cfn
            .describe_change_set()
            .stack_name(name)
            .change_set_name(change_set)
            .send()
            .await
            .map_err(|e| service_error(name, "DescribeChangeSet", &e))?;
        match out.status() {
            Some(ChangeSetStatus::CreateComplete) => {
                let lines: Vec<String> = out
                    .changes()
                    .iter()
                    .filter_map(|c| c.resource_change())
                    .map(|r| {
                        format!(
                            "{} {} {}{}",
                            r.action().map_or("?", |a| a.as_str()),
                            r.resource_type().unwrap_or("-"),
                            r.logical_resource_id().unwrap_or("-"),
                            match r.replacement().map(|x| x.as_str()) {
                                Some("True") => " (replacement)",
                                Some("Conditional") => " (may be replaced)",
                                _ => "",
                            }
                        )
                    })
                    .collect();
                return Ok(Some(lines));
            }
            Some(ChangeSetStatus::Failed) => {
                let reason = out.status_reason().unwrap_or("no reason given");
                if no_changes(reason) {
                    return Ok(None);
                }
                return Err(Error::DeployFailed {
                    stack: name.to_owned(),
                    operation: "deploy",
                    status: format!("change set {change_set} FAILED"),
                    reasons: vec![reason.to_owned()],
                });
            }
            _ => {}
        }
        if start.elapsed() >= budget {
            return Err(Error::Stuck {
                stack: name.to_owned(),
                status: "change set CREATE_IN_PROGRESS".to_owned(),
                stuck: format!("change set {change_set}"),
                waited_secs: budget.as_secs(),
                action: "the change set is left for CloudFormation to finish".to_owned(),
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(3));
    }
}

/// `deploy`.
pub fn deploy(
    assembly: &Assembly,
    selected: &[&StackArtifact],
    conn: &Connection,
    opts: &DeployOptions,
) -> Result<()> {
    let rt = runtime()?;
    rt.block_on(async {
        let mut all_outputs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut chosen: Vec<&StackArtifact> = selected.to_vec();
        if !opts.exclusively {
            chosen = with_dependencies(assembly, selected);
        }
        let stacks = ordered(assembly, &chosen, false);
        let mut clients = Vec::with_capacity(stacks.len());
        for stack in &stacks {
            clients.push(connect(conn, stack.env.region()).await?);
        }
        // Every image first: a failed build or push touches no stack.
        let with_clients: Vec<(&StackArtifact, &Aws)> =
            stacks.iter().copied().zip(clients.iter()).collect();
        crate::publish::publish(&with_clients, &opts.assembly_dir).await?;
        for (stack, aws) in with_clients {
            let (outcome, outputs) = deploy_stack(aws, stack, opts).await?;
            match &outcome {
                Deployed::Changed => eprintln!("\u{2705} {}: deployed", stack.stack_name),
                Deployed::NoChanges => eprintln!("\u{2705} {}: no changes", stack.stack_name),
                Deployed::Reviewed(cs) => eprintln!(
                    "{}: change set {cs} created and not executed (--no-execute); review it, then execute it or deploy again",
                    stack.stack_name
                ),
            }
            if !outputs.is_empty() {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "Outputs:");
                for (k, v) in &outputs {
                    let _ = writeln!(out, "{}.{k} = {v}", stack.id);
                }
            }
            all_outputs.insert(stack.id.clone(), outputs);
        }
        if let Some(path) = &opts.outputs_file {
            let text = serde_json::to_string_pretty(&all_outputs).unwrap_or_default();
            std::fs::write(path, text + "\n").map_err(|source| Error::Io {
                file: path.clone(),
                source,
            })?;
        }
        Ok(())
    })
}

/// The selected stacks in deployment order (all when none is selected), or
/// reversed for destroy.
/// The selected stacks and every stack they depend on, transitively.
fn with_dependencies<'a>(
    assembly: &'a Assembly,
    selected: &[&'a StackArtifact],
) -> Vec<&'a StackArtifact> {
    let mut out: Vec<&StackArtifact> = selected.to_vec();
    let mut i = 0;
    while let Some(stack) = out.get(i).copied() {
        for dep in &stack.dependencies {
            if let Some(d) = assembly.stack(dep)
                && !out.iter().any(|s| s.id == d.id)
            {
                out.push(d);
            }
        }
        i += 1;
    }
    out
}

fn ordered<'a>(
    assembly: &'a Assembly,
    selected: &[&StackArtifact],
    reverse: bool,
) -> Vec<&'a StackArtifact> {
    let mut stacks: Vec<&StackArtifact> = assembly
        .stacks()
        .iter()
        .filter(|s| selected.is_empty() || selected.iter().any(|x| x.id == s.id))
        .collect();
    if reverse {
        stacks.reverse();
    }
    stacks
}

/// `diff`: against the deployed template, or `template` offline.
pub fn diff(
    assembly: &Assembly,
    selected: &[&StackArtifact],
    conn: &Connection,
    template: Option<&std::path::Path>,
    fail_on_destructive: bool,
) -> Result<()> {
    let offline = match template {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
                file: path.to_path_buf(),
                source,
            })?;
            Some(
                serde_json::from_str::<Json>(&text).map_err(|e| Error::InvalidArgument {
                    argument: "--template",
                    value: format!("{}: {e}", path.display()),
                    fix: "give a CloudFormation template in JSON",
                })?,
            )
        }
        None => None,
    };
    let stacks = ordered(assembly, selected, false);
    if offline.is_some() && stacks.len() != 1 {
        return Err(Error::InvalidArgument {
            argument: "--template",
            value: template
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            fix: "name the one stack to compare it with: diff STACK --template FILE",
        });
    }
    let style = Style {
        color: std::io::stdout().is_terminal(),
    };
    let rt = runtime()?;
    let mut destructive = Vec::new();
    rt.block_on(async {
        for stack in stacks {
            let old = match &offline {
                Some(t) => t.clone(),
                None => {
                    let aws = connect(conn, stack.env.region()).await?;
                    deployed_template(&aws.cfn, &stack.stack_name).await?
                }
            };
            let new = template_json(stack)?;
            let d = diff::diff(&old, &new, &stack.replacing_properties);
            for r in d.destructive() {
                destructive.push(format!(
                    "{}/{} ({})",
                    stack.id,
                    r.logical_id,
                    if r.action == diff::Action::Remove {
                        "removed"
                    } else if r.replacement != diff::Replacement::No {
                        "replaced"
                    } else {
                        "the deploy would fail"
                    }
                ));
            }
            let text = diff::render(&stack.stack_name, &d, style);
            let _ = std::io::stdout()
                .lock()
                .write_all(format!("{text}\n").as_bytes());
        }
        Ok::<(), Error>(())
    })?;
    if fail_on_destructive && !destructive.is_empty() {
        return Err(Error::Destructive {
            count: destructive.len(),
            what: destructive.join(", "),
        });
    }
    Ok(())
}

async fn deployed_template(cfn: &Client, name: &str) -> Result<Json> {
    match cfn
        .get_template()
        .stack_name(name)
        .template_stage(TemplateStage::Original)
        .send()
        .await
    {
        Ok(out) => {
            let body = out.template_body().unwrap_or("{}");
            serde_json::from_str(body).map_err(|e| Error::Service {
                stack: name.to_owned(),
                action: "GetTemplate",
                message: format!("the deployed template is not JSON: {e}"),
                fix: "compare offline with --template FILE".to_owned(),
            })
        }
        Err(e) if is_missing(&e) => Ok(Json::Null),
        Err(e) => Err(service_error(name, "GetTemplate", &e)),
    }
}

/// `destroy`.
pub fn destroy(
    assembly: &Assembly,
    selected: &[&StackArtifact],
    conn: &Connection,
    force: bool,
    timeout: Duration,
) -> Result<()> {
    let stacks = ordered(assembly, selected, true);
    let names: Vec<&str> = stacks.iter().map(|s| s.stack_name.as_str()).collect();
    if !force {
        eprint!("Delete the stacks {}? [y/N] ", names.join(", "));
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !answer.ends_with('\n') {
            eprintln!();
        }
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return Err(Error::Aborted {
                what: "destroy cancelled; nothing was deleted (pass --force to skip the question)"
                    .to_owned(),
            });
        }
    }
    let rt = runtime()?;
    rt.block_on(async {
        for stack in stacks {
            let aws = connect(conn, stack.env.region()).await?;
            let name = stack.stack_name.as_str();
            let Some(live) = describe(&aws.cfn, name).await? else {
                eprintln!("{name}: not deployed");
                continue;
            };
            if live.enable_termination_protection() == Some(true) {
                return Err(Error::Service {
                    stack: name.to_owned(),
                    action: "DeleteStack",
                    message: "the stack has termination protection".to_owned(),
                    fix: "turn it off (Stack::termination_protection(false), then deploy) and destroy again".to_owned(),
                });
            }
            if live.stack_status().is_some_and(in_progress) {
                eprintln!("{name}: waiting for the operation in progress to finish");
                let after = newest_event(&aws.cfn, name).await;
                let _ = wait(&aws.cfn, name, name, after, Watch::new(0, timeout, Goal::Deploy)).await;
            }
            let total = live_resource_count(&aws.cfn, name).await;
            let groups = doomed_groups(&aws.cfn, name).await;
            let guard = (!groups.is_empty()).then(|| Unprotect {
                autoscaling: &aws.autoscaling,
                groups: &groups,
            });
            if let Some(guard) = &guard {
                guard.run(name, |line| eprintln!("{line}")).await;
            }
            let target = live.stack_id().unwrap_or(name).to_owned();
            let after = newest_event(&aws.cfn, name).await;
            eprintln!("{name}: destroying");
            aws.cfn
                .delete_stack()
                .stack_name(name)
                .send()
                .await
                .map_err(|e| service_error(name, "DeleteStack", &e))?;
            wait(
                &aws.cfn,
                name,
                &target,
                after,
                Watch {
                    guard: guard.as_ref(),
                    ..Watch::new(total, timeout, Goal::Destroy)
                },
            )
            .await?;
            eprintln!("\u{2705} {name}: destroyed");
        }
        Ok(())
    })
}

/// How often a destroy clears scale-in protection again while it waits.
const UNPROTECT_EVERY: Duration = Duration::from_secs(20);

/// The Auto Scaling groups a stack deletes with itself (not those its
/// deployed template retains), by physical name.
async fn doomed_groups(cfn: &Client, name: &str) -> Vec<String> {
    let template = deployed_template(cfn, name).await.unwrap_or(Json::Null);
    let retained = |id: Option<&str>| {
        id.and_then(|id| template.get("Resources")?.get(id)?.get("DeletionPolicy"))
            .and_then(Json::as_str)
            .is_some_and(|p| p.starts_with("Retain"))
    };
    let mut groups = Vec::new();
    let mut pages = cfn
        .list_stack_resources()
        .stack_name(name)
        .into_paginator()
        .send();
    while let Some(Ok(page)) = pages.next().await {
        for r in page.stack_resource_summaries() {
            // moto lists resources it ignores with no type or logical id.
            if r.resource_type() != Some("AWS::AutoScaling::AutoScalingGroup")
                || retained(r.logical_resource_id())
            {
                continue;
            }
            if let Some(p) = r.physical_resource_id().filter(|p| !p.is_empty())
                && !groups.iter().any(|g| g == p)
            {
                groups.push(p.to_owned());
            }
        }
    }
    groups
}

/// Clears instance scale-in protection on the Auto Scaling groups of a
/// stack being deleted. CloudFormation deletes a group by scaling it to
/// zero, which never terminates a protected instance, and ECS leaves the
/// protection that a capacity provider's managed termination protection set
/// on the instances when the capacity provider is deleted: the delete would
/// hang on the group (aws-cdk issues 14732 and 18179, containers-roadmap
/// 2862). On a group that is going away the protection guards nothing.
struct Unprotect<'a> {
    autoscaling: &'a aws_sdk_autoscaling::Client,
    groups: &'a [String],
}

impl Unprotect<'_> {
    /// Clears what is protected, reporting through `say`; a failure is a
    /// warning (the deploy budget still catches a stalled delete).
    async fn run(&self, stack: &str, say: impl Fn(&str)) {
        match self.clear(stack).await {
            Ok(0) => {}
            Ok(n) => say(&format!(
                "{stack}: cleared scale-in protection on {n} instance{} of {}",
                if n == 1 { "" } else { "s" },
                self.groups.join(", ")
            )),
            Err(e) => say(&format!(
                "{stack}: warning: could not clear the scale-in protection of {}, so deleting them may stall: {e}",
                self.groups.join(", ")
            )),
        }
    }

    /// The number of instances unprotected, 50 per `SetInstanceProtection`.
    async fn clear(&self, stack: &str) -> Result<usize> {
        let mut cleared = 0;
        for names in self.groups.chunks(50) {
            let mut pages = self
                .autoscaling
                .describe_auto_scaling_groups()
                .set_auto_scaling_group_names(Some(names.to_vec()))
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page =
                    page.map_err(|e| service_error(stack, "DescribeAutoScalingGroups", &e))?;
                for group in page.auto_scaling_groups() {
                    let protected: Vec<String> = group
                        .instances()
                        .iter()
                        .filter(|i| i.protected_from_scale_in() == Some(true))
                        .filter(|i| {
                            !i.lifecycle_state()
                                .is_some_and(|s| s.as_str().starts_with("Terminat"))
                        })
                        .filter_map(|i| i.instance_id().map(str::to_owned))
                        .collect();
                    for batch in protected.chunks(50) {
                        self.autoscaling
                            .set_instance_protection()
                            .auto_scaling_group_name(
                                group.auto_scaling_group_name().unwrap_or_default(),
                            )
                            .set_instance_ids(Some(batch.to_vec()))
                            .protected_from_scale_in(false)
                            .send()
                            .await
                            .map_err(|e| service_error(stack, "SetInstanceProtection", &e))?;
                        cleared += batch.len();
                    }
                }
            }
        }
        Ok(cleared)
    }
}

async fn live_resource_count(cfn: &Client, name: &str) -> u64 {
    cfn.describe_stack_resources()
        .stack_name(name)
        .send()
        .await
        .map_or(0, |o| o.stack_resources().len() as u64)
}

/// `bootstrap`: creates or updates the staging-bucket stack.
pub fn bootstrap(conn: &Connection, timeout: Duration) -> Result<()> {
    let rt = runtime()?;
    rt.block_on(async {
        let aws = connect(conn, None).await?;
        // A repository of that name that the toolkit stack does not hold
        // belongs to a `cdk bootstrap` (or to someone): use it as it is.
        let toolkit = describe(&aws.cfn, TOOLKIT_STACK).await?;
        let ours = toolkit.as_ref().is_some_and(|s| {
            s.outputs()
                .iter()
                .any(|o| o.output_key() == Some("ContainerAssetsRepository"))
        });
        let account = crate::publish::caller_account(&aws, TOOLKIT_STACK).await?;
        let repository = container_assets_repository()
            .replace("${AWS::AccountId}", &account)
            .replace("${AWS::Region}", &aws.region);
        let exists = repository_exists(&aws, &repository).await?;
        let with_repository = ours || !exists;
        let template = toolkit_template(with_repository);
        let artifact = StackArtifact {
            id: TOOLKIT_STACK.to_owned(),
            stack_name: TOOLKIT_STACK.to_owned(),
            env: Env::agnostic(),
            tags: BTreeMap::new(),
            termination_protection: false,
            needs_upload: false,
            template,
            dependencies: Vec::new(),
            replacing_properties: BTreeMap::new(),
            images: Vec::new(),
        };
        let opts = DeployOptions {
            // Direct, so the stack's outputs exist even on CloudFormation
            // look-alikes that skip them for change sets.
            method: Method::Direct,
            execute: true,
            parameters: Vec::new(),
            notification_arns: Vec::new(),
            timeout,
            outputs_file: None,
            exclusively: true,
            assembly_dir: PathBuf::new(),
        };
        let (_, outputs) = deploy_stack(&aws, &artifact, &opts).await?;
        let bucket = outputs.get("BucketName").cloned().unwrap_or_default();
        eprintln!(
            "\u{2705} staging bucket {bucket} ready in {} (stack {TOOLKIT_STACK})",
            aws.region
        );
        if with_repository {
            eprintln!(
                "\u{2705} image asset repository {repository} ready (stack {TOOLKIT_STACK}; encrypted, scanned on push, immutable tags)"
            );
        } else {
            eprintln!(
                "\u{2705} image asset repository {repository} exists already (a `cdk bootstrap`); image assets are pushed there"
            );
        }
        Ok(())
    })
}

/// Whether an ECR repository of that name exists.
async fn repository_exists(aws: &Aws, name: &str) -> Result<bool> {
    use aws_sdk_ecr::error::ProvideErrorMetadata as _;
    match aws
        .ecr
        .describe_repositories()
        .repository_names(name)
        .send()
        .await
    {
        Ok(out) => Ok(!out.repositories().is_empty()),
        Err(e) if e.code() == Some("RepositoryNotFoundException") => Ok(false),
        Err(e) => Err(service_error(TOOLKIT_STACK, "DescribeRepositories", &e)),
    }
}

/// `list --deployed`: each stack's live status.
pub fn statuses(assembly: &Assembly, conn: &Connection) -> Result<Vec<String>> {
    let rt = runtime()?;
    rt.block_on(async {
        let mut out = Vec::new();
        for stack in assembly.stacks() {
            let aws = connect(conn, stack.env.region()).await?;
            let status = describe(&aws.cfn, &stack.stack_name).await?.map_or_else(
                || "NOT_DEPLOYED".to_owned(),
                |s| status_text(s.stack_status()),
            );
            out.push(status);
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parameters() {
        assert_eq!(
            parse_parameter("Web:Size=3").ok(),
            Some((Some("Web".into()), "Size".into(), "3".into()))
        );
        assert_eq!(
            parse_parameter("Size=a=b").ok(),
            Some((None, "Size".into(), "a=b".into()))
        );
        assert!(parse_parameter("Size").is_err());
        assert!(parse_parameter(":Size=1").is_err());
    }

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert!(parse_duration("3d").is_err());
        assert!(parse_duration("x").is_err());
    }

    #[test]
    fn checks_the_shape_of_region_codes() {
        for ok in [
            "us-east-1",
            "eu-central-2",
            "ap-southeast-7",
            "us-gov-west-1",
            "cn-northwest-1",
            "us-isob-east-1",
            "eusc-de-east-1",
        ] {
            assert!(region_shaped(ok), "{ok}");
        }
        for bad in [
            "us-east-1a",
            "useast1",
            "us-east",
            "US-EAST-1",
            "us-east-1 ",
            "us--east-1",
            "",
        ] {
            assert!(!region_shaped(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_shown_bootstrap_template_is_the_one_deployed_with_a_repository() {
        let shown: Json = serde_json::from_str(&bootstrap_template()).unwrap();
        let deployed: Json = serde_json::from_str(&toolkit_template(true)).unwrap();
        assert_eq!(shown, deployed);
        assert!(bootstrap_template().contains("\n  \"Resources\": {"));
    }

    #[test]
    fn the_toolkit_holds_the_repository_unless_another_stack_does() {
        let with: Json = serde_json::from_str(&toolkit_template(true)).unwrap();
        let repo = &with["Resources"]["ContainerAssetsRepository"];
        assert_eq!(repo["Type"], "AWS::ECR::Repository");
        assert_eq!(
            repo["Properties"]["RepositoryName"]["Fn::Sub"],
            "cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}"
        );
        assert_eq!(
            repo["Properties"]["ImageScanningConfiguration"]["ScanOnPush"],
            true
        );
        assert_eq!(repo["DeletionPolicy"], "Retain");
        let lifecycle: Json = serde_json::from_str(
            repo["Properties"]["LifecyclePolicy"]["LifecyclePolicyText"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        // The CDK bootstrap template's rule (aws-cdk 2.1148,
        // lib/api/bootstrap/bootstrap-template.yaml).
        assert_eq!(
            lifecycle["rules"][0]["selection"],
            serde_json::json!({"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 365})
        );
        assert_eq!(lifecycle["rules"][0]["action"]["type"], "expire");
        assert_eq!(repo["Properties"]["ImageTagMutability"], "IMMUTABLE");
        assert_eq!(
            repo["Properties"]["EncryptionConfiguration"]["EncryptionType"],
            "AES256"
        );
        let without: Json = serde_json::from_str(&toolkit_template(false)).unwrap();
        assert!(
            without["Resources"]
                .get("ContainerAssetsRepository")
                .is_none()
        );
        assert!(
            without["Outputs"]
                .get("ContainerAssetsRepository")
                .is_none()
        );
        assert!(without["Resources"].get("StagingBucket").is_some());
    }

    #[test]
    fn computes_capabilities() {
        let t =
            serde_json::json!({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {}}}});
        assert_eq!(capabilities(&t), [Capability::CapabilityIam]);
        let t = serde_json::json!({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "x"}}}});
        assert_eq!(capabilities(&t), [Capability::CapabilityNamedIam]);
        let t = serde_json::json!({"Transform": "AWS::LanguageExtensions", "Resources": {}});
        assert_eq!(capabilities(&t), [Capability::CapabilityAutoExpand]);
        assert!(capabilities(&serde_json::json!({})).is_empty());
    }
}
