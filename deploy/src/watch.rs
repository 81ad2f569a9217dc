//! Following a stack operation to its end: CloudFormation's events printed
//! as they come (a spinner on a terminal, plain lines on a pipe), and a
//! budget: when a stack makes no progress (no new event, no status change)
//! for `--timeout`, the wait stops, names the resources still in progress,
//! cancels the update where CloudFormation allows, and fails. Beside the
//! events, the ECS services the operation works on are followed
//! (`rollout.rs`): their rollouts printed, and a failed one ends the wait
//! early with its cause.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::StackStatus;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::connection::{is_missing, service_error};
use crate::error::{Error, Result};
use crate::live::{describe, in_progress, status_text};
use crate::rollout::{Failure, Rollouts};
use crate::scale_in_protection::{UNPROTECT_EVERY, Unprotect};

/// Where `deploy` and `destroy` write their progress: plain lines when
/// stderr is not a terminal; on a terminal, the lines above one progress
/// bar per stack being followed (several at once with `--concurrency`).
/// Every line names its stack. Cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Console {
    multi: Option<MultiProgress>,
}

impl Console {
    pub(crate) fn new() -> Self {
        Self {
            multi: std::io::stderr().is_terminal().then(MultiProgress::new),
        }
    }

    /// A line kept on screen.
    pub(crate) fn line(&self, text: &str) {
        match &self.multi {
            Some(multi) => {
                if multi.println(text).is_err() {
                    eprintln!("{text}");
                }
            }
            None => eprintln!("{text}"),
        }
    }

    /// A progress bar for `stack`, below the others, on a terminal.
    fn bar(&self, stack: &str, total: u64) -> Option<ProgressBar> {
        let multi = self.multi.as_ref()?;
        let bar = multi.add(ProgressBar::new(total));
        if let Ok(style) =
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} resources {msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(stack.to_owned());
        bar.enable_steady_tick(Duration::from_millis(200));
        Some(bar)
    }
}

/// One stack's progress on the console.
struct Reporter<'a> {
    console: &'a Console,
    bar: Option<ProgressBar>,
}

impl<'a> Reporter<'a> {
    fn new(console: &'a Console, stack: &str, total: u64) -> Self {
        Self {
            console,
            bar: console.bar(stack, total),
        }
    }
    fn line(&self, text: &str) {
        self.console.line(text);
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
            if let Some(multi) = &self.console.multi {
                multi.remove(bar);
            }
        }
    }
}

/// What the wait is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Goal {
    Deploy,
    Destroy,
}

/// How a wait follows a stack.
#[derive(Clone, Copy)]
pub(crate) struct Watch<'a> {
    /// The number of resources, for the progress bar (0: unknown).
    total: u64,
    /// The no-progress budget.
    budget: Duration,
    goal: Goal,
    /// Auto Scaling groups to keep unprotected while a stack is deleted.
    guard: Option<&'a Unprotect<'a>>,
    /// Where to print; a console of its own when `None`.
    console: Option<&'a Console>,
}

impl<'a> Watch<'a> {
    pub(crate) fn new(total: u64, budget: Duration, goal: Goal) -> Self {
        Self {
            total,
            budget,
            goal,
            guard: None,
            console: None,
        }
    }

    /// The same wait, printing on `console` (beside other stacks' waits).
    pub(crate) fn shown_on(self, console: &'a Console) -> Self {
        Self {
            console: Some(console),
            ..self
        }
    }

    /// The same wait, keeping `guard`'s groups unprotected meanwhile.
    pub(crate) fn guarded_by<'b>(self, guard: Option<&'b Unprotect<'b>>) -> Watch<'b>
    where
        'a: 'b,
    {
        Watch {
            total: self.total,
            budget: self.budget,
            goal: self.goal,
            guard,
            console: self.console,
        }
    }
}

/// Follows the stack until it leaves its in-progress state, printing new
/// events, and the ECS rollouts of its services with `rollouts`. Returns
/// the final status (`DELETE_COMPLETE` when it is gone).
pub(crate) async fn wait(
    cfn: &Client,
    name: &str,
    target: &str,
    after: Option<String>,
    watch: Watch<'_>,
    mut rollouts: Option<&mut Rollouts<'_>>,
) -> Result<StackStatus> {
    let Watch {
        total,
        budget,
        goal,
        guard,
        console,
    } = watch;
    let own;
    let console = match console {
        Some(c) => c,
        None => {
            own = Console::new();
            &own
        }
    };
    let reporter = Reporter::new(console, name, total);
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
                    if let Some(rollouts) = rollouts.as_deref_mut() {
                        rollouts.on_event(
                            id,
                            status,
                            e.physical_resource_id(),
                            e.timestamp().map(aws_smithy_types::DateTime::as_secs_f64),
                        );
                    }
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
        let mut failure = None;
        let mut summary = String::new();
        if let Some(rollouts) = rollouts.as_deref_mut() {
            let (lines, found) = rollouts.poll().await;
            for line in lines {
                reporter.line(&format!("{name} | {line}"));
            }
            failure = found;
            summary = rollouts.summary();
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
        let live = if summary.is_empty() {
            text.clone()
        } else {
            format!("{text} · {summary}")
        };
        reporter.set(done.len().min(total as usize) as u64, &live);
        // A failed rollout counts while CloudFormation works toward the
        // new state, not while it rolls back or once it has finished.
        if let (
            Some(s @ (StackStatus::CreateInProgress | StackStatus::UpdateInProgress)),
            Some(f),
        ) = (&status, failure)
        {
            break Err(rollout_failed(cfn, name, &s.clone(), f).await);
        }
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
pub(crate) async fn newest_event(cfn: &Client, name: &str) -> Option<String> {
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
pub(crate) async fn failed_resources(cfn: &Client, name: &str) -> Vec<String> {
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

/// A rollout failed while the stack is created or updated: cancel an
/// update (CloudFormation rolls it back) and say why.
async fn rollout_failed(cfn: &Client, name: &str, status: &StackStatus, failure: Failure) -> Error {
    let action = cancel(cfn, name, status.as_str()).await;
    Error::RolloutFailed {
        stack: name.to_owned(),
        service: failure.service,
        cause: failure.cause,
        evidence: failure.evidence,
        action,
    }
}

/// Cancels an update in progress; otherwise says what CloudFormation does.
async fn cancel(cfn: &Client, name: &str, status: &str) -> String {
    if status == "UPDATE_IN_PROGRESS" {
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
    }
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
    let action = cancel(cfn, name, status).await;
    Error::Stuck {
        stack: name.to_owned(),
        status: status.to_owned(),
        stuck: resources.join(", "),
        waited_secs: budget.as_secs(),
        action,
    }
}
